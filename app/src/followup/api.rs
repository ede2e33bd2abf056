//! Server functions behind the follow-up pages. Every one is for managers of the child's
//! setting only; a child in another setting is "not found".

use leptos::prelude::*;
use uuid::Uuid;

use super::model::{ChildReport, Dashboard, LetterView, MorningView};
use crate::domain::attendance::rules::RuleSettings;
use crate::error::AppError;

#[cfg(feature = "ssr")]
mod compute;
#[cfg(feature = "ssr")]
mod server_side;

/// Loads the morning view: call list, home-visit prompts, suggestions, reviews and rooms.
#[server(endpoint = "morning")]
pub async fn load_morning() -> Result<MorningView, AppError> {
    server_side::morning().await
}

/// Logs a first-day call. With `reason` set (an absence reason code) and the family reached,
/// the register also records the absence with that reason.
#[server(endpoint = "log-call")]
pub async fn log_call(
    child: Uuid,
    outcome: String,
    #[server(default)] reason: Option<String>,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    server_side::log_call(child, outcome, reason, note).await
}

/// Confirms or dismisses the current suggestion for a child. `to_level` must match the
/// suggestion the server computes now, so a stale page cannot confirm something else.
#[server(endpoint = "decide-suggestion")]
pub async fn decide_suggestion(
    child: Uuid,
    to_level: u8,
    decision: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    server_side::decide(child, to_level, decision, note).await
}

/// Loads the setting dashboard for this term, or for `from`..`to` when both are given.
#[server(endpoint = "dashboard")]
pub async fn load_dashboard(
    #[server(default)] from: Option<String>,
    #[server(default)] to: Option<String>,
) -> Result<Dashboard, AppError> {
    server_side::dashboard(from, to).await
}

/// Loads one child's page.
#[server(endpoint = "child-report")]
pub async fn load_child_report(child: Uuid) -> Result<ChildReport, AppError> {
    server_side::child_report(child).await
}

/// Adds an entry to a child's case log. `corrects` names an earlier entry this one corrects.
#[server(endpoint = "case-entry")]
pub async fn add_case_entry(
    child: Uuid,
    kind: String,
    happened_on: String,
    #[server(default)] outcome: String,
    #[server(default)] next_review: Option<String>,
    #[server(default)] corrects: Option<String>,
) -> Result<(), AppError> {
    server_side::add_case_entry(child, kind, happened_on, outcome, next_review, corrects).await
}

/// Fills a letter for a child from the setting's template.
#[server(endpoint = "letter")]
pub async fn load_letter(child: Uuid, kind: String) -> Result<LetterView, AppError> {
    server_side::letter(child, kind).await
}

/// Records a letter as sent, with the text as filled now.
#[server(endpoint = "send-letter")]
pub async fn send_letter(child: Uuid, kind: String) -> Result<(), AppError> {
    server_side::send_letter(child, kind).await
}

/// Loads the setting's two letter templates as (kind code, label, text).
#[server(endpoint = "letter-templates")]
pub async fn load_letter_templates() -> Result<Vec<(String, String, String)>, AppError> {
    server_side::letter_templates().await
}

/// Saves an edited letter template.
#[server(endpoint = "save-letter-template")]
pub async fn save_letter_template(kind: String, body: String) -> Result<(), AppError> {
    server_side::save_letter_template(kind, body).await
}

/// Loads the setting's thresholds.
#[server(endpoint = "attendance-rules")]
pub async fn load_attendance_rules() -> Result<RuleSettings, AppError> {
    server_side::rules().await
}

/// Saves the setting's thresholds after checking every one.
#[server(endpoint = "save-attendance-rules")]
pub async fn save_attendance_rules(rules: RuleSettings) -> Result<(), AppError> {
    server_side::save_rules(rules).await
}
