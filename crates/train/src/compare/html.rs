//! The comparison as one self-contained HTML page (the evaluation report's style sheet and SVG
//! charts, no scripts): the verdict at equal realised precision (cut on the compared invoices, and
//! said to be never served) with any calibration warning, both models side by side at their own
//! thresholds for each target, per field and per area, and the first [`HTML_DIFFERENCES`] invoices
//! they decide differently. Every text from data or meta is escaped.

use std::fmt::Write;

use super::{
    AreaFigures, CompareMeta, Comparison, Decision, Difference, DifferenceKind, EQUAL_PRECISION,
    ModelFigures, RESAMPLED,
};
use crate::evaluate::FieldScore;
use crate::report::format::{count, escape, percent, points, shorten, target_key, threshold};
use crate::report::html::{STYLE, field_name, precision, target_name};
use crate::report::svg::{LineChart, Marker, Series};
use crate::threshold::Automation;

/// Invoices decided differently listed on the page (the JSON report has them all).
pub const HTML_DIFFERENCES: usize = 200;
/// The title of the chart of both models' precision against automation.
const CURVE_TITLE: &str = "Precision against automation, both models";
const CHAMPION_COLOUR: &str = "#8250df";
const CHALLENGER_COLOUR: &str = "#0969da";
/// Characters of a line's text shown.
const TEXT_CHARS: usize = 60;

