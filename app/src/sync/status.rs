//! The status line about the tablet's marks, always in view: saved, waiting, or the error.

use chrono::{DateTime, Utc};

/// The first retry waits this long after a failed sync, in seconds; each later one doubles.
const FIRST_RETRY_SECONDS: u32 = 2;
/// The maximum pause between retries, in seconds, enforced by [`retry_delay_seconds`].
const MAX_RETRY_SECONDS: u32 = 60;

/// Returns the pause before the next try after `failures` failed syncs in a row.
pub fn retry_delay_seconds(failures: u32) -> u32 {
    let doublings = failures.saturating_sub(1).min(16);
    FIRST_RETRY_SECONDS
        .saturating_mul(1 << doublings)
        .min(MAX_RETRY_SECONDS)
}

/// The state of the tablet's link to the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// No sync has finished since the page opened.
    Starting,
    /// The last sync reached the server.
    Online,
    /// The server could not be reached since `since`.
    Offline { since: DateTime<Utc> },
    /// The server replied with an error: `message` gives the error and what to do.
    Failing { message: String },
    /// The server refuses this tablet (removed by a manager, or not enrolled): `message` says
    /// why and what to do. Nothing is sent until that changes.
    Refused { message: String },
}

/// The look of the status line: calm, waiting, or needing attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Saved,
    Waiting,
    Problem,
}

impl Tone {
    /// Returns the CSS class and data attribute value for this tone.
    pub fn class(self) -> &'static str {
        match self {
            Self::Saved => "saved",
            Self::Waiting => "waiting",
            Self::Problem => "problem",
        }
    }
}

/// Returns "1 mark" or "3 marks".
pub fn marks(count: usize) -> String {
    if count == 1 {
        "1 mark".to_owned()
    } else {
        format!("{count} marks")
    }
}

/// Returns the status line for `pending` unsent marks on `link`; `time_label` formats local
/// times.
pub fn status_line(
    pending: usize,
    link: &Link,
    time_label: impl Fn(DateTime<Utc>) -> String,
) -> (Tone, String) {
    match (pending, link) {
        (0, Link::Refused { message }) => (Tone::Problem, message.clone()),
        (count, Link::Refused { message }) => (
            Tone::Problem,
            format!("{} not sent — {message}", marks(count)),
        ),
        (0, Link::Offline { since }) => (
            Tone::Saved,
            format!("All marks saved. Offline since {}", time_label(*since)),
        ),
        (0, Link::Failing { .. }) | (0, Link::Online) => (Tone::Saved, "All marks saved".into()),
        (0, Link::Starting) => (Tone::Saved, "All marks saved".into()),
        (count, Link::Offline { since }) => (
            Tone::Waiting,
            format!(
                "{} waiting — offline since {}",
                marks(count),
                time_label(*since)
            ),
        ),
        (count, Link::Failing { message }) => (
            Tone::Problem,
            format!(
                "{} waiting — {message}. They are kept on this tablet and sent again automatically",
                marks(count)
            ),
        ),
        (count, Link::Starting | Link::Online) => {
            (Tone::Waiting, format!("Saving {}…", marks(count)))
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn label(instant: DateTime<Utc>) -> String {
        instant.format("%H:%M").to_string()
    }

    #[test]
    fn retries_back_off_to_a_minute() {
        let delays: Vec<u32> = (1..=8).map(retry_delay_seconds).collect();
        assert_eq!(delays, [2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(retry_delay_seconds(0), 2);
        assert_eq!(retry_delay_seconds(u32::MAX), 60);
    }

    #[test]
    fn status_says_what_is_true() {
        let since = Utc.with_ymd_and_hms(2026, 12, 2, 9, 14, 0).unwrap();
        let offline = Link::Offline { since };
        assert_eq!(
            status_line(3, &offline, label),
            (
                Tone::Waiting,
                "3 marks waiting — offline since 09:14".into()
            )
        );
        assert_eq!(status_line(1, &Link::Online, label).1, "Saving 1 mark…");
        assert_eq!(
            status_line(0, &Link::Online, label),
            (Tone::Saved, "All marks saved".into())
        );
        assert_eq!(
            status_line(0, &offline, label).1,
            "All marks saved. Offline since 09:14"
        );
        let failing = Link::Failing {
            message: "the server is busy".into(),
        };
        let (tone, words) = status_line(2, &failing, label);
        assert_eq!(tone, Tone::Problem);
        assert!(words.starts_with("2 marks waiting — the server is busy."));
    }
}
