//! Tests for the graduated-response rules, each at its boundary, with the reasons' words.

use super::*;
use crate::domain::attendance::rules::{
    early_intervention_reasons, suggest, CaseFacts, Evidence, Level, Rule, RuleSettings, Suggestion,
};

fn figures(rate: Rate) -> Figures {
    Figures {
        rate,
        ..Figures::default()
    }
}

fn evidence(recent: Rate, previous: Rate) -> Evidence {
    Evidence {
        recent: figures(recent),
        previous: figures(previous),
        ..Evidence::default()
    }
}

/// A weekday numbered from Monday = 0, with (days missed, days booked).
type WeekdayEntry = (u32, (u32, u32));

fn fired(evidence: &Evidence) -> Vec<Rule> {
    early_intervention_reasons(&RuleSettings::default(), evidence)
        .into_iter()
        .map(|reason| reason.rule)
        .collect()
}

fn words(evidence: &Evidence) -> Vec<String> {
    early_intervention_reasons(&RuleSettings::default(), evidence)
        .into_iter()
        .map(|reason| reason.words)
        .collect()
}

/// Monday 7 December 2026: the last six weeks are 26 October to 6 December.
fn today() -> NaiveDate {
    date(2026, 12, 7)
}

fn at_level(
    level: Level,
    since: NaiveDate,
    start: Option<Rate>,
    plan: Option<NaiveDate>,
) -> CaseFacts {
    CaseFacts {
        level: Some((level, since)),
        rate_at_level_start: start,
        plan_recorded: plan,
    }
}

#[test]
fn low_rate_fires_strictly_below_ninety() {
    // The previous six weeks match, so only the low-rate rule can fire.
    let cases = [
        (rate(9, 10), vec![]),
        (rate(9000, 10000), vec![]),
        (rate(8999, 10000), vec![Rule::LowRate]),
        (rate(1799, 2000), vec![Rule::LowRate]),
        (rate(0, 0), vec![]),
    ];
    for (recent, rules) in cases {
        assert_eq!(fired(&evidence(recent, recent)), rules, "{recent:?}");
    }
}

#[test]
fn low_rate_words_give_the_figures() {
    let cases = [
        (
            rate(21, 25),
            "84% over the last 6 weeks (21 of 25 sessions), below 90%",
        ),
        (
            rate(1799, 2000),
            "89% over the last 6 weeks (1799 of 2000 sessions), below 90%",
        ),
    ];
    for (recent, expected) in cases {
        assert_eq!(
            words(&evidence(recent, recent)),
            vec![expected.to_owned()],
            "{recent:?}"
        );
    }
}

#[test]
fn falling_rate_boundaries() {
    // (recent, previous, rules)
    let cases = [
        // 99% to 94%: exactly 5 points down and below 95%.
        (rate(94, 100), rate(99, 100), vec![Rule::Falling]),
        // 99% to 94.1%: 4.9 points.
        (rate(941, 1000), rate(99, 100), vec![]),
        // 100% to 95%: 5 points, but 95% is not below 95%.
        (rate(95, 100), rate(100, 100), vec![]),
        // 100% to 94.9%: 5.1 points and below 95%.
        (rate(949, 1000), rate(100, 100), vec![Rule::Falling]),
        // Nothing to compare with.
        (rate(94, 100), rate(0, 0), vec![]),
        // 96% to 84%: also below 90%.
        (
            rate(21, 25),
            rate(24, 25),
            vec![Rule::LowRate, Rule::Falling],
        ),
    ];
    for (recent, previous, rules) in cases {
        assert_eq!(
            fired(&evidence(recent, previous)),
            rules,
            "{recent:?} from {previous:?}"
        );
    }
}

#[test]
fn falling_words_give_both_rates() {
    let reasons = words(&evidence(rate(21, 25), rate(24, 25)));
    assert_eq!(
        reasons[1],
        "84% over the last 6 weeks (21 of 25 sessions), down from 96% in the 6 weeks before"
    );
}

#[test]
fn occasional_absence_boundaries() {
    // (one-day absences in the last six weeks, in the six weeks before, fires)
    let cases = [
        (3, 2, true),
        (3, 3, false),
        (2, 0, false),
        (4, 3, true),
        (3, 0, true),
        (0, 0, false),
    ];
    for (recent, previous, fires) in cases {
        let evidence = Evidence {
            occasional_recent: recent,
            occasional_previous: previous,
            ..Evidence::default()
        };
        let expected = if fires {
            vec![Rule::OccasionalRising]
        } else {
            vec![]
        };
        assert_eq!(fired(&evidence), expected, "{recent} after {previous}");
    }
    let evidence = Evidence {
        occasional_recent: 3,
        occasional_previous: 2,
        ..Evidence::default()
    };
    assert_eq!(
        words(&evidence),
        vec!["3 one-day absences in the last 6 weeks, up from 2 in the 6 weeks before".to_owned()]
    );
}

