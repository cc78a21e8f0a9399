//! Mapping posted accounts onto the current chart, resolving splits by cost-centre evidence.
//!
//! Each distinct posted account is looked up in the chart once. A split account (several current
//! candidates) is resolved per cost centre from postings made on or after the split, i.e. already
//! on the new chart: if one candidate has at least 90% of those lines, it is the answer. A cost
//! centre with no such postings to any of a split's candidates is resolved by the side it took
//! in the other splits of the same day with as many candidates: the candidates are sorted, so in
//! a function split in two (`5.25.13-1-2.21` into `5.25.17-1-2.21` and `5.25.18-1-2.21`, and
//! alike for every other account of the function) the k-th candidate of each split is the same
//! new function. Without it, a unit whose first postings on the new chart happened to hit a few
//! of the function's accounts kept only the history of those, and the model learned that its
//! food was "other goods" (`benches/RESULTS.md`, "Where the automated errors of the generated
//! test year come from"). Reviewed
//! codings count as postings here; ERP postings a review set aside are mapped (to compare them
//! with the review) but are no evidence.

use std::collections::HashSet;
use std::collections::hash_map::Entry;

use chrono::NaiveDate;
use kontera_core::{AccountId, ChangeKind, Chart, Mapping};
use rustc_hash::FxHashMap;

use super::IngestError;
use super::join::{Joins, Postings, row};

/// Share of the evidence (in tenths) one candidate needs to resolve a split.
const RESOLVE_TENTHS: u64 = 9;

/// What a posted account is on the chart date.
#[derive(Debug)]
enum Outcome {
    /// One current account (index into `names`); `mapped` when it is not the posted account.
    Current {
        account: u32,
        mapped: bool,
    },
    /// Split into several current accounts on `split_on`.
    Ambiguous {
        candidates: Vec<u32>,
        split_on: NaiveDate,
    },
    Closed,
    Unknown,
    NotYetValid,
}

/// A posted account as the chart knows it.
#[derive(Debug)]
struct Posted {
    /// The account as posted, parsed (surrounding whitespace removed).
    id: String,
    outcome: Outcome,
}

/// The account a label gets, or why the line is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Resolution {
    Unchanged(u32),
    Mapped(u32),
    ResolvedByCostCentre(u32),
    Ambiguous,
    Closed,
    Unknown,
    NotYetValid,
}

/// Evidence for one (cost centre, current account): postings sorted by date, with the running
/// number of lines they cover.
#[derive(Debug, Default)]
struct Evidence {
    dates: Vec<(NaiveDate, u64)>,
}

impl Evidence {
    /// Lines posted on or after `day`.
    fn lines_since(&self, day: NaiveDate) -> u64 {
        let total = self.dates.last().map_or(0, |&(_, n)| n);
        let before = self.dates.partition_point(|&(d, _)| d < day);
        let earlier = before.checked_sub(1).map_or(0, |i| self.dates[i].1);
        total - earlier
    }
}

