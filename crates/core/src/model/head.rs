//! One field's predictor (account, cost centre or VAT code): candidate labels from the evidence
//! table, a feature vector per candidate, and a learned linear score turned into probabilities.
//!
//! For every key kind the features of a candidate label are: its share of the key's past lines,
//! whether it is the key's most frequent label, the log of its count, whether it is the label the
//! key was last used with (codings drift; the latest use is the best guide), and its share
//! weighted by the log of the key's size (a share of many lines says more than one of few). Words are averaged over
//! the line's words. Then the label's overall frequency. The weights say how far to trust each
//! kind of evidence; they are learned (see [`super::fit`]).
//!
//! Besides the candidates there is always an "other" row (only its own bias feature set): the
//! chance that the right label is none of the candidates. So a lone candidate backed by weak
//! evidence gets a probability well below 1, and lines whose right label was never seen teach
//! the model how often that happens. The "other" row also carries, per key kind, whether the
//! line's key is new: a unit with no history makes every candidate less certain.

use super::keys::{KeyKind, LineKeys};
use super::table::{self, EvidenceTable, KeyEvidence, LabelCount, LabelId};

/// Features per key kind.
pub(crate) const PER_KIND: usize = 5;
/// Length of a candidate's feature vector: per-kind features, the label prior, the "other" bias,
/// and per kind whether the line's key is new (only set on the "other" row).
pub const FEATURES: usize = KeyKind::COUNT * PER_KIND + 2 + KeyKind::COUNT;
/// Index of the label-prior feature.
const PRIOR: usize = KeyKind::COUNT * PER_KIND;
// A row's kinds are one bit each of a `u16` (see [`HeadScratch`]).
const _: () = assert!(KeyKind::COUNT <= 16);
/// Index of the "other" row's bias feature.
pub const OTHER: usize = PRIOR + 1;
/// Index of the first novelty feature: the line has a key of this kind that was never seen
/// (a new supplier, a unit with no history, ...), which makes "none of these" more likely.
const NOVEL: usize = OTHER + 1;
/// Key kinds of the models written before the invoice's account string became evidence (model
/// format 3 and earlier): every kind before [`KeyKind::SupplierAccountingCost`].
pub const KINDS_BEFORE_ACCOUNTING_COST: usize = KeyKind::SupplierAccountingCost as usize;

/// The weights of a model fitted with the first `kinds` key kinds only, laid out for today's
/// kinds: each later kind gets zero weights, so it changes no score (a model that never saw a
/// kind also has no table rows for it). `None` if `old` is not that long.
pub fn widen_weights(old: &[f32], kinds: usize) -> Option<[f32; FEATURES]> {
    if kinds > KeyKind::COUNT || old.len() != kinds * PER_KIND + 2 + kinds {
        return None;
    }
    let mut w = [0.0f32; FEATURES];
    let (per_kind, rest) = old.split_at(kinds * PER_KIND);
    let (prior_other, novel) = rest.split_at(2);
    w[..per_kind.len()].copy_from_slice(per_kind);
    w[PRIOR..NOVEL].copy_from_slice(prior_other);
    w[NOVEL..NOVEL + kinds].copy_from_slice(novel);
    Some(w)
}

/// Candidates considered per line, at most.
pub const MAX_CANDIDATES: usize = 24;

/// A fitted predictor for one field.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    pub table: EvidenceTable,
    /// `ln(1 + count)` of each label over the training data.
    pub prior: Vec<f32>,
    pub weights: [f32; FEATURES],
}

/// The line's own contribution, removed when scoring a training line (leave-one-out), so that
/// a line is never its own evidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exclude {
    pub label: LabelId,
    pub weight: f32,
    /// The line's day (days since the common era), to undo it as a key's latest use.
    pub day: i32,
}

