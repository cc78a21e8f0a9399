//! After the chain: the account a fixed rule or the model chose, followed through the chart in
//! force on the invoice's date. Renamed and merged accounts become their successor (the
//! confidence stays the model's: the same coding under its new id); an account closed without
//! successor, or split into several, stays as the suggestion and must go to a person.

use chrono::NaiveDate;

use super::{Chain, Coded, Source};
use crate::model::Field;
use crate::{AccountId, ChangeKind, Chart, Mapping};

/// What the chart in force did to a line's account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChartEffect {
    /// Renamed and/or merged: the line's account is now `to`.
    Mapped {
        from: AccountId,
        to: AccountId,
        via: Vec<ChangeKind>,
    },
    /// Closed without successor from `on` (every path, if it was split first).
    Closed { account: AccountId, on: NaiveDate },
    /// Split into `candidates` (sorted), all valid on the invoice's date; a person chooses.
    Split {
        account: AccountId,
        candidates: Vec<AccountId>,
    },
}

impl ChartEffect {
    /// The account the rule or the model chose.
    pub fn account(&self) -> &AccountId {
        match self {
            ChartEffect::Mapped { from, .. } => from,
            ChartEffect::Closed { account, .. } | ChartEffect::Split { account, .. } => account,
        }
    }

    /// Whether the line must go to a person: its account has no single successor.
    pub fn needs_review(&self) -> bool {
        !matches!(self, ChartEffect::Mapped { .. })
    }
}

/// Follows `chart` for the account in `coded.labels[account]` on `on`, replacing it when it was
/// renamed or merged. Nothing happens to the invoice's own account string (valid in the chart
/// by construction), to a label that is no account id or not in the chart, or to an account
/// still valid or not yet valid.
pub fn follow_chart(
    coded: &mut Coded,
    account: usize,
    chart: &Chart,
    on: NaiveDate,
) -> Option<ChartEffect> {
    if coded.source == Source::AccountingCost {
        return None;
    }
    let label = coded.labels.get_mut(account)?.as_mut()?;
    let id = AccountId::parse(label).ok()?;
    match chart.current(&id, on) {
        Mapping::Mapped { to, via } => {
            *label = to.as_str().to_owned();
            Some(ChartEffect::Mapped { from: id, to, via })
        }
        Mapping::Closed { on } => Some(ChartEffect::Closed { account: id, on }),
        Mapping::Ambiguous { candidates } => Some(ChartEffect::Split {
            account: id,
            candidates,
        }),
        Mapping::Unchanged | Mapping::Unknown | Mapping::NotYetValid => None,
    }
}

