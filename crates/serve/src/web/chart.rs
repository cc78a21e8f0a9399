//! Inline SVG charts for the dashboard: automation rate per month against its target, and
//! audited precision per month with 95% intervals against the breaker's floor and the promise.
//! Pure functions returning markup; every text is escaped, every bar and point has a tooltip.

use super::escape;

use std::fmt::Write;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 240.0;
/// The plot area: y-axis labels to the left, month labels below.
const LEFT: f64 = 48.0;
const RIGHT: f64 = 708.0;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 210.0;
/// Month labels' baseline.
const LABEL_Y: f64 = 228.0;

const AXIS: &str = "#57606a";
const GRID: &str = "#eaeef2";
const BAR: &str = "#0969da";
const TARGET: &str = "#24292f";
const POINT: &str = "#0969da";
const FLOOR: &str = "#cf222e";
const PROMISED: &str = "#1a7f37";

/// Automation rate per month as bars, the target as a dashed step line; y from 0 to 100%.
///
/// `months` holds, in order, the month (`YYYY-MM`), the share of invoices coded automatically
/// (0..1) and the target for the month, if any. Every month is labelled when there are at most
/// 12, else every third (or sparser, so that labels never overlap).
pub fn automation_chart(months: &[(String, f64, Option<f64>)]) -> String {
    let Some((last, rate, target)) = months.last() else {
        return empty("Automation rate per month: no data yet");
    };
    let mut label = format!(
        "Automation rate per month, {} to {last}; latest {}",
        months[0].0,
        percent(*rate)
    );
    if let Some(t) = target.filter(|t| t.is_finite()) {
        let _ = write!(label, " against a target of {}", percent(t));
    }
    let mut s = open(&label);
    let scale = Scale { min: 0.0 };
    grid(&mut s, &scale, 25);

    let n = months.len();
    for (i, (month, rate, target)) in months.iter().enumerate() {
        let (left, slot) = slot(i, n);
        let value = if rate.is_finite() {
            rate.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let top = scale.y(value);
        let mut tip = format!("{month}: {} coded automatically", percent(*rate));
        if let Some(t) = target.filter(|t| t.is_finite()) {
            let _ = write!(tip, " (target {})", percent(t));
        }
        let _ = write!(
            s,
            r#"<rect class="bar" x="{:.1}" y="{top:.1}" width="{:.1}" height="{:.1}" fill="{BAR}"><title>{}</title></rect>"#,
            left + slot * 0.15,
            slot * 0.7,
            BOTTOM - top,
            escape(&tip)
        );
    }

    // The target: one horizontal step per month, joined across months that both have one.
    let mut d = String::new();
    let mut previous: Option<f64> = None;
    for (i, (_, _, target)) in months.iter().enumerate() {
        let (left, slot) = slot(i, n);
        match target.filter(|t| t.is_finite()) {
            Some(t) => {
                let y = scale.y(t.clamp(0.0, 1.0));
                if previous.is_some() {
                    let _ = write!(d, "V{y:.1}");
                } else {
                    let _ = write!(d, "M{left:.1} {y:.1}");
                }
                let _ = write!(d, "H{:.1}", left + slot);
                previous = Some(y);
            }
            None => previous = None,
        }
    }
    if !d.is_empty() {
        let _ = write!(
            s,
            r#"<path class="target" d="{d}" fill="none" stroke="{TARGET}" stroke-width="2" stroke-dasharray="6 4"><title>Target automation rate</title></path>"#
        );
    }
    month_labels(&mut s, months.iter().map(|m| m.0.as_str()), n);
    legend(
        &mut s,
        &[(BAR, "", "automation rate"), (TARGET, "6 4", "target")],
    );
    s.push_str("</svg>");
    s
}

/// One month of audits for [`precision_chart`]: the estimate, the 95% interval's bounds and the
/// number audited.
pub type Audits = (f64, f64, f64, u64);

/// Audited precision per month as points with 95% interval whiskers (a gap for months without
/// audits), the breaker's `floor` as a red dashed line and the `promised` precision as a green
/// line.
///
/// The y axis runs to 100% from the lowest interval bound, floor or promise rounded down to a
/// multiple of 5%, and never starts above 50%, so charts of different areas read alike.
pub fn precision_chart(months: &[(String, Option<Audits>)], floor: f64, promised: f64) -> String {
    if months.is_empty() {
        return empty("Audited precision per month: no data yet");
    }
    let label = format!(
        "Audited precision per month with 95% intervals, {} to {}; floor {}, promised {}",
        months[0].0,
        months[months.len() - 1].0,
        percent(floor),
        percent(promised)
    );
    let mut s = open(&label);
    let scale = Scale {
        min: precision_axis_min(months, floor, promised),
    };
    let range_pct = ((1.0 - scale.min) * 100.0).round() as u32;
    let step = if range_pct <= 25 {
        5
    } else if range_pct <= 60 {
        10
    } else {
        20
    };
    grid(&mut s, &scale, step);

    for (value, colour, dash, name) in [
        (floor, FLOOR, r#" stroke-dasharray="6 4""#, "Floor"),
        (promised, PROMISED, "", "Promised"),
    ] {
        if !value.is_finite() || value < scale.min || value > 1.0 {
            continue;
        }
        let y = scale.y(value);
        let _ = write!(
            s,
            r#"<line class="{}" x1="{LEFT:.1}" y1="{y:.1}" x2="{RIGHT:.1}" y2="{y:.1}" stroke="{colour}" stroke-width="1.5"{dash}><title>{name} {}</title></line>"#,
            name.to_lowercase(),
            percent(value)
        );
    }

    let n = months.len();
    let mut any = false;
    for (i, (month, audits)) in months.iter().enumerate() {
        let Some((estimate, lo, hi, audited)) = audits else {
            continue;
        };
        any = true;
        let (left, slot) = slot(i, n);
        let x = left + slot / 2.0;
        let cap = (slot * 0.2).clamp(1.5, 6.0);
        let (y_lo, y_hi, y) = (scale.y(*lo), scale.y(*hi), scale.y(*estimate));
        let tip = format!(
            "{month}: precision {} of {audited} audited (95% interval {} to {})",
            percent(*estimate),
            percent(*lo),
            percent(*hi)
        );
        let _ = write!(
            s,
            r#"<g class="month"><title>{}</title><path class="whisker" d="M{x:.1} {y_lo:.1}V{y_hi:.1}M{:.1} {y_lo:.1}H{:.1}M{:.1} {y_hi:.1}H{:.1}" stroke="{POINT}" stroke-width="1.5" fill="none"/><circle class="point" cx="{x:.1}" cy="{y:.1}" r="{:.1}" fill="{POINT}"/></g>"#,
            escape(&tip),
            x - cap,
            x + cap,
            x - cap,
            x + cap,
            (slot * 0.2).clamp(2.0, 4.0)
        );
    }
    if !any {
        no_data_text(&mut s, "no audits yet");
    }
    month_labels(&mut s, months.iter().map(|m| m.0.as_str()), n);
    legend(
        &mut s,
        &[
            (POINT, "", "precision, 95% interval"),
            (FLOOR, "6 4", "floor"),
            (PROMISED, "", "promised"),
        ],
    );
    s.push_str("</svg>");
    s
}

/// The precision axis' lower end: the lowest of the interval bounds, the floor and the promise,
/// rounded down to a multiple of 5%, at most 50% and at least 0.
fn precision_axis_min(months: &[(String, Option<Audits>)], floor: f64, promised: f64) -> f64 {
    let lowest = months
        .iter()
        .filter_map(|(_, a)| a.map(|(estimate, lo, _, _)| lo.min(estimate)))
        .chain([floor, promised])
        .filter(|v| v.is_finite())
        .fold(0.5_f64, f64::min)
        .max(0.0);
    // In whole percent, so that 0.85 does not round down to 0.80 through 84.999….
    let pct = (lowest * 100.0 + 1e-9).floor() as u32;
    f64::from(pct - pct % 5) / 100.0
}

/// A linear y scale from `min` (the plot's bottom) to 1 (its top).
struct Scale {
    min: f64,
}

impl Scale {
    fn y(&self, value: f64) -> f64 {
        let v = if value.is_finite() {
            value.clamp(self.min, 1.0)
        } else {
            self.min
        };
        BOTTOM - (v - self.min) / (1.0 - self.min) * (BOTTOM - TOP)
    }
}

/// Month `i` of `n`: its slot's left edge and width.
fn slot(i: usize, n: usize) -> (f64, f64) {
    let width = (RIGHT - LEFT) / n.max(1) as f64;
    (LEFT + i as f64 * width, width)
}

/// Gridlines and labels every `step_pct` percent from the scale's minimum to 100%.
fn grid(s: &mut String, scale: &Scale, step_pct: u32) {
    let min_pct = (scale.min * 100.0).round() as u32;
    let first = min_pct.div_ceil(step_pct) * step_pct;
    for pct in (first..=100).step_by(step_pct as usize) {
        let y = scale.y(f64::from(pct) / 100.0);
        let _ = write!(
            s,
            r#"<line x1="{LEFT:.1}" y1="{y:.1}" x2="{RIGHT:.1}" y2="{y:.1}" stroke="{GRID}"/><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="11" fill="{AXIS}">{pct}%</text>"#,
            LEFT - 6.0,
            y + 4.0
        );
    }
    let _ = write!(
        s,
        r#"<line x1="{LEFT:.1}" y1="{BOTTOM:.1}" x2="{RIGHT:.1}" y2="{BOTTOM:.1}" stroke="{AXIS}"/>"#
    );
}

/// Month labels under their slots: all of them up to 12, else every third, or sparser when even
/// that would crowd them (about 12 fit).
fn month_labels<'a>(s: &mut String, months: impl Iterator<Item = &'a str>, n: usize) {
    let every = if n <= 12 { 1 } else { n.div_ceil(12).max(3) };
    for (i, month) in months.enumerate() {
        if i % every != 0 {
            continue;
        }
        let (left, slot) = slot(i, n);
        let _ = write!(
            s,
            r#"<text class="month" x="{:.1}" y="{LABEL_Y:.1}" text-anchor="middle" font-size="11" fill="{AXIS}">{}</text>"#,
            left + slot / 2.0,
            escape(month)
        );
    }
}

/// A one-line legend above the plot's top right corner: (colour, dash pattern, name).
fn legend(s: &mut String, entries: &[(&str, &str, &str)]) {
    let mut x = RIGHT;
    for (colour, dash, name) in entries.iter().rev() {
        let text_width = name.chars().count() as f64 * 6.6;
        x -= text_width;
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(r#" stroke-dasharray="{dash}""#)
        };
        let _ = write!(
            s,
            r#"<line x1="{:.1}" y1="10.0" x2="{:.1}" y2="10.0" stroke="{colour}" stroke-width="3"{dash}/><text x="{x:.1}" y="14.0" font-size="11" fill="{AXIS}">{}</text>"#,
            x - 22.0,
            x - 4.0,
            escape(name)
        );
        x -= 34.0;
    }
}

/// The opening tag with its accessible name and title.
fn open(label: &str) -> String {
    let label = escape(label);
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0} {HEIGHT:.0}" width="100%" role="img" aria-label="{label}" font-family="system-ui, sans-serif"><title>{label}</title>"#
    )
}

