//! Demo setting generator: fills an empty database with a realistic nursery, "Willow Tree Day
//! Nursery", with three rooms, staff, about 60 children with bookings and contacts, closures
//! and attendance history from the start of the autumn term to yesterday. Today is left
//! unmarked. Apart from the setting's `created_at`, the rows depend only on the seed and the
//! setting's local date. A few children with fixed names follow planted attendance patterns,
//! listed in `docs/demo-data.md`.

mod absences;
mod bookings;
mod cases;
mod contacts;
mod history;
mod insert;
mod names;
mod people;
mod planted;
mod staff;
mod term;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use app::domain::calendar::{local_date, DEFAULT_TIME_ZONE};

use history::{build_history, PlannedEvent};
use people::{build_people, new_id, People};
use term::DemoTerm;

pub use people::RoomKind;
pub use planted::{Pattern, PlantedChild, PLANTED_CHILDREN};
pub use term::{window_of, Window};

/// Default seed for the demo setting.
pub const DEFAULT_SEED: u64 = 42;

const SETTING_NAME: &str = "Willow Tree Day Nursery";

/// Summary of a created demo setting: its id and the number of rooms, children and events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub setting_id: Uuid,
    pub rooms: usize,
    pub children: usize,
    /// Attendance events stored, corrections included.
    pub events: usize,
}

/// Error from creating the demo setting.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The database already contains a setting, and the demo only fills an empty database.
    #[error(
        "the database already contains a setting, so no demo setting was created; \
         use a new, empty database file for the demo"
    )]
    NotEmpty,
    #[error("failed to create the demo setting: {0}")]
    Database(#[from] sqlx::Error),
    #[error("failed to create the demo accounts: {0}")]
    Accounts(String),
}

/// Everything the generator will insert, built before the database is touched.
struct DemoPlan {
    setting_id: Uuid,
    term: DemoTerm,
    people: People,
    /// Ids for `term.calendar.closures`, in the same order.
    closure_ids: Vec<Uuid>,
    events: Vec<PlannedEvent>,
}

impl DemoPlan {
    fn build(seed: u64, now: DateTime<Utc>) -> Self {
        let term = DemoTerm::new(local_date(DEFAULT_TIME_ZONE, now));
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let setting_id = new_id(&mut rng);
        let people = build_people(&mut rng, &term);
        let closure_ids = term
            .calendar
            .closures
            .iter()
            .map(|_| new_id(&mut rng))
            .collect();
        // The history draws from its own stream, so changing it leaves the people unchanged.
        let mut history_rng = ChaCha8Rng::seed_from_u64(seed);
        history_rng.set_stream(1);
        let events = build_history(&mut history_rng, &term, &people.children);
        Self {
            setting_id,
            term,
            people,
            closure_ids,
            events,
        }
    }

    fn summary(&self) -> DemoSummary {
        DemoSummary {
            setting_id: self.setting_id,
            rooms: self.people.rooms.len(),
            children: self.people.children.len(),
            events: self.events.len(),
        }
    }
}

