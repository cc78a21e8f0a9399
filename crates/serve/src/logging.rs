//! Where the service's events go: one record a line on standard error, as text for a person or
//! JSON for a log collector, Kontera's own events from the level `KONTERA_LOG` names (default
//! `info`) and other crates' (sqlx, axum) from `warn`. Events carry their facts as fields
//! (`area`, `threshold`, `status`, …) beside the sentence, never a request's or invoice's body;
//! the organisation they concern comes from the span they happen in ([`organisation`]: a
//! request's, the follower's), not from each event.
//!
//! `KONTERA_LOG` is one of `error`, `warn`, `info`, `debug`, `trace` (`debug` adds a line for
//! every request answered); `KONTERA_LOG_FORMAT` is `text` (default) or `json`.

use tracing::Subscriber;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::prelude::*;
use tracing_subscriber::registry::LookupSpan;

/// The environment variable naming the level of Kontera's events.
pub const LEVEL_VAR: &str = "KONTERA_LOG";
/// The environment variable naming the format of the records.
pub const FORMAT_VAR: &str = "KONTERA_LOG_FORMAT";

/// The levels `KONTERA_LOG` takes, least verbose first.
const LEVELS: [(&str, LevelFilter); 5] = [
    ("error", LevelFilter::ERROR),
    ("warn", LevelFilter::WARN),
    ("info", LevelFilter::INFO),
    ("debug", LevelFilter::DEBUG),
    ("trace", LevelFilter::TRACE),
];

/// How records are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `2026-12-07T21:10:00.123456Z  INFO kontera_serve::adapt: the sentence key=value …`
    Text,
    /// One JSON object a line: `timestamp`, `level`, `target`, `message` and the event's fields.
    Json,
}

/// What is logged and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Kontera's events at this level and above; other crates' at `warn` and above (or this
    /// level, when it is stricter).
    pub level: LevelFilter,
    pub format: Format,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            level: LevelFilter::INFO,
            format: Format::Text,
        }
    }
}

/// A logging setting the environment got wrong.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LoggingError {
    #[error("{LEVEL_VAR}={value:?} is not a level: use error, warn, info, debug or trace")]
    Level { value: String },
    #[error("{FORMAT_VAR}={value:?} is not a log format: use text or json")]
    Format { value: String },
    #[error("a logger is already installed in this process")]
    Installed,
}

impl Settings {
    /// The settings `get` (the environment) gives; unset or empty variables keep the defaults.
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Result<Settings, LoggingError> {
        let get = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        let mut settings = Settings::default();
        if let Some(value) = get(LEVEL_VAR) {
            let word = value.trim().to_ascii_lowercase();
            settings.level = LEVELS
                .iter()
                .find(|(name, _)| *name == word)
                .map(|(_, level)| *level)
                .ok_or(LoggingError::Level { value })?;
        }
        if let Some(value) = get(FORMAT_VAR) {
            settings.format = match value.trim().to_ascii_lowercase().as_str() {
                "text" => Format::Text,
                "json" => Format::Json,
                _ => return Err(LoggingError::Format { value }),
            };
        }
        Ok(settings)
    }

    /// Installs these settings for the whole process, writing to standard error.
    pub fn install(self) -> Result<(), LoggingError> {
        tracing::subscriber::set_global_default(subscriber(self, std::io::stderr))
            .map_err(|_| LoggingError::Installed)
    }
}

/// The span of work for `name`'s organisation: every event inside it carries `organisation`
/// (JSON: `span.organisation`; text: `kontera{organisation=…}:`). At `error`, so that it is
/// there at every level an event can be logged at.
pub fn organisation(name: &str) -> tracing::Span {
    tracing::error_span!("kontera", organisation = name)
}

/// `x` as the `f64` its shortest decimal reads as, for a field: `0.9898242`, not the
/// `0.9898242354393005` that `f64::from` would log.
pub fn decimal(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}

/// A subscriber writing records by `settings` to `writer` (standard error in service).
pub fn subscriber<W>(settings: Settings, writer: W) -> Box<dyn Subscriber + Send + Sync>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let layer = layer(settings.format, writer).with_filter(targets(settings.level));
    Box::new(tracing_subscriber::registry().with(layer))
}

/// What is logged at `level`: Kontera's events from `level`, other crates' from `warn` (or
/// `level`, when it is stricter).
fn targets(level: LevelFilter) -> Targets {
    Targets::new()
        .with_target("kontera", level)
        .with_default(level.min(LevelFilter::WARN))
}

/// Records in `format` to `writer`; as JSON, the event's fields beside the sentence and the
/// span it happened in under `span`.
fn layer<S, W>(format: Format, writer: W) -> Box<dyn Layer<S> + Send + Sync>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let layer = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(writer);
    match format {
        Format::Text => Box::new(layer),
        Format::Json => Box::new(
            layer
                .json()
                .flatten_event(true)
                .with_current_span(true)
                .with_span_list(false),
        ),
    }
}

