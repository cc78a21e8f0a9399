//! The generator's parameters: raw values, checked once into [`ValidParams`] before anything runs.
//! Drift (`--drift-year`) is an option of the checked parameters, added with
//! [`ValidParams::with_drift_year`], so that plain parameters keep their four fields.

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

/// Parameters that passed [`GenerateParams::check`], with the drift year if one was set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidParams {
    params: GenerateParams,
    /// The year in which the ledger drifts (see `drift.rs`); `None`: no drift.
    drift_year: Option<i32>,
}

/// Why parameters were refused; each names the parameter and the range it must lie in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    #[error("years must be between 1 and {max}, got {got}")]
    Years { got: u32, max: u32 },
    #[error("invoices per year must be between {min} and {max}, got {got}")]
    InvoicesPerYear { got: u32, min: u32, max: u32 },
    #[error("first year must be between {min} and {max}, got {got}")]
    FirstYear { got: i32, min: i32, max: i32 },
    #[error(
        "--drift-year must be one of the generated years after the first, {min} to {max}, got \
         {got}; choose a year in that range, or move --first-year or --years so that it is one"
    )]
    DriftYear { got: i32, min: i32, max: i32 },
    #[error(
        "--drift-year {got} needs at least two generated years (the drift year and one before it), \
         got --years {years}; generate more years or leave out --drift-year"
    )]
    DriftNeedsTwoYears { got: i32, years: u32 },
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
        Ok(ValidParams {
            params: self,
            drift_year: None,
        })
    }
}

impl ValidParams {
    pub fn get(&self) -> GenerateParams {
        self.params
    }

    /// The year in which the ledger drifts, if any.
    pub fn drift_year(&self) -> Option<i32> {
        self.drift_year
    }

    /// Makes the ledger drift in `year`: accounts re-purposed from 1 January, units reorganised
    /// from 1 July, more new creditors than usual (see `data/README.md`). The year must be one
    /// of the generated years after the first, so that there is a year before it to drift from.
    pub fn with_drift_year(self, year: i32) -> Result<ValidParams, ParamError> {
        let p = self.params;
        if p.years < 2 {
            return Err(ParamError::DriftNeedsTwoYears {
                got: year,
                years: p.years,
            });
        }
        let (min, max) = (p.first_year + 1, p.first_year + p.years as i32 - 1);
        if !(min..=max).contains(&year) {
            return Err(ParamError::DriftYear {
                got: year,
                min,
                max,
            });
        }
        Ok(ValidParams {
            drift_year: Some(year),
            ..self
        })
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

    #[test]
    fn the_drift_year_must_be_a_generated_year_after_the_first() {
        let ok = GenerateParams::default().check().unwrap();
        assert_eq!(ok.drift_year(), None);
        assert_eq!(ok.with_drift_year(2025).unwrap().drift_year(), Some(2025));
        assert_eq!(ok.with_drift_year(2024).unwrap().get(), ok.get());
        for bad in [2023, 2026, 1999] {
            let err = ok.with_drift_year(bad).unwrap_err();
            assert_eq!(
                err,
                ParamError::DriftYear {
                    got: bad,
                    min: 2024,
                    max: 2025
                }
            );
        }
        assert_eq!(
            ok.with_drift_year(2023).unwrap_err().to_string(),
            "--drift-year must be one of the generated years after the first, 2024 to 2025, got \
             2023; choose a year in that range, or move --first-year or --years so that it is one"
        );
        let one_year = GenerateParams {
            years: 1,
            ..GenerateParams::default()
        }
        .check()
        .unwrap();
        let err = one_year.with_drift_year(2023).unwrap_err();
        assert_eq!(
            err.to_string(),
            "--drift-year 2023 needs at least two generated years (the drift year and one before \
             it), got --years 1; generate more years or leave out --drift-year"
        );
    }
}
