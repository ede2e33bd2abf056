//! Absences that parents and carers report in advance: which days and sessions a report
//! covers, and the checks a new report must pass before it is stored.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::attendance::sessions::{ChildPlan, Outcome, SessionRecord};
use super::calendar::{ClosedReason, SettingCalendar};
use super::reasons::AbsenceReason;

/// Maximum length of a parent's note on a report, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

/// The reasons a parent may choose, in the order they see them. "Setting closed" and "not
/// yet known" are for staff; a holiday is the setting's to agree, so a parent's report of one
/// is stored as not yet agreed.
pub const PARENT_REASONS: [AbsenceReason; 6] = [
    AbsenceReason::Illness,
    AbsenceReason::MedicalAppointment,
    AbsenceReason::HolidayNotAgreed,
    AbsenceReason::ReligiousObservance,
    AbsenceReason::FamilyEmergency,
    AbsenceReason::Other,
];

/// Returns the label shown to parents for a reason: "Holiday" rather than "Holiday (not
/// agreed)".
pub fn parent_reason_label(reason: AbsenceReason) -> &'static str {
    match reason {
        AbsenceReason::HolidayAgreed | AbsenceReason::HolidayNotAgreed => "Holiday",
        other => other.label(),
    }
}

/// A stored report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbsenceReport {
    /// Made by the parent's phone, so a report sent twice is stored once.
    pub id: Uuid,
    pub child: Uuid,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// Session codes the report covers; empty means every booked session.
    pub sessions: Vec<String>,
    pub reason: AbsenceReason,
    pub note: Option<String>,
    pub reported_at: DateTime<Utc>,
    pub withdrawn: bool,
}

impl AbsenceReport {
    /// Returns true when the report, not withdrawn, covers `session` on `date`.
    pub fn covers(&self, date: NaiveDate, session: &str) -> bool {
        !self.withdrawn
            && self.first_day <= date
            && date <= self.last_day
            && (self.sessions.is_empty() || self.sessions.iter().any(|code| code == session))
    }

    /// Returns true when the report covers every session the child is booked for on `date`,
    /// and at least one.
    pub fn covers_booked_day(
        &self,
        plan: &ChildPlan,
        calendar: &SettingCalendar,
        date: NaiveDate,
    ) -> bool {
        day_covered(&[self], plan, calendar, date)
    }
}

/// A report as the parent's phone sends it, before any checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRequest {
    pub id: Uuid,
    pub child: Uuid,
    /// The first day, `YYYY-MM-DD`.
    pub first_day: String,
    /// The last day, `YYYY-MM-DD`; empty for a single day.
    #[serde(default)]
    pub last_day: String,
    /// Session codes separated by commas; empty for every booked session.
    #[serde(default)]
    pub sessions: String,
    /// A reason code from [`PARENT_REASONS`], such as `illness`.
    pub reason: String,
    #[serde(default)]
    pub note: String,
}

/// What a new report is checked against.
#[derive(Debug, Clone, Copy)]
pub struct ReportFacts<'a> {
    pub calendar: &'a SettingCalendar,
    pub plan: &'a ChildPlan,
    pub first_name: &'a str,
    /// The setting's local date now.
    pub today: NaiveDate,
    /// How many days ahead a report may reach.
    pub days_ahead: u32,
    /// True when the child already has a mark in today's register.
    pub marked_today: bool,
    /// The child's other reports, withdrawn ones included.
    pub existing: &'a [AbsenceReport],
}

/// A report that passed every check, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedReport {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub sessions: Vec<String>,
    pub reason: AbsenceReason,
    pub note: Option<String>,
    /// Open days in the range on which the child is booked for a reported session.
    pub days: Vec<NaiveDate>,
}

/// A refused report: the field at fault and what to do, in words for a parent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub field: &'static str,
    pub message: String,
}

fn refuse(field: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        field,
        message: message.into(),
    }
}

/// Formats a date for a parent, such as "Friday 4 December 2026".
pub fn day_words(date: NaiveDate) -> String {
    date.format("%A %-d %B %Y").to_string()
}

fn parse_day(field: &'static str, text: &str) -> Result<NaiveDate, Refusal> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        refuse(
            field,
            format!("\"{text}\" is not a date; choose a day from the calendar"),
        )
    })
}

