//! The year opening: in each calendar year an area posts nothing automatically until controllers
//! have reviewed `trust.year_opening_reviews` of its invoices received that year. Through the API
//! (the answer's reason, the opening stored once, the area automating from the next invoice,
//! another area still waiting) and through a replay across New Year (reviews of December's
//! invoices in January do not count; each year opens on its own reviews).

mod common;

use common::{reason_codes, regular_invoice, service};
use kontera_serve::replay::{self, Case, Options, TrueLine};
use serde_json::{Value, json};

/// The review a controller sends for `answer`, accepting its suggested coding.
fn accepting(answer: &Value) -> Value {
    let c = &answer["lines"][0]["coding"];
    json!({"lines": [{"line_no": 1, "account": c["account"], "cost_centre": c["cost_centre"],
        "vat_code": c["vat_code"]}]})
}

#[tokio::test]
async fn an_area_automates_once_the_years_reviews_are_in_and_another_area_still_waits() {
    let s = service(|c| {
        c.audit_rate = 0.0;
        c.trust.year_opening_reviews = 3;
    })
    .await;
    let year = kontera_serve::opening::year_of(kontera_serve::clock::now().1);
    for i in 0..3 {
        let (status, answer) = s
            .post_json("/v1/invoices", &regular_invoice(&format!("Y-{i}")))
            .await;
        assert!(status.is_success(), "{status}: {answer}");
        // Nothing but the wait stands between the invoice and automation.
        assert_eq!(answer["decision"], "review", "{answer}");
        assert_eq!(reason_codes(&answer), ["year_opening"], "{answer}");
        let message = answer["reasons"][0]["message"].as_str().unwrap();
        assert!(
            message.contains(&format!("Automation for technical opens for {year}"))
                && message.contains("reviewed 3 of its invoices"),
            "{message}"
        );
        assert!(s.state.store.year_openings().await.unwrap().is_empty());
        let id = answer["decision_id"].as_str().unwrap();
        let (status, body) = s
            .post_json(&format!("/v1/reviews/{id}"), &accepting(&answer))
            .await;
        assert!(status.is_success(), "{status}: {body}");
    }
    // The third review opened the area, once.
    let openings = s.state.store.year_openings().await.unwrap();
    assert_eq!(openings.len(), 1, "{openings:?}");
    let o = &openings[0];
    assert_eq!((o.area.as_str(), o.year, o.reviews), ("technical", year, 3));

    let (_, answer) = s.post_json("/v1/invoices", &regular_invoice("Y-3")).await;
    assert_eq!(answer["decision"], "auto", "{answer}"); // Shown with the areas.
    let (_, areas) = s.get("/v1/areas").await;
    let technical = areas
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["area"] == "technical")
        .unwrap_or_else(|| panic!("{areas}"));
    assert_eq!(technical["year_opened_at"].as_i64(), Some(o.opened_at));
    // And on the administrators' page: technical automatic, daycare waiting.
    let admin = s.tokens[&kontera_store::Role::Admin].clone();
    let (_, page) = s
        .send_with("GET", "/admin", "", Some(&admin), axum::body::Body::empty())
        .await;
    let page = page.as_str().unwrap();
    let row = |area: &str| {
        let start = page
            .find(&format!("<tr data-area=\"{area}\""))
            .unwrap_or_else(|| panic!("{area} missing"));
        page[start..start + page[start..].find("</tr>").unwrap()].to_owned()
    };
    assert!(
        row("technical").contains("Automatic"),
        "{}",
        row("technical")
    );
    assert!(
        row("daycare").contains(&format!(
            "Waiting</span> <span class=\"muted\">for 3 reviews of its {year} invoices"
        )),
        "{}",
        row("daycare")
    );
    // Another area has had no review this year.
    let mut daycare = regular_invoice("Y-4");
    daycare["buyer"] = json!({"gln": "5798000100220"});
    let (_, answer) = s.post_json("/v1/invoices", &daycare).await;
    assert_eq!(answer["decision"], "review", "{answer}");
    assert!(
        reason_codes(&answer).iter().any(|r| r == "year_opening"),
        "{answer}"
    );
    // On the trust dashboard, daycare waits and technical does not.
    let (_, d) = s.get("/v1/dashboard").await;
    assert_eq!(d["waiting"], json!(["daycare"]), "{d}");
    let analyst = s.tokens[&kontera_store::Role::Analyst].clone();
    let (_, page) = s
        .send_with(
            "GET",
            "/dashboard",
            "",
            Some(&analyst),
            axum::body::Body::empty(),
        )
        .await;
    assert!(
        page.as_str()
            .unwrap()
            .contains("Waiting for this year's first reviews: daycare."),
        "{page}"
    );
}

