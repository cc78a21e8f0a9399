//! Shared fixtures: a small dataset full of awkward values.

#![allow(dead_code)]

use chrono::NaiveDate;
use kontera_data::{
    AccountRow, CreditorRow, Dataset, InvoiceLineRow, InvoiceRow, PostingRow, UnitRow,
};
use rust_decimal::Decimal;

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Text that needs quoting and escaping in CSV, with Danish letters.
pub const AWKWARD: &str = "Æbler, pærer & \"øko\" blåbær\nlinje 2\r\nlinje 3";

/// Two rows per table: the first fills every optional column with awkward values, the second
/// leaves every optional column empty.
pub fn awkward_dataset() -> Dataset {
    Dataset {
        invoices: vec![
            InvoiceRow {
                invoice_id: "INV-1".into(),
                invoice_number: "2024,001".into(),
                document_type: "invoice".into(),
                creditor_id: "K\"1\"".into(),
                supplier_cvr: Some("12345678".into()),
                buyer_gln: Some("5798000000001".into()),
                buyer_reference: Some(AWKWARD.into()),
                order_reference: Some("".into()),
                issue_date: date(2024, 12, 31),
                due_date: Some(date(2025, 1, 1)),
                currency: "DKK".into(),
                total_net: dec("9999999999.99"),
                total_vat: dec("2499999999.99"),
                total_gross: dec("12499999999.98"),
                accounting_cost: Some("5.25.14;2.2".into()),
                format: "oioubl".into(),
            },
            InvoiceRow {
                invoice_id: "INV-2".into(),
                invoice_number: "".into(),
                document_type: "credit_note".into(),
                creditor_id: "Åse Østergård ApS".into(),
                supplier_cvr: None,
                buyer_gln: None,
                buyer_reference: None,
                order_reference: None,
                issue_date: date(1999, 1, 1),
                due_date: None,
                currency: "EUR".into(),
                total_net: dec("-0.01"),
                total_vat: dec("0"),
                total_gross: dec("-0.01"),
                accounting_cost: None,
                format: "peppol".into(),
            },
        ],
        invoice_lines: vec![
            InvoiceLineRow {
                invoice_id: "INV-1".into(),
                line_no: 1,
                description: AWKWARD.into(),
                item_id: Some("varenr. 7".into()),
                gtin: Some("05701234567892".into()),
                unspsc: Some("50131700".into()),
                quantity: dec("2.5"),
                unit_price: dec("0.1234"),
                net_amount: dec("9999999999.99"),
                vat_category: "S".into(),
                vat_rate: dec("25"),
                accounting_cost: Some("x,y".into()),
            },
            InvoiceLineRow {
                invoice_id: "INV-2".into(),
                line_no: u32::MAX,
                description: "".into(),
                item_id: None,
                gtin: None,
                unspsc: None,
                quantity: dec("-1.0000"),
                unit_price: dec("12345678901234.5678"),
                net_amount: dec("-12345678901234.57"),
                vat_category: "AE".into(),
                vat_rate: dec("0.00"),
                accounting_cost: None,
            },
        ],
        postings: vec![
            PostingRow {
                posting_id: "P-1".into(),
                invoice_id: "INV-1".into(),
                line_no: Some(1),
                posting_date: date(2024, 12, 31),
                account: "5.25.14.2.2".into(),
                cost_centre: "1010".into(),
                vat_code: "I25".into(),
                project: Some("Skole \"Nord\"".into()),
                amount: dec("9999999999.99"),
            },
            PostingRow {
                posting_id: "P-2".into(),
                invoice_id: "INV-2".into(),
                line_no: None,
                posting_date: date(2000, 2, 29),
                account: "6.45.51".into(),
                cost_centre: "".into(),
                vat_code: "".into(),
                project: None,
                amount: dec("-123.40"),
            },
        ],
        accounts: vec![
            AccountRow {
                account: "5.25.14.2.2".into(),
                name: "Dagtilbud, æ/ø/å".into(),
                function: "5.25.14".into(),
                dranst: "1".into(),
                art: "2.2".into(),
                valid_from: date(2020, 1, 1),
                valid_to: Some(date(2023, 12, 31)),
                change: Some("split".into()),
                successors: Some("5.25.15.2.2;5.25.16.2.2".into()),
            },
            AccountRow {
                account: "6.45.51".into(),
                name: "Administration".into(),
                function: "6.45.51".into(),
                dranst: "1".into(),
                art: "4.0".into(),
                valid_from: date(1970, 1, 1),
                valid_to: None,
                change: None,
                successors: None,
            },
        ],
        creditors: vec![
            CreditorRow {
                creditor_id: "K\"1\"".into(),
                cvr: Some("12345678".into()),
                name: "Grønt & Frugt, A/S".into(),
                address: "Østergade 1,\n2. sal".into(),
                postal_code: "8000".into(),
                city: "Århus C".into(),
                bank_account: "1234-0001234567".into(),
                bank_account_changed: Some(date(2023, 12, 31)),
                address_changed: Some(date(2022, 1, 1)),
                blocked: true,
                industry_code: "463000".into(),
                first_invoice: Some(date(2019, 12, 31)),
            },
            CreditorRow {
                creditor_id: "Åse Østergård ApS".into(),
                cvr: None,
                name: "".into(),
                address: "".into(),
                postal_code: "".into(),
                city: "".into(),
                bank_account: "".into(),
                bank_account_changed: None,
                address_changed: None,
                blocked: false,
                industry_code: "".into(),
                first_invoice: None,
            },
        ],
        units: vec![
            UnitRow {
                unit_id: "U1".into(),
                name: "Børnehaven Solsikken, afd. \"Lærken\"".into(),
                gln: "5798000000001".into(),
                cost_centre: "1010".into(),
                area: "daycare".into(),
            },
            UnitRow {
                unit_id: "U2".into(),
                name: "Rådhuset".into(),
                gln: "5798000000002".into(),
                cost_centre: "9000".into(),
                area: "administration".into(),
            },
        ],
    }
}
