//! Duplicate checks: same number under another key, same amount within the date window, never
//! the invoice itself, another supplier or another document type.

mod common;

use common::{date, dec, decision, temp_store};
use kontera_store::{Decision, DuplicateMatch, DuplicateQuery, Engine, Store};

/// A stored invoice of supplier 12345678.
fn invoice(key: &str, number: &str, issue: &str, total: &str) -> Decision {
    let mut d = decision(key, &format!("d-{key}"));
    d.number = number.to_owned();
    d.issue_date = date(issue);
    d.total = dec(total);
    d
}

fn query<'a>(key: &'a str, number: &'a str, issue: &str, total: &str) -> DuplicateQuery<'a> {
    DuplicateQuery {
        key,
        supplier: "12345678",
        document_type: "invoice",
        number,
        issue_date: date(issue),
        total: dec(total),
        window_days: 7,
    }
}

/// (decision id, match) of each hit.
async fn hits(store: &Store, q: &DuplicateQuery<'_>) -> Vec<(String, DuplicateMatch)> {
    store
        .duplicates(q)
        .await
        .unwrap()
        .into_iter()
        .map(|h| (h.decision_id, h.matched))
        .collect()
}

async fn the_same_number_under_another_key_is_a_duplicate(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    store
        .record(&[invoice("a", "1001", "2025-01-10", "500.00")])
        .await
        .unwrap();
    let q = query("b", "1001", "2025-06-01", "999.00");
    assert_eq!(
        hits(&store, &q).await,
        vec![("d-a".to_owned(), DuplicateMatch::Number)]
    );
    let hit = &store.duplicates(&q).await.unwrap()[0];
    assert_eq!(
        (hit.key.as_str(), hit.total, hit.issue_date),
        ("a", dec("500.00"), date("2025-01-10"))
    );
}

async fn the_same_amount_counts_inside_the_window_only(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let mut batch = [
        invoice("before", "1", "2025-03-07", "1250.5"), // 7 days before: inside
        invoice("after", "2", "2025-03-21", "1250.50"), // 7 days after: inside
        invoice("early", "3", "2025-03-06", "1250.50"), // 8 days before: outside
        invoice("late", "4", "2025-03-22", "1250.50"),  // 8 days after: outside
        invoice("other", "5", "2025-03-14", "1250.51"), // another amount
    ];
    // Arrival order, not decision id order ("d-after" < "d-before"), sorts the hits.
    for (i, d) in batch.iter_mut().enumerate() {
        d.received_at = 1_000 + i as i64;
    }
    store.record(&batch).await.unwrap();
    let q = query("new", "9", "2025-03-14", "1250.500");
    assert_eq!(
        hits(&store, &q).await,
        vec![
            ("d-before".to_owned(), DuplicateMatch::Amount),
            ("d-after".to_owned(), DuplicateMatch::Amount)
        ]
    );
    let narrow = DuplicateQuery {
        window_days: 0,
        ..q
    };
    assert!(hits(&store, &narrow).await.is_empty());
}

async fn both_reasons_are_reported_together(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    store
        .record(&[invoice("a", "1001", "2025-03-14", "80")])
        .await
        .unwrap();
    let q = query("b", "1001", "2025-03-15", "80.00");
    assert_eq!(
        hits(&store, &q).await,
        vec![("d-a".to_owned(), DuplicateMatch::NumberAndAmount)]
    );
}

async fn the_invoice_itself_another_supplier_and_credit_notes_are_not_duplicates(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    let mut other_supplier = invoice("s", "1001", "2025-03-14", "80");
    other_supplier.supplier = "87654321".to_owned();
    let mut credit_note = invoice("c", "1001", "2025-03-14", "80");
    credit_note.document_type = "credit_note".to_owned();
    store
        .record(&[
            invoice("self", "1001", "2025-03-14", "80"),
            other_supplier,
            credit_note,
        ])
        .await
        .unwrap();
    assert!(
        hits(&store, &query("self", "1001", "2025-03-14", "80"))
            .await
            .is_empty()
    );
    assert_eq!(
        hits(&store, &query("new", "1001", "2025-03-14", "80"))
            .await
            .len(),
        1
    );
}

/// Invoices asked about together (more than one statement's worth) get each the answer it gets
/// alone: the first twenty hits, oldest first.
async fn invoices_asked_together_get_the_answers_each_gets_alone(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    // 25 invoices over 80.00 around 14 March, stored newest first.
    let stored: Vec<Decision> = (0..25)
        .map(|k| {
            let mut d = invoice(
                &format!("s{k:02}"),
                &format!("n{k}"),
                &format!("2025-03-{:02}", 10 + k % 8),
                "80",
            );
            d.received_at = 1_000_000 - i64::from(k);
            d
        })
        .collect();
    store.record(&stored).await.unwrap();
    let keys: Vec<String> = (0..40).map(|k| format!("q{k}")).collect();
    let numbers: Vec<String> = (0..40).map(|k| format!("n{}", k % 30)).collect();
    let queries: Vec<DuplicateQuery<'_>> = (0..40)
        .map(|k| {
            let total = if k % 2 == 0 { "80.00" } else { "81" };
            let day = format!("2025-03-{:02}", 1 + k % 28);
            query(&keys[k], &numbers[k], &day, total)
        })
        .collect();
    let together = store.duplicates_of(&queries).await.unwrap();
    assert_eq!(together.len(), queries.len());
    for (q, got) in queries.iter().zip(&together) {
        assert_eq!(got, &store.duplicates(q).await.unwrap(), "{}", q.key);
    }
    // On 14 March every stored invoice is within the window: the first twenty, oldest first.
    let all = &together[12];
    assert_eq!(all.len(), 20);
    assert_eq!(all[0].decision_id, "d-s24");
    assert!(all.windows(2).all(|w| w[0].received_at < w[1].received_at));
    // An odd total matches by number only.
    assert_eq!(together[1].len(), 1);
    assert_eq!(together[1][0].matched, DuplicateMatch::Number);
    assert!(together[27].is_empty(), "{:?}", together[27]);
}

kontera_store::on_both_engines!(
    invoices_asked_together_get_the_answers_each_gets_alone,
    the_same_number_under_another_key_is_a_duplicate,
    the_same_amount_counts_inside_the_window_only,
    both_reasons_are_reported_together,
    the_invoice_itself_another_supplier_and_credit_notes_are_not_duplicates,
);