#[test]
fn same_weekday_fires_at_three_misses() {
    let cases: [(Vec<WeekdayEntry>, Vec<&str>); 4] = [
        (
            vec![(0, (3, 6))],
            vec!["missed 3 of 6 Mondays in the last 6 weeks"],
        ),
        (vec![(4, (2, 6))], vec![]),
        (
            vec![(2, (3, 5)), (3, (1, 6)), (4, (4, 6))],
            vec![
                "missed 3 of 5 Wednesdays in the last 6 weeks",
                "missed 4 of 6 Fridays in the last 6 weeks",
            ],
        ),
        (vec![(0, (0, 6)), (1, (2, 6))], vec![]),
    ];
    for (weekdays, expected) in cases {
        let evidence = Evidence {
            weekdays: weekdays.iter().copied().collect(),
            ..Evidence::default()
        };
        assert_eq!(words(&evidence), expected, "{weekdays:?}");
        let rules = vec![Rule::SameWeekday; expected.len()];
        assert_eq!(fired(&evidence), rules, "{weekdays:?}");
    }
}

#[test]
fn unexplained_absence_fires_on_one_day() {
    let cases = [
        (vec![], vec![]),
        (
            vec![date(2026, 12, 4)],
            vec!["1 day of absence with no reason given in the last 6 weeks, most recently Friday 4 December"],
        ),
        (
            vec![date(2026, 11, 2), date(2026, 11, 20)],
            vec!["2 days of absence with no reason given in the last 6 weeks, most recently Friday 20 November"],
        ),
    ];
    for (days, expected) in cases {
        let evidence = Evidence {
            unexplained_days: days.clone(),
            ..Evidence::default()
        };
        assert_eq!(words(&evidence), expected, "{days:?}");
        let rules = vec![Rule::Unexplained; expected.len()];
        assert_eq!(fired(&evidence), rules, "{days:?}");
    }
}

#[test]
fn no_data_fires_nothing_at_any_level() {
    let empty = Evidence::default();
    let settings = RuleSettings::default();
    let since = date(2026, 9, 1);
    let cases = [
        CaseFacts::default(),
        at_level(Level::Universal, since, None, None),
        at_level(
            Level::EarlyIntervention,
            since,
            Some(rate(8, 10)),
            Some(since),
        ),
        at_level(Level::Targeted, since, Some(rate(8, 10)), Some(since)),
    ];
    for case in cases {
        assert_eq!(suggest(&settings, &empty, &case, today()), None, "{case:?}");
    }
}

#[test]
fn level_one_child_gets_level_two_suggestion() {
    let evidence = evidence(rate(21, 25), rate(24, 25));
    let suggestion = suggest(
        &RuleSettings::default(),
        &evidence,
        &CaseFacts::default(),
        today(),
    );
    let suggestion = suggestion.unwrap();
    assert_eq!(suggestion.to, Level::EarlyIntervention);
    assert!(!suggestion.is_progress());
    let rules: Vec<Rule> = suggestion
        .reasons
        .iter()
        .map(|reason| reason.rule)
        .collect();
    assert_eq!(rules, vec![Rule::LowRate, Rule::Falling]);
}

#[test]
fn level_two_rules_quiet_at_level_two() {
    // At Level 2 for one week with 50%: nothing new to suggest.
    let case = at_level(Level::EarlyIntervention, date(2026, 11, 30), None, None);
    let evidence = evidence(rate(5, 10), rate(10, 10));
    assert_eq!(
        suggest(&RuleSettings::default(), &evidence, &case, today()),
        None
    );
}

