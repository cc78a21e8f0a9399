//! VAT categories as written on invoices: UNCL5305 codes (Peppol, JSON) and OIOUBL names.

use kontera_core::VatCategory;
use rust_decimal::Decimal;

use crate::echo::echo;

/// Reads a UNCL5305 code (`S`, `E`, `Z`, `AE`, `O`, `K`, `G`, `L`, `M`, `B`) or an OIOUBL
/// tax category name (`StandardRated`, `ZeroRated`, `ReverseCharge`, `Exempt`), case-insensitive.
pub(crate) fn category(code: &str) -> Result<VatCategory, String> {
    let trimmed = code.trim();
    let named = [
        ("StandardRated", VatCategory::Standard),
        ("ZeroRated", VatCategory::ZeroRated),
        ("ReverseCharge", VatCategory::ReverseCharge),
        ("Exempt", VatCategory::Exempt),
    ];
    if let Some((_, category)) = named
        .iter()
        .find(|(name, _)| trimmed.eq_ignore_ascii_case(name))
    {
        return Ok(*category);
    }
    VatCategory::from_code(trimmed).map_err(|_| {
        format!(
            "expected a VAT category code (S, E, Z, AE, O, K, G, L, M, B, or OIOUBL's \
             StandardRated, ZeroRated, ReverseCharge), got {}",
            echo(code)
        )
    })
}

/// The rate assumed when a line gives its category but no rate: 25 for standard-rated, else 0.
pub(crate) fn default_rate(category: VatCategory) -> Decimal {
    match category {
        VatCategory::Standard => Decimal::from(25),
        _ => Decimal::ZERO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_codes_and_oioubl_names() {
        assert_eq!(category("S"), Ok(VatCategory::Standard));
        assert_eq!(category("standardrated"), Ok(VatCategory::Standard));
        assert_eq!(category("ZeroRated"), Ok(VatCategory::ZeroRated));
        assert_eq!(category(" ReverseCharge "), Ok(VatCategory::ReverseCharge));
        assert_eq!(category("AE"), Ok(VatCategory::ReverseCharge));
        assert_eq!(category("K"), Ok(VatCategory::Other));
        assert!(category("Excise").unwrap_err().ends_with("got \"Excise\""));
        assert_eq!(default_rate(VatCategory::Standard), Decimal::from(25));
        assert_eq!(default_rate(VatCategory::Exempt), Decimal::ZERO);
    }
}
