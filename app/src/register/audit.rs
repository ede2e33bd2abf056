//! The audit view of a child's day: every mark, undo and correction, who made it and when.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use super::api::load_child_day;
use super::model::ChildDayAudit;
use crate::error::AppError;
use crate::ui::{long_date, ErrorPanel};

/// Page at `/children/:child/days/:date`.
#[component]
pub fn ChildDayPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        params.with(|p| {
            let child = p.get("child").and_then(|c| Uuid::parse_str(&c).ok());
            let date = p.get("date").and_then(|d| d.parse::<NaiveDate>().ok());
            child.zip(date)
        })
    };
    let audit = Resource::new(key, |key| async move {
        match key {
            Some((child, date)) => load_child_day(child, date).await,
            None => Err(AppError::not_found("That child's day")),
        }
    });
    view! {
        <main class="page">
            <Suspense fallback=|| view! { <p class="loading">"Loading the day…"</p> }>
                {move || Suspend::new(async move {
                    match audit.await {
                        Ok(audit) => view! { <AuditView audit /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn AuditView(audit: ChildDayAudit) -> impl IntoView {
    let rows = audit
        .entries
        .into_iter()
        .map(|entry| {
            view! {
                <tr>
                    <td>{entry.occurred_label}</td>
                    <td>{entry.summary}</td>
                    <td>{entry.staff_name.unwrap_or_else(|| "Unknown".to_owned())}</td>
                    <td class="device">{entry.event.device_id.unwrap_or_default()}</td>
                    <td>{entry.recorded_label}</td>
                </tr>
            }
        })
        .collect_view();
    let conflicts = audit
        .conflicts
        .into_iter()
        .map(|c| view! { <li>{c}</li> })
        .collect_view();
    view! {
        <p>
            <a class="back" href=format!("/rooms/{}", audit.room_id)>
                "← " {audit.room_name}
            </a>
        </p>
        <header class="page-header">
            <p class="eyebrow">"Register history"</p>
            <h1>{audit.child_name}</h1>
            <p class="date">{long_date(audit.date)} " · " {audit.status}</p>
        </header>
        <ul class="conflicts">{conflicts}</ul>
        <div class="table-wrap">
            <table class="audit">
                <caption>"Every entry for this day, oldest first. Entries are never changed or removed."</caption>
                <thead>
                    <tr>
                        <th scope="col">"Time"</th>
                        <th scope="col">"Entry"</th>
                        <th scope="col">"Made by"</th>
                        <th scope="col" class="device">
                            "Device"
                        </th>
                        <th scope="col">"Stored at"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