#[test]
fn level_three_boundaries() {
    // Six weeks before Monday 7 December 2026 is Monday 26 October.
    let six_weeks = date(2026, 10, 26);
    let a_day_short = date(2026, 10, 27);
    let plan = Some(date(2026, 11, 2));
    // (since, plan, rate when Level 2 began, rate now, suggested level)
    let cases = [
        (a_day_short, plan, rate(20, 25), rate(21, 25), None),
        (
            six_weeks,
            plan,
            rate(20, 25),
            rate(21, 25),
            Some(Level::Targeted),
        ),
        (six_weeks, None, rate(20, 25), rate(21, 25), None),
        // 80% to 85%: exactly 5 points better.
        (six_weeks, plan, rate(80, 100), rate(85, 100), None),
        // 80% to 84.9%: 4.9 points.
        (
            six_weeks,
            plan,
            rate(800, 1000),
            rate(849, 1000),
            Some(Level::Targeted),
        ),
        (
            six_weeks,
            plan,
            rate(80, 100),
            rate(70, 100),
            Some(Level::Targeted),
        ),
        (six_weeks, plan, rate(80, 100), rate(0, 0), None),
        // 95% or more: back to Level 1 comes first.
        (
            six_weeks,
            plan,
            rate(80, 100),
            rate(95, 100),
            Some(Level::Universal),
        ),
    ];
    for (since, plan, start, recent, level) in cases {
        let case = at_level(Level::EarlyIntervention, since, Some(start), plan);
        let evidence = evidence(recent, rate(0, 0));
        let suggestion = suggest(&RuleSettings::default(), &evidence, &case, today());
        let label = format!("since {since}, plan {plan:?}, {start:?} to {recent:?}");
        assert_eq!(suggestion.map(|suggestion| suggestion.to), level, "{label}");
    }
}

#[test]
fn level_three_falls_back_to_previous() {
    // No rate stored for the start of Level 2: the six weeks before stand in (80% here).
    let case = at_level(
        Level::EarlyIntervention,
        date(2026, 10, 26),
        None,
        Some(date(2026, 11, 2)),
    );
    let cases = [
        (rate(84, 100), Some(Level::Targeted)),
        (rate(85, 100), None),
    ];
    for (recent, level) in cases {
        let evidence = evidence(recent, rate(80, 100));
        let suggestion = suggest(&RuleSettings::default(), &evidence, &case, today());
        assert_eq!(
            suggestion.map(|suggestion| suggestion.to),
            level,
            "{recent:?}"
        );
    }
}

#[test]
fn level_three_words_give_dates_and_rates() {
    let case = at_level(
        Level::EarlyIntervention,
        date(2026, 10, 26),
        Some(rate(20, 25)),
        Some(date(2026, 11, 2)),
    );
    let evidence = evidence(rate(21, 25), rate(0, 0));
    let suggestion = suggest(&RuleSettings::default(), &evidence, &case, today()).unwrap();
    assert_eq!(suggestion.reasons.len(), 1);
    assert_eq!(suggestion.reasons[0].rule, Rule::NotImproved);
    assert_eq!(
        suggestion.reasons[0].words,
        "at Level 2 since 26 October 2026, with a family plan recorded on 2 November 2026; \
         84% over the last 6 weeks (21 of 25 sessions), was 80% when Level 2 began: \
         not up by 5 points"
    );
}

#[test]
fn back_to_level_one_boundaries() {
    // Each level began exactly 6 weeks ago, with no family plan, so Level 3 cannot be
    // suggested and the whole rolling window lies inside the level.
    let since = today() - chrono::Duration::days(42);
    let cases = [
        (
            Level::EarlyIntervention,
            rate(95, 100),
            Some(Level::Universal),
        ),
        (
            Level::EarlyIntervention,
            rate(19, 20),
            Some(Level::Universal),
        ),
        (Level::EarlyIntervention, rate(9499, 10000), None),
        (Level::Targeted, rate(95, 100), Some(Level::Universal)),
        (Level::Targeted, rate(94, 100), None),
        (Level::Universal, rate(100, 100), None),
    ];
    // One day short of 6 weeks at the level: no move back yet, however good the rate.
    let recent_start = at_level(
        Level::EarlyIntervention,
        since + chrono::Duration::days(1),
        None,
        None,
    );
    let full = rate(100, 100);
    assert_eq!(
        suggest(
            &RuleSettings::default(),
            &evidence(full, full),
            &recent_start,
            today()
        ),
        None
    );
    for (level, recent, expected) in cases {
        let case = at_level(level, since, None, None);
        let suggestion = suggest(
            &RuleSettings::default(),
            &evidence(recent, recent),
            &case,
            today(),
        );
        assert_eq!(
            suggestion.map(|suggestion| suggestion.to),
            expected,
            "{level:?} {recent:?}"
        );
    }
}

#[test]
fn back_to_level_one_words() {
    let case = at_level(Level::Targeted, date(2026, 9, 1), None, None);
    let suggestion = suggest(
        &RuleSettings::default(),
        &evidence(rate(19, 20), rate(0, 0)),
        &case,
        today(),
    );
    let suggestion = suggestion.unwrap();
    assert!(suggestion.is_progress());
    assert_eq!(
        suggestion,
        Suggestion {
            to: Level::Universal,
            reasons: vec![crate::domain::attendance::rules::Reason {
                rule: Rule::Sustained,
                words: "progress made: 95% over the last 6 weeks (19 of 20 sessions), 95% or more"
                    .to_owned(),
            }],
        }
    );
}

