//! Learning a head's weights: multinomial logistic regression over each line's candidates
//! (the right label against the others), by full-batch Adam. Deterministic: no sampling inside.

use super::head::{FEATURES, Head, HeadScratch};

/// Lines to learn from, as candidate feature rows and the index of the right candidate.
#[derive(Debug, Default, Clone)]
pub struct RankingSet {
    features: Vec<f32>,
    /// (first row, candidates, right candidate) per line.
    lines: Vec<(u32, u16, u16)>,
}

impl RankingSet {
    /// Adds the line whose features are in `scratch` (from [`Head::features`]); when its right
    /// label is not among the candidates, "other" is right. Lines without candidates teach
    /// nothing and are skipped; returns whether the line was added.
    pub fn push(&mut self, scratch: &HeadScratch, right: u32) -> bool {
        let n = scratch.candidates.len();
        if n == 0 {
            return false;
        }
        let pos = scratch
            .candidates
            .iter()
            .position(|&c| c == right)
            .unwrap_or(n);
        let first = (self.features.len() / FEATURES) as u32;
        self.features.extend_from_slice(&scratch.features);
        self.lines.push((first, (n + 1) as u16, pos as u16));
        true
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// How to learn the weights.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitOptions {
    pub iterations: usize,
    pub learning_rate: f32,
    /// L2 penalty per line on the weights.
    pub l2: f32,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            iterations: 120,
            learning_rate: 0.05,
            l2: 1e-4,
        }
    }
}

/// Starting weights: trust each kind's share of past lines equally, nothing else yet.
pub fn initial_weights() -> [f32; FEATURES] {
    let mut w = [0.0; FEATURES];
    for k in 0..super::keys::KeyKind::COUNT {
        w[k * super::head::PER_KIND] = 1.0;
    }
    w
}

/// Learns weights minimising the mean negative log-likelihood of the right candidates.
/// Returns the weights and the final mean loss.
pub fn fit_weights(set: &RankingSet, options: FitOptions) -> ([f32; FEATURES], f32) {
    let mut w = initial_weights();
    if set.is_empty() {
        return (w, 0.0);
    }
    let (mut m, mut v) = ([0.0f32; FEATURES], [0.0f32; FEATURES]);
    let (b1, b2, eps) = (0.9f32, 0.999f32, 1e-8f32);
    let n = set.lines.len() as f32;
    let mut scores = Vec::new();
    let mut loss = 0.0;
    for t in 1..=options.iterations {
        let mut grad = [0.0f32; FEATURES];
        loss = 0.0;
        for &(first, count, right) in &set.lines {
            let rows = &set.features
                [first as usize * FEATURES..(first as usize + count as usize) * FEATURES];
            super::head::softmax_scores(&w, rows, &mut scores);
            loss -= scores[right as usize].max(1e-12).ln();
            for (ci, row) in rows.chunks_exact(FEATURES).enumerate() {
                let g = scores[ci] - f32::from(u8::from(ci == right as usize));
                if g != 0.0 {
                    for (gj, fj) in grad.iter_mut().zip(row) {
                        *gj += g * fj;
                    }
                }
            }
        }
        loss /= n;
        for j in 0..FEATURES {
            let g = grad[j] / n + options.l2 * w[j];
            m[j] = b1 * m[j] + (1.0 - b1) * g;
            v[j] = b2 * v[j] + (1.0 - b2) * g * g;
            let mh = m[j] / (1.0 - b1.powi(t as i32));
            let vh = v[j] / (1.0 - b2.powi(t as i32));
            w[j] -= options.learning_rate * mh / (vh.sqrt() + eps);
        }
    }
    (w, loss)
}

impl Head {
    /// The mean negative log-likelihood of the right candidates under this head's weights.
    pub fn loss(&self, set: &RankingSet) -> f32 {
        let mut scores = Vec::new();
        let mut loss = 0.0;
        for &(first, count, right) in &set.lines {
            let rows = &set.features
                [first as usize * FEATURES..(first as usize + count as usize) * FEATURES];
            super::head::softmax_scores(&self.weights, rows, &mut scores);
            loss -= scores[right as usize].max(1e-12).ln();
        }
        loss / set.lines.len().max(1) as f32
    }
}
