//! The printed results: a table of store rates and tables of response times.

use std::time::Duration;

use super::http::GetTimes;

/// One timed series of stored events.
pub struct Series {
    pub label: String,
    pub events: usize,
    /// HTTP requests sent, or `None` for raw inserts.
    pub requests: Option<usize>,
    /// Write transactions committed. The app commits once per request.
    pub transactions: usize,
    pub elapsed: Duration,
}

/// Prints one row per series with events per second and microseconds per event.
pub fn print_store_table(rows: &[Series]) {
    println!(
        "{:<44} {:>7} {:>8} {:>12} {:>8} {:>9} {:>9}",
        "Marks stored", "Events", "Requests", "Transactions", "Seconds", "Events/s", "µs/event"
    );
    for row in rows {
        let seconds = row.elapsed.as_secs_f64();
        let requests = row
            .requests
            .map_or_else(|| "-".to_owned(), |count| count.to_string());
        println!(
            "{:<44} {:>7} {:>8} {:>12} {:>8.3} {:>9.0} {:>9.1}",
            row.label,
            row.events,
            requests,
            row.transactions,
            seconds,
            row.events as f64 / seconds,
            seconds * 1e6 / row.events as f64,
        );
    }
}

/// Prints the header of the response-time table. Times are in milliseconds.
pub fn print_get_header() {
    print_times_header("GET (times in ms)");
}

/// Prints one row of response-time percentiles, mean, minimum and maximum in milliseconds.
/// Percentiles use the nearest-rank method, so p99 of 1,000 samples is the 990th fastest.
pub fn print_get_row(label: &str, times: &GetTimes) {
    print_times_row(label, &times.samples, times.body_bytes);
}

/// Prints the header of a response-time table whose first column is headed `title`.
pub fn print_times_header(title: &str) {
    println!(
        "{:<44} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>10}",
        title, "Requests", "p50", "p90", "p99", "mean", "min", "max", "Body bytes"
    );
}

/// Prints one row of a response-time table, as [`print_get_row`] does, for `samples` (not
/// empty) and a response body of `body_bytes`.
pub fn print_times_row(label: &str, samples: &[Duration], body_bytes: usize) {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    let total: Duration = sorted.iter().sum();
    let mean = total / u32::try_from(sorted.len()).expect("fewer than 2^32 samples");
    println!(
        "{:<44} {:>8} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>10}",
        label,
        sorted.len(),
        millis(nearest_rank(&sorted, 50)),
        millis(nearest_rank(&sorted, 90)),
        millis(nearest_rank(&sorted, 99)),
        millis(mean),
        millis(sorted[0]),
        millis(sorted[sorted.len() - 1]),
        body_bytes,
    );
}

/// Returns the `percent`th percentile of `sorted` (ascending, not empty) by nearest rank.
fn nearest_rank(sorted: &[Duration], percent: usize) -> Duration {
    let rank = (percent * sorted.len()).div_ceil(100).max(1);
    sorted[rank - 1]
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}
