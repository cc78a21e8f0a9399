//! An [`Invoice`] shape written as a UBL 2.1 `Invoice` or `CreditNote` (OIOUBL, Peppol BIS 3,
//! plain or without a customization), optionally inside a Peppol business-document envelope.

use std::fmt::Write;

use super::shape::{Hostile, Invoice, Kind, Line, MAX_LINES, Party, Profile, Rendered, Value};

const NS_INVOICE: &str = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
const NS_CAC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
const NS_CBC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
const SBD: &str = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader";

/// Text content, escaped; a nesting value becomes nested elements, some interesting values
/// go in CDATA. `None` if the element is left out.
fn text(v: &Value, kind: Kind) -> Option<String> {
    let rendered = v.render(kind);
    if rendered == Rendered::Missing {
        return None;
    }
    Some(match &v.hostile {
        Hostile::Nested(n) if v.pick < 26 => {
            let n = usize::from(*n);
            format!("{}{}", "<x>".repeat(n), "</x>".repeat(n))
        }
        Hostile::Interesting(i) if v.pick < 26 && i % 5 == 0 => {
            format!("<![CDATA[{}]]>", rendered.text())
        }
        _ => escape(&rendered.text()),
    })
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Appends `<tag attrs>value</tag>` when the value is present.
fn element(out: &mut String, tag: &str, attrs: &str, v: Option<&Value>, kind: Kind) {
    if let Some(t) = v.and_then(|v| text(v, kind)) {
        let _ = write!(out, "<{tag}{attrs}>{t}</{tag}>");
    }
}

/// Appends `open`, the value, `close` when the value is present.
fn wrapped(out: &mut String, open: &str, close: &str, v: Option<&Value>, kind: Kind) {
    if let Some(t) = v.and_then(|v| text(v, kind)) {
        let _ = write!(out, "{open}{t}{close}");
    }
}

fn supplier(out: &mut String, p: &Party) {
    out.push_str("<cac:AccountingSupplierParty><cac:Party>");
    element(
        out,
        "cbc:EndpointID",
        " schemeID=\"0184\"",
        p.cvr.as_ref(),
        Kind::Cvr,
    );
    wrapped(
        out,
        "<cac:PartyIdentification><cbc:ID schemeID=\"DK:CVR\">",
        "</cbc:ID></cac:PartyIdentification>",
        p.id.as_ref(),
        Kind::Cvr,
    );
    wrapped(
        out,
        "<cac:PartyName><cbc:Name>",
        "</cbc:Name></cac:PartyName>",
        p.name.as_ref(),
        Kind::Name,
    );
    wrapped(
        out,
        "<cac:PostalAddress><cac:Country><cbc:IdentificationCode>",
        "</cbc:IdentificationCode></cac:Country></cac:PostalAddress>",
        p.country.as_ref(),
        Kind::Country,
    );
    wrapped(
        out,
        "<cac:PartyTaxScheme><cbc:CompanyID>",
        "</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
        p.vat_id.as_ref(),
        Kind::Id,
    );
    out.push_str("<cac:PartyLegalEntity>");
    element(out, "cbc:RegistrationName", "", p.name.as_ref(), Kind::Name);
    element(
        out,
        "cbc:CompanyID",
        " schemeID=\"DK:CVR\"",
        p.cvr.as_ref(),
        Kind::Cvr,
    );
    out.push_str("</cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>");
}

fn customer(out: &mut String, p: &Party) {
    out.push_str("<cac:AccountingCustomerParty><cac:Party>");
    let scheme = if p.bank_account.is_some() {
        "GLN"
    } else {
        "0088"
    };
    let attrs = format!(" schemeID=\"{scheme}\"");
    element(out, "cbc:EndpointID", &attrs, p.gln.as_ref(), Kind::Gln);
    wrapped(
        out,
        "<cac:PartyName><cbc:Name>",
        "</cbc:Name></cac:PartyName>",
        p.name.as_ref(),
        Kind::Name,
    );
    wrapped(
        out,
        "<cac:Contact><cbc:ID>",
        "</cbc:ID></cac:Contact>",
        p.reference.as_ref(),
        Kind::Id,
    );
    out.push_str("</cac:Party></cac:AccountingCustomerParty>");
}

fn line(out: &mut String, l: &Line, number: usize, credit: bool, currency: &str) {
    let (tag, quantity) = if credit {
        ("cac:CreditNoteLine", "cbc:CreditedQuantity")
    } else {
        ("cac:InvoiceLine", "cbc:InvoicedQuantity")
    };
    let _ = write!(out, "<{tag}><cbc:ID>{number}</cbc:ID>");
    element(
        out,
        quantity,
        " unitCode=\"EA\"",
        l.quantity.as_ref(),
        Kind::Measure,
    );
    element(
        out,
        "cbc:LineExtensionAmount",
        currency,
        Some(&l.net_amount),
        Kind::Amount,
    );
    element(
        out,
        "cbc:AccountingCost",
        "",
        l.accounting_cost.as_ref(),
        Kind::Text,
    );
    out.push_str("<cac:Item>");
    if l.item_id.is_some() {
        element(out, "cbc:Description", "", l.gtin.as_ref(), Kind::Text);
    }
    element(out, "cbc:Name", "", Some(&l.description), Kind::Text);
    wrapped(
        out,
        "<cac:SellersItemIdentification><cbc:ID>",
        "</cbc:ID></cac:SellersItemIdentification>",
        l.item_id.as_ref(),
        Kind::Id,
    );
    wrapped(
        out,
        "<cac:StandardItemIdentification><cbc:ID schemeID=\"0160\">",
        "</cbc:ID></cac:StandardItemIdentification>",
        l.gtin.as_ref(),
        Kind::Id,
    );
    wrapped(
        out,
        "<cac:CommodityClassification><cbc:ItemClassificationCode listID=\"UNSPSC\">",
        "</cbc:ItemClassificationCode></cac:CommodityClassification>",
        l.unspsc.as_ref(),
        Kind::Id,
    );
    if l.vat_category.is_some() || l.vat_rate.is_some() {
        out.push_str("<cac:ClassifiedTaxCategory>");
        element(
            out,
            "cbc:ID",
            "",
            l.vat_category.as_ref(),
            Kind::VatCategory,
        );
        element(out, "cbc:Percent", "", l.vat_rate.as_ref(), Kind::Rate);
        out.push_str(
            "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>",
        );
    }
    out.push_str("</cac:Item>");
    wrapped(
        out,
        &format!("<cac:Price><cbc:PriceAmount{currency}>"),
        "</cbc:PriceAmount></cac:Price>",
        l.unit_price.as_ref(),
        Kind::Measure,
    );
    let _ = write!(out, "</{tag}>");
}

/// The invoice as a UBL document.
pub fn invoice(inv: &Invoice) -> String {
    let credit = inv
        .document_type
        .as_ref()
        .is_some_and(|t| t.text(Kind::DocumentType) == "credit_note");
    let (root, ns) = if credit {
        (
            "CreditNote",
            NS_INVOICE.replace("Invoice-2", "CreditNote-2"),
        )
    } else {
        ("Invoice", NS_INVOICE.to_owned())
    };
    let currency = inv
        .currency
        .as_ref()
        .map_or_else(|| "DKK".to_owned(), |c| c.text(Kind::Currency));
    let currency_attr = format!(" currencyID=\"{}\"", escape(&currency));
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if inv.envelope {
        let _ = write!(
            out,
            "<StandardBusinessDocument xmlns=\"{SBD}\"><StandardBusinessDocumentHeader>\
             <HeaderVersion>1.0</HeaderVersion></StandardBusinessDocumentHeader>"
        );
    }
    let _ = write!(
        out,
        "<{root} xmlns=\"{ns}\" xmlns:cac=\"{NS_CAC}\" xmlns:cbc=\"{NS_CBC}\">"
    );
    let customization = match inv.profile {
        Profile::Oioubl => Some("OIOUBL-2.02"),
        Profile::Peppol => {
            Some("urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0")
        }
        Profile::Plain => Some("urn:cen.eu:en16931:2017"),
        Profile::Missing => None,
    };
    if let Some(c) = customization {
        let _ = write!(out, "<cbc:CustomizationID>{c}</cbc:CustomizationID>");
    }
    let oioubl = matches!(inv.profile, Profile::Oioubl);
    element(&mut out, "cbc:ID", "", Some(&inv.number), Kind::Id);
    element(
        &mut out,
        "cbc:IssueDate",
        "",
        Some(&inv.issue_date),
        Kind::Date,
    );
    if !oioubl {
        element(
            &mut out,
            "cbc:DueDate",
            "",
            inv.due_date.as_ref(),
            Kind::Date,
        );
    }
    if !credit {
        element(
            &mut out,
            "cbc:InvoiceTypeCode",
            "",
            inv.type_code.as_ref(),
            Kind::TypeCode,
        );
    }
    element(
        &mut out,
        "cbc:DocumentCurrencyCode",
        "",
        inv.currency.as_ref(),
        Kind::Currency,
    );
    element(
        &mut out,
        "cbc:AccountingCost",
        "",
        inv.accounting_cost.as_ref(),
        Kind::Text,
    );
    element(
        &mut out,
        "cbc:BuyerReference",
        "",
        inv.buyer.reference.as_ref(),
        Kind::Id,
    );
    wrapped(
        &mut out,
        "<cac:OrderReference><cbc:ID>",
        "</cbc:ID></cac:OrderReference>",
        inv.order_reference.as_ref(),
        Kind::Id,
    );
    supplier(&mut out, &inv.supplier);
    customer(&mut out, &inv.buyer);
    if inv.supplier.bank_account.is_some() || oioubl {
        out.push_str("<cac:PaymentMeans><cbc:PaymentMeansCode>31</cbc:PaymentMeansCode>");
        if oioubl {
            element(
                &mut out,
                "cbc:PaymentDueDate",
                "",
                inv.due_date.as_ref(),
                Kind::Date,
            );
        }
        wrapped(
            &mut out,
            "<cac:PayeeFinancialAccount><cbc:ID>",
            "</cbc:ID></cac:PayeeFinancialAccount>",
            inv.supplier.bank_account.as_ref(),
            Kind::Id,
        );
        out.push_str("</cac:PaymentMeans>");
    }
    if let Some(totals) = &inv.totals {
        wrapped(
            &mut out,
            &format!("<cac:TaxTotal><cbc:TaxAmount{currency_attr}>"),
            "</cbc:TaxAmount></cac:TaxTotal>",
            totals.vat.as_ref(),
            Kind::Amount,
        );
        out.push_str("<cac:LegalMonetaryTotal>");
        let net = totals.net.as_ref();
        element(
            &mut out,
            "cbc:LineExtensionAmount",
            &currency_attr,
            net,
            Kind::Amount,
        );
        let payable = totals.payable.as_ref();
        element(
            &mut out,
            "cbc:PayableAmount",
            &currency_attr,
            payable,
            Kind::Amount,
        );
        out.push_str("</cac:LegalMonetaryTotal>");
    }
    for (i, l) in inv.lines.iter().take(MAX_LINES).enumerate() {
        line(&mut out, l, i + 1, credit, &currency_attr);
    }
    let _ = write!(out, "</{root}>");
    if inv.envelope {
        out.push_str("</StandardBusinessDocument>");
    }
    out
}
