//! Automation-rate targets by year of operation: how much of the invoice flow should be coded
//! automatically in the first, second, … year.

use super::monthly::parse_month;

/// The default targets for years 1 to 4 of operation; the last holds from then on.
pub const DEFAULT_TARGET_RATES: [f64; 4] = [0.20, 0.30, 0.40, 0.50];

/// Automation-rate targets: `rates[0]` for calendar year `start_year` (year 1 of operation),
/// `rates[1]` for the next, …; the last rate repeats after.
#[derive(Debug, Clone, PartialEq)]
pub struct Targets {
    /// The calendar year in which operation started (year 1).
    pub start_year: i32,
    /// Target share of invoices coded automatically, per year of operation, each in `[0, 1]`.
    pub rates: Vec<f64>,
}

/// Targets that cannot work.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TargetsError {
    #[error(
        "targets rates is empty; give one automation rate per year of operation, such as \
         [0.20, 0.30, 0.40, 0.50]"
    )]
    Empty,
    #[error(
        "targets rates[{index}] (year {year} of operation) must be between 0 and 1, got {got}; \
         give a fraction, such as 0.30 for 30%"
    )]
    Rate { index: usize, year: usize, got: f64 },
}

impl Targets {
    /// Validated targets: at least one rate, each in `[0, 1]`.
    pub fn new(start_year: i32, rates: Vec<f64>) -> Result<Targets, TargetsError> {
        if rates.is_empty() {
            return Err(TargetsError::Empty);
        }
        if let Some((index, &got)) = rates
            .iter()
            .enumerate()
            .find(|(_, r)| !(0.0..=1.0).contains(*r))
        {
            return Err(TargetsError::Rate {
                index,
                year: index + 1,
                got,
            });
        }
        Ok(Targets { start_year, rates })
    }

    /// The [`DEFAULT_TARGET_RATES`] from `start_year`.
    pub fn starting(start_year: i32) -> Targets {
        Targets {
            start_year,
            rates: DEFAULT_TARGET_RATES.to_vec(),
        }
    }

    /// The year of operation (1 for `start_year`) of calendar year `year`; `None` before it.
    pub fn year_of_operation(&self, year: i32) -> Option<u32> {
        let offset = i64::from(year) - i64::from(self.start_year);
        u32::try_from(offset).ok().map(|o| o.saturating_add(1))
    }

    /// The target for `month` (1–12) of calendar `year`; `None` before `start_year`, for a
    /// month outside 1–12, or without rates.
    pub fn for_month(&self, year: i32, month: u32) -> Option<f64> {
        if !(1..=12).contains(&month) {
            return None;
        }
        let index = self.year_of_operation(year)? as usize - 1;
        self.rates.get(index).or(self.rates.last()).copied()
    }

    /// The target for a `YYYY-MM` month key; `None` for a malformed key, as [`Targets::for_month`]
    /// otherwise.
    pub fn for_key(&self, month: &str) -> Option<f64> {
        let (year, month) = parse_month(month)?;
        self.for_month(year, month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_up_by_year_then_holds() {
        let t = Targets::starting(2025);
        assert_eq!(t.for_month(2024, 12), None);
        assert_eq!(t.for_month(2025, 1), Some(0.20));
        assert_eq!(t.for_month(2025, 12), Some(0.20));
        assert_eq!(t.for_month(2026, 6), Some(0.30));
        assert_eq!(t.for_month(2027, 6), Some(0.40));
        assert_eq!(t.for_month(2028, 6), Some(0.50));
        assert_eq!(t.for_month(2035, 6), Some(0.50));
        assert_eq!(t.year_of_operation(2025), Some(1));
        assert_eq!(t.year_of_operation(2028), Some(4));
        assert_eq!(t.year_of_operation(2024), None);
    }

    #[test]
    fn months_and_keys() {
        let t = Targets::starting(2025);
        assert_eq!(t.for_month(2025, 0), None);
        assert_eq!(t.for_month(2025, 13), None);
        assert_eq!(t.for_key("2026-03"), Some(0.30));
        assert_eq!(t.for_key("2024-03"), None);
        assert_eq!(t.for_key("2026-3"), None);
        assert_eq!(t.for_month(i32::MAX, 1), Some(0.50));
        assert_eq!(Targets::starting(i32::MAX).for_month(i32::MIN, 1), None);
    }

    #[test]
    fn empty_rates_have_no_target() {
        let t = Targets {
            start_year: 2025,
            rates: vec![],
        };
        assert_eq!(t.for_month(2025, 1), None);
    }

    #[test]
    fn validation_names_the_field() {
        assert_eq!(
            Targets::new(2025, vec![0.1, 0.2])
                .unwrap()
                .for_month(2030, 1),
            Some(0.2)
        );
        let e = Targets::new(2025, vec![]).unwrap_err();
        assert_eq!(e, TargetsError::Empty);
        assert!(e.to_string().contains("rates"));
        let e = Targets::new(2025, vec![0.2, 30.0]).unwrap_err();
        assert_eq!(
            e,
            TargetsError::Rate {
                index: 1,
                year: 2,
                got: 30.0
            }
        );
        assert!(e.to_string().contains("rates[1] (year 2"), "{e}");
        assert!(Targets::new(2025, vec![f64::NAN]).is_err());
    }
}
