//! The invoices the two models decide differently: one automates at its own threshold for the
//! verdict's target (as the service would decide) and the other does not, or they code some line
//! differently; with both codings and the truth per line.

use std::collections::BTreeMap;

use kontera_core::cpr;
use kontera_core::model::Field;

use super::figures::Run;
use crate::example::Example;

/// How two decisions on an invoice differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DifferenceKind {
    /// The champion automates it and the challenger does not.
    OnlyChampionAutomates,
    /// The challenger automates it and the champion does not.
    OnlyChallengerAutomates,
    /// Both automate it or neither does, but they code some line differently.
    CodedDifferently,
}

impl DifferenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DifferenceKind::OnlyChampionAutomates => "only_champion_automates",
            DifferenceKind::OnlyChallengerAutomates => "only_challenger_automates",
            DifferenceKind::CodedDifferently => "coded_differently",
        }
    }
}

/// One model's decision on an invoice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    /// Automated at the model's own threshold for the verdict's target.
    pub automated: bool,
    /// The invoice's confidence: the product of its lines' (0 when support is too low).
    pub confidence: f32,
    /// Every field the model predicts right on every line.
    pub right: bool,
}

/// One line of an invoice decided differently: per compared field, the truth and both codings.
#[derive(Debug, Clone, PartialEq)]
pub struct LineCodings {
    /// The line's text, CPR numbers masked.
    pub text: String,
    pub truth: Vec<Option<String>>,
    pub champion: Vec<Option<String>>,
    pub challenger: Vec<Option<String>>,
}

/// An invoice the two models decide differently.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub invoice: String,
    pub area: String,
    pub kind: DifferenceKind,
    pub champion: Decision,
    pub challenger: Decision,
    /// Its lines, in the compared lines' order.
    pub lines: Vec<LineCodings>,
}

/// Every invoice of `test` the runs `a` (champion) and `b` (challenger) decide differently,
/// decision differences first, each kind in invoice order. Codings are compared over `fields`.
pub(super) fn find<E: Example>(
    test: &[E],
    areas: &BTreeMap<&str, &str>,
    fields: &[Field],
    a: &Run<'_>,
    b: &Run<'_>,
) -> Vec<Difference> {
    let mut lines_of: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, line) in test.iter().enumerate() {
        lines_of.entry(line.invoice()).or_default().push(i);
    }
    let mut found = Vec::new();
    for (&invoice, lines) in &lines_of {
        let (champion, challenger) = (decision(a, invoice), decision(b, invoice));
        let coded_differently = lines
            .iter()
            .any(|&i| fields.iter().any(|&f| a.label(i, f) != b.label(i, f)));
        let kind = match (champion.automated, challenger.automated) {
            (true, false) => DifferenceKind::OnlyChampionAutomates,
            (false, true) => DifferenceKind::OnlyChallengerAutomates,
            _ if coded_differently => DifferenceKind::CodedDifferently,
            _ => continue,
        };
        let owned = |labels: Vec<Option<&str>>| -> Vec<Option<String>> {
            labels.into_iter().map(|l| l.map(str::to_owned)).collect()
        };
        found.push(Difference {
            invoice: invoice.to_owned(),
            area: areas[invoice].to_owned(),
            kind,
            champion,
            challenger,
            lines: lines
                .iter()
                .map(|&i| LineCodings {
                    text: cpr::mask(test[i].evidence().text).into_owned(),
                    truth: owned(fields.iter().map(|&f| test[i].label(f)).collect()),
                    champion: owned(fields.iter().map(|&f| a.label(i, f)).collect()),
                    challenger: owned(fields.iter().map(|&f| b.label(i, f)).collect()),
                })
                .collect(),
        });
    }
    // Stable: each kind stays in invoice order.
    found.sort_by_key(|d| d.kind);
    found
}

fn decision(run: &Run<'_>, invoice: &str) -> Decision {
    let o = run.outcomes[invoice];
    Decision {
        automated: o.confidence >= run.decision_threshold(),
        confidence: o.confidence,
        right: o.right,
    }
}
