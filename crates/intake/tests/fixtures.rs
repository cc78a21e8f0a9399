//! Every public e-invoice fixture is read, and what it says is checked against the XML by hand.

use std::fs;
use std::path::{Path, PathBuf};

use kontera_core::{DocumentType, VatCategory};
use kontera_intake::{Format, Received, Warning, from_ubl};
use rust_decimal::Decimal;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/einvoices")
}

fn read(relative: &str) -> Result<Received, kontera_intake::IntakeError> {
    from_ubl(&fs::read(fixtures().join(relative)).unwrap())
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// One valid fixture: what a person reading the XML finds.
struct Expected {
    file: &'static str,
    format: Format,
    number: &'static str,
    document_type: DocumentType,
    lines: usize,
    /// The supplier CVR when the document carries a valid one.
    cvr: Option<&'static str>,
    supplier_name: &'static str,
    payable: &'static str,
}

const INV: DocumentType = DocumentType::Invoice;
const CN: DocumentType = DocumentType::CreditNote;

#[rustfmt::skip]
const VALID: &[Expected] = &[
    Expected { file: "delis/BIS3_CreditNote_Example_DK_Supplier_NoErrors.xml", format: Format::PeppolBis3, number: "20150483", document_type: CN, lines: 3, cvr: None, supplier_name: "Supplier A/S", payable: "1619.00" },
    Expected { file: "delis/BIS3_Invoice_Example_DK_Supplier_Master.xml", format: Format::PeppolBis3, number: "20150483", document_type: INV, lines: 3, cvr: None, supplier_name: "Supplier A/S", payable: "1619.00" },
    Expected { file: "delis/OIOUBL_CreditNoteCertificate.xml", format: Format::Oioubl, number: "Test2012-2021", document_type: CN, lines: 1, cvr: None, supplier_name: "Erhvervsstyrelsen", payable: "453.95" },
    Expected { file: "delis/OIOUBL_CreditNote_v2.1.xml", format: Format::Oioubl, number: "A00095679", document_type: CN, lines: 2, cvr: None, supplier_name: "Tavleverandøren", payable: "6312.50" },
    Expected { file: "delis/OIOUBL_CreditNote_v2p2.xml", format: Format::Oioubl, number: "A00095679", document_type: CN, lines: 2, cvr: None, supplier_name: "Tavleverandøren", payable: "6312.50" },
    Expected { file: "delis/OIOUBL_InvoiceCerticate.xml", format: Format::Oioubl, number: "Test2012-2021", document_type: INV, lines: 1, cvr: None, supplier_name: "Erhvervsstyrelsen", payable: "453.95" },
    Expected { file: "delis/OIOUBL_Invoice_v2.1.xml", format: Format::Oioubl, number: "A00095678", document_type: INV, lines: 2, cvr: None, supplier_name: "Tavleverandøren", payable: "6312.50" },
    Expected { file: "delis/OIOUBL_Invoice_v2p2.xml", format: Format::Oioubl, number: "A00095678", document_type: INV, lines: 2, cvr: None, supplier_name: "Tavleverandøren", payable: "6312.50" },
    Expected { file: "delis/OIOUBL_Invoice_v2p2_ZeroTaxAmount.xml", format: Format::Oioubl, number: "A00095678", document_type: INV, lines: 3, cvr: None, supplier_name: "Tavleverandøren", payable: "6312.51" },
    Expected { file: "oioubl-gobl/cpr-supplier.xml", format: Format::Oioubl, number: "SAMPLE-002", document_type: INV, lines: 1, cvr: None, supplier_name: "afsender", payable: "100.00" },
    Expected { file: "oioubl-gobl/credit-note.xml", format: Format::Oioubl, number: "A00095679", document_type: CN, lines: 2, cvr: Some("16356700"), supplier_name: "Tavleverandøren", payable: "6312.50" },
    Expected { file: "oioubl-gobl/dk-bank.xml", format: Format::Oioubl, number: "BANK-001", document_type: INV, lines: 2, cvr: Some("10000009"), supplier_name: "Sample Supplier ApS", payable: "41178.80" },
    Expected { file: "oioubl-gobl/excise-line-and-document.xml", format: Format::Oioubl, number: "A00095678", document_type: INV, lines: 1, cvr: Some("16356700"), supplier_name: "Tavleverandøren", payable: "350000.00" },
    Expected { file: "oioubl-gobl/excise-registration-tax_real.xml", format: Format::Oioubl, number: "5555", document_type: INV, lines: 2, cvr: Some("10000025"), supplier_name: "Super Biler", payable: "180000.00" },
    Expected { file: "oioubl-gobl/happy-path_real.xml", format: Format::Oioubl, number: "A00095678", document_type: INV, lines: 2, cvr: Some("16356700"), supplier_name: "Tavleverandøren", payable: "6312.50" },
    Expected { file: "oioubl-gobl/invoice-bare.xml", format: Format::Oioubl, number: "SAMPLE-001", document_type: INV, lines: 2, cvr: Some("10000009"), supplier_name: "Sample Supplier ApS", payable: "41178.80" },
    Expected { file: "oioubl-gobl/negative-rounding_real.xml", format: Format::Oioubl, number: "70390", document_type: CN, lines: 4, cvr: Some("11668216"), supplier_name: "Demo Firma Aps.", payable: "113.62" },
    Expected { file: "oioubl-gobl/nemkonto.xml", format: Format::Oioubl, number: "NEMKONTO-001", document_type: INV, lines: 2, cvr: Some("10000009"), supplier_name: "Sample Supplier ApS", payable: "41178.80" },
    Expected { file: "oioubl-gobl/prices-advanced_real.xml", format: Format::Oioubl, number: "A00095678", document_type: INV, lines: 5, cvr: Some("16356700"), supplier_name: "Tavleverandøren", payable: "4500.00" },
    Expected { file: "oioubl-gobl/reverse-charge.xml", format: Format::Oioubl, number: "A00095678", document_type: INV, lines: 1, cvr: None, supplier_name: "International A/S", payable: "5000.00" },
    Expected { file: "oioubl-gobl/used-invoice_real.xml", format: Format::Oioubl, number: "A00095678", document_type: INV, lines: 1, cvr: Some("16356700"), supplier_name: "Tavleverandøren", payable: "6969.00" },
    Expected { file: "peppol-bis3/examples_Allowance-example.xml", format: Format::PeppolBis3, number: "Snippet1", document_type: INV, lines: 3, cvr: None, supplier_name: "SupplierTradingName Ltd.", payable: "6125.00" },
    Expected { file: "peppol-bis3/examples_Vat-category-S.xml", format: Format::PeppolBis3, number: "Snippet1", document_type: INV, lines: 3, cvr: None, supplier_name: "SupplierTradingName Ltd.", payable: "8550" },
    Expected { file: "peppol-bis3/examples_base-creditnote-correction.xml", format: Format::PeppolBis3, number: "Snippet1", document_type: CN, lines: 2, cvr: None, supplier_name: "SupplierTradingName Ltd.", payable: "1656.25" },
    Expected { file: "peppol-bis3/examples_base-example.xml", format: Format::PeppolBis3, number: "Snippet1", document_type: INV, lines: 2, cvr: None, supplier_name: "SupplierTradingName Ltd.", payable: "1656.25" },
    Expected { file: "peppol-bis3/examples_base-negative-inv-correction.xml", format: Format::PeppolBis3, number: "Correction1", document_type: INV, lines: 2, cvr: None, supplier_name: "SupplierTradingName Ltd.", payable: "-1656.25" },
    Expected { file: "peppol-bis3/examples_sales-order-example.xml", format: Format::PeppolBis3, number: "Snippet1", document_type: INV, lines: 2, cvr: None, supplier_name: "SupplierTradingName Ltd.", payable: "1656.25" },
    Expected { file: "peppol-bis3/examples_vat-category-E.xml", format: Format::PeppolBis3, number: "Vat-Z", document_type: INV, lines: 1, cvr: None, supplier_name: "The Sellercompany Incorporated", payable: "1200.00" },
    Expected { file: "peppol-bis3/examples_vat-category-O.xml", format: Format::PeppolBis3, number: "Vat-O", document_type: INV, lines: 1, cvr: None, supplier_name: "The Sellercompany Incorporated", payable: "3200.00" },
    Expected { file: "peppol-bis3/examples_vat-category-Z.xml", format: Format::PeppolBis3, number: "Vat-Z", document_type: INV, lines: 1, cvr: None, supplier_name: "The Sellercompany Incorporated", payable: "1200.00" },
    Expected { file: "peppol-bis3/national-examples_GR_GR-base-example-TaxRepresentative.xml", format: Format::PeppolBis3, number: "061828591|01/10/2020|0|1.1|0|1", document_type: INV, lines: 2, cvr: None, supplier_name: "SupplierTradingName Ltd.", payable: "1656.25" },
    Expected { file: "peppol-bis3/national-examples_GR_GR-base-example-correct.xml", format: Format::PeppolBis3, number: "061828591|01/10/2020|0|1.1|0|1", document_type: INV, lines: 2, cvr: None, supplier_name: "SupplierTradingName Ltd.", payable: "1656.25" },
    Expected { file: "peppol-bis3/national-examples_NO_Norwegian-example-1.xml", format: Format::PeppolBis3, number: "TOSL108", document_type: INV, lines: 5, cvr: None, supplier_name: "Salescompany ltd.", payable: "802.00" },
];

/// The deliberately invalid files in `delis/` (error_*).
const INVALID: [&str; 8] = [
    "delis/error_BIS3_Invoice_1Vers4_Ole.xml",
    "delis/error_BIS3_Invoice_SCH.xml",
    "delis/error_BIS3_Invoice_SCH_F-INV326.xml",
    "delis/error_BIS3_Invoice_XSD.xml",
    "delis/error_CII_Invoice_SCH.xml",
    "delis/error_CII_Invoice_XSD.xml",
    "delis/error_OIOUBL_Invoice_SCH.xml",
    "delis/error_OIOUBL_Invoice_XSD.xml",
];

#[test]
fn every_fixture_is_listed_here() {
    let mut found = Vec::new();
    for folder in ["delis", "oioubl-gobl", "peppol-bis3"] {
        for entry in fs::read_dir(fixtures().join(folder)).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            found.push(format!("{folder}/{name}"));
        }
    }
    found.sort();
    let mut listed: Vec<String> = VALID
        .iter()
        .map(|e| e.file.to_owned())
        .chain(INVALID.iter().map(|f| (*f).to_owned()))
        .collect();
    listed.sort();
    assert_eq!(found, listed);
    assert_eq!(found.len() + 1, 42, "41 XML files plus SOURCE.txt");
}

