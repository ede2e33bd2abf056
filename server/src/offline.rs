//! The server's part in offline work: the build name of the browser
//! bundle, sent on every response, and the service worker script made for that build.

use std::path::Path;

use axum::extract::{Path as UrlPath, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use leptos::config::LeptosOptions;

use app::build::BuildInfo;

use crate::routes::AppState;

/// The response header that names the build. The service worker keeps only responses whose
/// build matches its own, so a tablet never mixes pages and code from two deployments.
pub const BUILD_HEADER: &str = "x-here-today-build";

const SERVICE_WORKER: &str = include_str!("sw.js");

/// The bundle's file extensions, in the order they are fingerprinted.
const BUNDLE_PARTS: [&str; 3] = ["js", "wasm", "css"];

/// Names the build from the bundle files the server will serve.
pub fn bundle_build(options: &LeptosOptions) -> BuildInfo {
    let folder = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let parts: Vec<Vec<u8>> = BUNDLE_PARTS
        .iter()
        .map(|extension| {
            let path = folder.join(format!("{}.{extension}", options.output_name));
            std::fs::read(&path).unwrap_or_default()
        })
        .collect();
    BuildInfo::from_bundle(&parts)
}

/// Serves the service worker with this build's name and file list written in.
pub async fn service_worker(State(state): State<AppState>) -> impl IntoResponse {
    let options = &state.leptos_options;
    let mut assets: Vec<String> = BUNDLE_PARTS
        .iter()
        .map(|extension| {
            format!(
                "/b/{}/{}/{}.{extension}",
                state.build.build, options.site_pkg_dir, options.output_name
            )
        })
        .collect();
    assets.extend(
        [
            "/favicon.svg",
            "/manifest.webmanifest",
            "/icons/icon.svg",
            "/icons/icon-192.png",
            "/icons/icon-512.png",
            "/icons/icon-maskable-512.png",
            "/icons/apple-touch-icon.png",
        ]
        .map(str::to_owned),
    );
    // A list of plain paths serialises to JSON.
    let assets = serde_json::to_string(&assets).expect("paths serialise to JSON");
    let script = SERVICE_WORKER
        .replace("\"__BUILD__\"", &format!("\"{}\"", state.build.build))
        .replace("[/* __ASSETS__ */]", &assets);
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        script,
    )
}

/// Serves a bundle file under its build's path, `/b/{build}/pkg/{file}`. Only the running
/// build is served: a page from another build gets "not found" rather than code that does not
/// match it. The files never change under one build, so browsers may keep them for a year.
pub async fn bundle_file(
    State(state): State<AppState>,
    UrlPath((build, folder, file)): UrlPath<(String, String, String)>,
) -> Response {
    let options = &state.leptos_options;
    let part = BUNDLE_PARTS.iter().find(|extension| {
        file.strip_suffix(&format!(".{extension}")) == Some(options.output_name.as_ref())
    });
    let Some(extension) =
        part.filter(|_| build == state.build.build && folder == options.site_pkg_dir.as_ref())
    else {
        return (
            StatusCode::NOT_FOUND,
            "no such file in this build; reload the page",
        )
            .into_response();
    };
    let path = Path::new(options.site_root.as_ref())
        .join(options.site_pkg_dir.as_ref())
        .join(&file);
    let Ok(bytes) = tokio::fs::read(&path).await else {
        tracing::error!(file = %path.display(), "a bundle file is missing");
        return (StatusCode::NOT_FOUND, "the bundle is missing on the server").into_response();
    };
    let content_type = match *extension {
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        _ => "text/css; charset=utf-8",
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        bytes,
    )
        .into_response()
}
