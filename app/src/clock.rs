//! The server's clock. A configured offset lets a demo or a test run the app as if it were
//! another moment (for example a Wednesday at 09:30) while time still moves on normally.

use chrono::{DateTime, Duration, Utc};

/// Wall clock with a fixed offset from the real one. Provided to server functions as context.
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    offset: Duration,
}

impl Clock {
    /// Builds a clock that reads `pretend` now and moves on in real time from there.
    pub fn starting_at(pretend: DateTime<Utc>) -> Self {
        Self {
            offset: pretend - Utc::now(),
        }
    }

    /// Returns the current instant by this clock.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.offset
    }
}
