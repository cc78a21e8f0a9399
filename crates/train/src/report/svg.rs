//! Small inline SVG charts: a line chart of shares (x and y in 0..1) with horizontal guides and
//! marked points, and a horizontal bar chart of shares. Text is escaped; no scripts, no fonts.

use std::fmt::Write;

use super::format::{escape, percent, shorten};

/// One line of a [`LineChart`].
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub colour: &'static str,
    /// (x, y), in drawing order.
    pub points: Vec<(f64, f64)>,
}

/// A horizontal dashed line across a [`LineChart`], labelled at its right end.
#[derive(Debug, Clone)]
pub struct Guide {
    pub y: f64,
    pub label: String,
}

/// A marked point of a [`LineChart`].
#[derive(Debug, Clone)]
pub struct Marker {
    pub x: f64,
    pub y: f64,
    pub colour: &'static str,
    pub label: String,
}

/// A line chart with x in 0..1 and y in `y_min`..1, both shown as percentages; values below
/// `y_min` are drawn on the x axis.
#[derive(Debug, Clone)]
pub struct LineChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub y_min: f64,
    pub series: Vec<Series>,
    pub guides: Vec<Guide>,
    pub markers: Vec<Marker>,
}

pub(crate) const WIDTH: f64 = 720.0;
pub(crate) const LEFT: f64 = 64.0;
pub(crate) const RIGHT: f64 = 48.0;
pub(crate) const TOP: f64 = 16.0;
const PLOT_HEIGHT: f64 = 320.0;
const BOTTOM: f64 = 48.0;
pub(crate) const AXIS: &str = "#57606a";
pub(crate) const GRID: &str = "#eaeef2";

impl LineChart {
    pub fn render(&self) -> String {
        let y_min = if self.y_min.is_finite() {
            self.y_min.clamp(0.0, 0.99)
        } else {
            0.0
        };
        let pw = WIDTH - LEFT - RIGHT;
        let sx = |x: f64| LEFT + finite_or(x, 0.0).clamp(0.0, 1.0) * pw;
        let sy = |y: f64| {
            let y = finite_or(y, y_min).clamp(y_min, 1.0);
            TOP + (1.0 - (y - y_min) / (1.0 - y_min)) * PLOT_HEIGHT
        };
        let height = TOP + PLOT_HEIGHT + BOTTOM;
        let mut s = open(&self.title, height);

        // Grid and ticks.
        for i in 0..=10 {
            let x = f64::from(i) / 10.0;
            let _ = write!(
                s,
                r##"<line x1="{0:.1}" y1="{1:.1}" x2="{0:.1}" y2="{2:.1}" stroke="{GRID}"/>"##,
                sx(x),
                TOP,
                TOP + PLOT_HEIGHT
            );
            if i % 2 == 0 {
                let _ = write!(
                    s,
                    r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="{AXIS}">{}</text>"##,
                    sx(x),
                    TOP + PLOT_HEIGHT + 16.0,
                    tick(x)
                );
            }
        }
        y_axis(&mut s, y_min, sy);
        let _ = write!(
            s,
            r##"<rect x="{LEFT:.1}" y="{TOP:.1}" width="{pw:.1}" height="{PLOT_HEIGHT:.1}" fill="none" stroke="{AXIS}"/>"##
        );
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="12" fill="{AXIS}">{}</text>"##,
            LEFT + pw / 2.0,
            height - 10.0,
            escape(&self.x_label)
        );
        let _ = write!(
            s,
            r##"<text transform="translate(16 {:.1}) rotate(-90)" text-anchor="middle" font-size="12" fill="{AXIS}">{}</text>"##,
            TOP + PLOT_HEIGHT / 2.0,
            escape(&self.y_label)
        );

        for g in &self.guides {
            let _ = write!(
                s,
                r##"<line x1="{LEFT:.1}" y1="{0:.1}" x2="{1:.1}" y2="{0:.1}" stroke="#8c959f" stroke-dasharray="5 4"/><text x="{2:.1}" y="{3:.1}" font-size="11" fill="#57606a">{4}</text>"##,
                sy(g.y),
                LEFT + pw,
                LEFT + pw + 4.0,
                sy(g.y) + 4.0,
                escape(&g.label)
            );
        }

        for series in &self.series {
            let points: Vec<String> = series
                .points
                .iter()
                .map(|&(x, y)| format!("{:.1},{:.1}", sx(x), sy(y)))
                .collect();
            if points.len() == 1 {
                let _ = write!(
                    s,
                    r##"<circle cx="{:.1}" cy="{:.1}" r="2.5" fill="{}"/>"##,
                    sx(series.points[0].0),
                    sy(series.points[0].1),
                    series.colour
                );
            } else if !points.is_empty() {
                let _ = write!(
                    s,
                    r##"<polyline points="{}" fill="none" stroke="{}" stroke-width="2" stroke-linejoin="round"/>"##,
                    points.join(" "),
                    series.colour
                );
            }
        }

