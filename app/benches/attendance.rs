//! Times the pure attendance rules on synthetic registers: deriving days from events, session
//! records for a school year, and the graduated-response rules for every child.
//!
//! Run with `cargo bench -p app --bench attendance`. Each figure is the median of 5 runs, in
//! milliseconds. Data is generated from fixed seeds, so every run times the same register.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use app::domain::attendance::rules::{suggest, CaseFacts, Evidence, Level, RuleSettings};
use app::domain::attendance::sessions::{session_records, ChildPlan, RecordContext};
use app::domain::calendar::{Closure, SessionTime, SettingCalendar};
use app::domain::events::{derive_day, AttendanceEvent, ChildDay, Collector, EventAction};
use app::domain::reasons::AbsenceReason;
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc, Weekday};
use uuid::Uuid;

const RUNS: usize = 5;

/// Percentage of booked open days on which a child is absent.
const ABSENT_PERCENT: u64 = 8;

/// Percentage of attended days on which a child arrives 20 minutes after the session starts.
const LATE_PERCENT: u64 = 5;

/// A small xorshift generator, so the bench needs no extra dependency.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Returns true with the given percentage chance.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("valid date")
}

fn time(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).expect("valid time")
}

/// Returns the first and last day of the synthetic register: one school year.
fn year() -> (NaiveDate, NaiveDate) {
    (date(2025, 9, 1), date(2026, 8, 31))
}

/// Friday 28 August 2026, the day the rules are evaluated.
fn today() -> NaiveDate {
    date(2026, 8, 28)
}

fn session(code: &str, starts: u32, ends: u32) -> SessionTime {
    SessionTime {
        code: code.to_owned(),
        name: code.to_owned(),
        starts: time(starts, 0),
        ends: time(ends, 0),
    }
}

fn term_break(first_day: NaiveDate, last_day: NaiveDate) -> Closure {
    Closure {
        first_day,
        last_day,
        kind: "term_break".to_owned(),
        name: "Holiday".to_owned(),
    }
}

/// Builds a London setting open Monday to Friday, 08:00 to 13:00 and 13:00 to 18:00, closed for
/// the usual school holidays of 2025-26 and two weeks in August.
fn calendar() -> SettingCalendar {
    SettingCalendar {
        time_zone: chrono_tz::Europe::London,
        open_weekdays: vec![
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ],
        sessions: vec![session("am", 8, 13), session("pm", 13, 18)],
        closures: vec![
            term_break(date(2025, 10, 27), date(2025, 10, 31)),
            term_break(date(2025, 12, 22), date(2026, 1, 2)),
            term_break(date(2026, 2, 16), date(2026, 2, 20)),
            term_break(date(2026, 3, 30), date(2026, 4, 10)),
            term_break(date(2026, 5, 25), date(2026, 5, 29)),
            term_break(date(2026, 8, 3), date(2026, 8, 14)),
        ],
    }
}

/// Returns one of five booking patterns, chosen by `index`: full time, five mornings, three full
/// days, two full days, or four afternoons.
fn bookings(index: usize) -> Vec<(Weekday, String)> {
    use Weekday::{Fri, Mon, Thu, Tue, Wed};
    let (days, codes): (&[Weekday], &[&str]) = match index % 5 {
        0 => (&[Mon, Tue, Wed, Thu, Fri], &["am", "pm"]),
        1 => (&[Mon, Tue, Wed, Thu, Fri], &["am"]),
        2 => (&[Mon, Wed, Fri], &["am", "pm"]),
        3 => (&[Tue, Thu], &["am", "pm"]),
        _ => (&[Mon, Tue, Wed, Thu], &["pm"]),
    };
    days.iter()
        .flat_map(|day| codes.iter().map(|code| (*day, (*code).to_owned())))
        .collect()
}

/// A synthetic child: plan, register events by day, and case facts.
struct Child {
    plan: ChildPlan,
    events: Vec<(NaiveDate, Vec<AttendanceEvent>)>,
    case: CaseFacts,
}