/// Reusable buffers for scoring one line.
#[derive(Debug, Default, Clone)]
pub struct HeadScratch {
    /// The line's keys with their table entries (`None`: never seen).
    found: Vec<(KeyKind, Option<u32>)>,
    /// Candidate labels, in the order found.
    pub candidates: Vec<LabelId>,
    /// `(candidates.len() + 1) × FEATURES`, row-major; the last row is "other".
    pub features: Vec<f32>,
    /// Per row of `features`, the key kinds whose features are set (bit `kind.index()`): on a
    /// candidate row its per-kind features, on the "other" row its novelty features. The
    /// features of the other kinds are zero, so the score skips them.
    kinds: Vec<u16>,
    /// Per candidate: the largest count under a specific key (its support).
    pub support: Vec<f32>,
    /// (label, probability, support), most probable first.
    pub ranked: Vec<(LabelId, f32, f32)>,
    scores: Vec<f32>,
    /// Per candidate its sort key (see [`Head::score_hinted`]), to rank them.
    order: Vec<u64>,
    /// Per label id, its index in `candidates` (`NONE`: not a candidate); all `NONE` between
    /// calls. Finds a label's candidate without searching the candidates.
    slots: Vec<u8>,
}

/// A label that is no candidate, in [`HeadScratch::slots`].
const NONE: u8 = u8::MAX;

impl HeadScratch {
    /// The table entry of the line's key of `kind` found by the last [`Head::features`] or
    /// [`Head::score`] (`None`: the line has no such key, or it was never seen).
    pub fn entry_of(&self, kind: KeyKind) -> Option<u32> {
        self.found
            .iter()
            .find(|(k, _)| *k == kind)
            .and_then(|&(_, e)| e)
    }

    /// Sets `slots` back to all `NONE`.
    fn clear_slots(&mut self) {
        for &label in &self.candidates {
            self.slots[label as usize] = NONE;
        }
    }
}

impl Head {
    /// Finds the candidates of a line and their features into `scratch`.
    pub fn features(&self, keys: &LineKeys, exclude: Option<Exclude>, scratch: &mut HeadScratch) {
        self.features_hinted(keys, None, exclude, scratch);
    }

    /// [`Head::features`], trying first the table entries another head found for the same keys
    /// (`hint`, after its own `features` or `score` of `keys`): the heads' tables are built from
    /// the same lines, so a key usually has the same entry number in each, and checking it is
    /// cheaper than hashing again. The result does not depend on the hint.
    pub fn features_hinted(
        &self,
        keys: &LineKeys,
        hint: Option<&HeadScratch>,
        exclude: Option<Exclude>,
        scratch: &mut HeadScratch,
    ) {
        self.fill(keys, hint, exclude, scratch);
        scratch.clear_slots();
    }

    /// [`Head::features_hinted`], leaving `scratch.slots` set for the candidates.
    ///
    /// One pass over the keys' labels: a key's labels first become candidates (in key order,
    /// then label order, at most [`MAX_CANDIDATES`]), then give the candidates their features
    /// under that key. A key's features only concern its own labels, so the candidates and
    /// features are those of finding all candidates first and then the features.
    fn fill(
        &self,
        keys: &LineKeys,
        hint: Option<&HeadScratch>,
        exclude: Option<Exclude>,
        scratch: &mut HeadScratch,
    ) {
        self.find_entries(keys, hint, scratch);
        scratch.candidates.clear();
        scratch.features.clear();
        scratch.kinds.clear();
        scratch.support.clear();
        // The "other" row's novelty features and kinds, until its place (after the last
        // candidate) is known.
        let mut novel = [0.0f32; KeyKind::COUNT];
        let mut novel_kinds = 0u16;
        let words = keys.words.len().max(1) as f32;
        for i in 0..scratch.found.len() {
            let (kind, entry) = scratch.found[i];
            let ev = entry.map(|e| self.table.entry(e));
            if let Some(ev) = &ev {
                add_candidates(ev, exclude, scratch);
            }
            let scale = if kind == KeyKind::Word {
                1.0 / words
            } else {
                1.0
            };
            let bit = 1u16 << kind.index();
            let seen = ev.filter(|ev| ev.total - exclude.map_or(0.0, |e| e.weight) > 1e-6);
            let Some(ev) = seen else {
                novel[kind.index()] += scale;
                novel_kinds |= bit;
                continue;
            };
            // ln(1 + total) was computed with the table, unless this line's own weight is taken
            // out of the total.
            let (total, total_ln) = match exclude {
                None => (ev.total, ev.total_ln),
                Some(e) => {
                    let total = (ev.total - e.weight).max(0.0);
                    (total, total.ln_1p())
                }
            };
            let best = best_count(&ev, exclude);
            let last = last_label(&ev, exclude);
            // Each label of the entry once (labels are unique in an entry); those that are no
            // candidate (beyond MAX_CANDIDATES) are skipped.
            for &LabelCount {
                label,
                count: raw,
                count_ln: raw_ln,
            } in ev.labels
            {
                let count = adjusted(raw, label, exclude);
                if count <= 0.0 {
                    continue;
                }
                let ci = scratch.slots.get(label as usize).copied().unwrap_or(NONE);
                if ci == NONE {
                    continue;
                }
                let ci = usize::from(ci);
                // Likewise ln(1 + count).
                let count_ln = if count == raw { raw_ln } else { count.ln_1p() };
                let f =
                    &mut scratch.features[ci * FEATURES + kind.index() * PER_KIND..][..PER_KIND];
                f[0] += scale * count / (total + 1.0);
                f[1] += scale * f32::from(u8::from(count >= best));
                f[2] += scale * count_ln;
                f[3] += scale * f32::from(u8::from(last == Some(label)));
                f[4] += scale * count / (total + 1.0) * total_ln;
                scratch.kinds[ci] |= bit;
                if kind.is_specific() {
                    scratch.support[ci] = scratch.support[ci].max(count);
                }
            }
        }
        for (ci, &label) in scratch.candidates.iter().enumerate() {
            scratch.features[ci * FEATURES + PRIOR] =
                self.prior.get(label as usize).copied().unwrap_or(0.0);
        }
        // The "other" row.
        let other = scratch.features.len();
        scratch.features.resize(other + FEATURES, 0.0);
        scratch.features[other + OTHER] = 1.0;
        scratch.features[other + NOVEL..][..KeyKind::COUNT].copy_from_slice(&novel);
        scratch.kinds.push(novel_kinds);
    }

