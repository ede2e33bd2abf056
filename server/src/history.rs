//! The manager's CSV exports of the register and of attendance figures, the
//! `here-today import-history` command, and the larger body limit of the history import.
//! `docs/exports.md` describes the exports and `docs/csv-import.md` the import.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use chrono::{DateTime, DurationRound, NaiveDate, TimeDelta, Utc};
use serde::Deserialize;
use sqlx::SqlitePool;
use tower::ServiceExt;
use tower_http::limit::RequestBodyLimitLayer;
use uuid::Uuid;

use app::auth::api::RequestOrigin;
use app::auth::Principal;
use app::domain::attendance::figures::Figures;
use app::domain::attendance::sessions::{Outcome, SessionRecord};
use app::domain::attendance::windows::DateRange;
use app::domain::calendar::{local_time_label, SettingCalendar};
use app::domain::events::{ChildDay, Presence, Visit};
use app::error::AppError;
use app::store::accounts::{audit, AuditEntry, Caller};
use app::store::attendance::{load_records, load_rules, ChildRecords};
use app::store::history::{
    import_history, ImportFailure, SessionStatus, MAX_IMPORT_BYTES, REGISTER_COLUMNS,
};
use app::store::{load_setting_from_pool, SettingRow};

use crate::routes::AppState;

/// Path of the register export.
pub const REGISTER_PATH: &str = "/manage/export/register.csv";
/// Path of the figures export.
pub const FIGURES_PATH: &str = "/manage/export/figures.csv";
/// Path of the server function that imports a past register.
pub const IMPORT_FN_PATH: &str = "/api/import-history";
/// Columns of the figures export, in file order.
pub const FIGURE_COLUMNS: [&str; 9] = [
    "level",
    "name",
    "room",
    "possible",
    "attended",
    "rate",
    "late",
    "extra",
    "unexplained",
];
/// Largest body of a history import request, in bytes. The import form sends the file
/// URL-encoded, which can make it up to three times as long. The import then rejects a file
/// over [`MAX_IMPORT_BYTES`] with a message that gives the limit.
pub const MAX_IMPORT_BODY_BYTES: usize = 3 * MAX_IMPORT_BYTES + 64 * 1024;

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/// The query string of both exports.
#[derive(Debug, Deserialize)]
pub struct RangeQuery {
    from: Option<String>,
    to: Option<String>,
}

/// A checked export request: who asked, their setting and the dates.
struct ExportRequest {
    caller: Caller,
    setting: Uuid,
    range: DateRange,
}

impl ExportRequest {
    /// Checks the caller and the dates, or returns the status and message to reply with. The
    /// route rule already let only managers through, and the setting comes from the
    /// manager's own account.
    fn check(
        principal: Principal,
        origin: RequestOrigin,
        query: Result<Query<RangeQuery>, QueryRejection>,
    ) -> Result<Self, (StatusCode, String)> {
        let Principal::Manager { person } = &principal else {
            tracing::warn!("an export request from someone not a manager passed the route rule");
            return Err((StatusCode::NOT_FOUND, "This page was not found.".to_owned()));
        };
        let setting = person.setting;
        let Query(query) = query.map_err(|rejection| {
            // The values are left out: they are whatever was typed, possibly a child's name.
            tracing::debug!("export rejected: unreadable query string");
            let message = format!(
                "The address could not be read ({}); give from and to as YYYY-MM-DD.",
                rejection.body_text()
            );
            (StatusCode::BAD_REQUEST, message)
        })?;
        let range = parse_range(&query).map_err(|message| {
            tracing::debug!("export rejected: invalid dates");
            (StatusCode::BAD_REQUEST, message)
        })?;
        let caller = Caller {
            principal,
            origin: origin.0,
        };
        Ok(Self {
            caller,
            setting,
            range,
        })
    }

    /// Returns the range for the audit trail, such as "2026-11-30 to 2026-12-04".
    fn range_words(&self) -> String {
        format!("{} to {}", self.range.from, self.range.to)
    }
}

/// Reads `from` and `to` and checks them as a custom range.
fn parse_range(query: &RangeQuery) -> Result<DateRange, String> {
    let from = parse_query_date("from", query.from.as_deref())?;
    let to = parse_query_date("to", query.to.as_deref())?;
    DateRange::custom(from, to).map_err(|message| format!("Invalid dates: {message}."))
}