/// Children of one setting with their register for the school year.
struct Setting {
    calendar: SettingCalendar,
    children: Vec<Child>,
}

fn event(
    random: &mut Random,
    child_id: Uuid,
    day: NaiveDate,
    at: DateTime<Utc>,
    action: EventAction,
) -> AttendanceEvent {
    AttendanceEvent {
        id: Uuid::from_u64_pair(random.next(), random.next()),
        child_id,
        date: day,
        occurred_at: at,
        recorded_at: Some(at),
        staff_id: None,
        device_id: None,
        action,
    }
}

/// Returns the events of one booked open day: an absence, or an arrival and a departure.
fn day_events(
    random: &mut Random,
    calendar: &SettingCalendar,
    plan: &ChildPlan,
    child_id: Uuid,
    day: NaiveDate,
) -> Vec<AttendanceEvent> {
    let booked: Vec<&SessionTime> = calendar
        .sessions
        .iter()
        .filter(|session| plan.booked(day, &session.code))
        .collect();
    let (Some(first), Some(last)) = (booked.first(), booked.last()) else {
        return Vec::new();
    };
    let start = calendar.instant_at(day, first.starts);
    if random.chance(ABSENT_PERCENT) {
        let reason = if random.chance(25) {
            AbsenceReason::NotYetKnown
        } else {
            AbsenceReason::Illness
        };
        let absent = EventAction::Absent { reason, note: None };
        return vec![event(random, child_id, day, start, absent)];
    }
    let late_minutes = if random.chance(LATE_PERCENT) { 20 } else { 0 };
    let arrived = start + chrono::Duration::minutes(late_minutes - 5);
    let departed = calendar.instant_at(day, last.ends) - chrono::Duration::minutes(15);
    let collector = Collector {
        contact_id: None,
        name: "Parent".to_owned(),
        on_list: true,
    };
    vec![
        event(random, child_id, day, arrived, EventAction::Arrived),
        event(
            random,
            child_id,
            day,
            departed,
            EventAction::Departed {
                collected_by: collector,
            },
        ),
    ]
}

/// Case facts for child `index`: one in ten at Level 2 since mid-June with a family plan,
/// one in fifty at Level 3, the rest at Level 1.
fn case_facts(index: usize) -> CaseFacts {
    let since = date(2026, 6, 15);
    let level = match index % 50 {
        0 => Level::Targeted,
        1..=5 => Level::EarlyIntervention,
        _ => return CaseFacts::default(),
    };
    CaseFacts {
        level: Some((level, since)),
        rate_at_level_start: None,
        plan_recorded: Some(date(2026, 6, 22)),
    }
}

/// Generates `count` children. One in twenty joins in January and one in twenty leaves at
/// Easter.
fn generate(count: usize, seed: u64) -> Setting {
    let calendar = calendar();
    let mut random = Random(seed | 1);
    let (first, last) = year();
    let children = (0..count)
        .map(|index| {
            let start = if index % 20 == 7 {
                date(2026, 1, 5)
            } else {
                first
            };
            let leaving = (index % 20 == 13).then(|| date(2026, 3, 27));
            let plan = ChildPlan {
                start,
                leaving,
                bookings: bookings(index),
            };
            let child_id = Uuid::from_u64_pair(seed, index as u64);
            let events = first
                .iter_days()
                .take_while(|day| *day <= last)
                .filter(|day| plan.on_roll(*day) && calendar.closed_reason(*day).is_none())
                .map(|day| {
                    (
                        day,
                        day_events(&mut random, &calendar, &plan, child_id, day),
                    )
                })
                .filter(|(_, events)| !events.is_empty())
                .collect();
            Child {
                plan,
                events,
                case: case_facts(index),
            }
        })
        .collect();
    Setting { calendar, children }
}

/// Time spent in each stage, with counts of what each stage produced.
#[derive(Default, Clone, Copy)]
struct Stages {
    derive: Duration,
    records: Duration,
    rules: Duration,
    events: usize,
    sessions: usize,
    suggestions: usize,
}

