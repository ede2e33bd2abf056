//! The parent's page at `/my`: each of their children's day and attendance, a form to report
//! an absence (kept on the phone until sent), the term's calendar and letters.

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use uuid::Uuid;

use super::api::{load_my_children, report_absence, WithdrawAbsence};
use super::model::{MyChild, ParentHome, ReportLine};
use super::outbox::{self, PendingReport, ReportOutbox};
use crate::auth::pages::{failure, FormError};
use crate::domain::absence_report::{range_words, ReportRequest};
use crate::domain::attendance::term_calendar::{CalendarWeek, DayMark};
use crate::ui::ErrorPanel;

/// How often waiting reports are tried again, in milliseconds.
const RETRY_INTERVAL_MS: u64 = 15_000;

/// The page's shared state: waiting reports, the server's replies and the data to reload.
#[derive(Clone, Copy)]
struct ParentState {
    outbox: RwSignal<ReportOutbox>,
    /// Refusals and thanks, by child.
    answers: RwSignal<Vec<(Uuid, Answer)>>,
    sending: StoredValue<bool>,
    reload: RwSignal<u32>,
    storage_failed: RwSignal<bool>,
    /// The parent's sign-in ended, so waiting reports cannot go until they sign in again.
    needs_sign_in: RwSignal<bool>,
    /// The signed-in parent's children, once loaded. Only their reports are sent.
    mine: RwSignal<Option<Vec<Uuid>>>,
}

#[derive(Clone, PartialEq)]
enum Answer {
    Thanks(String),
    Refused(String),
}

impl ParentState {
    fn new() -> Self {
        Self {
            outbox: RwSignal::new(ReportOutbox::default()),
            answers: RwSignal::new(Vec::new()),
            sending: StoredValue::new(false),
            reload: RwSignal::new(0),
            storage_failed: RwSignal::new(false),
            needs_sign_in: RwSignal::new(false),
            mine: RwSignal::new(None),
        }
    }

    fn keep(&self) {
        let failed = self.outbox.with_untracked(outbox::save).is_err();
        self.storage_failed.set(failed);
    }

    fn answer(&self, child: Uuid, answer: Answer) {
        self.answers.update(|answers| {
            answers.retain(|(c, _)| *c != child);
            answers.push((child, answer));
        });
    }

    /// Queues a report, then tries to send everything waiting.
    fn submit(&self, report: PendingReport) {
        self.outbox.update(|outbox| outbox.push(report));
        self.keep();
        self.send_waiting();
    }

    /// Sends the signed-in parent's waiting reports in order, stopping at the first that
    /// cannot reach the server. Nothing is sent until the page has loaded the parent's children.
    fn send_waiting(&self) {
        let Some(mine) = self.mine.get_untracked() else {
            return;
        };
        let waiting = self.outbox.with_untracked(|o| o.for_children(&mine));
        if self.sending.get_value() || waiting.is_empty() {
            return;
        }
        self.sending.set_value(true);
        let state = *self;
        leptos::task::spawn_local(async move {
            let mut sent_any = false;
            for report in waiting {
                let request = report.request.clone();
                let result = report_absence(
                    request.id,
                    request.child,
                    request.first_day,
                    request.last_day,
                    request.sessions,
                    request.reason,
                    request.note,
                )
                .await;
                if matches!(result, Err(crate::error::AppError::SignInNeeded)) {
                    state.needs_sign_in.set(true);
                    break;
                }
                state.needs_sign_in.set(false);
                let answer = match result {
                    Ok(()) => Answer::Thanks(format!(
                        "Thank you. We have your message: {}.",
                        report.words
                    )),
                    Err(error) if outbox::worth_retrying(&error) => break,
                    Err(error) => {
                        Answer::Refused(format!("{}: {}", report.words, in_words(&error)))
                    }
                };
                sent_any = true;
                state
                    .outbox
                    .update(|outbox| outbox.remove(report.request.id));
                state.keep();
                state.answer(report.request.child, answer);
            }
            state.sending.set_value(false);
            if sent_any {
                state.reload.update(|n| *n += 1);
            }
        });
    }
}