fn parse_query_date(name: &str, value: Option<&str>) -> Result<NaiveDate, String> {
    let Some(value) = value.map(str::trim).filter(|value| !value.is_empty()) else {
        return Err(format!(
            "The {name} date is missing; add both dates to the address as YYYY-MM-DD, such as \
             ?from=2026-09-01&to=2026-12-18."
        ));
    };
    let date = NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| {
        format!(
            "The {name} date {} is not a date; write it as YYYY-MM-DD, such as 2026-09-01.",
            app::domain::attendance::windows::quoted_value(value)
        )
    })?;
    app::domain::attendance::windows::check_plausible(date)
        .map_err(|message| format!("The {name} date {message}."))
}

// ---------------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------------

/// Serves `GET /manage/export/register.csv?from=…&to=…`, one row per session record.
pub async fn register_csv(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Extension(origin): Extension<RequestOrigin>,
    query: Result<Query<RangeQuery>, QueryRejection>,
) -> Response {
    let request = match ExportRequest::check(principal, origin, query) {
        Ok(request) => request,
        Err((status, message)) => return text_response(status, &message),
    };
    let body = register_export(&state.pool, &request, state.clock.now()).await;
    finish(body, "register", &request)
}

/// Serves `GET /manage/export/figures.csv?from=…&to=…`, figures per child, room and setting.
pub async fn figures_csv(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Extension(origin): Extension<RequestOrigin>,
    query: Result<Query<RangeQuery>, QueryRejection>,
) -> Response {
    let request = match ExportRequest::check(principal, origin, query) {
        Ok(request) => request,
        Err((status, message)) => return text_response(status, &message),
    };
    let body = figures_export(&state.pool, &request, state.clock.now()).await;
    finish(body, "figures", &request)
}

fn finish(body: Result<Vec<u8>, AppError>, kind: &str, request: &ExportRequest) -> Response {
    match body {
        Ok(body) => {
            let filename = format!("{kind}-{}-{}.csv", request.range.from, request.range.to);
            let disposition = format!("attachment; filename=\"{filename}\"");
            let headers = [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, disposition),
                // The file names children, so no shared cache may keep it.
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ];
            (headers, body).into_response()
        }
        Err(error) => {
            tracing::warn!(%error, "export failed");
            let status = StatusCode::from_u16(error.status_code())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            text_response(status, &format!("The export failed: {error}."))
        }
    }
}

fn text_response(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{message}\n"),
    )
        .into_response()
}

// ---------------------------------------------------------------------------------------------
// The register export
// ---------------------------------------------------------------------------------------------

/// Builds the register CSV and writes the `register_exported` audit row.
async fn register_export(
    pool: &SqlitePool,
    request: &ExportRequest,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, AppError> {
    let (setting, children) = load_range(pool, request, now).await?;
    let markers = Markers::load(pool, setting.id, request.range).await?;
    let mut rows = vec![REGISTER_COLUMNS.map(str::to_owned).to_vec()];
    for child in &children {
        for record in &child.records {
            rows.push(register_row(&setting, child, record, &markers));
        }
    }
    let body = csv_bytes(&rows)?;
    let entry = AuditEntry::new(&request.caller, "register_exported")
        .setting(setting.id)
        .subject("register CSV")
        .detail(request.range_words());
    audit(pool, entry, now).await?;
    tracing::info!(rows = rows.len() - 1, "register exported");
    Ok(body)
}

/// Loads the setting and every child's session records in the request's range.
async fn load_range(
    pool: &SqlitePool,
    request: &ExportRequest,
    now: DateTime<Utc>,
) -> Result<(SettingRow, Vec<ChildRecords>), AppError> {
    let setting = load_setting_from_pool(pool, request.setting).await?;
    let rules = load_rules(pool, setting.id).await?;
    let children = load_records(pool, &setting, &rules, request.range, now, None).await?;
    Ok((setting, children))
}

/// Returns one row of the register export.
fn register_row(
    setting: &SettingRow,
    child: &ChildRecords,
    record: &SessionRecord,
    markers: &Markers,
) -> Vec<String> {
    let zone = setting.calendar.time_zone;
    let status = SessionStatus::of_record(record);
    let day = child.days.get(&record.date);
    let visit = covering_visit(day, record);
    let time = |instant: Option<DateTime<Utc>>| {
        instant.map_or_else(String::new, |instant| local_time_label(zone, instant))
    };
    let reason = match record.outcome {
        Outcome::Missed {
            reason: Some(reason),
        } => reason.code(),
        _ => "",
    };
    let mark = match status {
        SessionStatus::Absent => day.and_then(absence_id),
        SessionStatus::NotRecorded => None,
        _ => visit.map(|visit| visit.arrival_id),
    };
    vec![
        child.child.full_name(),
        record.date.to_string(),
        record.session.clone(),
        status.code().to_owned(),
        time(visit.map(|visit| visit.arrived)),
        time(
            visit
                .and_then(|visit| visit.departed)
                .map(|departed| departure_minute(departed, &setting.calendar)),
        ),
        reason.to_owned(),
        mark.map(|id| markers.name_of(id)).unwrap_or_default(),
    ]
}

/// Rounds a departure up to the whole minute. Arrivals are written rounded down, so the
/// HH:MM times cover the same sessions as the stored instants when the file is imported
/// again: a child who left at 13:00:30 was at the setting for a session that starts at
/// 13:00. A departure in the last minute of the day is rounded down, to stay on its day.
fn departure_minute(departed: DateTime<Utc>, calendar: &SettingCalendar) -> DateTime<Utc> {
    let Ok(minute) = departed.duration_trunc(TimeDelta::minutes(1)) else {
        return departed;
    };
    let rounded = if minute == departed {
        departed
    } else {
        minute + TimeDelta::minutes(1)
    };
    if calendar.local_date(rounded) == calendar.local_date(departed) {
        rounded
    } else {
        minute
    }
}

/// Returns the visit whose arrival the session record counts, if the child attended.
fn covering_visit<'d>(day: Option<&'d ChildDay>, record: &SessionRecord) -> Option<&'d Visit> {
    let arrived = record.arrived?;
    day?.visits.iter().find(|visit| visit.arrived == arrived)
}

