//! Letters: a printable letter filled from a child's figures, and the setting's editable
//! templates.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use super::api::{load_letter, load_letter_templates, SaveLetterTemplate, SendLetter};
use crate::auth::manage::ManageNav;
use crate::auth::pages::{failure, FormError};
use crate::domain::attendance::letters::PLACEHOLDERS;
use crate::ui::ErrorPanel;

/// The letter at `/manage/children/:child/letters/:kind`, ready to print and record as sent.
#[component]
pub fn LetterPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        params.with(|p| {
            (
                p.get("child").and_then(|id| Uuid::parse_str(&id).ok()),
                p.get("kind").unwrap_or_default(),
            )
        })
    };
    let send = ServerAction::<SendLetter>::new();
    let letter = Resource::new(key, |(child, kind)| async move {
        match child {
            Some(child) => load_letter(child, kind).await,
            None => Err(crate::error::AppError::not_found("This child")),
        }
    });
    let sent = move || send.value().get().is_some_and(|result| result.is_ok());
    view! {
        <main class="page narrow letter-page">
            <Suspense fallback=|| view! { <p class="loading">"Loading the letter…"</p> }>
                {move || Suspend::new(async move {
                    let letter = match letter.await {
                        Ok(letter) => letter,
                        Err(error) => return view! { <ErrorPanel error /> }.into_any(),
                    };
                    let back = format!("/manage/children/{}", letter.child);
                    let child = letter.child.to_string();
                    let kind = letter.kind.clone();
                    view! {
                        <h1 class="no-print letter-title">{format!("{}: {}", letter.title, letter.child_name)}</h1>
                        <nav class="no-print button-row">
                            <a class="button secondary" href=back>{format!("Back to {}", letter.child_name)}</a>
                            <button type="button" class="button secondary" on:click=|_| print()>"Print"</button>
                        </nav>
                        <article class="letter" aria-label=letter.title.clone()>
                            <p class="letter-date">{letter.date.clone()}</p>
                            {letter.body.split("\n\n").map(|paragraph| view! {
                                <p>{paragraph.lines().map(|line| view! { {line.to_owned()}<br /> }).collect_view()}</p>
                            }).collect_view()}
                        </article>
                        <div class="no-print">
                            <FormError error=failure(send.value()) />
                            <Show
                                when=sent
                                fallback=move || {
                                    let (child, kind) = (child.clone(), kind.clone());
                                    view! {
                                        <ActionForm action=send attr:class="form">
                                            <input type="hidden" name="child" value=child />
                                            <input type="hidden" name="kind" value=kind />
                                            <button type="submit" class="button primary">"Record as sent"</button>
                                        </ActionForm>
                                    }
                                }
                            >
                                <p class="panel all-clear" role="status">"Recorded as sent in the case log."</p>
                            </Show>
                        </div>
                    }
                    .into_any()
                })}
            </Suspense>
        </main>
    }
}

/// Escapes text for use as HTML content. Leptos writes a textarea's child text as it is, so
/// a saved template containing `</textarea>` would otherwise end the element early.
fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

fn print() {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

/// The templates at `/manage/letters`.
#[component]
pub fn LettersPage() -> impl IntoView {
    let save = ServerAction::<SaveLetterTemplate>::new();
    let templates = Resource::new(move || save.version().get(), |_| load_letter_templates());
    let saved = move || save.value().get().is_some_and(|result| result.is_ok());
    view! {
        <main class="page">
            <ManageNav />
            <header class="page-header">
                <h1>"Letter templates"</h1>
                <p>"Letters are filled from each child's figures when you open them from the child's page."</p>
            </header>
            <section class="panel">
                <h2>"Placeholders"</h2>
                <ul class="placeholders">
                    {PLACEHOLDERS.iter().map(|(name, meaning)| view! { <li><code>{*name}</code> ": " {*meaning}</li> }).collect_view()}
                </ul>
            </section>
            <FormError error=failure(save.value()) />
            <Show when=saved>
                <p class="panel all-clear" role="status">"Template saved."</p>
            </Show>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match templates.await {
                        Ok(list) => list.into_iter().map(|(kind, label, body)| view! {
                            <section class="panel">
                                <h2>{label.clone()}</h2>
                                <ActionForm action=save attr:class="form">
                                    <input type="hidden" name="kind" value=kind />
                                    <label>
                                        <span>{format!("Text of the letter: {label}")}</span>
                                        <textarea name="body" rows="14" maxlength="5000" required inner_html=escape_html(&body)></textarea>
                                    </label>
                                    <button type="submit" class="button primary">{format!("Save {label}")}</button>
                                </ActionForm>
                            </section>
                        }).collect_view().into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}
