//! The manager's screen for importing a past register from CSV, and the server function
//! behind it. The import itself is in `store::history`.

use chrono::NaiveDate;
use leptos::form::ActionForm;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::manage::ManageNav;
use crate::auth::pages::FormError;
use crate::error::AppError;

/// Largest file the screen reads, in bytes. The server checks the same limit.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const MAX_FILE_BYTES: f64 = 5.0 * 1024.0 * 1024.0;

/// Counts of what a history import stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    /// Data rows in the file.
    pub rows: usize,
    /// Distinct dates in the file.
    pub days: usize,
    /// Distinct children in the file.
    pub children: usize,
    /// Attendance events stored.
    pub events: usize,
    pub first_date: NaiveDate,
    pub last_date: NaiveDate,
}

impl ImportSummary {
    /// Returns the counts in words, such as "412 rows, 160 days, 3 children".
    pub fn counts_label(&self) -> String {
        format!(
            "{}, {}, {}",
            count(self.rows, "row", "rows"),
            count(self.days, "day", "days"),
            count(self.children, "child", "children")
        )
    }

    /// Returns the whole outcome as a sentence, for the screen and the command line.
    pub fn sentence(&self) -> String {
        format!(
            "Imported {} from {} to {}, stored as {}.",
            self.counts_label(),
            self.first_date.format("%-d %b %Y"),
            self.last_date.format("%-d %b %Y"),
            count(self.events, "register entry", "register entries")
        )
    }
}

fn count(number: usize, singular: &str, plural: &str) -> String {
    if number == 1 {
        format!("1 {singular}")
    } else {
        format!("{number} {plural}")
    }
}

/// Imports a past register in the columns of the register export into the manager's
/// setting: every row, or none when any row has a problem. A rejected file returns
/// `InvalidInput` on the field `csv`, with one problem per line of the message.
#[server(endpoint = "import-history")]
pub async fn import_history(csv: String) -> Result<ImportSummary, AppError> {
    server_side::import(csv).await
}

#[cfg(feature = "ssr")]
mod server_side {
    use super::ImportSummary;
    use crate::auth::api::{manager, pool_and_clock, with_status};
    use crate::error::AppError;
    use crate::store::history::{import_history, ImportFailure, RowError};

    /// Maximum number of problems listed in one reply, so a file with an error on every row
    /// still gets a reply the page can show.
    const MAX_LISTED: usize = 500;

    pub async fn import(csv: String) -> Result<ImportSummary, AppError> {
        let (caller, setting, _) = with_status(manager())?;
        let (pool, clock) = pool_and_clock()?;
        let result = import_history(&pool, setting, &caller, &csv, clock.now()).await;
        with_status(result.map_err(|failure| match failure {
            ImportFailure::Rejected(errors) => AppError::invalid("csv", listed(&errors)),
            ImportFailure::Failed(error) => error,
        }))
    }

    fn listed(errors: &[RowError]) -> String {
        let mut lines: Vec<String> = errors
            .iter()
            .take(MAX_LISTED)
            .map(RowError::to_string)
            .collect();
        if errors.len() > MAX_LISTED {
            lines.push(format!(
                "and {} more problems; correct these and import again to see the rest",
                errors.len() - MAX_LISTED
            ));
        }
        lines.join("\n")
    }
}

/// Renders the page at `/manage/import`: an explanation of the file, a form to download the
/// register as a template, and the import form.
#[component]
pub fn ImportPage() -> impl IntoView {
    let action = ServerAction::<ImportHistory>::new();
    let text = RwSignal::new(String::new());
    let file_problem = RwSignal::new(None::<String>);
    view! {
        <main class="page">
            <ManageNav />
            <header class="page-header">
                <h1>"Import past register"</h1>
                <p>
                    "Bring in the register a setting kept on paper or in another system, so \
                     attendance figures include those days. Nothing is stored unless every row \
                     is valid."
                </p>
            </header>
            <ColumnsHelp />
            <TemplateForm />
            <ActionForm action attr:class="panel form">
                <h2>"Import"</h2>
                <label class="field">
                    <span>"Choose a CSV file"</span>
                    <input
                        type="file"
                        accept=".csv,text/csv"
                        on:change=move |event| choose_file(event, text, file_problem)
                    />
                </label>
                <FormError error=Signal::derive(move || file_problem.get()) />
                <label class="field">
                    <span>"Or paste the rows, with the header row first"</span>
                    <textarea
                        name="csv"
                        rows="14"
                        required
                        spellcheck="false"
                        prop:value=move || text.get()
                        on:input=move |event| text.set(event_target_value(&event))
                    ></textarea>
                </label>
                <button type="submit" class="button primary">"Import"</button>
            </ActionForm>
            {import_outcome(action)}
        </main>
    }
}

