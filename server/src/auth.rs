//! The two request layers in front of every route. The first resolves the principal from the
//! session cookie or a device's credential cookie. The second rejects cross-site form posts and
//! applies the route rules in `app::auth`, so a path without a rule is closed.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Duration;
use tower_sessions::Session;

use app::auth::api::{RequestOrigin, DEVICE_COOKIE, REVOKED_WORDS, SESSION_KEY};
use app::auth::{decide, route_access, Decision, Principal};
use app::error::AppError;
use app::store::accounts::{principal_for_credential, principal_for_session, SessionAuth};

use crate::events_api::error_response;
use crate::routes::AppState;

/// How often a session's last-seen time is written back, at most.
const SEEN_WRITE_INTERVAL: Duration = Duration::minutes(1);

/// Works out the request's [`Principal`] and origin and stores both in its extensions.
pub async fn resolve_principal(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let address = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(
            || "unknown address".to_owned(),
            |info| info.0.ip().to_string(),
        );
    let session = request.extensions().get::<Session>().cloned();
    let credential = cookie(&request, DEVICE_COOKIE);
    let principal = match principal_of(&state, session, credential).await {
        Ok(principal) => principal,
        Err(error) => return error_response(error),
    };
    let origin = match &principal {
        Principal::RoomTablet { device }
        | Principal::Lobby { device }
        | Principal::Revoked { device } => format!("device {} at {address}", device.enrolment),
        _ => address,
    };
    request.extensions_mut().insert(principal);
    request.extensions_mut().insert(RequestOrigin(origin));
    next.run(request).await
}

async fn principal_of(
    state: &AppState,
    session: Option<Session>,
    credential: Option<String>,
) -> Result<Principal, AppError> {
    let now = state.clock.now();
    if let Some(session) = session {
        let auth = session
            .get::<SessionAuth>(SESSION_KEY)
            .await
            .unwrap_or_else(|error| {
                tracing::warn!(%error, "unreadable session; treating the request as signed out");
                None
            });
        if let Some(mut auth) = auth {
            let principal = if auth.expired(now) {
                None
            } else {
                principal_for_session(&state.pool, &auth).await?
            };
            match principal {
                Some(principal) => {
                    if now - auth.last_seen_at > SEEN_WRITE_INTERVAL {
                        auth.last_seen_at = now;
                        let _ = session.insert(SESSION_KEY, auth).await;
                    }
                    return Ok(principal);
                }
                None => {
                    // Expired, signed out everywhere, or the account is gone.
                    let _ = session.flush().await;
                }
            }
        }
    }
    if let Some(credential) = credential {
        if let Some(principal) = principal_for_credential(&state.pool, &credential).await? {
            return Ok(principal);
        }
    }
    Ok(Principal::Anonymous)
}

/// Returns the value of the cookie `name`, if the request carries it.
fn cookie(request: &Request, name: &str) -> Option<String> {
    request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// Rejects cross-site writes, then passes the request on only if its route's rule allows the
/// principal. A path with no rule returns "not found" to every principal.
pub async fn gate(request: Request, next: Next) -> Response {
    if is_cross_site_write(&request) {
        tracing::info!(path = %request.uri().path(), "cross-site write rejected");
        return (
            StatusCode::FORBIDDEN,
            axum::Json(AppError::invalid(
                "Origin",
                "this request came from another site; open Here Today directly and try again",
            )),
        )
            .into_response();
    }
    let path = request.uri().path().to_owned();
    let principal = request
        .extensions()
        .get::<Principal>()
        .cloned()
        .unwrap_or_default();
    let api = path.starts_with("/api/");
    let Some(access) = route_access(&path) else {
        return not_found(api);
    };
    match decide(access, &principal) {
        Decision::Allow => {
            if path == "/" && matches!(principal, Principal::Parent { .. }) {
                return Redirect::to("/my").into_response();
            }
            next.run(request).await
        }
        Decision::SignIn if api => error_response(AppError::SignInNeeded),
        Decision::SignIn => {
            let next_path = request
                .uri()
                .path_and_query()
                .map_or("/", |value| value.as_str());
            let target = if next_path == "/" {
                "/sign-in".to_owned()
            } else {
                format!("/sign-in?next={}", encode_query(next_path))
            };
            Redirect::to(&target).into_response()
        }
        Decision::NotFound => not_found(api),
        // The sync route keeps a revoked tablet's marks for a manager, and pages show the reason.
        Decision::Revoked if path == app::sync::protocol::SYNC_PATH || !api => {
            next.run(request).await
        }
        Decision::Revoked => error_response(AppError::Revoked {
            message: REVOKED_WORDS.to_owned(),
        }),
    }
}

fn not_found(api: bool) -> Response {
    if api {
        return error_response(AppError::not_found("This address"));
    }
    let body = "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Not found · Here Today</title></head><body><main><h1>Page not found</h1><p><a href=\"/\">Go to the start</a></p></main></body></html>";
    Response::builder()
        .status(StatusCode::NOT_FOUND)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(Body::from(body))
        .unwrap_or_else(|_| StatusCode::NOT_FOUND.into_response())
}

/// Percent-encodes a path for a query value.
fn encode_query(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (byte as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Returns whether a request that changes something came from another site: browsers send
/// `Sec-Fetch-Site` and `Origin` with form posts and fetches.
fn is_cross_site_write(request: &Request) -> bool {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return false;
    }
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if site != "same-origin" && site != "none" {
            return true;
        }
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => false,
        Some(origin) => {
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            let origin_host = origin
                .split_once("://")
                .map_or("", |(_, rest)| rest.trim_end_matches('/'));
            origin_host.is_empty() || origin_host != host
        }
    }
}
