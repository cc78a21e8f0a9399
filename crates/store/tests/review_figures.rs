//! Review figures: per month and area (audit outcomes in the month the invoice was received),
//! and an area's reviewed audit samples since a time for the circuit breaker.

mod common;

use chrono::NaiveDate;
use common::{decision, review_of, temp_store};
use kontera_store::{AreaScope, Decision, Engine, MonthArea, Outcome, Store};

/// Unix ms of a UTC time.
fn ms(date: &str, h: u32, m: u32, s: u32, milli: u32) -> i64 {
    let day: NaiveDate = date.parse().unwrap();
    day.and_hms_milli_opt(h, m, s, milli)
        .unwrap()
        .and_utc()
        .timestamp_millis()
}

#[derive(Clone, Copy)]
enum Kind {
    /// Sent to review by the policy.
    Review,
    /// Posted automatically.
    Auto,
    /// A blind audit sample.
    Audit,
}

/// A decision whose two lines are both coded (so a review can agree).
fn made(id: &str, area: Option<&str>, at: i64, kind: Kind) -> Decision {
    let mut d = decision(id, id);
    d.area = area.map(str::to_owned);
    d.received_at = at;
    d.lines[1].account = Some("22900".to_owned());
    match kind {
        Kind::Review => {}
        Kind::Auto => {
            d.outcome = Outcome::Auto;
            d.would_auto = true;
        }
        Kind::Audit => {
            d.would_auto = true;
            d.audit = true;
        }
    }
    d
}

/// Reviews a decision made by [`made`], agreeing with the suggestion or not.
async fn review(store: &Store, id: &str, at: i64, agree: bool) {
    let review = review_of(id, at, agree);
    let stored = store.record_review(&AreaScope::All, &review).await.unwrap();
    assert_eq!(stored.agreed, agree);
}

fn row(month: &str, area: Option<&str>, counts: [u64; 6]) -> MonthArea {
    let [
        invoices,
        auto,
        would_auto,
        audit_samples,
        audited,
        audited_agreed,
    ] = counts;
    MonthArea {
        month: month.to_owned(),
        area: area.map(str::to_owned),
        invoices,
        auto,
        would_auto,
        audit_samples,
        audited,
        audited_agreed,
    }
}

async fn monthly_counts_per_month_and_area(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let jan_last = ms("2025-01-31", 23, 59, 59, 999);
    let feb_first = ms("2025-02-01", 0, 0, 0, 0);
    let jan = ms("2025-01-10", 12, 0, 0, 0);
    store
        .record(&[
            // January, schools: 2 auto, 3 audit samples (2 reviewed: 1 agreed), 1 review.
            made("s-1", Some("schools"), jan, Kind::Auto),
            made("s-2", Some("schools"), jan_last, Kind::Auto),
            made("s-3", Some("schools"), jan, Kind::Audit),
            made("s-4", Some("schools"), jan, Kind::Audit),
            made("s-5", Some("schools"), jan, Kind::Audit),
            made("s-6", Some("schools"), jan, Kind::Review),
            // January, no area: 1 review, 1 audit sample reviewed and agreed.
            made("n-1", None, jan, Kind::Review),
            made("n-2", None, jan, Kind::Audit),
            // January, roads: 1 auto.
            made("r-1", Some("roads"), jan, Kind::Auto),
            // February (from its first millisecond), schools: 1 audit sample, reviewed, agreed.
            made("s-7", Some("schools"), feb_first, Kind::Audit),
        ])
        .await
        .unwrap();
    let march = ms("2025-03-05", 8, 0, 0, 0);
    // Reviewed in March, counted in the month each invoice was received.
    review(&store, "s-3", march, true).await;
    review(&store, "s-4", march, false).await;
    review(&store, "n-2", march, true).await;
    review(&store, "s-7", march, true).await;
    // A reviewed non-audit decision does not count as audited.
    review(&store, "s-6", march, true).await;

    let all = store.monthly(&AreaScope::All).await.unwrap();
    assert_eq!(
        all,
        [
            row("2025-01", None, [2, 0, 1, 1, 1, 1]),
            row("2025-01", Some("roads"), [1, 1, 1, 0, 0, 0]),
            row("2025-01", Some("schools"), [6, 2, 5, 3, 2, 1]),
            row("2025-02", Some("schools"), [1, 0, 1, 1, 1, 1]),
        ]
    );

    let schools = AreaScope::Only(vec!["schools".to_owned()]);
    assert_eq!(
        store.monthly(&schools).await.unwrap(),
        [
            row("2025-01", Some("schools"), [6, 2, 5, 3, 2, 1]),
            row("2025-02", Some("schools"), [1, 0, 1, 1, 1, 1]),
        ]
    );
    let nothing = AreaScope::Only(vec!["harbour".to_owned()]);
    assert!(store.monthly(&nothing).await.unwrap().is_empty());
}

async fn the_audit_window_counts_an_areas_reviewed_audit_samples_since_a_time(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    store
        .record(&[
            made("a-1", Some("schools"), 0, Kind::Audit),
            made("a-2", Some("schools"), 0, Kind::Audit),
            made("a-3", Some("schools"), 0, Kind::Audit),
            made("a-4", Some("schools"), 0, Kind::Audit),
            made("a-5", Some("schools"), 0, Kind::Audit),
            made("r-1", Some("schools"), 0, Kind::Review),
            made("o-1", Some("roads"), 0, Kind::Audit),
            made("n-1", None, 0, Kind::Audit),
        ])
        .await
        .unwrap();
    assert_eq!(store.audit_window("schools", 0).await.unwrap(), (0, 0));

    review(&store, "a-1", 500, true).await; // before the window
    review(&store, "a-2", 1_000, false).await; // at its start: counted
    review(&store, "a-3", 1_500, true).await;
    review(&store, "a-4", 2_000, true).await;
    // a-5 is not reviewed yet; r-1 is no audit sample; o-1 and n-1 are other areas.
    review(&store, "r-1", 1_500, false).await;
    review(&store, "o-1", 1_500, false).await;
    review(&store, "n-1", 1_500, false).await;

    assert_eq!(store.audit_window("schools", 1_000).await.unwrap(), (3, 2));
    assert_eq!(store.audit_window("schools", 0).await.unwrap(), (4, 3));
    assert_eq!(store.audit_window("schools", 2_001).await.unwrap(), (0, 0));
    assert_eq!(store.audit_window("roads", 0).await.unwrap(), (1, 0));
    assert_eq!(store.audit_window("harbour", 0).await.unwrap(), (0, 0));
}

kontera_store::on_both_engines!(
    monthly_counts_per_month_and_area,
    the_audit_window_counts_an_areas_reviewed_audit_samples_since_a_time,
);