    /// Scores a line: `scratch.ranked` gets the candidates with their probabilities and support,
    /// most probable first (the probabilities leave room for "other"). Empty when no key is known.
    pub fn score(&self, keys: &LineKeys, exclude: Option<Exclude>, scratch: &mut HeadScratch) {
        self.score_hinted(keys, None, exclude, scratch);
    }

    /// [`Head::score`] with another head's entries as hints; see [`Head::features_hinted`].
    pub fn score_hinted(
        &self,
        keys: &LineKeys,
        hint: Option<&HeadScratch>,
        exclude: Option<Exclude>,
        scratch: &mut HeadScratch,
    ) {
        self.fill(keys, hint, exclude, scratch);
        sparse_scores(
            &self.weights,
            &scratch.features,
            &scratch.kinds,
            &mut scratch.scores,
        );
        softmax(&mut scratch.scores);
        // Most probable first, ties by label: one integer per candidate to sort, cheaper than
        // comparing (probability, label) pairs. Probabilities are never negative, and on those
        // `total_cmp` is the order of their bits, so `!bits` sorts them most probable first.
        scratch.order.clear();
        scratch.order.extend(
            scratch
                .candidates
                .iter()
                .zip(&scratch.scores)
                .map(|(&label, &p)| u64::from(!p.to_bits()) << 32 | u64::from(label)),
        );
        scratch.order.sort_unstable();
        scratch.ranked.clear();
        scratch.ranked.extend(scratch.order.iter().map(|&key| {
            let label = key as LabelId;
            let ci = usize::from(scratch.slots[label as usize]);
            (label, scratch.scores[ci], scratch.support[ci])
        }));
        scratch.clear_slots();
    }

    /// Looks up the table entry of each of the line's keys into `scratch.found`, in
    /// [`LineKeys::iter`] order.
    fn find_entries(&self, keys: &LineKeys, hint: Option<&HeadScratch>, scratch: &mut HeadScratch) {
        scratch.found.clear();
        let hints = hint.map_or(&[][..], |h| &h.found[..]);
        for (i, (kind, key)) in keys.iter().enumerate() {
            let entry = match hints.get(i) {
                Some(&(k, Some(e))) if k == kind => self.table.find_hinted(key, e),
                _ => self.table.find(key),
            };
            scratch.found.push((kind, entry));
        }
    }
}

