//! Accounts, one-time links, sessions' principals and the audit trail in the database.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{SqliteConnection, SqlitePool};
use uuid::Uuid;

use super::{format_instant, parse_id, parse_instant};
use crate::auth::model::{AccountSummary as AccountRow, AuditLine as AuditRow};
use crate::auth::secret::{check_new_password, hash_secret, new_token, token_hash, verify_secret};
use crate::auth::{Device, Person, Principal};
use crate::error::AppError;

/// How long an invitation or set-up link stays valid.
pub const INVITE_VALID: Duration = Duration::days(7);
/// How long a password-reset link stays valid.
pub const RESET_VALID: Duration = Duration::hours(24);
/// Maximum length of an email address, in characters.
const MAX_EMAIL_CHARS: usize = 254;
/// Maximum length of a person's name, in characters.
const MAX_NAME_CHARS: usize = 100;

/// The principal behind a request and its origin, for access checks and the audit trail.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    /// The device id or network address of the request.
    pub origin: String,
}

impl Caller {
    /// Returns the caller for a command run on the server itself, such as the CLI.
    pub fn console() -> Self {
        Self {
            principal: Principal::Anonymous,
            origin: "server console".to_owned(),
        }
    }
}

/// One row to append to the audit trail.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub setting: Option<Uuid>,
    pub action: &'static str,
    pub actor: String,
    pub origin: String,
    pub subject: String,
    pub detail: String,
}

impl AuditEntry {
    /// Starts an entry for `action` made by `caller`.
    pub fn new(caller: &Caller, action: &'static str) -> Self {
        Self {
            setting: caller.principal.setting(),
            action,
            actor: caller.principal.audit_label(),
            origin: caller.origin.clone(),
            subject: String::new(),
            detail: String::new(),
        }
    }

    pub fn setting(mut self, setting: Uuid) -> Self {
        self.setting = Some(setting);
        self
    }

    pub fn actor(mut self, actor: impl Into<String>) -> Self {
        self.actor = actor.into();
        self
    }

    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = subject.into();
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }
}

/// Appends `entry` to the audit trail at `now`.
pub async fn write_audit(
    conn: &mut SqliteConnection,
    entry: &AuditEntry,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO audit_log (id, at, setting_id, action, actor, origin, subject, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(format_instant(now))
    .bind(entry.setting.map(|id| id.to_string()))
    .bind(entry.action)
    .bind(&entry.actor)
    .bind(&entry.origin)
    .bind(&entry.subject)
    .bind(&entry.detail)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Appends `entry` to the audit trail on a pooled connection.
pub async fn audit(
    pool: &SqlitePool,
    entry: AuditEntry,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut conn = pool.acquire().await?;
    write_audit(&mut conn, &entry, now).await
}

/// Reads the newest `limit` audit rows of `setting`, optionally only one action or rows whose
/// actor or subject contains `text`.
pub async fn read_audit(
    pool: &SqlitePool,
    setting: Uuid,
    action: Option<&str>,
    text: Option<&str>,
    limit: u32,
) -> Result<Vec<AuditRow>, AppError> {
    let like = text.map(|text| format!("%{}%", text.replace(['%', '_'], "")));
    let rows: Vec<(String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT at, action, actor, origin, subject, detail FROM audit_log
         WHERE setting_id = ? AND (?2 IS NULL OR action = ?2)
           AND (?3 IS NULL OR actor LIKE ?3 OR subject LIKE ?3 OR detail LIKE ?3)
         ORDER BY at DESC, id DESC LIMIT ?4",
    )
    .bind(setting.to_string())
    .bind(action)
    .bind(like)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(at, action, actor, origin, subject, detail)| {
            Ok(AuditRow {
                at: parse_instant(&at)?,
                action,
                actor,
                origin,
                subject,
                detail,
            })
        })
        .collect()
}

/// The sign-in data stored in a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionAuth {
    pub account: Uuid,
    pub epoch: i64,
    pub signed_in_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

/// How long a session lasts with no request.
pub const IDLE_EXPIRY: Duration = Duration::hours(2);
/// How long a session lasts at most after signing in.
pub const ABSOLUTE_EXPIRY: Duration = Duration::hours(12);

impl SessionAuth {
    /// Returns whether the session has expired at `now`, by idle time or by age.
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        now - self.last_seen_at > IDLE_EXPIRY || now - self.signed_in_at > ABSOLUTE_EXPIRY
    }
}

