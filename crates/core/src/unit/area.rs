//! Municipal areas: the organisational split controllers and the on/off switch work by.

use std::fmt;
use std::str::FromStr;

use crate::UnknownValue;

/// An area of the municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Area {
    Daycare,
    Schools,
    ElderlyCare,
    Social,
    Technical,
    Administration,
}

impl Area {
    pub const ALL: [Area; 6] = [
        Area::Daycare,
        Area::Schools,
        Area::ElderlyCare,
        Area::Social,
        Area::Technical,
        Area::Administration,
    ];

    /// Parses the snake_case name (surrounding whitespace allowed).
    pub fn parse(input: &str) -> Result<Area, UnknownValue> {
        let input = input.trim();
        Area::ALL
            .into_iter()
            .find(|area| area.as_str() == input)
            .ok_or(EXPECTED)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Area::Daycare => "daycare",
            Area::Schools => "schools",
            Area::ElderlyCare => "elderly_care",
            Area::Social => "social",
            Area::Technical => "technical",
            Area::Administration => "administration",
        }
    }
}

impl FromStr for Area {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Area, UnknownValue> {
        Area::parse(s)
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

const EXPECTED: UnknownValue = UnknownValue {
    field: "area",
    expected: "daycare, schools, elderly_care, social, technical, administration",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects() {
        for area in Area::ALL {
            assert_eq!(Area::parse(area.as_str()), Ok(area));
            assert_eq!(area.to_string(), area.as_str());
        }
        assert_eq!(Area::parse(" elderly_care"), Ok(Area::ElderlyCare));
        assert_eq!(Area::parse("Daycare"), Err(EXPECTED));
        assert_eq!(
            EXPECTED.to_string(),
            "area must be one of: daycare, schools, elderly_care, social, technical, administration"
        );
    }
}
