//! Invoice and credit-note lines.
//!
//! `ID` → line number (its position when not a number); `Item/Name` and `Item/Description`
//! → description (joined with " - " when they differ); `InvoicedQuantity` / `CreditedQuantity`
//! (default 1); `Price/PriceAmount` per `Price/BaseQuantity` → unit price (default net /
//! quantity); `LineExtensionAmount` → net amount (required); VAT category and rate from
//! `Item/ClassifiedTaxCategory`, else (OIOUBL) from the line's `TaxTotal/TaxSubtotal/TaxCategory`
//! in the VAT scheme, else `S`/25; `SellersItemIdentification/ID` → item id;
//! `StandardItemIdentification/ID` (scheme `0160`/`GTIN` or none), else a seller's id with scheme
//! `GTIN` → GTIN; `CommodityClassification/ItemClassificationCode` with `listID` `UNSPSC` or
//! `TST` → UNSPSC; `AccountingCost`.

use kontera_core::{InvoiceLine, VatCategory};
use roxmltree::Node;
use rust_decimal::Decimal;

use super::xml::{CAC, cac, cac_path, cbc, children, number_at, scheme_is, text, text_at};
use crate::limits::{MAX_DESCRIPTION, MAX_ID, length_problem};
use crate::number::{NumberKind, default_unit_price};
use crate::{IntakeError, vat};

/// Reads one line; `at` is its path (`InvoiceLine[3]`), `position` its 1-based position.
pub(super) fn read(
    line: Node<'_, '_>,
    at: &str,
    position: u32,
    quantity_name: &'static str,
) -> Result<InvoiceLine, IntakeError> {
    let path = |name: &str| format!("{at}/{name}");
    let line_no = cbc(line, "ID")
        .and_then(text)
        .and_then(|id| id.parse::<u32>().ok())
        .unwrap_or(position);
    let net_amount = number_at(
        cbc(line, "LineExtensionAmount"),
        &path("LineExtensionAmount"),
        NumberKind::Amount,
    )?
    .ok_or_else(|| IntakeError::missing(path("LineExtensionAmount")))?;
    let quantity = number_at(
        cbc(line, quantity_name),
        &path(quantity_name),
        NumberKind::Measure,
    )?
    .unwrap_or(Decimal::ONE);
    let unit_price =
        unit_price(line, at)?.unwrap_or_else(|| default_unit_price(net_amount, quantity));
    let item = cac(line, "Item");
    let (vat_category, vat_rate) = tax_category(line, at)?;
    Ok(InvoiceLine {
        line_no,
        description: description(item, at)?,
        item_id: text_at(
            item.and_then(|i| cac(i, "SellersItemIdentification"))
                .and_then(|s| cbc(s, "ID")),
            &path("Item/SellersItemIdentification/ID"),
            MAX_ID,
        )?,
        gtin: text_at(
            gtin(item),
            &path("Item/StandardItemIdentification/ID"),
            MAX_ID,
        )?,
        unspsc: text_at(
            unspsc(item),
            &path("Item/CommodityClassification/ItemClassificationCode"),
            MAX_ID,
        )?,
        quantity,
        unit_price,
        net_amount,
        vat_category,
        vat_rate,
        accounting_cost: text_at(cbc(line, "AccountingCost"), &path("AccountingCost"), MAX_ID)?,
    })
}

/// `PriceAmount / BaseQuantity` (6 decimals), or `PriceAmount` without a base quantity.
fn unit_price(line: Node<'_, '_>, at: &str) -> Result<Option<Decimal>, IntakeError> {
    let Some(price) = cac(line, "Price") else {
        return Ok(None);
    };
    let amount = number_at(
        cbc(price, "PriceAmount"),
        &format!("{at}/Price/PriceAmount"),
        NumberKind::Measure,
    )?;
    let base = number_at(
        cbc(price, "BaseQuantity"),
        &format!("{at}/Price/BaseQuantity"),
        NumberKind::Measure,
    )?;
    Ok(match (amount, base) {
        (Some(amount), Some(base)) if !base.is_zero() && base != Decimal::ONE => {
            Some(default_unit_price(amount, base))
        }
        (amount, _) => amount,
    })
}

