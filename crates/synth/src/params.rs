//! The generator's parameters: raw values, checked once into [`ValidParams`] before anything runs.

/// Raw parameters, as given on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateParams {
    /// Number of calendar years to generate.
    pub years: u32,
    /// Invoices received per year (before duplicates).
    pub invoices_per_year: u32,
    pub seed: u64,
    /// The first calendar year.
    pub first_year: i32,
}

/// Parameters that passed [`GenerateParams::check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidParams(GenerateParams);

/// Why parameters were refused; each names the parameter and the range it must lie in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    #[error("years must be between 1 and {max}, got {got}")]
    Years { got: u32, max: u32 },
    #[error("invoices per year must be between {min} and {max}, got {got}")]
    InvoicesPerYear { got: u32, min: u32, max: u32 },
    #[error("first year must be between {min} and {max}, got {got}")]
    FirstYear { got: i32, min: i32, max: i32 },
}

impl Default for GenerateParams {
    fn default() -> Self {
        GenerateParams {
            years: 3,
            invoices_per_year: 220_000,
            seed: 42,
            first_year: 2023,
        }
    }
}

impl GenerateParams {
    pub const MAX_YEARS: u32 = 10;
    pub const MIN_INVOICES: u32 = 100;
    pub const MAX_INVOICES: u32 = 5_000_000;

    /// Checks every parameter against its range.
    pub fn check(self) -> Result<ValidParams, ParamError> {
        if self.years == 0 || self.years > Self::MAX_YEARS {
            return Err(ParamError::Years {
                got: self.years,
                max: Self::MAX_YEARS,
            });
        }
        if !(Self::MIN_INVOICES..=Self::MAX_INVOICES).contains(&self.invoices_per_year) {
            return Err(ParamError::InvoicesPerYear {
                got: self.invoices_per_year,
                min: Self::MIN_INVOICES,
                max: Self::MAX_INVOICES,
            });
        }
        if !(2000..=2090).contains(&self.first_year) {
            return Err(ParamError::FirstYear {
                got: self.first_year,
                min: 2000,
                max: 2090,
            });
        }
        Ok(ValidParams(self))
    }
}

impl ValidParams {
    pub fn get(&self) -> GenerateParams {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_enforced_with_messages_that_name_the_parameter() {
        let ok = GenerateParams::default();
        assert!(ok.check().is_ok());
        let err = GenerateParams { years: 0, ..ok }.check().unwrap_err();
        assert_eq!(err.to_string(), "years must be between 1 and 10, got 0");
        let err = GenerateParams {
            invoices_per_year: 5,
            ..ok
        }
        .check()
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("invoices per year must be between 100")
        );
        let err = GenerateParams {
            first_year: 1999,
            ..ok
        }
        .check()
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("first year must be between 2000")
        );
    }
}
