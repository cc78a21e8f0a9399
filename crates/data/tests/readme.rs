//! `data/README.md` documents exactly the columns, types and nullability the code implements.

use kontera_data::{
    AccountRow, CreditorRow, InvoiceLineRow, InvoiceRow, Kind, MONEY_SCALE, PostingRow,
    QUANTITY_SCALE, Table, UnitRow,
};

const README: &str = include_str!("../../../data/README.md");

/// (column, type, null) from the first three cells of the section's column table.
fn documented(table: &str) -> Vec<(String, String, String)> {
    let heading = format!("\n## `{table}`\n");
    let start = README
        .find(&heading)
        .unwrap_or_else(|| panic!("no section {heading}"));
    let section = &README[start + heading.len()..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    section
        .lines()
        .take_while(|l| !l.starts_with("###"))
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (
                cells[1].trim_matches('`').to_owned(),
                cells[2].to_owned(),
                cells[3].to_owned(),
            )
        })
        .collect()
}

fn type_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Text => "text",
        Kind::Count => "integer",
        Kind::Flag => "boolean",
        Kind::Date => "date",
        Kind::Decimal(MONEY_SCALE) => "money",
        Kind::Decimal(QUANTITY_SCALE) => "quantity",
        Kind::Decimal(_) => "undocumented decimal scale",
    }
}

fn check<T: Table>() {
    let expected: Vec<(String, String, String)> = T::COLUMNS
        .iter()
        .map(|c| {
            let null = if c.nullable { "yes" } else { "no" };
            (
                c.name.to_owned(),
                type_name(c.kind).to_owned(),
                null.to_owned(),
            )
        })
        .collect();
    assert_eq!(documented(T::NAME), expected, "table `{}`", T::NAME);
}

#[test]
fn readme_matches_every_table() {
    check::<InvoiceRow>();
    check::<InvoiceLineRow>();
    check::<PostingRow>();
    check::<AccountRow>();
    check::<CreditorRow>();
    check::<UnitRow>();
}
