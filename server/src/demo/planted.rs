//! The planted children: demo children with fixed names whose attendance follows a known
//! pattern, so reports and tests can look for them. `docs/demo-data.md` lists the expected
//! figures.

use chrono::Weekday;

use super::bookings::DaySessions;
use super::people::RoomKind;

/// The attendance pattern a demo child follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// Attends 94% to 100% of booked days in every window.
    Typical,
    /// Attends 40% to 45% of booked days throughout.
    LowAttendance,
    /// Attends every booked day in the six weeks before the last six, then about 55% in the
    /// last six weeks.
    Falling,
    /// Attends 65% to 75% of booked days in the six weeks before the last six, then every
    /// booked day in the last six weeks.
    Improving,
    /// Absent on every booked Monday in the last six weeks except the first, otherwise attends.
    MondayAbsences,
    /// Attends well but arrives 15 to 40 minutes after the session starts on about a third of
    /// the days attended.
    LateArrivals,
    /// Attends well apart from absences whose reason is still "Not yet known".
    UnexplainedAbsences,
    /// Attends 83% to 89% of booked days throughout.
    Patchy,
}

/// A demo child with a fixed name and a planted attendance pattern.
#[derive(Debug, Clone, Copy)]
pub struct PlantedChild {
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub room: RoomKind,
    pub pattern: Pattern,
    /// Absences among the child's six most recent booked days whose reason is never given.
    pub unexplained_absences: usize,
    pub(super) weekdays: &'static [Weekday],
    pub(super) sessions: DaySessions,
    pub(super) funded_hours: Option<i64>,
}

const MON_TO_FRI: &[Weekday] = &[
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];
const MON_TO_THU: &[Weekday] = &[Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu];
const TUE_TO_FRI: &[Weekday] = &[Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri];
const MON_WED_FRI: &[Weekday] = &[Weekday::Mon, Weekday::Wed, Weekday::Fri];

/// Every planted child, in surname order.
pub const PLANTED_CHILDREN: [PlantedChild; 10] = [
    planted(
        "Leo",
        "Adeyemi",
        RoomKind::Toddlers,
        Pattern::LateArrivals,
        MON_TO_FRI,
        DaySessions::Morning,
        Some(15),
    ),
    planted(
        "Oscar",
        "Bennett",
        RoomKind::Babies,
        Pattern::Patchy,
        TUE_TO_FRI,
        DaySessions::FullDay,
        None,
    ),
    PlantedChild {
        unexplained_absences: 2,
        ..planted(
            "Ruby",
            "Clarke",
            RoomKind::Babies,
            Pattern::UnexplainedAbsences,
            MON_TO_FRI,
            DaySessions::FullDay,
            None,
        )
    },
    planted(
        "Zara",
        "Hussain",
        RoomKind::PreSchool,
        Pattern::LateArrivals,
        TUE_TO_FRI,
        DaySessions::FullDay,
        Some(30),
    ),
    planted(
        "Isaac",
        "Kowalski",
        RoomKind::Toddlers,
        Pattern::Improving,
        MON_WED_FRI,
        DaySessions::FullDay,
        Some(15),
    ),
    PlantedChild {
        unexplained_absences: 1,
        ..planted(
            "Theo",
            "Nowak",
            RoomKind::Toddlers,
            Pattern::UnexplainedAbsences,
            MON_TO_THU,
            DaySessions::FullDay,
            None,
        )
    },
    planted(
        "Freya",
        "Okafor",
        RoomKind::PreSchool,
        Pattern::Falling,
        MON_TO_FRI,
        DaySessions::FullDay,
        Some(30),
    ),
    planted(
        "Amara",
        "Osei",
        RoomKind::Toddlers,
        Pattern::Patchy,
        MON_TO_THU,
        DaySessions::Morning,
        Some(15),
    ),
    planted(
        "Maya",
        "Patel",
        RoomKind::PreSchool,
        Pattern::MondayAbsences,
        MON_TO_FRI,
        DaySessions::FullDay,
        Some(30),
    ),
    PlantedChild {
        unexplained_absences: 1,
        ..planted(
            "Ava",
            "Thompson",
            RoomKind::PreSchool,
            Pattern::LowAttendance,
            MON_TO_THU,
            DaySessions::FullDay,
            Some(30),
        )
    },
];

const fn planted(
    first_name: &'static str,
    last_name: &'static str,
    room: RoomKind,
    pattern: Pattern,
    weekdays: &'static [Weekday],
    sessions: DaySessions,
    funded_hours: Option<i64>,
) -> PlantedChild {
    PlantedChild {
        first_name,
        last_name,
        room,
        pattern,
        unexplained_absences: 0,
        weekdays,
        sessions,
        funded_hours,
    }
}