/// Checks a new report. A report must start today or later, end on or after its start, reach
/// no further than the setting allows, fall while the child is on roll, cover at least one
/// booked session on an open day, and not overlap a report already made.
pub fn check_report(
    request: &ReportRequest,
    facts: ReportFacts<'_>,
) -> Result<CheckedReport, Refusal> {
    let reason = check_reason(&request.reason)?;
    let first_day = parse_day("first_day", &request.first_day)?;
    let last_day = if request.last_day.trim().is_empty() {
        first_day
    } else {
        parse_day("last_day", &request.last_day)?
    };
    check_dates(first_day, last_day, facts)?;
    let sessions = check_sessions(&request.sessions, facts.calendar)?;
    let note = check_note(&request.note)?;
    let days = covered_days(first_day, last_day, &sessions, facts)?;
    check_overlap(&days, &sessions, facts)?;
    if facts.marked_today && days.first() == Some(&facts.today) {
        return Err(refuse(
            "first_day",
            format!(
                "{} is already on today's register; start the report tomorrow, or phone the setting about today",
                facts.first_name
            ),
        ));
    }
    Ok(CheckedReport {
        first_day,
        last_day,
        sessions,
        reason,
        note,
        days,
    })
}

fn check_reason(code: &str) -> Result<AbsenceReason, Refusal> {
    AbsenceReason::from_code(code.trim())
        .filter(|reason| PARENT_REASONS.contains(reason))
        .ok_or_else(|| {
            refuse(
                "reason",
                format!(
                    "\"{}\" is not one of the reasons; choose one from the list",
                    code.trim()
                ),
            )
        })
}

fn check_dates(
    first_day: NaiveDate,
    last_day: NaiveDate,
    facts: ReportFacts<'_>,
) -> Result<(), Refusal> {
    if first_day < facts.today {
        return Err(refuse(
            "first_day",
            format!(
                "{} has passed; report today or a later day, and speak to the setting about earlier days",
                day_words(first_day)
            ),
        ));
    }
    if last_day < first_day {
        return Err(refuse(
            "last_day",
            format!(
                "{} is before the first day, {}; choose a last day on or after the first",
                day_words(last_day),
                day_words(first_day)
            ),
        ));
    }
    let furthest = facts.today + Duration::days(facts.days_ahead.into());
    if last_day > furthest {
        return Err(refuse(
            "last_day",
            format!(
                "{} is more than {} days ahead; report days up to {}, and the rest nearer the time",
                day_words(last_day),
                facts.days_ahead,
                day_words(furthest)
            ),
        ));
    }
    if last_day < facts.plan.start {
        return Err(refuse(
            "first_day",
            format!(
                "{} starts on {}; report days from then",
                facts.first_name,
                day_words(facts.plan.start)
            ),
        ));
    }
    if let Some(leaving) = facts.plan.leaving.filter(|leaving| first_day > *leaving) {
        return Err(refuse(
            "first_day",
            format!("{}'s last day is {}", facts.first_name, day_words(leaving)),
        ));
    }
    Ok(())
}

fn check_sessions(text: &str, calendar: &SettingCalendar) -> Result<Vec<String>, Refusal> {
    let mut codes: Vec<String> = Vec::new();
    for code in text
        .split(',')
        .map(str::trim)
        .filter(|code| !code.is_empty())
    {
        if calendar.session(code).is_none() {
            let known: Vec<&str> = calendar.sessions.iter().map(|s| s.code.as_str()).collect();
            return Err(refuse(
                "sessions",
                format!(
                    "\"{code}\" is not a session here; choose from {}",
                    known.join(", ")
                ),
            ));
        }
        if !codes.iter().any(|known| known == code) {
            codes.push(code.to_owned());
        }
    }
    // Choosing every session is the same as the whole day.
    if codes.len() == calendar.sessions.len() {
        codes.clear();
    }
    Ok(codes)
}

fn check_note(text: &str) -> Result<Option<String>, Refusal> {
    let note = text.trim();
    let length = note.chars().count();
    if length > MAX_NOTE_CHARS {
        return Err(refuse(
            "note",
            format!("is {length} characters long; shorten it to {MAX_NOTE_CHARS} or fewer"),
        ));
    }
    Ok((!note.is_empty()).then(|| note.to_owned()))
}

