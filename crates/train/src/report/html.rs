//! The HTML report: one self-contained page (inline CSS and SVG, no scripts, no external assets)
//! with the headline figures, the precision–automation chart, automation per area and the tables
//! an analyst reads next. Every text from data or meta is escaped.

use std::fmt::Write;

use kontera_core::model::Field;

use super::ReportMeta;
use super::format::{count, escape, percent, percent_or_dash, target_key, threshold};
use super::svg::{Bar, BarChart, Guide, LineChart, Marker, Series};
use crate::evaluate::{Evaluation, RARE_LABEL_LINES, WORST_MIN_PREDICTED};
use crate::threshold::Automation;

/// The title of the precision–automation chart.
pub const CURVE_TITLE: &str = "Precision against automation";
/// The title of the per-area chart.
pub const AREA_TITLE: &str = "Automation by area";
/// Areas drawn in the per-area chart (the JSON report has them all).
const AREA_BARS: usize = 25;
const MODEL_COLOUR: &str = "#0969da";
const PLANS_COLOUR: &str = "#bc4c00";

/// The reports' style sheet (the comparison report shares it).
pub(crate) const STYLE: &str = "
:root { color-scheme: light; }
body { margin: 0; background: #f6f8fa; color: #24292f;
  font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
main { max-width: 960px; margin: 0 auto; padding: 32px 24px 48px; }
header h1 { margin: 0 0 4px; font-size: 26px; }
.meta { margin: 0; color: #57606a; }
.meta code { font-size: 13px; background: #eaeef2; padding: 1px 5px; border-radius: 4px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px;
  margin: 24px 0; }
.card { background: white; border: 1px solid #d0d7de; border-radius: 8px; padding: 14px 16px; }
.card .label { color: #57606a; font-size: 13px; }
.card .figure { font-size: 28px; font-weight: 600; margin: 2px 0; }
.card .sub { color: #57606a; font-size: 13px; }
section { background: white; border: 1px solid #d0d7de; border-radius: 8px; padding: 16px 20px;
  margin: 16px 0; }
section h2 { margin: 0 0 6px; font-size: 18px; }
.note { color: #57606a; font-size: 13px; margin: 0 0 12px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { padding: 5px 8px; border-bottom: 1px solid #eaeef2; text-align: left; }
th { color: #57606a; font-weight: 600; font-size: 13px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) { background: #f6f8fa; }
.model { color: #0969da; } .plans { color: #bc4c00; }
footer { color: #8c959f; font-size: 12px; text-align: center; margin-top: 24px; }
";

/// The whole page.
pub fn page(e: &Evaluation, meta: &ReportMeta) -> String {
    let title = escape(&meta.title);
    let mut s = String::with_capacity(32 * 1024);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
    );
    let _ = write!(
        s,
        "<header>\n<h1>{title}</h1>\n<p class=\"meta\">Model <code>{}</code> · data <code>{}</code> · \
         evaluated on {} to {} · {} invoices, {} lines</p>\n</header>\n",
        escape(&meta.model),
        escape(&meta.data),
        meta.from,
        meta.to,
        count(e.invoices),
        count(e.rows)
    );
    cards(&mut s, e);
    curve_section(&mut s, e);
    area_section(&mut s, e);
    fields_section(&mut s, e);
    automation_section(&mut s, e);
    worst_section(&mut s, e);
    confusion_section(&mut s, e);
    s.push_str(
        "<footer>Kontera evaluation report. An invoice is automated when every line clears the \
         threshold, and right only if every field of every line is right.</footer>\n\
         </main>\n</body>\n</html>\n",
    );
    s
}

pub(crate) fn field_name(field: Field) -> &'static str {
    match field {
        Field::Account => "Account",
        Field::CostCentre => "Cost centre",
        Field::VatCode => "VAT code",
    }
}

pub(crate) fn target_name(target: f64) -> String {
    percent(target).replace(".0%", "%")
}

fn cards(s: &mut String, e: &Evaluation) {
    s.push_str("<div class=\"cards\">\n");
    for (target, a) in &e.automation {
        let plans = e
            .baseline_automation
            .iter()
            .find(|(t, _)| t == target)
            .map(|(_, b)| {
                format!(
                    "<br>payment plans: {} at {} right",
                    percent(b.rate),
                    precision(b)
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "<div class=\"card\"><div class=\"label\">Automated at the {} target</div>\
             <div class=\"figure model\">{}</div><div class=\"sub\">of invoices, {} of them right \
             ({} of {}){plans}</div></div>",
            target_name(*target),
            percent(a.rate),
            precision(a),
            count(a.automated),
            count(a.invoices)
        );
    }
    let _ = writeln!(
        s,
        "<div class=\"card\"><div class=\"label\">Lines right in every field</div>\
         <div class=\"figure\">{}</div><div class=\"sub\">of {} lines<br>payment plans: {}</div></div>",
        percent(e.joint_accuracy),
        count(e.rows),
        percent(e.baseline_top1)
    );
    s.push_str("</div>\n");
}

/// The realised precision, or a dash when nothing was automated.
pub(crate) fn precision(a: &Automation) -> String {
    if a.automated == 0 {
        "–".to_owned()
    } else {
        percent(a.precision)
    }
}

fn curve_section(s: &mut String, e: &Evaluation) {
    let _ = writeln!(
        s,
        "<section>\n<h2>{CURVE_TITLE}</h2>\n<p class=\"note\">Each point is a threshold: the share \
         of invoices automated (every line at or above it) and the share of those fully right. \
         Dots mark the thresholds chosen in training for each target precision.</p>"
    );
    let lowest = e
        .curve
        .iter()
        .chain(&e.baseline_curve)
        .map(|p| p.precision)
        .chain(e.automation.iter().map(|(t, _)| *t))
        .filter(|p| p.is_finite())
        .fold(1.0f64, f64::min);
    let y_min = ((lowest * 20.0).floor() / 20.0).clamp(0.5, 0.9);
    let points =
        |c: &[crate::evaluate::CurvePoint]| c.iter().map(|p| (p.rate, p.precision)).collect();
    let mut markers = Vec::new();
    for (blocks, colour, who) in [
        (&e.automation, MODEL_COLOUR, "model"),
        (&e.baseline_automation, PLANS_COLOUR, "plans"),
    ] {
        for (target, a) in blocks.iter().filter(|(_, a)| a.automated > 0) {
            markers.push(Marker {
                x: a.rate,
                y: a.precision,
                colour,
                label: format!("{who} @ {}", target_name(*target)),
            });
        }
    }
    let chart = LineChart {
        title: CURVE_TITLE.to_owned(),
        x_label: "Invoices automated".to_owned(),
        y_label: "Automated invoices right".to_owned(),
        y_min,
        series: vec![
            Series {
                name: "Kontera model".to_owned(),
                colour: MODEL_COLOUR,
                points: points(&e.curve),
            },
            Series {
                name: "Payment plans".to_owned(),
                colour: PLANS_COLOUR,
                points: points(&e.baseline_curve),
            },
        ],
        guides: e
            .automation
            .iter()
            .map(|(t, _)| Guide {
                y: *t,
                label: target_name(*t),
            })
            .collect(),
        markers,
    };
    s.push_str(&chart.render());
    s.push_str("\n</section>\n");
}

fn area_section(s: &mut String, e: &Evaluation) {
    let default = e.automation.first();
    let _ = writeln!(
        s,
        "<section>\n<h2>{AREA_TITLE}</h2>\n<p class=\"note\">Share of each area's invoices \
         automated at the {} threshold (an invoice's area is its first line's){}.</p>",
        default.map_or_else(
            || "default".to_owned(),
            |(t, _)| target_name(*t) + " target"
        ),
        if e.per_area.len() > AREA_BARS {
            format!(
                "; the {AREA_BARS} largest of {} areas, all are in the JSON report",
                e.per_area.len()
            )
        } else {
            String::new()
        }
    );
    if e.per_area.is_empty() {
        s.push_str("<p>No invoices.</p>\n</section>\n");
        return;
    }
    let chart = BarChart {
        title: AREA_TITLE.to_owned(),
        colour: MODEL_COLOUR,
        bars: e
            .per_area
            .iter()
            .take(AREA_BARS)
            .map(|a| Bar {
                label: a.area.clone(),
                value: a.rate,
                note: match a.precision {
                    Some(p) => format!(
                        "{} of {} · {} right",
                        percent(a.rate),
                        count(a.invoices),
                        percent(p)
                    ),
                    None => format!("{} of {}", percent(a.rate), count(a.invoices)),
                },
            })
            .collect(),
        reference: default.map(|(_, a)| (a.rate, format!("all {}", percent(a.rate)))),
    };
    s.push_str(&chart.render());
    s.push_str("\n</section>\n");
}

fn fields_section(s: &mut String, e: &Evaluation) {
    s.push_str(
        "<section>\n<h2>Accuracy per field</h2>\n<p class=\"note\">Per line: top-1 accuracy, and \
         macro-F1 (every label counts equally, so rare labels weigh as much as common ones).</p>\n\
         <table>\n<thead><tr><th>Field</th><th class=\"num\">Top-1 accuracy</th>\
         <th class=\"num\">Macro-F1</th></tr></thead>\n<tbody>\n",
    );
    for f in &e.fields {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            field_name(f.field),
            percent(f.top1_accuracy),
            percent(f.macro_f1)
        );
    }
    let _ = writeln!(
        s,
        "<tr><td>All fields</td><td class=\"num\">{}</td><td class=\"num\">–</td></tr>\n\
         <tr><td class=\"plans\">Payment plans, all fields</td><td class=\"num\">{}</td>\
         <td class=\"num\">–</td></tr>\n</tbody>\n</table>\n</section>",
        percent(e.joint_accuracy),
        percent(e.baseline_top1)
    );
}

fn automation_section(s: &mut String, e: &Evaluation) {
    s.push_str(
        "<section>\n<h2>Automation at each target</h2>\n<p class=\"note\">Thresholds chosen on the \
         last months of the training window, applied to the evaluated period.</p>\n<table>\n\
         <thead><tr><th>Target</th><th>Coder</th><th class=\"num\">Threshold</th>\
         <th class=\"num\">Automated</th><th class=\"num\">Invoices</th>\
         <th class=\"num\">Right</th></tr></thead>\n<tbody>\n",
    );
    for (target, a) in &e.automation {
        automation_row(s, *target, "Kontera model", "model", a);
        if let Some((_, b)) = e.baseline_automation.iter().find(|(t, _)| t == target) {
            automation_row(s, *target, "Payment plans", "plans", b);
        }
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
}

fn automation_row(s: &mut String, target: f64, coder: &str, class: &str, a: &Automation) {
    let _ = writeln!(
        s,
        "<tr><td>{} <small>({})</small></td><td class=\"{class}\">{coder}</td>\
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

fn worst_section(s: &mut String, e: &Evaluation) {
    let field = e.fields.first().map_or(Field::Account, |f| f.field);
    let (plural, singular) = match field {
        Field::Account => ("Accounts", "account"),
        Field::CostCentre => ("Cost centres", "cost centre"),
        Field::VatCode => ("VAT codes", "VAT code"),
    };
    let _ = writeln!(
        s,
        "<section>\n<h2>{plural} most often wrong</h2>\n<p class=\"note\">Per predicted \
         {singular} with at least {WORST_MIN_PREDICTED} lines: how often the prediction was right, \
         lowest first.</p>"
    );
    if e.worst_accounts.is_empty() {
        let _ = writeln!(
            s,
            "<p>No {singular} was predicted {WORST_MIN_PREDICTED} times or more.</p>"
        );
    } else {
        s.push_str(
            "<table>\n<thead><tr><th>Predicted</th><th class=\"num\">Lines predicted</th>\
             <th class=\"num\">Right</th><th class=\"num\">Precision</th>\
             <th class=\"num\">True lines</th></tr></thead>\n<tbody>\n",
        );
        for l in &e.worst_accounts {
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                escape(&l.label),
                count(l.predicted),
                count(l.right),
                percent(l.precision),
                count(l.actual)
            );
        }
        s.push_str("</tbody>\n</table>\n");
    }
    let r = &e.rare_accounts;
    let _ = writeln!(
        s,
        "<p><strong>Rare {plural_lower}</strong> (fewer than {RARE_LABEL_LINES} lines in the \
         period): {} {plural_lower} with {} lines, {} of them predicted right.</p>\n</section>",
        count(r.labels),
        count(r.lines),
        percent_or_dash(r.recall),
        plural_lower = plural.to_lowercase()
    );
}

fn confusion_section(s: &mut String, e: &Evaluation) {
    s.push_str(
        "<section>\n<h2>Most frequent confusions</h2>\n<p class=\"note\">Lines whose true label \
         (left) was predicted as another (right), over all fields.</p>\n",
    );
    if e.confusions.is_empty() {
        s.push_str("<p>No confusions.</p>\n</section>\n");
        return;
    }
    s.push_str(
        "<table>\n<thead><tr><th>Field</th><th>True label</th><th>Predicted</th>\
         <th class=\"num\">Lines</th></tr></thead>\n<tbody>\n",
    );
    for c in &e.confusions {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            field_name(c.field),
            escape(&c.truth),
            escape(&c.predicted),
            count(c.count)
        );
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
}