const EXTRA_STYLE: &str = "
.champion { color: #8250df; } .challenger { color: #0969da; }
.verdict .line { font-size: 18px; font-weight: 600; margin: 4px 0 8px; }
.wrong { color: #cf222e; }
.verdict .warning { color: #9a6700; font-weight: 600; }
tr.invoice td { border-top: 2px solid #d0d7de; font-weight: 600; }
.card .figure.pair { font-size: 22px; }
td.num { white-space: nowrap; }
";

/// The whole page.
pub fn page(c: &Comparison, meta: &CompareMeta) -> String {
    let title = escape(&meta.title);
    let mut s = String::with_capacity(64 * 1024);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}{EXTRA_STYLE}</style>\n</head>\n<body>\n<main>\n"
    );
    let _ = write!(
        s,
        "<header>\n<h1>{title}</h1>\n<p class=\"meta\"><span class=\"champion\">Champion</span> \
         <code>{}</code> (trained {} to {}) · <span class=\"challenger\">challenger</span> \
         <code>{}</code> (trained {} to {})<br>data <code>{}</code> · compared on {} to {} · {} \
         invoices, {} lines · invoice set <code>{}</code></p>\n</header>\n",
        escape(&meta.champion),
        c.champion.trained_from,
        c.champion.trained_to,
        escape(&meta.challenger),
        c.challenger.trained_from,
        c.challenger.trained_to,
        escape(&meta.data),
        meta.from,
        meta.to,
        count(c.invoices),
        count(c.lines),
        escape(&c.fingerprint)
    );
    verdict_section(&mut s, c);
    cards(&mut s, c);
    curve_section(&mut s, c);
    automation_section(&mut s, c);
    fields_section(&mut s, c);
    area_sections(&mut s, c);
    differences_section(&mut s, c);
    s.push_str(
        "<footer>Kontera comparison report. Both models code the same invoices through the same \
         precedence chain; an invoice is automated when every line clears the model's threshold, \
         and right only if every field of every line is right.</footer>\n\
         </main>\n</body>\n</html>\n",
    );
    s
}

fn verdict_section(s: &mut String, c: &Comparison) {
    let v = &c.verdict;
    let _ = writeln!(
        s,
        "<section class=\"verdict\">\n<h2>Verdict</h2>\n<p class=\"line\">{}</p>",
        escape(&v.sentence())
    );
    for warning in v.calibration_warnings() {
        let _ = writeln!(
            s,
            "<p class=\"warning\">Calibration warning: {}.</p>",
            escape(&warning)
        );
    }
    s.push_str(
        "<table>\n<thead><tr><th>At equal realised precision</th><th>Model</th>\
         <th class=\"num\">Confidence cut</th><th class=\"num\">Automated</th>\
         <th class=\"num\">Invoices</th><th class=\"num\">Realised precision</th></tr></thead>\n\
         <tbody>\n",
    );
    for ((target, a), (_, b)) in c
        .champion
        .equal_precision
        .iter()
        .zip(&c.challenger.equal_precision)
    {
        automation_row(s, *target, "Champion", "champion", a);
        automation_row(s, *target, "Challenger", "challenger", b);
    }
    s.push_str(
        "</tbody>\n</table>\n<table>\n<thead><tr><th>At equal realised precision</th>\
         <th class=\"num\">Challenger − champion</th><th class=\"num\">Interval</th>\
         <th>Ahead</th></tr></thead>\n<tbody>\n",
    );
    for j in &v.judgements {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td class=\"num\">{} points</td><td class=\"num\">{} to {} \
             <small>({})</small></td><td>{}</td></tr>",
            target_name(j.target),
            points(j.difference),
            points(j.interval.low),
            points(j.interval.high),
            target_name(j.interval.level),
            j.ahead()
                .map_or("neither (the interval holds 0)", |side| side.as_str())
        );
    }
    let _ = writeln!(
        s,
        "</tbody>\n</table>\n<p class=\"note\">At equal realised precision: {}. A model is \
         better when it is ahead at one target at least and clearly behind at none. The \
         interval is a paired bootstrap: {} resamples of the {} {}; seed {}, percentile \
         interval.</p>\n</section>",
        escape(EQUAL_PRECISION),
        count(v.bootstrap.resamples),
        count(c.invoices),
        escape(RESAMPLED),
        v.bootstrap.seed
    );
}

fn cards(s: &mut String, c: &Comparison) {
    s.push_str("<div class=\"cards\">\n");
    for j in &c.verdict.judgements {
        let _ = writeln!(
            s,
            "<div class=\"card\"><div class=\"label\">Automated at equal {} precision</div>\
             <div class=\"figure pair\"><span class=\"champion\">{}</span> → \
             <span class=\"challenger\">{}</span></div><div class=\"sub\">cut on these \
             invoices, never served</div></div>",
            target_name(j.target),
            percent(j.champion.rate),
            percent(j.challenger.rate)
        );
    }
    for ((target, a), (_, b)) in c.champion.automation.iter().zip(&c.challenger.automation) {
        let _ = writeln!(
            s,
            "<div class=\"card\"><div class=\"label\">Automated at its own {} threshold</div>\
             <div class=\"figure pair\"><span class=\"champion\">{}</span> → \
             <span class=\"challenger\">{}</span></div><div class=\"sub\">right: champion {}, \
             challenger {}</div></div>",
            target_name(*target),
            percent(a.rate),
            percent(b.rate),
            precision(a),
            precision(b)
        );
    }
    let _ = writeln!(
        s,
        "<div class=\"card\"><div class=\"label\">Lines right in every field</div>\
         <div class=\"figure pair\"><span class=\"champion\">{}</span> → \
         <span class=\"challenger\">{}</span></div><div class=\"sub\">of {} lines</div></div>\n\
         <div class=\"card\"><div class=\"label\">Invoices decided differently</div>\
         <div class=\"figure\">{}</div><div class=\"sub\">of {}</div></div>\n</div>",
        percent(c.champion.joint_accuracy),
        percent(c.challenger.joint_accuracy),
        count(c.lines),
        count(c.differences.len()),
        count(c.invoices)
    );
}

fn curve_section(s: &mut String, c: &Comparison) {
    let _ = writeln!(
        s,
        "<section>\n<h2>{CURVE_TITLE}</h2>\n<p class=\"note\">Each point is a threshold: the \
         share of invoices automated and the share of those fully right. Dots mark each model's \
         own thresholds for the targets; where a curve crosses a target line is its operating \
         point at equal realised precision.</p>"
    );
    let sides = [
        ("Champion", CHAMPION_COLOUR, &c.champion),
        ("Challenger", CHALLENGER_COLOUR, &c.challenger),
    ];
    let lowest = sides
        .iter()
        .flat_map(|(_, _, m)| m.curve.iter().map(|p| p.precision))
        .chain(c.champion.automation.iter().map(|(t, _)| *t))
        .filter(|p| p.is_finite())
        .fold(1.0f64, f64::min);
    let mut markers = Vec::new();
    for (name, colour, m) in &sides {
        for (target, a) in m.automation.iter().filter(|(_, a)| a.automated > 0) {
            markers.push(Marker {
                x: a.rate,
                y: a.precision,
                colour,
                label: format!("{} @ {}", name.to_lowercase(), target_name(*target)),
            });
        }
    }
    let chart = LineChart {
        title: CURVE_TITLE.to_owned(),
        x_label: "Invoices automated".to_owned(),
        y_label: "Automated invoices right".to_owned(),
        y_min: ((lowest * 20.0).floor() / 20.0).clamp(0.5, 0.9),
        series: sides
            .iter()
            .map(|(name, colour, m)| Series {
                name: (*name).to_owned(),
                colour,
                points: m.curve.iter().map(|p| (p.rate, p.precision)).collect(),
            })
            .collect(),
        guides: c
            .champion
            .automation
            .iter()
            .map(|(t, _)| crate::report::svg::Guide {
                y: *t,
                label: target_name(*t),
            })
            .collect(),
        markers,
    };
    s.push_str(&chart.render());
    s.push_str("\n</section>\n");
}

fn automation_section(s: &mut String, c: &Comparison) {
    s.push_str(
        "<section>\n<h2>Automation at each model's own thresholds</h2>\n<p class=\"note\">Each \
         model at its own threshold for the target, chosen on its training window: what the \
         service would deliver on these invoices.</p>\n<table>\n<thead><tr><th>Target</th>\
         <th>Model</th><th class=\"num\">Threshold</th><th class=\"num\">Automated</th>\
         <th class=\"num\">Invoices</th><th class=\"num\">Right</th></tr></thead>\n<tbody>\n",
    );
    for ((target, a), (_, b)) in c.champion.automation.iter().zip(&c.challenger.automation) {
        automation_row(s, *target, "Champion", "champion", a);
        automation_row(s, *target, "Challenger", "challenger", b);
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
}

fn automation_row(s: &mut String, target: f64, model: &str, class: &str, a: &Automation) {
    let _ = writeln!(
        s,
        "<tr><td>{} <small>({})</small></td><td class=\"{class}\">{model}</td>\
         <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{} of {}</td>\
         <td class=\"num\">{}</td></tr>",
        target_name(target),
        target_key(target),
        threshold(a.threshold),
        percent(a.rate),
        count(a.automated),
        count(a.invoices),
        precision(a)
    );
}

/// Two figures side by side: the champion's, then the challenger's.
fn pair(a: &str, b: &str) -> String {
    format!("<span class=\"champion\">{a}</span> · <span class=\"challenger\">{b}</span>")
}

/// The score of `field` in `scores` as a percentage of `get`, a dash when the model lacks it.
fn field_figure(
    scores: &[FieldScore],
    field: kontera_core::model::Field,
    get: fn(&FieldScore) -> f64,
) -> String {
    scores
        .iter()
        .find(|f| f.field == field)
        .map_or_else(|| "–".to_owned(), |f| percent(get(f)))
}

fn fields_section(s: &mut String, c: &Comparison) {
    s.push_str(
        "<section>\n<h2>Accuracy per field</h2>\n<p class=\"note\">Per line: top-1 accuracy and \
         macro-F1 (every label counts equally), <span class=\"champion\">champion</span> · \
         <span class=\"challenger\">challenger</span>.</p>\n<table>\n<thead><tr><th>Field</th>\
         <th class=\"num\">Top-1 accuracy</th><th class=\"num\">Macro-F1</th></tr></thead>\n\
         <tbody>\n",
    );
    for &field in &c.fields {
        let (a, b) = (&c.champion.fields, &c.challenger.fields);
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            field_name(field),
            pair(
                &field_figure(a, field, |f| f.top1_accuracy),
                &field_figure(b, field, |f| f.top1_accuracy)
            ),
            pair(
                &field_figure(a, field, |f| f.macro_f1),
                &field_figure(b, field, |f| f.macro_f1)
            )
        );
    }
    let _ = writeln!(
        s,
        "<tr><td>All fields</td><td class=\"num\">{}</td><td class=\"num\">–</td></tr>\n\
         </tbody>\n</table>\n</section>",
        pair(
            &percent(c.champion.joint_accuracy),
            &percent(c.challenger.joint_accuracy)
        )
    );
}

/// The challenger's figures for the champion's area `a` (both are scored on the same invoices,
/// so every area is in both).
fn other<'a>(m: &'a ModelFigures, a: &AreaFigures) -> Option<&'a AreaFigures> {
    m.per_area.iter().find(|b| b.area == a.area)
}

