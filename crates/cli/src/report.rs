//! The one line a failed command prints: the error and each cause in turn, leaving out a cause
//! whose words the line already holds (the store's errors name their cause in their own message,
//! so printing the chain as it is would say the same thing two or three times).

/// The error and its causes, each said once.
pub fn describe(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if text.is_empty() || line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error that names its cause in its own message, as the store's errors do.
    #[derive(Debug)]
    struct Outer(Inner);

    impl std::fmt::Display for Outer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(
                f,
                "cannot connect to the database: {}; check the URL",
                self.0
            )
        }
    }

    impl std::error::Error for Outer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[derive(Debug)]
    struct Inner;

    impl std::fmt::Display for Inner {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("connection refused")
        }
    }

    impl std::error::Error for Inner {}

    #[test]
    fn a_cause_the_message_already_names_is_not_repeated() {
        let err = anyhow::Error::new(Outer(Inner));
        assert_eq!(
            describe(&err),
            "cannot connect to the database: connection refused; check the URL"
        );
    }

    #[test]
    fn context_and_a_cause_it_does_not_name_are_both_said() {
        let err = anyhow::Error::new(Inner).context("opening kontera.db");
        assert_eq!(describe(&err), "opening kontera.db: connection refused");
    }
}
