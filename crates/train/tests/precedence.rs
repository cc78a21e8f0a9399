//! The precedence chain on a trained model: the invoice's own valid account string beats a fixed
//! rule, which beats the model; anything invalid falls through to the next step.

use std::sync::OnceLock;

use kontera_core::model::{Field, LineEvidence, ModelScratch};
use kontera_core::precedence::{Chain, ChainLine, FixedRule, RuleSet, Source};
use kontera_core::{AccountId, Chart, CostCentre};
use kontera_train::LabelledLine;
use kontera_train::example::Example;
use kontera_train::fit::{TrainOptions, Trained, train};

mod common;
use common::{d, generated};

struct Fixture {
    trained: Trained,
    chart: Chart,
    lines: Vec<LabelledLine>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let g = generated(2, 3_000, 9, 2023);
        let lines = g.lines(None, None, d(2024, 12, 31));
        let chart = g.chart;
        let options = TrainOptions {
            ranking_sample: 3_000,
            ..TrainOptions::default()
        };
        let trained = train(&lines, &options, |_| {}).unwrap();
        Fixture {
            trained,
            chart,
            lines,
        }
    })
}

/// A line the model codes, and an account valid on its date that the model did not choose.
fn line_and_other_account() -> (&'static LabelledLine, AccountId) {
    let f = fixture();
    let line = f
        .lines
        .iter()
        .rev()
        .find(|l| l.accounting_cost.is_none())
        .unwrap();
    let mut scratch = ModelScratch::default();
    let p = f.trained.model.predict(&line.evidence(), &mut scratch);
    let account = &f.trained.model.fields[0];
    assert_eq!(account.field, Field::Account);
    let top = &account.labels[p.top(0).unwrap() as usize];
    let other = f
        .chart
        .valid_on(line.issue_date)
        .map(|e| e.id.clone())
        .find(|id| id.as_str() != top)
        .unwrap();
    (line, other)
}

fn code(
    line: &LabelledLine,
    accounting_cost: Option<&str>,
    rules: &RuleSet,
) -> (Source, Option<String>) {
    let f = fixture();
    let chain = Chain {
        model: &f.trained.model,
        chart: Some(&f.chart),
        rules,
    };
    let input = ChainLine {
        evidence: LineEvidence {
            accounting_cost,
            ..line.evidence()
        },
        amount: line.net_amount,
        on: line.issue_date,
    };
    let coded = chain.code(&input, &mut ModelScratch::default());
    (coded.source, coded.labels[0].clone())
}

fn rule_for(line: &LabelledLine, account: &AccountId) -> FixedRule {
    FixedRule {
        supplier: line.evidence().supplier.unwrap().to_owned(),
        unit: None,
        amount_min: None,
        amount_max: None,
        account: account.clone(),
        cost_centre: Some(CostCentre::parse("99999").unwrap()),
        vat_code: None,
    }
}

#[test]
fn a_valid_account_string_on_the_invoice_beats_the_model() {
    let (line, other) = line_and_other_account();
    let (source, account) = code(line, Some(other.as_str()), &RuleSet::default());
    assert_eq!(source, Source::AccountingCost);
    assert_eq!(account.as_deref(), Some(other.as_str()));
}

#[test]
fn an_account_string_not_in_the_current_chart_falls_through_to_the_model() {
    let (line, _) = line_and_other_account();
    let (model_source, model_account) = code(line, None, &RuleSet::default());
    assert_eq!(model_source, Source::Model);
    for junk in ["4711", "not an account", ""] {
        assert_eq!(
            code(line, Some(junk), &RuleSet::default()),
            (Source::Model, model_account.clone()),
            "{junk:?}"
        );
    }
}

#[test]
fn a_model_without_accounts_takes_only_evidence_from_the_account_string() {
    let f = fixture();
    let (line, other) = line_and_other_account();
    let mut model = f.trained.model.clone();
    model.fields.retain(|m| m.field != Field::Account);
    let chain = Chain {
        model: &model,
        chart: Some(&f.chart),
        rules: &RuleSet::default(),
    };
    let input = ChainLine {
        evidence: LineEvidence {
            accounting_cost: Some(other.as_str()),
            ..line.evidence()
        },
        amount: line.net_amount,
        on: line.issue_date,
    };
    let coded = chain.code(&input, &mut ModelScratch::default());
    // Nothing to post the account to: the model codes the line, and says so.
    assert_eq!(coded.source, Source::Model);
    assert_eq!(coded.confidence, coded.prediction.confidence);
}

#[test]
fn a_fixed_rule_beats_the_model_and_the_account_string_beats_the_rule() {
    let (line, other) = line_and_other_account();
    let rules = RuleSet::new(vec![rule_for(line, &other)]).unwrap();
    assert_eq!(
        code(line, None, &rules),
        (Source::Rule, Some(other.to_string()))
    );
    // An account string valid on the date wins over the rule.
    let third = fixture()
        .chart
        .valid_on(line.issue_date)
        .map(|e| e.id.clone())
        .find(|id| *id != other)
        .unwrap();
    assert_eq!(
        code(line, Some(third.as_str()), &rules),
        (Source::AccountingCost, Some(third.to_string()))
    );
}

#[test]
fn a_rule_that_fixes_every_field_is_certain_and_keeps_the_models_suggestion() {
    let f = fixture();
    let (line, other) = line_and_other_account();
    let mut rule = rule_for(line, &other);
    rule.vat_code = Some(kontera_core::VatCode::parse("I25").unwrap());
    let rules = RuleSet::new(vec![rule]).unwrap();
    let chain = Chain {
        model: &f.trained.model,
        chart: Some(&f.chart),
        rules: &rules,
    };
    let input = ChainLine {
        evidence: line.evidence(),
        amount: line.net_amount,
        on: line.issue_date,
    };
    let coded = chain.code(&input, &mut ModelScratch::default());
    assert_eq!(
        coded.labels,
        vec![
            Some(other.to_string()),
            Some("99999".into()),
            Some("I25".into())
        ]
    );
    assert_eq!(coded.confidence, 1.0);
    // The model's own suggestion is kept for the reviewer.
    assert!(!coded.prediction.fields[0].is_empty());
}