/// A chart with nothing to show: its frame and a "no data yet" text.
fn empty(label: &str) -> String {
    let mut s = open(label);
    let _ = write!(
        s,
        r#"<line x1="{LEFT:.1}" y1="{BOTTOM:.1}" x2="{RIGHT:.1}" y2="{BOTTOM:.1}" stroke="{AXIS}"/>"#
    );
    no_data_text(&mut s, "no data yet");
    s.push_str("</svg>");
    s
}

fn no_data_text(s: &mut String, text: &str) {
    let _ = write!(
        s,
        r#"<text class="no-data" x="{:.1}" y="{:.1}" text-anchor="middle" font-size="14" fill="{AXIS}">{}</text>"#,
        (LEFT + RIGHT) / 2.0,
        (TOP + BOTTOM) / 2.0,
        escape(text)
    );
}

/// A share as a percentage with one decimal; "no figure" when it is not a number.
fn percent(share: f64) -> String {
    if share.is_finite() {
        format!("{:.1}%", share * 100.0)
    } else {
        "no figure".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("{}-{:02}", 2025 + i / 12, i % 12 + 1))
            .collect()
    }

    fn count(s: &str, needle: &str) -> usize {
        s.matches(needle).count()
    }

    #[test]
    fn escapes_text() {
        assert_eq!(escape(r#"<&">'"#), "&lt;&amp;&quot;&gt;&#39;");
        let chart = automation_chart(&[(r#"<&">"#.to_owned(), 0.5, None)]);
        assert!(chart.contains("&lt;&amp;&quot;&gt;"), "{chart}");
        assert!(!chart.contains(r#"<&">"#));
        let chart = precision_chart(
            &[(r#"<&">"#.to_owned(), Some((0.9, 0.8, 0.95, 40)))],
            0.85,
            0.99,
        );
        assert!(
            chart.contains("&lt;&amp;&quot;&gt;: precision 90.0% of 40 audited"),
            "{chart}"
        );
        assert!(!chart.contains(r#"<&">"#));
    }

    #[test]
    fn one_bar_per_month_each_with_its_figure() {
        for n in [1, 5, 12, 13, 36, 60] {
            let data: Vec<_> = months(n)
                .into_iter()
                .enumerate()
                .map(|(i, m)| (m, i as f64 / n as f64, (i % 2 == 0).then_some(0.3)))
                .collect();
            let chart = automation_chart(&data);
            assert_eq!(count(&chart, "<rect"), n, "{n}");
            assert_eq!(count(&chart, "<rect"), count(&chart, "</rect>"));
            assert!(chart.starts_with("<svg ") && chart.ends_with("</svg>"));
            assert!(chart.contains(r#"role="img""#) && chart.contains(r#"viewBox="0 0 720 240""#));
            assert!(chart.contains(r#"width="100%""#));
        }
        let chart = automation_chart(&[
            ("2025-01".to_owned(), 0.342, Some(0.2)),
            ("2025-02".to_owned(), 0.5, None),
        ]);
        assert!(chart.contains("<title>2025-01: 34.2% coded automatically (target 20.0%)</title>"));
        assert!(chart.contains("<title>2025-02: 50.0% coded automatically</title>"));
        // A 50% bar is half the plot's height.
        assert!(chart.contains(r#"y="115.0" width="#), "{chart}");
    }

    #[test]
    fn axis_has_gridlines_every_quarter() {
        let chart = automation_chart(&[("2025-01".to_owned(), 0.3, None)]);
        for label in ["0%", "25%", "50%", "75%", "100%"] {
            assert!(chart.contains(&format!(">{label}</text>")), "{label}");
        }
        assert!(!chart.contains("class=\"target\""));
    }

    #[test]
    fn target_is_a_dashed_step_line_broken_by_gaps() {
        let chart = automation_chart(&[
            ("2025-11".to_owned(), 0.1, Some(0.2)),
            ("2025-12".to_owned(), 0.1, Some(0.2)),
            ("2026-01".to_owned(), 0.1, Some(0.3)),
            ("2026-02".to_owned(), 0.1, None),
            ("2026-03".to_owned(), 0.1, Some(0.3)),
        ]);
        // Slots of 132 px from x = 48; 20% at y 172, 30% at y 153.
        assert!(
            chart.contains(
                r#"d="M48.0 172.0H180.0V172.0H312.0V153.0H444.0M576.0 153.0H708.0" fill="none""#
            ),
            "{chart}"
        );
        assert!(chart.contains(r#"class="target""#) && chart.contains("stroke-dasharray"));
    }

    #[test]
    fn month_labels_thin_out_after_a_year() {
        let twelve: Vec<_> = months(12).into_iter().map(|m| (m, 0.5, None)).collect();
        assert_eq!(
            count(&automation_chart(&twelve), r#"<text class="month""#),
            12
        );
        let thirteen: Vec<_> = months(13).into_iter().map(|m| (m, 0.5, None)).collect();
        assert_eq!(
            count(&automation_chart(&thirteen), r#"<text class="month""#),
            5
        );
        let three_years: Vec<_> = months(36).into_iter().map(|m| (m, 0.5, None)).collect();
        assert_eq!(
            count(&automation_chart(&three_years), r#"<text class="month""#),
            12
        );
        let five_years: Vec<_> = months(60).into_iter().map(|m| (m, 0.5, None)).collect();
        assert_eq!(
            count(&automation_chart(&five_years), r#"<text class="month""#),
            12
        );
    }

    #[test]
    fn odd_rates_do_not_break_the_chart() {
        let chart = automation_chart(&[
            ("2025-01".to_owned(), f64::NAN, Some(f64::INFINITY)),
            ("2025-02".to_owned(), 1.7, Some(-1.0)),
        ]);
        assert_eq!(count(&chart, "<rect"), 2);
        assert!(!chart.contains("NaN") && !chart.contains("inf"), "{chart}");
        assert!(chart.contains("2025-01: no figure coded automatically"));
        assert!(chart.contains("2025-02: 170.0% coded automatically (target -100.0%)"));
    }

    #[test]
    fn one_whisker_per_month_with_audits() {
        let chart = precision_chart(
            &[
                ("2025-01".to_owned(), Some((0.96, 0.865, 0.989, 50))),
                ("2025-02".to_owned(), None),
                ("2025-03".to_owned(), Some((1.0, 0.72, 1.0, 10))),
                ("2025-04".to_owned(), None),
            ],
            0.85,
            0.99,
        );
        assert_eq!(count(&chart, r#"class="whisker""#), 2);
        assert_eq!(count(&chart, r#"<circle class="point""#), 2);
        assert_eq!(count(&chart, "<rect"), 0);
        assert!(chart.contains(
            "<title>2025-01: precision 96.0% of 50 audited (95% interval 86.5% to 98.9%)</title>"
        ));
        assert_eq!(count(&chart, r#"<text class="month""#), 4);
        assert!(!chart.contains("no audits yet"));
    }

    #[test]
    fn floor_and_promise_lines_sit_on_the_scale() {
        // Lowest bound 0.62 → the axis starts at 50% (never above), so 190 px cover 50 points:
        // 85% is 35 points up from the bottom at 210: 210 − 133 = 77; 99% at 210 − 186.2.
        let data = [("2025-01".to_owned(), Some((0.8, 0.62, 0.9, 20)))];
        let chart = precision_chart(&data, 0.85, 0.99);
        assert!(
            chart.contains(
                r##"<line class="floor" x1="48.0" y1="77.0" x2="708.0" y2="77.0" stroke="#cf222e""##
            ),
            "{chart}"
        );
        assert!(chart.contains(r#"stroke-dasharray="6 4"><title>Floor 85.0%</title>"#));
        assert!(
            chart.contains(r#"<line class="promised" x1="48.0" y1="23.8""#),
            "{chart}"
        );
        assert!(chart.contains("<title>Promised 99.0%</title>"));
        // Gridlines every 10% from 50%.
        for label in ["50%", "60%", "70%", "80%", "90%", "100%"] {
            assert!(chart.contains(&format!(">{label}</text>")), "{label}");
        }
    }

    #[test]
    fn axis_minimum() {
        let m = |lo: f64| vec![("2025-01".to_owned(), Some((0.9, lo, 0.95, 10)))];
        assert_eq!(precision_axis_min(&m(0.93), 0.85, 0.99), 0.5);
        assert_eq!(precision_axis_min(&m(0.43), 0.85, 0.99), 0.4);
        assert_eq!(precision_axis_min(&m(0.45), 0.85, 0.99), 0.45);
        assert_eq!(precision_axis_min(&m(0.0), 0.85, 0.99), 0.0);
        assert_eq!(precision_axis_min(&m(-3.0), 0.85, 0.99), 0.0);
        assert_eq!(precision_axis_min(&m(f64::NAN), 0.85, 0.99), 0.5);
        assert_eq!(precision_axis_min(&[], 0.35, 0.99), 0.35);
        // A low floor pulls the axis down with it, and the line stays on the chart.
        let chart = precision_chart(&[("2025-01".to_owned(), None)], 0.3, 0.99);
        assert!(chart.contains(r#"<line class="floor""#));
        assert!(chart.contains(">no audits yet</text>"));
    }

    #[test]
    fn empty_input_says_so() {
        for chart in [automation_chart(&[]), precision_chart(&[], 0.85, 0.99)] {
            assert!(chart.contains(">no data yet</text>"), "{chart}");
            assert!(chart.contains("no data yet</title>"));
            assert!(chart.starts_with("<svg ") && chart.ends_with("</svg>"));
            assert_eq!(count(&chart, "<rect"), 0);
        }
    }
}
