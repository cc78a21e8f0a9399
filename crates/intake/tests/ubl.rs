//! UBL documents built here: refusals (DTDs, entities, non-invoices), required fields, limits.

use kontera_core::DocumentType;
use kontera_intake::{Format, from_ubl};

/// A minimal Peppol invoice with `lines` and extra header XML.
fn invoice(header: &str, lines: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  {header}
  <cbc:DocumentCurrencyCode>DKK</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party>
    <cbc:EndpointID schemeID="0184">DK12345674</cbc:EndpointID>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cbc:EndpointID schemeID="0088">5790000000005</cbc:EndpointID>
  </cac:Party></cac:AccountingCustomerParty>
  {lines}
</Invoice>"#
    )
}

const HEADER: &str = "<cbc:ID>INV-9</cbc:ID><cbc:IssueDate>2024-05-01</cbc:IssueDate>";

fn line(net: &str) -> String {
    format!(
        "<cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:LineExtensionAmount currencyID=\"DKK\">{net}</cbc:LineExtensionAmount>\
         <cac:Item><cbc:Name>Kaffe</cbc:Name></cac:Item></cac:InvoiceLine>"
    )
}

fn error(body: &str) -> kontera_intake::IntakeError {
    from_ubl(body.as_bytes()).unwrap_err()
}

#[test]
fn a_minimal_invoice_reads() {
    let r = from_ubl(invoice(HEADER, &line("80.00")).as_bytes()).unwrap();
    assert_eq!(r.format, Format::PeppolBis3);
    assert_eq!(r.invoice.id.as_str(), "DK12345674/invoice/INV-9");
    assert_eq!(r.invoice.supplier_cvr.unwrap().to_string(), "12345674");
    assert_eq!(r.invoice.buyer_gln.unwrap().to_string(), "5790000000005");
    let l = &r.invoice.lines[0];
    assert_eq!(
        (
            l.description.as_str(),
            l.quantity.to_string(),
            l.unit_price.to_string()
        ),
        ("Kaffe", "1".into(), "80".into())
    );
    assert_eq!(l.vat_rate.to_string(), "25", "no tax category: S at 25");
}

#[test]
fn a_ten_byte_identifier_with_a_multibyte_character_is_no_cvr_and_no_panic() {
    // Found by `kontera-fuzz ubl` (fuzz/crashes/ubl/93286d860aee9414.bin): ten bytes, with
    // `Ҥ` across byte 2, panicked when the first two bytes were sliced as a string.
    let body = invoice(HEADER, &line("80.00")).replace(
        r#"<cbc:EndpointID schemeID="0184">DK12345674</cbc:EndpointID>"#,
        "<cbc:EndpointID>:Ҥu:W3ѣz</cbc:EndpointID>",
    );
    assert_eq!(":Ҥu:W3ѣz".len(), 10);
    let r = from_ubl(body.as_bytes()).unwrap();
    assert_eq!(r.invoice.supplier_cvr, None);
    let body = invoice(HEADER, &line("80.00")).replace(
        r#"<cbc:EndpointID schemeID="0184">DK12345674</cbc:EndpointID>"#,
        "<cbc:EndpointID>dk12345674</cbc:EndpointID>",
    );
    let r = from_ubl(body.as_bytes()).unwrap();
    assert_eq!(r.invoice.supplier_cvr.unwrap().to_string(), "12345674");
}

#[test]
fn a_credit_type_code_on_an_invoice_makes_a_credit_note() {
    let header = format!("{HEADER}<cbc:InvoiceTypeCode>381</cbc:InvoiceTypeCode>");
    let r = from_ubl(invoice(&header, &line("5")).as_bytes()).unwrap();
    assert_eq!(r.invoice.document_type, DocumentType::CreditNote);
}

#[test]
fn a_peppol_envelope_is_opened() {
    let body = invoice(HEADER, &line("5")).replace(r#"<?xml version="1.0" encoding="UTF-8"?>"#, "");
    let wrapped = format!(
        r#"<StandardBusinessDocument xmlns="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"><StandardBusinessDocumentHeader/>{body}</StandardBusinessDocument>"#
    );
    assert_eq!(
        from_ubl(wrapped.as_bytes()).unwrap().invoice.number,
        "INV-9"
    );
}

#[test]
fn dtds_and_entities_are_refused() {
    let billion_laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol9;</Invoice>"#;
    let external = r#"<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>&xxe;</cbc:ID></Invoice>"#;
    let bare_doctype = "<!DOCTYPE Invoice><Invoice/>";
    for body in [billion_laughs, external, bare_doctype] {
        let e = error(body);
        assert_eq!(e.code(), "doctype_refused");
        assert!(e.to_string().contains("DOCTYPE"), "{e}");
    }
    // An undeclared entity is plain malformed XML.
    let e = error(&invoice(
        "<cbc:ID>&xxe;</cbc:ID><cbc:IssueDate>2024-05-01</cbc:IssueDate>",
        &line("1"),
    ));
    assert_eq!(e.code(), "malformed_xml", "{e}");
}

#[test]
fn what_is_not_a_ubl_invoice_says_what_it_is() {
    let order = r#"<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>"#;
    assert_eq!(
        error(order).to_string(),
        "not a UBL 2.1 Invoice or CreditNote: the root element is Order in namespace \
         urn:oasis:names:specification:ubl:schema:xsd:Order-2; expected Invoice \
         (urn:oasis:names:specification:ubl:schema:xsd:Invoice-2) or CreditNote \
         (urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2)"
    );
    let unqualified = error("<Invoice><ID>1</ID></Invoice>");
    assert_eq!(unqualified.code(), "not_an_invoice");
    assert!(
        unqualified
            .to_string()
            .contains("Invoice without a namespace; the element has the right name")
    );
    assert_eq!(error("not xml").code(), "malformed_xml");
    assert_eq!(error("").code(), "malformed_xml");
    assert_eq!(error("<Invoice>").code(), "malformed_xml");
    let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Invoice>\xe6</Invoice>";
    let e = from_ubl(latin1).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the body is not well-formed XML: the body is not UTF-8 (invalid byte at offset 52); send UBL documents as UTF-8"
    );
}

