//! The Here Today server: configuration, database, HTTP routes, demo data and CSV import.
// Leptos view types nest deeply when `app` is built with both its ssr and hydrate features
// (as `cargo test --workspace` does); the default limit of 128 is too low for them.
#![recursion_limit = "256"]

mod auth;
pub mod config;
pub mod db;
pub mod demo;
pub mod enrol;
mod events_api;
pub mod history;
pub mod import;
pub mod mail;
mod offline;
pub mod routes;

use std::net::SocketAddr;

use leptos::config::LeptosOptions;
use sqlx::SqlitePool;
use tokio::net::TcpListener;

use app::clock::Clock;

/// Output name of the JS, WASM and CSS bundle, as set in the workspace `Cargo.toml`.
const OUTPUT_NAME: &str = "here-today";

/// Loads the Leptos options from the `LEPTOS_*` variables that cargo-leptos sets, falling
/// back to this project's bundle name and site root.
pub fn leptos_options() -> LeptosOptions {
    let mut options = match leptos::config::get_configuration(None) {
        Ok(conf) => conf.leptos_options,
        Err(error) => {
            tracing::debug!(%error, "no Leptos configuration found; using defaults");
            LeptosOptions::builder()
                .output_name(OUTPUT_NAME)
                .site_root("target/site")
                .build()
        }
    };
    if options.output_name.is_empty() {
        options.output_name = OUTPUT_NAME.into();
    }
    options
}

/// Serves the app on `listener` until the process is stopped, with links made from the
/// listener's own address.
pub async fn serve(listener: TcpListener, pool: SqlitePool, clock: Clock) -> std::io::Result<()> {
    serve_at(listener, pool, clock, None).await
}

/// Returns the site's public address: `public_url` when given, else the listener's address.
pub fn site_for(public_url: Option<&str>, listener: &TcpListener) -> app::auth::api::Site {
    let public_url = public_url
        .map(|url| url.trim_end_matches('/').to_owned())
        .unwrap_or_else(|| match listener.local_addr() {
            Ok(address) => format!("http://{address}"),
            Err(_) => "http://localhost".to_owned(),
        });
    app::auth::api::Site {
        secure_cookies: public_url.starts_with("https://"),
        public_url,
    }
}

/// Serves the app on `listener` until the process is stopped; one-time links start with
/// `public_url` (such as `https://register.example.org`) when given.
pub async fn serve_at(
    listener: TcpListener,
    pool: SqlitePool,
    clock: Clock,
    public_url: Option<String>,
) -> std::io::Result<()> {
    serve_with(listener, pool, clock, public_url, None).await
}

/// Serves the app as [`serve_at`] does, and emails one-time links through `mailer` when given.
pub async fn serve_with(
    listener: TcpListener,
    pool: SqlitePool,
    clock: Clock,
    public_url: Option<String>,
    mailer: Option<app::auth::api::MailSender>,
) -> std::io::Result<()> {
    let mut options = leptos_options();
    if let Ok(address) = listener.local_addr() {
        options.site_addr = address;
    }
    let site = site_for(public_url.as_deref(), &listener);
    let build = offline::bundle_build(&options);
    tracing::info!(build = %build.build, "serving the browser bundle");
    let app = routes::build_app(routes::AppState {
        pool: pool.clone(),
        clock,
        leptos_options: options,
        build,
        site,
        limits: Default::default(),
        sessions: db::session_store(&pool),
        mailer,
    });
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

async fn shutdown_signal() {
    if let Err(error) = tokio::signal::ctrl_c().await {
        tracing::error!(%error, "could not listen for Ctrl-C");
        std::future::pending::<()>().await;
    }
    tracing::info!("stopping");
}
