//! The directory's wire shape and its validation: units and creditors as plain text fields
//! (identifiers as written, dates `YYYY-MM-DD`, money as exact decimal text), checked back into
//! the core [`Directory`], whose lookups are built on load.

use std::str::FromStr;

use chrono::NaiveDate;
use kontera_core::directory::{AmountHistory, CreditorEntry, Directory, UnitEntry};
use kontera_core::{Area, CreditorId, Cvr, Gln, UnitId};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Invalid;

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct DirectoryDto {
    pub units: Vec<UnitDto>,
    pub creditors: Vec<CreditorDto>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct UnitDto {
    pub id: String,
    pub gln: Option<String>,
    pub name: String,
    pub area: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct CreditorDto {
    pub id: String,
    pub cvr: Option<String>,
    pub name: String,
    pub blocked: bool,
    pub bank_account_changed: Option<String>,
    pub address_changed: Option<String>,
    pub industry_code: Option<String>,
    pub amounts: Option<AmountsDto>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct AmountsDto {
    pub invoices: u32,
    pub median: String,
    pub p99: String,
}

impl DirectoryDto {
    pub fn from_directory(d: &Directory) -> DirectoryDto {
        DirectoryDto {
            units: d
                .units()
                .iter()
                .map(|u| UnitDto {
                    id: u.id.0.clone(),
                    gln: u.gln.map(|g| g.to_string()),
                    name: u.name.clone(),
                    area: u.area.map(|a| a.as_str().to_owned()),
                })
                .collect(),
            creditors: d
                .creditors()
                .iter()
                .map(|c| CreditorDto {
                    id: c.id.0.clone(),
                    cvr: c.cvr.map(|c| c.to_string()),
                    name: c.name.clone(),
                    blocked: c.blocked,
                    bank_account_changed: c.bank_account_changed.map(|d| d.to_string()),
                    address_changed: c.address_changed.map(|d| d.to_string()),
                    industry_code: c.industry_code.clone(),
                    amounts: c.amounts.map(|a| AmountsDto {
                        invoices: a.invoices,
                        median: a.median.to_string(),
                        p99: a.p99.to_string(),
                    }),
                })
                .collect(),
        }
    }
}

impl TryFrom<DirectoryDto> for Directory {
    type Error = Invalid;

    fn try_from(dto: DirectoryDto) -> Result<Directory, Invalid> {
        let units = dto
            .units
            .into_iter()
            .enumerate()
            .map(|(i, u)| unit(i, u))
            .collect::<Result<_, _>>()?;
        let creditors = dto
            .creditors
            .into_iter()
            .enumerate()
            .map(|(i, c)| creditor(i, c))
            .collect::<Result<_, _>>()?;
        Ok(Directory::new(units, creditors)?)
    }
}

fn unit(index: usize, u: UnitDto) -> Result<UnitEntry, Invalid> {
    let bad = |what: &'static str| Invalid::DirectoryEntry {
        entry: "unit",
        index,
        what,
    };
    Ok(UnitEntry {
        gln: u
            .gln
            .map(|g| Gln::parse(&g).map_err(|_| bad("GLN")))
            .transpose()?,
        area: u
            .area
            .map(|a| Area::parse(&a).map_err(|_| bad("area")))
            .transpose()?,
        id: UnitId(u.id),
        name: u.name,
    })
}

fn creditor(index: usize, c: CreditorDto) -> Result<CreditorEntry, Invalid> {
    let bad = |what: &'static str| Invalid::DirectoryEntry {
        entry: "creditor",
        index,
        what,
    };
    let day = |d: Option<String>, what| {
        d.map(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| bad(what)))
            .transpose()
    };
    let money = |s: &str| Decimal::from_str(s).map_err(|_| bad("amount history"));
    let amounts = match c.amounts {
        Some(a) => Some(AmountHistory {
            invoices: a.invoices,
            median: money(&a.median)?,
            p99: money(&a.p99)?,
        }),
        None => None,
    };
    Ok(CreditorEntry {
        cvr: c
            .cvr
            .map(|v| Cvr::parse(&v).map_err(|_| bad("CVR")))
            .transpose()?,
        bank_account_changed: day(c.bank_account_changed, "bank account change date")?,
        address_changed: day(c.address_changed, "address change date")?,
        id: CreditorId(c.id),
        name: c.name,
        blocked: c.blocked,
        industry_code: c.industry_code,
        amounts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dto() -> DirectoryDto {
        DirectoryDto {
            units: vec![UnitDto {
                id: "U1".into(),
                gln: Some("5798000100220".into()),
                name: "Børnehuset".into(),
                area: Some("daycare".into()),
            }],
            creditors: vec![CreditorDto {
                id: "K1".into(),
                cvr: Some("39445387".into()),
                name: "Dagrofa".into(),
                blocked: true,
                bank_account_changed: Some("2025-05-10".into()),
                address_changed: None,
                industry_code: Some("463900".into()),
                amounts: Some(AmountsDto {
                    invoices: 12,
                    median: "1250.50".into(),
                    p99: "9000".into(),
                }),
            }],
        }
    }

    fn message(change: impl FnOnce(&mut DirectoryDto)) -> String {
        let mut d = dto();
        change(&mut d);
        Directory::try_from(d).unwrap_err().to_string()
    }

    #[test]
    fn a_valid_directory_round_trips_exactly() {
        let d = Directory::try_from(dto()).unwrap();
        let k1 = d.creditor_by_cvr("39445387".parse().unwrap()).unwrap();
        assert_eq!(k1.amounts.unwrap().median, Decimal::new(125050, 2));
        assert!(k1.blocked);
        assert_eq!(
            d.unit_by_gln("5798000100220".parse().unwrap())
                .unwrap()
                .area,
            Some(Area::Daycare)
        );
        let again = Directory::try_from(DirectoryDto::from_directory(&d)).unwrap();
        assert_eq!(again, d);
    }

    #[test]
    fn every_part_is_checked_and_named() {
        let m = message(|d| d.units[0].gln = Some("5798000100221".into()));
        assert_eq!(m, "directory: unit number 0 has an invalid GLN");
        let m = message(|d| d.units[0].area = Some("moon".into()));
        assert_eq!(m, "directory: unit number 0 has an invalid area");
        let m = message(|d| d.creditors[0].cvr = Some("12345678".into()));
        assert_eq!(m, "directory: creditor number 0 has an invalid CVR");
        let m = message(|d| d.creditors[0].address_changed = Some("2025-13-01".into()));
        assert_eq!(
            m,
            "directory: creditor number 0 has an invalid address change date"
        );
        let m = message(|d| d.creditors[0].amounts.as_mut().unwrap().p99 = "1.0.0".into());
        assert_eq!(
            m,
            "directory: creditor number 0 has an invalid amount history"
        );
        let m = message(|d| d.creditors[0].amounts.as_mut().unwrap().p99 = "10".into());
        assert!(
            m.contains("creditor `K1`: amount history is inconsistent"),
            "{m}"
        );
        let m = message(|d| {
            let u = UnitDto {
                id: "U1".into(),
                gln: None,
                name: String::new(),
                area: None,
            };
            d.units.push(u);
        });
        assert_eq!(m, "directory: unit `U1` appears twice; unit ids are unique");
    }
}