#[test]
fn every_valid_fixture_reads_with_its_header_totals_and_lines() {
    for expected in VALID {
        let received = read(expected.file).unwrap_or_else(|e| panic!("{}: {e}", expected.file));
        let invoice = &received.invoice;
        let file = expected.file;
        assert_eq!(received.format, expected.format, "{file}");
        assert_eq!(invoice.number, expected.number, "{file}");
        assert_eq!(invoice.document_type, expected.document_type, "{file}");
        assert_eq!(invoice.lines.len(), expected.lines, "{file}");
        assert_eq!(
            invoice.supplier_cvr.map(|c| c.to_string()).as_deref(),
            expected.cvr,
            "{file}"
        );
        assert_eq!(
            received.supplier.name.as_deref(),
            Some(expected.supplier_name),
            "{file}"
        );
        assert_eq!(
            received.totals.payable,
            Some(dec(expected.payable)),
            "{file}"
        );
        // Every valid fixture states LineExtensionAmount, and it is the sum of the line nets.
        assert_eq!(
            received.totals.line_extension,
            Some(invoice.total_net()),
            "{file}"
        );
        // Line numbers are the documents' own (all numeric and 1..n here).
        let numbers: Vec<u32> = invoice.lines.iter().map(|l| l.line_no).collect();
        assert_eq!(
            numbers,
            (1..=expected.lines as u32).collect::<Vec<_>>(),
            "{file}"
        );
        // The derived id names the document type and number.
        assert!(
            invoice
                .id
                .as_str()
                .ends_with(&format!("/{}/{}", invoice.document_type, expected.number)),
            "{file}: {}",
            invoice.id
        );
    }
}

