//! Chooses which booked days each demo child misses, and why. The number of absences in each
//! window is fixed from the child's pattern, so the planted rates hold for every seed.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use app::domain::reasons::AbsenceReason;

use super::planted::Pattern;
use super::term::{window_of, Window};

/// An absence from a booked day.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PlannedAbsence {
    pub reason: AbsenceReason,
    pub note: Option<&'static str>,
    /// The reason a correction on the next open day gives, for absences first marked
    /// "Not yet known".
    pub corrected_to: Option<AbsenceReason>,
}

/// The booked days of one child and what the planner needs to know about them.
pub(super) struct BookedDays<'a> {
    /// Days the child was on roll and booked while the setting was open, in date order.
    pub days: &'a [NaiveDate],
    /// Every open day of the setting in the history, in date order.
    pub open_days: &'a [NaiveDate],
    pub today: NaiveDate,
}

/// Corrected "Not yet known" absences are older than this many days, and the planted
/// unexplained absences fall within it when the child has enough booked days there, so an
/// open "Not yet known" in the last two weeks is always a planted one.
const CORRECTION_CUTOFF_DAYS: i64 = 14;

/// How many of the child's most recent booked days the planted unexplained absences fall on.
const RECENT_DAYS: usize = 6;

const ILLNESS_NOTES: &[&str] = &[
    "Temperature",
    "Sickness bug",
    "Chickenpox",
    "Hand, foot and mouth",
    "Conjunctivitis",
    "Bad cold",
];
const MEDICAL_NOTES: &[&str] = &[
    "Hospital appointment",
    "Dentist",
    "Hearing test",
    "Health visitor review",
];

/// Plans the absences of one child with `pattern`, keyed by date.
pub(super) fn plan_absences(
    rng: &mut ChaCha8Rng,
    pattern: Pattern,
    unexplained: usize,
    booked: &BookedDays<'_>,
) -> BTreeMap<NaiveDate, PlannedAbsence> {
    let mut absences = BTreeMap::new();
    add_unexplained(rng, unexplained, booked, &mut absences);
    if pattern == Pattern::MondayAbsences {
        add_monday_absences(booked, &mut absences);
    }
    let typical_share = rng.gen_range(0.0..=0.06);
    for window in [Window::Earlier, Window::PriorSixWeeks, Window::LastSixWeeks] {
        let days: Vec<NaiveDate> = booked
            .days
            .iter()
            .copied()
            .filter(|day| window_of(*day, booked.today) == window)
            .collect();
        let share = absence_share(pattern, window, typical_share);
        // Rounding down keeps a typical child at or above 94% attendance in every window.
        let target = (share * days.len() as f64).floor() as usize;
        let already = absences
            .keys()
            .filter(|day| window_of(**day, booked.today) == window)
            .count();
        add_runs(
            rng,
            &days,
            target.saturating_sub(already),
            booked,
            &mut absences,
        );
    }
    absences
}

/// Returns the share of booked days in `window` that a child with `pattern` misses.
fn absence_share(pattern: Pattern, window: Window, typical: f64) -> f64 {
    use Window::{Earlier, LastSixWeeks, PriorSixWeeks};
    match (pattern, window) {
        (Pattern::LowAttendance, _) => 0.6,
        (Pattern::Patchy, _) => 0.17,
        (Pattern::Falling, PriorSixWeeks) => 0.0,
        (Pattern::Falling, LastSixWeeks) => 0.45,
        (Pattern::Improving, PriorSixWeeks) => 0.35,
        (Pattern::Improving, LastSixWeeks) => 0.0,
        (Pattern::MondayAbsences | Pattern::UnexplainedAbsences, LastSixWeeks) => 0.0,
        (Pattern::MondayAbsences, PriorSixWeeks) => 0.0,
        (_, Earlier | PriorSixWeeks | LastSixWeeks) => typical,
    }
}

/// Marks `count` of the child's most recent booked days absent with the reason never given.
/// The days come from the last two weeks when the child has enough booked days there (a
/// closure such as the Christmas break can leave too few), and are spread out where possible.
fn add_unexplained(
    rng: &mut ChaCha8Rng,
    count: usize,
    booked: &BookedDays<'_>,
    absences: &mut BTreeMap<NaiveDate, PlannedAbsence>,
) {
    let recent = &booked.days[booked.days.len().saturating_sub(RECENT_DAYS)..];
    let cutoff = booked.today - Duration::days(CORRECTION_CUTOFF_DAYS);
    let last_two_weeks: Vec<NaiveDate> = recent
        .iter()
        .copied()
        .filter(|day| *day >= cutoff)
        .collect();
    let pool = if last_two_weeks.len() >= count {
        last_two_weeks
    } else {
        recent.to_vec()
    };
    let spaced: Vec<NaiveDate> = pool.iter().rev().step_by(2).copied().collect();
    let candidates = if spaced.len() >= count { spaced } else { pool };
    for day in candidates.choose_multiple(rng, count) {
        let absence = PlannedAbsence {
            reason: AbsenceReason::NotYetKnown,
            note: None,
            corrected_to: None,
        };
        absences.insert(*day, absence);
    }
}

