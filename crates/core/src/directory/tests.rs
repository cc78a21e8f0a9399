//! Directory lookups and the checks of its entries.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::*;
use crate::{Area, CreditorId, UnitId};

fn unit(id: &str, gln: Option<&str>) -> UnitEntry {
    UnitEntry {
        id: UnitId::new(id),
        gln: gln.map(|g| g.parse().unwrap()),
        name: format!("Unit {id}"),
        area: Some(Area::Schools),
    }
}

fn creditor(id: &str, cvr: Option<&str>) -> CreditorEntry {
    CreditorEntry {
        id: CreditorId::new(id),
        cvr: cvr.map(|c| c.parse().unwrap()),
        name: format!("Creditor {id}"),
        blocked: false,
        bank_account_changed: NaiveDate::from_ymd_opt(2025, 3, 1),
        address_changed: None,
        industry_code: Some("463000".into()),
        amounts: AmountHistory::from_totals([Decimal::from(100), Decimal::from(300)]),
    }
}

const GLN: &str = "5798000100220";
const CVR: &str = "39445387";
const CVR2: &str = "57469552";

#[test]
fn units_and_creditors_are_found_by_every_identity() {
    let d = Directory::new(
        vec![unit("U1", Some(GLN)), unit("U2", None)],
        vec![
            creditor("K2", Some(CVR)),
            creditor("K1", Some(CVR)),
            creditor("K3", Some(CVR2)),
            creditor("K4", None),
        ],
    )
    .unwrap();
    assert_eq!(d.unit("U2").unwrap().id.as_str(), "U2");
    assert_eq!(
        d.unit_by_gln(GLN.parse().unwrap()).unwrap().id.as_str(),
        "U1"
    );
    assert!(d.unit("U3").is_none());
    assert_eq!(d.creditor("K4").unwrap().name, "Creditor K4");
    let cvr: Cvr = CVR.parse().unwrap();
    let ids: Vec<&str> = d.creditors_by_cvr(cvr).map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["K2", "K1"], "duplicates in entry order");
    assert_eq!(
        d.creditor_by_cvr(CVR2.parse().unwrap())
            .unwrap()
            .id
            .as_str(),
        "K3"
    );
    assert_eq!(d.creditors_by_cvr("12345674".parse().unwrap()).len(), 0);
    assert_eq!(
        d.creditor("K1").unwrap().amounts.unwrap().median,
        Decimal::from(200)
    );
}

#[test]
fn inconsistent_entries_are_refused_with_their_ids() {
    let dup = Directory::new(vec![unit("U1", None), unit("U1", None)], vec![]);
    assert_eq!(
        dup.unwrap_err().to_string(),
        "unit `U1` appears twice; unit ids are unique"
    );
    let gln = Directory::new(vec![unit("U1", Some(GLN)), unit("U2", Some(GLN))], vec![]);
    assert!(gln.unwrap_err().to_string().contains("`U1` and `U2`"));
    let cred = Directory::new(vec![], vec![creditor("K1", None), creditor("K1", None)]);
    assert!(matches!(
        cred,
        Err(DirectoryError::DuplicateCreditor { .. })
    ));
    let mut bad = creditor("K1", None);
    bad.amounts = Some(AmountHistory {
        invoices: 2,
        median: Decimal::from(10),
        p99: Decimal::from(5),
    });
    assert!(matches!(
        Directory::new(vec![], vec![bad]),
        Err(DirectoryError::Amounts { .. })
    ));
}

#[test]
fn an_id_holding_a_cpr_number_is_refused_without_echoing_it() {
    let err = Directory::new(vec![], vec![creditor("010190-1234", None)]).unwrap_err();
    let message = err.to_string();
    assert!(!message.contains("0101"), "{message}");
    assert_eq!(
        message,
        "creditor number 0 has an empty id or one holding a CPR number"
    );
}
