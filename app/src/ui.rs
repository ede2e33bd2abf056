//! Small pieces shared by several pages.

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::domain::status::Counts;
use crate::error::AppError;

/// Formats a date the way UK staff read it, such as "Friday 4 December 2026".
pub fn long_date(date: NaiveDate) -> String {
    date.format("%A %-d %B %Y").to_string()
}

/// Shows an error in words with a way back to the rooms.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = axum::http::StatusCode::from_u16(error.status_code()) {
            response.set_status(status);
        }
    }
    let (href, label) = match error {
        AppError::SignInNeeded => ("/sign-in", "Sign in"),
        AppError::Revoked { .. } => ("/enrol", "Enrol this tablet again"),
        _ => ("/", "Back to the start"),
    };
    view! {
        <div class="panel error-panel" role="alert">
            <h2>"Something is not right"</h2>
            <p>{error.to_string()}</p>
            <p>
                <a class="button secondary" href=href rel="external">
                    {label}
                </a>
            </p>
        </div>
    }
}

/// The row of register counts: each number with its label in words.
#[component]
pub fn CountsBar(#[prop(into)] counts: Signal<Counts>) -> impl IntoView {
    let item = move |label: &'static str, class: &'static str, value: fn(&Counts) -> u32| {
        view! {
            <li class=format!("count {class}")>
                <span class="count-value">{move || value(&counts.get())}</span>
                <span class="count-label">{label}</span>
            </li>
        }
    };
    view! {
        <ul class="counts" aria-label="Today's counts">
            {item("Booked today", "expected", |c| c.expected)}
            {item("Here", "here", |c| c.here)}
            {item("Not yet arrived", "waiting", |c| c.not_yet_arrived)}
            {item("Gone home", "gone", |c| c.gone_home)}
            {item("Absent", "absent", |c| c.absent)}
        </ul>
    }
}
