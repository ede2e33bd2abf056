//! The first-day response: who is on the morning call list, and when a missing child needs a
//! home visit.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::sessions::ChildPlan;
use crate::domain::calendar::SettingCalendar;
use crate::domain::events::{ChildDay, Presence};

/// What happened when the setting called a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    /// Someone answered and gave a reason.
    Reached,
    NoAnswer,
    WrongNumber,
}

impl CallOutcome {
    /// Every outcome, in the order a manager sees them.
    pub const ALL: [CallOutcome; 3] = [Self::Reached, Self::NoAnswer, Self::WrongNumber];

    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::Reached => "reached",
            Self::NoAnswer => "no_answer",
            Self::WrongNumber => "wrong_number",
        }
    }

    /// Reads an outcome from its code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|outcome| outcome.code() == code)
    }

    /// Label such as "Reached: reason given".
    pub fn label(self) -> &'static str {
        match self {
            Self::Reached => "Reached: reason given",
            Self::NoAnswer => "No answer",
            Self::WrongNumber => "Wrong number",
        }
    }
}

/// Returns when the child joined today's call list, or `None` when they are not on it: they
/// are on it once their first booked session today that no report covers started
/// `margin_minutes` ago, and they have no mark. `reported` tells whether a parent's report
/// covers a session, by its code.
pub fn call_due(
    calendar: &SettingCalendar,
    plan: &ChildPlan,
    day: Option<&ChildDay>,
    reported: &dyn Fn(&str) -> bool,
    now: DateTime<Utc>,
    margin_minutes: u32,
) -> Option<DateTime<Utc>> {
    let today = calendar.local_date(now);
    if !plan.on_roll(today) || calendar.closed_reason(today).is_some() {
        return None;
    }
    if day.is_some_and(|day| day.presence != Presence::NotMarked) {
        return None;
    }
    let first = calendar
        .sessions
        .iter()
        .filter(|session| plan.booked(today, &session.code) && !reported(&session.code))
        .map(|session| calendar.instant_at(today, session.starts))
        .min()?;
    let due = first + Duration::minutes(margin_minutes.into());
    (now >= due).then_some(due)
}

/// Why a home visit should be arranged, in words, or `None`.
///
/// `calls_today` are today's call outcomes for a child on the call list, oldest first.
/// `unexplained_run` is the number of consecutive booked days, ending today, with absence and
/// no reason given (today included when the child is on the call list).
pub fn home_visit_prompt(
    calls_today: &[CallOutcome],
    unexplained_run: u32,
    run_needed: u32,
    on_call_list: bool,
) -> Option<String> {
    if unexplained_run >= run_needed {
        return Some(format!(
            "Absent with no reason given for {unexplained_run} booked days in a row: \
             arrange a home visit and follow your safeguarding procedure."
        ));
    }
    let tried = !calls_today.is_empty();
    let reached = calls_today.contains(&CallOutcome::Reached);
    (on_call_list && tried && !reached).then(|| {
        "No contact with the family today: arrange a home visit and follow your safeguarding \
         procedure."
            .to_owned()
    })
}

/// Counts consecutive booked days with an unexplained absence, walking back from `today`.
/// `unexplained` answers for one date: `Some(true)` unexplained, `Some(false)` attended or
/// explained, `None` not a booked open day (skipped).
pub fn unexplained_run(
    today: NaiveDate,
    earliest: NaiveDate,
    unexplained: impl Fn(NaiveDate) -> Option<bool>,
) -> u32 {
    let mut run = 0;
    let mut date = today;
    while date >= earliest {
        match unexplained(date) {
            Some(true) => run += 1,
            Some(false) => break,
            None => {}
        }
        date -= Duration::days(1);
    }
    run
}
