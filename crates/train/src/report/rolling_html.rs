//! The rolling-origin evaluation as one self-contained HTML page (the evaluation report's style
//! sheet, inline SVG, no scripts): the origins side by side, realised precision and automation
//! per month with one line per origin and the target drawn, and a table per origin. Every text
//! from data or meta is escaped.
//!
//! The charts have a month axis (January to December of each test year), which the shared
//! [`LineChart`](super::svg::LineChart) cannot label (its x ticks are shares), so they are drawn
//! here at the same size and in the same colours, with the shared escaping and number formats.

use std::fmt::Write;

use chrono::Datelike;

use super::format::{count, escape, percent, threshold};
use super::html::{STYLE, precision, target_name};
use crate::rolling::{MONTHS_TARGET, OriginFigures, RULE, Rolling, RollingMeta, TargetFigures};

/// The title of the realised-precision charts (one per target, the target appended).
pub const PRECISION_TITLE: &str = "Realised precision per month";
/// The title of the automation charts (one per target, the target appended).
pub const AUTOMATION_TITLE: &str = "Automation per month";

/// One colour per origin, in test-year order (cycled beyond eight).
const COLOURS: [&str; 8] = [
    "#0969da", "#bc4c00", "#1a7f37", "#8250df", "#cf222e", "#9a6700", "#1b7c83", "#57606a",
];
/// The target's guide line.
const GUIDE: &str = "#8c959f";
const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

const EXTRA_STYLE: &str = "
.warn { color: #9a6700; }
td.num { white-space: nowrap; }
";

/// The whole page.
pub fn page(r: &Rolling, meta: &RollingMeta) -> String {
    let title = escape(&meta.title);
    let mut s = String::with_capacity(64 * 1024);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}{EXTRA_STYLE}</style>\n</head>\n<body>\n<main>\n"
    );
    let period = r.period.map_or_else(
        || "all of it".to_owned(),
        |(from, to)| format!("{from} to {to}"),
    );
    let half_life = r
        .train
        .half_life_days
        .map_or_else(|| "none".to_owned(), |h| format!("{h} days"));
    let _ = write!(
        s,
        "<header>\n<h1>{title}</h1>\n<p class=\"meta\">Data <code>{}</code> · period {period} · \
         {} origins, each trained on {} whole years · training as <code>kontera train</code>: \
         calibration on the last {} months, minimum support {}, half-life {half_life}</p>\n\
         </header>\n",
        escape(&meta.data),
        r.origins.len(),
        r.train_years,
        r.train.calibration_months,
        r.train.min_support
    );
    origins_section(&mut s, r);
    let targets = targets(r);
    for &target in &targets {
        precision_section(&mut s, r, target);
        automation_section(&mut s, r, target);
    }
    for (i, o) in r.origins.iter().enumerate() {
        origin_section(&mut s, o, &targets, colour(i));
    }
    s.push_str(
        "<footer>Kontera rolling-origin evaluation. Each origin's model is trained on the whole \
         years before its test year and never sees that year; an invoice is automated when every \
         line clears the threshold chosen in training, and right only if every field of every \
         line is right.</footer>\n</main>\n</body>\n</html>\n",
    );
    s
}

/// The colour of the `i`th origin.
fn colour(i: usize) -> &'static str {
    COLOURS[i % COLOURS.len()]
}

/// Every target precision any origin has a threshold for, 0.99 first, then as trained.
fn targets(r: &Rolling) -> Vec<f64> {
    let mut targets: Vec<f64> = Vec::new();
    for t in r.origins.iter().flat_map(|o| &o.targets) {
        if !targets.contains(&t.target) {
            targets.push(t.target);
        }
    }
    // Stable: the others keep their order.
    targets.sort_by_key(|&t| t != MONTHS_TARGET);
    targets
}

