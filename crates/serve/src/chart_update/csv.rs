//! Reading a chart update: CSV in the data contract's `accounts` vocabulary and dialect
//! (`data/README.md`), every problem named by the line it is on and the fix. The service does not
//! depend on polars, so this is a small reader of its own.

use chrono::NaiveDate;
use kontera_core::{AccountChange, AccountId, ChangeKind, ChartUpdate, UpdateRow, cpr};

/// The columns an update may have: the `accounts` table's.
pub const COLUMNS: [&str; 9] = [
    "account",
    "name",
    "function",
    "dranst",
    "art",
    "valid_from",
    "valid_to",
    "change",
    "successors",
];

/// The columns it must have.
pub const REQUIRED: [&str; 4] = ["account", "valid_to", "change", "successors"];

/// A problem with an update file: the line it is on, the column when one is to blame, and what
/// to do. Never echoes anything CPR-shaped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}{}: {message}", column.map(|c| format!(", column `{c}`")).unwrap_or_default())]
pub struct FileError {
    pub line: usize,
    pub column: Option<&'static str>,
    pub message: String,
}

impl From<kontera_core::UpdateError> for FileError {
    fn from(e: kontera_core::UpdateError) -> FileError {
        FileError {
            line: e.line,
            column: None,
            message: e.problem.to_string(),
        }
    }
}

/// One record: the line it starts on and its fields.
struct Record {
    line: usize,
    fields: Vec<String>,
}

/// Splits `text` into records: `,` between fields, `"` quoting (doubled inside), `\n` or `\r\n`
/// between records, quoted fields may span lines. Blank lines are skipped.
fn records(text: &str) -> Result<Vec<Record>, FileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    while chars.peek().is_some() {
        let start = line;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        // Whether the current field began with a quote (then only `,` or the end may follow).
        let mut was_quoted = false;
        loop {
            let Some(c) = chars.next() else {
                if quoted {
                    return Err(FileError {
                        line: start,
                        column: None,
                        message: "a quoted field is not closed; end it with `\"`".to_owned(),
                    });
                }
                break;
            };
            if quoted {
                match c {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => quoted = false,
                    '\n' => {
                        line += 1;
                        field.push('\n');
                    }
                    c => field.push(c),
                }
                continue;
            }
            match c {
                ',' => {
                    fields.push(std::mem::take(&mut field));
                    was_quoted = false;
                }
                '\n' => {
                    line += 1;
                    break;
                }
                '\r' if chars.peek() == Some(&'\n') => {}
                '"' if field.is_empty() && !was_quoted => {
                    quoted = true;
                    was_quoted = true;
                }
                '"' => {
                    return Err(FileError {
                        line,
                        column: None,
                        message: "a `\"` inside a field; quote the whole field and double the \
                                  quotes inside it (`\"Skole \"\"Nord\"\"\"`)"
                            .to_owned(),
                    });
                }
                _ if was_quoted => {
                    return Err(FileError {
                        line,
                        column: None,
                        message: "text after a quoted field; put a `,` after the closing `\"`"
                            .to_owned(),
                    });
                }
                c => field.push(c),
            }
        }
        fields.push(field);
        let blank = fields.len() == 1 && fields[0].trim().is_empty() && !was_quoted;
        if !blank {
            out.push(Record {
                line: start,
                fields,
            });
        }
    }
    Ok(out)
}

/// Reads an update file. A file with only the header is an update without changes.
pub fn parse(text: &str) -> Result<ChartUpdate, FileError> {
    let records = records(text)?;
    let Some((header, rows)) = records.split_first() else {
        return Err(FileError {
            line: 1,
            column: None,
            message: format!(
                "the file is empty; start with the header `{}` and give one row per account \
                 that ends or is new",
                COLUMNS.join(",")
            ),
        });
    };
    let columns = columns(header)?;
    let rows = rows
        .iter()
        .map(|r| row(&columns, r))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ChartUpdate::new(rows)?)
}

/// Per known column, its index in the header.
struct Columns {
    index: [Option<usize>; COLUMNS.len()],
    count: usize,
}

impl Columns {
    fn get<'r>(&self, record: &'r Record, name: &str) -> &'r str {
        COLUMNS
            .iter()
            .position(|c| *c == name)
            .and_then(|i| self.index[i])
            .map_or("", |i| record.fields[i].trim())
    }
}

fn columns(header: &Record) -> Result<Columns, FileError> {
    let error = |message: String| FileError {
        line: header.line,
        column: None,
        message,
    };
    let mut index = [None; COLUMNS.len()];
    for (i, name) in header.fields.iter().enumerate() {
        let name = name.trim();
        let Some(known) = COLUMNS.iter().position(|c| *c == name) else {
            return Err(error(format!(
                "the header names column {:?}, which is not an `accounts` column; use only {}",
                cpr::mask(name),
                COLUMNS.join(", ")
            )));
        };
        if index[known].is_some() {
            return Err(error(format!(
                "the header names column `{name}` twice; keep one"
            )));
        }
        index[known] = Some(i);
    }
    let missing: Vec<&str> = REQUIRED
        .iter()
        .filter(|c| {
            let i = COLUMNS
                .iter()
                .position(|k| k == *c)
                .expect("required columns are known");
            index[i].is_none()
        })
        .copied()
        .collect();
    if !missing.is_empty() {
        return Err(error(format!(
            "the header lacks {}; an update needs at least the columns {} (and `name`, \
             `valid_from` for new accounts)",
            missing.join(", "),
            REQUIRED.join(", ")
        )));
    }
    Ok(Columns {
        index,
        count: header.fields.len(),
    })
}

