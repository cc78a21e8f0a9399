//! The evidence table of one field: for every key seen in training, how many past lines had it
//! and the labels they were coded with (the most frequent few, with their weighted counts).

use rustc_hash::FxHashMap;

/// Labels kept per key; rarer ones only count towards the key's total.
pub const MAX_LABELS_PER_KEY: usize = 8;

/// A label's index into the model's label list for a field.
pub type LabelId = u32;

/// Key → (total weight, top labels with weights).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvidenceTable {
    index: FxHashMap<u64, u32>,
    entries: Vec<Entry>,
    labels: Vec<LabelCount>,
}

/// One label of a key's entry with its weight, and `ln(1 + weight)` beside it (computed when
/// the table is built or loaded, not stored), so that scoring reads both from one place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelCount {
    pub label: LabelId,
    pub count: f32,
    pub count_ln: f32,
}

impl LabelCount {
    fn new(label: LabelId, count: f32) -> LabelCount {
        LabelCount {
            label,
            count,
            count_ln: count.ln_1p(),
        }
    }
}

/// One key's entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry {
    /// The key, so that an entry number can be checked against it (see
    /// [`EvidenceTable::find_hinted`]).
    key: u64,
    /// Total weight of past lines with this key (all labels).
    pub total: f32,
    /// `ln(1 + total)`, computed once (not stored in the artifact).
    total_ln: f32,
    /// The largest count, computed once (not stored in the artifact).
    best: f32,
    start: u32,
    len: u32,
    recency: Recency,
}

/// The most recent use of a key: its label and day, and the label used the time before — so a
/// line that is itself the latest use can be scored as if it were not there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Recency {
    pub last: Option<LabelId>,
    /// Days since the common era of the last use.
    pub last_day: i32,
    pub previous: Option<LabelId>,
}

/// One key's row, for serialisation.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    pub key: u64,
    pub total: f32,
    pub recency: Recency,
    pub labels: Vec<(LabelId, f32)>,
}

/// What the table says about one key.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeyEvidence<'a> {
    pub total: f32,
    /// `ln(1 + total)`.
    pub total_ln: f32,
    /// The largest count of a label, at least `f32::MIN_POSITIVE` (see [`best_count`]).
    pub best: f32,
    pub recency: Recency,
    /// Most frequent first; ties by label id.
    pub labels: &'a [LabelCount],
}

/// The largest of `counts`, at least `f32::MIN_POSITIVE` (so that a label with no weight left is
/// never a key's most frequent one). Kept with each entry; scoring a line with its own weight
/// taken out computes it again from the adjusted counts.
pub fn best_count(counts: impl Iterator<Item = f32>) -> f32 {
    counts.fold(0.0, f32::max).max(f32::MIN_POSITIVE)
}

impl KeyEvidence<'_> {
    /// The weight of `label` under this key (0 if it is not among the kept labels).
    pub fn count(&self, label: LabelId) -> f32 {
        self.labels
            .iter()
            .find(|l| l.label == label)
            .map_or(0.0, |l| l.count)
    }
}

/// Accumulates (key, label, weight, day) observations; [`TableBuilder::finish`] makes the table.
#[derive(Debug, Default)]
pub struct TableBuilder {
    counts: FxHashMap<(u64, LabelId), f32>,
    recency: FxHashMap<u64, Recency>,
}

impl TableBuilder {
    /// Adds one past line's label under `key`. Lines should come in date order, so that the
    /// recency of a key is its latest use (for equal days, the later added wins).
    pub fn add(&mut self, key: u64, label: LabelId, weight: f32, day: i32) {
        *self.counts.entry((key, label)).or_insert(0.0) += weight;
        let r = self.recency.entry(key).or_default();
        if r.last.is_none() || day >= r.last_day {
            r.previous = r.last;
            r.last = Some(label);
            r.last_day = day;
        }
    }

    /// Builds the table; deterministic whatever the order observations came in (up to float
    /// summation order, which callers keep fixed by adding in data order).
    pub fn finish(self) -> EvidenceTable {
        let mut pairs: Vec<(u64, LabelId, f32)> = self
            .counts
            .into_iter()
            .map(|((k, l), c)| (k, l, c))
            .collect();
        // By key, then most frequent first, then label id.
        pairs.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.2.total_cmp(&a.2)).then(a.1.cmp(&b.1)));
        let mut table = EvidenceTable::default();
        let mut i = 0;
        while i < pairs.len() {
            let key = pairs[i].0;
            let end = i + pairs[i..].iter().take_while(|p| p.0 == key).count();
            let total: f32 = pairs[i..end].iter().map(|p| p.2).sum();
            let start = table.labels.len() as u32;
            table.labels.extend(
                pairs[i..end]
                    .iter()
                    .take(MAX_LABELS_PER_KEY)
                    .map(|p| LabelCount::new(p.1, p.2)),
            );
            let len = table.labels.len() as u32 - start;
            table.index.insert(key, table.entries.len() as u32);
            let recency = self.recency.get(&key).copied().unwrap_or_default();
            table.entries.push(Entry {
                key,
                total,
                total_ln: total.ln_1p(),
                best: table.best_of(start),
                start,
                len,
                recency,
            });
            i = end;
        }
        table
    }
}

