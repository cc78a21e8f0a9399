//! Similar past invoices: for the most specific supplier keys, the few most recent invoices that
//! carried each of the key's most frequent codings, so the service can show controllers which
//! past invoices a prediction rests on.
//!
//! Invoice ids are stored once (interned), codings once; a key holds at most
//! [`MAX_CODINGS_PER_KEY`] groups of at most [`MAX_SIMILAR`] invoice numbers. Looking up a line
//! costs at most three hash lookups and is only done when a response is built.

use rustc_hash::FxHashMap;

use super::keys::{KeyKind, LineKeys};
use super::table::LabelId;

/// Key kinds searched for similar invoices, most specific first.
pub const SIMILAR_KINDS: [KeyKind; 3] = [
    KeyKind::SupplierUnitText,
    KeyKind::SupplierUnit,
    KeyKind::Supplier,
];
/// Invoice ids kept per (key, coding): the most recent.
pub const MAX_SIMILAR: usize = 3;
/// Codings kept per key: the most frequent.
pub const MAX_CODINGS_PER_KEY: usize = 8;
/// Fields a coding has at most (account, cost centre, VAT code).
pub const MAX_FIELDS: usize = 3;

/// Which past invoices carried which coding, per specific key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SimilarIndex {
    /// Label ids per coding (the model's number of fields).
    fields: usize,
    /// Invoice ids concatenated; id `i` ends at `ends[i]`.
    ids: String,
    ends: Vec<u32>,
    /// `fields` label ids per coding.
    codings: Vec<LabelId>,
    index: FxHashMap<u64, (u32, u32)>,
    groups: Vec<Group>,
}

/// One key's coding with its latest invoices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Group {
    coding: u32,
    invoices: [u32; MAX_SIMILAR],
    len: u8,
}

/// One key's groups, for serialisation: (coding number, invoice numbers most recent first),
/// most frequent coding first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimilarRow {
    pub key: u64,
    pub groups: Vec<(u32, Vec<u32>)>,
}

/// The invoice ids behind one coding of a line, most recent first (see [`SimilarIndex::find`]).
#[derive(Debug, Clone)]
pub struct SimilarInvoices<'a> {
    index: &'a SimilarIndex,
    invoices: [u32; MAX_SIMILAR],
    len: u8,
    pos: u8,
}

impl SimilarIndex {
    /// Number of fields per coding.
    pub fn fields(&self) -> usize {
        self.fields
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The interned invoice ids, in number order.
    pub fn invoice_ids(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.ends.len()).map(|i| self.id(i as u32))
    }