fn row(columns: &Columns, record: &Record) -> Result<UpdateRow, FileError> {
    let line = record.line;
    if record.fields.len() != columns.count {
        return Err(FileError {
            line,
            column: None,
            message: format!(
                "{} field(s), the header has {}; quote fields that contain `,`",
                record.fields.len(),
                columns.count
            ),
        });
    }
    let error = |column: &'static str, message: String| FileError {
        line,
        column: Some(column),
        message,
    };
    let account = match columns.get(record, "account") {
        "" => return Err(error("account", "empty; give the account's id".to_owned())),
        text => AccountId::parse(text).map_err(|e| error("account", e.to_string()))?,
    };
    let date = |column: &'static str| -> Result<Option<NaiveDate>, FileError> {
        match columns.get(record, column) {
            "" => Ok(None),
            text => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| {
                    error(
                        column,
                        format!(
                            "cannot read {:?} as an ISO date; write it like `2027-01-01`",
                            cpr::mask(text)
                        ),
                    )
                }),
        }
    };
    let valid_from = date("valid_from")?;
    let valid_to = date("valid_to")?;
    let successors = columns
        .get(record, "successors")
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| AccountId::parse(s).map_err(|e| error("successors", format!("successor {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let change = match columns.get(record, "change") {
        "" if successors.is_empty() => None,
        "" => {
            return Err(error(
                "successors",
                format!(
                    "{} successor(s) but no change; set `change` (renamed, merged, split) or \
                     empty `successors`",
                    successors.len()
                ),
            ));
        }
        text => {
            let kind = ChangeKind::parse(text).map_err(|e| error("change", e.to_string()))?;
            Some(
                AccountChange::new(kind, successors)
                    .map_err(|e| error("successors", e.to_string()))?,
            )
        }
    };
    Ok(UpdateRow {
        line,
        account,
        name: columns.get(record, "name").to_owned(),
        valid_from,
        valid_to,
        change,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn reads_the_contracts_dialect_with_lines() {
        let text = "\u{feff}account,name,valid_from,valid_to,change,successors\r\n\
                    4.90.01,\"Vedligehold, \"\"grønt\"\"\",,2027-01-01,renamed,4.90.11\r\n\
                    \r\n\
                    4.90.11,\"Vedligehold,\ngrønt\",2027-01-01,,,\n\
                    5.10.01,,,2027-01-01,split, 5.10.02 ;5.10.03\n\
                    5.10.02,,2027-01-01,,,\n\
                    5.10.03,,2027-01-01,,,\n\
                    6.00.01,,,2027-01-01,closed,";
        let update = parse(text).unwrap();
        let rows = update.rows();
        assert_eq!(rows.len(), 6);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].name, "Vedligehold, \"grønt\"");
        assert_eq!(
            rows[0].change,
            Some(AccountChange::Renamed {
                to: AccountId::parse("4.90.11").unwrap()
            })
        );
        // The blank line is skipped; the quoted field spans two lines.
        assert_eq!(
            (rows[1].line, rows[1].name.as_str()),
            (4, "Vedligehold,\ngrønt")
        );
        assert_eq!(rows[1].valid_from, Some("2027-01-01".parse().unwrap()));
        assert_eq!(rows[2].line, 6);
        assert_eq!(rows[2].change.as_ref().unwrap().successors().len(), 2);
        assert_eq!(rows[5].line, 9);
        assert_eq!(rows[5].change, Some(AccountChange::Closed));
        assert!(
            parse("account,valid_to,change,successors\n")
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn problems_name_the_line_the_column_and_the_fix() {
        assert!(err("").starts_with("line 1: the file is empty"));
        assert!(
            err("account,valid_to,change\n").starts_with("line 1: the header lacks successors"),
            "{}",
            err("account,valid_to,change\n")
        );
        assert!(err("account,valid_to,change,successors,colour\n").contains("\"colour\""));
        let head = "account,valid_to,change,successors\n";
        assert_eq!(
            err(&format!(
                "{head}A,2027-01-01,closed,\nB,2027-13-01,closed,\n"
            )),
            "line 3, column `valid_to`: cannot read \"2027-13-01\" as an ISO date; write it like \
             `2027-01-01`"
        );
        assert_eq!(
            err(&format!("{head}A,2027-01-01,moved,B\n")),
            "line 2, column `change`: account change must be one of: renamed, merged, split, closed"
        );
        assert_eq!(
            err(&format!("{head}A,2027-01-01,renamed,B;C\n")),
            "line 2, column `successors`: `renamed` needs exactly one successor, found 2; list it \
             in `successors`"
        );
        assert_eq!(
            err(&format!("{head}A,2027-01-01,,B\n")),
            "line 2, column `successors`: 1 successor(s) but no change; set `change` (renamed, \
             merged, split) or empty `successors`"
        );
        assert_eq!(
            err(&format!("{head}A,2027-01-01,closed\n")),
            "line 2: 3 field(s), the header has 4; quote fields that contain `,`"
        );
        assert!(
            err(&format!("{head}A b,2027-01-01,closed,\n"))
                .starts_with("line 2, column `account`: account has a character")
        );
        assert!(
            err(&format!("{head}\"A,2027-01-01,closed,\n"))
                .starts_with("line 2: a quoted field is not closed")
        );
        assert!(
            err(&format!("{head}A\"x,2027-01-01,closed,\n"))
                .starts_with("line 2: a `\"` inside a field")
        );
        assert_eq!(
            err(&format!(
                "{head}A,2027-01-01,closed,\nA,2028-01-01,closed,\n"
            )),
            "line 3: account A already has a row (line 2); give each account one row"
        );
        // A CPR-shaped value is never echoed.
        assert!(!err(&format!("{head}A,010190-1234,closed,\n")).contains("010190"));
    }
}
