//! Confidence of a partly predicted coding: when the invoice's own account string or a fixed rule
//! settles some fields, the model answers for the rest, and a calibration fitted on exactly that
//! subset of fields says how often those answers are right.

use super::calibration::BandedCalibration;
use super::similar::MAX_FIELDS;

/// A subset of a model's fields: bit `i` stands for field `i` of
/// [`super::CodingModel::fields`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FieldSet(u8);

/// The calibration of codings whose predicted fields are `fields` (the others fixed).
#[derive(Debug, Clone, PartialEq)]
pub struct SubsetCalibration {
    pub fields: FieldSet,
    pub calibration: BandedCalibration,
}

impl FieldSet {
    /// The first `n` fields (at most [`MAX_FIELDS`]).
    pub fn all(n: usize) -> FieldSet {
        FieldSet(((1u16 << n.min(MAX_FIELDS)) - 1) as u8)
    }

    /// The fields whose flag is set; flags beyond [`MAX_FIELDS`] are ignored.
    pub fn from_flags(flags: &[bool]) -> FieldSet {
        let bits = flags
            .iter()
            .take(MAX_FIELDS)
            .enumerate()
            .filter(|(_, f)| **f)
            .fold(0u8, |b, (i, _)| b | 1 << i);
        FieldSet(bits)
    }

    /// From stored bits; `None` when a bit names a field beyond [`MAX_FIELDS`].
    pub fn from_bits(bits: u8) -> Option<FieldSet> {
        (bits < 1 << MAX_FIELDS).then_some(FieldSet(bits))
    }

    pub fn bits(self) -> u8 {
        self.0
    }

    pub fn contains(self, i: usize) -> bool {
        i < MAX_FIELDS && self.0 & (1 << i) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The fields of both sets.
    pub fn intersect(self, other: FieldSet) -> FieldSet {
        FieldSet(self.0 & other.0)
    }

    /// The field indices in the set, increasing.
    pub fn iter(self) -> impl Iterator<Item = usize> {
        (0..MAX_FIELDS).filter(move |&i| self.contains(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_from_flags_and_bits() {
        assert_eq!(FieldSet::from_flags(&[false, true, true]).bits(), 0b110);
        assert_eq!(FieldSet::all(3).bits(), 0b111);
        assert_eq!(FieldSet::all(1).bits(), 0b1);
        assert_eq!(FieldSet::from_flags(&[true, false, false, true]).bits(), 1);
        assert_eq!(FieldSet::from_bits(0b1000), None);
        let s = FieldSet::from_bits(0b101).unwrap();
        assert_eq!(s.iter().collect::<Vec<_>>(), [0, 2]);
        assert!(s.contains(2) && !s.contains(1) && !s.contains(7));
        assert!(FieldSet::default().is_empty());
    }
}
