//! What the lobby display shows: the setting's and each room's week against the setting's
//! target, children with a full week, the most improved and streaks of full weeks, and the
//! manager's messages. Pure: the server loads the records and consent, and the view this
//! builds is all the display receives.
//!
//! Privacy rules, enforced here before anything is serialised:
//! - a child appears only with display consent, by first name and last initial;
//! - no absence counts, reasons, levels, surnames or ids leave this module;
//! - a room or setting with fewer than [`MIN_CHILDREN_FOR_PERCENT`] children with possible
//!   sessions in the week shows no percentage.

use std::cmp::Ordering;

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::celebrations::{celebrations, improvement, Celebration};
use super::figures::{Figures, Rate};
use super::sessions::SessionRecord;
use super::windows::{last_week, this_week, DateRange};

/// Minimum number of children with possible sessions in the week for a room's or the
/// setting's percentage to be shown. Below it, one child's absence could be worked out from the figure.
pub const MIN_CHILDREN_FOR_PERCENT: usize = 5;

/// Maximum number of names on the most-improved slide.
pub const MOST_IMPROVED_SHOWN: usize = 6;

/// Maximum number of names on one slide, so that each stays readable from across the hall.
pub const NAMES_PER_SLIDE: usize = 12;

/// Maximum number of names with their weeks on one streak slide, whose rows are wider.
pub const STREAKS_PER_SLIDE: usize = 8;

/// Maximum number of slides for one list of names. The names left over are counted in words
/// on the last slide.
pub const MAX_SLIDES_PER_LIST: usize = 4;

/// Maximum number of names on the full-week slides.
pub const MAX_NAMES_SHOWN: usize = MAX_SLIDES_PER_LIST * NAMES_PER_SLIDE;

/// Maximum number of messages a manager may save.
pub const MAX_MESSAGES: usize = 10;

/// Maximum length of one message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 160;

/// The messages shown when the manager has saved none.
pub const DEFAULT_MESSAGES: [&str; 4] = [
    "Every day at nursery is a day of play, friends and learning.",
    "Coming regularly helps children settle, feel safe and make friends.",
    "Small routines make big differences. Thank you for bringing your child each day.",
    "If your child is unwell, please let us know. We love to hear how they are.",
];

/// One child as the display rules read them. `consent` is the carer's consent to display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LobbyChild {
    pub first_name: String,
    pub last_name: String,
    pub room: String,
    pub consent: bool,
    pub records: Vec<SessionRecord>,
}

/// Everything [`lobby_view`] needs.
#[derive(Debug, Clone)]
pub struct LobbyInput<'a> {
    pub setting_name: String,
    /// The setting's local date.
    pub today: NaiveDate,
    /// The setting's target in whole percent: the lower bound of its top ("excellent") band.
    pub target: u32,
    /// The rise in percentage points that counts as improved: the setting's
    /// `level3_improvement` threshold.
    pub improved_points: u32,
    /// The children in display order (by room, then name).
    pub children: &'a [LobbyChild],
    /// The manager's messages, or an empty list for the defaults.
    pub messages: Vec<String>,
    /// The setting's local time when the view was built, as `HH:MM`.
    pub updated: String,
}

/// The setting's or one room's week. `percent` is `None` when the figure is held back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekFigure {
    pub name: String,
    /// Whole percent of possible sessions attended, rounded down.
    pub percent: Option<u32>,
    /// Whether the rate is at or above the target, compared exactly; false when held back.
    pub met_target: bool,
    /// A short, warm line to show under or in place of the percentage.
    pub words: String,
}

/// A child on a streak slide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreakName {
    pub name: String,
    pub weeks: u32,
}

/// Everything the lobby display shows. It contains display names only: no surnames, ids,
/// absence counts, reasons or levels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LobbyView {
    pub setting_name: String,
    /// "This week" or "Last week" (on a Monday, when this week has no finished day yet).
    pub week_label: String,
    pub target: u32,
    pub setting: WeekFigure,
    pub rooms: Vec<WeekFigure>,
    /// Children with every booked session attended in the week, at least one.
    pub full_week: Vec<String>,
    /// How many more children had a full week than [`LobbyView::full_week`] lists.
    pub full_week_more: usize,
    /// The most improved over the last six weeks, most improved first.
    pub improved: Vec<String>,
    /// Children with 2 or more full weeks in a row, longest first.
    pub streaks: Vec<StreakName>,
    pub streaks_more: usize,
    pub messages: Vec<String>,
    /// The setting's local time of the data, as `HH:MM`.
    pub updated: String,
}

/// One slide of the display, in showing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slide {
    Setting,
    Rooms,
    /// A page of [`NAMES_PER_SLIDE`] names of the full-week list, from 0.
    FullWeek(usize),
    Improved,
    /// A page of [`STREAKS_PER_SLIDE`] names of the streak list, from 0.
    Streaks(usize),
    /// The message at this index of [`LobbyView::messages`].
    Message(usize),
}