/// Marks every booked Monday in the last six weeks absent except the first.
fn add_monday_absences(
    booked: &BookedDays<'_>,
    absences: &mut BTreeMap<NaiveDate, PlannedAbsence>,
) {
    let mondays = booked.days.iter().filter(|day| {
        day.weekday() == Weekday::Mon && window_of(**day, booked.today) == Window::LastSixWeeks
    });
    for day in mondays.skip(1) {
        let absence = PlannedAbsence {
            reason: AbsenceReason::Illness,
            note: None,
            corrected_to: None,
        };
        absences.entry(*day).or_insert(absence);
    }
}

/// Adds `count` absences among `days` in runs of consecutive booked days, as illnesses and
/// holidays happen.
fn add_runs(
    rng: &mut ChaCha8Rng,
    days: &[NaiveDate],
    count: usize,
    booked: &BookedDays<'_>,
    absences: &mut BTreeMap<NaiveDate, PlannedAbsence>,
) {
    let free = days
        .iter()
        .filter(|day| !absences.contains_key(day))
        .count();
    let mut remaining = count.min(free);
    while remaining > 0 {
        let start = rng.gen_range(0..days.len());
        let (absence, run_length) = random_absence(rng);
        // Only the first day of a run can start as "Not yet known", because by the second
        // day the family has given the reason.
        let first = with_late_reason(rng, absence.clone(), days[start], booked);
        for (offset, day) in days
            .iter()
            .skip(start)
            .take(run_length.min(remaining))
            .enumerate()
        {
            if !absences.contains_key(day) {
                absences.insert(
                    *day,
                    if offset == 0 {
                        first.clone()
                    } else {
                        absence.clone()
                    },
                );
                remaining -= 1;
            }
        }
    }
}

/// Picks a reason and how many booked days in a row it lasts: mostly illness, then medical
/// appointments and agreed holidays, with a few holidays not agreed and family emergencies.
fn random_absence(rng: &mut ChaCha8Rng) -> (PlannedAbsence, usize) {
    let roll = rng.gen_range(0..100);
    let (reason, run_length, notes) = match roll {
        0..=64 => (AbsenceReason::Illness, rng.gen_range(1..=3), ILLNESS_NOTES),
        65..=76 => (AbsenceReason::MedicalAppointment, 1, MEDICAL_NOTES),
        77..=88 => (
            AbsenceReason::HolidayAgreed,
            rng.gen_range(3..=5),
            &["Family holiday"][..],
        ),
        89..=94 => (
            AbsenceReason::HolidayNotAgreed,
            rng.gen_range(1..=3),
            &[][..],
        ),
        _ => (
            AbsenceReason::FamilyEmergency,
            rng.gen_range(1..=2),
            &[][..],
        ),
    };
    let note = if rng.gen_bool(0.4) {
        notes.choose(rng).copied()
    } else {
        None
    };
    (
        PlannedAbsence {
            reason,
            note,
            corrected_to: None,
        },
        run_length,
    )
}

/// Turns about one illness in five into a "Not yet known" absence corrected to illness on
/// the next open day, when that day is more than two weeks ago.
fn with_late_reason(
    rng: &mut ChaCha8Rng,
    absence: PlannedAbsence,
    day: NaiveDate,
    booked: &BookedDays<'_>,
) -> PlannedAbsence {
    let old_enough = day < booked.today - Duration::days(CORRECTION_CUTOFF_DAYS);
    if absence.reason != AbsenceReason::Illness || !old_enough || !rng.gen_bool(0.2) {
        return absence;
    }
    if next_open_day(booked.open_days, day).is_none_or(|next| next >= booked.today) {
        return absence;
    }
    PlannedAbsence {
        reason: AbsenceReason::NotYetKnown,
        note: None,
        corrected_to: Some(AbsenceReason::Illness),
    }
}

/// Returns the first open day after `day`.
pub(super) fn next_open_day(open_days: &[NaiveDate], day: NaiveDate) -> Option<NaiveDate> {
    let index = open_days.partition_point(|open| *open <= day);
    open_days.get(index).copied()
}
