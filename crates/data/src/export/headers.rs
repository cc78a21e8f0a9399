//! Header matching: aliases and headers are compared as lowercase letters and digits only, so
//! `Capital /Revenue`, `capital/ revenue` and `CAPITAL-REVENUE` are the same name.

/// The name as matched: lowercase letters and digits, everything else dropped.
pub fn normalise_header(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Which of the same-named headers a field takes when a header occurs several times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Duplicates {
    /// The leftmost (the default).
    #[default]
    First,
    /// The rightmost.
    Last,
}

/// The index of the header that the first matching alias finds; aliases are tried in order.
pub(super) fn find_header(
    aliases: &[String],
    duplicates: Duplicates,
    normalised_headers: &[String],
) -> Option<usize> {
    aliases.iter().find_map(|alias| {
        let alias = normalise_header(alias);
        let mut hits = normalised_headers
            .iter()
            .enumerate()
            .filter(|(_, h)| **h == alias)
            .map(|(i, _)| i);
        match duplicates {
            Duplicates::First => hits.next(),
            Duplicates::Last => hits.next_back(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|h| normalise_header(h)).collect()
    }

    fn aliases(names: &[&str]) -> Vec<String> {
        names.iter().map(|&a| a.to_owned()).collect()
    }

    #[test]
    fn normalising_ignores_case_space_and_punctuation() {
        assert_eq!(normalise_header(" Capital /Revenue"), "capitalrevenue");
        assert_eq!(normalise_header("Capital/ Revenue"), "capitalrevenue");
        assert_eq!(normalise_header("Transaction No."), "transactionno");
        assert_eq!(normalise_header("Supplier Name(T)"), "suppliernamet");
        assert_eq!(normalise_header("Beløb (DKK)"), "beløbdkk");
    }

    #[test]
    fn first_matching_alias_wins() {
        let h = headers(&["Supplier Name", "Supplier Name(T)", "Net amount"]);
        let a = aliases(&["Supplier Name (T)", "Supplier Name"]);
        assert_eq!(find_header(&a, Duplicates::First, &h), Some(1));
        assert_eq!(
            find_header(&aliases(&["NET AMOUNT"]), Duplicates::First, &h),
            Some(2)
        );
        assert_eq!(
            find_header(&aliases(&["Amount"]), Duplicates::First, &h),
            None
        );
    }

    #[test]
    fn duplicated_headers_take_first_or_last() {
        let h = headers(&["Expenditure Code", "Expenditure Code", "Payment Date"]);
        let a = aliases(&["Expenditure Code"]);
        assert_eq!(find_header(&a, Duplicates::First, &h), Some(0));
        assert_eq!(find_header(&a, Duplicates::Last, &h), Some(1));
    }
}
