//! Router assembly: pages, server functions, the JSON API, static files and middleware.
//! Tests build the app through [`build_app`] exactly as the binary does.

use axum::extract::{DefaultBodyLimit, FromRef, Request};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::{self, Next};
use axum::routing::{get, post};
use axum::{Json, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sqlx::SqlitePool;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::SqliteStore;

use app::auth::api::{MailSender, RateLimits, Site};
use app::build::BuildInfo;
use app::clock::Clock;
use app::{shell, App};

use crate::events_api::{post_events, post_sync};
use crate::history::{figures_csv, limit_body, register_csv, FIGURES_PATH, REGISTER_PATH};
use crate::offline::{bundle_file, service_worker, BUILD_HEADER};

/// Largest request body accepted, in bytes. A full week's offline backlog for a 60-child room
/// (about 1,700 events of about 400 bytes each) fits with room to spare.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// Largest body accepted by any other route (server functions and pages), in bytes.
const MAX_OTHER_BODY_BYTES: usize = 256 * 1024;

/// Shared state for every handler and server function.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub pool: SqlitePool,
    pub clock: Clock,
    pub leptos_options: LeptosOptions,
    pub build: BuildInfo,
    pub site: Site,
    pub limits: RateLimits,
    pub sessions: SqliteStore,
    /// Sends invitation and reset links by email, when SMTP is configured.
    pub mailer: Option<MailSender>,
}

/// Paths of the routes added by hand (not pages or server functions), for the access rules'
/// test. Each must have a rule in `app::auth::route_access`.
pub const HAND_ROUTES: &[&str] = &[
    "/health",
    "/api/events",
    app::sync::protocol::SYNC_PATH,
    "/sw.js",
    "/b/{build}/{folder}/{file}",
    REGISTER_PATH,
    FIGURES_PATH,
];

/// Every path the app answers: pages, server functions and the routes added by hand.
pub fn all_route_paths() -> Vec<String> {
    let mut paths: Vec<String> = generate_route_list(App)
        .iter()
        .map(|route| route.path().to_owned())
        .collect();
    paths.extend(leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_owned()));
    paths.extend(HAND_ROUTES.iter().map(|path| (*path).to_owned()));
    paths
}

/// Builds the whole HTTP app around `state`.
pub fn build_app(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let pool = state.pool.clone();
        let clock = state.clock;
        let build = state.build.clone();
        let site = state.site.clone();
        let limits = state.limits.clone();
        let mailer = state.mailer.clone();
        move || {
            provide_context(pool.clone());
            provide_context(clock);
            provide_context(build.clone());
            provide_context(site.clone());
            provide_context(limits.clone());
            if let Some(mailer) = &mailer {
                provide_context(mailer.clone());
            }
        }
    };
    let options = state.leptos_options.clone();
    // The body limit layer covers only the routes added before it: pages and server functions,
    // of which the history import takes a larger body. The events API has its own, larger
    // limit that replies in JSON.
    Router::new()
        .leptos_routes_with_context(&state, routes, context, move || shell(options.clone()))
        .layer(middleware::from_fn(|request: Request, next: Next| {
            limit_body(request, next, MAX_OTHER_BODY_BYTES)
        }))
        .layer(middleware::from_fn(invalid_arguments_status))
        .route("/health", get(health))
        .route(
            "/api/events",
            post(post_events).layer(DefaultBodyLimit::max(MAX_BODY_BYTES)),
        )
        .route(
            app::sync::protocol::SYNC_PATH,
            post(post_sync).layer(DefaultBodyLimit::max(MAX_BODY_BYTES)),
        )
        .route("/sw.js", get(service_worker))
        .route("/b/{build}/{folder}/{file}", get(bundle_file))
        .route(REGISTER_PATH, get(register_csv))
        .route(FIGURES_PATH, get(figures_csv))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn(crate::auth::gate))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::auth::resolve_principal,
        ))
        .layer(
            SessionManagerLayer::new(state.sessions.clone())
                .with_name("here_today_session")
                .with_http_only(true)
                .with_same_site(SameSite::Lax)
                .with_secure(state.site.secure_cookies)
                .with_expiry(Expiry::OnInactivity(time::Duration::hours(2))),
        )
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static(BUILD_HEADER),
            HeaderValue::from_str(&state.build.build).unwrap_or(HeaderValue::from_static("dev")),
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Largest server-function error reply read to correct its status, in bytes.
const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// Gives a server function's rejected arguments (a missing field, an id that is not a UUID, a
/// number out of range) the status 422 that other invalid input gets. Leptos replies 500 to
/// arguments it cannot decode, with our `invalid_input` error in the body.
async fn invalid_arguments_status(request: Request, next: Next) -> axum::response::Response {
    let response = next.run(request).await;
    if response.status() != axum::http::StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY_BYTES).await else {
        parts.status = axum::http::StatusCode::INTERNAL_SERVER_ERROR;
        return axum::response::Response::from_parts(parts, axum::body::Body::empty());
    };
    let invalid = serde_json::from_slice::<serde_json::Value>(&bytes)
        .is_ok_and(|reply| reply["error"] == "invalid_input");
    if invalid {
        tracing::debug!("server function arguments rejected");
        parts.status = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
}

#[derive(serde::Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
}

async fn health() -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
    })
}
