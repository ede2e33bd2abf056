//! Tests for rates, rounding for display, bands and grouped figures.

use chrono::Weekday::{Mon, Tue};

use super::*;
use crate::domain::attendance::figures::{by_week, by_weekday, reason_label, Band, Bands};

#[test]
fn rate_below_is_exact() {
    // (attended, possible, threshold, below)
    let cases = [
        (9, 10, 90, Some(false)),
        (90, 100, 90, Some(false)),
        (9000, 10000, 90, Some(false)),
        (8999, 10000, 90, Some(true)),
        (1799, 2000, 90, Some(true)),
        (17, 19, 90, Some(true)),
        (19, 20, 95, Some(false)),
        // 18/19 is 94.7%.
        (18, 19, 95, Some(true)),
        (18, 19, 94, Some(false)),
        (0, 5, 1, Some(true)),
        (5, 5, 100, Some(false)),
        (0, 0, 90, None),
    ];
    for (attended, possible, percent, below) in cases {
        let rate = rate(attended, possible);
        assert_eq!(
            rate.below(percent),
            below,
            "{attended}/{possible} below {percent}"
        );
        let at_least = below.map(|below| !below);
        assert_eq!(
            rate.at_least(percent),
            at_least,
            "{attended}/{possible} at {percent}"
        );
    }
}

#[test]
fn percent_rounds_down_for_display() {
    // (attended, possible, whole percent, label, label with counts)
    let cases = [
        (1799, 2000, Some(89), "89%", "89% (1799 of 2000 sessions)"),
        (8999, 10000, Some(89), "89%", "89% (8999 of 10000 sessions)"),
        (9, 10, Some(90), "90%", "90% (9 of 10 sessions)"),
        (21, 25, Some(84), "84%", "84% (21 of 25 sessions)"),
        (2, 3, Some(66), "66%", "66% (2 of 3 sessions)"),
        (19, 20, Some(95), "95%", "95% (19 of 20 sessions)"),
        (0, 4, Some(0), "0%", "0% (0 of 4 sessions)"),
        (4, 4, Some(100), "100%", "100% (4 of 4 sessions)"),
        (0, 0, None, "no data", "no data (no booked sessions)"),
    ];
    for (attended, possible, percent, label, with_counts) in cases {
        let rate = rate(attended, possible);
        assert_eq!(rate.percent_floor(), percent, "{attended}/{possible}");
        assert_eq!(rate.label(), label, "{attended}/{possible}");
        assert_eq!(
            rate.label_with_counts(),
            with_counts,
            "{attended}/{possible}"
        );
    }
}

#[test]
fn rate_with_no_sessions_has_no_data() {
    let empty = Rate::default();
    assert!(!empty.has_data());
    assert!(rate(0, 1).has_data());
    assert_eq!(empty.fallen_from(rate(9, 10), 5), None);
    assert_eq!(rate(9, 10).fallen_from(empty, 5), None);
    assert_eq!(empty.risen_from(rate(9, 10), 5), None);
}

#[test]
fn fallen_from_compares_points_exactly() {
    // (recent, earlier, points, fallen)
    let cases = [
        // 99% to 94%: exactly 5 points.
        (rate(94, 100), rate(99, 100), 5, true),
        // 99% to 94.1%: 4.9 points.
        (rate(941, 1000), rate(99, 100), 5, false),
        // 100% to 95%: exactly 5 points.
        (rate(19, 20), rate(25, 25), 5, true),
        // 96% (24/25) to 84% (21/25): 12 points.
        (rate(21, 25), rate(24, 25), 5, true),
        // 90% to 85.5% (171/200): 4.5 points.
        (rate(171, 200), rate(9, 10), 5, false),
        // A rise is not a fall.
        (rate(10, 10), rate(8, 10), 5, false),
    ];
    for (recent, earlier, points, fallen) in cases {
        assert_eq!(
            recent.fallen_from(earlier, points),
            Some(fallen),
            "{recent:?} from {earlier:?}"
        );
    }
}

#[test]
fn risen_from_compares_points_exactly() {
    // (recent, earlier, points, risen)
    let cases = [
        // 80% to 85%: exactly 5 points.
        (rate(85, 100), rate(80, 100), 5, true),
        // 80% to 84.9%: 4.9 points.
        (rate(849, 1000), rate(8, 10), 5, false),
        // 80% (20/25) to 84% (21/25): 4 points.
        (rate(21, 25), rate(20, 25), 5, false),
        // A fall is not a rise.
        (rate(7, 10), rate(9, 10), 5, false),
        (rate(10, 10), rate(0, 10), 100, true),
    ];
    for (recent, earlier, points, risen) in cases {
        assert_eq!(
            recent.risen_from(earlier, points),
            Some(risen),
            "{recent:?} from {earlier:?}"
        );
    }
}

#[test]
fn band_boundaries_go_up() {
    let bands = Bands::default();
    let cases = [
        (rate(100, 100), Band::Excellent),
        (rate(97, 100), Band::Excellent),
        (rate(969, 1000), Band::Good),
        (rate(95, 100), Band::Good),
        (rate(949, 1000), Band::Fair),
        (rate(90, 100), Band::Fair),
        (rate(8999, 10000), Band::Persistent),
        (rate(1799, 2000), Band::Persistent),
        (rate(50, 100), Band::Persistent),
        (rate(499, 1000), Band::Severe),
        (rate(0, 5), Band::Severe),
        (rate(0, 0), Band::NoData),
    ];
    for (rate, band) in cases {
        assert_eq!(bands.band(rate), band, "{rate:?}");
    }
}