/// Renders the explanation of the file's columns and statuses.
#[component]
fn ColumnsHelp() -> impl IntoView {
    view! {
        <section class="panel">
            <h2>"The file"</h2>
            <p>
                "Use the columns of the register export, with this header row: "
                <code>"child,date,session,status,arrival,departure,reason,recorded_by"</code>
                ". Write one row per child and session:"
            </p>
            <ul>
                <li><code>"child"</code>": first and last name as the setting has them, such as Ava Whitfield."</li>
                <li><code>"date"</code>": a day before today, as YYYY-MM-DD or DD/MM/YYYY."</li>
                <li><code>"session"</code>": a session code of the setting, such as am or pm."</li>
                <li>
                    <code>"status"</code>": attended, late, extra (attended without a booking), \
                     absent, or not_recorded (booked, with no mark)."
                </li>
                <li>
                    <code>"arrival"</code>" and "<code>"departure"</code>": HH:MM, or empty to use \
                     the session's start and end. Leave them empty for absent and not_recorded rows."
                </li>
                <li>
                    <code>"reason"</code>": required for absent rows, such as illness, \
                     medical_appointment or holiday_agreed."
                </li>
                <li><code>"recorded_by"</code>": the staff member who marked it, or empty."</li>
            </ul>
            <p class="hint">
                "A day that already has marks in the register cannot be imported. The register \
                 records an absence for a whole day, so a day with an attended session cannot \
                 also have an absent one. Write not_recorded for the session missed that day."
            </p>
        </section>
    }
}

/// Renders a form that downloads the register export for a range, to use as a template.
#[component]
fn TemplateForm() -> impl IntoView {
    view! {
        <section class="panel">
            <h2>"Download a template"</h2>
            <p class="hint">
                "The register export has the same columns. Download a few days of it to see \
                 how rows are written."
            </p>
            <form class="form grid" method="get" action="/manage/export/register.csv">
                <label><span>"From"</span><input type="date" name="from" required /></label>
                <label><span>"To"</span><input type="date" name="to" required /></label>
                <button type="submit" class="button secondary">"Download register CSV"</button>
            </form>
        </section>
    }
}

/// Shows the outcome of the last import: the summary, or the problems found.
fn import_outcome(action: ServerAction<ImportHistory>) -> impl IntoView {
    move || {
        if action.pending().get() {
            return view! { <p class="loading" aria-live="polite">"Checking the file…"</p> }
                .into_any();
        }
        match action.value().get() {
            None => ().into_any(),
            Some(Ok(summary)) => view! {
                <section class="panel" role="status">
                    <h2>"Import finished"</h2>
                    <p>{summary.sentence()}</p>
                    <p>"The attendance figures now include these days."</p>
                </section>
            }
            .into_any(),
            Some(Err(AppError::InvalidInput { field, message })) if field == "csv" => {
                let problems = message
                    .lines()
                    .map(|line| view! { <li>{line.to_owned()}</li> })
                    .collect_view();
                view! {
                    <section class="panel form-error" role="alert">
                        <h2>"Nothing was imported"</h2>
                        <p>"Correct these problems in the file, then import it again."</p>
                        <ul>{problems}</ul>
                    </section>
                }
                .into_any()
            }
            Some(Err(error)) => {
                let message = error.to_string();
                view! { <FormError error=Signal::derive(move || Some(message.clone())) /> }
                    .into_any()
            }
        }
    }
}

/// Reads the chosen file into `text`, or sets `problem` when the file is too large or
/// unreadable. Only the browser calls this, because the server render attaches no event
/// handlers.
fn choose_file(
    event: leptos::ev::Event,
    text: RwSignal<String>,
    problem: RwSignal<Option<String>>,
) {
    #[cfg(feature = "hydrate")]
    read_file(event, text, problem);
    #[cfg(not(feature = "hydrate"))]
    let _ = (event, text, problem);
}

/// Reads the first file of the input that fired `event` with `File.text()`. The DOM is reached
/// through `js_sys::Reflect`, so the crate needs no extra `web-sys` features.
#[cfg(feature = "hydrate")]
fn read_file(event: leptos::ev::Event, text: RwSignal<String>, problem: RwSignal<Option<String>>) {
    use js_sys::{Function, Promise, Reflect};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};

    let file = event
        .target()
        .and_then(|input| Reflect::get(&input, &"files".into()).ok())
        .and_then(|files| Reflect::get(&files, &JsValue::from(0)).ok())
        .filter(JsValue::is_object);
    let Some(file) = file else {
        return;
    };
    let size = Reflect::get(&file, &"size".into())
        .ok()
        .and_then(|size| size.as_f64())
        .unwrap_or(0.0);
    if size > MAX_FILE_BYTES {
        problem.set(Some(format!(
            "The file is {:.1} MB and an import takes at most 5 MB; split it into parts by \
             date and import each part.",
            size / (1024.0 * 1024.0)
        )));
        return;
    }
    let promise = Reflect::get(&file, &"text".into())
        .ok()
        .and_then(|read| read.dyn_into::<Function>().ok())
        .and_then(|read| read.call0(&file).ok())
        .and_then(|promise| promise.dyn_into::<Promise>().ok());
    let unreadable = "The file could not be read; save it again as CSV UTF-8, or paste its rows.";
    let Some(promise) = promise else {
        problem.set(Some(unreadable.to_owned()));
        return;
    };
    let loaded: Closure<dyn FnMut(JsValue)> = Closure::once(move |value: JsValue| {
        text.set(value.as_string().unwrap_or_default());
        problem.set(None);
    });
    let failed: Closure<dyn FnMut(JsValue)> =
        Closure::once(move |_: JsValue| problem.set(Some(unreadable.to_owned())));
    let _ = promise.then2(&loaded, &failed);
    // NOTE: each choice of file leaks these two small closures, because the promise may call
    // either of them later and nothing else owns them.
    loaded.forget();
    failed.forget();
}