fn origins_section(s: &mut String, r: &Rolling) {
    let targets = targets(r);
    let _ = write!(
        s,
        "<section>\n<h2>Origins</h2>\n<p class=\"note\">{}</p>\n<table>\n<thead><tr>\
         <th>Test year</th><th>Trained on</th><th class=\"num\">Invoices</th>",
        escape(RULE)
    );
    for &t in &targets {
        let _ = write!(
            s,
            "<th class=\"num\">Automated at {0}</th><th class=\"num\">Right at {0}</th>\
             <th class=\"num\">Threshold</th><th>Worst month at {0}</th>",
            target_name(t)
        );
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for o in &r.origins {
        let w = &o.origin;
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{} to {}</td><td class=\"num\">{}</td>",
            w.test_year,
            w.train_from,
            w.train_to,
            count(o.invoices)
        );
        for &t in &targets {
            match o.target(t) {
                Some(f) => {
                    let _ = write!(
                        s,
                        "<td class=\"num\">{}</td><td class=\"num\">{}</td>\
                         <td class=\"num\">{}</td><td>{}</td>",
                        percent(f.automation.rate),
                        precision(&f.automation),
                        threshold(f.automation.threshold),
                        worst(f)
                    );
                }
                None => s.push_str("<td>–</td><td>–</td><td>–</td><td>–</td>"),
            }
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
}

/// The worst month as `2021-07: 96.2% of 130`.
fn worst(t: &TargetFigures) -> String {
    t.worst_month().map_or_else(
        || "–".to_owned(),
        |m| {
            format!(
                "{}: {} of {}",
                m.label(),
                percent(m.automation.precision),
                count(m.automation.automated)
            )
        },
    )
}

/// Per origin, the value of `value` in each calendar month (January first); `None` leaves a gap.
fn series(
    r: &Rolling,
    target: f64,
    value: impl Fn(&crate::rolling::MonthFigures) -> Option<f64>,
) -> Vec<MonthSeries> {
    r.origins
        .iter()
        .enumerate()
        .filter_map(|(i, o)| {
            let t = o.target(target)?;
            let mut values = [None; 12];
            for m in &t.months {
                values[m.month.month0() as usize] = value(m);
            }
            Some(MonthSeries {
                name: o.origin.test_year.to_string(),
                colour: colour(i),
                values,
            })
        })
        .collect()
}

fn precision_section(s: &mut String, r: &Rolling, target: f64) {
    let title = format!("{PRECISION_TITLE} at the {} target", target_name(target));
    let _ = writeln!(
        s,
        "<section>\n<h2>{}</h2>\n<p class=\"note\">Share of each month's automated invoices that \
         were fully right, one line per origin (its test year); the dashed line is the target. \
         A gap is a month with nothing automated.</p>",
        escape(&title)
    );
    let series = series(r, target, |m| m.precision());
    let lowest = series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .copied()
        .chain([target])
        .filter(|p| p.is_finite())
        .fold(1.0f64, f64::min);
    let chart = MonthChart {
        title,
        y_label: "Automated invoices right".to_owned(),
        y_min: ((lowest * 20.0).floor() / 20.0).clamp(0.5, 0.9),
        series,
        guides: vec![(target, target_name(target), GUIDE)],
    };
    s.push_str(&chart.render());
    s.push_str("\n</section>\n");
}

fn automation_section(s: &mut String, r: &Rolling, target: f64) {
    let title = format!("{AUTOMATION_TITLE} at the {} target", target_name(target));
    let _ = writeln!(
        s,
        "<section>\n<h2>{}</h2>\n<p class=\"note\">Share of each month's invoices automated at \
         the origin's threshold for the {} target, one line per origin; the dashed lines are \
         each origin's rate over its year.</p>",
        escape(&title),
        target_name(target)
    );
    let series = series(r, target, |m| {
        (m.automation.invoices > 0).then_some(m.automation.rate)
    });
    let guides = r
        .origins
        .iter()
        .enumerate()
        .filter_map(|(i, o)| {
            let t = o.target(target)?;
            Some((t.automation.rate, o.origin.test_year.to_string(), colour(i)))
        })
        .collect();
    let chart = MonthChart {
        title,
        y_label: "Invoices automated".to_owned(),
        y_min: 0.0,
        series,
        guides,
    };
    s.push_str(&chart.render());
    s.push_str("\n</section>\n");
}

fn origin_section(s: &mut String, o: &OriginFigures, targets: &[f64], colour: &str) {
    let w = &o.origin;
    let _ = write!(
        s,
        "<section>\n<h2 style=\"color: {colour}\">Test year {}</h2>\n<p class=\"note\">Trained on \
         {} to {} ({} lines, calibrated from {}); evaluated on {} to {}: {} invoices, {} lines, \
         {} of lines right in every field.</p>\n",
        w.test_year,
        w.train_from,
        w.train_to,
        count(o.train_lines),
        o.calibration_from,
        w.test_from,
        w.test_to,
        count(o.invoices),
        count(o.lines),
        percent(o.joint_accuracy)
    );
    if !o.train_months_without_lines.is_empty() {
        let months: Vec<String> = o
            .train_months_without_lines
            .iter()
            .map(|m| m.format("%Y-%m").to_string())
            .collect();
        let _ = writeln!(
            s,
            "<p class=\"note warn\">Months of the training window without any line: {}.</p>",
            months.join(", ")
        );
    }
    s.push_str("<table>\n<thead><tr><th>Month</th><th class=\"num\">Invoices</th>");
    for &t in targets {
        let _ = write!(
            s,
            "<th class=\"num\">Automated at {0}</th><th class=\"num\">Right at {0}</th>",
            target_name(t)
        );
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    let figures: Vec<Option<&TargetFigures>> = targets.iter().map(|&t| o.target(t)).collect();
    let months = figures
        .iter()
        .flatten()
        .next()
        .map_or(0, |f| f.months.len());
    for i in 0..months {
        let Some(first) = figures.iter().flatten().next() else {
            break;
        };
        let m = &first.months[i];
        let _ = write!(
            s,
            "<tr><td>{}</td><td class=\"num\">{}</td>",
            m.label(),
            count(m.automation.invoices)
        );
        for f in &figures {
            match f.and_then(|f| f.months.get(i)) {
                Some(m) => cells(s, &m.automation),
                None => s.push_str("<td>–</td><td>–</td>"),
            }
        }
        s.push_str("</tr>\n");
    }
    let _ = write!(
        s,
        "<tr><td><strong>Year</strong></td><td class=\"num\"><strong>{}</strong></td>",
        count(o.invoices)
    );
    for f in &figures {
        match f {
            Some(f) => cells(s, &f.automation),
            None => s.push_str("<td>–</td><td>–</td>"),
        }
    }
    s.push_str("</tr>\n</tbody>\n</table>\n</section>\n");
}

/// Automated (rate and count) and right (precision) cells.
fn cells(s: &mut String, a: &crate::threshold::Automation) {
    if a.invoices == 0 {
        s.push_str("<td class=\"num\">–</td><td class=\"num\">–</td>");
        return;
    }
    let _ = write!(
        s,
        "<td class=\"num\">{} <small>({})</small></td><td class=\"num\">{}</td>",
        percent(a.rate),
        count(a.automated),
        precision(a)
    );
}

/// One origin's line on a [`MonthChart`]: a value per calendar month, `None` for a gap.
#[derive(Debug, Clone)]
struct MonthSeries {
    name: String,
    colour: &'static str,
    values: [Option<f64>; 12],
}

/// A line chart of shares by calendar month (January to December), y in `y_min`..1; values
/// below `y_min` are drawn on the x axis. `guides` are dashed horizontal lines (y, label, colour).
#[derive(Debug, Clone)]
struct MonthChart {
    title: String,
    y_label: String,
    y_min: f64,
    series: Vec<MonthSeries>,
    guides: Vec<(f64, String, &'static str)>,
}

// The shared charts' geometry and colours (report/svg.rs).
// The line charts' frame (`svg.rs`), a little shorter, with room for month names below.
use super::svg::{AXIS, GRID, LEFT, RIGHT, TOP, WIDTH, open, y_axis};
const PLOT_HEIGHT: f64 = 280.0;
const BOTTOM: f64 = 56.0;

impl MonthChart {
    fn render(&self) -> String {
        let y_min = if self.y_min.is_finite() {
            self.y_min.clamp(0.0, 0.99)
        } else {
            0.0
        };
        let pw = WIDTH - LEFT - RIGHT;
        let slot = pw / 12.0;
        let sx = |month: usize| LEFT + (month as f64 + 0.5) * slot;
        let sy = |y: f64| {
            let y = if y.is_finite() { y } else { y_min }.clamp(y_min, 1.0);
            TOP + (1.0 - (y - y_min) / (1.0 - y_min)) * PLOT_HEIGHT
        };
        let height = TOP + PLOT_HEIGHT + BOTTOM;
        let mut s = open(&self.title, height);
        for (i, name) in MONTH_NAMES.iter().enumerate() {
            let _ = write!(
                s,
                r##"<line x1="{0:.1}" y1="{1:.1}" x2="{0:.1}" y2="{2:.1}" stroke="{GRID}"/><text x="{0:.1}" y="{3:.1}" text-anchor="middle" font-size="11" fill="{AXIS}">{name}</text>"##,
                sx(i),
                TOP,
                TOP + PLOT_HEIGHT,
                TOP + PLOT_HEIGHT + 16.0
            );
        }
        y_axis(&mut s, y_min, sy);
        let _ = write!(
            s,
            r##"<rect x="{LEFT:.1}" y="{TOP:.1}" width="{pw:.1}" height="{PLOT_HEIGHT:.1}" fill="none" stroke="{AXIS}"/><text transform="translate(16 {:.1}) rotate(-90)" text-anchor="middle" font-size="12" fill="{AXIS}">{}</text>"##,
            TOP + PLOT_HEIGHT / 2.0,
            escape(&self.y_label)
        );
        for (y, label, colour) in &self.guides {
            let _ = write!(
                s,
                r##"<line x1="{LEFT:.1}" y1="{0:.1}" x2="{1:.1}" y2="{0:.1}" stroke="{colour}" stroke-dasharray="5 4"/><text x="{2:.1}" y="{3:.1}" font-size="11" fill="{colour}">{4}</text>"##,
                sy(*y),
                LEFT + pw,
                LEFT + pw + 4.0,
                sy(*y) + 4.0,
                escape(label)
            );
        }
        for series in &self.series {
            // Runs of consecutive months with a value are lines; every value is a dot.
            let mut run: Vec<String> = Vec::new();
            let flush = |run: &mut Vec<String>, s: &mut String| {
                if run.len() > 1 {
                    let _ = write!(
                        s,
                        r##"<polyline points="{}" fill="none" stroke="{}" stroke-width="2" stroke-linejoin="round"/>"##,
                        run.join(" "),
                        series.colour
                    );
                }
                run.clear();
            };
            for (i, v) in series.values.iter().enumerate() {
                match v {
                    Some(v) => run.push(format!("{:.1},{:.1}", sx(i), sy(*v))),
                    None => flush(&mut run, &mut s),
                }
            }
            flush(&mut run, &mut s);
            for (i, v) in series.values.iter().enumerate() {
                if let Some(v) = v {
                    let _ = write!(
                        s,
                        r##"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{}"><title>{} {}: {}</title></circle>"##,
                        sx(i),
                        sy(*v),
                        series.colour,
                        escape(&series.name),
                        MONTH_NAMES[i],
                        percent(*v)
                    );
                }
            }
        }
        // Legend: one row under the month names.
        let mut x = LEFT;
        let y = TOP + PLOT_HEIGHT + 40.0;
        for series in &self.series {
            let _ = write!(
                s,
                r##"<line x1="{0:.1}" y1="{1:.1}" x2="{2:.1}" y2="{1:.1}" stroke="{3}" stroke-width="3"/><text x="{4:.1}" y="{5:.1}" font-size="12" fill="#24292f">{6}</text>"##,
                x,
                y,
                x + 20.0,
                series.colour,
                x + 26.0,
                y + 4.0,
                escape(&series.name)
            );
            x += 40.0 + 7.0 * series.name.chars().count() as f64;
        }
        s.push_str("</svg>");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_chart_breaks_its_line_at_gaps_and_escapes_text() {
        let mut values = [None; 12];
        values[0] = Some(1.0);
        values[1] = Some(0.9);
        values[3] = Some(0.95);
        let chart = MonthChart {
            title: "P & R".to_owned(),
            y_label: "y".to_owned(),
            y_min: 0.8,
            series: vec![MonthSeries {
                name: "<2021>".to_owned(),
                colour: "#0969da",
                values,
            }],
            guides: vec![(0.99, "99%".to_owned(), GUIDE)],
        };
        let svg = chart.render();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("<title>P &amp; R</title>"));
        assert!(svg.contains("&lt;2021&gt;") && !svg.contains("<2021>"));
        // Slots of 608/12 px from 64: January at 89.3, February at 140.0; y 0.8..1 over 296..16.
        assert!(svg.contains(r#"points="89.3,16.0 140.0,156.0""#), "{svg}");
        // April stands alone: a dot, no line.
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains(">Jan</text>") && svg.contains(">Dec</text>"));
        assert!(svg.contains(">99%</text>"));
    }
}