/// Returns the slides worth showing for `view`: the setting's week always, the rooms when
/// there are any, the name slides only when they have names (a long list over several
/// slides), then one slide per message.
pub fn slides(view: &LobbyView) -> Vec<Slide> {
    let mut list = vec![Slide::Setting];
    if !view.rooms.is_empty() {
        list.push(Slide::Rooms);
    }
    list.extend((0..view.full_week.len().div_ceil(NAMES_PER_SLIDE)).map(Slide::FullWeek));
    if !view.improved.is_empty() {
        list.push(Slide::Improved);
    }
    list.extend((0..view.streaks.len().div_ceil(STREAKS_PER_SLIDE)).map(Slide::Streaks));
    list.extend((0..view.messages.len()).map(Slide::Message));
    list
}

/// Returns the days the week's figures cover, and the week's label. The week so far runs from
/// Monday to yesterday, so that the figures do not dip each morning before children arrive.
/// On a Monday, it is the whole of last week.
pub fn week_so_far(today: NaiveDate) -> (DateRange, &'static str) {
    if today.weekday() == chrono::Weekday::Mon {
        return (last_week(today), "Last week");
    }
    let week = this_week(today);
    (
        DateRange {
            from: week.from,
            to: today - Duration::days(1),
        },
        "This week",
    )
}

/// Returns a child's display name: first name and the initial of the last name, such as
/// "Ava W.". A child with no last name shows the first name only.
pub fn display_name(first_name: &str, last_name: &str) -> String {
    let first = first_name.trim();
    match last_name.trim().chars().next() {
        Some(initial) => format!("{first} {}.", initial.to_uppercase()),
        None => first.to_owned(),
    }
}

/// Builds the display's view from the children's records.
pub fn lobby_view(input: LobbyInput<'_>) -> LobbyView {
    let (week, week_label) = week_so_far(input.today);
    let consenting: Vec<&LobbyChild> = input.children.iter().filter(|c| c.consent).collect();

    let (full_week, streaks) = full_weeks_and_streaks(&consenting, week.to);
    let (full_week, full_week_more) = capped(full_week, MAX_NAMES_SHOWN);
    let (streaks, streaks_more) = capped(streaks, MAX_SLIDES_PER_LIST * STREAKS_PER_SLIDE);
    let messages = if input.messages.is_empty() {
        default_messages()
    } else {
        input.messages
    };

    LobbyView {
        setting: week_figure(
            &input.setting_name,
            input.children.iter(),
            week,
            input.target,
        ),
        rooms: room_figures(input.children, week, input.target),
        setting_name: input.setting_name,
        week_label: week_label.to_owned(),
        target: input.target,
        full_week,
        full_week_more,
        improved: most_improved(&consenting, input.today, input.improved_points),
        streaks,
        streaks_more,
        messages,
        updated: input.updated,
    }
}

/// Returns the first `max` of `names` and how many were left out.
fn capped<T>(mut names: Vec<T>, max: usize) -> (Vec<T>, usize) {
    let more = names.len().saturating_sub(max);
    names.truncate(max);
    (names, more)
}

/// Returns the week's figure for `name` from the children's records in `week`. The
/// percentage is held back when fewer than [`MIN_CHILDREN_FOR_PERCENT`] children had possible
/// sessions.
fn week_figure<'a>(
    name: &str,
    children: impl Iterator<Item = &'a LobbyChild>,
    week: DateRange,
    target: u32,
) -> WeekFigure {
    let mut total = Rate::default();
    let mut counted = 0;
    for child in children {
        let rate = week_rate(&child.records, week);
        if rate.has_data() {
            counted += 1;
            total.attended += rate.attended;
            total.possible += rate.possible;
        }
    }
    let words = |text: &str| text.to_owned();
    if counted == 0 {
        return WeekFigure {
            name: name.to_owned(),
            percent: None,
            met_target: false,
            words: words("A new week of play and learning is starting."),
        };
    }
    if counted < MIN_CHILDREN_FOR_PERCENT {
        return WeekFigure {
            name: name.to_owned(),
            percent: None,
            met_target: false,
            words: words("A small, friendly group. Thank you for coming!"),
        };
    }
    let met_target = total.at_least(target) == Some(true);
    WeekFigure {
        name: name.to_owned(),
        percent: total.percent_floor(),
        met_target,
        words: if met_target {
            words("Target reached. Well done, everyone!")
        } else {
            words("Every day counts. Thank you for coming!")
        },
    }
}