    /// The interned codings (label ids per field), in number order.
    pub fn codings(&self) -> impl ExactSizeIterator<Item = &[LabelId]> + '_ {
        self.codings.chunks_exact(self.fields.max(1))
    }

    /// The index's keys in key order, for serialisation.
    pub fn rows(&self) -> impl Iterator<Item = SimilarRow> + '_ {
        let mut keys: Vec<(u64, (u32, u32))> = self.index.iter().map(|(k, r)| (*k, *r)).collect();
        keys.sort_unstable();
        keys.into_iter().map(move |(key, (start, len))| SimilarRow {
            key,
            groups: self.groups[start as usize..(start + len) as usize]
                .iter()
                .map(|g| (g.coding, g.invoices[..usize::from(g.len)].to_vec()))
                .collect(),
        })
    }

    /// Rebuilds an index from its parts: invoice ids, codings (each `fields` label ids) and
    /// rows. Checks the structure (numbers in range, sizes within bounds, keys unique); label
    /// ids are the model's business.
    pub fn from_parts(
        fields: usize,
        invoice_ids: Vec<String>,
        codings: Vec<Vec<LabelId>>,
        rows: impl IntoIterator<Item = SimilarRow>,
    ) -> Result<SimilarIndex, &'static str> {
        if fields > MAX_FIELDS {
            return Err("a coding has more fields than a model predicts");
        }
        let mut index = SimilarIndex {
            fields,
            ..SimilarIndex::default()
        };
        for id in invoice_ids {
            if crate::cpr::contains(&id) {
                return Err("an invoice id holds a CPR number");
            }
            index.ids.push_str(&id);
            let end = u32::try_from(index.ids.len()).map_err(|_| "invoice ids are too long")?;
            index.ends.push(end);
        }
        for coding in codings {
            if coding.len() != fields {
                return Err("a coding's length is not the model's number of fields");
            }
            index.codings.extend(coding);
        }
        let n_codings = index.codings.len() / fields.max(1);
        for row in rows {
            if row.groups.is_empty() || row.groups.len() > MAX_CODINGS_PER_KEY {
                return Err("a key has no codings or more than a key keeps");
            }
            let start = index.groups.len() as u32;
            for (coding, invoices) in row.groups {
                if coding as usize >= n_codings {
                    return Err("a key names a coding that does not exist");
                }
                if invoices.is_empty() || invoices.len() > MAX_SIMILAR {
                    return Err("a coding has no invoices or more than a key keeps");
                }
                if invoices.iter().any(|&i| i as usize >= index.ends.len()) {
                    return Err("a key names an invoice that does not exist");
                }
                let mut group = Group {
                    coding,
                    invoices: [0; MAX_SIMILAR],
                    len: invoices.len() as u8,
                };
                group.invoices[..invoices.len()].copy_from_slice(&invoices);
                index.groups.push(group);
            }
            let len = index.groups.len() as u32 - start;
            if index.index.insert(row.key, (start, len)).is_some() {
                return Err("a key appears twice");
            }
        }
        Ok(index)
    }

    /// The invoices behind `coding` for a line with `keys`: those of the most specific key
    /// (see [`SIMILAR_KINDS`]) that has a past invoice with that coding, most recent first,
    /// never `exclude` (a line's own invoice). A `None` in `coding` matches any label; fields
    /// beyond the coding's length are `None`. Empty when no key knows the coding.
    pub fn find(
        &self,
        keys: &LineKeys,
        coding: &[Option<LabelId>],
        exclude: Option<&str>,
    ) -> SimilarInvoices<'_> {
        let exclude = exclude.map(crate::cpr::mask);
        let mut out = SimilarInvoices {
            index: self,
            invoices: [0; MAX_SIMILAR],
            len: 0,
            pos: 0,
        };
        for kind in SIMILAR_KINDS {
            let Some(&(start, len)) = keys.single[kind.index()].and_then(|k| self.index.get(&k))
            else {
                continue;
            };
            for g in &self.groups[start as usize..(start + len) as usize] {
                if !self.matches(g.coding, coding) {
                    continue;
                }
                for &inv in &g.invoices[..usize::from(g.len)] {
                    if exclude.as_deref() != Some(self.id(inv)) {
                        out.invoices[usize::from(out.len)] = inv;
                        out.len += 1;
                    }
                }
                if out.len > 0 {
                    return out;
                }
            }
        }
        out
    }

    fn matches(&self, coding: u32, wanted: &[Option<LabelId>]) -> bool {
        let stored = &self.codings[coding as usize * self.fields..][..self.fields];
        stored
            .iter()
            .zip(wanted.iter().chain(std::iter::repeat(&None)))
            .all(|(s, w)| w.is_none_or(|w| w == *s))
    }

    fn id(&self, i: u32) -> &str {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.ids[start..self.ends[i] as usize]
    }
}

impl<'a> Iterator for SimilarInvoices<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.pos >= self.len {
            return None;
        }
        let inv = self.invoices[usize::from(self.pos)];
        self.pos += 1;
        Some(self.index.id(inv))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = usize::from(self.len - self.pos);
        (n, Some(n))
    }
}

impl ExactSizeIterator for SimilarInvoices<'_> {}

/// Accumulates (keys, coding, invoice) observations in date order; [`SimilarBuilder::finish`]
/// makes the index.
#[derive(Debug, Default)]
pub struct SimilarBuilder {
    fields: usize,
    seen: FxHashMap<(u64, [LabelId; MAX_FIELDS]), Seen>,
}

#[derive(Debug, Default)]
struct Seen {
    lines: u32,
    /// Caller's invoice numbers, most recent first.
    recent: [u32; MAX_SIMILAR],
    len: u8,
}

