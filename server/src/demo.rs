//! Demo setting generator: fills an empty database with a realistic nursery, "Willow Tree Day
//! Nursery", with three rooms, staff, about 60 children with bookings and contacts, closures
//! and attendance history from the start of the autumn term to yesterday. Today is left
//! unmarked. Apart from the setting's `created_at`, the rows depend only on the seed and the
//! setting's local date. A few children with fixed names follow planted attendance patterns,
//! listed in `docs/demo-data.md`.

mod absences;
mod bookings;
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
    transaction.commit().await?;

    let summary = plan.summary();
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
