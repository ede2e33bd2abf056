//! The bench's setting: one room of 60 children booked Monday to Friday, morning and
//! afternoon, and one staff member. Bench targets cannot import the integration tests'
//! helpers, so this module inserts its own rows in the same SQL style.

use chrono::NaiveDate;
use sqlx::{SqliteConnection, SqlitePool};
use uuid::Uuid;

/// Children on the room's roll, the size of a large pre-school room.
pub const CHILDREN: usize = 60;

const FIRST_NAMES: [&str; 12] = [
    "Ava", "Noah", "Isla", "Leo", "Freya", "Arlo", "Mia", "Oscar", "Rosie", "Theo", "Esme", "Jack",
];
const LAST_NAMES: [&str; 5] = ["Whitfield", "Ellison", "Okafor", "Patel", "Nowak"];

/// Returns every child's start date, before which the app rejects marks. It lies four
/// years before the server's date only so that the HTTP series have enough distinct open
/// weekdays. The app checks a mark's date against the start date, but not the child's age.
pub fn start_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, 9, 5).expect("valid date")
}

/// A child on the roll.
pub struct Child {
    pub id: Uuid,
    pub first_name: &'static str,
    pub last_name: &'static str,
    /// The contact who collects the child. The row exists only after
    /// [`Setting::insert_collectors`].
    pub collector_id: Uuid,
}

/// Ids and names of the seeded records. The same ids go into every database the bench
/// opens, so the same event rows satisfy the foreign keys in each.
pub struct Setting {
    pub setting: Uuid,
    pub room: Uuid,
    /// The room's name, unique within the setting.
    pub room_name: String,
    pub staff: Uuid,
    pub children: Vec<Child>,
}

impl Setting {
    /// Makes new ids for the setting, its room, one staff member and 60 children.
    pub fn new() -> Self {
        Self {
            setting: Uuid::now_v7(),
            room: Uuid::now_v7(),
            room_name: "Pre-school".to_owned(),
            staff: Uuid::now_v7(),
            children: new_children(),
        }
    }

    /// Makes new ids for another room of 60 children in the same setting, named "Pre-school
    /// `number`", with the same staff member. Store it with [`Setting::insert_room`] after
    /// [`Setting::insert`] of `self`. The app builds registers only for its first setting, so
    /// a bench that needs many rooms adds them to one setting.
    pub fn another_room(&self, number: usize) -> Self {
        Self {
            setting: self.setting,
            room: Uuid::now_v7(),
            room_name: format!("Pre-school {number}"),
            staff: self.staff,
            children: new_children(),
        }
    }

    /// Inserts the setting's rows into `pool` in one transaction.
    pub async fn insert(&self, pool: &SqlitePool) -> Result<(), sqlx::Error> {
        let mut tx = pool.begin().await?;
        let setting = self.setting.to_string();
        let room = self.room.to_string();
        let staff = self.staff.to_string();
        sqlx::query(
            "INSERT INTO settings (id, name, created_at)
             VALUES (?, 'Bench Nursery', '2025-01-01T00:00:00Z')",
        )
        .bind(&setting)
        .execute(&mut *tx)
        .await?;

        sqlx::query(
            "INSERT INTO setting_sessions
             VALUES (?, 'am', 'Morning', '08:00', '13:00'), (?, 'pm', 'Afternoon', '13:00', '18:00')",
        )
        .bind(&setting)
        .bind(&setting)
        .execute(&mut *tx)
        .await?;

        self.insert_room_row(&mut tx).await?;

        sqlx::query("INSERT INTO staff VALUES (?, ?, 'Hannah', 'Cole', 'practitioner', ?)")
            .bind(&staff)
            .bind(&setting)
            .bind(&room)
            .execute(&mut *tx)
            .await?;

        self.insert_children(&mut tx).await?;
        tx.commit().await
    }

    /// Inserts only the room, its children and their bookings in one transaction, for a room
    /// made by [`Setting::another_room`] whose setting is already stored.
    pub async fn insert_room(&self, pool: &SqlitePool) -> Result<(), sqlx::Error> {
        let mut tx = pool.begin().await?;
        self.insert_room_row(&mut tx).await?;
        self.insert_children(&mut tx).await?;
        tx.commit().await
    }

    async fn insert_room_row(&self, conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO rooms (id, setting_id, name, min_age_months, max_age_months)
             VALUES (?, ?, ?, 36, 60)",
        )
        .bind(self.room.to_string())
        .bind(self.setting.to_string())
        .bind(&self.room_name)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    async fn insert_children(&self, conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        let setting = self.setting.to_string();
        let room = self.room.to_string();
        let staff = self.staff.to_string();
        for child in &self.children {
            let id = child.id.to_string();
            sqlx::query(
                "INSERT INTO children
                 (id, setting_id, first_name, last_name, date_of_birth, room_id, key_person_id, start_date)
                 VALUES (?, ?, ?, ?, '2019-06-17', ?, ?, ?)",
            )
            .bind(&id)
            .bind(&setting)
            .bind(child.first_name)
            .bind(child.last_name)
            .bind(&room)
            .bind(&staff)
            .bind(start_date().to_string())
            .execute(&mut *conn)
            .await?;

            // Weekdays are 1 (Monday) to 5 (Friday), each with a morning and an afternoon.
            for weekday in 1..=5 {
                sqlx::query("INSERT INTO bookings VALUES (?, ?, 'am'), (?, ?, 'pm')")
                    .bind(&id)
                    .bind(weekday)
                    .bind(&id)
                    .bind(weekday)
                    .execute(&mut *conn)
                    .await?;
            }
        }
        Ok(())
    }

    /// Inserts one contact per child, a parent who may collect, in one transaction.
    /// [`Setting::insert`] leaves contacts out so that the `marks` bench's register page keeps
    /// the size it had when its figures were recorded.
    pub async fn insert_collectors(&self, pool: &SqlitePool) -> Result<(), sqlx::Error> {
        let mut tx = pool.begin().await?;
        for child in &self.children {
            sqlx::query(
                "INSERT INTO contacts (id, child_id, name, relationship, may_collect, position)
                 VALUES (?, ?, ?, 'Parent', 1, 0)",
            )
            .bind(child.collector_id.to_string())
            .bind(child.id.to_string())
            .bind(collector_name(child))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    }
}

/// Inserts `rooms` into `pool`: the first with its setting through [`Setting::insert`], the
/// rest through [`Setting::insert_room`]. Every room must belong to the first room's setting.
pub async fn insert_rooms(rooms: &[Setting], pool: &SqlitePool) -> Result<(), sqlx::Error> {
    let Some((first, rest)) = rooms.split_first() else {
        return Ok(());
    };
    first.insert(pool).await?;
    for room in rest {
        assert_eq!(
            room.setting, first.setting,
            "room {} belongs to another setting; make it with Setting::another_room",
            room.room
        );
        room.insert_room(pool).await?;
    }
    Ok(())
}

/// Makes new ids for the 60 children of a room.
fn new_children() -> Vec<Child> {
    (0..CHILDREN)
        .map(|index| Child {
            id: Uuid::now_v7(),
            first_name: FIRST_NAMES[index % FIRST_NAMES.len()],
            last_name: LAST_NAMES[index / FIRST_NAMES.len()],
            collector_id: Uuid::now_v7(),
        })
        .collect()
}

/// Returns the name of the contact who collects `child`, such as "Sam Whitfield".
pub fn collector_name(child: &Child) -> String {
    format!("Sam {}", child.last_name)
}