/// Creates the demo setting in one transaction, with history up to the day before `now` in
/// the setting's time zone (Europe/London). The same `seed` and local date give the same rows,
/// ids included, apart from `settings.created_at`, which is `now`.
///
/// Returns [`DemoError::NotEmpty`] and changes nothing when the database already contains a
/// setting.
pub async fn create_demo_setting(
    pool: &sqlx::SqlitePool,
    seed: u64,
    now: DateTime<Utc>,
) -> Result<DemoSummary, DemoError> {
    let started = std::time::Instant::now();
    let plan = DemoPlan::build(seed, now);
    // BEGIN IMMEDIATE takes the write lock before the emptiness check, so no other writer
    // can add a setting between the check and the inserts.
    let mut transaction = pool.begin_with("BEGIN IMMEDIATE").await?;
    let (settings,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM settings")
        .fetch_one(&mut *transaction)
        .await?;
    if settings > 0 {
        return Err(DemoError::NotEmpty);
    }
    insert::insert_plan(&mut transaction, &plan, now).await?;
    cases::insert_cases(&mut transaction, plan.setting_id, plan.term.today, now).await?;
    // The demo's figures count from the first day of its history.
    sqlx::query("UPDATE settings SET register_start = ? WHERE id = ?")
        .bind(plan.term.history_start.to_string())
        .bind(plan.setting_id.to_string())
        .execute(&mut *transaction)
        .await?;
    transaction.commit().await?;
    let summary = plan.summary();
    create_demo_accounts(pool, summary.setting_id, now).await?;

    tracing::info!(
        setting = %summary.setting_id,
        seed,
        rooms = summary.rooms,
        children = summary.children,
        events = summary.events,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "created the demo setting"
    );
    Ok(summary)
}

/// Password of every demo account.
pub const DEMO_PASSWORD: &str = "demo-password";
/// PIN of every demo staff member on room tablets.
pub const DEMO_PIN: &str = "1234";

/// Adds one account for each role: the manager, a practitioner for each room, and two
/// parents of children in different rooms; and gives every staff member the demo PIN.
async fn create_demo_accounts(
    pool: &sqlx::SqlitePool,
    setting: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DemoError> {
    use app::store::accounts::{create_account_with_password, NewAccount, Role};
    let fail = |error: app::error::AppError| DemoError::Accounts(error.to_string());
    let staff: Vec<(String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, first_name, last_name, role, room_id FROM staff
         WHERE setting_id = ? ORDER BY first_name, last_name",
    )
    .bind(setting.to_string())
    .fetch_all(pool)
    .await?;
    let rooms: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM rooms WHERE setting_id = ? ORDER BY position, name")
            .bind(setting.to_string())
            .fetch_all(pool)
            .await?;
    let id = |text: &str| Uuid::parse_str(text).map_err(|e| DemoError::Accounts(e.to_string()));
    let mut accounts = Vec::new();
    if let Some((staff_id, first, last, _, _)) = staff.iter().find(|s| s.3 == "manager") {
        accounts.push(NewAccount {
            email: "manager@example.org".into(),
            name: format!("{first} {last}"),
            role: Role::Manager,
            staff: Some(id(staff_id)?),
            rooms: Vec::new(),
            children: Vec::new(),
        });
    }
    for (room_id, room_name) in &rooms {
        let worker = staff.iter().find(|s| {
            s.4.as_deref() == Some(room_id.as_str())
                && (s.3 == "practitioner" || s.3 == "room_leader")
        });
        if let Some((staff_id, first, last, _, _)) = worker {
            let slug: String = room_name
                .to_lowercase()
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            accounts.push(NewAccount {
                email: format!("{slug}@example.org"),
                name: format!("{first} {last}"),
                role: Role::Practitioner,
                staff: Some(id(staff_id)?),
                rooms: vec![id(room_id)?],
                children: Vec::new(),
            });
        }
    }
    for (number, (room_id, _)) in rooms.iter().take(2).enumerate() {
        let child: Option<(String, String)> = sqlx::query_as(
            "SELECT c.id, COALESCE((SELECT name FROM contacts WHERE child_id = c.id
                                    ORDER BY position LIMIT 1), 'Parent')
             FROM children c WHERE c.room_id = ? AND c.leaving_date IS NULL
             ORDER BY c.first_name, c.last_name LIMIT 1",
        )
        .bind(room_id)
        .fetch_optional(pool)
        .await?;
        if let Some((child_id, contact)) = child {
            let email = if number == 0 {
                "parent@example.org".to_owned()
            } else {
                format!("parent{}@example.org", number + 1)
            };
            accounts.push(NewAccount {
                email,
                name: contact,
                role: Role::Parent,
                staff: None,
                rooms: Vec::new(),
                children: vec![id(&child_id)?],
            });
        }
    }
    for account in accounts {
        create_account_with_password(pool, setting, account, DEMO_PASSWORD, now)
            .await
            .map_err(fail)?;
    }
    for (staff_id, ..) in &staff {
        app::store::devices::set_pin(pool, id(staff_id)?, DEMO_PIN, now)
            .await
            .map_err(fail)?;
    }
    Ok(())
}
