//! The manager's page for one child: figures over the year, weekday pattern, reasons, level,
//! the case log and letters.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use super::api::{load_child_report, AddCaseEntry, DecideSuggestion};
use super::charts::RateChart;
use super::model::{CaseLine, ChildReport, FigureRow, PeriodFigures};
use super::morning::SuggestionCard;
use crate::auth::manage::{DataTable, ManageNav};
use crate::auth::pages::{failure, FormError};
use crate::domain::attendance::case::ActionKind;
use crate::domain::attendance::letters::LetterKind;
use crate::ui::ErrorPanel;

/// Renders the child page at `/manage/children/:child`.
#[component]
pub fn ChildPage() -> impl IntoView {
    let params = use_params_map();
    let child = move || params.with(|p| p.get("child").and_then(|id| Uuid::parse_str(&id).ok()));
    let add = ServerAction::<AddCaseEntry>::new();
    let decide = ServerAction::<DecideSuggestion>::new();
    let report = Resource::new(
        move || (child(), add.version().get(), decide.version().get()),
        |(child, ..)| async move {
            match child {
                Some(child) => load_child_report(child).await,
                None => Err(crate::error::AppError::not_found("This child")),
            }
        },
    );
    view! {
        <main class="page">
            <ManageNav />
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(report) => view! { <Report report add decide /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn Report(
    report: ChildReport,
    add: ServerAction<AddCaseEntry>,
    decide: ServerAction<DecideSuggestion>,
) -> impl IntoView {
    let letters = LetterKind::ALL
        .into_iter()
        .map(|kind| {
            view! {
                <a class="button secondary" href=format!("/manage/children/{}/letters/{}", report.id, kind.code())>
                    {format!("Letter: {}", kind.label())}
                </a>
            }
        })
        .collect_view();
    let sent = report
        .letters
        .iter()
        .map(|line| view! { <li>{line.clone()}</li> })
        .collect_view();
    view! {
        <header class="page-header">
            <p class="eyebrow">{report.room.clone()} {report.key_person.clone().map(|name| format!(" · key person {name}"))}</p>
            <h1>{report.name.clone()}</h1>
            <p class="level-line">
                <span class="level-badge">{report.level.label()}</span>
                {report.level_since.clone().map(|since| format!(" since {since}"))}
                {report.sen.then(|| view! { <span class="sen-badge">"SEN support: involve the SENCO"</span> })}
            </p>
        </header>
        <FormError error=failure(decide.value()) />
        {report.suggestion.clone().map(|line| view! {
            <section class="child-suggestion" aria-labelledby="suggestion-heading">
                <h2 id="suggestion-heading">"Suggestion"</h2>
                <ul class="follow-list"><SuggestionCard line decide /></ul>
            </section>
        })}
        <div class="figure-cards">
            <FigureCard period=report.year.clone() />
            <FigureCard period=report.recent.clone() />
            <FigureCard period=report.previous.clone() />
        </div>
        <section class="panel">
            <h2>"Week by week this school year"</h2>
            <RateChart title="Attendance each week".to_owned() points=report.weekly.clone() threshold=report.threshold id="child-weeks" />
        </section>
        <div class="two-columns">
            <section class="panel">
                <h2>"By weekday"</h2>
                <FigureTable rows=report.weekdays.clone() first="Weekday" />
            </section>
            <section class="panel">
                <h2>"Missed sessions by reason"</h2>
                <ReasonTable rows=report.reasons.clone() />
            </section>
        </div>
        {(!report.reported.is_empty()).then(|| view! {
            <section class="panel">
                <h2>"Told us in advance"</h2>
                <ul class="follow-list">
                    {report.reported.clone().into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                </ul>
            </section>
        })}
        <section class="panel">
            <h2>"Case log"</h2>
            {report.review_due.clone().map(|due| view! { <p class="review-due">"Next review: " <strong>{due}</strong></p> })}
            <CaseLog log=report.log.clone() />
            <h3>"Add to the log"</h3>
            <CaseForm child=report.id today=report.today log=report.log.clone() add />
        </section>
        <section class="panel">
            <h2>"Level history"</h2>
            {if report.levels.is_empty() {
                view! { <p>"Level 1 (universal) since joining: no changes recorded."</p> }.into_any()
            } else {
                view! {
                    <DataTable headers=&["From", "Level", "Decided by", "Note"]>
                        {report.levels.iter().map(|line| view! {
                            <tr>
                                <td>{line.since.clone()}</td>
                                <td>{line.level.label()}</td>
                                <td>{line.by.clone()}</td>
                                <td>{line.note.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </DataTable>
                }.into_any()
            }}
        </section>
        <section class="panel">
            <h2>"Letters"</h2>
            <div class="button-row">{letters}</div>
            <ul>{sent}</ul>
        </section>
    }
}

/// Shows a period's rate with its sessions, lateness and extras.
#[component]
pub fn FigureCard(period: PeriodFigures) -> impl IntoView {
    let figures = period.figures;
    let details = if figures.rate.has_data() {
        view! {
            <p>{format!("{} of {} booked sessions", figures.rate.attended, figures.rate.possible)}</p>
            <p class="muted">
                {format!("{} late · {} unexplained · {} extra", figures.late, figures.unexplained, figures.extra)}
            </p>
        }
        .into_any()
    } else {
        view! { <p class="muted">"No booked sessions in the register for these dates."</p> }
            .into_any()
    };
    view! {
        <section class="panel figure-card">
            <h2 class="figure-name">{period.name}</h2>
            <p class="figure-dates">{period.dates}</p>
            <p class="figure-rate">{figures.rate.label()}</p>
            {details}
        </section>
    }
}

/// Rows of figures with rate, sessions and lateness.
#[component]
pub fn FigureTable(rows: Vec<FigureRow>, first: &'static str) -> impl IntoView {
    let headers: &'static [&'static str] = match first {
        "Room" => &["Room", "Rate", "Attended", "Booked", "Late", "Unexplained"],
        _ => &[
            "Weekday",
            "Rate",
            "Attended",
            "Booked",
            "Late",
            "Unexplained",
        ],
    };
    view! {
        <DataTable headers>
            {rows.into_iter().map(|row| view! {
                <tr>
                    <th scope="row">{row.label}</th>
                    <td>{row.figures.rate.label()}</td>
                    <td>{row.figures.rate.attended}</td>
                    <td>{row.figures.rate.possible}</td>
                    <td>{row.figures.late}</td>
                    <td>{row.figures.unexplained}</td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
}

/// Missed sessions by reason.
#[component]
pub fn ReasonTable(rows: Vec<(String, u32)>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p>"No missed sessions."</p> }.into_any();
    }
    view! {
        <DataTable headers=&["Reason", "Sessions missed"]>
            {rows.into_iter().map(|(label, count)| view! {
                <tr><th scope="row">{label}</th><td>{count}</td></tr>
            }).collect_view()}
        </DataTable>
    }
    .into_any()
}

#[component]
fn CaseLog(log: Vec<CaseLine>) -> impl IntoView {
    if log.is_empty() {
        return view! { <p>"Nothing recorded yet."</p> }.into_any();
    }
    view! {
        <DataTable headers=&["Date", "Action", "Outcome", "Review", "Who"] class="case-log">
            {log.into_iter().map(|line| view! {
                <tr>
                    <td>{line.on}</td>
                    <td>{line.action}{line.corrects.map(|words| view! { <br /><span class="muted">{words}</span> })}</td>
                    <td>{line.outcome}</td>
                    <td>{line.review.unwrap_or_default()}</td>
                    <td>{line.by}</td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
    .into_any()
}

#[component]
fn CaseForm(
    child: Uuid,
    today: chrono::NaiveDate,
    log: Vec<CaseLine>,
    add: ServerAction<AddCaseEntry>,
) -> impl IntoView {
    let earlier = log
        .into_iter()
        .map(|line| {
            view! { <option value=line.id.to_string()>{format!("{}: {}", line.on, line.action)}</option> }
        })
        .collect_view();
    view! {
        <FormError error=failure(add.value()) />
        <ActionForm action=add attr:class="form grid">
            <input type="hidden" name="child" value=child.to_string() />
            <label>
                <span>"Action"</span>
                <select name="kind" required>
                    {ActionKind::ALL.into_iter().map(|kind| view! {
                        <option value=kind.code()>{kind.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                <span>"Date"</span>
                <input type="date" name="happened_on" required value=today.to_string() max=today.to_string() />
            </label>
            <label>
                <span>"Outcome or note"</span>
                <input type="text" name="outcome" maxlength="500" />
            </label>
            <label>
                <span>"Next review (optional)"</span>
                <input type="date" name="next_review" min=today.to_string() />
            </label>
            <label>
                <span>"Corrects an earlier entry (optional)"</span>
                <select name="corrects">
                    <option value="">"No: a new entry"</option>
                    {earlier}
                </select>
            </label>
            <button type="submit" class="button primary">"Add to the log"</button>
        </ActionForm>
    }
}