/// Loads the principal of a signed-in account, or `None` when the account is gone, disabled, or
/// signed out everywhere since the session began.
pub async fn principal_for_session(
    pool: &SqlitePool,
    auth: &SessionAuth,
) -> Result<Option<Principal>, AppError> {
    #[derive(sqlx::FromRow)]
    struct AccountDbRow {
        setting_id: String,
        name: String,
        role: String,
        staff_id: Option<String>,
        session_epoch: i64,
        disabled_at: Option<String>,
    }
    let row: Option<AccountDbRow> = sqlx::query_as(
        "SELECT setting_id, name, role, staff_id, session_epoch, disabled_at
         FROM accounts WHERE id = ?",
    )
    .bind(auth.account.to_string())
    .fetch_optional(pool)
    .await?;
    let Some(AccountDbRow {
        setting_id: setting,
        name,
        role,
        staff_id: staff,
        session_epoch: epoch,
        disabled_at: disabled,
    }) = row
    else {
        return Ok(None);
    };
    if disabled.is_some() || epoch != auth.epoch {
        return Ok(None);
    }
    let person = Person {
        account: auth.account,
        setting: parse_id(&setting)?,
        name,
        staff: staff.as_deref().map(parse_id).transpose()?,
    };
    let linked = |sql: &'static str| async move {
        let rows: Vec<(String,)> = sqlx::query_as(sql)
            .bind(auth.account.to_string())
            .fetch_all(pool)
            .await?;
        rows.iter()
            .map(|(id,)| parse_id(id))
            .collect::<Result<Vec<_>, AppError>>()
    };
    let principal = match role.as_str() {
        "manager" => Principal::Manager { person },
        "practitioner" => Principal::Practitioner {
            person,
            rooms: linked("SELECT room_id FROM account_rooms WHERE account_id = ?").await?,
        },
        "parent" => Principal::Parent {
            person,
            children: linked("SELECT child_id FROM account_children WHERE account_id = ?").await?,
        },
        _ => return Ok(None),
    };
    Ok(Some(principal))
}

/// Loads the device holding `credential`: a room tablet, a lobby display, or a revoked one.
pub async fn principal_for_credential(
    pool: &SqlitePool,
    credential: &str,
) -> Result<Option<Principal>, AppError> {
    #[derive(sqlx::FromRow)]
    struct EnrolmentDbRow {
        id: String,
        setting_id: String,
        room_id: Option<String>,
        name: String,
        revoked_at: Option<String>,
    }
    let row: Option<EnrolmentDbRow> = sqlx::query_as(
        "SELECT id, setting_id, room_id, name, revoked_at FROM enrolments
         WHERE credential_hash = ?",
    )
    .bind(token_hash(credential))
    .fetch_optional(pool)
    .await?;
    let Some(EnrolmentDbRow {
        id,
        setting_id: setting,
        room_id: room,
        name,
        revoked_at: revoked,
    }) = row
    else {
        return Ok(None);
    };
    let device = Device {
        enrolment: parse_id(&id)?,
        setting: parse_id(&setting)?,
        room: room.as_deref().map(parse_id).transpose()?,
        name,
    };
    Ok(Some(if revoked.is_some() {
        Principal::Revoked { device }
    } else if device.room.is_some() {
        Principal::RoomTablet { device }
    } else {
        Principal::Lobby { device }
    }))
}

/// An account that signed in.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub account: Uuid,
    pub setting: Uuid,
    pub epoch: i64,
    pub label: String,
    /// `manager`, `practitioner` or `parent`.
    pub role: String,
}

/// Checks an email and password. Unknown addresses take as long as wrong passwords.
pub async fn check_password(
    pool: &SqlitePool,
    email: &str,
    password: &str,
) -> Result<Option<SignedIn>, AppError> {
    let row: Option<(String, String, String, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT id, setting_id, name, role, password_hash, session_epoch FROM accounts
         WHERE email = ? AND disabled_at IS NULL",
    )
    .bind(email.trim())
    .fetch_optional(pool)
    .await?;
    let password = password.to_owned();
    let stored = row.as_ref().and_then(|row| row.4.clone());
    let matches = tokio_blocking(move || match stored {
        Some(hash) => verify_secret(&password, &hash),
        None => {
            // The same work as a real check, so timing does not tell which addresses exist.
            let _ = verify_secret(&password, DUMMY_HASH);
            false
        }
    })
    .await?;
    let Some((id, setting, name, role, _, epoch)) = row.filter(|_| matches) else {
        return Ok(None);
    };
    Ok(Some(SignedIn {
        account: parse_id(&id)?,
        setting: parse_id(&setting)?,
        epoch,
        label: format!("{role} {name}"),
        role,
    }))
}

