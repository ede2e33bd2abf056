//! The setting's thresholds for bands and the graduated response.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::api::{load_attendance_rules, SaveAttendanceRules};
use crate::auth::manage::ManageNav;
use crate::auth::pages::{failure, FormError};
use crate::domain::attendance::rules::RuleSettings;
use crate::ui::ErrorPanel;

/// One number input: form name, label, hint and current value.
fn field(name: &'static str, label: &'static str, hint: &'static str, value: u32) -> impl IntoView {
    view! {
        <label>
            <span>{label}</span>
            <input type="number" name=name value=value min="1" max="240" required inputmode="numeric" />
            <small class="hint">{hint}</small>
        </label>
    }
}

/// The thresholds page at `/manage/rules`.
#[component]
pub fn RulesPage() -> impl IntoView {
    let save = ServerAction::<SaveAttendanceRules>::new();
    let rules = Resource::new(move || save.version().get(), |_| load_attendance_rules());
    let saved = move || save.value().get().is_some_and(|result| result.is_ok());
    view! {
        <main class="page">
            <ManageNav />
            <header class="page-header">
                <h1>"Thresholds"</h1>
                <p>"Percentages are whole numbers. A rate exactly on a threshold counts as meeting it."</p>
            </header>
            <FormError error=failure(save.value()) />
            <Show when=saved>
                <p class="panel all-clear" role="status">"Thresholds saved."</p>
            </Show>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match rules.await {
                        Ok(rules) => view! { <RulesForm rules save /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn RulesForm(rules: RuleSettings, save: ServerAction<SaveAttendanceRules>) -> impl IntoView {
    let b = rules.bands;
    view! {
        <ActionForm action=save attr:class="form">
            <fieldset class="panel form grid">
                <legend>"Bands (%)"</legend>
                {field("rules[bands][excellent]", "Top band from", "97 by default", b.excellent)}
                {field("rules[bands][good]", "Second band from", "95 by default", b.good)}
                {field("rules[bands][persistent]", "Persistent absence below", "90 by default", b.persistent)}
                {field("rules[bands][severe]", "Severe absence below", "50 by default", b.severe)}
            </fieldset>
            <fieldset class="panel form grid">
                <legend>"Level 2: early intervention"</legend>
                {field("rules[low_rate]", "6-week rate below (%)", "90 by default", rules.low_rate)}
                {field("rules[fall_points]", "Fallen by at least (points)", "5 by default", rules.fall_points)}
                {field("rules[fall_below]", "…and below (%)", "95 by default", rules.fall_below)}
                {field("rules[occasional_min]", "One-day absences in 6 weeks", "3 by default", rules.occasional_min)}
                {field("rules[weekday_min]", "Same weekday missed", "3 by default", rules.weekday_min)}
            </fieldset>
            <fieldset class="panel form grid">
                <legend>"First-day response"</legend>
                {field("rules[call_after_minutes]", "Call after the session starts (minutes)", "30 by default", rules.call_after_minutes)}
                {field("rules[home_visit_days]", "Unexplained days in a row before a home visit", "2 by default", rules.home_visit_days)}
                {field("rules[late_after_minutes]", "Late from (minutes after the start)", "15 by default", rules.late_after_minutes)}
                {field("rules[report_days_ahead]", "Parents may report absences up to (days ahead)", "60 by default", rules.report_days_ahead)}
            </fieldset>
            <fieldset class="panel form grid">
                <legend>"Level 3 and back to Level 1"</legend>
                {field("rules[level3_weeks]", "Weeks at Level 2 before Level 3", "6 by default", rules.level3_weeks)}
                {field("rules[level3_improvement]", "Improvement needed (points)", "5 by default", rules.level3_improvement)}
                {field("rules[back_to_universal]", "Back to Level 1 at (%)", "95 by default", rules.back_to_universal)}
            </fieldset>
            <button type="submit" class="button primary">"Save thresholds"</button>
        </ActionForm>
    }
}
