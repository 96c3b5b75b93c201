//! Every rule fires on its `bad` fixture and stays silent on its `good` one; the
//! rendered report of each `bad` fixture is snapshotted.

mod common;

use archlint::registry::RULES;
use common::{fixture, positions, render, run};

#[test]
fn every_rule_fires_on_bad_and_is_silent_on_good() {
    let mut failures = Vec::new();
    for rule in RULES {
        let bad = fixture(&format!("{}/bad", rule.id));
        let good = fixture(&format!("{}/good", rule.id));
        if !bad.is_dir() || !good.is_dir() {
            failures.push(format!(
                "{}: missing fixtures/{}/{{bad,good}}",
                rule.id, rule.id
            ));
            continue;
        }
        let fired = run(&bad, &[rule.id, "archlint"]);
        let of_rule = fired
            .findings
            .iter()
            .filter(|f| f.finding.rule == rule.id)
            .count();
        let others: Vec<String> = positions(&fired)
            .into_iter()
            .filter(|p| !p.contains(rule.id))
            .collect();
        if of_rule == 0 {
            failures.push(format!("{}: silent on its bad fixture", rule.id));
        }
        if !others.is_empty() {
            failures.push(format!("{}: bad fixture also yields {others:?}", rule.id));
        }
        let silent = run(&good, &[rule.id, "archlint"]);
        if !silent.findings.is_empty() {
            failures.push(format!(
                "{}: fires on its good fixture: {:?}",
                rule.id,
                positions(&silent)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn bad_fixture_reports_are_snapshotted() {
    for rule in RULES {
        let bad = fixture(&format!("{}/bad", rule.id));
        if !bad.is_dir() {
            continue;
        }
        let outcome = run(&bad, &[rule.id]);
        let name = rule.id.replace('/', "__");
        insta::assert_snapshot!(name, render(&outcome));
    }
}
