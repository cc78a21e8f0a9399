//! Crash consistency of `kontera serve`: the real binary is killed with SIGKILL at random
//! moments under load (concurrent single invoices, batches and repeats), and restarted on the
//! same database each time. After every restart each invoice that got a 2xx is stored once
//! with its decision (a repeat returns it), each one that did not is either absent or complete,
//! and the database passes SQLite's integrity check; at the end every stored decision is read
//! back from the file. `KONTERA_CRASH_KILLS` and `KONTERA_CRASH_SEED` change the run.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;
use common::{Server, invoice, request};

/// Kills in a default run (CI); the issue asks for at least 20.
const KILLS: usize = 20;
/// Concurrent clients during each run.
const CLIENTS: usize = 3;
/// Invoices in a batch.
const BATCH: usize = 3;
/// Older acknowledged invoices re-posted after each restart, besides the last run's.
const SAMPLE: usize = 10;

/// A small deterministic generator (SplitMix64), so a seed reproduces a run's choices.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo)
    }
}

/// An invoice sent during a run, and the decision id if it was acknowledged.
#[derive(Debug, Clone)]
struct Sent {
    number: String,
    body: String,
    decision_id: Option<String>,
}

/// What one client did during one run.
#[derive(Debug, Default)]
struct ClientLog {
    sent: Vec<Sent>,
    acknowledged: usize,
    repeats: usize,
    /// Acknowledged invoices that came back as new: lost decisions.
    losses: Vec<String>,
    /// Answers that were neither a success nor a lost connection.
    problems: Vec<String>,
}

/// The decision id of a complete answer for one invoice, if it is one.
fn decision_of(answer: &Value) -> Option<String> {
    let complete = ["auto", "review"].contains(&answer["decision"].as_str()?)
        && answer["lines"].as_array().is_some_and(|l| l.len() == 1);
    complete.then(|| answer["decision_id"].as_str().map(str::to_owned))?
}

/// Posts until `stop` or the first request without an answer (the server is gone): new single
/// invoices, batches of new invoices, and repeats of invoices acknowledged in earlier runs.
fn client(
    addr: &str,
    name: &str,
    mut rng: Rng,
    stop: &AtomicBool,
    earlier: &[(String, String)],
) -> ClientLog {
    let mut log = ClientLog::default();
    let mut serial = 0;
    let mut fresh = |rng: &mut Rng| {
        serial += 1;
        let number = format!("{name}-{serial}");
        let body = invoice(&number, rng.next() % 1_000_000);
        (number, body)
    };
    while !stop.load(Ordering::Relaxed) {
        let choice = rng.range(0, 100);
        if choice < 70 {
            let (number, body) = fresh(&mut rng);
            let decision_id = match request(addr, "POST", "/v1/invoices", &body) {
                Ok((201, answer)) => {
                    let answer: Value = serde_json::from_str(&answer).unwrap();
                    match decision_of(&answer) {
                        Some(id) if answer["repeat"] == false => Some(id),
                        _ => {
                            log.problems
                                .push(format!("{number}: incomplete answer {answer}"));
                            None
                        }
                    }
                }
                Ok((status, answer)) => {
                    log.problems.push(format!("{number}: {status} {answer}"));
                    None
                }
                Err(_) => None,
            };
            let answered = decision_id.is_some();
            log.acknowledged += usize::from(answered);
            log.sent.push(Sent {
                number,
                body,
                decision_id,
            });
            if !answered {
                break;
            }
        } else if choice < 85 {
            let invoices: Vec<(String, String)> = (0..BATCH).map(|_| fresh(&mut rng)).collect();
            let bodies: Vec<&str> = invoices.iter().map(|(_, b)| b.as_str()).collect();
            let batch = format!("{{\"invoices\": [{}]}}", bodies.join(","));
            let ids: Vec<Option<String>> = match request(addr, "POST", "/v1/invoices/batch", &batch)
            {
                Ok((200, answer)) => {
                    let answer: Value = serde_json::from_str(&answer).unwrap();
                    let ids: Vec<Option<String>> = (0..BATCH)
                        .map(|i| decision_of(&answer["decisions"][i]))
                        .collect();
                    if ids.iter().all(Option::is_some) && answer["repeats"] == 0 {
                        ids
                    } else {
                        log.problems
                            .push(format!("batch: incomplete answer {answer}"));
                        vec![None; BATCH]
                    }
                }
                Ok((status, answer)) => {
                    log.problems.push(format!("batch: {status} {answer}"));
                    vec![None; BATCH]
                }
                Err(_) => vec![None; BATCH],
            };
            let answered = ids[0].is_some();
            for ((number, body), decision_id) in invoices.into_iter().zip(ids) {
                log.acknowledged += usize::from(decision_id.is_some());
                log.sent.push(Sent {
                    number,
                    body,
                    decision_id,
                });
            }
            if !answered {
                break;
            }
        } else if !earlier.is_empty() {
            let (body, id) = &earlier[rng.range(0, earlier.len() as u64) as usize];
            match request(addr, "POST", "/v1/invoices", body) {
                Ok((200, answer)) => {
                    let answer: Value = serde_json::from_str(&answer).unwrap();
                    if answer["repeat"] == true && decision_of(&answer).as_ref() == Some(id) {
                        log.repeats += 1;
                    } else {
                        log.problems.push(format!("repeat of {id}: {answer}"));
                    }
                }
                Ok((201, _)) => log.losses.push(id.clone()),
                Ok((status, answer)) => log.problems.push(format!("repeat: {status} {answer}")),
                Err(_) => break,
            }
        }
    }
    log
}

