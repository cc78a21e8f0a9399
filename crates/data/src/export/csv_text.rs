//! [`Records`]: a small, forgiving CSV splitter for exports (ragged rows are left for the
//! reader to count, stray quotes are kept as text).

/// The records of a CSV text: fields separated by `delimiter`, records by `\n`, `\r\n` or `\r`.
/// A field that starts with `"` is quoted: it may hold delimiters and line breaks, and `""`
/// inside it is one quote. A quote anywhere else is an ordinary character. A quoted field left
/// open at the end of the text ends there.
#[derive(Debug)]
pub(super) struct Records<'a> {
    text: &'a str,
    pos: usize,
    delimiter: char,
}

impl<'a> Records<'a> {
    pub(super) fn new(text: &'a str, delimiter: char) -> Self {
        Records {
            text,
            pos: 0,
            delimiter,
        }
    }
}

impl Iterator for Records<'_> {
    type Item = Vec<String>;

    fn next(&mut self) -> Option<Vec<String>> {
        let rest = self.text.get(self.pos..).filter(|r| !r.is_empty())?;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut at_start = true;
        let mut in_quotes = false;
        let mut consumed = rest.len();
        let mut chars = rest.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if in_quotes {
                if c != '"' {
                    field.push(c);
                } else if chars.next_if(|&(_, n)| n == '"').is_some() {
                    field.push('"');
                } else {
                    in_quotes = false;
                }
                continue;
            }
            match c {
                '"' if at_start => {
                    in_quotes = true;
                    at_start = false;
                }
                '\n' | '\r' => {
                    consumed = i + 1;
                    if c == '\r' && chars.next_if(|&(_, n)| n == '\n').is_some() {
                        consumed += 1;
                    }
                    break;
                }
                c if c == self.delimiter => {
                    fields.push(std::mem::take(&mut field));
                    at_start = true;
                }
                c => {
                    field.push(c);
                    at_start = false;
                }
            }
        }
        fields.push(field);
        self.pos += consumed;
        Some(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str, delimiter: char) -> Vec<Vec<String>> {
        Records::new(text, delimiter).collect()
    }

    #[test]
    fn splits_fields_and_records() {
        assert_eq!(
            records("a,b\r\n1,2\n\n3\r4,", ','),
            vec![
                vec!["a", "b"],
                vec!["1", "2"],
                vec![""],
                vec!["3"],
                vec!["4", ""]
            ]
        );
        assert_eq!(records("a;b\n", ';'), vec![vec!["a", "b"]]);
        assert!(records("", ',').is_empty());
    }

    #[test]
    fn quoted_fields_hold_delimiters_quotes_and_line_breaks() {
        assert_eq!(
            records("\"x, \"\"y\"\"\nz\",2\nO\"Brien,\"open", ','),
            vec![vec!["x, \"y\"\nz", "2"], vec!["O\"Brien", "open"]]
        );
    }
}