/// One invoice a day from 28 December 2025 to 5 January 2026, coded as the model codes it; the
/// one of 31 December carries a CPR number, so it goes to review whatever the year's state.
fn new_year_cases(truth: &TrueLine) -> Vec<Case> {
    let days = [
        "2025-12-28",
        "2025-12-29",
        "2025-12-30",
        "2025-12-31",
        "2026-01-01",
        "2026-01-02",
        "2026-01-03",
        "2026-01-04",
        "2026-01-05",
    ];
    days.iter()
        .enumerate()
        .map(|(i, day)| {
            let mut v = regular_invoice(&format!("NY-{i}"));
            v["issue_date"] = json!(day);
            if *day == "2025-12-31" {
                v["lines"][0]["description"] = json!("Beskæring af træer vedr. 010190-1234");
            }
            Case {
                received: kontera_intake::from_json(&serde_json::to_vec(&v).unwrap()).unwrap(),
                truth: vec![truth.clone()],
            }
        })
        .collect()
}

#[tokio::test]
async fn each_year_opens_on_reviews_of_its_own_invoices() {
    // The model's coding of the regular invoice, from a service that waits for nothing.
    let open = service(|c| c.audit_rate = 0.0).await;
    let (_, answer) = open.post_json("/v1/invoices", &regular_invoice("C")).await;
    assert_eq!(answer["decision"], "auto", "{answer}");
    let c = &answer["lines"][0]["coding"];
    let text = |k: &str| c[k].as_str().map(str::to_owned);
    let truth = TrueLine {
        line_no: 1,
        account: text("account").unwrap(),
        cost_centre: text("cost_centre"),
        vat_code: text("vat_code"),
    };

    let s = service(|c| {
        c.audit_rate = 0.0;
        c.trust.year_opening_reviews = 2;
    })
    .await;
    let model = s.state.models.active();
    let report = replay::replay(
        &s.state,
        &model,
        &new_year_cases(&truth),
        Options {
            review_delay_days: 1,
            ..Options::default()
        },
        |_, _| {},
    )
    .await
    .unwrap();
    // 2025 opens on 30 December with the reviews of the 28th's and the 29th's invoices. The
    // 31st's goes to review (a CPR number) and is reviewed on 1 January, but it is 2025's: 2026
    // opens on the 3rd, with the reviews of the 1st's and the 2nd's.
    let openings: Vec<(&str, &str, i32, u64)> = report
        .openings
        .iter()
        .map(|o| (o.date.as_str(), o.area.as_str(), o.year, o.reviews))
        .collect();
    assert_eq!(
        openings,
        [
            ("2025-12-30", "technical", 2025, 2),
            ("2026-01-03", "technical", 2026, 2)
        ]
    );
    // Automated: the 30th, and the 3rd to the 5th; every one right.
    let automated: Vec<(&str, u64)> = report
        .months
        .iter()
        .map(|m| (m.month.as_str(), m.automated))
        .collect();
    assert_eq!(automated, [("2025-12", 1), ("2026-01", 3)]);
    assert_eq!((report.automated, report.right), (4, 4));
    assert_eq!(report.reviewed, 5);
}