/// A valid Argon2id hash of a random password, checked against when no account matches.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$7kFHXi2JyhDbp6TtqmmtV1dlXO4BnIe0ZpYrRWZV3yY";

/// Runs CPU-heavy hashing off the async workers.
pub async fn tokio_blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work).await.map_err(|error| {
        tracing::error!(%error, "hashing task failed");
        AppError::Internal
    })
}

/// Raises the account's session number, which ends every session it has.
pub async fn end_all_sessions(pool: &SqlitePool, account: Uuid) -> Result<(), AppError> {
    sqlx::query("UPDATE accounts SET session_epoch = session_epoch + 1 WHERE id = ?")
        .bind(account.to_string())
        .execute(pool)
        .await?;
    Ok(())
}

/// Role of a new account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Manager,
    Practitioner,
    Parent,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Manager => "manager",
            Self::Practitioner => "practitioner",
            Self::Parent => "parent",
        }
    }
}

/// A new account to invite.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewAccount {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub staff: Option<Uuid>,
    pub rooms: Vec<Uuid>,
    pub children: Vec<Uuid>,
}

/// Checks an email address well enough to catch typing slips.
pub fn check_email(email: &str) -> Result<String, AppError> {
    let email = email.trim();
    let (local, domain) = email.split_once('@').unwrap_or(("", ""));
    if local.is_empty()
        || !domain.contains('.')
        || email.chars().count() > MAX_EMAIL_CHARS
        || email.contains(char::is_whitespace)
    {
        return Err(AppError::invalid(
            "email",
            format!("\"{email}\" is not an email address; check it reads like name@example.org"),
        ));
    }
    Ok(email.to_owned())
}

/// Checks a person's name.
pub fn check_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::invalid(
            "name",
            format!("give a name of 1 to {MAX_NAME_CHARS} characters"),
        ));
    }
    Ok(name.to_owned())
}

/// Creates an account in `setting` with no password and an invitation link's token.
pub async fn invite(
    pool: &SqlitePool,
    setting: Uuid,
    by: Option<Uuid>,
    account: NewAccount,
    now: DateTime<Utc>,
) -> Result<(Uuid, String), AppError> {
    let email = check_email(&account.email)?;
    let name = check_name(&account.name)?;
    let mut tx = pool.begin().await?;
    let taken: Option<(String,)> = sqlx::query_as("SELECT id FROM accounts WHERE email = ?")
        .bind(&email)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(AppError::conflict(format!(
            "{email} already has an account; send a password-reset link instead"
        )));
    }
    for room in &account.rooms {
        require_in_setting(&mut tx, "rooms", *room, setting, "room").await?;
    }
    for child in &account.children {
        require_in_setting(&mut tx, "children", *child, setting, "child").await?;
    }
    if let Some(staff) = account.staff {
        require_in_setting(&mut tx, "staff", staff, setting, "staff member").await?;
    }
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO accounts (id, setting_id, email, name, role, staff_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(setting.to_string())
    .bind(&email)
    .bind(&name)
    .bind(account.role.as_str())
    .bind(account.staff.map(|staff| staff.to_string()))
    .bind(format_instant(now))
    .execute(&mut *tx)
    .await?;
    for room in &account.rooms {
        sqlx::query("INSERT INTO account_rooms VALUES (?, ?)")
            .bind(id.to_string())
            .bind(room.to_string())
            .execute(&mut *tx)
            .await?;
    }
    for child in &account.children {
        sqlx::query("INSERT INTO account_children VALUES (?, ?)")
            .bind(id.to_string())
            .bind(child.to_string())
            .execute(&mut *tx)
            .await?;
    }
    let token = insert_link(&mut tx, "invite", Some(id), by, now + INVITE_VALID, now).await?;
    tx.commit().await?;
    Ok((id, token))
}

