//! The JSON endpoints tablets write to: `POST /api/events` stores marks (`docs/api.md`) and
//! `POST /api/sync` stores marks and returns the room's changes (`docs/sync.md`).

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use axum::Json;

use app::auth::api::{RequestOrigin, REVOKED_WORDS};
use app::auth::Principal;
use app::error::AppError;
use app::register::model::EventBatch;
use app::store::accounts::Caller;
use app::sync::protocol::SyncRequest;

use crate::routes::AppState;

/// Stores a batch of events and returns which were accepted and which were rejected.
pub async fn post_events(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Extension(origin): Extension<RequestOrigin>,
    body: Result<Json<EventBatch>, JsonRejection>,
) -> Response {
    let batch = match read_json(body) {
        Ok(batch) => batch,
        Err(error) => return error.into_response(),
    };
    let count = batch.events.len();
    let caller = Caller {
        principal,
        origin: origin.0,
    };
    match app::store::record_events(&state.pool, &caller, batch.events, state.clock.now()).await {
        Ok(outcome) => {
            tracing::debug!(
                count,
                accepted = outcome.accepted.len(),
                rejected = outcome.rejected.len(),
                "batch stored"
            );
            Json(outcome).into_response()
        }
        Err(error) => error_response(error),
    }
}

/// Stores a tablet's batch and returns what changed for its room since its cursor.
pub async fn post_sync(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Extension(origin): Extension<RequestOrigin>,
    body: Result<Json<SyncRequest>, JsonRejection>,
) -> Response {
    let request = match read_json(body) {
        Ok(request) => request,
        Err(error) => return error.into_response(),
    };
    if let Principal::Revoked { device } = &principal {
        return hold_revoked(&state, device, &request).await;
    }
    let count = request.events.len();
    let caller = Caller {
        principal,
        origin: origin.0,
    };
    match app::store::sync_room(&state.pool, &caller, request, state.clock.now()).await {
        Ok(reply) => {
            tracing::debug!(
                count,
                accepted = reply.accepted.len(),
                rejected = reply.rejected.len(),
                changes = reply.events.len(),
                full = reply.register.is_some(),
                "sync replied"
            );
            Json(reply).into_response()
        }
        Err(error) => error_response(error),
    }
}

/// Keeps a revoked tablet's marks for a manager and tells the tablet why it cannot sync.
async fn hold_revoked(
    state: &AppState,
    device: &app::auth::Device,
    request: &SyncRequest,
) -> Response {
    let now = state.clock.now();
    match app::store::devices::hold_marks(&state.pool, device, &request.events, now).await {
        Ok(held) => {
            tracing::info!(held, "a removed tablet tried to sync; its marks are held");
            let kept = match held {
                0 => String::new(),
                1 => " 1 mark from this tablet is kept for the manager.".to_owned(),
                n => format!(" {n} marks from this tablet are kept for the manager."),
            };
            error_response(AppError::Revoked {
                message: format!("{REVOKED_WORDS}{kept}"),
            })
        }
        Err(error) => error_response(error),
    }
}

/// A request body that could not be read, with axum's status for it (400, 413, 415 or 422).
struct BodyError {
    status: StatusCode,
    error: AppError,
}

impl IntoResponse for BodyError {
    fn into_response(self) -> Response {
        let mut response = error_response(self.error);
        *response.status_mut() = self.status;
        response
    }
}

/// Returns the request body, or why it could not be read.
fn read_json<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, BodyError> {
    body.map(|Json(value)| value)
        .map_err(|rejection| BodyError {
            status: rejection.status(),
            error: rejection_error(rejection),
        })
}

fn rejection_error(rejection: JsonRejection) -> AppError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => AppError::invalid(
            "Content-Type",
            "send the batch as JSON with Content-Type: application/json",
        ),
        JsonRejection::BytesRejection(_) => AppError::TooLarge {
            message:
                "the request body is larger than the server accepts; send fewer events per batch"
                    .to_owned(),
        },
        JsonRejection::JsonSyntaxError(error) => {
            AppError::invalid("body", format!("is not valid JSON: {}", error.body_text()))
        }
        JsonRejection::JsonDataError(error) => AppError::invalid("body", error.body_text()),
        other => AppError::invalid("body", other.body_text()),
    }
}

/// Sends an [`AppError`] as JSON with its status code.
pub fn error_response(error: AppError) -> Response {
    let status =
        StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(error)).into_response()
}