impl EvidenceTable {
    pub fn get(&self, key: u64) -> Option<KeyEvidence<'_>> {
        self.find(key).map(|entry| self.entry(entry))
    }

    /// The entry number of a key, to look its evidence up again with [`EvidenceTable::entry`]
    /// without hashing twice.
    pub fn find(&self, key: u64) -> Option<u32> {
        self.index.get(&key).copied()
    }

    /// The entry number of a key, trying `hint` first: tables built from the same lines (the
    /// model's heads) hold the same keys in the same order, so another table's entry number for
    /// the key usually is this one's, and checking it costs no hashing. A wrong hint only costs
    /// the ordinary lookup.
    pub fn find_hinted(&self, key: u64, hint: u32) -> Option<u32> {
        match self.entries.get(hint as usize) {
            Some(e) if e.key == key => Some(hint),
            _ => self.find(key),
        }
    }

    /// The evidence of an entry number from [`EvidenceTable::find`].
    pub fn entry(&self, entry: u32) -> KeyEvidence<'_> {
        let e = self.entries[entry as usize];
        KeyEvidence {
            total: e.total,
            total_ln: e.total_ln,
            best: e.best,
            recency: e.recency,
            labels: &self.labels[e.start as usize..(e.start + e.len) as usize],
        }
    }

    /// [`best_count`] of the labels from `start` on (an entry's, as it is being added).
    fn best_of(&self, start: u32) -> f32 {
        best_count(self.labels[start as usize..].iter().map(|l| l.count))
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The table's contents in key order, for serialisation.
    pub fn rows(&self) -> impl Iterator<Item = TableRow> + '_ {
        let mut keys: Vec<(u64, u32)> = self.index.iter().map(|(k, i)| (*k, *i)).collect();
        keys.sort_unstable();
        keys.into_iter().map(move |(key, i)| {
            let e = self.entries[i as usize];
            TableRow {
                key,
                total: e.total,
                recency: e.recency,
                labels: self.labels[e.start as usize..(e.start + e.len) as usize]
                    .iter()
                    .map(|l| (l.label, l.count))
                    .collect(),
            }
        })
    }

    /// Rebuilds a table from [`EvidenceTable::rows`]' output. Errors on a repeated key or more
    /// than [`MAX_LABELS_PER_KEY`] labels for a key.
    pub fn from_rows(
        rows: impl IntoIterator<Item = TableRow>,
    ) -> Result<EvidenceTable, &'static str> {
        let mut table = EvidenceTable::default();
        for row in rows {
            if row.labels.len() > MAX_LABELS_PER_KEY {
                return Err("a key has more labels than a table keeps");
            }
            let start = table.labels.len() as u32;
            table
                .labels
                .extend(row.labels.into_iter().map(|(l, c)| LabelCount::new(l, c)));
            let len = table.labels.len() as u32 - start;
            if table
                .index
                .insert(row.key, table.entries.len() as u32)
                .is_some()
            {
                return Err("a key appears twice in a table");
            }
            table.entries.push(Entry {
                key: row.key,
                total: row.total,
                total_ln: row.total.ln_1p(),
                best: table.best_of(start),
                start,
                len,
                recency: row.recency,
            });
        }
        Ok(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(e: KeyEvidence<'_>) -> Vec<(LabelId, f32)> {
        e.labels.iter().map(|l| (l.label, l.count)).collect()
    }

    #[test]
    fn counts_are_summed_sorted_and_capped() {
        let mut b = TableBuilder::default();
        for label in 0..12u32 {
            for _ in 0..=label {
                b.add(7, label, 1.0, 0);
            }
        }
        b.add(9, 3, 2.5, 0);
        let t = b.finish();
        let e = t.get(7).unwrap();
        assert_eq!(e.total, (1..=12).sum::<u32>() as f32);
        assert_eq!(e.labels.len(), MAX_LABELS_PER_KEY);
        assert_eq!((e.labels[0].label, e.labels[0].count), (11, 12.0));
        // At run time, as the table computed it (a constant could be folded more precisely).
        let ln_1p = |x: f32| std::hint::black_box(x).ln_1p();
        assert_eq!(e.labels[0].count_ln, ln_1p(12.0));
        assert_eq!(e.count(4), 5.0);
        assert_eq!(e.count(0), 0.0, "rare labels only count towards the total");
        assert_eq!(pairs(t.get(9).unwrap()), [(3, 2.5)]);
        assert!(t.get(8).is_none());
    }

    #[test]
    fn ties_are_broken_by_label_recency_is_kept_and_rows_round_trip() {
        let mut b = TableBuilder::default();
        b.add(1, 5, 1.0, 10);
        b.add(1, 2, 1.0, 12);
        let t = b.finish();
        assert_eq!(pairs(t.get(1).unwrap()), [(2, 1.0), (5, 1.0)]);
        let recency = Recency {
            last: Some(2),
            last_day: 12,
            previous: Some(5),
        };
        assert_eq!(t.get(1).unwrap().recency, recency);
        assert_eq!(EvidenceTable::from_rows(t.rows()).unwrap(), t);
        let row = TableRow {
            key: 1,
            total: 1.0,
            recency: Recency::default(),
            labels: vec![],
        };
        assert!(EvidenceTable::from_rows(vec![row.clone(), row]).is_err());
    }
}