/// Returns an error as a parent reads it: the message alone, without the field's code.
fn in_words(error: &crate::error::AppError) -> String {
    match error {
        crate::error::AppError::InvalidInput { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// Shows a parent's own children with their day, figures, reports, calendar and letters.
#[component]
pub fn MyChildrenPage() -> impl IntoView {
    let state = ParentState::new();
    provide_context(state);
    let withdraw = ServerAction::<WithdrawAbsence>::new();
    let home = Resource::new(
        move || (state.reload.get(), withdraw.version().get()),
        |_| load_my_children(),
    );
    Effect::new(move |_| {
        if let Some(Ok(home)) = home.get() {
            let mine = home.children.iter().map(|child| child.id).collect();
            state.mine.set(Some(mine));
            state.send_waiting();
        }
    });
    Effect::new(move |_| {
        state.outbox.set(outbox::load());
        state.send_waiting();
        // Back online, the page reloads its data. A page opened offline learns from it which
        // children's reports to send.
        let online = window_event_listener(leptos::ev::online, move |_| {
            state.reload.update(|n| *n += 1);
            state.send_waiting();
        });
        let retry = set_interval_with_handle(
            move || state.send_waiting(),
            std::time::Duration::from_millis(RETRY_INTERVAL_MS),
        );
        on_cleanup(move || {
            online.remove();
            if let Ok(handle) = retry {
                handle.clear();
            }
        });
    });
    view! {
        <main class="page narrow parent-page">
            <header class="page-header">
                <h1>"Your children"</h1>
            </header>
            <Show when=move || state.storage_failed.get()>
                <p class="panel notice" role="alert">
                    "This phone cannot keep messages while offline (its storage is full or blocked). Stay online until your message is sent."
                </p>
            </Show>
            <FormError error=failure(withdraw.value()) />
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match home.await {
                        Ok(home) => view! { <ParentHomeView home withdraw /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <WhyItMatters />
            <p><a class="button secondary" href="/account">"Your account"</a></p>
        </main>
    }
}

#[component]
fn ParentHomeView(home: ParentHome, withdraw: ServerAction<WithdrawAbsence>) -> impl IntoView {
    let ParentHome {
        children,
        reasons,
        today,
        furthest,
        ..
    } = home;
    if children.is_empty() {
        return view! {
            <p class="panel">"No children are linked to your account yet. Ask the setting's manager to add them."</p>
        }
        .into_any();
    }
    children
        .into_iter()
        .map(|child| {
            let reasons = reasons.clone();
            view! { <ChildPanel child reasons today furthest withdraw /> }
        })
        .collect_view()
        .into_any()
}

#[component]
fn ChildPanel(
    child: MyChild,
    reasons: Vec<(String, String)>,
    today: NaiveDate,
    furthest: NaiveDate,
    withdraw: ServerAction<WithdrawAbsence>,
) -> impl IntoView {
    let MyChild {
        id,
        first_name,
        room,
        today: today_words,
        periods,
        celebrations,
        sessions,
        reports,
        term,
        calendar,
        letters,
        next_report,
    } = child;
    let heading = format!("child-{id}");
    let labelled_by = heading.clone();
    view! {
        <section class="panel parent-child" aria-labelledby=labelled_by>
            <h2 id=heading>{first_name.clone()}</h2>
            <p class="eyebrow">{room}</p>
            <p class="status today-status">"Today: " {today_words}</p>
            {(!celebrations.is_empty()).then(|| view! {
                <ul class="celebrations" aria-label="Well done">
                    {celebrations.into_iter().map(|words| view! {
                        <li><span aria-hidden="true">"★ "</span>{words}</li>
                    }).collect_view()}
                </ul>
            })}
            <ul class="parent-periods">
                {periods.into_iter().map(|period| view! {
                    <li>
                        <span class="period-name">{period.name.clone()}</span>
                        <span class="period-sessions">{period.sessions_words()}</span>
                        <span class="period-band">
                            {period.percent.map(|percent| format!("{percent}% · "))}
                            {period.band.clone()}
                        </span>
                    </li>
                }).collect_view()}
            </ul>
            <ReportForm child=id first_name=first_name.clone() sessions reasons today furthest next_report />
            <Reports child=id reports withdraw />
            <details class="term-calendar">
                <summary>{format!("{term} calendar")}</summary>
                <TermCalendar weeks=calendar />
            </details>
            {(!letters.is_empty()).then(|| view! {
                <h3>"Letters from the setting"</h3>
                {letters.into_iter().map(|letter| view! {
                    <details class="parent-letter">
                        <summary>{letter.title} " · " {letter.sent}</summary>
                        <div class="letter-text">{letter.body}</div>
                    </details>
                }).collect_view()}
            })}
        </section>
    }
}

/// Shows the form to report an absence. With the app loaded the report waits on the phone
/// until sent; without it the form posts to the server directly.
#[component]
fn ReportForm(
    child: Uuid,
    first_name: String,
    sessions: Vec<(String, String)>,
    reasons: Vec<(String, String)>,
    today: NaiveDate,
    furthest: NaiveDate,
    next_report: Uuid,
) -> impl IntoView {
    let state = expect_context::<ParentState>();
    let first_day = RwSignal::new(today.to_string());
    let last_day = RwSignal::new(String::new());
    let session = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let labels = reasons.clone();
    let sent: StoredValue<Option<(ReportRequest, Uuid)>> = StoredValue::new(None);
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let first = first_day.get_untracked();
        let last = last_day.get_untracked();
        let parsed = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
        let days = match (parsed(&first), parsed(&last)) {
            (Some(from), Some(to)) => range_words(from, to),
            (Some(from), None) => range_words(from, from),
            _ => first.clone(),
        };
        let code = reason.get_untracked();
        let label = labels
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(code.clone(), |(_, label)| label.clone());
        let request = ReportRequest {
            id: Uuid::nil(),
            child,
            first_day: first,
            last_day: last,
            sessions: session.get_untracked(),
            reason: code,
            note: note.get_untracked(),
        };
        // A second tap on Send with the same details sends the same report, which is stored
        // once; changed details make a new report.
        let id = match sent.get_value() {
            Some((earlier, id)) if earlier == request => id,
            _ => Uuid::now_v7(),
        };
        sent.set_value(Some((request.clone(), id)));
        state.submit(PendingReport {
            request: ReportRequest { id, ..request },
            words: format!("{days}: {label}"),
        });
    };
    let field = |name: &str| format!("{name}-{child}");
    let (first_id, last_id, session_id, reason_id, note_id) = (
        field("first-day"),
        field("last-day"),
        field("sessions"),
        field("reason"),
        field("note"),
    );
    let several_sessions = sessions.len() > 1;
    view! {
        <details class="report-absence">
            <summary>{format!("Tell us {first_name} will be away")}</summary>
            <form class="form" method="post" action="/api/report-absence" on:submit=on_submit>
                <input type="hidden" name="id" value=next_report.to_string() />
                <input type="hidden" name="child" value=child.to_string() />
                <label for=first_id.clone()>"First day"</label>
                <input id=first_id type="date" name="first_day" required
                    min=today.to_string() max=furthest.to_string() bind:value=first_day />
                <label for=last_id.clone()>"Last day " <span class="hint">"(only if more than one day)"</span></label>
                <input id=last_id type="date" name="last_day"
                    min=today.to_string() max=furthest.to_string() bind:value=last_day />
                {several_sessions.then(|| view! {
                    <label for=session_id.clone()>"Sessions"</label>
                    <select id=session_id.clone() name="sessions" bind:value=session>
                        <option value="">"All booked sessions"</option>
                        {sessions.into_iter().map(|(code, name)| view! {
                            <option value=code>{format!("{name} only")}</option>
                        }).collect_view()}
                    </select>
                })}
                <label for=reason_id.clone()>"Reason"</label>
                <select id=reason_id name="reason" required bind:value=reason>
                    <option value="">"Choose a reason"</option>
                    {reasons.into_iter().map(|(code, label)| view! {
                        <option value=code>{label}</option>
                    }).collect_view()}
                </select>
                <label for=note_id.clone()>"Anything we should know? " <span class="hint">"(optional)"</span></label>
                <textarea id=note_id name="note" rows="3" maxlength="500" bind:value=note></textarea>
                <button type="submit" class="button primary">"Send"</button>
            </form>
        </details>
        <Waiting child />
    }
}

/// Reports waiting on the phone for `child`, and the server's last answer.
#[component]
fn Waiting(child: Uuid) -> impl IntoView {
    let state = expect_context::<ParentState>();
    let waiting = move || state.outbox.with(|outbox| outbox.for_child(child));
    let answer = move || {
        state.answers.with(|answers| {
            answers
                .iter()
                .find(|(c, _)| *c == child)
                .map(|(_, answer)| answer.clone())
        })
    };
    let sign_in = move || state.needs_sign_in.get() && !waiting().is_empty();
    view! {
        <div role="status" class="report-status">
            <Show when=sign_in>
                <p class="refused">
                    "Your sign-in has ended, so your message is waiting on this phone. "
                    <a href="/sign-in?next=/my">"Sign in again"</a>
                    " and it will be sent."
                </p>
            </Show>
            {move || waiting().into_iter().map(|report| view! {
                <p class="waiting">
                    <span aria-hidden="true">"↻ "</span>
                    "Waiting to send: " {report.words}
                    <span class="hint">" It goes as soon as this phone can reach us."</span>
                </p>
            }).collect_view()}
            {move || answer().map(|answer| match answer {
                Answer::Thanks(words) => view! { <p class="thanks">"✓ " {words}</p> }.into_any(),
                Answer::Refused(words) => view! {
                    <p class="refused" role="alert">"We could not take this message. " {words}</p>
                }.into_any(),
            })}
        </div>
    }
}

/// Withdraws a report after the parent confirms, so a stray tap on a busy phone does not
/// undo a message the setting relies on.
#[component]
fn WithdrawButton(id: Uuid, withdraw: ServerAction<WithdrawAbsence>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    view! {
        <Show
            when=move || confirming.get()
            fallback=move || view! {
                <button type="button" class="button secondary" on:click=move |_| confirming.set(true)>
                    "Withdraw"
                </button>
            }
        >
            <div class="confirm-withdraw" role="group" aria-label="Withdraw this message?">
                <p>"Withdraw this message? The room will expect your child again."</p>
                <button type="button" class="button"
                    on:click=move |_| { withdraw.dispatch(WithdrawAbsence { report: id }); }>
                    "Yes, withdraw"
                </button>
                <button type="button" class="button secondary" on:click=move |_| confirming.set(false)>
                    "Keep it"
                </button>
            </div>
        </Show>
    }
}

/// The child's reports from today on, with a way to withdraw those not yet started.
#[component]
fn Reports(
    child: Uuid,
    reports: Vec<ReportLine>,
    withdraw: ServerAction<WithdrawAbsence>,
) -> impl IntoView {
    if reports.is_empty() {
        return ().into_any();
    }
    let heading = format!("reports-{child}");
    let labelled_by = heading.clone();
    view! {
        <h3 id=heading>"You told us"</h3>
        <ul class="report-list" aria-labelledby=labelled_by>
            {reports.into_iter().map(|report| {
                let id = report.id;
                view! {
                    <li>
                        <span><strong>{report.days}</strong>": " {report.reason}</span>
                        {report.note.map(|note| view! { <span class="hint">{note}</span> })}
                        {report.may_withdraw.then(|| view! { <WithdrawButton id withdraw /> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The CSS class of a day's mark.
fn mark_class(mark: &DayMark) -> &'static str {
    match mark {
        DayMark::Closed { .. } => "closed",
        DayMark::NotBooked => "not-booked",
        DayMark::Upcoming => "upcoming",
        DayMark::Reported { .. } => "reported",
        DayMark::Attended { .. } => "attended",
        DayMark::PartDay => "part-day",
        DayMark::Absent { .. } => "absent",
    }
}

/// The symbols used in the calendar, with their meaning, for its key.
const CALENDAR_KEY: [(&str, &str); 7] = [
    ("✓", "Here"),
    ("½", "Part of the day"),
    ("–", "Away"),
    ("✉", "You told us"),
    ("○", "Booked"),
    ("·", "Not booked"),
    ("×", "Closed"),
];

/// The term's days, a week to a row, each with a symbol (its words are read out by screen
/// readers), then the days away in words.
#[component]
fn TermCalendar(weeks: Vec<CalendarWeek>) -> impl IntoView {
    let away: Vec<(String, String)> = weeks
        .iter()
        .flat_map(|week| week.days.iter())
        .filter(|day| {
            matches!(
                day.mark,
                DayMark::Absent { .. } | DayMark::Reported { .. } | DayMark::PartDay
            )
        })
        .map(|day| (day.date.format("%a %-d %b").to_string(), day.mark.words()))
        .collect();
    view! {
        <ul class="calendar-key" aria-label="Key">
            {CALENDAR_KEY.iter().map(|(symbol, words)| view! {
                <li><span class="calendar-symbol" aria-hidden="true">{*symbol}</span>{*words}</li>
            }).collect_view()}
        </ul>
        <ol class="calendar-weeks">
            {weeks.into_iter().map(|week| view! {
                <li>
                    <span class="calendar-week">{format!("Week of {}", week.monday.format("%-d %b"))}</span>
                    <ol class="calendar-days">
                        {week.days.into_iter().map(|day| view! {
                            <li
                                class=format!("calendar-day mark-{}", mark_class(&day.mark))
                                style=format!("grid-column: {}", day.date.weekday().number_from_monday().min(5))
                            >
                                <span class="calendar-date">{day.date.format("%a %-d").to_string()}</span>
                                <span class="calendar-symbol" aria-hidden="true">{day.mark.symbol()}</span>
                                <span class="visually-hidden">{day.mark.words()}</span>
                            </li>
                        }).collect_view()}
                    </ol>
                </li>
            }).collect_view()}
        </ol>
        {(!away.is_empty()).then(|| view! {
            <h4>"Days away this term"</h4>
            <ul class="away-days">
                {away.into_iter().map(|(date, words)| view! {
                    <li><strong>{date}</strong>": " {words}</li>
                }).collect_view()}
            </ul>
        })}
    }
}

/// A few plain words on why early attendance matters.
#[component]
fn WhyItMatters() -> impl IntoView {
    view! {
        <section class="panel why-attendance" aria-labelledby="why-heading">
            <h2 id="why-heading">"Why every session counts"</h2>
            <p>"The early years are when children learn fastest: talking, playing with friends, and getting ready for school. Coming regularly helps them feel settled and make the most of every day with us."</p>
            <p>"If something makes it hard to come, talk to us. We are here to help, not to judge."</p>
        </section>
    }
}
