//! Year openings on both engines: the count of an area's reviews of invoices received since a
//! moment (its own area only, the invoice's arrival deciding, bounded by the limit), and each
//! area's opening of a year stored once.

mod common;

use common::{decision, review_of, temp_store};
use kontera_store::{AreaScope, Decision, Engine, NewReview, YearOpening};

/// The start of the year counted from.
const YEAR_START: i64 = 1_000_000;

/// Decision `i`: of `area`, received `received_at`.
fn case(i: usize, area: &str, received_at: i64) -> Decision {
    let id = format!("d-{i:02}");
    let mut d = decision(&id, &id);
    d.area = Some(area.to_owned());
    d.received_at = received_at;
    d
}

fn review(i: usize, reviewed_at: i64) -> NewReview {
    review_of(&format!("d-{i:02}"), reviewed_at, true)
}

async fn the_years_reviews_are_counted_per_area_by_arrival(engine: Engine) {
    let (_db, store) = temp_store(engine).await;
    // Schools: two invoices of the year before, reviewed in the year; five of the year. Roads:
    // three of the year. One of the year's schools invoices is never reviewed.
    let mut cases = vec![
        case(0, "schools", YEAR_START - 10),
        case(1, "schools", YEAR_START - 1),
    ];
    cases.extend((2..8).map(|i| case(i, "schools", YEAR_START + i as i64)));
    cases.extend((8..11).map(|i| case(i, "roads", YEAR_START + i as i64)));
    store.record(&cases).await.unwrap();
    let reviews: Vec<NewReview> = (0..11)
        .filter(|i| *i != 7)
        .map(|i| review(i, YEAR_START + 100 + i as i64))
        .collect();
    store
        .record_reviews(&AreaScope::All, &reviews)
        .await
        .unwrap();

    let count = |area: &'static str, since: i64, limit: u64| {
        let store = store.clone();
        async move { store.year_reviews(area, since, limit).await.unwrap() }
    };
    assert_eq!(count("schools", YEAR_START, 100).await, 5);
    assert_eq!(count("schools", YEAR_START, 3).await, 3);
    assert_eq!(count("schools", YEAR_START - 10, 100).await, 7);
    assert_eq!(count("roads", YEAR_START, 100).await, 3);
    assert_eq!(count("parks", YEAR_START, 100).await, 0);
    // Reviews later than `since` of invoices from before it are not the year's.
    assert_eq!(count("schools", YEAR_START + 6, 100).await, 1);

    // Openings: the first one of an area and year stays.
    let opening = |area: &str, year: i32, opened_at: i64| YearOpening {
        area: area.to_owned(),
        year,
        opened_at,
        reviews: 3,
    };
    assert!(
        store
            .record_year_opening(&opening("schools", 2026, 50))
            .await
            .unwrap()
    );
    assert!(
        !store
            .record_year_opening(&opening("schools", 2026, 60))
            .await
            .unwrap()
    );
    assert!(
        store
            .record_year_opening(&opening("roads", 2026, 70))
            .await
            .unwrap()
    );
    assert!(
        store
            .record_year_opening(&opening("schools", 2025, 10))
            .await
            .unwrap()
    );
    assert_eq!(
        store.year_openings().await.unwrap(),
        [
            opening("schools", 2025, 10),
            opening("roads", 2026, 70),
            opening("schools", 2026, 50),
        ]
    );
}

kontera_store::on_both_engines!(the_years_reviews_are_counted_per_area_by_arrival);