/// `Item/Name` and each `Item/Description`, without repeats, joined with " - ".
fn description(item: Option<Node<'_, '_>>, at: &str) -> Result<String, IntakeError> {
    let Some(item) = item else {
        return Ok(String::new());
    };
    let mut parts: Vec<String> = Vec::new();
    let pieces = cbc(item, "Name")
        .into_iter()
        .chain(children(item, super::xml::CBC, "Description"))
        .filter_map(text);
    for piece in pieces {
        if !parts.contains(&piece) {
            parts.push(piece);
        }
    }
    let joined = parts.join(" - ");
    match length_problem(&joined, MAX_DESCRIPTION) {
        Some(message) => Err(IntakeError::invalid(format!("{at}/Item"), message)),
        None => Ok(joined),
    }
}

/// The line's VAT category and rate.
fn tax_category(line: Node<'_, '_>, at: &str) -> Result<(VatCategory, Decimal), IntakeError> {
    let classified = cac(line, "Item")
        .and_then(|item| cac(item, "ClassifiedTaxCategory"))
        .map(|node| (node, format!("{at}/Item/ClassifiedTaxCategory")));
    let from_tax_total = || {
        children(line, CAC, "TaxTotal")
            .flat_map(|total| children(total, CAC, "TaxSubtotal"))
            .filter_map(|subtotal| cac(subtotal, "TaxCategory"))
            .find(|category| is_vat(*category))
            .map(|node| (node, format!("{at}/TaxTotal/TaxSubtotal/TaxCategory")))
    };
    let Some((category, path)) = classified.or_else(from_tax_total) else {
        return Ok((
            VatCategory::Standard,
            vat::default_rate(VatCategory::Standard),
        ));
    };
    let code = cbc(category, "ID").and_then(text).unwrap_or_default();
    let vat_category = vat::category(&code)
        .map_err(|message| IntakeError::invalid(format!("{path}/ID"), message))?;
    let rate = number_at(
        cbc(category, "Percent"),
        &format!("{path}/Percent"),
        NumberKind::Rate,
    )?
    .unwrap_or_else(|| vat::default_rate(vat_category));
    Ok((vat_category, rate))
}

/// Whether a tax category (or subtotal) is in the VAT scheme: `VAT`, OIOUBL's `63` (Moms), or
/// no scheme given.
pub(super) fn is_vat(category: Node<'_, '_>) -> bool {
    match cac(category, "TaxScheme")
        .and_then(|scheme| cbc(scheme, "ID"))
        .and_then(text)
    {
        Some(id) => id.eq_ignore_ascii_case("VAT") || id == "63",
        None => true,
    }
}

fn gtin<'a, 'i>(item: Option<Node<'a, 'i>>) -> Option<Node<'a, 'i>> {
    let item = item?;
    let standard = cac(item, "StandardItemIdentification")
        .and_then(|s| cbc(s, "ID"))
        .filter(|id| {
            id.attribute("schemeID").is_none() || scheme_is(*id, "schemeID", &["0160", "GTIN"])
        });
    standard.or_else(|| {
        cac_path(item, &["SellersItemIdentification"])
            .and_then(|s| cbc(s, "ID"))
            .filter(|id| scheme_is(*id, "schemeID", &["GTIN", "0160"]))
    })
}

fn unspsc<'a, 'i>(item: Option<Node<'a, 'i>>) -> Option<Node<'a, 'i>> {
    children(item?, CAC, "CommodityClassification")
        .filter_map(|c| cbc(c, "ItemClassificationCode"))
        .find(|code| scheme_is(*code, "listID", &["UNSPSC", "TST"]))
}