#[test]
fn band_labels_name_the_thresholds() {
    let bands = Bands::default();
    let cases = [
        (Band::Excellent, "97% or more"),
        (Band::Good, "95% to under 97%"),
        (Band::Fair, "90% to under 95%"),
        (Band::Persistent, "Persistent absence (under 90%)"),
        (Band::Severe, "Severe absence (under 50%)"),
        (Band::NoData, "No data"),
    ];
    for (band, label) in cases {
        assert_eq!(bands.label(band), label, "{band:?}");
    }
}

#[test]
fn band_check_rejects_bands_out_of_order() {
    assert_eq!(Bands::default().check(), Ok(()));
    let cases = [
        Bands {
            good: 97,
            ..Bands::default()
        },
        Bands {
            severe: 0,
            ..Bands::default()
        },
        Bands {
            excellent: 101,
            ..Bands::default()
        },
        Bands {
            persistent: 40,
            ..Bands::default()
        },
    ];
    for bands in cases {
        assert!(bands.check().is_err(), "{bands:?}");
    }
    let message = Bands {
        good: 97,
        ..Bands::default()
    }
    .check()
    .unwrap_err();
    assert_eq!(
        message,
        "bands must rise from severe to excellent between 1 and 100; got severe 50, \
         persistent 90, good 97, excellent 97"
    );
}

#[test]
fn figures_count_late_extra_and_reasons() {
    let day = date(2026, 11, 9);
    let list = [
        record(day, "am", true, Outcome::Attended { late: true }),
        record(day, "pm", true, attended()),
        record(day, "am", false, attended()),
        record(day, "pm", false, missed(None)),
        record(day, "am", true, missed(Some(AbsenceReason::Illness))),
        record(day, "pm", true, missed(None)),
        record(day, "am", true, missed(Some(AbsenceReason::NotYetKnown))),
    ];
    let figures = Figures::from_records(&list);
    assert_eq!(figures.rate, rate(2, 5));
    assert_eq!(figures.late, 1);
    // An unbooked session that was missed is neither possible nor extra.
    assert_eq!(figures.extra, 1);
    assert_eq!(figures.unexplained, 2);
    let expected = BTreeMap::from([
        ("illness".to_owned(), 1),
        ("not_recorded".to_owned(), 1),
        ("not_yet_known".to_owned(), 1),
    ]);
    assert_eq!(figures.by_reason, expected);
}

#[test]
fn figures_merge_adds_every_count() {
    let day = date(2026, 11, 9);
    let mut first = Figures::from_records(&[
        record(day, "am", true, Outcome::Attended { late: true }),
        record(day, "pm", true, missed(Some(AbsenceReason::Illness))),
    ]);
    let second = Figures::from_records(&[
        record(day, "am", true, missed(Some(AbsenceReason::Illness))),
        record(day, "pm", false, attended()),
        record(day, "am", true, missed(None)),
    ]);
    first.merge(&second);
    assert_eq!(first.rate, rate(1, 4));
    assert_eq!(first.late, 1);
    assert_eq!(first.extra, 1);
    assert_eq!(first.unexplained, 1);
    let expected = BTreeMap::from([("illness".to_owned(), 2), ("not_recorded".to_owned(), 1)]);
    assert_eq!(first.by_reason, expected);
}

#[test]
fn reason_labels_cover_no_mark() {
    assert_eq!(reason_label("illness"), "Illness");
    assert_eq!(reason_label("not_recorded"), "No mark recorded");
}

#[test]
fn by_weekday_skips_extras_only() {
    // Two Mondays (9 and 16 November 2026): 1 of 2; one Tuesday: 1 of 1; a Wednesday with
    // only an extra session.
    let list = [
        record(date(2026, 11, 9), "am", true, attended()),
        record(date(2026, 11, 10), "am", true, attended()),
        record(date(2026, 11, 11), "pm", false, attended()),
        record(date(2026, 11, 16), "am", true, missed(None)),
    ];
    let days: Vec<(Weekday, Rate)> = by_weekday(&list)
        .into_iter()
        .map(|(day, figures)| (day, figures.rate))
        .collect();
    assert_eq!(days, vec![(Mon, rate(1, 2)), (Tue, rate(1, 1))]);
}

#[test]
fn by_week_starts_on_monday() {
    // Sunday 8 November belongs to the week of Monday 2 November; Monday 9 starts the next.
    let list = [
        record(date(2026, 11, 2), "am", true, attended()),
        record(date(2026, 11, 8), "am", true, missed(None)),
        record(date(2026, 11, 9), "am", true, attended()),
        record(date(2026, 11, 15), "pm", false, attended()),
    ];
    let weeks: Vec<(NaiveDate, Rate, u32)> = by_week(&list)
        .into_iter()
        .map(|(monday, figures)| (monday, figures.rate, figures.extra))
        .collect();
    let expected = vec![
        (date(2026, 11, 2), rate(1, 2), 0),
        (date(2026, 11, 9), rate(1, 1), 1),
    ];
    assert_eq!(weeks, expected);
}