fn absence_id(day: &ChildDay) -> Option<Uuid> {
    match &day.presence {
        Presence::Absent { absence_id, .. } => Some(*absence_id),
        _ => None,
    }
}

/// The staff member behind each arrival and absence in a range, by event id.
struct Markers {
    staff_of_event: HashMap<Uuid, Uuid>,
    names: HashMap<Uuid, String>,
}

impl Markers {
    async fn load(pool: &SqlitePool, setting: Uuid, range: DateRange) -> Result<Self, AppError> {
        let events: Vec<(String, String)> = sqlx::query_as(
            "SELECT id, staff_id FROM attendance_events
             WHERE setting_id = ? AND local_date BETWEEN ? AND ?
               AND kind IN ('arrived', 'absent') AND staff_id IS NOT NULL",
        )
        .bind(setting.to_string())
        .bind(range.from.to_string())
        .bind(range.to.to_string())
        .fetch_all(pool)
        .await?;
        let staff: Vec<(String, String)> = sqlx::query_as(
            "SELECT id, first_name || ' ' || last_name FROM staff WHERE setting_id = ?",
        )
        .bind(setting.to_string())
        .fetch_all(pool)
        .await?;
        Ok(Self {
            staff_of_event: events
                .iter()
                .filter_map(|(event, staff)| Some((parse_uuid(event)?, parse_uuid(staff)?)))
                .collect(),
            names: staff
                .into_iter()
                .filter_map(|(id, name)| Some((parse_uuid(&id)?, name)))
                .collect(),
        })
    }

    /// Returns the name of the staff member who made mark `event`, or an empty string.
    fn name_of(&self, event: Uuid) -> String {
        self.staff_of_event
            .get(&event)
            .and_then(|staff| self.names.get(staff))
            .cloned()
            .unwrap_or_default()
    }
}

fn parse_uuid(text: &str) -> Option<Uuid> {
    Uuid::parse_str(text).ok()
}

// ---------------------------------------------------------------------------------------------
// The figures export
// ---------------------------------------------------------------------------------------------

