//! Bank holidays in England and Wales, computed from the standing rules plus the one-off
//! changes proclaimed between 2020 and 2030. Dates after 2030 follow the standing rules only,
//! so a later one-off holiday needs adding here.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// One-off changes: holidays added or moved by proclamation. A moved holiday appears twice,
/// once as removed (`None`) and once as added.
const ONE_OFF: &[(i32, u32, u32, Option<&str>)] = &[
    // 2020: the early May bank holiday moved from Monday 4 May to Friday 8 May (VE Day 75).
    (2020, 5, 4, None),
    (2020, 5, 8, Some("Early May bank holiday (VE day)")),
    // 2022: the spring bank holiday moved to Thursday 2 June, plus the Platinum Jubilee and
    // the state funeral of Queen Elizabeth II.
    (2022, 5, 30, None),
    (2022, 6, 2, Some("Spring bank holiday")),
    (2022, 6, 3, Some("Platinum Jubilee bank holiday")),
    (2022, 9, 19, Some("State funeral of Queen Elizabeth II")),
    // 2023: the coronation of King Charles III.
    (
        2023,
        5,
        8,
        Some("Bank holiday for the coronation of King Charles III"),
    ),
];

/// Returns the name of the England and Wales bank holiday on `date`, if it is one.
pub fn bank_holiday_name(date: NaiveDate) -> Option<&'static str> {
    for &(year, month, day, name) in ONE_OFF {
        if NaiveDate::from_ymd_opt(year, month, day) == Some(date) {
            return name;
        }
    }
    standing_rule_holidays(date.year())
        .into_iter()
        .find(|(day, _)| *day == date)
        .map(|(_, name)| name)
}

/// Lists every England and Wales bank holiday in `year`, in date order.
pub fn bank_holidays_in(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let start = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid year");
    start
        .iter_days()
        .take_while(|day| day.year() == year)
        .filter_map(|day| bank_holiday_name(day).map(|name| (day, name)))
        .collect()
}

fn standing_rule_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let easter = easter_sunday(year);
    let mut days = vec![
        (substitute_weekend(ymd(year, 1, 1)), "New Year's Day"),
        (easter - Duration::days(2), "Good Friday"),
        (easter + Duration::days(1), "Easter Monday"),
        (first_monday(year, 5), "Early May bank holiday"),
        (last_monday(year, 5), "Spring bank holiday"),
        (last_monday(year, 8), "Summer bank holiday"),
    ];
    // Christmas Day and Boxing Day: a holiday on a weekend moves to the next free weekday.
    let christmas = ymd(year, 12, 25);
    let (christmas_observed, boxing_observed) = match christmas.weekday() {
        Weekday::Fri => (christmas, christmas + Duration::days(3)),
        Weekday::Sat => (christmas + Duration::days(2), christmas + Duration::days(3)),
        Weekday::Sun => (christmas + Duration::days(2), christmas + Duration::days(1)),
        _ => (christmas, christmas + Duration::days(1)),
    };
    days.push((christmas_observed, "Christmas Day"));
    days.push((boxing_observed, "Boxing Day"));
    days
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("valid calendar date")
}

fn substitute_weekend(date: NaiveDate) -> NaiveDate {
    match date.weekday() {
        Weekday::Sat => date + Duration::days(2),
        Weekday::Sun => date + Duration::days(1),
        _ => date,
    }
}

fn first_monday(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 1).expect("a first Monday")
}

fn last_monday(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 5)
        .or_else(|| NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 4))
        .expect("a fourth Monday")
}

/// Computes Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm,
/// also known as the Meeus/Jones/Butcher algorithm).
pub(crate) fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(year, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(year: i32) -> Vec<String> {
        bank_holidays_in(year)
            .iter()
            .map(|(d, _)| d.format("%m-%d").to_string())
            .collect()
    }

    // Expected lists are the published England and Wales dates, typed in by hand.
    #[test]
    fn bank_holidays_match_published_lists() {
        let cases: &[(i32, &[&str])] = &[
            (
                2020,
                &[
                    "01-01", "04-10", "04-13", "05-08", "05-25", "08-31", "12-25", "12-28",
                ],
            ),
            (
                2021,
                &[
                    "01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28",
                ],
            ),
            (
                2022,
                &[
                    "01-03", "04-15", "04-18", "05-02", "06-02", "06-03", "08-29", "09-19",
                    "12-26", "12-27",
                ],
            ),
            (
                2023,
                &[
                    "01-02", "04-07", "04-10", "05-01", "05-08", "05-29", "08-28", "12-25", "12-26",
                ],
            ),
            (
                2024,
                &[
                    "01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26",
                ],
            ),
            (
                2025,
                &[
                    "01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26",
                ],
            ),
            (
                2026,
                &[
                    "01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28",
                ],
            ),
            (
                2027,
                &[
                    "01-01", "03-26", "03-29", "05-03", "05-31", "08-30", "12-27", "12-28",
                ],
            ),
            (
                2028,
                &[
                    "01-03", "04-14", "04-17", "05-01", "05-29", "08-28", "12-25", "12-26",
                ],
            ),
            (
                2029,
                &[
                    "01-01", "03-30", "04-02", "05-07", "05-28", "08-27", "12-25", "12-26",
                ],
            ),
            (
                2030,
                &[
                    "01-01", "04-19", "04-22", "05-06", "05-27", "08-26", "12-25", "12-26",
                ],
            ),
        ];
        for (year, expected) in cases {
            assert_eq!(dates(*year), *expected, "bank holidays in {year}");
        }
    }

    #[test]
    fn ordinary_weekday_is_not_a_holiday() {
        assert_eq!(bank_holiday_name(ymd(2026, 12, 4)), None);
        assert_eq!(bank_holiday_name(ymd(2020, 5, 4)), None);
    }

    #[test]
    fn holiday_names_are_given() {
        assert_eq!(bank_holiday_name(ymd(2026, 12, 28)), Some("Boxing Day"));
        assert_eq!(bank_holiday_name(ymd(2026, 4, 3)), Some("Good Friday"));
    }
}
