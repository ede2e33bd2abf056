//! Accessible bar charts drawn as SVG. Each chart has a text summary for screen readers and
//! its numbers in a table beside it, and marks a threshold with a dashed line and a label.

use leptos::prelude::*;

use super::model::ChartPoint;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 40.0;
const BOTTOM: f64 = 28.0;

/// Draws a bar per point, rates from 0% to 100%, with a dashed line at `threshold` percent.
#[component]
pub fn RateChart(
    title: String,
    points: Vec<ChartPoint>,
    threshold: u32,
    #[prop(optional)] id: &'static str,
) -> impl IntoView {
    let id = if id.is_empty() { "chart" } else { id };
    let title_id = format!("{id}-title");
    let title_ref = title_id.clone();
    let summary = summary(&title, &points, threshold);
    let plot = HEIGHT - BOTTOM - 10.0;
    let step = (WIDTH - LEFT) / points.len().max(1) as f64;
    let bar = (step * 0.7).min(48.0);
    let y_of = |percent: f64| 10.0 + plot * (1.0 - percent / 100.0);
    let bars = points
        .iter()
        .enumerate()
        .map(|(index, point)| {
            let percent = f64::from(point.rate.percent_floor().unwrap_or(0));
            let x = LEFT + step * index as f64 + (step - bar) / 2.0;
            let below = point.rate.below(threshold) == Some(true);
            let label_every = points.len().div_ceil(6).max(1);
            let show_label = index % label_every == 0;
            view! {
                <rect
                    x=x
                    y=y_of(percent)
                    width=bar
                    height=plot * percent / 100.0
                    class=if below { "bar below" } else { "bar" }
                />
                {show_label.then(|| view! {
                    <text x=x + bar / 2.0 y=HEIGHT - 8.0 text-anchor="middle" class="axis-label">
                        {point.label.clone()}
                    </text>
                })}
            }
        })
        .collect_view();
    let line_y = y_of(f64::from(threshold));
    let rows = points
        .iter()
        .map(|point| {
            view! {
                <tr>
                    <th scope="row">{point.label.clone()}</th>
                    <td>{point.rate.label()}</td>
                    <td>{format!("{} of {}", point.rate.attended, point.rate.possible)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <div class="chart-scroll">
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-labelledby=title_ref
                preserveAspectRatio="xMidYMid meet"
            >
                <title id=title_id>{summary}</title>
                <text x="0" y=y_of(100.0) + 4.0 class="axis-label">"100%"</text>
                <text x="0" y=y_of(50.0) + 4.0 class="axis-label">"50%"</text>
                <line x1=LEFT x2=WIDTH y1=y_of(0.0) y2=y_of(0.0) class="axis" />
                {bars}
                <line x1=LEFT x2=WIDTH y1=line_y y2=line_y class="threshold" />
                <text x=WIDTH - 4.0 y=line_y - 4.0 text-anchor="end" class="threshold-label">
                    {format!("{threshold}%")}
                </text>
            </svg>
            </div>
            <figcaption>{title}</figcaption>
            <details class="chart-numbers">
                <summary>"Show the numbers"</summary>
                <div class="table-scroll">
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">"Period"</th>
                                <th scope="col">"Rate"</th>
                                <th scope="col">"Sessions attended"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}

/// Describes the chart in one sentence for screen readers.
fn summary(title: &str, points: &[ChartPoint], threshold: u32) -> String {
    let below = points
        .iter()
        .filter(|point| point.rate.below(threshold) == Some(true))
        .count();
    match (points.first(), points.last()) {
        (Some(first), Some(last)) => format!(
            "{title}: {} bars from {} ({}) to {} ({}); {below} below {threshold}%.",
            points.len(),
            first.label,
            first.rate.label(),
            last.label,
            last.rate.label()
        ),
        _ => format!("{title}: no data yet."),
    }
}
