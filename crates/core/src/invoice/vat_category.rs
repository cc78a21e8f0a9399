//! The VAT category of an invoice line (UBL code list UNCL5305).

use std::fmt;

use crate::UnknownValue;

/// The VAT category a supplier put on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VatCategory {
    /// `S`: standard rate (25% in Denmark).
    Standard,
    /// `E`: exempt from VAT.
    Exempt,
    /// `Z`: zero-rated goods.
    ZeroRated,
    /// `AE`: reverse charge, the buyer accounts for the VAT.
    ReverseCharge,
    /// Any other UNCL5305 code (`O`, `K`, `G`, `L`, `M`, `B`); written back as `O`.
    Other,
}

impl VatCategory {
    pub const ALL: [VatCategory; 5] = [
        VatCategory::Standard,
        VatCategory::Exempt,
        VatCategory::ZeroRated,
        VatCategory::ReverseCharge,
        VatCategory::Other,
    ];

    /// Reads a UNCL5305 code (case-insensitive, surrounding whitespace allowed).
    pub fn from_code(code: &str) -> Result<VatCategory, UnknownValue> {
        let code = code.trim();
        let is = |c: &str| code.eq_ignore_ascii_case(c);
        if is("S") {
            Ok(VatCategory::Standard)
        } else if is("E") {
            Ok(VatCategory::Exempt)
        } else if is("Z") {
            Ok(VatCategory::ZeroRated)
        } else if is("AE") {
            Ok(VatCategory::ReverseCharge)
        } else if ["O", "K", "G", "L", "M", "B"].iter().any(|c| is(c)) {
            Ok(VatCategory::Other)
        } else {
            Err(EXPECTED)
        }
    }

    /// The UNCL5305 code: `S`, `E`, `Z`, `AE`, or `O` for [`VatCategory::Other`].
    pub fn code(self) -> &'static str {
        match self {
            VatCategory::Standard => "S",
            VatCategory::Exempt => "E",
            VatCategory::ZeroRated => "Z",
            VatCategory::ReverseCharge => "AE",
            VatCategory::Other => "O",
        }
    }
}

impl fmt::Display for VatCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

const EXPECTED: UnknownValue = UnknownValue {
    field: "VAT category code",
    expected: "S, E, Z, AE, O, K, G, L, M, B",
};

#[cfg(test)]
mod tests {
    use super::*;

    fn check(code: &str, expected: Result<VatCategory, UnknownValue>) {
        assert_eq!(VatCategory::from_code(code), expected, "{code:?}");
    }

    #[test]
    fn reads_codes() {
        check("S", Ok(VatCategory::Standard));
        check(" ae ", Ok(VatCategory::ReverseCharge));
        check("Z", Ok(VatCategory::ZeroRated));
        check("E", Ok(VatCategory::Exempt));
        check("K", Ok(VatCategory::Other));
        check("O", Ok(VatCategory::Other));
        check("X", Err(EXPECTED));
        check("", Err(EXPECTED));
        for category in VatCategory::ALL {
            assert_eq!(VatCategory::from_code(category.code()), Ok(category));
        }
    }
}
