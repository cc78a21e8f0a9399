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
use super::table::{EvidenceTable, KeyEvidence, LabelId};

/// Features per key kind.
pub(crate) const PER_KIND: usize = 5;
/// Length of a candidate's feature vector: per-kind features, the label prior, the "other" bias,
/// and per kind whether the line's key is new (only set on the "other" row).
pub const FEATURES: usize = KeyKind::COUNT * PER_KIND + 2 + KeyKind::COUNT;
/// Index of the label-prior feature.
const PRIOR: usize = KeyKind::COUNT * PER_KIND;
/// Index of the "other" row's bias feature.
pub const OTHER: usize = PRIOR + 1;
/// Index of the first novelty feature: the line has a key of this kind that was never seen
/// (a new supplier, a unit with no history, ...), which makes "none of these" more likely.
const NOVEL: usize = OTHER + 1;
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
    /// Per candidate: the largest count under a specific key (its support).
    pub support: Vec<f32>,
    /// (label, probability, support), most probable first.
    pub ranked: Vec<(LabelId, f32, f32)>,
    scores: Vec<f32>,
}

impl HeadScratch {
    /// The table entry of the line's key of `kind` found by the last [`Head::features`] or
    /// [`Head::score`] (`None`: the line has no such key, or it was never seen).
    pub fn entry_of(&self, kind: KeyKind) -> Option<u32> {
        self.found
            .iter()
            .find(|(k, _)| *k == kind)
            .and_then(|&(_, e)| e)
    }
}

impl Head {
    /// Finds the candidates of a line and their features into `scratch`.
    pub fn features(&self, keys: &LineKeys, exclude: Option<Exclude>, scratch: &mut HeadScratch) {
        // Each key is looked up once; the entries found serve both passes below.
        scratch.found.clear();
        scratch
            .found
            .extend(keys.iter().map(|(kind, key)| (kind, self.table.find(key))));
        scratch.candidates.clear();
        for &(_, entry) in &scratch.found {
            if let Some(entry) = entry {
                let ev = self.table.entry(entry);
                for &(label, count) in ev.labels {
                    if scratch.candidates.len() >= MAX_CANDIDATES {
                        break;
                    }
                    if adjusted(count, label, exclude) > 0.0 && !scratch.candidates.contains(&label)
                    {
                        scratch.candidates.push(label);
                    }
                }
            }
        }
        let n = scratch.candidates.len();
        scratch.features.clear();
        scratch.features.resize((n + 1) * FEATURES, 0.0);
        scratch.features[n * FEATURES + OTHER] = 1.0;
        scratch.support.clear();
        scratch.support.resize(n, 0.0);
        let words = keys.words.len().max(1) as f32;
        let other = n * FEATURES;
        for &(kind, entry) in &scratch.found {
            let scale = if kind == KeyKind::Word {
                1.0 / words
            } else {
                1.0
            };
            let seen = entry
                .map(|e| self.table.entry(e))
                .filter(|ev| ev.total - exclude.map_or(0.0, |e| e.weight) > 1e-6);
            let Some(ev) = seen else {
                scratch.features[other + NOVEL + kind.index()] += scale;
                continue;
            };
            let total = (ev.total - exclude.map_or(0.0, |e| e.weight)).max(0.0);
            let total_ln = total.ln_1p();
            let best = best_count(&ev, exclude);
            let last = last_label(&ev, exclude);
            // Each label of the entry once (labels are unique in an entry); those that are no
            // candidate (beyond MAX_CANDIDATES) are skipped.
            for (&(label, raw), &raw_ln) in ev.labels.iter().zip(ev.ln_counts) {
                let count = adjusted(raw, label, exclude);
                if count <= 0.0 {
                    continue;
                }
                // ln(1 + count) was computed with the table, unless this line's own weight was
                // taken out of it.
                let count_ln = if count == raw { raw_ln } else { count.ln_1p() };
                let Some(ci) = scratch.candidates.iter().position(|&c| c == label) else {
                    continue;
                };
                let f =
                    &mut scratch.features[ci * FEATURES + kind.index() * PER_KIND..][..PER_KIND];
                f[0] += scale * count / (total + 1.0);
                f[1] += scale * f32::from(u8::from(count >= best));
                f[2] += scale * count_ln;
                f[3] += scale * f32::from(u8::from(last == Some(label)));
                f[4] += scale * count / (total + 1.0) * total_ln;
                if kind.is_specific() {
                    scratch.support[ci] = scratch.support[ci].max(count);
                }
            }
        }
        for (ci, &label) in scratch.candidates.iter().enumerate() {
            scratch.features[ci * FEATURES + PRIOR] =
                self.prior.get(label as usize).copied().unwrap_or(0.0);
        }
    }

    /// Scores a line: `scratch.ranked` gets the candidates with their probabilities and support,
    /// most probable first (the probabilities leave room for "other"). Empty when no key is known.
    pub fn score(&self, keys: &LineKeys, exclude: Option<Exclude>, scratch: &mut HeadScratch) {
        self.features(keys, exclude, scratch);
        softmax_scores(&self.weights, &scratch.features, &mut scratch.scores);
        scratch.ranked.clear();
        scratch.ranked.extend(
            scratch
                .candidates
                .iter()
                .zip(&scratch.scores)
                .zip(&scratch.support)
                .map(|((&l, &p), &s)| (l, p, s)),
        );
        scratch
            .ranked
            .sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
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
    let max = out.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for s in out.iter_mut() {
        *s = (*s - max).exp();
        sum += *s;
    }
    for s in out.iter_mut() {
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

fn best_count(ev: &KeyEvidence<'_>, exclude: Option<Exclude>) -> f32 {
    ev.labels
        .iter()
        .map(|&(l, c)| adjusted(c, l, exclude))
        .fold(0.0, f32::max)
        .max(f32::MIN_POSITIVE)
}