impl Chain<'_> {
    /// [`follow_chart`] with this chain's model and chart; nothing without a chart.
    pub fn follow_chart(&self, coded: &mut Coded, on: NaiveDate) -> Option<ChartEffect> {
        let chart = self.chart?;
        let account = self
            .model
            .fields
            .iter()
            .position(|f| f.field == Field::Account)?;
        follow_chart(coded, account, chart, on)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{AccountChange, ChartUpdate, UpdateRow};
    use crate::model::LinePrediction;

    fn id(s: &str) -> AccountId {
        AccountId::parse(s).unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn coded(source: Source, account: &str) -> Coded {
        Coded {
            source,
            labels: vec![Some(account.to_owned()), Some("1010".to_owned())],
            confidence: 0.99,
            support: 40.0,
            prediction: LinePrediction {
                fields: vec![],
                raw: 0.99,
                confidence: 0.99,
                support: 40.0,
                recent_change: false,
            },
        }
    }

    /// The model's accounts A–G and M; from 2027 A renamed, B merged, C split, D closed; E
    /// renamed in 2027 and its successor closed in 2028; G renamed in 2027, then merged in 2028.
    fn chart() -> Chart {
        let row = |line, account: &str, to: &str, change| UpdateRow {
            line,
            account: id(account),
            name: String::new(),
            valid_from: None,
            valid_to: Some(day(to)),
            change: Some(change),
        };
        let update = ChartUpdate::new(vec![
            row(
                2,
                "A",
                "2027-01-01",
                AccountChange::Renamed { to: id("A2") },
            ),
            row(
                3,
                "B",
                "2027-01-01",
                AccountChange::Merged { into: id("M") },
            ),
            row(
                4,
                "C",
                "2027-01-01",
                AccountChange::Split {
                    into: vec![id("C2"), id("C1")],
                },
            ),
            row(5, "D", "2027-01-01", AccountChange::Closed),
            row(
                6,
                "E",
                "2027-01-01",
                AccountChange::Renamed { to: id("E2") },
            ),
            row(7, "E2", "2028-01-01", AccountChange::Closed),
            row(
                8,
                "G",
                "2027-01-01",
                AccountChange::Renamed { to: id("G2") },
            ),
            row(
                9,
                "G2",
                "2028-01-01",
                AccountChange::Merged { into: id("M") },
            ),
        ])
        .unwrap();
        let base = ["A", "B", "C", "D", "E", "G", "M", "F"].map(id).into();
        update.apply(&base).unwrap()
    }

    fn follow(account: &str, on: &str) -> (Option<ChartEffect>, Option<String>) {
        let mut c = coded(Source::Model, account);
        let effect = follow_chart(&mut c, 0, &chart(), day(on));
        (effect, c.labels[0].clone())
    }

    #[test]
    fn each_kind_of_change_from_its_day_on() {
        // Before the update takes effect, nothing changes.
        for account in ["A", "B", "C", "D", "E"] {
            assert_eq!(
                follow(account, "2026-12-31"),
                (None, Some(account.to_owned()))
            );
        }
        assert_eq!(
            follow("A", "2027-01-01"),
            (
                Some(ChartEffect::Mapped {
                    from: id("A"),
                    to: id("A2"),
                    via: vec![ChangeKind::Renamed]
                }),
                Some("A2".to_owned())
            )
        );
        assert_eq!(
            follow("B", "2027-06-30"),
            (
                Some(ChartEffect::Mapped {
                    from: id("B"),
                    to: id("M"),
                    via: vec![ChangeKind::Merged]
                }),
                Some("M".to_owned())
            )
        );
        let (split, label) = follow("C", "2027-01-01");
        assert_eq!(
            split,
            Some(ChartEffect::Split {
                account: id("C"),
                candidates: vec![id("C1"), id("C2")]
            })
        );
        assert!(split.unwrap().needs_review());
        assert_eq!(label.as_deref(), Some("C"), "the suggestion stays");
        let (closed, label) = follow("D", "2027-01-01");
        assert_eq!(
            closed,
            Some(ChartEffect::Closed {
                account: id("D"),
                on: day("2027-01-01")
            })
        );
        assert_eq!(label.as_deref(), Some("D"));
        // Untouched and unknown accounts.
        assert_eq!(follow("F", "2030-01-01"), (None, Some("F".to_owned())));
        assert_eq!(follow("Z", "2030-01-01"), (None, Some("Z".to_owned())));
    }

    #[test]
    fn renamed_then_closed_is_mapped_until_the_successor_closes() {
        assert_eq!(
            follow("E", "2027-12-31").1.as_deref(),
            Some("E2"),
            "renamed in 2027"
        );
        assert_eq!(
            follow("E", "2028-01-01"),
            (
                Some(ChartEffect::Closed {
                    account: id("E"),
                    on: day("2028-01-01")
                }),
                Some("E".to_owned())
            )
        );
    }

    #[test]
    fn renamed_then_merged_follows_the_whole_chain() {
        assert_eq!(follow("G", "2027-06-01").1.as_deref(), Some("G2"));
        assert_eq!(
            follow("G", "2028-01-01").0,
            Some(ChartEffect::Mapped {
                from: id("G"),
                to: id("M"),
                via: vec![ChangeKind::Renamed, ChangeKind::Merged]
            })
        );
    }

    #[test]
    fn the_invoices_own_account_and_other_fields_are_left_alone() {
        let mut own = coded(Source::AccountingCost, "D");
        assert_eq!(follow_chart(&mut own, 0, &chart(), day("2027-06-01")), None);
        let mut rule = coded(Source::Rule, "A");
        let effect = follow_chart(&mut rule, 0, &chart(), day("2027-06-01")).unwrap();
        assert!(!effect.needs_review());
        assert_eq!(effect.account(), &id("A"));
        assert_eq!(
            rule.labels,
            vec![Some("A2".to_owned()), Some("1010".to_owned())]
        );
        let mut open = coded(Source::Model, "A");
        open.labels[0] = None;
        assert_eq!(
            follow_chart(&mut open, 0, &chart(), day("2027-06-01")),
            None
        );
        assert_eq!(
            follow_chart(&mut open, 7, &chart(), day("2027-06-01")),
            None
        );
    }
}