impl Stages {
    fn add(&mut self, other: Stages) {
        self.derive += other.derive;
        self.records += other.records;
        self.rules += other.rules;
        self.events += other.events;
        self.sessions += other.sessions;
        self.suggestions += other.suggestions;
    }
}

/// Runs the three stages over every child of `setting`.
fn run_setting(setting: &Setting) -> Stages {
    let mut stages = Stages::default();

    let clock = Instant::now();
    let days: Vec<BTreeMap<NaiveDate, ChildDay>> = setting
        .children
        .iter()
        .map(|child| {
            child
                .events
                .iter()
                .map(|(day, events)| (*day, derive_day(events)))
                .collect()
        })
        .collect();
    stages.derive = clock.elapsed();
    stages.events = setting
        .children
        .iter()
        .flat_map(|child| &child.events)
        .map(|(_, events)| events.len())
        .sum();

    let context = RecordContext {
        calendar: &setting.calendar,
        late_after_minutes: 15,
        now: setting.calendar.instant_at(today(), time(19, 0)),
    };
    let (first, last) = year();
    let clock = Instant::now();
    let records: Vec<_> = setting
        .children
        .iter()
        .zip(&days)
        .map(|(child, days)| session_records(context, &child.plan, days, first, last))
        .collect();
    stages.records = clock.elapsed();
    stages.sessions = records.iter().map(Vec::len).sum();

    let settings = RuleSettings::default();
    let clock = Instant::now();
    stages.suggestions = setting
        .children
        .iter()
        .zip(&records)
        .filter_map(|(child, records)| {
            let evidence = Evidence::gather(records, today());
            suggest(&settings, &evidence, &child.case, today())
        })
        .count();
    stages.rules = clock.elapsed();
    stages
}

fn median(mut values: Vec<Duration>) -> f64 {
    values.sort();
    values[values.len() / 2].as_secs_f64() * 1000.0
}

fn report(name: &str, children: usize, runs: &[Stages]) {
    let last = runs[runs.len() - 1];
    let derive = median(runs.iter().map(|run| run.derive).collect());
    let records = median(runs.iter().map(|run| run.records).collect());
    let rules = median(runs.iter().map(|run| run.rules).collect());
    println!(
        "| {name} | {children} | {} | {} | {} | {derive:.1} | {records:.1} | {rules:.1} | {:.1} |",
        last.events,
        last.sessions,
        last.suggestions,
        derive + records + rules
    );
}

fn main() {
    println!(
        "| data | children | events | session records | suggestions | derive_day ms | \
         session_records ms | gather + suggest ms | total ms |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");

    let large = generate(500, 0x5eed_0001);
    let runs: Vec<Stages> = (0..RUNS).map(|_| run_setting(&large)).collect();
    report("1 setting × 500 children", 500, &runs);
    drop(large);

    // Each setting is generated, run and dropped in turn, so only one is in memory at a
    // time. Generation is not timed.
    let settings = 100;
    let per_setting = 60;
    let runs: Vec<Stages> = (0..RUNS)
        .map(|_| {
            let mut total = Stages::default();
            for index in 0..settings {
                let setting = generate(per_setting, 0x5eed_1000 + index);
                total.add(run_setting(&setting));
            }
            total
        })
        .collect();
    report(
        "100 settings × 60 children",
        (settings as usize) * per_setting,
        &runs,
    );

    println!();
    println!(
        "Sizes: AttendanceEvent {} bytes, ChildDay {} bytes, SessionRecord {} bytes \
         (stack size only; strings and vectors add heap memory).",
        std::mem::size_of::<AttendanceEvent>(),
        std::mem::size_of::<ChildDay>(),
        std::mem::size_of::<app::domain::attendance::sessions::SessionRecord>(),
    );
    let weekday = today().weekday();
    println!("Rules evaluated on {} ({weekday:?}).", today());
}
