//! The manager's morning view: who to call, who needs a home visit, new suggestions, reviews
//! due and today's rooms.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::api::{load_morning, DecideSuggestion, LogCall};
use super::model::{CallLine, MorningView, SuggestionLine};
use crate::auth::manage::{DataTable, ManageNav};
use crate::auth::pages::{failure, FormError};
use crate::domain::attendance::first_day::CallOutcome;
use crate::domain::reasons::AbsenceReason;
use crate::ui::ErrorPanel;

/// The morning view, refreshed after each call or decision.
#[component]
pub fn MorningPage() -> impl IntoView {
    let call = ServerAction::<LogCall>::new();
    let decide = ServerAction::<DecideSuggestion>::new();
    let view_data = Resource::new(
        move || (call.version().get(), decide.version().get()),
        |_| load_morning(),
    );
    view! {
        <main class="page">
            <ManageNav />
            <Suspense fallback=|| view! { <p class="loading">"Loading this morning…"</p> }>
                {move || Suspend::new(async move {
                    match view_data.await {
                        Ok(data) => view! { <Morning data call decide /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn Morning(
    data: MorningView,
    call: ServerAction<LogCall>,
    decide: ServerAction<DecideSuggestion>,
) -> impl IntoView {
    let calls = data.calls.len();
    let call_cards = data
        .calls
        .into_iter()
        .map(|line| view! { <CallCard line call /> })
        .collect_view();
    let has_prompts = !data.prompts.is_empty();
    let prompt_count = data.prompts.len();
    let review_count = data.reviews.len();
    let prompts = data
        .prompts
        .into_iter()
        .map(|prompt| {
            view! {
                <li class="panel warning prompt">
                    <p class="prompt-title">
                        <span class="status-icon" aria-hidden="true">"!"</span>
                        <a href=format!("/manage/children/{}", prompt.child)>{prompt.name}</a>
                        " · " {prompt.room}
                    </p>
                    <p>{prompt.words}</p>
                </li>
            }
        })
        .collect_view();
    let has_reported = !data.reported.is_empty();
    let reported_count = data.reported.len();
    let reported = data
        .reported
        .into_iter()
        .map(|line| {
            view! {
                <li class="panel reported-line">
                    <p class="prompt-title">
                        <span class="status-icon" aria-hidden="true">"✉"</span>
                        <a href=format!("/manage/children/{}", line.child)>{line.name}</a>
                        " · " {line.room}
                    </p>
                    <p>{line.words}</p>
                </li>
            }
        })
        .collect_view();
    let suggestions = data.suggestions.len();
    let suggestion_cards = data
        .suggestions
        .into_iter()
        .map(|line| view! { <SuggestionCard line decide /> })
        .collect_view();
    view! {
        <header class="page-header">
            <p class="eyebrow">{data.setting_name}</p>
            <h1>"This morning: " {data.today}</h1>
            {data.closed.map(|closed| view! { <p class="panel notice">"The setting is " {closed} "."</p> })}
        </header>
        <nav class="morning-summary" aria-label="This morning at a glance">
            <a href="#calls-heading"><strong>{calls}</strong>" to call"</a>
            {has_prompts.then(|| view! {
                <a href="#visits-heading" class="urgent"><strong>{prompt_count}</strong>{plural(prompt_count, " home visit to arrange", " home visits to arrange")}</a>
            })}
            <a href="#suggestions-heading"><strong>{suggestions}</strong>{plural(suggestions, " suggestion", " suggestions")}</a>
            <a href="#reviews-heading"><strong>{review_count}</strong>{plural(review_count, " review due", " reviews due")}</a>
        </nav>
        <FormError error=failure(call.value()) />
        <FormError error=failure(decide.value()) />
        <section aria-labelledby="calls-heading">
            <h2 id="calls-heading">"Call list " <span class="count-badge">{calls}</span></h2>
            {if calls == 0 {
                view! { <p class="panel all-clear">"Nobody to call: every booked child has arrived or has a reason."</p> }.into_any()
            } else {
                view! {
                    <p class="hint">"Booked, not marked and no absence reported, " {data.call_after} " minutes after their session started. The list clears as children arrive."</p>
                    <ul class="call-list panel">{call_cards}</ul>
                }.into_any()
            }}
        </section>
        {has_reported.then(|| view! {
            <section aria-labelledby="reported-heading">
                <h2 id="reported-heading">"Told us in advance " <span class="count-badge">{reported_count}</span></h2>
                <ul class="follow-list">{reported}</ul>
            </section>
        })}
        {has_prompts.then(|| view! {
            <section aria-labelledby="visits-heading">
                <h2 id="visits-heading">"Arrange a home visit"</h2>
                <ul class="follow-list">{prompts}</ul>
            </section>
        })}
        <section aria-labelledby="suggestions-heading">
            <h2 id="suggestions-heading">"Suggestions " <span class="count-badge">{suggestions}</span></h2>
            {if suggestions == 0 {
                view! { <p class="panel all-clear">"No new suggestions."</p> }.into_any()
            } else {
                view! { <ul class="follow-list">{suggestion_cards}</ul> }.into_any()
            }}
        </section>
        <Reviews reviews=data.reviews />
        <section aria-labelledby="rooms-heading">
            <h2 id="rooms-heading">"Today by room"</h2>
            <DataTable headers=&["Room", "Booked", "Here", "Gone home", "Absent", "Not yet arrived"] panel=true>
                {data.rooms.into_iter().map(|room| view! {
                    <tr>
                        <th scope="row">{room.name}</th>
                        <td>{room.counts.expected}</td>
                        <td>{room.counts.here}</td>
                        <td>{room.counts.gone_home}</td>
                        <td>{room.counts.absent}</td>
                        <td>{room.counts.not_yet_arrived}</td>
                    </tr>
                }).collect_view()}
            </DataTable>
        </section>
    }
}

fn plural(count: usize, one: &'static str, many: &'static str) -> &'static str {
    if count == 1 {
        one
    } else {
        many
    }
}

#[component]
fn Reviews(reviews: Vec<super::model::ReviewLine>) -> impl IntoView {
    let empty = reviews.is_empty();
    let rows = reviews
        .into_iter()
        .map(|review| {
            let when = if review.overdue {
                format!("Overdue since {}", review.due.format("%-d %b"))
            } else {
                format!("Due {}", review.due.format("%A %-d %b"))
            };
            view! {
                <tr>
                    <th scope="row"><a href=format!("/manage/children/{}", review.child)>{review.name}</a></th>
                    <td>{review.room}</td>
                    <td>{review.level.label()}</td>
                    <td class:overdue=review.overdue>{when}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="reviews-heading">
            <h2 id="reviews-heading">"Reviews due"</h2>
            {if empty {
                view! { <p class="panel all-clear">"No reviews due in the next 7 days."</p> }.into_any()
            } else {
                view! { <DataTable headers=&["Child", "Room", "Level", "Review"] panel=true>{rows}</DataTable> }.into_any()
            }}
        </section>
    }
}

/// One child on the call list, with numbers to call and a form to log the call.
#[component]
fn CallCard(line: CallLine, call: ServerAction<LogCall>) -> impl IntoView {
    let child = line.child.to_string();
    let heading = format!("call-{}", line.child);
    let heading_ref = heading.clone();
    let contacts = line
        .contacts
        .into_iter()
        .map(|contact| {
            let label = format!("{} ({})", contact.name, contact.relationship);
            match contact.phone {
                Some(phone) => {
                    let href = format!("tel:{}", phone.replace(' ', ""));
                    view! {
                        <li><a class="button secondary phone" href=href>{label} ": " {phone}</a></li>
                    }
                }
                .into_any(),
                None => view! { <li>{label} ": no phone number"</li> }.into_any(),
            }
        })
        .collect_view();
    let earlier = line
        .calls
        .into_iter()
        .map(|words| view! { <li>{words}</li> })
        .collect_view();
    let summary = format!("Call about {}", line.name);
    view! {
        <li class="call-row" aria-labelledby=heading_ref>
            <div class="call-who">
                <h3 id=heading>
                    <a href=format!("/manage/children/{}", line.child)>{line.name.clone()}</a>
                </h3>
                <p class="eyebrow">{line.room} " · " {line.expected}</p>
                <ul class="call-history">{earlier}</ul>
            </div>
            <details class="call-details">
                <summary class="button secondary">{summary}</summary>
                <ul class="contact-list">{contacts}</ul>
                <ActionForm action=call attr:class="form grid call-form">
                    <input type="hidden" name="child" value=child />
                    <fieldset class="choices-inline">
                        <legend>"Outcome"</legend>
                        {CallOutcome::ALL.into_iter().map(|outcome| view! {
                            <label class="radio">
                                <input type="radio" name="outcome" value=outcome.code() required />
                                <span>{outcome.label()}</span>
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <label>
                        <span>"Reason given (marks the register)"</span>
                        <select name="reason">
                            <option value="">"None given"</option>
                            {AbsenceReason::ALL.into_iter().filter(|reason| *reason != AbsenceReason::SettingClosed).map(|reason| view! {
                                <option value=reason.code()>{reason.label()}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label>
                        <span>"Note"</span>
                        <input type="text" name="note" maxlength="500" />
                    </label>
                    <button type="submit" class="button primary">{format!("Log call for {}", line.name)}</button>
                </ActionForm>
            </details>
        </li>
    }
}

/// A suggested level change with its reasons, and forms to confirm or dismiss it.
#[component]
pub fn SuggestionCard(
    line: SuggestionLine,
    decide: ServerAction<DecideSuggestion>,
) -> impl IntoView {
    let child = line.child.to_string();
    let child_again = child.clone();
    let to = line.to.number().to_string();
    let to_again = to.clone();
    let heading = format!("suggestion-{}", line.child);
    let heading_ref = heading.clone();
    let progress = line.to < line.current;
    let reasons = line
        .reasons
        .iter()
        .map(|reason| view! { <li>{reason.words.clone()}</li> })
        .collect_view();
    let confirm_label = format!("Confirm {} for {}", line.to.label(), line.name);
    let dismiss_label = format!("Dismiss for {}", line.name);
    view! {
        <li class="panel suggestion" class:progress=progress aria-labelledby=heading_ref>
            <h3 id=heading>
                <a href=format!("/manage/children/{}", line.child)>{line.name.clone()}</a>
            </h3>
            <p class="eyebrow">{line.room} " · now " {line.current.label()}</p>
            <p class="suggested">
                {if progress { "Progress made: suggest " } else { "Suggest " }}
                <strong>{line.to.label()}</strong>
            </p>
            <ul class="reasons-list">{reasons}</ul>
            {line.sen.then(|| view! {
                <p class="sen-note"><strong>"SEN support"</strong>": involve the SENCO in any plan."</p>
            })}
            <div class="decision-forms">
                <ActionForm action=decide attr:class="form">
                    <input type="hidden" name="child" value=child_again />
                    <input type="hidden" name="to_level" value=to_again />
                    <input type="hidden" name="decision" value="confirm" />
                    <label>
                        <span>"Note (optional)"</span>
                        <input type="text" name="note" maxlength="500" />
                    </label>
                    <button type="submit" class="button primary">{confirm_label}</button>
                </ActionForm>
                <details class="dismiss">
                    <summary class="button secondary">"Dismiss…"</summary>
                    <ActionForm action=decide attr:class="form">
                        <input type="hidden" name="child" value=child />
                        <input type="hidden" name="to_level" value=to />
                        <input type="hidden" name="decision" value="dismiss" />
                        <label>
                            <span>"Why? (needed)"</span>
                            <input type="text" name="note" required maxlength="500" />
                        </label>
                        <button type="submit" class="button secondary">{dismiss_label}</button>
                    </ActionForm>
                </details>
            </div>
        </li>
    }
}
