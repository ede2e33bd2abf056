//! Passwords, PINs and tokens on the server: Argon2id hashes for what people type, SHA-256 for
//! the long random tokens the server makes (links, pairing codes and device credentials).

use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Params, PasswordVerifier, Version};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Maximum password length, checked before hashing.
pub const MAX_PASSWORD_CHARS: usize = 200;
/// Letters of pairing codes: no 0/O, 1/I/L, so a code read aloud is typed right.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// Characters in a pairing code.
pub const PAIRING_CODE_CHARS: usize = 8;

fn hasher() -> Argon2<'static> {
    // OWASP's second Argon2id setting: 19 MiB, two passes, one lane.
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password or PIN as an Argon2id PHC string with a random salt.
pub fn hash_secret(secret: &str) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|_| AppError::Internal)?;
    hasher()
        .hash_password(secret.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| {
            tracing::error!(%error, "could not hash a secret");
            AppError::Internal
        })
}

/// Returns whether `secret` matches the PHC string `hash`.
pub fn verify_secret(secret: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| hasher().verify_password(secret.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// Checks a new password's length, naming what to change.
pub fn check_new_password(password: &str) -> Result<(), AppError> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        return Err(AppError::invalid(
            "password",
            format!("use at least {MIN_PASSWORD_CHARS} characters; a few words together is easy to remember"),
        ));
    }
    if length > MAX_PASSWORD_CHARS {
        return Err(AppError::invalid(
            "password",
            format!("use at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    Ok(())
}

/// Makes a random token of 32 bytes, as 64 hexadecimal digits.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

/// Makes a pairing code such as `K7PQ-4XMA`, shown to a manager and typed on a tablet.
pub fn new_pairing_code() -> String {
    let mut rng = rand::thread_rng();
    let letters: String = (0..PAIRING_CODE_CHARS)
        .map(|_| CODE_ALPHABET[(rng.next_u32() as usize) % CODE_ALPHABET.len()] as char)
        .collect();
    format!("{}-{}", &letters[..4], &letters[4..])
}

/// Returns a typed pairing code in its stored form: capitals, without spaces or dashes.
pub fn normalise_pairing_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Returns the SHA-256 digest of `token` as hexadecimal, the form tokens are stored in.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_verifies_own_secret_only() {
        let hash = hash_secret("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_secret("correct horse battery", &hash));
        assert!(!verify_secret("correct horse batter", &hash));
        assert!(!verify_secret("anything", "not a hash"));
    }

    #[test]
    fn pin_matches_server_hash() {
        let hash = hash_secret("2468").unwrap();
        assert!(crate::auth::pin::pin_matches("2468", &hash));
        assert!(!crate::auth::pin::pin_matches("2469", &hash));
        assert!(!crate::auth::pin::pin_matches("246", &hash));
    }

    #[test]
    fn pairing_codes_read_back_whatever_the_spacing() {
        let code = new_pairing_code();
        assert_eq!(code.len(), PAIRING_CODE_CHARS + 1);
        let typed = code.to_lowercase().replace('-', " ");
        assert_eq!(normalise_pairing_code(&typed), code.replace('-', ""));
    }

    #[test]
    fn short_passwords_are_refused_with_the_rule() {
        let error = check_new_password("short").unwrap_err();
        assert!(error.to_string().contains("at least 10 characters"));
        assert!(check_new_password("long enough words").is_ok());
    }
}