#[test]
fn required_fields_and_bad_values_name_their_element() {
    let check = |body: String, field: &str, message: &str| {
        let e = from_ubl(body.as_bytes()).unwrap_err();
        assert_eq!(e.field(), Some(field), "{e}");
        assert_eq!(e.to_string(), message);
    };
    check(
        invoice("<cbc:IssueDate>2024-05-01</cbc:IssueDate>", &line("1")),
        "ID",
        "ID: is required",
    );
    check(
        invoice("<cbc:ID>1</cbc:ID>", &line("1")),
        "IssueDate",
        "IssueDate: is required",
    );
    check(
        invoice(
            "<cbc:ID>1</cbc:ID><cbc:IssueDate>01.05.2024</cbc:IssueDate>",
            &line("1"),
        ),
        "IssueDate",
        "IssueDate: expected a date like \"2024-03-01\" (YYYY-MM-DD), got \"01.05.2024\"",
    );
    check(
        invoice(HEADER, ""),
        "InvoiceLine",
        "InvoiceLine: an invoice needs at least one line",
    );
    check(
        invoice(HEADER, &format!("{}{}", line("1"), line("1,00"))),
        "InvoiceLine[2]/LineExtensionAmount",
        "InvoiceLine[2]/LineExtensionAmount: expected a decimal amount like \"1250.00\", got \"1,00\"",
    );
    check(
        invoice(
            HEADER,
            "<cac:InvoiceLine><cbc:ID>1</cbc:ID></cac:InvoiceLine>",
        ),
        "InvoiceLine[1]/LineExtensionAmount",
        "InvoiceLine[1]/LineExtensionAmount: is required",
    );
    check(
        invoice(
            HEADER,
            &line("1").replace(
                "<cbc:Name>Kaffe</cbc:Name>",
                "<cac:ClassifiedTaxCategory><cbc:ID>Q</cbc:ID></cac:ClassifiedTaxCategory>",
            ),
        ),
        "InvoiceLine[1]/Item/ClassifiedTaxCategory/ID",
        "InvoiceLine[1]/Item/ClassifiedTaxCategory/ID: expected a VAT category code (S, E, Z, AE, O, K, G, L, M, B, \
         or OIOUBL's StandardRated, ZeroRated, ReverseCharge), got \"Q\"",
    );
    check(
        invoice(HEADER, &line("1")).replace(
            "<cbc:DocumentCurrencyCode>DKK",
            "<cbc:DocumentCurrencyCode>KRONER",
        ),
        "DocumentCurrencyCode",
        "DocumentCurrencyCode: currency code must have 3 letters (ISO 4217, e.g. DKK), found 6 characters",
    );
    check(
        invoice(HEADER, &line(&"9".repeat(14))),
        "InvoiceLine[1]/LineExtensionAmount",
        "InvoiceLine[1]/LineExtensionAmount: \"99999999999999\" is out of range: at most 1000000000000 in absolute value",
    );
    let long = "x".repeat(2_001);
    check(
        invoice(HEADER, &line("1").replace("Kaffe", &long)),
        "InvoiceLine[1]/Item",
        "InvoiceLine[1]/Item: is 2001 characters long; at most 2000 are allowed",
    );
}

#[test]
fn invalid_ids_in_ubl_are_warnings_not_errors() {
    let body = invoice(HEADER, &line("1"))
        .replace("DK12345674", "DK12345675")
        .replace("5790000000005", "5790000000006");
    let r = from_ubl(body.as_bytes()).unwrap();
    assert_eq!(r.invoice.supplier_cvr, None);
    assert_eq!(r.invoice.buyer_gln, None);
    let warnings: Vec<String> = r.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "AccountingSupplierParty/Party/EndpointID: supplier CVR ignored: CVR number fails the modulus-11 check \
             (weights 2,7,6,5,4,3,2,1); check for a mistyped digit",
            "AccountingCustomerParty/Party/EndpointID: buyer GLN ignored: GLN fails the GS1 check digit \
             (weights 1,3,1,3,... over the first 12 digits); check for a mistyped digit",
        ]
    );
}

#[test]
fn too_many_lines_and_deep_nesting_are_refused_without_overflow() {
    let many = line("1").repeat(10_001);
    let e = from_ubl(invoice(HEADER, &many).as_bytes()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "InvoiceLine: has more than 10000 lines; split the invoice or send it for manual handling"
    );
    let deep = format!("{}{}", "<a>".repeat(50_000), "</a>".repeat(50_000));
    assert!(from_ubl(deep.as_bytes()).is_err());
}

#[test]
fn cpr_numbers_in_bad_values_are_masked() {
    let body = invoice(HEADER, &line("010190-1234"));
    let e = from_ubl(body.as_bytes()).unwrap_err();
    assert!(!e.to_string().contains("1234"), "{e}");
    assert!(e.to_string().contains("XXXXXX-XXXX"), "{e}");
}
