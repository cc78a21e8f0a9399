//! The evidence keys of a line: which past lines count as "similar", at several levels of detail.
//!
//! Each key kind combines some of the line's evidence (supplier × unit × text, supplier × item,
//! supplier alone, unit alone, ...). The model keeps, per key, the codings past lines with that
//! key had; specific keys are precise but rare, general ones always there but vaguer, and the
//! model learns how far to trust each. Keys are 64-bit hashes (FxHash, stable across runs).

use std::borrow::Cow;
use std::hash::Hasher;

use rustc_hash::FxHasher;

use super::amount::AmountBuckets;
use super::evidence::LineEvidence;
use super::text;

/// The kinds of evidence key, in a fixed order (the order of the model's weights).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyKind {
    SupplierUnitText,
    SupplierItem,
    SupplierUnit,
    SupplierUnitAmount,
    SupplierText,
    SupplierAmount,
    SupplierVat,
    Supplier,
    UnitReference,
    Unit,
    Text,
    Unspsc,
    IndustryUnit,
    /// Each word of the text on its own (a bag of words).
    Word,
    /// The invoice's own account string (`AccountingCost`) with the supplier, and alone; after
    /// [`KeyKind::Word`] so that the earlier kinds keep their numbers (and their hashes).
    SupplierAccountingCost,
    AccountingCost,
}

impl KeyKind {
    pub const ALL: [KeyKind; 16] = [
        KeyKind::SupplierUnitText,
        KeyKind::SupplierItem,
        KeyKind::SupplierUnit,
        KeyKind::SupplierUnitAmount,
        KeyKind::SupplierText,
        KeyKind::SupplierAmount,
        KeyKind::SupplierVat,
        KeyKind::Supplier,
        KeyKind::UnitReference,
        KeyKind::Unit,
        KeyKind::Text,
        KeyKind::Unspsc,
        KeyKind::IndustryUnit,
        KeyKind::Word,
        KeyKind::SupplierAccountingCost,
        KeyKind::AccountingCost,
    ];
    pub const COUNT: usize = Self::ALL.len();

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            KeyKind::SupplierUnitText => "supplier × unit × text",
            KeyKind::SupplierItem => "supplier × item",
            KeyKind::SupplierUnit => "supplier × unit",
            KeyKind::SupplierUnitAmount => "supplier × unit × amount",
            KeyKind::SupplierText => "supplier × text",
            KeyKind::SupplierAmount => "supplier × amount",
            KeyKind::SupplierVat => "supplier × VAT category",
            KeyKind::SupplierAccountingCost => "supplier × the invoice's account string",
            KeyKind::Supplier => "supplier",
            KeyKind::UnitReference => "unit × buyer reference",
            KeyKind::Unit => "unit",
            KeyKind::AccountingCost => "the invoice's account string",
            KeyKind::Text => "text",
            KeyKind::Unspsc => "UNSPSC",
            KeyKind::IndustryUnit => "industry × unit",
            KeyKind::Word => "word",
        }
    }

    /// Keys whose agreeing past lines count as "similar invoices" (the support): the same
    /// supplier, alone or with more detail, coded the same way.
    pub fn is_specific(self) -> bool {
        matches!(
            self,
            KeyKind::SupplierUnitText
                | KeyKind::SupplierItem
                | KeyKind::SupplierUnit
                | KeyKind::SupplierUnitAmount
                | KeyKind::SupplierText
                | KeyKind::SupplierAmount
                | KeyKind::SupplierVat
                | KeyKind::SupplierAccountingCost
                | KeyKind::Supplier
        )
    }
}

/// Words of a text used as separate keys, at most.
pub const MAX_WORDS: usize = 8;
/// Words making up a text's signature.
const SIGNATURE_WORDS: usize = 3;

/// The keys of one line: one optional hash per single key kind, and up to [`MAX_WORDS`] word keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineKeys {
    pub single: [Option<u64>; KeyKind::COUNT],
    pub words: Vec<u64>,
}

/// Reusable buffers for key extraction, so the hot path does not allocate.
#[derive(Debug, Default)]
pub struct KeyScratch {
    signature: String,
    word: String,
}

