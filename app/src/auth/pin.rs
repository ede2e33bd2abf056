//! Practitioners' 4-digit PINs on a shared room tablet. The tablet checks a PIN against the
//! Argon2id hash the server sent with the register, so it works offline, and locks a name
//! after repeated wrong PINs.

use argon2::password_hash::PasswordHash;
use argon2::{Argon2, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Digits in a PIN.
pub const PIN_DIGITS: usize = 4;
/// Wrong PINs allowed in a row before a name is locked.
pub const FREE_ATTEMPTS: u32 = 5;

/// Checks that `pin` is exactly four digits, saying what to change.
pub fn check_pin_format(pin: &str) -> Result<(), String> {
    if pin.len() == PIN_DIGITS && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!("a PIN is {PIN_DIGITS} digits, such as 4821"))
    }
}

/// Returns whether `pin` matches the Argon2id PHC string `hash`.
pub fn pin_matches(pin: &str, hash: &str) -> bool {
    check_pin_format(pin).is_ok()
        && PasswordHash::new(hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(pin.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
}

/// Wrong PINs for one name on one tablet, kept in local storage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinGuard {
    pub failures: u32,
    pub locked_until: Option<DateTime<Utc>>,
}

impl PinGuard {
    /// Returns how long the name stays locked at `now`, if it is locked.
    pub fn locked_for(&self, now: DateTime<Utc>) -> Option<Duration> {
        self.locked_until
            .filter(|until| *until > now)
            .map(|until| until - now)
    }

    /// Records a wrong PIN at `now`. From the fifth in a row, each locks the name for longer:
    /// 1, 2, 4, 8 then 15 minutes.
    pub fn failed(&mut self, now: DateTime<Utc>) {
        self.failures += 1;
        if self.failures >= FREE_ATTEMPTS {
            let doublings = (self.failures - FREE_ATTEMPTS).min(4);
            let minutes = (1i64 << doublings).min(15);
            self.locked_until = Some(now + Duration::minutes(minutes));
        }
    }

    /// Clears the count after a right PIN.
    pub fn succeeded(&mut self) {
        *self = Self::default();
    }
}

/// Words for a lock, such as "Too many wrong PINs. Try again in 2 minutes."
pub fn lock_words(left: Duration) -> String {
    let minutes = (left.num_seconds() + 59) / 60;
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    format!("Too many wrong PINs for this name. Try again in {minutes} {unit}.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn only_four_digits_are_a_pin() {
        assert!(check_pin_format("0420").is_ok());
        for bad in ["042", "04201", "04a0", "", "٤٤٤٤"] {
            assert!(check_pin_format(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn wrong_pins_lock_longer() {
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap();
        let mut guard = PinGuard::default();
        for _ in 0..4 {
            guard.failed(now);
            assert_eq!(guard.locked_for(now), None);
        }
        guard.failed(now);
        assert_eq!(guard.locked_for(now), Some(Duration::minutes(1)));
        guard.failed(now);
        assert_eq!(guard.locked_for(now), Some(Duration::minutes(2)));
        assert_eq!(guard.locked_for(now + Duration::minutes(3)), None);
        guard.succeeded();
        assert_eq!(guard, PinGuard::default());
        assert_eq!(
            lock_words(Duration::seconds(61)),
            "Too many wrong PINs for this name. Try again in 2 minutes."
        );
    }
}
