//! Graceful shutdown of `kontera serve`: on SIGTERM under load it stops accepting, finishes what
//! is in flight within a bound and exits cleanly; every invoice it acknowledged is stored.

mod common;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use common::{Server, invoice, request};

#[test]
fn sigterm_under_load_finishes_in_flight_requests_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("kontera.db");
    let server = Server::start(&database);
    let addr = server.addr.clone();

    let running = Arc::new(AtomicBool::new(true));
    let serial = Arc::new(AtomicU64::new(0));
    let acknowledged = Arc::new(Mutex::new(Vec::<(String, u64, String)>::new()));
    let clients: Vec<_> = (0..4)
        .map(|c| {
            let (addr, running, serial, acknowledged) = (
                addr.clone(),
                running.clone(),
                serial.clone(),
                acknowledged.clone(),
            );
            thread::spawn(move || {
                let mut refused = 0;
                while running.load(Ordering::Relaxed) && refused < 3 {
                    let n = serial.fetch_add(1, Ordering::Relaxed);
                    let number = format!("SD-{c}-{n}");
                    match request(&addr, "POST", "/v1/invoices", &invoice(&number, n)) {
                        Ok((201, body)) => {
                            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
                            let id = v["decision_id"].as_str().unwrap().to_owned();
                            acknowledged.lock().unwrap().push((number, n, id));
                        }
                        Ok((status, body)) => panic!("{number}: {status} {body}"),
                        // The server has stopped accepting: a refused connection, never a
                        // half answer to an accepted request.
                        Err(_) => refused += 1,
                    }
                }
            })
        })
        .collect();
    thread::sleep(Duration::from_millis(700));
    let before = acknowledged.lock().unwrap().len();
    assert!(before > 0, "the load reached the server");
    let stopping = Instant::now();
    server.stop();
    let stop_time = stopping.elapsed();
    running.store(false, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    assert!(
        stop_time < Duration::from_secs(10),
        "stopped within the bound: {stop_time:?}"
    );
    assert!(
        request(&addr, "GET", "/healthz", "").is_err(),
        "nothing accepted after shutdown"
    );

    // Every acknowledged invoice is stored: after a restart it comes back as a repeat.
    let acknowledged = acknowledged.lock().unwrap().clone();
    let server = Server::start(&database);
    for (number, n, id) in &acknowledged {
        let (status, body) =
            request(&server.addr, "POST", "/v1/invoices", &invoice(number, *n)).unwrap();
        assert_eq!(
            status, 200,
            "{number} was acknowledged but not stored: {body}"
        );
        assert!(body.contains(id.as_str()), "{number}: {body}");
    }
    eprintln!(
        "graceful shutdown: {} invoices acknowledged, all stored; stopped in {stop_time:?}",
        acknowledged.len()
    );
    server.stop();
}