/// Makes the labels of a key's entry candidates, in order, each once, at most
/// [`MAX_CANDIDATES`] (`scratch.slots` maps each to its index), with a row of zero features,
/// no kinds and no support.
fn add_candidates(ev: &KeyEvidence<'_>, exclude: Option<Exclude>, scratch: &mut HeadScratch) {
    for &LabelCount { label, count, .. } in ev.labels {
        if scratch.candidates.len() >= MAX_CANDIDATES {
            break;
        }
        let slot = label as usize;
        if slot >= scratch.slots.len() {
            scratch.slots.resize(slot + 1, NONE);
        }
        if adjusted(count, label, exclude) > 0.0 && scratch.slots[slot] == NONE {
            scratch.slots[slot] = scratch.candidates.len() as u8;
            scratch.candidates.push(label);
            scratch
                .features
                .resize(scratch.features.len() + FEATURES, 0.0);
            scratch.kinds.push(0);
            scratch.support.push(0.0);
        }
    }
}

/// Turns the candidates' feature rows into probabilities with `weights` (softmax).
pub(crate) fn softmax_scores(weights: &[f32; FEATURES], features: &[f32], out: &mut Vec<f32>) {
    out.clear();
    out.extend(
        features
            .chunks_exact(FEATURES)
            .map(|row| row.iter().zip(weights).map(|(f, w)| f * w).sum::<f32>()),
    );
    softmax(out);
}

/// The rows' linear scores as [`softmax_scores`] computes them, bit for bit, reading only the
/// features of the kinds set in `kinds` (one mask a row, see [`HeadScratch`]), the prior and the
/// "other" bias. The skipped features are zero, and adding a zero product to a sum leaves it
/// as it was (up to the sign of a zero sum, which the softmax does not see); the terms that
/// remain are added in the same order.
fn sparse_scores(weights: &[f32; FEATURES], features: &[f32], kinds: &[u16], out: &mut Vec<f32>) {
    out.clear();
    let rows = features.chunks_exact(FEATURES).zip(kinds);
    let last = kinds.len().saturating_sub(1);
    out.extend(rows.enumerate().map(|(r, (row, &mask))| {
        // `f32`'s `Sum` starts from -0.0 too.
        let mut sum = -0.0f32;
        if r < last {
            // A candidate: its per-kind features, then the prior.
            for kind in set_bits(mask) {
                // One kind's features and weights as arrays: one bounds check, not five.
                let f: &[f32; PER_KIND] = row[kind * PER_KIND..][..PER_KIND]
                    .try_into()
                    .expect("a kind's features");
                let w: &[f32; PER_KIND] = weights[kind * PER_KIND..][..PER_KIND]
                    .try_into()
                    .expect("a kind's weights");
                for (f, w) in f.iter().zip(w) {
                    sum += f * w;
                }
            }
            sum += row[PRIOR] * weights[PRIOR];
        } else {
            // "Other": its bias, then the novelty features.
            sum += row[OTHER] * weights[OTHER];
            for kind in set_bits(mask) {
                sum += row[NOVEL + kind] * weights[NOVEL + kind];
            }
        }
        sum
    }));
}

/// The indices of the set bits of `mask`, lowest first.
fn set_bits(mut mask: u16) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if mask == 0 {
            return None;
        }
        let bit = mask.trailing_zeros() as usize;
        mask &= mask - 1;
        Some(bit)
    })
}

/// Turns scores into probabilities in place (softmax).
fn softmax(scores: &mut [f32]) {
    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for s in scores.iter_mut() {
        *s = (*s - max).exp();
        sum += *s;
    }
    for s in scores.iter_mut() {
        *s /= sum;
    }
}

fn adjusted(count: f32, label: LabelId, exclude: Option<Exclude>) -> f32 {
    match exclude {
        Some(e) if e.label == label => count - e.weight,
        _ => count,
    }
}

/// The label the key was last used with, not counting the excluded line itself.
pub(crate) fn last_label(ev: &KeyEvidence<'_>, exclude: Option<Exclude>) -> Option<LabelId> {
    let r = ev.recency;
    match exclude {
        Some(e) if r.last == Some(e.label) && r.last_day == e.day => r.previous,
        _ => r.last,
    }
}

