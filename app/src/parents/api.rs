//! Server functions for parents and carers. Each checks that the child is the caller's own;
//! any other child is "not found".

use leptos::prelude::*;
use uuid::Uuid;

use super::model::ParentHome;
use crate::error::AppError;

/// Loads the signed-in parent's page: their children, figures, reports, calendar and letters.
#[server(endpoint = "my-children")]
pub async fn load_my_children() -> Result<ParentHome, AppError> {
    server_side::home().await
}

/// Reports an absence in advance. `id` is made by the phone, so sending the same report again
/// stores nothing new.
#[server(endpoint = "report-absence")]
pub async fn report_absence(
    id: Uuid,
    child: Uuid,
    first_day: String,
    #[server(default)] last_day: String,
    #[server(default)] sessions: String,
    reason: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    let request = crate::domain::absence_report::ReportRequest {
        id,
        child,
        first_day,
        last_day,
        sessions,
        reason,
        note,
    };
    server_side::report(request).await
}

/// Withdraws a report whose first day has not come yet.
#[server(endpoint = "withdraw-absence")]
pub async fn withdraw_absence(report: Uuid) -> Result<(), AppError> {
    server_side::withdraw(report).await
}

#[cfg(feature = "ssr")]
mod server_side {
    use chrono::{DateTime, Duration, NaiveDate, Utc};
    use sqlx::SqlitePool;
    use uuid::Uuid;

    use crate::auth::api::{caller, pool_and_clock, with_status};
    use crate::auth::Principal;
    use crate::domain::absence_report::{
        day_covered, may_withdraw, parent_reason_label, range_words, AbsenceReport, ReportRequest,
        PARENT_REASONS,
    };
    use crate::domain::attendance::celebrations::celebrations;
    use crate::domain::attendance::figures::Figures;
    use crate::domain::attendance::letters::LetterKind;
    use crate::domain::attendance::parent::today_words;
    use crate::domain::attendance::parent::ParentPeriod;
    use crate::domain::attendance::term_calendar::term_calendar;
    use crate::domain::attendance::windows::{half_term, school_year, term, this_week, DateRange};
    use crate::domain::calendar::local_time_label;
    use crate::domain::events::Presence;
    use crate::error::AppError;
    use crate::parents::model::{LetterLine, MyChild, ParentHome, ReportLine};
    use crate::store::absence_reports::{load_reports, save_report, withdraw_report};
    use crate::store::attendance::{load_records, load_rules, register_start, ChildRecords};
    use crate::store::{load_setting_from_pool, SettingRow};

    pub async fn home() -> Result<ParentHome, AppError> {
        with_status(home_inner().await)
    }

    pub async fn report(request: ReportRequest) -> Result<(), AppError> {
        let result = async {
            let (pool, clock) = pool_and_clock()?;
            save_report(&pool, &caller(), request, clock.now()).await?;
            Ok(())
        };
        with_status(result.await)
    }

    pub async fn withdraw(report: Uuid) -> Result<(), AppError> {
        let result = async {
            let (pool, clock) = pool_and_clock()?;
            withdraw_report(&pool, &caller(), report, clock.now()).await
        };
        with_status(result.await)
    }

    async fn home_inner() -> Result<ParentHome, AppError> {
        let caller = caller();
        let Principal::Parent { person, children } = &caller.principal else {
            return Err(AppError::not_found("This page"));
        };
        let (pool, clock) = pool_and_clock()?;
        let now = clock.now();
        let setting = load_setting_from_pool(&pool, person.setting).await?;
        let rules = load_rules(&pool, setting.id).await?;
        let today = setting.calendar.local_date(now);
        let mut list = Vec::new();
        for child in children {
            let loaded = load_records(
                &pool,
                &setting,
                &rules,
                DateRange {
                    from: school_year(today).from.min(today - Duration::days(84)),
                    to: today,
                },
                now,
                Some(*child),
            )
            .await?;
            // A child moved to another setting since the link was made is left out.
            if let Some(records) = loaded.into_iter().next() {
                list.push(my_child(&pool, &setting, &rules, records, now).await?);
            }
        }
        Ok(ParentHome {
            setting_name: setting.name.clone(),
            children: list,
            reasons: PARENT_REASONS
                .iter()
                .map(|reason| {
                    (
                        reason.code().to_owned(),
                        parent_reason_label(*reason).to_owned(),
                    )
                })
                .collect(),
            today,
            furthest: today + Duration::days(rules.report_days_ahead.into()),
        })
    }

