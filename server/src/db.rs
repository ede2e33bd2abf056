//! The SQLite pool and the embedded migrations.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

/// Connections in the pool. SQLite allows one writer at a time; readers run alongside in WAL mode.
const MAX_CONNECTIONS: u32 = 8;
/// How long a write waits for another writer's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Failure to open or migrate the database.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("could not open the database {path}: {source}; check the path exists and is writable")]
    Open { path: String, source: sqlx::Error },
    #[error("could not create the session table in {path}: {source}")]
    Sessions { path: String, source: sqlx::Error },
    #[error("could not update the database {path} to this version: {source}")]
    Migrate {
        path: String,
        source: sqlx::migrate::MigrateError,
    },
}

/// Opens (creating when missing) the database at `path` and applies pending migrations.
pub async fn open(path: &Path) -> Result<SqlitePool, DbError> {
    let shown = path.display().to_string();
    let options = SqliteConnectOptions::from_str("sqlite:")
        .map_err(|source| DbError::Open {
            path: shown.clone(),
            source,
        })?
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT);
    let pool = SqlitePoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .connect_with(options)
        .await
        .map_err(|source| DbError::Open {
            path: shown.clone(),
            source,
        })?;
    sqlx::migrate!("./migrations")
        .run(&pool)
        .await
        .map_err(|source| DbError::Migrate {
            path: shown,
            source,
        })?;
    session_store(&pool)
        .migrate()
        .await
        .map_err(|source| DbError::Sessions {
            path: path.display().to_string(),
            source,
        })?;
    Ok(pool)
}

/// The session store, in the `sessions` table of the same database.
pub fn session_store(pool: &SqlitePool) -> tower_sessions_sqlx_store::SqliteStore {
    tower_sessions_sqlx_store::SqliteStore::new(pool.clone())
        .with_table_name("sessions")
        .expect("a valid table name")
}