#[test]
fn oioubl_invoice_v2p2_field_by_field() {
    let r = read("delis/OIOUBL_Invoice_v2p2.xml").unwrap();
    let i = &r.invoice;
    assert_eq!(i.issue_date.to_string(), "2005-11-20");
    // OIOUBL has no cbc:DueDate; the due date is PaymentMeans/PaymentDueDate.
    assert_eq!(
        i.due_date.map(|d| d.to_string()).as_deref(),
        Some("2005-11-25")
    );
    assert_eq!(i.currency.as_str(), "DKK");
    assert_eq!(
        i.buyer_gln.map(|g| g.to_string()).as_deref(),
        Some("5798009811578")
    );
    // No BuyerReference: OIOUBL's buyer Contact/ID stands in.
    assert_eq!(i.buyer_reference.as_deref(), Some("7778"));
    assert_eq!(i.order_reference.as_deref(), Some("5002701"));
    assert_eq!(i.accounting_cost.as_deref(), Some("5250124502"));
    // OIOUBL's TaxExclusiveAmount (1262.50) is the VAT total, so it is not a net total here.
    assert_eq!(r.totals.tax_exclusive, None);
    assert_eq!(r.totals.tax, Some(dec("1262.50")));
    assert_eq!(r.totals.tax_inclusive, Some(dec("6312.50")));
    assert_eq!(r.supplier.bank_account.as_deref(), Some("1234567890"));
    assert_eq!(r.supplier.vat_id.as_deref(), Some("DK16356706"));
    assert_eq!(r.buyer.name.as_deref(), Some("Den Lille Skole"));
    let line = &i.lines[1];
    assert_eq!(line.description, "Beslag");
    assert_eq!(
        (line.quantity, line.unit_price, line.net_amount),
        (dec("2"), dec("25"), dec("50"))
    );
    // The category is on the line's TaxTotal/TaxSubtotal/TaxCategory, named "StandardRated".
    assert_eq!(
        (line.vat_category, line.vat_rate),
        (VatCategory::Standard, dec("25"))
    );
    assert_eq!(line.item_id.as_deref(), Some("5712345780111"));
    assert_eq!(
        line.gtin.as_deref(),
        Some("5712345780111"),
        "seller's id with scheme GTIN"
    );
}