/// Totals over the whole run, for the report.
#[derive(Debug, Default)]
struct Tally {
    kills: usize,
    acknowledged: usize,
    unacknowledged: usize,
    /// Unacknowledged invoices found stored after the restart (the answer was lost).
    stored_unanswered: usize,
    repeats: usize,
    checked: usize,
    losses: Vec<String>,
    problems: Vec<String>,
}

/// After a restart: every invoice of the last run is re-posted. An acknowledged one must come
/// back as a repeat of its decision; one that was not must be new, or a repeat of a complete
/// decision (stored just before the kill, the answer lost), never an error. Then a sample of
/// older acknowledged invoices is repeated as well.
fn verify_after_restart(
    addr: &str,
    last_run: &mut [Sent],
    older: &[Sent],
    rng: &mut Rng,
    tally: &mut Tally,
) {
    let check = |sent: &Sent, tally: &mut Tally| -> Option<String> {
        tally.checked += 1;
        match request(addr, "POST", "/v1/invoices", &sent.body) {
            Ok((status, answer)) => {
                let answer: Value = serde_json::from_str(&answer).unwrap();
                let id = decision_of(&answer);
                match (&sent.decision_id, status, id) {
                    (Some(acked), 200, Some(id)) if answer["repeat"] == true && id == *acked => {
                        Some(id)
                    }
                    (Some(acked), 201, _) => {
                        tally
                            .losses
                            .push(format!("{}: {acked} came back new", sent.number));
                        None
                    }
                    (None, 201, Some(id)) => Some(id),
                    (None, 200, Some(id)) if answer["repeat"] == true => {
                        tally.stored_unanswered += 1;
                        Some(id)
                    }
                    _ => {
                        tally
                            .problems
                            .push(format!("{} after restart: {status} {answer}", sent.number));
                        None
                    }
                }
            }
            Err(e) => {
                tally
                    .problems
                    .push(format!("{} after restart: {e}", sent.number));
                None
            }
        }
    };
    for sent in last_run.iter_mut() {
        let id = check(sent, tally);
        if sent.decision_id.is_none() {
            // Stored now, either way: from here on it counts as acknowledged.
            sent.decision_id = id;
        }
    }
    if !older.is_empty() {
        for _ in 0..SAMPLE {
            let sent = &older[rng.range(0, older.len() as u64) as usize];
            check(sent, tally);
        }
    }
}

/// Opens the database file in this process (the service's own store, through
/// `kontera_serve::build`, which only reads when the salt is given) and runs `check` on it.
fn with_store<T>(database: &Path, check: impl AsyncFnOnce(&kontera_serve::AppState) -> T) -> T {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let config = kontera_serve::Config {
            database: database.display().to_string(),
            models_dir: Path::new(env!("CARGO_MANIFEST_DIR")).join("models"),
            audit_salt: Some("read-only check, never used for a draw".to_owned()),
            ..kontera_serve::Config::default()
        };
        let state = kontera_serve::build(config).await.unwrap();
        let out = check(&state).await;
        state.store.close().await;
        out
    })
}

