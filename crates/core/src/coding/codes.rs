//! The four coding-field types: account, cost centre, VAT code and project.

use super::code::code_type;

code_type!(
    /// An account in the chart of accounts, e.g. `5.25.14.1.2.2`.
    AccountId,
    "account"
);
code_type!(
    /// A cost centre ("omkostningssted"): the unit that spent the money.
    CostCentre,
    "cost centre"
);
code_type!(
    /// A VAT code of the ledger (not the UBL VAT category).
    VatCode,
    "VAT code"
);
code_type!(
    /// A project or PSP element.
    ProjectId,
    "project"
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coding::{CodeError, CodeErrorReason};

    fn check(input: &str, expected: Result<&str, CodeErrorReason>) {
        let parsed = AccountId::parse(input);
        let expected = expected.map_err(|reason| CodeError {
            field: "account",
            reason,
        });
        assert_eq!(
            parsed.as_ref().map(AccountId::as_str),
            expected.as_deref(),
            "{input:?}"
        );
    }

    #[test]
    fn parses_and_trims() {
        check("5.25.14.1.2.2", Ok("5.25.14.1.2.2"));
        check("  4010 ", Ok("4010"));
        check("A-1_b/2", Ok("A-1_b/2"));
        check(&"9".repeat(32), Ok(&"9".repeat(32)));
    }

    #[test]
    fn rejects_with_the_rule_broken() {
        check("", Err(CodeErrorReason::Empty));
        check(" \t", Err(CodeErrorReason::Empty));
        check(
            &"9".repeat(33),
            Err(CodeErrorReason::TooLong { max: 32, found: 33 }),
        );
        check("40 10", Err(CodeErrorReason::InvalidChar { position: 3 }));
        check("4010æ", Err(CodeErrorReason::InvalidChar { position: 5 }));
        check("a,b", Err(CodeErrorReason::InvalidChar { position: 2 }));
    }

    #[test]
    fn messages_name_the_field() {
        let message = |r: Result<String, CodeError>| r.unwrap_err().to_string();
        assert_eq!(
            message(CostCentre::parse("").map(|c| c.to_string())),
            "cost centre is empty; give a code"
        );
        assert_eq!(
            message(VatCode::parse(&"x".repeat(40)).map(|c| c.to_string())),
            "VAT code must have at most 32 characters, found 40"
        );
        assert_eq!(
            message(ProjectId::parse("P 1").map(|c| c.to_string())),
            "project has a character that is not allowed at position 2; \
             use only letters A-Z, digits and . - _ /"
        );
    }

    #[test]
    fn debug_masks_cpr_but_display_does_not() {
        let account = AccountId::parse("010190-1234").unwrap();
        assert_eq!(format!("{account:?}"), "AccountId(\"XXXXXX-XXXX\")");
        assert_eq!(account.to_string(), "010190-1234");
        assert_eq!(
            format!("{:?}", AccountId::parse("4010").unwrap()),
            "AccountId(\"4010\")"
        );
    }

    #[test]
    fn borrows_as_str_for_map_lookups() {
        let mut map = std::collections::HashMap::new();
        map.insert(AccountId::parse("4010").unwrap(), 1);
        assert_eq!(map.get("4010"), Some(&1));
    }
}