#[test]
fn the_official_danish_examples_carry_cvr_numbers_that_fail_modulus_11() {
    // DK16356706: 2·1+7·6+6·3+5·5+4·6+3·7+2·0+1·6 = 138, not a multiple of 11. The document is
    // still read; the CVR is left out and each place it was found is a warning.
    let r = read("delis/OIOUBL_Invoice_v2p2.xml").unwrap();
    assert_eq!(r.invoice.supplier_cvr, None);
    let fields: Vec<&str> = r
        .warnings
        .iter()
        .map(|w| match w {
            Warning::SupplierCvr { field, .. } => field.as_str(),
            Warning::BuyerGln { field, .. } => field.as_str(),
        })
        .collect();
    assert_eq!(
        fields,
        [
            "AccountingSupplierParty/Party/EndpointID",
            "AccountingSupplierParty/Party/PartyLegalEntity/CompanyID",
            "AccountingSupplierParty/Party/PartyIdentification[1]/ID",
        ]
    );
    assert!(r.warnings[0].to_string().contains("modulus-11"));
    // Without a valid CVR the id falls back to the VAT id as written.
    assert_eq!(r.invoice.id.as_str(), "DK16356706/invoice/A00095678");
}

#[test]
fn peppol_base_example_field_by_field() {
    let r = read("peppol-bis3/examples_base-example.xml").unwrap();
    let i = &r.invoice;
    assert_eq!(
        i.due_date.map(|d| d.to_string()).as_deref(),
        Some("2017-12-01")
    );
    assert_eq!(i.currency.as_str(), "EUR");
    assert_eq!(i.buyer_reference.as_deref(), Some("0150abc"));
    assert_eq!(i.accounting_cost.as_deref(), Some("4025:123:4343"));
    // Buyer endpoint scheme 0002 is not a GLN.
    assert_eq!(i.buyer_gln, None);
    assert_eq!(r.supplier.vat_id.as_deref(), Some("GB1232434"));
    assert_eq!(r.supplier.country.as_deref(), Some("GB"));
    assert_eq!(r.totals.tax_exclusive, Some(dec("1325")));
    assert_eq!(r.totals.charges, Some(dec("25")));
    assert_eq!(r.totals.tax, Some(dec("331.25")));
    let first = &i.lines[0];
    assert_eq!(first.description, "item name - Description of item");
    assert_eq!(
        (first.quantity, first.unit_price, first.net_amount),
        (dec("7"), dec("400"), dec("2800"))
    );
    assert_eq!(first.accounting_cost.as_deref(), Some("Konteringsstreng"));
    // StandardItemIdentification has scheme 0088 (a GLN scheme), so it is not taken as a GTIN.
    assert_eq!(first.gtin, None);
    let second = &i.lines[1];
    assert_eq!(
        (second.quantity, second.net_amount),
        (dec("-3"), dec("-1500"))
    );
}

