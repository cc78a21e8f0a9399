//! The supplier and buyer parties: CVR, VAT id, GLN, names, country and bank account.
//!
//! The supplier's CVR is the first valid one among, in order: `EndpointID`,
//! `PartyLegalEntity/CompanyID`, `PartyIdentification/ID`, `PartyTaxScheme/CompanyID`, each taken
//! when its `schemeID` is `DK:CVR` or `0184`, or when it has no scheme (or a VAT scheme other than
//! OIOUBL's `DK:SE`) and reads `DK` + 8 digits. The buyer's GLN is the `EndpointID`, else a
//! `PartyIdentification/ID`, with scheme `0088`, `GLN` or `EAN`. An id that fails its check
//! becomes a [`Warning`] and is not used; CPR-scheme (`DK:CPR`) or CPR-shaped ids are never kept.

use kontera_core::{Cvr, Gln, cpr};
use roxmltree::Node;

use super::xml::{CAC, attr, cac, cac_path, cbc, children, scheme_is, text, text_at};
use crate::limits::{MAX_ID, MAX_NAME, country_problem};
use crate::{Buyer, IntakeError, Supplier, Warning};

/// The supplier as read, with what the invoice and its id need.
#[derive(Debug, Default)]
pub(super) struct SupplierParty {
    pub supplier: Supplier,
    pub cvr: Option<Cvr>,
    /// `scheme:value` of the endpoint, for a derived invoice id.
    pub endpoint: Option<String>,
}

/// The buyer as read.
#[derive(Debug, Default)]
pub(super) struct BuyerParty {
    pub buyer: Buyer,
    pub gln: Option<Gln>,
    /// OIOUBL's buyer contact id (`Contact/ID`), a fallback for the buyer reference.
    pub contact_id: Option<String>,
}

const SUPPLIER: &str = "AccountingSupplierParty/Party";
const BUYER: &str = "AccountingCustomerParty/Party";

pub(super) fn supplier(
    root: Node<'_, '_>,
    warnings: &mut Vec<Warning>,
) -> Result<SupplierParty, IntakeError> {
    let Some(party) = cac_path(root, &["AccountingSupplierParty", "Party"]) else {
        return Ok(SupplierParty::default());
    };
    let mut cvr = None;
    for (field, node) in cvr_candidates(party) {
        let Some(value) = cvr_value(node) else {
            continue;
        };
        match Cvr::parse(&value) {
            Ok(valid) => {
                cvr = cvr.or(Some(valid));
            }
            Err(error) => warnings.push(Warning::SupplierCvr { field, error }),
        }
    }
    let vat_id = cac(party, "PartyTaxScheme")
        .and_then(|scheme| cbc(scheme, "CompanyID"))
        .filter(|node| !is_personal(*node));
    let endpoint = cbc(party, "EndpointID")
        .filter(|node| !is_personal(*node))
        .and_then(|node| {
            let value = text(node)?;
            Some(match attr(node, "schemeID") {
                Some(scheme) => format!("{scheme}:{value}"),
                None => value,
            })
        });
    let bank_account = children(root, CAC, "PaymentMeans")
        .filter_map(|means| cac(means, "PayeeFinancialAccount"))
        .find_map(|account| cbc(account, "ID"));
    Ok(SupplierParty {
        supplier: Supplier {
            name: party_name(party, SUPPLIER)?,
            creditor_id: None,
            vat_id: text_at(
                vat_id,
                &format!("{SUPPLIER}/PartyTaxScheme/CompanyID"),
                MAX_ID,
            )?,
            country: country(party),
            bank_account: text_at(
                bank_account,
                "PaymentMeans/PayeeFinancialAccount/ID",
                MAX_ID,
            )?,
        },
        cvr,
        endpoint,
    })
}