/// Records captured as JSON lines, at the level a test asks, for as long as the guard
/// [`Captured::capture`] returns lives on the thread that asked: for tests (on tokio's default
/// single-threaded runtime they see every event their requests cause, and no other test's).
///
/// The capturing subscriber is installed once, for the whole process, and asks for every event
/// again each time (a dynamic filter): `tracing` caches, per call site and for the process, the
/// interest the first thread to reach it computes, so a subscriber set for one thread only
/// would miss a call site another test's thread, without a subscriber, reached first.
#[derive(Debug, Clone, Default)]
pub struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

/// Stops a capture on its thread when dropped (a capture it interrupted goes on).
#[must_use = "the capture stops when the guard is dropped"]
#[derive(Debug)]
pub struct CaptureGuard {
    previous: Option<(Captured, Targets)>,
}

thread_local! {
    /// The capture this thread writes to, and what it takes.
    static CAPTURE: std::cell::RefCell<Option<(Captured, Targets)>> =
        const { std::cell::RefCell::new(None) };
}

impl Captured {
    /// Starts capturing this thread's events at `level` and above (other crates' from `warn`).
    pub fn capture(level: LevelFilter) -> (Captured, CaptureGuard) {
        static INSTALLED: std::sync::Once = std::sync::Once::new();
        INSTALLED.call_once(|| {
            let taken = tracing_subscriber::filter::dynamic_filter_fn(|meta, _| {
                CAPTURE.with(|c| {
                    c.borrow()
                        .as_ref()
                        .is_some_and(|(_, t)| t.would_enable(meta.target(), meta.level()))
                })
            });
            let layer = layer(Format::Json, || ThreadCapture).with_filter(taken);
            let subscriber = tracing_subscriber::registry().with(layer);
            tracing::subscriber::set_global_default(subscriber)
                .expect("no other logger is installed in a test process");
        });
        let captured = Captured::default();
        let previous = CAPTURE.with(|c| c.replace(Some((captured.clone(), targets(level)))));
        (captured, CaptureGuard { previous })
    }

    /// Every record so far, each parsed as one JSON object.
    pub fn records(&self) -> Vec<serde_json::Value> {
        self.text()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }

    /// Everything written, as text.
    pub fn text(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(|p| p.into_inner()).clone();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl Drop for CaptureGuard {
    fn drop(&mut self) {
        CAPTURE.with(|c| *c.borrow_mut() = self.previous.take());
    }
}

/// Writes a record to the capture of the thread it happens on (there is one: the filter took
/// the record for it).
struct ThreadCapture;

impl std::io::Write for ThreadCapture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        CAPTURE.with(|c| {
            if let Some((captured, _)) = c.borrow().as_ref() {
                let mut bytes = captured.0.lock().unwrap_or_else(|p| p.into_inner());
                bytes.extend_from_slice(buf);
            }
            Ok(buf.len())
        })
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn unset_or_empty_variables_give_info_as_text() {
        assert_eq!(Settings::from_env(env(&[])), Ok(Settings::default()));
        let empty = env(&[(LEVEL_VAR, ""), (FORMAT_VAR, " ")]);
        assert_eq!(Settings::from_env(empty), Ok(Settings::default()));
        assert_eq!(Settings::default().level, LevelFilter::INFO);
        assert_eq!(Settings::default().format, Format::Text);
    }

    #[test]
    fn every_level_and_format_is_read_in_any_case() {
        for (name, level) in LEVELS {
            let upper = name.to_ascii_uppercase();
            let s = Settings::from_env(env(&[(LEVEL_VAR, &upper), (FORMAT_VAR, " JSON ")]));
            assert_eq!(
                s,
                Ok(Settings {
                    level,
                    format: Format::Json
                })
            );
        }
    }

    #[test]
    fn a_field_of_an_f32_is_its_shortest_decimal() {
        assert_eq!(decimal(0.989_824_24).to_string(), "0.98982424");
        assert_eq!(decimal(1.0), 1.0);
        assert_eq!(decimal(f32::INFINITY), f64::INFINITY);
    }

    #[test]
    fn a_wrong_value_names_the_variable_and_the_choices() {
        let e = Settings::from_env(env(&[(LEVEL_VAR, "verbose")])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "KONTERA_LOG=\"verbose\" is not a level: use error, warn, info, debug or trace"
        );
        let e = Settings::from_env(env(&[(FORMAT_VAR, "xml")])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "KONTERA_LOG_FORMAT=\"xml\" is not a log format: use text or json"
        );
    }

    /// An event of its own call site, reached only by this test.
    fn reached(by: &str) {
        tracing::info!(by, "reached");
    }

    #[test]
    fn a_call_site_another_thread_reached_first_is_still_captured() {
        let (captured, guard) = Captured::capture(LevelFilter::INFO);
        // A thread without a capture reaches the call site first: a subscriber set for this
        // thread alone would have the site's interest cached as "never" for the process.
        std::thread::spawn(|| reached("another thread"))
            .join()
            .unwrap();
        reached("this thread");
        let (strict, inner) = Captured::capture(LevelFilter::WARN);
        reached("a stricter capture");
        drop(inner);
        reached("this thread again");
        drop(guard);
        reached("no capture");
        let by: Vec<String> = captured
            .records()
            .iter()
            .map(|r| r["by"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(by, ["this thread", "this thread again"]);
        assert_eq!(strict.records(), Vec::<serde_json::Value>::new());
    }
}