impl LineKeys {
    /// Computes the keys of `line` into `self` (reusing its buffers), its amount in `buckets` (the
    /// scheme of the model the keys are for).
    pub fn extract(
        &mut self,
        line: &LineEvidence<'_>,
        buckets: AmountBuckets,
        scratch: &mut KeyScratch,
    ) {
        // One pass over the text: the word keys, and the signature (its first words).
        scratch.signature.clear();
        self.words.clear();
        let (words, signature) = (&mut self.words, &mut scratch.signature);
        let mut taken = 0;
        text::words(line.text, &mut scratch.word, |w| {
            if taken < SIGNATURE_WORDS {
                if taken > 0 {
                    signature.push(' ');
                }
                signature.push_str(w);
                taken += 1;
            }
            if words.len() < MAX_WORDS {
                // Words come masked from `text::words`; no second CPR pass.
                let mut h = start(KeyKind::Word);
                h.write(w.as_bytes());
                h.write_u8(0xff);
                let h = h.finish();
                if !words.contains(&h) {
                    words.push(h);
                }
            }
        });
        // Each part is masked once here, not again for every key it is part of.
        let sig = (!scratch.signature.is_empty()).then(|| Part::new(&scratch.signature));
        let amount = Part::new(buckets.bucket(line.amount));
        let supplier = line.supplier.map(Part::new);
        let unit = line.unit.map(Part::new);
        let item = line.item_id.map(Part::new);
        let vat = line.vat_category.map(Part::new);
        let reference = line.buyer_reference.map(Part::new);
        let unspsc = line.unspsc.map(Part::new);
        let industry = line.industry.map(Part::new);
        let given = line.accounting_cost.map(Part::new);
        let (s, u, sig, amount) = (
            supplier.as_ref(),
            unit.as_ref(),
            sig.as_ref(),
            Some(&amount),
        );
        let k = &mut self.single;
        k[KeyKind::SupplierUnitText.index()] = hash3(KeyKind::SupplierUnitText, s, u, sig);
        k[KeyKind::SupplierItem.index()] = hash2(KeyKind::SupplierItem, s, item.as_ref());
        k[KeyKind::SupplierUnit.index()] = hash2(KeyKind::SupplierUnit, s, u);
        k[KeyKind::SupplierUnitAmount.index()] = hash3(KeyKind::SupplierUnitAmount, s, u, amount);
        k[KeyKind::SupplierText.index()] = hash2(KeyKind::SupplierText, s, sig);
        k[KeyKind::SupplierAmount.index()] = hash2(KeyKind::SupplierAmount, s, amount);
        k[KeyKind::SupplierVat.index()] = hash2(KeyKind::SupplierVat, s, vat.as_ref());
        k[KeyKind::SupplierAccountingCost.index()] =
            hash2(KeyKind::SupplierAccountingCost, s, given.as_ref());
        k[KeyKind::Supplier.index()] = hash1(KeyKind::Supplier, s);
        k[KeyKind::UnitReference.index()] = hash2(KeyKind::UnitReference, u, reference.as_ref());
        k[KeyKind::Unit.index()] = hash1(KeyKind::Unit, u);
        k[KeyKind::AccountingCost.index()] = hash1(KeyKind::AccountingCost, given.as_ref());
        k[KeyKind::Text.index()] = hash1(KeyKind::Text, sig);
        k[KeyKind::Unspsc.index()] = hash1(KeyKind::Unspsc, unspsc.as_ref());
        k[KeyKind::IndustryUnit.index()] = hash2(KeyKind::IndustryUnit, industry.as_ref(), u);
        k[KeyKind::Word.index()] = None;
    }

    /// Every key of the line with its kind: the single keys, then the word keys.
    pub fn iter(&self) -> impl Iterator<Item = (KeyKind, u64)> + '_ {
        KeyKind::ALL
            .iter()
            .zip(&self.single)
            .filter_map(|(kind, h)| h.map(|h| (*kind, h)))
            .chain(self.words.iter().map(|&h| (KeyKind::Word, h)))
    }
}

fn start(kind: KeyKind) -> FxHasher {
    let mut h = FxHasher::default();
    h.write_u8(kind as u8);
    h
}

/// One part of a key, CPR numbers masked: a buyer reference or an item id may carry one, and a
/// hash of a CPR is not safe (the space is small enough to search). Keys are hashed from parts
/// only, so nothing unmasked reaches a key.
struct Part<'a>(Cow<'a, str>);

