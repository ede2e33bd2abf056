//! The one error type that server functions, the JSON API and the browser share.

use serde::{Deserialize, Serialize};

/// Errors a client can act on. Database and other internal failures are logged on the server
/// and reach the client only as [`AppError::Internal`] with no cause attached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum AppError {
    /// The named thing does not exist, or the caller may not know that it exists.
    #[error("{what} was not found")]
    NotFound { what: String },
    /// A request value is invalid: `field` names it and `message` states what to do.
    #[error("invalid {field}: {message}")]
    InvalidInput { field: String, message: String },
    /// The request clashes with what is already recorded.
    #[error("{message}")]
    Conflict { message: String },
    /// The request body is larger than the server accepts.
    #[error("request too large: {message}")]
    TooLarge { message: String },
    /// Something failed on the server; details are in the server log only.
    #[error(
        "something went wrong on the server; try again, and tell the manager if it keeps happening"
    )]
    Internal,
    /// Nobody is signed in, or the session has ended.
    #[error("sign in to continue; your session may have ended")]
    SignInNeeded,
    /// The device's enrolment was revoked by a manager.
    #[error("{message}")]
    Revoked { message: String },
    /// Too many sign-in or enrolment attempts in a short time.
    #[error("{message}")]
    TooManyAttempts { message: String },
    /// The request could not reach the server or its reply could not be read.
    #[error("could not reach the server: {message}")]
    Network { message: String },
}

impl AppError {
    /// Builds an [`AppError::InvalidInput`] for `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::InvalidInput {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Builds an [`AppError::NotFound`] naming `what`.
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound { what: what.into() }
    }

    /// Builds an [`AppError::Conflict`].
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict {
            message: message.into(),
        }
    }

    /// Returns the HTTP status code this error is sent with.
    pub fn status_code(&self) -> u16 {
        match self {
            Self::NotFound { .. } => 404,
            Self::InvalidInput { .. } => 422,
            Self::Conflict { .. } => 409,
            Self::TooLarge { .. } => 413,
            Self::SignInNeeded => 401,
            Self::Revoked { .. } => 403,
            Self::TooManyAttempts { .. } => 429,
            Self::Internal => 500,
            Self::Network { .. } => 502,
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Args(message) | E::MissingArg(message) | E::Deserialization(message) => {
                Self::invalid("request", message)
            }
            E::Request(message) | E::Response(message) => Self::Network { message },
            _ => Self::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        tracing::error!(error = %error, "database error");
        Self::Internal
    }
}