#[test]
fn sigkill_under_load_loses_no_acknowledged_invoice_and_half_stores_nothing() {
    let kills: usize = std::env::var("KONTERA_CRASH_KILLS")
        .ok()
        .map_or(KILLS, |k| k.parse().unwrap());
    let seed: u64 = std::env::var("KONTERA_CRASH_SEED")
        .ok()
        .map_or(20_260_115, |s| s.parse().unwrap());
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("k.db");
    let mut rng = Rng(seed);
    let mut tally = Tally::default();
    let mut history: Vec<Sent> = Vec::new();
    let mut last_run: Vec<Sent> = Vec::new();

    for run in 0..=kills {
        let server = Server::start(&database);
        verify_after_restart(&server.addr, &mut last_run, &history, &mut rng, &mut tally);
        history.append(&mut last_run);
        let intact = with_store(&database, async |s| {
            s.store.integrity_check().await.unwrap()
        });
        assert!(intact, "integrity check failed after restart {run}");
        if run == kills {
            let log = server.stop();
            assert!(!log.contains("internal error"), "{log}");
            break;
        }

        // Load, then SIGKILL after a random 20-200 ms.
        let stop = Arc::new(AtomicBool::new(false));
        let earlier: Arc<Vec<(String, String)>> = Arc::new(
            history
                .iter()
                .filter_map(|s| Some((s.body.clone(), s.decision_id.clone()?)))
                .collect(),
        );
        let clients: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let (addr, stop, earlier) = (server.addr.clone(), stop.clone(), earlier.clone());
                let client_rng = Rng(rng.next());
                thread::spawn(move || {
                    client(&addr, &format!("R{run}C{c}"), client_rng, &stop, &earlier)
                })
            })
            .collect();
        thread::sleep(Duration::from_millis(rng.range(20, 201)));
        let log = server.kill();
        stop.store(true, Ordering::Relaxed);
        tally.kills += 1;
        for handle in clients {
            let mut log = handle.join().unwrap();
            tally.acknowledged += log.acknowledged;
            tally.unacknowledged += log.sent.len() - log.acknowledged;
            tally.repeats += log.repeats;
            tally.losses.append(&mut log.losses);
            tally.problems.append(&mut log.problems);
            last_run.append(&mut log.sent);
        }
        for line in log
            .lines()
            .filter(|l| l.contains("internal error") || l.contains("panic"))
        {
            tally.problems.push(format!("run {run} log: {line}"));
        }
    }

    // The file itself, after a clean stop: every invoice ever sent is now acknowledged (the
    // unanswered ones were re-posted after each restart), each stored once and complete, and
    // nothing else is stored.
    let (count, records) = with_store(&database, async |s| {
        let mut records = Vec::new();
        for sent in &history {
            let id = sent.decision_id.as_deref().unwrap_or("(none)");
            records.push((sent, s.store.decision_by_id(id).await.unwrap()));
        }
        assert!(s.store.integrity_check().await.unwrap());
        (s.store.count_decisions().await.unwrap(), records)
    });
    let mut records_checked = 0;
    for (sent, stored) in records {
        let Some(stored) = stored else {
            tally
                .losses
                .push(format!("{}: no decision in the file", sent.number));
            continue;
        };
        records_checked += 1;
        let answer: Value = serde_json::from_str(&stored.response).unwrap();
        let complete = stored.number == sent.number
            && stored.lines.len() == 1
            && decision_of(&answer) == sent.decision_id
            && stored.outcome.as_str() == answer["decision"];
        if !complete {
            tally
                .problems
                .push(format!("{}: half-stored: {stored:?}", sent.number));
        }
    }

    eprintln!(
        "crash test (seed {seed}): {} kills; {} requests acknowledged, {} not (of which {} \
         were stored, answer lost); {} repeats during load; {} re-posts checked after restarts; \
         {records_checked} records checked in the file ({count} decisions stored); {} losses; \
         {:.1} s",
        tally.kills,
        tally.acknowledged,
        tally.unacknowledged,
        tally.stored_unanswered,
        tally.repeats,
        tally.checked,
        tally.losses.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(tally.losses.is_empty(), "losses: {:#?}", tally.losses);
    assert!(tally.problems.is_empty(), "problems: {:#?}", tally.problems);
    assert_eq!(tally.kills, kills);
    assert!(
        tally.acknowledged > kills,
        "too little load to mean anything"
    );
    assert_eq!(
        count,
        history.len() as u64,
        "decisions stored = invoices sent"
    );
    assert_eq!(records_checked, history.len());
}