impl<'a> Part<'a> {
    fn new(s: &'a str) -> Part<'a> {
        Part(crate::cpr::mask(s))
    }
}

fn part(h: &mut FxHasher, p: &Part<'_>) {
    h.write(p.0.as_bytes());
    h.write_u8(0xff);
}

fn hash1(kind: KeyKind, a: Option<&Part<'_>>) -> Option<u64> {
    let mut h = start(kind);
    part(&mut h, a?);
    Some(h.finish())
}

fn hash2(kind: KeyKind, a: Option<&Part<'_>>, b: Option<&Part<'_>>) -> Option<u64> {
    let mut h = start(kind);
    part(&mut h, a?);
    part(&mut h, b?);
    Some(h.finish())
}

fn hash3(
    kind: KeyKind,
    a: Option<&Part<'_>>,
    b: Option<&Part<'_>>,
    c: Option<&Part<'_>>,
) -> Option<u64> {
    let mut h = start(kind);
    part(&mut h, a?);
    part(&mut h, b?);
    part(&mut h, c?);
    Some(h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(line: &LineEvidence<'_>) -> LineKeys {
        let mut k = LineKeys::default();
        k.extract(line, AmountBuckets::default(), &mut KeyScratch::default());
        k
    }

    #[test]
    fn missing_evidence_gives_no_key_and_present_evidence_does() {
        let line = LineEvidence {
            supplier: Some("12345674"),
            text: "Minimælk 1 ltr",
            amount: 11.5,
            ..Default::default()
        };
        let k = keys(&line);
        assert!(k.single[KeyKind::Supplier.index()].is_some());
        assert!(k.single[KeyKind::SupplierText.index()].is_some());
        assert!(
            k.single[KeyKind::SupplierUnit.index()].is_none(),
            "no unit, no supplier × unit key"
        );
        assert!(k.single[KeyKind::Unit.index()].is_none());
        assert_eq!(k.words.len(), 2);
    }

    #[test]
    fn same_evidence_same_keys_and_kinds_do_not_collide() {
        let a = LineEvidence {
            supplier: Some("x"),
            unit: Some("x"),
            text: "x",
            ..Default::default()
        };
        let (ka, kb) = (keys(&a), keys(&a));
        assert_eq!(ka, kb);
        // Supplier "x" and unit "x" are different keys.
        assert_ne!(
            ka.single[KeyKind::Supplier.index()],
            ka.single[KeyKind::Unit.index()]
        );
    }

    #[test]
    fn text_keys_ignore_numbers_and_case() {
        let a = keys(&LineEvidence {
            supplier: Some("s"),
            text: "KOPIPAPIR A4 5x500 ark",
            ..Default::default()
        });
        let b = keys(&LineEvidence {
            supplier: Some("s"),
            text: "kopipapir a4 10x500 ark",
            ..Default::default()
        });
        assert_eq!(
            a.single[KeyKind::SupplierText.index()],
            b.single[KeyKind::SupplierText.index()]
        );
    }

    #[test]
    fn the_text_signature_is_its_first_three_words() {
        let k = keys(&LineEvidence {
            supplier: Some("s"),
            text: "Kopipapir A4 80g 5x500 ark hvid",
            ..Default::default()
        });
        assert_eq!(
            k.single[KeyKind::Text.index()],
            hash1(KeyKind::Text, Some(&Part::new("kopipapir ark hvid")))
        );
        let digits = keys(&LineEvidence {
            supplier: Some("s"),
            text: "12345",
            ..Default::default()
        });
        assert_eq!(
            digits.single[KeyKind::Text.index()],
            None,
            "no words, no signature"
        );
        assert!(digits.words.is_empty());
    }

    #[test]
    fn word_keys_match_a_plain_hash_of_each_word() {
        let k = keys(&LineEvidence {
            text: "Minimælk ltr minimælk",
            ..Default::default()
        });
        assert_eq!(
            k.words,
            vec![
                hash1(KeyKind::Word, Some(&Part::new("minimælk"))).unwrap(),
                hash1(KeyKind::Word, Some(&Part::new("ltr"))).unwrap()
            ]
        );
    }

    #[test]
    fn cpr_numbers_in_any_part_are_masked_before_hashing() {
        let with = |r: &'static str| {
            keys(&LineEvidence {
                unit: Some("U1"),
                buyer_reference: Some(r),
                text: "x",
                ..Default::default()
            })
            .single[KeyKind::UnitReference.index()]
        };
        // Two different CPR numbers give the same key: neither is in it.
        assert_eq!(with("010190-1234"), with("020285-4321"));
        assert_ne!(with("010190-1234"), with("ABC123"));
    }

    #[test]
    fn the_invoices_account_string_is_a_key_with_the_supplier_and_alone() {
        let with = |supplier: Option<&'static str>, given: Option<&'static str>| {
            let k = keys(&LineEvidence {
                supplier,
                accounting_cost: given,
                text: "x",
                ..Default::default()
            });
            (
                k.single[KeyKind::SupplierAccountingCost.index()],
                k.single[KeyKind::AccountingCost.index()],
            )
        };
        let (both, alone) = with(Some("12345674"), Some("Payments to Ext Contractors"));
        assert_eq!(
            alone,
            hash1(
                KeyKind::AccountingCost,
                Some(&Part::new("Payments to Ext Contractors"))
            )
        );
        assert!(both.is_some());
        assert_eq!(with(None, Some("Payments to Ext Contractors")).0, None);
        assert_eq!(with(Some("12345674"), None), (None, None));
        // Masked like every other part: two CPR numbers give the same key.
        assert_eq!(
            with(Some("s"), Some("010190-1234")),
            with(Some("s"), Some("020285-4321"))
        );
        // The kinds before it keep their numbers (and format 3's fourteen), so older models'
        // keys and weights are unchanged.
        assert_eq!(KeyKind::Word.index(), 13);
        assert_eq!(super::super::KINDS_BEFORE_ACCOUNTING_COST, 14);
    }
}