impl SimilarBuilder {
    /// A builder for codings of `fields` labels (at most [`MAX_FIELDS`]).
    pub fn new(fields: usize) -> SimilarBuilder {
        assert!(
            fields <= MAX_FIELDS,
            "a coding has at most {MAX_FIELDS} fields"
        );
        SimilarBuilder {
            fields,
            seen: FxHashMap::default(),
        }
    }

    /// Adds one past line: its keys, its coding (one label per field) and its invoice, as the
    /// caller's number for it. Lines must come in date order: the last added is the most recent.
    pub fn add(&mut self, keys: &LineKeys, coding: &[LabelId], invoice: u32) {
        let mut c = [LabelId::MAX; MAX_FIELDS];
        c[..self.fields].copy_from_slice(&coding[..self.fields]);
        for kind in SIMILAR_KINDS {
            let Some(key) = keys.single[kind.index()] else {
                continue;
            };
            let s = self.seen.entry((key, c)).or_default();
            s.lines += 1;
            let len = usize::from(s.len);
            let at = s.recent[..len]
                .iter()
                .position(|&i| i == invoice)
                .unwrap_or(len.min(MAX_SIMILAR - 1));
            s.recent.copy_within(0..at, 1);
            s.recent[0] = invoice;
            s.len = s.len.max((at + 1) as u8);
        }
    }

    /// Builds the index; `invoice_ids[n]` is the id of the caller's invoice number `n` (stored
    /// with any CPR number masked).
    /// Deterministic: keys by hash, codings by frequency then label ids, ids and codings
    /// numbered in sorted order.
    pub fn finish(self, invoice_ids: &[&str]) -> SimilarIndex {
        let fields = self.fields;
        let mut all: Vec<(u64, [LabelId; MAX_FIELDS], Seen)> =
            self.seen.into_iter().map(|((k, c), s)| (k, c, s)).collect();
        all.sort_unstable_by(|a, b| {
            (a.0, std::cmp::Reverse(a.2.lines), a.1).cmp(&(b.0, std::cmp::Reverse(b.2.lines), b.1))
        });
        // Keep the most frequent codings of each key.
        let mut kept = Vec::with_capacity(all.len());
        let mut current: Option<(u64, usize)> = None;
        for e in all {
            let n = match current {
                Some((key, n)) if key == e.0 => n + 1,
                _ => 0,
            };
            current = Some((e.0, n));
            if n < MAX_CODINGS_PER_KEY {
                kept.push(e);
            }
        }
        // Ids as they are stored: a CPR number is masked (an export's reference may hold one).
        let stored = |n: u32| crate::cpr::mask(invoice_ids[n as usize]);
        let mut ids: Vec<String> = kept
            .iter()
            .flat_map(|e| e.2.recent[..usize::from(e.2.len)].iter())
            .map(|&n| stored(n).into_owned())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut codings: Vec<[LabelId; MAX_FIELDS]> = kept.iter().map(|e| e.1).collect();
        codings.sort_unstable();
        codings.dedup();
        let id_of = |n: u32| {
            ids.binary_search_by(|s| s.as_str().cmp(&stored(n)))
                .unwrap() as u32
        };
        let mut rows: Vec<SimilarRow> = Vec::new();
        for (key, coding, seen) in &kept {
            let group = (
                codings.binary_search(coding).unwrap() as u32,
                seen.recent[..usize::from(seen.len)]
                    .iter()
                    .map(|&n| id_of(n))
                    .collect(),
            );
            match rows.last_mut() {
                Some(row) if row.key == *key => row.groups.push(group),
                _ => rows.push(SimilarRow {
                    key: *key,
                    groups: vec![group],
                }),
            }
        }
        SimilarIndex::from_parts(
            fields,
            ids,
            codings.iter().map(|c| c[..fields].to_vec()).collect(),
            rows,
        )
        .expect("a built index is well formed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AmountBuckets, KeyScratch, LineEvidence};

    fn keys(supplier: &str, unit: &str, text: &str) -> LineKeys {
        let mut k = LineKeys::default();
        let line = LineEvidence {
            supplier: Some(supplier),
            unit: Some(unit),
            text,
            ..LineEvidence::default()
        };
        k.extract(&line, AmountBuckets::default(), &mut KeyScratch::default());
        k
    }

    fn ids<'a>(it: SimilarInvoices<'a>) -> Vec<&'a str> {
        it.collect()
    }