/// Posted accounts mapped onto the chart on one day, with the evidence to resolve splits.
#[derive(Debug)]
pub(super) struct AccountMap<'a> {
    posted: FxHashMap<&'a str, Posted>,
    /// Current accounts, interned.
    names: Vec<String>,
    evidence: FxHashMap<(&'a str, u32), Evidence>,
    /// Per (cost centre, split day, candidates of a split that day), the lines since the split
    /// posted to each candidate position, over every split of that day with as many candidates.
    sides: FxHashMap<(&'a str, NaiveDate, usize), Vec<u64>>,
    resolved: FxHashMap<(&'a str, &'a str), Resolution>,
}

impl<'a> AccountMap<'a> {
    /// Maps every account posted for an invoice in the window, and indexes the evidence.
    pub(super) fn build(
        postings: &Postings<'a>,
        chart: &Chart,
        as_of: NaiveDate,
        joins: &Joins,
        in_window: &[bool],
    ) -> Result<AccountMap<'a>, IngestError> {
        let mut map = AccountMap {
            posted: FxHashMap::default(),
            names: Vec::new(),
            evidence: FxHashMap::default(),
            sides: FxHashMap::default(),
            resolved: FxHashMap::default(),
        };
        let mut name_index: FxHashMap<String, u32> = FxHashMap::default();
        // Reviewed codings that join no line have no invoice, so are in no window.
        let window = |p: usize| {
            in_window
                .get(joins.posting_invoice[p] as usize)
                .copied()
                .unwrap_or(false)
        };
        for (p, posting) in postings.iter().enumerate() {
            if !window(p) {
                continue;
            }
            if let Entry::Vacant(slot) = map.posted.entry(posting.account.as_str()) {
                let id = AccountId::parse(&posting.account).map_err(|source| {
                    IngestError::InvalidAccount {
                        posting_id: posting.posting_id.clone(),
                        source,
                    }
                })?;
                let mut intern = |account: &AccountId| -> u32 {
                    let next = row(map.names.len());
                    *name_index
                        .entry(account.as_str().to_owned())
                        .or_insert_with(|| {
                            map.names.push(account.as_str().to_owned());
                            next
                        })
                };
                let outcome = match chart.current(&id, as_of) {
                    Mapping::Unchanged => Outcome::Current {
                        account: intern(&id),
                        mapped: false,
                    },
                    Mapping::Mapped { to, .. } => Outcome::Current {
                        account: intern(&to),
                        mapped: true,
                    },
                    Mapping::Ambiguous { candidates } => Outcome::Ambiguous {
                        candidates: candidates.iter().map(&mut intern).collect(),
                        split_on: split_date(chart, &id, &candidates, as_of),
                    },
                    Mapping::Closed { .. } => Outcome::Closed,
                    Mapping::Unknown => Outcome::Unknown,
                    Mapping::NotYetValid => Outcome::NotYetValid,
                };
                slot.insert(Posted {
                    id: id.as_str().to_owned(),
                    outcome,
                });
            }
        }

        // Evidence only for accounts that some split may resolve to.
        let mut candidate = vec![false; map.names.len()];
        for posted in map.posted.values() {
            if let Outcome::Ambiguous { candidates, .. } = &posted.outcome {
                for &c in candidates {
                    candidate[c as usize] = true;
                }
            }
        }
        if candidate.iter().any(|&c| c) {
            for (p, posting) in postings.iter().enumerate() {
                if !window(p) || joins.superseded.get(p).copied().unwrap_or(false) {
                    continue;
                }
                let Some(Posted {
                    outcome: Outcome::Current { account, .. },
                    ..
                }) = map.posted.get(posting.account.as_str())
                else {
                    continue;
                };
                if !candidate[*account as usize] {
                    continue;
                }
                let lines = match posting.line_no {
                    Some(_) => 1,
                    None => u64::from(joins.lines_on_invoice(joins.posting_invoice[p])),
                };
                map.evidence
                    .entry((posting.cost_centre.as_str(), *account))
                    .or_default()
                    .dates
                    .push((posting.posting_date, lines));
            }
            for evidence in map.evidence.values_mut() {
                evidence.dates.sort_unstable_by_key(|&(d, _)| d);
                let mut running = 0;
                for entry in &mut evidence.dates {
                    running += entry.1;
                    entry.1 = running;
                }
            }
            map.sides = sides(&map.posted, &map.evidence);
        }
        Ok(map)
    }

    /// The account `posted` (as posted, on a posting in the window) is on the chart date, for a
    /// line of cost centre `cost_centre`.
    pub(super) fn resolve(&mut self, posted: &'a str, cost_centre: &'a str) -> Resolution {
        let Some(entry) = self.posted.get(posted) else {
            // Every posting in the window was mapped in `build`.
            return Resolution::Unknown;
        };
        match &entry.outcome {
            Outcome::Current {
                account,
                mapped: false,
            } => Resolution::Unchanged(*account),
            Outcome::Current {
                account,
                mapped: true,
            } => Resolution::Mapped(*account),
            Outcome::Closed => Resolution::Closed,
            Outcome::Unknown => Resolution::Unknown,
            Outcome::NotYetValid => Resolution::NotYetValid,
            Outcome::Ambiguous {
                candidates,
                split_on,
            } => *self
                .resolved
                .entry((posted, cost_centre))
                .or_insert_with(|| {
                    let sides = self
                        .sides
                        .get(&(cost_centre, *split_on, candidates.len()))
                        .map(Vec::as_slice);
                    by_cost_centre(&self.evidence, candidates, *split_on, cost_centre, sides)
                }),
        }
    }

    /// The posted account, parsed.
    pub(super) fn posted_id<'b>(&'b self, posted: &'b str) -> &'b str {
        self.posted.get(posted).map_or(posted, |p| p.id.as_str())
    }

    /// The current account with index `account`.
    pub(super) fn name(&self, account: u32) -> &str {
        &self.names[account as usize]
    }
}