/// Lists the days a report would cover, or says why it covers none.
fn covered_days(
    first_day: NaiveDate,
    last_day: NaiveDate,
    sessions: &[String],
    facts: ReportFacts<'_>,
) -> Result<Vec<NaiveDate>, Refusal> {
    let mut days = Vec::new();
    let mut date = first_day;
    while date <= last_day {
        let booked = facts.calendar.sessions.iter().any(|session| {
            facts.plan.booked(date, &session.code)
                && (sessions.is_empty() || sessions.contains(&session.code))
        });
        if booked && facts.plan.on_roll(date) && facts.calendar.closed_reason(date).is_none() {
            days.push(date);
        }
        date += Duration::days(1);
    }
    if !days.is_empty() {
        return Ok(days);
    }
    let why = if first_day == last_day {
        match facts.calendar.closed_reason(first_day) {
            Some(ClosedReason::NotAnOpeningDay) => {
                format!("the setting does not open on {}s", first_day.format("%A"))
            }
            Some(ClosedReason::BankHoliday(name) | ClosedReason::Closure(name)) => {
                format!("the setting is closed on {} ({name})", day_words(first_day))
            }
            None => format!(
                "{} is not booked for {} on {}",
                facts.first_name,
                if sessions.is_empty() {
                    "any session"
                } else {
                    "that session"
                },
                day_words(first_day)
            ),
        }
    } else {
        format!(
            "{} has no booked sessions from {} to {} while the setting is open",
            facts.first_name,
            day_words(first_day),
            day_words(last_day)
        )
    };
    Err(refuse(
        "first_day",
        format!("{why}, so there is nothing to report"),
    ))
}

fn check_overlap(
    days: &[NaiveDate],
    sessions: &[String],
    facts: ReportFacts<'_>,
) -> Result<(), Refusal> {
    for date in days {
        for session in &facts.calendar.sessions {
            let chosen = sessions.is_empty() || sessions.contains(&session.code);
            if !chosen || !facts.plan.booked(*date, &session.code) {
                continue;
            }
            if let Some(earlier) = facts
                .existing
                .iter()
                .find(|r| r.covers(*date, &session.code))
            {
                return Err(refuse(
                    "first_day",
                    format!(
                        "{} is already reported away on {} ({}); withdraw that report first to change it",
                        facts.first_name,
                        day_words(*date),
                        parent_reason_label(earlier.reason)
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Returns true when a parent may still withdraw the report: it has not been withdrawn and
/// its first day is after `today`.
pub fn may_withdraw(report: &AbsenceReport, today: NaiveDate) -> bool {
    !report.withdrawn && report.first_day > today
}

/// Describes the report's days, such as "Friday 4 December 2026" or "Monday 7 December 2026
/// to Wednesday 9 December 2026".
pub fn range_words(first_day: NaiveDate, last_day: NaiveDate) -> String {
    if first_day == last_day {
        day_words(first_day)
    } else {
        format!("{} to {}", day_words(first_day), day_words(last_day))
    }
}

/// Gives a parent's reason to each booked session missed with no mark in the register, when
/// one of `reports` (the child's own) covers it. A mark in the register always wins.
pub fn explain_missed(records: &mut [SessionRecord], reports: &[AbsenceReport]) {
    for record in records.iter_mut() {
        if record.outcome != (Outcome::Missed { reason: None }) || !record.booked {
            continue;
        }
        if let Some(report) = reports
            .iter()
            .find(|r| r.covers(record.date, &record.session))
        {
            record.outcome = Outcome::Missed {
                reason: Some(report.reason),
            };
        }
    }
}

/// Returns true when `reports` between them cover every session the child is booked for on
/// `date`, and there is at least one: a morning report and an afternoon report make a whole day.
pub fn day_covered(
    reports: &[&AbsenceReport],
    plan: &ChildPlan,
    calendar: &SettingCalendar,
    date: NaiveDate,
) -> bool {
    let mut booked = calendar
        .sessions
        .iter()
        .filter(|session| plan.booked(date, &session.code))
        .peekable();
    booked.peek().is_some()
        && booked.all(|session| {
            reports
                .iter()
                .any(|report| report.covers(date, &session.code))
        })
}