#[test]
fn thresholds_come_from_the_settings() {
    let settings = RuleSettings {
        low_rate: 80,
        fall_points: 10,
        fall_below: 90,
        occasional_min: 2,
        weekday_min: 2,
        ..RuleSettings::default()
    };
    let rules = |evidence: &Evidence| -> Vec<Rule> {
        early_intervention_reasons(&settings, evidence)
            .into_iter()
            .map(|reason| reason.rule)
            .collect()
    };
    // 85% is not below 80%; 95% to 85% is exactly 10 points and below 90%.
    assert_eq!(
        rules(&evidence(rate(85, 100), rate(95, 100))),
        vec![Rule::Falling]
    );
    // 79% is below 80%; 88% to 79% is 9 points.
    assert_eq!(
        rules(&evidence(rate(79, 100), rate(88, 100))),
        vec![Rule::LowRate]
    );
    let occasional = Evidence {
        occasional_recent: 2,
        occasional_previous: 1,
        weekdays: [(1, (2, 6))].into_iter().collect(),
        ..Evidence::default()
    };
    assert_eq!(
        rules(&occasional),
        vec![Rule::OccasionalRising, Rule::SameWeekday]
    );

    // Level 3 after 4 weeks and back to Level 1 from 90%.
    let settings = RuleSettings {
        level3_weeks: 4,
        back_to_universal: 90,
        ..RuleSettings::default()
    };
    let four_weeks = at_level(
        Level::EarlyIntervention,
        date(2026, 11, 9),
        Some(rate(8, 10)),
        Some(date(2026, 11, 9)),
    );
    let suggested = |recent: Rate| {
        suggest(
            &settings,
            &evidence(recent, rate(0, 0)),
            &four_weeks,
            today(),
        )
        .map(|suggestion| suggestion.to)
    };
    assert_eq!(suggested(rate(82, 100)), Some(Level::Targeted));
    // Four weeks at Level 2 is too soon to move back to Level 1, and up 10 points is enough
    // to keep out of Level 3.
    assert_eq!(suggested(rate(90, 100)), None);
}

#[test]
fn settings_check_names_the_bad_threshold() {
    assert_eq!(RuleSettings::default().check(), Ok(()));
    let cases = [
        (
            RuleSettings {
                low_rate: 0,
                ..RuleSettings::default()
            },
            "low_rate must be a whole number from 1 to 100; got 0",
        ),
        (
            RuleSettings {
                back_to_universal: 101,
                ..RuleSettings::default()
            },
            "back_to_universal must be a whole number from 1 to 100; got 101",
        ),
        (
            RuleSettings {
                weekday_min: 7,
                ..RuleSettings::default()
            },
            "weekday_min must be a whole number from 1 to 6; got 7",
        ),
        (
            RuleSettings {
                call_after_minutes: 0,
                ..RuleSettings::default()
            },
            "call_after_minutes must be a whole number from 1 to 240; got 0",
        ),
    ];
    for (settings, message) in cases {
        assert_eq!(settings.check(), Err(message.to_owned()));
    }
}

#[test]
fn settings_defaults_match_the_documented_values() {
    let settings = RuleSettings::default();
    let values = [
        ("low_rate", settings.low_rate, 90),
        ("fall_points", settings.fall_points, 5),
        ("fall_below", settings.fall_below, 95),
        ("occasional_min", settings.occasional_min, 3),
        ("weekday_min", settings.weekday_min, 3),
        ("call_after_minutes", settings.call_after_minutes, 30),
        ("home_visit_days", settings.home_visit_days, 2),
        ("level3_weeks", settings.level3_weeks, 6),
        ("level3_improvement", settings.level3_improvement, 5),
        ("back_to_universal", settings.back_to_universal, 95),
        ("late_after_minutes", settings.late_after_minutes, 15),
    ];
    for (name, value, expected) in values {
        assert_eq!(value, expected, "{name}");
    }
}

#[test]
fn level_numbers_round_trip() {
    for level in [Level::Universal, Level::EarlyIntervention, Level::Targeted] {
        assert_eq!(Level::from_number(level.number()), Some(level));
    }
    assert_eq!(Level::EarlyIntervention.number(), 2);
    assert_eq!(Level::from_number(0), None);
    assert_eq!(Level::from_number(4), None);
}
