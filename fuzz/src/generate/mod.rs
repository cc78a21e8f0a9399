//! Structure-aware generation: random bytes from the run's [`Rng`] fed to `arbitrary`, which
//! builds an invoice-shaped value, written out as the target's input format. The model target
//! has no generator (its structure-aware step is the integer overwrite in `mutate`).

mod json;
mod row;
mod shape;
mod xml;

use arbitrary::{Arbitrary, Unstructured};

use crate::Target;
use crate::rng::Rng;

pub use shape::{Invoice, Value};

/// A generated input for `target`, or `None` if it has no generator.
pub fn generate(rng: &mut Rng, target: Target) -> Option<Vec<u8>> {
    let n = 64 << rng.below(6);
    let bytes = rng.bytes(n);
    let mut u = Unstructured::new(&bytes);
    match target {
        Target::Json => {
            let text = if rng.one_in(4) {
                let invoices: Vec<Invoice> = Arbitrary::arbitrary(&mut u).ok()?;
                json::batch(&invoices)
            } else {
                json::invoice(&Invoice::arbitrary(&mut u).ok()?)
            };
            Some(text.into_bytes())
        }
        Target::Ubl => Some(xml::invoice(&Invoice::arbitrary(&mut u).ok()?).into_bytes()),
        Target::Row => Some(row::rows(&row::Rows::arbitrary(&mut u).ok()?)),
        Target::Model => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_inputs_are_sometimes_accepted() {
        let mut rng = Rng::new(11);
        for target in [Target::Json, Target::Ubl, Target::Row] {
            let mut accepted = 0;
            for _ in 0..300 {
                let Some(input) = generate(&mut rng, target) else {
                    continue;
                };
                let features = target.run(&input);
                // An accepted invoice (`one:ok:…`, `ubl:ok:…`) or a row read (`m0:row:…`).
                let ok = |f: &String| f.contains(":ok:") || f.contains(":row:");
                accepted += usize::from(features.iter().any(ok));
            }
            assert!(accepted > 0, "{target}: no generated input was accepted");
        }
        assert!(generate(&mut rng, Target::Model).is_none());
    }
}