#[test]
fn peppol_credit_note_keeps_its_amounts_as_written() {
    let r = read("peppol-bis3/examples_base-creditnote-correction.xml").unwrap();
    assert_eq!(r.invoice.document_type, DocumentType::CreditNote);
    assert_eq!(r.invoice.lines[0].net_amount, dec("2800"));
    assert_eq!(r.invoice.lines[0].quantity, dec("7"), "CreditedQuantity");
    assert_eq!(r.totals.payable, Some(dec("1656.25")));
}

#[test]
fn danish_bis3_example_reads_gln_rounding_prepaid_and_classification() {
    let r = read("delis/BIS3_Invoice_Example_DK_Supplier_Master.xml").unwrap();
    assert_eq!(
        r.invoice.buyer_gln.map(|g| g.to_string()).as_deref(),
        Some("5790000012343")
    );
    assert_eq!(r.totals.prepaid, Some(dec("100.00")));
    assert_eq!(r.totals.payable_rounding, Some(dec("0.25")));
    assert_eq!(r.totals.allowances, Some(dec("157.50")));
    // TaxTotal is given twice: 43.75 DKK (document currency) and 5.88 EUR; only DKK counts.
    assert_eq!(r.totals.tax, Some(dec("43.75")));
    let lines = &r.invoice.lines;
    assert_eq!(lines[1].vat_category, VatCategory::ZeroRated);
    assert_eq!(lines[1].vat_rate, Decimal::ZERO);
    assert_eq!(
        lines[0].gtin.as_deref(),
        Some("5790000000123"),
        "scheme 0160"
    );
    // Line 1: 3 × 100 = 300, but the net is 275 (a line allowance); kept as written.
    assert_eq!(
        (lines[0].quantity, lines[0].unit_price, lines[0].net_amount),
        (dec("3"), dec("100"), dec("275"))
    );
}

#[test]
fn oioubl_excise_tax_totals_are_not_vat() {
    // Two TaxTotals in DKK: registration tax (scheme 66, 78169.00) and VAT (scheme 63, 25710.40).
    let r = read("oioubl-gobl/excise-registration-tax_real.xml").unwrap();
    assert_eq!(r.totals.tax, Some(dec("25710.40")));
    let nets: Vec<Decimal> = r.invoice.lines.iter().map(|l| l.net_amount).collect();
    assert_eq!(nets, [dec("102842"), dec("-26721")]);
    assert_eq!(r.invoice.lines[1].vat_category, VatCategory::ZeroRated);
    // The line with only an excise category on TaxTotal plus a VAT one takes the VAT one.
    let excise = read("oioubl-gobl/excise-line-and-document.xml").unwrap();
    assert_eq!(excise.invoice.lines[0].vat_category, VatCategory::ZeroRated);
    assert_eq!(excise.totals.tax, Some(dec("50000.00")));
}

#[test]
fn oioubl_prices_per_base_quantity_become_unit_prices() {
    let r = read("oioubl-gobl/prices-advanced_real.xml").unwrap();
    let prices: Vec<(Decimal, Decimal)> = r
        .invoice
        .lines
        .iter()
        .map(|l| (l.quantity, l.unit_price))
        .collect();
    // 120.00 per BaseQuantity 2 is 60 each; 960.00 per 100 litres is 9.6 a litre.
    assert_eq!(
        prices,
        [
            (dec("12"), dec("60")),
            (dec("6"), dec("60")),
            (dec("1"), dec("60")),
            (dec("1"), dec("60")),
            (dec("1"), dec("9.6"))
        ]
    );
}