pub(super) fn buyer(
    root: Node<'_, '_>,
    warnings: &mut Vec<Warning>,
) -> Result<BuyerParty, IntakeError> {
    let Some(party) = cac_path(root, &["AccountingCustomerParty", "Party"]) else {
        return Ok(BuyerParty::default());
    };
    let mut gln = None;
    let endpoint = cbc(party, "EndpointID").map(|node| (format!("{BUYER}/EndpointID"), node));
    let identifications = children(party, CAC, "PartyIdentification")
        .filter_map(|identification| cbc(identification, "ID"))
        .enumerate()
        .map(|(i, node)| (format!("{BUYER}/PartyIdentification[{}]/ID", i + 1), node));
    for (field, node) in endpoint.into_iter().chain(identifications) {
        if !scheme_is(node, "schemeID", &["0088", "GLN", "EAN"]) {
            continue;
        }
        match Gln::parse(node.text().unwrap_or("")) {
            Ok(valid) => {
                gln = gln.or(Some(valid));
            }
            Err(error) => warnings.push(Warning::BuyerGln { field, error }),
        }
    }
    let contact_id = cac(party, "Contact").and_then(|contact| cbc(contact, "ID"));
    Ok(BuyerParty {
        buyer: Buyer {
            unit_id: None,
            name: party_name(party, BUYER)?,
        },
        gln,
        contact_id: text_at(contact_id, &format!("{BUYER}/Contact/ID"), MAX_ID)?,
    })
}

/// The places a supplier CVR may be, in order of preference, with their paths.
fn cvr_candidates<'a, 'i>(party: Node<'a, 'i>) -> Vec<(String, Node<'a, 'i>)> {
    let mut candidates = Vec::new();
    if let Some(node) = cbc(party, "EndpointID") {
        candidates.push((format!("{SUPPLIER}/EndpointID"), node));
    }
    if let Some(node) = cac(party, "PartyLegalEntity").and_then(|e| cbc(e, "CompanyID")) {
        candidates.push((format!("{SUPPLIER}/PartyLegalEntity/CompanyID"), node));
    }
    for (i, node) in children(party, CAC, "PartyIdentification")
        .filter_map(|identification| cbc(identification, "ID"))
        .enumerate()
    {
        candidates.push((
            format!("{SUPPLIER}/PartyIdentification[{}]/ID", i + 1),
            node,
        ));
    }
    for (i, node) in children(party, CAC, "PartyTaxScheme")
        .filter_map(|scheme| cbc(scheme, "CompanyID"))
        .enumerate()
    {
        candidates.push((
            format!("{SUPPLIER}/PartyTaxScheme[{}]/CompanyID", i + 1),
            node,
        ));
    }
    candidates
}

/// The value of `node` when it is meant as a Danish CVR number.
fn cvr_value(node: Node<'_, '_>) -> Option<String> {
    if is_personal(node) {
        return None;
    }
    let value: String = node.text()?.trim().to_owned();
    if scheme_is(node, "schemeID", &["DK:CVR", "0184"]) {
        return Some(value);
    }
    if scheme_is(node, "schemeID", &["DK:SE"]) {
        return None;
    }
    // On bytes: `value` may hold a multi-byte character across byte 2 (found by fuzzing).
    let bytes = value.as_bytes();
    let looks_danish = bytes.len() == 10
        && bytes[..2].eq_ignore_ascii_case(b"DK")
        && bytes[2..].iter().all(u8::is_ascii_digit);
    let no_other_scheme = attr(node, "schemeID")
        .is_none_or(|scheme| !scheme.bytes().all(|b| b.is_ascii_digit()) || scheme == "9902");
    (looks_danish && no_other_scheme).then_some(value)
}

/// Whether an identifier is a personal one: a `DK:CPR` scheme or a CPR-shaped value.
fn is_personal(node: Node<'_, '_>) -> bool {
    scheme_is(node, "schemeID", &["DK:CPR"]) || node.text().is_some_and(cpr::contains)
}

/// `PartyName/Name`, else `PartyLegalEntity/RegistrationName`.
fn party_name(party: Node<'_, '_>, at: &str) -> Result<Option<String>, IntakeError> {
    let name = cac(party, "PartyName").and_then(|n| cbc(n, "Name"));
    if let Some(value) = text_at(name, &format!("{at}/PartyName/Name"), MAX_NAME)? {
        return Ok(Some(value));
    }
    let registration = cac(party, "PartyLegalEntity").and_then(|e| cbc(e, "RegistrationName"));
    text_at(
        registration,
        &format!("{at}/PartyLegalEntity/RegistrationName"),
        MAX_NAME,
    )
}

/// `PostalAddress/Country/IdentificationCode`, when it is a two-letter code.
fn country(party: Node<'_, '_>) -> Option<String> {
    let code = cac_path(party, &["PostalAddress", "Country"])
        .and_then(|country| cbc(country, "IdentificationCode"))
        .and_then(text)?;
    country_problem(&code)
        .is_none()
        .then(|| code.to_ascii_uppercase())
}
