//! [`Split`]: taking one part of a composite column, e.g. the account out of
//! `5.25.14-1-2.21;10102`.

/// Which part of a composite value a field takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Split {
    /// The `part`-th (from 1) piece when the value is split on `delimiter`.
    Delimiter { delimiter: String, part: usize },
    /// Characters `from..=to`, counted from 1 (a shorter value gives what there is).
    Chars { from: usize, to: usize },
}

impl Split {
    /// Checks a split as written in a mapping: either `delimiter` and `part`, or `chars`.
    pub fn new(
        delimiter: Option<String>,
        part: Option<usize>,
        chars: Option<Vec<usize>>,
    ) -> Result<Self, String> {
        match (delimiter, part, chars) {
            (Some(delimiter), Some(part), None) => {
                if delimiter.is_empty() {
                    return Err("the split delimiter is empty; write e.g. delimiter = \";\"".into());
                }
                if part == 0 {
                    return Err("parts are counted from 1; write part = 1 for the first".into());
                }
                Ok(Split::Delimiter { delimiter, part })
            }
            (None, None, Some(chars)) => match chars[..] {
                [from, to] if from >= 1 && from <= to => Ok(Split::Chars { from, to }),
                _ => Err(
                    "chars takes the first and last position, counted from 1, e.g. chars = [1, 14]"
                        .into(),
                ),
            },
            _ => Err(
                "write either delimiter and part (e.g. { delimiter = \";\", part = 2 }) or chars \
                 (e.g. { chars = [1, 14] })"
                    .into(),
            ),
        }
    }

    /// The part of `value` this split takes (possibly empty).
    pub fn apply<'a>(&self, value: &'a str) -> &'a str {
        match self {
            Split::Delimiter { delimiter, part } => {
                value.split(delimiter.as_str()).nth(part - 1).unwrap_or("")
            }
            Split::Chars { from, to } => {
                let start = byte_offset(value, from - 1);
                let end = byte_offset(value, *to);
                &value[start..end]
            }
        }
    }
}

/// The byte offset of the `n`-th character (0-based), or the end of the text.
fn byte_offset(value: &str, n: usize) -> usize {
    value.char_indices().nth(n).map_or(value.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_delimiter() {
        let account = Split::new(Some(";".into()), Some(1), None).unwrap();
        let cost_centre = Split::new(Some(";".into()), Some(2), None).unwrap();
        let third = Split::new(Some(";".into()), Some(3), None).unwrap();
        let value = "5.25.14-1-2.21;10102";
        assert_eq!(account.apply(value), "5.25.14-1-2.21");
        assert_eq!(cost_centre.apply(value), "10102");
        assert_eq!(third.apply(value), "");
    }

    #[test]
    fn by_position() {
        let account = Split::new(None, None, Some(vec![1, 14])).unwrap();
        let cost_centre = Split::new(None, None, Some(vec![15, 19])).unwrap();
        let value = "5.25.14-1-2.2110102";
        assert_eq!(account.apply(value), "5.25.14-1-2.21");
        assert_eq!(cost_centre.apply(value), "10102");
        assert_eq!(cost_centre.apply("short"), "");
        assert_eq!(
            Split::new(None, None, Some(vec![2, 3]))
                .unwrap()
                .apply("æøå"),
            "øå"
        );
    }

    #[test]
    fn bad_splits_are_rejected() {
        assert!(Split::new(Some(";".into()), None, None).is_err());
        assert!(Split::new(Some(";".into()), Some(0), None).is_err());
        assert!(Split::new(Some(String::new()), Some(1), None).is_err());
        assert!(Split::new(None, None, Some(vec![3, 2])).is_err());
        assert!(Split::new(None, None, Some(vec![0, 2])).is_err());
        assert!(Split::new(None, None, Some(vec![1])).is_err());
        assert!(Split::new(Some(";".into()), Some(1), Some(vec![1, 2])).is_err());
    }
}
