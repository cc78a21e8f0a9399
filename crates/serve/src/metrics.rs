//! Prometheus metrics, kept in process and written in the text exposition format: decisions by
//! outcome and reason, the audit rate, and request latency by route and status.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Debug, Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Debug, Default)]
struct Inner {
    decisions: BTreeMap<(&'static str, bool), u64>,
    reasons: BTreeMap<String, u64>,
    would_auto: u64,
    audit_samples: u64,
    requests: BTreeMap<(String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
}

/// The service's metrics.
#[derive(Debug, Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        f(&mut self.inner.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Counts one decision sent (new or repeated) with its reason codes.
    pub fn decision(&self, outcome: &'static str, repeat: bool, reasons: &[String]) {
        self.with(|m| {
            *m.decisions.entry((outcome, repeat)).or_default() += 1;
            for r in reasons {
                *m.reasons.entry(r.clone()).or_default() += 1;
            }
        });
    }

    /// Counts one new would-be-automatic invoice, and whether it was drawn for the audit.
    pub fn audit(&self, drawn: bool) {
        self.with(|m| {
            m.would_auto += 1;
            m.audit_samples += u64::from(drawn);
        });
    }

    /// Records one request's status and latency under its route pattern.
    pub fn request(&self, route: &str, status: u16, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        self.with(|m| {
            *m.requests.entry((route.to_owned(), status)).or_default() += 1;
            let h = m.latency.entry(route.to_owned()).or_default();
            h.count += 1;
            h.sum += secs;
            if let Some(i) = BUCKETS.iter().position(|b| secs <= *b) {
                h.counts[i] += 1;
            }
        });
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        self.with(|m| {
            let mut out = String::new();
            out.push_str("# HELP kontera_decisions_total Decisions sent, by outcome and whether repeated.\n");
            out.push_str("# TYPE kontera_decisions_total counter\n");
            for ((outcome, repeat), n) in &m.decisions {
                let _ = writeln!(
                    out,
                    "kontera_decisions_total{{outcome=\"{outcome}\",repeat=\"{repeat}\"}} {n}"
                );
            }
            out.push_str("# HELP kontera_decision_reasons_total Reasons given for review decisions.\n");
            out.push_str("# TYPE kontera_decision_reasons_total counter\n");
            for (reason, n) in &m.reasons {
                let _ = writeln!(out, "kontera_decision_reasons_total{{reason=\"{reason}\"}} {n}");
            }
            out.push_str("# HELP kontera_would_auto_total New invoices that passed every check (before the audit draw).\n");
            out.push_str("# TYPE kontera_would_auto_total counter\n");
            let _ = writeln!(out, "kontera_would_auto_total {}", m.would_auto);
            out.push_str("# HELP kontera_audit_samples_total Of those, drawn for the blind audit.\n");
            out.push_str("# TYPE kontera_audit_samples_total counter\n");
            let _ = writeln!(out, "kontera_audit_samples_total {}", m.audit_samples);
            let rate = if m.would_auto == 0 {
                0.0
            } else {
                m.audit_samples as f64 / m.would_auto as f64
            };
            gauge(
                &mut out,
                "kontera_audit_rate",
                "Achieved audit share since start.",
                rate,
            );
            out.push_str("# HELP kontera_requests_total HTTP requests by route and status.\n");
            out.push_str("# TYPE kontera_requests_total counter\n");
            for ((route, status), n) in &m.requests {
                let _ = writeln!(
                    out,
                    "kontera_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
                );
            }
            out.push_str("# HELP kontera_request_duration_seconds Request latency by route.\n");
            out.push_str("# TYPE kontera_request_duration_seconds histogram\n");
            for (route, h) in &m.latency {
                let mut cumulative = 0;
                for (bound, c) in BUCKETS.iter().zip(h.counts) {
                    cumulative += c;
                    let _ = writeln!(
                        out,
                        "kontera_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}"
                    );
                }
                let _ = writeln!(
                    out,
                    "kontera_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(
                    out,
                    "kontera_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                    h.sum
                );
                let _ = writeln!(
                    out,
                    "kontera_request_duration_seconds_count{{route=\"{route}\"}} {}",
                    h.count
                );
            }
            out
        })
    }
}

/// Writes one gauge without labels: its help, its type and its value.
pub fn gauge(out: &mut String, name: &str, help: &str, value: impl std::fmt::Display) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} gauge");
    let _ = writeln!(out, "{name} {value}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counts_rates_and_cumulative_buckets() {
        let m = Metrics::default();
        let codes = |c: &[&str]| c.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        m.decision("auto", false, &[]);
        m.decision("review", false, &codes(&["credit_note", "below_threshold"]));
        m.decision("review", true, &codes(&["credit_note"]));
        for drawn in [true, false, false, false] {
            m.audit(drawn);
        }
        m.request("/v1/invoices", 200, Duration::from_micros(800));
        m.request("/v1/invoices", 200, Duration::from_millis(30));
        let text = m.render();
        for line in [
            "kontera_decisions_total{outcome=\"auto\",repeat=\"false\"} 1",
            "kontera_decisions_total{outcome=\"review\",repeat=\"true\"} 1",
            "kontera_decision_reasons_total{reason=\"credit_note\"} 2",
            "kontera_audit_rate 0.25",
            "kontera_requests_total{route=\"/v1/invoices\",status=\"200\"} 2",
            "kontera_request_duration_seconds_bucket{route=\"/v1/invoices\",le=\"0.001\"} 1",
            "kontera_request_duration_seconds_bucket{route=\"/v1/invoices\",le=\"0.05\"} 2",
            "kontera_request_duration_seconds_count{route=\"/v1/invoices\"} 2",
        ] {
            assert!(text.contains(line), "missing {line} in\n{text}");
        }
    }
}