/// Returns one figure per room, in the order the rooms first appear in `children`.
fn room_figures(children: &[LobbyChild], week: DateRange, target: u32) -> Vec<WeekFigure> {
    let mut order: Vec<&str> = Vec::new();
    for child in children {
        if !order.contains(&child.room.as_str()) {
            order.push(&child.room);
        }
    }
    order
        .into_iter()
        .map(|room| {
            let members = children.iter().filter(|c| c.room == room);
            week_figure(room, members, week, target)
        })
        .collect()
}

fn week_rate(records: &[SessionRecord], week: DateRange) -> Rate {
    Figures::from_records(records.iter().filter(|r| week.contains(r.date))).rate
}

/// Returns the sorted names of children with a full week up to `last_day`, and the children
/// on a streak of full weeks ending at that week, longest first. Each child's celebrations are
/// worked out once for both lists.
fn full_weeks_and_streaks(
    children: &[&LobbyChild],
    last_day: NaiveDate,
) -> (Vec<String>, Vec<StreakName>) {
    let mut full_week = Vec::new();
    let mut streaks = Vec::new();
    for child in children {
        let records: Vec<SessionRecord> = child
            .records
            .iter()
            .filter(|r| r.date <= last_day)
            .cloned()
            .collect();
        // The improvement threshold does not matter here, so the strictest is passed.
        for celebration in celebrations(&records, last_day, 100) {
            match celebration {
                Celebration::FullWeek { .. } => {
                    full_week.push(display_name(&child.first_name, &child.last_name));
                }
                Celebration::Streak { weeks } => streaks.push(StreakName {
                    name: display_name(&child.first_name, &child.last_name),
                    weeks,
                }),
                _ => {}
            }
        }
    }
    full_week.sort();
    streaks.sort_by(|a, b| b.weeks.cmp(&a.weeks).then_with(|| a.name.cmp(&b.name)));
    (full_week, streaks)
}

/// Returns up to [`MOST_IMPROVED_SHOWN`] children whose rolling six-week rate rose by at least
/// `points` percentage points (and strictly) from the six weeks before, most improved first.
fn most_improved(children: &[&LobbyChild], today: NaiveDate, points: u32) -> Vec<String> {
    let mut risen: Vec<(Rate, Rate, String)> = children
        .iter()
        .filter_map(|child| {
            let (previous, rolling) = improvement(&child.records, today)?;
            let enough = rolling.risen_from(previous, points) == Some(true);
            let strictly = previous.risen_from(rolling, 0) == Some(false);
            (enough && strictly).then(|| {
                let name = display_name(&child.first_name, &child.last_name);
                (previous, rolling, name)
            })
        })
        .collect();
    risen.sort_by(|a, b| compare_rise((b.0, b.1), (a.0, a.1)).then_with(|| a.2.cmp(&b.2)));
    risen
        .into_iter()
        .take(MOST_IMPROVED_SHOWN)
        .map(|(_, _, name)| name)
        .collect()
}

/// Compares the rises `to - from` of two pairs of rates exactly, by cross-multiplying.
fn compare_rise(first: (Rate, Rate), second: (Rate, Rate)) -> Ordering {
    // rise = (to.a·from.p − from.a·to.p) / (to.p·from.p), both denominators positive.
    let rise = |(from, to): (Rate, Rate)| {
        let numerator = i128::from(to.attended) * i128::from(from.possible)
            - i128::from(from.attended) * i128::from(to.possible);
        let denominator = i128::from(to.possible) * i128::from(from.possible);
        (numerator, denominator)
    };
    let (n1, d1) = rise(first);
    let (n2, d2) = rise(second);
    (n1 * d2).cmp(&(n2 * d1))
}

/// Returns [`DEFAULT_MESSAGES`] as owned strings, as the display and the manager's form use
/// them.
pub fn default_messages() -> Vec<String> {
    DEFAULT_MESSAGES.iter().map(|m| (*m).to_owned()).collect()
}

/// Checks the manager's messages, one per line: blank lines are dropped, and there may be at
/// most [`MAX_MESSAGES`] of at most [`MAX_MESSAGE_CHARS`] characters each. An empty list means
/// the default messages.
pub fn parse_messages(text: &str) -> Result<Vec<String>, String> {
    let messages: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect();
    if messages.len() > MAX_MESSAGES {
        return Err(format!(
            "there are {} messages; keep at most {MAX_MESSAGES}, one per line",
            messages.len()
        ));
    }
    if let Some(long) = messages
        .iter()
        .find(|m| m.chars().count() > MAX_MESSAGE_CHARS)
    {
        let start: String = long.chars().take(30).collect();
        return Err(format!(
            "the message starting \"{start}…\" has {} characters; shorten it to {MAX_MESSAGE_CHARS} or fewer",
            long.chars().count()
        ));
    }
    Ok(messages)
}