async fn require_in_setting(
    conn: &mut SqliteConnection,
    table: &'static str,
    id: Uuid,
    setting: Uuid,
    what: &str,
) -> Result<(), AppError> {
    let sql = format!("SELECT 1 FROM {table} WHERE id = ? AND setting_id = ?");
    let found: Option<(i64,)> = sqlx::query_as(&sql)
        .bind(id.to_string())
        .bind(setting.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    found
        .map(|_| ())
        .ok_or_else(|| AppError::not_found(format!("The {what} {id}")))
}

async fn insert_link(
    conn: &mut SqliteConnection,
    purpose: &str,
    account: Option<Uuid>,
    by: Option<Uuid>,
    expires: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let token = new_token();
    sqlx::query(
        "INSERT INTO account_links (token_hash, purpose, account_id, created_by, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(token_hash(&token))
    .bind(purpose)
    .bind(account.map(|id| id.to_string()))
    .bind(by.map(|id| id.to_string()))
    .bind(format_instant(now))
    .bind(format_instant(expires))
    .execute(&mut *conn)
    .await?;
    Ok(token)
}

/// Makes a password-reset link for an account of `setting`.
pub async fn reset_link(
    pool: &SqlitePool,
    setting: Uuid,
    account: Uuid,
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let mut conn = pool.acquire().await?;
    require_in_setting(&mut conn, "accounts", account, setting, "account").await?;
    insert_link(
        &mut conn,
        "reset",
        Some(account),
        Some(by),
        now + RESET_VALID,
        now,
    )
    .await
}

/// Makes the first manager's set-up link when no account exists yet.
pub async fn setup_link_if_needed(
    pool: &SqlitePool,
    now: DateTime<Utc>,
) -> Result<Option<String>, AppError> {
    let (accounts,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM accounts")
        .fetch_one(pool)
        .await?;
    if accounts > 0 {
        return Ok(None);
    }
    let mut conn = pool.acquire().await?;
    insert_link(&mut conn, "setup", None, None, now + INVITE_VALID, now)
        .await
        .map(Some)
}

/// A one-time link's purpose and account, as its page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkInfo {
    pub purpose: String,
    /// The account's email; empty for the set-up link.
    pub email: String,
    pub name: String,
    /// Whether the set-up must also name the setting (the database has none yet).
    pub needs_setting: bool,
}

/// Reads a link that is unused and unexpired.
pub async fn read_link(
    pool: &SqlitePool,
    token: &str,
    now: DateTime<Utc>,
) -> Result<LinkInfo, AppError> {
    let row: Option<(String, Option<String>, String, Option<String>)> = sqlx::query_as(
        "SELECT purpose, account_id, expires_at, used_at FROM account_links WHERE token_hash = ?",
    )
    .bind(token_hash(token))
    .fetch_optional(pool)
    .await?;
    let gone = || {
        AppError::not_found(
            "This link (it may have been used already or expired; ask the manager for a new one)",
        )
    };
    let (purpose, account, expires, used) = row.ok_or_else(gone)?;
    if used.is_some() || parse_instant(&expires)? <= now {
        return Err(gone());
    }
    let (email, name) = match &account {
        Some(account) => {
            sqlx::query_as::<_, (String, String)>("SELECT email, name FROM accounts WHERE id = ?")
                .bind(account)
                .fetch_one(pool)
                .await?
        }
        None => (String::new(), String::new()),
    };
    let (settings,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM settings")
        .fetch_one(pool)
        .await?;
    Ok(LinkInfo {
        purpose,
        email,
        name,
        needs_setting: settings == 0,
    })
}

/// The details the first manager enters on the set-up page.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SetupDetails {
    pub setting_name: String,
    pub name: String,
    pub email: String,
}

/// Uses a link: sets the account's password (creating the first manager for a set-up link)
/// and returns the account, signed in.
pub async fn use_link(
    pool: &SqlitePool,
    token: &str,
    password: &str,
    setup: SetupDetails,
    now: DateTime<Utc>,
) -> Result<(SignedIn, &'static str), AppError> {
    check_new_password(password)?;
    let info = read_link(pool, token, now).await?;
    let owned = password.to_owned();
    let hash = tokio_blocking(move || hash_secret(&owned)).await??;
    let mut tx = pool.begin().await?;
    // Marks the link used first, so two submissions cannot both succeed.
    let used = sqlx::query(
        "UPDATE account_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
    )
    .bind(format_instant(now))
    .bind(token_hash(token))
    .execute(&mut *tx)
    .await?;
    if used.rows_affected() != 1 {
        return Err(AppError::not_found("This link (it was used a moment ago)"));
    }
    let (purpose, account): (String, Option<String>) =
        sqlx::query_as("SELECT purpose, account_id FROM account_links WHERE token_hash = ?")
            .bind(token_hash(token))
            .fetch_one(&mut *tx)
            .await?;
    let account = match account {
        Some(account) => parse_id(&account)?,
        None => create_first_manager(&mut tx, &setup, info.needs_setting, now).await?,
    };
    sqlx::query(
        "UPDATE accounts SET password_hash = ?, session_epoch = session_epoch + 1 WHERE id = ?",
    )
    .bind(&hash)
    .bind(account.to_string())
    .execute(&mut *tx)
    .await?;
    let (setting, name, role, epoch): (String, String, String, i64) =
        sqlx::query_as("SELECT setting_id, name, role, session_epoch FROM accounts WHERE id = ?")
            .bind(account.to_string())
            .fetch_one(&mut *tx)
            .await?;
    tx.commit().await?;
    let action = match purpose.as_str() {
        "reset" => "password_reset",
        "setup" => "first_manager_created",
        _ => "invitation_accepted",
    };
    Ok((
        SignedIn {
            account,
            setting: parse_id(&setting)?,
            epoch,
            label: format!("{role} {name}"),
            role,
        },
        action,
    ))
}

async fn create_first_manager(
    conn: &mut SqliteConnection,
    setup: &SetupDetails,
    needs_setting: bool,
    now: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    let email = check_email(&setup.email)?;
    let name = check_name(&setup.name)?;
    let setting = if needs_setting {
        let setting_name = setup.setting_name.trim();
        if setting_name.is_empty() || setting_name.chars().count() > MAX_NAME_CHARS {
            return Err(AppError::invalid(
                "setting_name",
                "give the nursery's name, as parents know it",
            ));
        }
        let id = Uuid::now_v7();
        sqlx::query("INSERT INTO settings (id, name, created_at) VALUES (?, ?, ?)")
            .bind(id.to_string())
            .bind(setting_name)
            .bind(format_instant(now))
            .execute(&mut *conn)
            .await?;
        id
    } else {
        let (id,): (String,) =
            sqlx::query_as("SELECT id FROM settings ORDER BY created_at, id LIMIT 1")
                .fetch_one(&mut *conn)
                .await?;
        parse_id(&id)?
    };
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO accounts (id, setting_id, email, name, role, created_at)
         VALUES (?, ?, ?, ?, 'manager', ?)",
    )
    .bind(id.to_string())
    .bind(setting.to_string())
    .bind(&email)
    .bind(&name)
    .bind(format_instant(now))
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Creates an account with a password straight away, for the demo setting.
pub async fn create_account_with_password(
    pool: &SqlitePool,
    setting: Uuid,
    account: NewAccount,
    password: &str,
    now: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    let (id, token) = invite(pool, setting, None, account, now).await?;
    use_link(pool, &token, password, SetupDetails::default(), now).await?;
    Ok(id)
}

/// Lists the accounts of `setting`.
pub async fn list_accounts(pool: &SqlitePool, setting: Uuid) -> Result<Vec<AccountRow>, AppError> {
    #[derive(sqlx::FromRow)]
    struct ListDbRow {
        id: String,
        name: String,
        email: String,
        role: String,
        active: bool,
        rooms: Option<String>,
        children: Option<String>,
    }
    let rows: Vec<ListDbRow> = sqlx::query_as(
        "SELECT a.id, a.name, a.email, a.role, a.password_hash IS NOT NULL AS active,
                    (SELECT group_concat(r.name, ', ') FROM account_rooms ar
                       JOIN rooms r ON r.id = ar.room_id WHERE ar.account_id = a.id) AS rooms,
                    (SELECT group_concat(c.first_name || ' ' || c.last_name, ', ')
                       FROM account_children ac JOIN children c ON c.id = ac.child_id
                      WHERE ac.account_id = a.id) AS children
             FROM accounts a WHERE a.setting_id = ? ORDER BY a.role, a.name",
    )
    .bind(setting.to_string())
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            let ListDbRow {
                id,
                name,
                email,
                role,
                active,
                rooms,
                children,
            } = row;
            let links = rooms
                .or(children)
                .map(|text| text.split(", ").map(str::to_owned).collect())
                .unwrap_or_default();
            Ok(AccountRow {
                id: parse_id(&id)?,
                name,
                email,
                role,
                active,
                links,
            })
        })
        .collect()
}