/// Builds the figures CSV and writes the `figures_exported` audit row.
async fn figures_export(
    pool: &SqlitePool,
    request: &ExportRequest,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, AppError> {
    let (setting, children) = load_range(pool, request, now).await?;
    let body = csv_bytes(&figure_rows(&setting, &children, request.range))?;
    let entry = AuditEntry::new(&request.caller, "figures_exported")
        .setting(setting.id)
        .subject("figures CSV")
        .detail(request.range_words());
    audit(pool, entry, now).await?;
    tracing::info!("figures exported");
    Ok(body)
}

/// Returns the header, a row for each child on roll on any day of `range`, a row for each of
/// their rooms in the order of the children, and a row for the whole setting.
fn figure_rows(
    setting: &SettingRow,
    children: &[ChildRecords],
    range: DateRange,
) -> Vec<Vec<String>> {
    let on_roll = children.iter().filter(|child| {
        let plan = &child.child.plan;
        plan.start <= range.to && plan.leaving.is_none_or(|leaving| leaving >= range.from)
    });
    let mut rows = vec![FIGURE_COLUMNS.map(str::to_owned).to_vec()];
    let mut rooms: Vec<(Uuid, String, Figures)> = Vec::new();
    let mut whole = Figures::default();
    for child in on_roll {
        let figures = Figures::from_records(&child.records);
        let info = &child.child;
        rows.push(figure_row("child", &info.full_name(), &info.room, &figures));
        match rooms.iter_mut().find(|(id, _, _)| *id == info.room_id) {
            Some((_, _, room)) => room.merge(&figures),
            None => rooms.push((info.room_id, info.room.clone(), figures.clone())),
        }
        whole.merge(&figures);
    }
    for (_, room, figures) in &rooms {
        rows.push(figure_row("room", room, room, figures));
    }
    rows.push(figure_row("setting", &setting.name, "", &whole));
    rows
}

fn figure_row(level: &str, name: &str, room: &str, figures: &Figures) -> Vec<String> {
    vec![
        level.to_owned(),
        name.to_owned(),
        room.to_owned(),
        figures.rate.possible.to_string(),
        figures.rate.attended.to_string(),
        figures.rate.label(),
        figures.late.to_string(),
        figures.extra.to_string(),
        figures.unexplained.to_string(),
    ]
}

// ---------------------------------------------------------------------------------------------
// CSV writing
// ---------------------------------------------------------------------------------------------

/// Returns rows as CSV with a UTF-8 byte-order mark, CRLF line ends, quotes where a value
/// needs them, and every value guarded by [`guard_formula`]. The byte-order mark makes Excel
/// read names with accents correctly.
pub fn csv_bytes(rows: &[Vec<String>]) -> Result<Vec<u8>, AppError> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    for row in rows {
        let guarded: Vec<Cow<'_, str>> = row.iter().map(|value| guard_formula(value)).collect();
        writer
            .write_record(guarded.iter().map(|value| value.as_bytes()))
            .map_err(csv_error)?;
    }
    writer
        .into_inner()
        .map_err(|error| csv_error(error.into_error().into()))
}

fn csv_error(error: csv::Error) -> AppError {
    tracing::error!(%error, "writing an export CSV failed");
    AppError::Internal
}

/// Puts an apostrophe before a value that a spreadsheet would read as a formula: one that
/// starts with `=`, `+`, `-` or `@`, or with a tab or carriage return.
pub fn guard_formula(value: &str) -> Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

// ---------------------------------------------------------------------------------------------
// The history import: command line and body limit
// ---------------------------------------------------------------------------------------------

/// Runs `here-today import-history FILE` into the first setting. Returns the summary to
/// print, or the reason nothing was stored, with every problem in the file on its own line.
pub async fn run_import_history(
    pool: &SqlitePool,
    file: &Path,
    now: DateTime<Utc>,
) -> Result<String, String> {
    let bytes = std::fs::read(file)
        .map_err(|error| format!("could not read {}: {error}", file.display()))?;
    let text = String::from_utf8(bytes).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&byte| byte == b'\n').count() + 1;
        format!(
            "{} line {line} is not UTF-8 text; in the spreadsheet, save the file as \"CSV UTF-8\" \
             and import it again",
            file.display()
        )
    })?;
    let setting = app::store::first_setting(pool)
        .await
        .map_err(|error| error.to_string())?;
    let caller = Caller::console();
    match import_history(pool, setting.id, &caller, &text, now).await {
        Ok(summary) => Ok(summary.sentence()),
        Err(ImportFailure::Rejected(errors)) => {
            let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
            Err(format!(
                "{} has {} problems, so nothing was imported:\n{}",
                file.display(),
                errors.len(),
                lines.join("\n")
            ))
        }
        Err(ImportFailure::Failed(error)) => Err(format!("nothing was imported: {error}")),
    }
}

/// Applies `limit` bytes to the request body, or [`MAX_IMPORT_BODY_BYTES`] for the history
/// import. A larger body gets 413 before any handler runs.
pub async fn limit_body(request: Request, next: Next, limit: usize) -> Response {
    let limit = if request.uri().path() == IMPORT_FN_PATH {
        MAX_IMPORT_BODY_BYTES
    } else {
        limit
    };
    // The first layer rejects a body over the limit. The second raises axum's own default
    // (2 MiB), which the server functions' body reading applies too.
    let service = tower::ServiceBuilder::new()
        .layer(RequestBodyLimitLayer::new(limit))
        .layer(DefaultBodyLimit::max(limit))
        .map_request(|request: Request<_>| request.map(Body::new))
        .service(next);
    match service.oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    }
}