#[test]
fn categories_reverse_charge_exempt_other_and_unspsc() {
    let rc = read("oioubl-gobl/reverse-charge.xml").unwrap();
    assert_eq!(rc.invoice.lines[0].vat_category, VatCategory::ReverseCharge);
    // Supplier CVR DK16356706 fails modulus 11; the DK:SE number is not taken as a CVR.
    assert_eq!(rc.invoice.supplier_cvr, None);
    assert_eq!(rc.supplier.vat_id.as_deref(), Some("DK16356808"));
    let e = read("peppol-bis3/examples_vat-category-E.xml").unwrap();
    assert_eq!(e.invoice.lines[0].vat_category, VatCategory::Exempt);
    let o = read("peppol-bis3/examples_vat-category-O.xml").unwrap();
    assert_eq!(o.invoice.lines[0].vat_category, VatCategory::Other);
    assert_eq!(o.invoice.id.as_str(), "0088:7300010000001/invoice/Vat-O");
    let used = read("oioubl-gobl/used-invoice_real.xml").unwrap();
    assert_eq!(used.invoice.lines[0].unspsc.as_deref(), Some("12121212"));
    assert_eq!(
        used.invoice.lines[0].item_id.as_deref(),
        Some("5712345780121")
    );
    assert_eq!(used.invoice.lines[0].gtin.as_deref(), Some("55555"));
    let no = read("peppol-bis3/national-examples_NO_Norwegian-example-1.xml").unwrap();
    assert_eq!(no.supplier.vat_id.as_deref(), Some("NO123456785MVA"));
    assert_eq!(no.invoice.lines[1].vat_rate, dec("15"));
    assert_eq!(no.invoice.lines[3].vat_category, VatCategory::Exempt);
}

#[test]
fn a_supplier_identified_by_cpr_leaves_no_trace_of_it() {
    // The supplier's EndpointID and PartyLegalEntity/CompanyID are a CPR number (scheme DK:CPR).
    let raw = fs::read_to_string(fixtures().join("oioubl-gobl/cpr-supplier.xml")).unwrap();
    assert!(raw.contains(">1111111118<"));
    let r = read("oioubl-gobl/cpr-supplier.xml").unwrap();
    let everything = format!("{r:?}");
    assert!(!everything.contains("1111111118"), "{everything}");
    assert_eq!(r.invoice.supplier_cvr, None);
    assert_eq!(r.supplier.vat_id, None);
    assert_eq!(r.invoice.id.as_str(), "afsender/invoice/SAMPLE-002");
    assert!(r.warnings.is_empty());
}

#[test]
fn cii_documents_are_refused_as_not_ubl() {
    for file in [
        "delis/error_CII_Invoice_SCH.xml",
        "delis/error_CII_Invoice_XSD.xml",
    ] {
        let error = read(file).unwrap_err();
        assert_eq!(error.code(), "not_an_invoice", "{file}");
        let message = error.to_string();
        assert!(message.contains("CrossIndustryInvoice in namespace urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"), "{message}");
        assert!(
            message.contains("Cross Industry Invoice (CII)"),
            "{message}"
        );
    }
}

/// The other error_* files are schema- or schematron-invalid but structurally readable UBL.
/// Intake is not a validator: it reads them and keeps the values that break the rules, so that
/// screening (not intake) catches them. Each test names the rule and asserts the offending values.
#[test]
fn oioubl_sch_error_price_times_quantity_is_not_the_line_amount() {
    // Line 2: 2 × 26.00 = 52.00 but LineExtensionAmount is 50.00 (OIOUBL schematron rule on
    // line amounts). Screening must flag it.
    let r = read("delis/error_OIOUBL_Invoice_SCH.xml").unwrap();
    let line = &r.invoice.lines[1];
    assert_eq!(
        (line.quantity, line.unit_price, line.net_amount),
        (dec("2"), dec("26"), dec("50"))
    );
    assert_ne!(line.quantity * line.unit_price, line.net_amount);
}