/// The candidate that the cost centre's lines since the split use (≥ 90% of them), if any; when
/// it posted to none of them, the candidate on the side (position) that its lines since the
/// split use in the other splits of that day (`sides`, see [`sides`]), alike.
fn by_cost_centre(
    evidence: &FxHashMap<(&str, u32), Evidence>,
    candidates: &[u32],
    split_on: NaiveDate,
    cost_centre: &str,
    sides: Option<&[u64]>,
) -> Resolution {
    let lines: Vec<u64> = candidates
        .iter()
        .map(|&c| {
            evidence
                .get(&(cost_centre, c))
                .map_or(0, |e| e.lines_since(split_on))
        })
        .collect();
    if lines.iter().all(|&n| n == 0) {
        return by_side(candidates, sides);
    }
    resolved_by(candidates, &lines)
}

/// The candidate at the position with at least 90% of `sides`' lines, if any.
fn by_side(candidates: &[u32], sides: Option<&[u64]>) -> Resolution {
    match sides {
        Some(sides) if sides.len() == candidates.len() => resolved_by(candidates, sides),
        _ => Resolution::Ambiguous,
    }
}

/// The candidate whose position holds at least 90% of `lines` (one count per candidate, in
/// order; the first of equals), else ambiguous; ambiguous too when there are no lines.
fn resolved_by(candidates: &[u32], lines: &[u64]) -> Resolution {
    let total: u64 = lines.iter().sum();
    match lines
        .iter()
        .enumerate()
        .max_by_key(|&(k, n)| (n, std::cmp::Reverse(k)))
    {
        Some((k, &n)) if n > 0 && n * 10 >= total * RESOLVE_TENTHS => {
            Resolution::ResolvedByCostCentre(candidates[k])
        }
        _ => Resolution::Ambiguous,
    }
}

/// Per (cost centre, split day, number of candidates): the lines each cost centre posted since
/// the split to the candidate at each position, summed over the splits of that day with that
/// many candidates (each candidate account counted once per position it holds).
fn sides<'a>(
    posted: &FxHashMap<&'a str, Posted>,
    evidence: &FxHashMap<(&'a str, u32), Evidence>,
) -> FxHashMap<(&'a str, NaiveDate, usize), Vec<u64>> {
    let mut positions: FxHashMap<u32, Vec<(NaiveDate, usize, usize)>> = FxHashMap::default();
    for p in posted.values() {
        if let Outcome::Ambiguous {
            candidates,
            split_on,
        } = &p.outcome
        {
            for (k, &c) in candidates.iter().enumerate() {
                let side = (*split_on, candidates.len(), k);
                let held = positions.entry(c).or_default();
                if !held.contains(&side) {
                    held.push(side);
                }
            }
        }
    }
    let mut sides: FxHashMap<(&str, NaiveDate, usize), Vec<u64>> = FxHashMap::default();
    for (&(cost_centre, account), e) in evidence {
        for &(day, n, k) in positions.get(&account).into_iter().flatten() {
            let lines = e.lines_since(day);
            if lines > 0 {
                sides
                    .entry((cost_centre, day, n))
                    .or_insert_with(|| vec![0; n])[k] += lines;
            }
        }
    }
    sides
}