        // Each label goes to the first of four places around its point that no earlier label
        // takes (labels are about 6.5 px a character, 12 px high).
        let mut taken: Vec<(f64, f64, f64, f64)> = Vec::new();
        for m in &self.markers {
            let (x, y) = (sx(m.x), sy(m.y));
            let width = 6.5 * m.label.chars().count() as f64;
            let places = [(9.0, 14.0), (9.0, -7.0), (-9.0, 14.0), (-9.0, -7.0)];
            let fits = |&(dx, dy): &(f64, f64)| {
                let left = if dx > 0.0 { x + dx } else { x + dx - width };
                let right_edge = left + width;
                let (top, bottom) = (y + dy - 11.0, y + dy + 1.0);
                let inside = left >= LEFT && right_edge <= LEFT + pw && top >= TOP;
                let free = taken
                    .iter()
                    .all(|&(l, t, r, b)| right_edge <= l || left >= r || bottom <= t || top >= b);
                inside
                    .then_some((left, top, right_edge, bottom))
                    .filter(|_| free)
            };
            let (dx, dy, bounds) = places
                .iter()
                .find_map(|p| fits(p).map(|b| (p.0, p.1, b)))
                .unwrap_or_else(|| {
                    let dx = if x > LEFT + pw * 0.7 { -9.0 } else { 9.0 };
                    (dx, 14.0, (0.0, 0.0, 0.0, 0.0))
                });
            taken.push(bounds);
            let anchor = if dx > 0.0 { "start" } else { "end" };
            let _ = write!(
                s,
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="5" fill="{0}" stroke="white" stroke-width="1.5"/><text x="{1:.1}" y="{2:.1}" text-anchor="{anchor}" font-size="11" fill="{0}">{3}</text>"##,
                m.colour,
                x + dx,
                y + dy,
                escape(&m.label)
            );
        }

        // Legend, bottom left of the plot (where precision–automation curves rarely go).
        for (i, series) in self.series.iter().enumerate() {
            let y = TOP + PLOT_HEIGHT - 14.0 - 18.0 * (self.series.len() - 1 - i) as f64;
            let _ = write!(
                s,
                r##"<line x1="{0:.1}" y1="{1:.1}" x2="{2:.1}" y2="{1:.1}" stroke="{3}" stroke-width="3"/><text x="{4:.1}" y="{5:.1}" font-size="12" fill="#24292f">{6}</text>"##,
                LEFT + 12.0,
                y,
                LEFT + 32.0,
                series.colour,
                LEFT + 38.0,
                y + 4.0,
                escape(&series.name)
            );
        }
        s.push_str("</svg>");
        s
    }
}

/// One bar of a [`BarChart`].
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    /// A share in 0..1.
    pub value: f64,
    /// Shown after the bar.
    pub note: String,
}

/// Horizontal bars of shares, one row each, with an optional dashed reference line.
#[derive(Debug, Clone)]
pub struct BarChart {
    pub title: String,
    pub colour: &'static str,
    pub bars: Vec<Bar>,
    /// (share, label), e.g. the overall rate.
    pub reference: Option<(f64, String)>,
}

const LABEL_WIDTH: f64 = 220.0;
const NOTE_WIDTH: f64 = 150.0;
const ROW: f64 = 24.0;
const LABEL_CHARS: usize = 30;

impl BarChart {
    pub fn render(&self) -> String {
        let bw = WIDTH - LABEL_WIDTH - NOTE_WIDTH;
        let sx = |v: f64| LABEL_WIDTH + finite_or(v, 0.0).clamp(0.0, 1.0) * bw;
        let top = 24.0;
        let rows_height = ROW * self.bars.len().max(1) as f64;
        let height = top + rows_height + 28.0;
        let mut s = open(&self.title, height);
        for i in 0..=5 {
            let v = f64::from(i) / 5.0;
            let _ = write!(
                s,
                r##"<line x1="{0:.1}" y1="{1:.1}" x2="{0:.1}" y2="{2:.1}" stroke="{GRID}"/><text x="{0:.1}" y="{3:.1}" text-anchor="middle" font-size="11" fill="{AXIS}">{4}</text>"##,
                sx(v),
                top,
                top + rows_height,
                top + rows_height + 16.0,
                tick(v)
            );
        }
        for (i, bar) in self.bars.iter().enumerate() {
            let y = top + ROW * i as f64;
            let _ = write!(
                s,
                r##"<text x="{0:.1}" y="{1:.1}" text-anchor="end" font-size="12" fill="#24292f">{2}</text><rect x="{3:.1}" y="{4:.1}" width="{5:.1}" height="{6:.1}" fill="{7}" rx="2"/><text x="{8:.1}" y="{1:.1}" font-size="11" fill="{AXIS}">{9}</text>"##,
                LABEL_WIDTH - 8.0,
                y + ROW / 2.0 + 4.0,
                escape(&shorten(&bar.label, LABEL_CHARS)),
                LABEL_WIDTH,
                y + 4.0,
                sx(bar.value) - LABEL_WIDTH,
                ROW - 8.0,
                self.colour,
                sx(bar.value) + 6.0,
                escape(&bar.note)
            );
        }
        if let Some((v, label)) = &self.reference {
            let _ = write!(
                s,
                r##"<line x1="{0:.1}" y1="{1:.1}" x2="{0:.1}" y2="{2:.1}" stroke="#24292f" stroke-dasharray="4 3"/><text x="{0:.1}" y="{3:.1}" text-anchor="middle" font-size="11" fill="#24292f">{4}</text>"##,
                sx(*v),
                top - 4.0,
                top + rows_height,
                top - 8.0,
                escape(label)
            );
        }
        s.push_str("</svg>");
        s
    }
}