#[test]
fn oioubl_xsd_error_is_only_element_order() {
    // cbc:ID comes after cbc:IssueDate, against the XSD sequence. Intake matches elements by
    // name, so the content reads exactly like the valid OIOUBL_Invoice_v2p2.xml.
    let raw = fs::read_to_string(fixtures().join("delis/error_OIOUBL_Invoice_XSD.xml")).unwrap();
    assert!(raw.find("<cbc:ID>A00095678").unwrap() > raw.find("<cbc:IssueDate>").unwrap());
    let invalid = read("delis/error_OIOUBL_Invoice_XSD.xml").unwrap();
    let valid = read("delis/OIOUBL_Invoice_v2p2.xml").unwrap();
    assert_eq!(invalid, valid);
}

#[test]
fn bis3_sch_error_tax_inclusive_is_not_net_plus_vat() {
    // BR-CO-15: TaxInclusiveAmount = TaxExclusiveAmount + VAT; here 127.00 ≠ 100.00 + 25.00.
    let r = read("delis/error_BIS3_Invoice_SCH.xml").unwrap();
    assert_eq!(r.totals.tax_exclusive, Some(dec("100")));
    assert_eq!(r.totals.tax_inclusive, Some(dec("127")));
    assert_eq!(r.totals.payable, Some(dec("125")));
    // Its tax scheme is "OTH", not VAT, so no VAT total is read (see also the next test).
    assert_eq!(r.totals.tax, None);
}

#[test]
fn bis3_ole_error_uses_a_wrong_profile_and_a_non_vat_tax_scheme() {
    // ProfileID ...billing:01:3.0 (Peppol BIS 3 requires ...billing:01:1.0) and TaxScheme ID
    // "OTH" where EN 16931 expects "VAT". Neither is intake's business: the invoice reads, its
    // totals add up, and the only trace is that no VAT total is found.
    let raw =
        fs::read_to_string(fixtures().join("delis/error_BIS3_Invoice_1Vers4_Ole.xml")).unwrap();
    assert!(raw.contains("urn:fdc:peppol.eu:2017:poacc:billing:01:3.0"));
    assert!(raw.contains("<cbc:ID>OTH</cbc:ID>"));
    let r = read("delis/error_BIS3_Invoice_1Vers4_Ole.xml").unwrap();
    assert_eq!(r.totals.tax, None);
    assert_eq!(r.totals.tax_inclusive, Some(dec("125")));
    assert_eq!(
        r.invoice.supplier_cvr.map(|c| c.to_string()).as_deref(),
        Some("48464114")
    );
    assert_eq!(r.invoice.lines[0].description, "Consulting");
}

#[test]
fn bis3_xsd_error_is_element_order_and_a_price_that_does_not_match() {
    // cbc:ID comes after cbc:DueDate, against the UBL sequence (ID precedes IssueDate). Intake
    // reads by name, so that alone changes nothing; the line also says 1 × 105.00 with a net of
    // 100.00 (line net = quantity × price), which screening must catch.
    let raw = fs::read_to_string(fixtures().join("delis/error_BIS3_Invoice_XSD.xml")).unwrap();
    assert!(raw.find("<cbc:ID>1</cbc:ID>").unwrap() > raw.find("<cbc:DueDate>").unwrap());
    let r = read("delis/error_BIS3_Invoice_XSD.xml").unwrap();
    assert_eq!(r.invoice.number, "1");
    let line = &r.invoice.lines[0];
    assert_eq!(
        (line.quantity, line.unit_price, line.net_amount),
        (dec("1"), dec("105"), dec("100"))
    );
}

#[test]
fn bis3_f_inv326_error_price_does_not_match_the_line() {
    // 1 × 1000.00 but the line net is 5000.00; its CVR DK16356706 also fails modulus 11.
    let r = read("delis/error_BIS3_Invoice_SCH_F-INV326.xml").unwrap();
    let line = &r.invoice.lines[0];
    assert_eq!(
        (line.quantity, line.unit_price, line.net_amount),
        (dec("1"), dec("1000"), dec("5000"))
    );
    assert_eq!(r.invoice.supplier_cvr, None);
    assert_eq!(r.warnings.len(), 4);
}
