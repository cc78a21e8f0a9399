//! Recent corrections of a supplier × unit: when a controller recently coded one of a supplier's
//! invoices to a unit otherwise than the service suggested (or, for a blind audit sample, would
//! have posted), and the model suggests that same coding again for a line of the group's next
//! invoice, the group's coding may have changed since the model learned it (a re-purposed
//! account, a reorganised unit). Such a line is not posted automatically: it goes to a person
//! with the reason `recent_change`, until a later review of the group accepts the suggestion
//! again or the correction is older than `trust.recent_change_days`. This is how the service
//! hears of drift between retrainings from every invoice its controllers code, not only from the
//! audit sample.

use chrono::DateTime;
use kontera_core::cpr;
use kontera_core::precedence::Source;
use kontera_core::screen::{Finding, Reason};
use kontera_store::GroupReview;

/// A line's coding as the service would post it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suggested<'a> {
    pub line_no: u32,
    pub source: Source,
    pub account: Option<&'a str>,
    pub cost_centre: Option<&'a str>,
    pub vat_code: Option<&'a str>,
}

/// The `recent_change` findings for `lines` given the group's reviewed lines (newest first, as
/// [`kontera_store::Store::group_reviews`] returns them): one per model-coded line whose coding
/// was last reviewed as a correction. Codings by a fixed rule or the invoice's own account
/// string are not the model's to doubt.
pub fn findings(lines: &[Suggested<'_>], reviews: &[GroupReview]) -> Vec<Finding> {
    lines
        .iter()
        .filter(|l| l.source == Source::Model && l.account.is_some())
        .filter_map(|l| {
            let latest = reviews.iter().find(|r| suggested_as(r, l))?;
            (!latest.line.matches).then(|| finding(l, latest))
        })
        .collect()
}

/// Whether the review's suggestion was exactly the coding `l` suggests now.
fn suggested_as(r: &GroupReview, l: &Suggested<'_>) -> bool {
    let s = &r.line;
    s.suggested_account.as_deref() == l.account
        && s.suggested_cost_centre.as_deref() == l.cost_centre
        && s.suggested_vat_code.as_deref() == l.vat_code
}

fn finding(l: &Suggested<'_>, r: &GroupReview) -> Finding {
    let day = DateTime::from_timestamp_millis(r.reviewed_at).map_or_else(
        || "recently".to_owned(),
        |t| format!("on {}", t.date_naive()),
    );
    let coded = coding(
        Some(&r.line.account),
        r.line.cost_centre.as_deref(),
        r.line.vat_code.as_deref(),
    );
    let suggested = coding(l.account, l.cost_centre, l.vat_code);
    Finding::new(
        Reason::RecentChange,
        format!(
            "Line {}: {day} a controller coded this supplier's invoice to this unit as {coded} \
             where {suggested} was suggested, and the model suggests {suggested} again; check \
             whether the coding has changed.",
            l.line_no
        ),
    )
}

/// A coding for people, e.g. `4400 / 1020 / I25`; CPR-masked.
fn coding(account: Option<&str>, cost_centre: Option<&str>, vat_code: Option<&str>) -> String {
    [account, cost_centre, vat_code]
        .into_iter()
        .flatten()
        .map(|v| cpr::mask(v).into_owned())
        .collect::<Vec<_>>()
        .join(" / ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use kontera_store::ReviewedLine;

    use crate::clock::DAY_MS;

    fn model(account: &str) -> Suggested<'_> {
        Suggested {
            line_no: 1,
            source: Source::Model,
            account: Some(account),
            cost_centre: Some("1020"),
            vat_code: Some("I25"),
        }
    }

    /// A review on day `day` of a line suggested as `suggested` / 1020 / I25, coded `coded`.
    fn review(day: i64, suggested: &str, coded: &str) -> GroupReview {
        GroupReview {
            decision_id: format!("d-{day}"),
            reviewed_at: day * DAY_MS,
            line: ReviewedLine {
                line_no: 1,
                account: coded.to_owned(),
                cost_centre: Some("1020".to_owned()),
                vat_code: Some("I25".to_owned()),
                suggested_account: Some(suggested.to_owned()),
                suggested_cost_centre: Some("1020".to_owned()),
                suggested_vat_code: Some("I25".to_owned()),
                matches: suggested == coded,
            },
        }
    }

    #[test]
    fn the_latest_correction_of_the_same_suggestion_holds_the_line_back() {
        let reviews = [
            review(20_000, "4400", "4410"),
            review(19_990, "4400", "4400"),
        ];
        let found = findings(&[model("4400")], &reviews);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].reason, Reason::RecentChange);
        assert_eq!(
            found[0].message,
            "Line 1: on 2024-10-04 a controller coded this supplier's invoice to this unit as \
             4410 / 1020 / I25 where 4400 / 1020 / I25 was suggested, and the model suggests \
             4400 / 1020 / I25 again; check whether the coding has changed."
        );
    }

    #[test]
    fn a_later_acceptance_of_the_suggestion_lifts_it() {
        let reviews = [
            review(20_001, "4400", "4400"),
            review(20_000, "4400", "4410"),
        ];
        assert!(findings(&[model("4400")], &reviews).is_empty());
    }

    #[test]
    fn only_a_correction_of_this_very_coding_counts() {
        // Another suggestion of the group was corrected; this one was never reviewed.
        let reviews = [review(20_000, "4500", "4410")];
        assert!(findings(&[model("4400")], &reviews).is_empty());
        let mut other_vat = review(20_000, "4400", "4410");
        other_vat.line.suggested_vat_code = Some("I0".to_owned());
        assert!(findings(&[model("4400")], &[other_vat]).is_empty());
    }

    #[test]
    fn a_rules_or_the_invoices_own_coding_is_not_doubted() {
        let reviews = [review(20_000, "4400", "4410")];
        for source in [Source::Rule, Source::AccountingCost] {
            let line = Suggested {
                source,
                ..model("4400")
            };
            assert!(findings(&[line], &reviews).is_empty());
        }
        let no_coding = Suggested {
            account: None,
            ..model("4400")
        };
        assert!(findings(&[no_coding], &reviews).is_empty());
    }
}
