//! Local storage on the tablet: its device id and who last marked in a room. Reading or
//! writing storage can fail (private browsing, full storage), and the register then still
//! works without them.

use uuid::Uuid;

#[cfg(feature = "hydrate")]
mod browser {
    use gloo_storage::{LocalStorage, Storage};
    use uuid::Uuid;

    const DEVICE_KEY: &str = "here-today.device-id";

    pub fn device_id() -> String {
        if let Ok(id) = LocalStorage::get::<String>(DEVICE_KEY) {
            return id;
        }
        let id = format!("tablet-{}", Uuid::now_v7());
        let _ = LocalStorage::set(DEVICE_KEY, &id);
        id
    }

    fn staff_key(room: Uuid) -> String {
        format!("here-today.staff.{room}")
    }

    pub fn remembered_staff(room: Uuid) -> Option<Uuid> {
        LocalStorage::get::<Uuid>(staff_key(room)).ok()
    }

    pub fn remember_staff(room: Uuid, staff: Option<Uuid>) {
        match staff {
            Some(staff) => {
                let _ = LocalStorage::set(staff_key(room), staff);
            }
            None => LocalStorage::delete(staff_key(room)),
        }
    }
}

/// Returns this tablet's id, making and storing one on first use.
pub fn device_id() -> String {
    #[cfg(feature = "hydrate")]
    return browser::device_id();
    #[cfg(not(feature = "hydrate"))]
    return "server".to_owned();
}

/// Returns the staff member who last chose their name on this tablet for `room`.
pub fn remembered_staff(room: Uuid) -> Option<Uuid> {
    #[cfg(feature = "hydrate")]
    return browser::remembered_staff(room);
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = room;
        None
    }
}

/// Stores (or clears) who is marking in `room` on this tablet.
pub fn remember_staff(room: Uuid, staff: Option<Uuid>) {
    #[cfg(feature = "hydrate")]
    browser::remember_staff(room, staff);
    #[cfg(not(feature = "hydrate"))]
    let _ = (room, staff);
}