/// The day `account` was split: the earliest split on its way to the current chart. Falls back
/// to the earliest day from which all candidates exist.
fn split_date(
    chart: &Chart,
    account: &AccountId,
    candidates: &[AccountId],
    as_of: NaiveDate,
) -> NaiveDate {
    let mut stack = vec![account];
    let mut seen: HashSet<&AccountId> = HashSet::new();
    let mut earliest: Option<NaiveDate> = None;
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let Some(entry) = chart.get(id) else {
            continue;
        };
        let (Some(change), Some(valid_to)) = (&entry.change, entry.valid_to) else {
            continue;
        };
        if valid_to > as_of {
            continue;
        }
        if change.kind() == ChangeKind::Split {
            earliest = Some(earliest.map_or(valid_to, |d| d.min(valid_to)));
        }
        stack.extend(change.successors());
    }
    earliest.unwrap_or_else(|| {
        candidates
            .iter()
            .filter_map(|c| chart.get(c).map(|e| e.valid_from))
            .max()
            .unwrap_or(as_of)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 1, d).unwrap()
    }

    /// Evidence from (day, lines) postings, accumulated as `build` does.
    fn evidence(postings: &[(u32, u64)]) -> Evidence {
        let mut running = 0;
        Evidence {
            dates: postings
                .iter()
                .map(|&(d, n)| {
                    running += n;
                    (day(d), running)
                })
                .collect(),
        }
    }

    /// A cost centre, an account, and the (day, lines) it posted to the account.
    type Row = (&'static str, u32, &'static [(u32, u64)]);

    /// Each (cost centre, account)'s evidence from its postings.
    fn index(rows: &[Row]) -> FxHashMap<(&'static str, u32), Evidence> {
        rows.iter()
            .map(|&(cost_centre, account, postings)| ((cost_centre, account), evidence(postings)))
            .collect()
    }

    #[test]
    fn evidence_counts_lines_on_or_after_a_day() {
        let e = evidence(&[(1, 2), (5, 3), (5, 1), (9, 4)]);
        assert_eq!(e.lines_since(day(1)), 10);
        assert_eq!(e.lines_since(day(5)), 8);
        assert_eq!(e.lines_since(day(6)), 4);
        assert_eq!(e.lines_since(day(10)), 0);
        assert_eq!(Evidence::default().lines_since(day(1)), 0);
    }

    #[test]
    fn one_candidate_needs_ninety_percent_of_the_lines_since_the_split() {
        let index = index(&[
            ("A", 0, &[(2, 9)]),
            ("A", 1, &[(2, 1)]),
            ("B", 0, &[(2, 8)]),
            ("B", 1, &[(2, 2)]),
            // Before the split only: no evidence.
            ("C", 1, &[(1, 5)]),
        ]);
        let resolve = |cc| by_cost_centre(&index, &[0, 1], day(2), cc, None);
        assert_eq!(resolve("A"), Resolution::ResolvedByCostCentre(0));
        assert_eq!(resolve("B"), Resolution::Ambiguous);
        assert_eq!(resolve("C"), Resolution::Ambiguous);
        assert_eq!(resolve("D"), Resolution::Ambiguous);
    }

    #[test]
    fn a_cost_centre_without_postings_to_a_splits_candidates_takes_its_side_in_the_others() {
        // Splits of one day, each into two: X into 0 and 1, Y into 2 and 3. Cost centre A posted
        // since then to 1 (the second side of X) only, B to both sides alike.
        let index = index(&[
            ("A", 1, &[(2, 6)]),
            ("B", 0, &[(2, 3)]),
            ("B", 1, &[(3, 3)]),
        ]);
        let posted: FxHashMap<&str, Posted> = [("X", [0, 1]), ("Y", [2, 3])]
            .into_iter()
            .map(|(id, candidates)| {
                let outcome = Outcome::Ambiguous {
                    candidates: candidates.to_vec(),
                    split_on: day(2),
                };
                (
                    id,
                    Posted {
                        id: id.to_owned(),
                        outcome,
                    },
                )
            })
            .collect();
        let sides = sides(&posted, &index);
        let resolve = |cc| {
            let s = sides.get(&(cc, day(2), 2)).map(Vec::as_slice);
            by_cost_centre(&index, &[2, 3], day(2), cc, s)
        };
        // A's Y lines go to Y's second side; B's stay ambiguous, as do a stranger's.
        assert_eq!(resolve("A"), Resolution::ResolvedByCostCentre(3));
        assert_eq!(resolve("B"), Resolution::Ambiguous);
        assert_eq!(resolve("C"), Resolution::Ambiguous);
        // Sides of splits into another number of candidates say nothing.
        assert_eq!(
            by_side(&[4, 5, 6], sides.get(&("A", day(2), 2)).map(Vec::as_slice)),
            Resolution::Ambiguous
        );
        // A's own postings to X's candidates still decide X.
        let x = sides.get(&("A", day(2), 2)).map(Vec::as_slice);
        assert_eq!(
            by_cost_centre(&index, &[0, 1], day(2), "A", x),
            Resolution::ResolvedByCostCentre(1)
        );
    }
}