fn area_sections(s: &mut String, c: &Comparison) {
    s.push_str(
        "<section>\n<h2>Automation by area</h2>\n<p class=\"note\">Share of each area's invoices \
         automated, and the share of those right, <span class=\"champion\">champion</span> · \
         <span class=\"challenger\">challenger</span> (an invoice's area is its first \
         line's).</p>\n<table>\n<thead><tr><th>Area</th><th class=\"num\">Invoices</th>",
    );
    for (target, _) in &c.champion.automation {
        let _ = write!(
            s,
            "<th class=\"num\">Automated at {0}</th><th class=\"num\">Right at {0}</th>",
            target_name(*target)
        );
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for a in &c.champion.per_area {
        let Some(b) = other(&c.challenger, a) else {
            continue;
        };
        let _ = write!(
            s,
            "<tr><td>{}</td><td class=\"num\">{}</td>",
            escape(&a.area),
            count(a.invoices)
        );
        for ((_, x), (_, y)) in a.automation.iter().zip(&b.automation) {
            let _ = write!(
                s,
                "<td class=\"num\">{}</td><td class=\"num\">{}</td>",
                pair(&percent(x.rate), &percent(y.rate)),
                pair(&precision(x), &precision(y))
            );
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n</section>\n");

    s.push_str(
        "<section>\n<h2>Accuracy by area</h2>\n<p class=\"note\">Per line: top-1 accuracy and \
         macro-F1 of each field, <span class=\"champion\">champion</span> · \
         <span class=\"challenger\">challenger</span>.</p>\n<table>\n<thead><tr><th>Area</th>\
         <th>Field</th><th class=\"num\">Lines</th><th class=\"num\">Top-1 accuracy</th>\
         <th class=\"num\">Macro-F1</th></tr></thead>\n<tbody>\n",
    );
    for a in &c.champion.per_area {
        let Some(b) = other(&c.challenger, a) else {
            continue;
        };
        for (i, &field) in c.fields.iter().enumerate() {
            let (area, lines) = if i == 0 {
                (escape(&a.area), count(a.lines))
            } else {
                (String::new(), String::new())
            };
            let _ = writeln!(
                s,
                "<tr><td>{area}</td><td>{}</td><td class=\"num\">{lines}</td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                field_name(field),
                pair(
                    &field_figure(&a.fields, field, |f| f.top1_accuracy),
                    &field_figure(&b.fields, field, |f| f.top1_accuracy)
                ),
                pair(
                    &field_figure(&a.fields, field, |f| f.macro_f1),
                    &field_figure(&b.fields, field, |f| f.macro_f1)
                )
            );
        }
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
}

fn differences_section(s: &mut String, c: &Comparison) {
    let total = c.differences.len();
    let _ = writeln!(
        s,
        "<section>\n<h2>Invoices decided differently</h2>\n<p class=\"note\">{} of {} invoices: \
         {} automated by the champion only, {} by the challenger only (each at its own {} \
         threshold), {} coded \
         differently. Codings are {}; labels that are not the truth are in red.{}</p>",
        count(total),
        count(c.invoices),
        count(c.count(DifferenceKind::OnlyChampionAutomates)),
        count(c.count(DifferenceKind::OnlyChallengerAutomates)),
        target_name(c.verdict.target()),
        count(c.count(DifferenceKind::CodedDifferently)),
        c.fields
            .iter()
            .map(|&f| field_name(f).to_lowercase())
            .collect::<Vec<_>>()
            .join(" · "),
        if total > HTML_DIFFERENCES {
            format!(
                " The first {HTML_DIFFERENCES} are listed; the JSON report has the first {}.",
                count(total.min(super::json::JSON_DIFFERENCES))
            )
        } else {
            String::new()
        }
    );
    if total == 0 {
        s.push_str("<p>The two models decide every invoice alike.</p>\n</section>\n");
        return;
    }
    s.push_str(
        "<table>\n<thead><tr><th>Invoice / line</th><th>Truth</th>\
         <th class=\"champion\">Champion</th><th class=\"challenger\">Challenger</th></tr>\
         </thead>\n<tbody>\n",
    );
    for d in c.differences.iter().take(HTML_DIFFERENCES) {
        difference_rows(s, d);
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
}

fn difference_rows(s: &mut String, d: &Difference) {
    let _ = writeln!(
        s,
        "<tr class=\"invoice\"><td>{} <small>{}</small></td><td></td><td>{}</td><td>{}</td></tr>",
        escape(&d.invoice),
        escape(&d.area),
        decision(&d.champion),
        decision(&d.challenger)
    );
    for l in &d.lines {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&shorten(&l.text, TEXT_CHARS)),
            coding(&l.truth, &l.truth),
            coding(&l.champion, &l.truth),
            coding(&l.challenger, &l.truth)
        );
    }
}

fn decision(d: &Decision) -> String {
    format!(
        "{} <small>confidence {:.3}, {}</small>",
        if d.automated { "automated" } else { "review" },
        d.confidence,
        if d.right { "right" } else { "wrong" }
    )
}

/// A line's labels joined by " · ", those that are not the truth marked.
fn coding(labels: &[Option<String>], truth: &[Option<String>]) -> String {
    labels
        .iter()
        .zip(truth)
        .map(|(l, t)| {
            let text = escape(l.as_deref().unwrap_or("–"));
            if l == t {
                text
            } else {
                format!("<span class=\"wrong\">{text}</span>")
            }
        })
        .collect::<Vec<_>>()
        .join(" · ")
}