    #[test]
    fn the_most_specific_key_with_the_coding_gives_its_latest_invoices() {
        let names = ["I0", "I1", "I2", "I3", "I4", "I5"];
        let mut b = SimilarBuilder::new(2);
        // Supplier S at unit A: coding (1, 7) on I0..I3 (two lines on I3); at unit B: (2, 7).
        for (inv, unit, coding) in [
            (0, "A", [1, 7]),
            (1, "A", [1, 7]),
            (2, "A", [1, 7]),
            (3, "A", [1, 7]),
            (3, "A", [1, 7]),
            (4, "B", [2, 7]),
            (5, "B", [1, 7]),
        ] {
            b.add(&keys("S", unit, "mælk"), &coding, inv);
        }
        let index = b.finish(&names);
        let at_a = keys("S", "A", "mælk");
        assert_eq!(
            ids(index.find(&at_a, &[Some(1), Some(7)], None)),
            ["I3", "I2", "I1"]
        );
        // The line's own invoice is never among them.
        assert_eq!(
            ids(index.find(&at_a, &[Some(1), Some(7)], Some("I3"))),
            ["I2", "I1"]
        );
        // Coding (2, 7) is unknown at unit A: the supplier key has it.
        assert_eq!(ids(index.find(&at_a, &[Some(2), None], None)), ["I4"]);
        // A new unit and text: only the supplier key.
        let new_unit = keys("S", "C", "brød");
        assert_eq!(
            ids(index.find(&new_unit, &[Some(1), Some(7)], None)),
            ["I5", "I3", "I2"]
        );
        assert!(
            index
                .find(&keys("T", "A", "mælk"), &[Some(1), Some(7)], None)
                .next()
                .is_none()
        );
        assert!(
            index
                .find(&at_a, &[Some(9), Some(7)], None)
                .next()
                .is_none()
        );
        // I0 is no key's latest: only referenced ids are stored.
        assert_eq!(index.invoice_ids().count(), 5);
    }

    #[test]
    fn rows_round_trip_and_bad_parts_are_refused() {
        let mut b = SimilarBuilder::new(1);
        for i in 0..12u32 {
            b.add(&keys("S", "A", "x"), &[i % 10], i);
        }
        let names: Vec<String> = (0..12).map(|i| format!("F{i:02}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let index = b.finish(&names);
        let rows: Vec<SimilarRow> = index.rows().collect();
        assert!(rows.iter().all(|r| r.groups.len() == MAX_CODINGS_PER_KEY));
        let ids: Vec<String> = index.invoice_ids().map(str::to_owned).collect();
        let codings: Vec<Vec<u32>> = index.codings().map(<[u32]>::to_vec).collect();
        let again =
            SimilarIndex::from_parts(1, ids.clone(), codings.clone(), rows.clone()).unwrap();
        assert_eq!(again, index);
        let mut bad = rows.clone();
        bad[0].groups[0].1 = vec![99];
        assert!(SimilarIndex::from_parts(1, ids.clone(), codings.clone(), bad).is_err());
        let mut twice = rows.clone();
        twice.push(rows[0].clone());
        assert!(SimilarIndex::from_parts(1, ids.clone(), codings.clone(), twice).is_err());
        let cpr = vec!["010190-1234".to_owned()];
        assert!(SimilarIndex::from_parts(1, cpr, vec![], vec![]).is_err());
    }

    #[test]
    fn invoice_ids_are_stored_with_cpr_numbers_masked() {
        let mut b = SimilarBuilder::new(1);
        b.add(&keys("S", "A", "x"), &[0], 0);
        let index = b.finish(&["ref 010190-1234"]);
        let found = ids(index.find(&keys("S", "A", "x"), &[Some(0)], None));
        assert_eq!(found, ["ref XXXXXX-XXXX"]);
        let excluded = index.find(&keys("S", "A", "x"), &[Some(0)], Some("ref 010190-1234"));
        assert_eq!(excluded.count(), 0);
    }
}