    async fn my_child(
        pool: &SqlitePool,
        setting: &SettingRow,
        rules: &crate::domain::attendance::rules::RuleSettings,
        loaded: ChildRecords,
        now: DateTime<Utc>,
    ) -> Result<MyChild, AppError> {
        let today = setting.calendar.local_date(now);
        let id = loaded.child.id;
        let reports = load_reports(pool, setting.id, Some(id), today - Duration::days(200)).await?;
        let (term_name, mut term_range) = term(today);
        // Days before the register was kept here have no records, and would read as "away".
        term_range.from = term_range.from.max(register_start(pool, setting).await?);
        let reported: Vec<(NaiveDate, _)> = reports
            .iter()
            .filter(|report| !report.withdrawn)
            .flat_map(|report| {
                report
                    .first_day
                    .iter_days()
                    .take_while(move |day| *day <= report.last_day)
                    .map(move |day| (day, report.reason))
            })
            .collect();
        // Today's sessions count for a parent once marked, not as missed while the child is on
        // the way.
        let counted: Vec<_> = loaded
            .records
            .iter()
            .filter(|record| !(record.date == today && record.unexplained()))
            .cloned()
            .collect();
        let calendar = term_calendar(
            &setting.calendar,
            &loaded.child.plan,
            &counted,
            &reported,
            term_range,
            today,
        );
        let windows = [
            ("This week", this_week(today)),
            ("This half-term", half_term(&setting.calendar, today)),
            ("This school year", school_year(today)),
        ];
        let periods = windows
            .into_iter()
            .map(|(name, window)| {
                let figures =
                    Figures::from_records(counted.iter().filter(|r| window.contains(r.date)));
                ParentPeriod::new(name, &figures, &rules.bands)
            })
            .collect();
        Ok(MyChild {
            id,
            first_name: loaded.child.first_name.clone(),
            room: loaded.child.room.clone(),
            today: today_status(setting, &loaded, &reports, today),
            periods,
            celebrations: celebrations(&counted, today, rules.level3_improvement)
                .iter()
                .map(|celebration| celebration.words())
                .collect(),
            sessions: booked_sessions(setting, &loaded),
            reports: report_lines(setting, &reports, today),
            term: term_name.to_owned(),
            calendar,
            letters: letters(pool, id).await?,
            next_report: Uuid::now_v7(),
        })
    }

    /// Today's status in words for the parent.
    fn today_status(
        setting: &SettingRow,
        loaded: &ChildRecords,
        reports: &[AbsenceReport],
        today: NaiveDate,
    ) -> String {
        let calendar = &setting.calendar;
        let presence = loaded
            .days
            .get(&today)
            .map_or(Presence::NotMarked, |day| day.presence.clone());
        let booked = calendar.closed_reason(today).is_none()
            && loaded.child.plan.on_roll(today)
            && loaded.child.plan.booked_on(today);
        // A report for part of the day leaves the child expected for the rest of it.
        let mine: Vec<&AbsenceReport> = reports.iter().collect();
        let whole_day = day_covered(&mine, &loaded.child.plan, calendar, today);
        let reported = reports
            .iter()
            .filter(|_| whole_day)
            .find(|report| {
                calendar
                    .sessions
                    .iter()
                    .any(|s| report.covers(today, &s.code))
            })
            .map(|report| report.reason);
        let label = |instant| local_time_label(calendar.time_zone, instant);
        today_words(&presence, booked, reported, &label)
    }

    /// Lists the setting's sessions the child books on at least one weekday.
    fn booked_sessions(setting: &SettingRow, loaded: &ChildRecords) -> Vec<(String, String)> {
        setting
            .calendar
            .sessions
            .iter()
            .filter(|session| {
                loaded
                    .child
                    .plan
                    .bookings
                    .iter()
                    .any(|(_, code)| *code == session.code)
            })
            .map(|session| (session.code.clone(), session.name.clone()))
            .collect()
    }

    fn report_lines(
        setting: &SettingRow,
        reports: &[AbsenceReport],
        today: NaiveDate,
    ) -> Vec<ReportLine> {
        reports
            .iter()
            .filter(|report| !report.withdrawn && report.last_day >= today)
            .map(|report| {
                let sessions: Vec<&str> = report
                    .sessions
                    .iter()
                    .filter_map(|code| setting.calendar.session(code).map(|s| s.name.as_str()))
                    .collect();
                let reason = parent_reason_label(report.reason);
                ReportLine {
                    id: report.id,
                    days: range_words(report.first_day, report.last_day),
                    reason: if sessions.is_empty() {
                        reason.to_owned()
                    } else {
                        format!("{reason} ({})", sessions.join(", "))
                    },
                    note: report.note.clone(),
                    may_withdraw: may_withdraw(report, today),
                }
            })
            .collect()
    }

    async fn letters(pool: &SqlitePool, child: Uuid) -> Result<Vec<LetterLine>, AppError> {
        let sent = crate::store::cases::letter_texts(pool, child).await?;
        Ok(sent
            .into_iter()
            .map(|(kind, body, at)| LetterLine {
                title: match kind {
                    LetterKind::Concern => "About attendance".to_owned(),
                    LetterKind::Progress => "Attendance: well done".to_owned(),
                },
                sent: at.format("%-d %B %Y").to_string(),
                body,
            })
            .collect())
    }
}