/// The opening tag and title of a chart of the page's width.
pub(crate) fn open(title: &str, height: f64) -> String {
    let title = escape(title);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0} {height:.0}" width="100%" role="img" aria-label="{title}"><title>{title}</title>"##
    )
}

/// The y axis of a chart whose y runs from `y_min` to 100% (`sy` places a value): grid lines and
/// percentage ticks at a step that suits the range, only inside it.
pub(crate) fn y_axis(s: &mut String, y_min: f64, sy: impl Fn(f64) -> f64) {
    let pw = WIDTH - LEFT - RIGHT;
    let range = 1.0 - y_min;
    let step = if range <= 0.2 {
        0.02
    } else if range <= 0.5 {
        0.05
    } else {
        0.1
    };
    // Only ticks inside the range: the axis may start between two.
    let ticks = (range / step + 1e-9).floor() as i32;
    for i in 0..=ticks {
        let y = 1.0 - f64::from(i) * step;
        let _ = write!(
            s,
            r##"<line x1="{LEFT:.1}" y1="{0:.1}" x2="{1:.1}" y2="{0:.1}" stroke="{GRID}"/><text x="{2:.1}" y="{3:.1}" text-anchor="end" font-size="11" fill="{AXIS}">{4}</text>"##,
            sy(y),
            LEFT + pw,
            LEFT - 6.0,
            sy(y) + 4.0,
            tick(y)
        );
    }
}

fn finite_or(x: f64, fallback: f64) -> f64 {
    if x.is_finite() { x } else { fallback }
}

/// A tick label: a whole percentage where it is one.
fn tick(share: f64) -> String {
    let p = share * 100.0;
    if (p - p.round()).abs() < 1e-6 {
        format!("{p:.0}%")
    } else {
        percent(share)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_chart_escapes_its_text_and_draws_every_part() {
        let chart = LineChart {
            title: "P & R".to_owned(),
            x_label: "x".to_owned(),
            y_label: "y".to_owned(),
            y_min: 0.8,
            series: vec![Series {
                name: "<model>".to_owned(),
                colour: "#0969da",
                points: vec![(0.0, 1.0), (0.5, 0.9), (1.0, 0.5)],
            }],
            guides: vec![Guide {
                y: 0.95,
                label: "95%".to_owned(),
            }],
            markers: vec![Marker {
                x: 0.5,
                y: 0.9,
                colour: "#0969da",
                label: "a \"point\"".to_owned(),
            }],
        };
        let svg = chart.render();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("<title>P &amp; R</title>"));
        assert!(svg.contains("&lt;model&gt;") && !svg.contains("<model>"));
        assert!(svg.contains("a &quot;point&quot;"));
        // x 0..1 over 64..672, y 0.8..1 over 336..16: (0.5, 0.9) → (368, 176); 0.5 is clamped.
        assert!(svg.contains("64.0,16.0 368.0,176.0 672.0,336.0"), "{svg}");
        assert!(svg.contains(r##"<circle cx="368.0" cy="176.0""##));
        assert!(svg.contains(">95%</text>") && svg.contains(">80%</text>"));
    }

    #[test]
    fn a_bar_chart_scales_bars_to_shares() {
        let chart = BarChart {
            title: "Bars".to_owned(),
            colour: "#0969da",
            bars: vec![Bar {
                label: "Børn & unge".to_owned(),
                value: 0.5,
                note: "50%".to_owned(),
            }],
            reference: Some((0.25, "all".to_owned())),
        };
        let svg = chart.render();
        // Bars span 220..570: half is 175 wide.
        assert!(svg.contains(r##"width="175.0""##), "{svg}");
        assert!(svg.contains("Børn &amp; unge"));
        assert!(svg.contains(r##"x1="307.5""##));
    }
}
