//! The replay as one self-contained HTML page: automation per month, realised precision per
//! month with 95% intervals against the promise, per-quarter figures, why invoices went to review,
//! the threshold changes, the pauses and the first mistakes — charts from the dashboard's own SVG
//! code.

use std::fmt::Write;

use kontera_core::trust::{Z95, wilson};

use super::{Month, Replay};
use crate::web::chart::{Audits, automation_chart, precision_chart};
use crate::web::escape;

/// The page for `replay`, promising `target` precision, with `floor` the circuit breaker's.
pub fn html(replay: &Replay, target: f64, floor: f64) -> String {
    let automation: Vec<(String, f64, Option<f64>)> = replay
        .months
        .iter()
        .map(|m| (m.month.clone(), m.automation_rate, None))
        .collect();
    let precision: Vec<(String, Option<Audits>)> = replay
        .months
        .iter()
        .map(|m| (m.month.clone(), interval(m)))
        .collect();
    let mut s = String::new();
    let title = format!(
        "Replay of {} from {} to {}",
        replay.model_version,
        replay.from.as_deref().unwrap_or(""),
        replay.to.as_deref().unwrap_or("")
    );
    let _ = write!(
        s,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem;color:#24292f}}\
         table{{border-collapse:collapse;margin:1rem 0}}td,th{{border:1px solid #d0d7de;\
         padding:.25rem .5rem;text-align:right}}th{{background:#f6f8fa}}td.l,th.l{{text-align:left}}\
         .bar{{display:inline-block;height:.7rem;background:#0969da}}</style></head><body><h1>{t}</h1>",
        t = escape(&title)
    );
    let _ = write!(
        s,
        "<p id=\"summary\">{} invoices decided; {} posted automatically ({}), realised precision \
         {} (promised {}); {} audit samples coded by a controller {} days after arrival; {} \
         threshold changes, {} pauses or resumes, {} areas opened for a year.</p>",
        replay.invoices,
        replay.automated,
        percent(Some(replay.automation_rate)),
        percent(replay.realised_precision),
        percent(Some(target)),
        replay.audit_samples,
        replay.review_delay_days,
        replay.threshold_changes.len(),
        replay.pauses.len(),
        replay.openings.len()
    );
    s.push_str("<h2>Automation per month</h2>");
    s.push_str(&automation_chart(&automation));
    s.push_str("<h2>Realised precision per month</h2>");
    s.push_str(&precision_chart(&precision, floor, target));
    s.push_str("<h2>Quarters</h2>");
    figures_table(&mut s, "quarters", &replay.quarters);
    s.push_str("<h2>Months</h2>");
    figures_table(&mut s, "months", &replay.months);
    reasons_table(&mut s, replay);
    s.push_str(
        "<h2>Threshold changes</h2><table id=\"thresholds\"><tr><th class=\"l\">Date</th>\
         <th class=\"l\">Area</th><th>From</th><th>To</th></tr>",
    );
    for c in &replay.threshold_changes {
        let _ = write!(
            s,
            "<tr><td class=\"l\">{}</td><td class=\"l\">{}</td><td>{}</td><td>{}</td></tr>",
            escape(&c.date),
            escape(&c.area),
            threshold(c.from),
            threshold(c.to)
        );
    }
    s.push_str(
        "</table><h2>Pauses</h2><table id=\"pauses\"><tr><th class=\"l\">Date</th>\
         <th class=\"l\">Area</th><th class=\"l\">Change</th><th class=\"l\">By</th>\
         <th class=\"l\">Reason</th></tr>",
    );
    for p in &replay.pauses {
        let _ = write!(
            s,
            "<tr><td class=\"l\">{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td>\
             <td class=\"l\">{}</td><td class=\"l\">{}</td></tr>",
            escape(&p.date),
            escape(&p.area),
            if p.paused { "paused" } else { "resumed" },
            escape(&p.by),
            escape(p.reason.as_deref().unwrap_or(""))
        );
    }
    s.push_str(
        "</table><h2>Year openings</h2><p>In each year an area posts nothing automatically until \
         controllers have reviewed enough of its invoices received that year.</p>\
         <table id=\"openings\"><tr><th class=\"l\">Date</th><th class=\"l\">Area</th>\
         <th>Year</th><th>Reviews</th></tr>",
    );
    for o in &replay.openings {
        let _ = write!(
            s,
            "<tr><td class=\"l\">{}</td><td class=\"l\">{}</td><td>{}</td><td>{}</td></tr>",
            escape(&o.date),
            escape(&o.area),
            o.year,
            o.reviews
        );
    }
    let _ = write!(
        s,
        "</table><h2>Mistakes</h2><p>The first {} of the invoices posted automatically with a \
         wrong line (the JSON lists up to {}).</p><table id=\"mistakes\"><tr>\
         <th class=\"l\">Date</th><th class=\"l\">Supplier</th><th class=\"l\">Number</th>\
         <th class=\"l\">Area</th><th>Line</th><th>Confidence</th><th class=\"l\">Posted</th>\
         <th class=\"l\">Truly posted</th></tr>",
        replay.mistakes.len().min(SHOWN_MISTAKES),
        super::MAX_MISTAKES
    );
    for m in replay.mistakes.iter().take(SHOWN_MISTAKES) {
        for l in &m.lines {
            let _ = write!(
                s,
                "<tr><td class=\"l\">{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td>\
                 <td class=\"l\">{}</td><td>{}</td><td>{:.4}</td><td class=\"l\">{}</td>\
                 <td class=\"l\">{}</td></tr>",
                escape(&m.date),
                escape(&m.supplier),
                escape(&m.number),
                escape(m.area.as_deref().unwrap_or("")),
                l.line_no,
                l.confidence,
                escape(&l.posted),
                escape(&l.truth)
            );
        }
    }
    s.push_str("</table></body></html>\n");
    s
}

/// Mistakes shown on the page.
const SHOWN_MISTAKES: usize = 100;

fn figures_table(s: &mut String, id: &str, rows: &[Month]) {
    let _ = write!(
        s,
        "<table id=\"{id}\"><tr><th class=\"l\">Period</th><th>Invoices</th><th>Automated</th>\
         <th>Automation</th><th>Realised precision</th></tr>"
    );
    for m in rows {
        let _ = write!(
            s,
            "<tr><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&m.month),
            m.invoices,
            m.automated,
            percent(Some(m.automation_rate)),
            percent(m.realised_precision)
        );
    }
    s.push_str("</table>");
}

/// Why invoices went to review: per reason, the invoices with it and those it alone sent, with
/// a bar of its share of the reviewed invoices.
fn reasons_table(s: &mut String, replay: &Replay) {
    let _ = write!(
        s,
        "<h2>Why invoices went to review</h2><p>Of the {} invoices sent to review, per reason: \
         the invoices that carried it, and those it alone sent (with no other reason they would \
         have been posted automatically). The model's <code>recent_change</code> comes with \
         <code>below_threshold</code>, so such an invoice counts for neither alone.</p><table id=\"reasons\"><tr><th class=\"l\">Reason\
         </th><th>Invoices</th><th>Of those reviewed</th><th>Alone</th><th class=\"l\"></th></tr>",
        replay.reviewed
    );
    for r in &replay.review_reasons {
        let share = r.invoices as f64 / replay.reviewed.max(1) as f64;
        let _ = write!(
            s,
            "<tr><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"l\">\
             <span class=\"bar\" style=\"width:{:.1}rem\"></span></td></tr>",
            escape(&r.code),
            r.invoices,
            percent(Some(share)),
            r.alone,
            share * 20.0
        );
    }
    s.push_str("</table>");
}

/// A month's realised precision with its 95% Wilson interval, for the precision chart.
fn interval(m: &Month) -> Option<Audits> {
    let w = wilson(m.right, m.automated, Z95)?;
    Some((w.estimate, w.lo, w.hi, m.automated))
}

fn percent(p: Option<f64>) -> String {
    p.map_or_else(|| "–".to_owned(), |p| format!("{:.1}%", p * 100.0))
}

fn threshold(t: f32) -> String {
    if t > 1.0 {
        "none automated".to_owned()
    } else {
        format!("{t:.4}")
    }
}
