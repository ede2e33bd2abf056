//! The name of the running build of Here Today. The server names a build by a fingerprint of the
//! browser bundle it serves (JS, WASM and CSS), so a new deployment always has a new name, and
//! the offline cache on each tablet is kept per build.

use leptos::prelude::*;

/// The name of the `<meta>` tag that carries the build into the page.
pub const BUILD_META: &str = "here-today-build";

/// The running build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildInfo {
    /// The fingerprint of the browser bundle, eight hex digits, or "dev" without a bundle.
    pub build: String,
}

impl BuildInfo {
    /// Names the build from the bundle's bytes.
    pub fn from_bundle(parts: &[Vec<u8>]) -> Self {
        if parts.iter().all(Vec::is_empty) {
            return Self {
                build: "dev".to_owned(),
            };
        }
        let mut joined = Vec::new();
        for part in parts {
            joined.extend_from_slice(&(part.len() as u64).to_le_bytes());
            joined.extend_from_slice(part);
        }
        let hash = crate::sync::protocol::fingerprint(&joined);
        Self {
            build: format!("{:08x}", hash >> 32),
        }
    }

    /// Returns the words shown in the app, such as "v0.1.0 · build 3fa29c01".
    pub fn label(&self) -> String {
        format!("v{} · build {}", env!("CARGO_PKG_VERSION"), self.build)
    }
}

/// Returns the running build's name: from the server's context while rendering, and from the
/// page's `<meta>` tag in the browser, so both render the same text.
pub fn build_id() -> String {
    #[cfg(feature = "ssr")]
    return use_context::<BuildInfo>()
        .map(|info| info.build)
        .unwrap_or_else(|| "dev".to_owned());
    #[cfg(not(feature = "ssr"))]
    return document()
        .query_selector(&format!("meta[name={BUILD_META}]"))
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .unwrap_or_else(|| "dev".to_owned());
}

/// Returns the running build's label, such as "v0.1.0 · build 3fa29c01".
pub fn build_label() -> String {
    BuildInfo { build: build_id() }.label()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_name_follows_the_bundle() {
        let one = BuildInfo::from_bundle(&[b"js".to_vec(), b"wasm".to_vec()]);
        let two = BuildInfo::from_bundle(&[b"js".to_vec(), b"wasm2".to_vec()]);
        let moved = BuildInfo::from_bundle(&[b"jsw".to_vec(), b"asm".to_vec()]);
        assert_eq!(one.build.len(), 8);
        assert_ne!(one, two);
        assert_ne!(one, moved, "part boundaries count");
        assert_eq!(BuildInfo::from_bundle(&[Vec::new()]).build, "dev");
    }
}