/// The largest count under the key, not counting the excluded line itself.
fn best_count(ev: &KeyEvidence<'_>, exclude: Option<Exclude>) -> f32 {
    match exclude {
        None => ev.best,
        Some(_) => table::best_count(
            ev.labels
                .iter()
                .map(|l| adjusted(l.count, l.label, exclude)),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{AmountBuckets, KeyScratch, LineEvidence, TableBuilder};
    use super::*;

    #[test]
    fn weights_of_fewer_kinds_keep_their_places_and_later_kinds_get_zero() {
        let kinds = KINDS_BEFORE_ACCOUNTING_COST;
        let old: Vec<f32> = (1..=kinds * PER_KIND + 2 + kinds)
            .map(|i| i as f32)
            .collect();
        let w = widen_weights(&old, kinds).unwrap();
        // Kind k's features, the prior, the "other" bias and kind k's novelty.
        assert_eq!(w[..kinds * PER_KIND], old[..kinds * PER_KIND]);
        assert_eq!(w[PRIOR], old[kinds * PER_KIND]);
        assert_eq!(w[OTHER], old[kinds * PER_KIND + 1]);
        assert_eq!(w[NOVEL..NOVEL + kinds], old[kinds * PER_KIND + 2..]);
        assert!(w[kinds * PER_KIND..PRIOR].iter().all(|&x| x == 0.0));
        assert!(w[NOVEL + kinds..].iter().all(|&x| x == 0.0));
        assert_eq!(widen_weights(&old[1..], kinds), None);
        assert_eq!(widen_weights(&w, KeyKind::COUNT), Some(w));
    }

    fn line(
        supplier: &'static str,
        unit: &'static str,
        text: &'static str,
    ) -> LineEvidence<'static> {
        LineEvidence {
            supplier: Some(supplier),
            unit: Some(unit),
            text,
            amount: 450.0,
            ..Default::default()
        }
    }

    /// Three suppliers and two units with several labels each, and weights on every feature.
    fn build_head(history: &[(LineEvidence<'static>, LabelId)]) -> Head {
        let mut builder = TableBuilder::default();
        let (mut keys, mut scratch) = (LineKeys::default(), KeyScratch::default());
        for (day, (line, label)) in history.iter().enumerate() {
            keys.extract(line, AmountBuckets::default(), &mut scratch);
            for (_, key) in keys.iter() {
                builder.add(key, *label, 1.0 + day as f32 / 8.0, day as i32);
            }
        }
        let mut weights = [0.0; FEATURES];
        for (j, w) in weights.iter_mut().enumerate() {
            *w = (j as f32 * 0.37).sin();
        }
        Head {
            table: builder.finish(),
            prior: (0..6).map(|l| (l as f32).ln_1p()).collect(),
            weights,
        }
    }

    fn history() -> Vec<(LineEvidence<'static>, LabelId)> {
        let texts = [
            "Rengøring af lokaler",
            "Kopipapir hvid",
            "Frokost børn marts",
        ];
        let mut h = Vec::new();
        for (i, supplier) in ["S1", "S2", "S3"].into_iter().enumerate() {
            for (j, unit) in ["U1", "U2"].into_iter().enumerate() {
                for (k, text) in texts.into_iter().enumerate() {
                    h.push((line(supplier, unit, text), ((i + j * k) % 6) as LabelId));
                    h.push((line(supplier, unit, text), ((i * k + 1) % 6) as LabelId));
                }
            }
        }
        h
    }

    #[test]
    fn scores_are_the_dense_softmax_bit_for_bit_with_or_without_hints_and_exclusions() {
        let history = history();
        let head = build_head(&history);
        // Another head whose table holds half the lines: its entry numbers are often wrong hints.
        let other = build_head(&history[..history.len() / 2]);
        let (mut keys, mut ks) = (LineKeys::default(), KeyScratch::default());
        let mut hint = HeadScratch::default();
        let mut plain = HeadScratch::default();
        let mut hinted = HeadScratch::default();
        let mut dense = Vec::new();
        let mut lines: Vec<_> = history.iter().map(|(l, _)| *l).collect();
        lines.push(line("S1", "U9", "Ukendt vare"));
        for (i, l) in lines.iter().enumerate() {
            keys.extract(l, AmountBuckets::default(), &mut ks);
            let exclude = (i % 2 == 0).then_some(Exclude {
                label: (i % 6) as LabelId,
                weight: 1.0,
                day: i as i32,
            });
            head.score(&keys, exclude, &mut plain);
            softmax_scores(&head.weights, &plain.features, &mut dense);
            let bits = |s: &[f32]| s.iter().map(|p| p.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&plain.scores), bits(&dense), "line {i}");
            // Another head's entries as hints change nothing, right or wrong.
            other.score(&keys, None, &mut hint);
            head.score_hinted(&keys, Some(&hint), exclude, &mut hinted);
            assert_eq!(hinted.ranked, plain.ranked);
            assert_eq!(hinted.features, plain.features);
        }
    }
}
