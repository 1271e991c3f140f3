//! Section 9, amendments: who may propose and who must approve a change.

use std::collections::HashSet;

use super::duties::ROLE_UNKNOWN;
use super::ids::name_key;
use super::wording::{quoted, say};
use super::{filled, CheckInfo, Findings, Ids, Part, Requirement, WARNING};
use crate::model::{Agreement, PartySide, Section};

/// What this section adds to the catalogue, the consistency run and the checklist.
pub(super) const PART: Part = Part {
    section: Section::Amendments,
    checks: &[AMENDMENT_APPROVERS_ONE_SIDED],
    passes: &[check_amendments],
    requirements: REQUIREMENTS,
    #[cfg(test)]
    cases: tests::cases,
};

// ---------------------------------------------------------------- checklist

const REQUIREMENTS: &[Requirement] = &[
    Requirement::new(
        "amendments.proposers",
        "amendments.proposers",
        |a| a.amendments.proposers.iter().any(|s| filled(s)),
        "Wer Änderungen vorschlagen darf",
        "Who may propose changes",
    ),
    Requirement::new(
        "amendments.approvers",
        "amendments.approvers",
        |a| a.amendments.approvers.iter().any(|s| filled(s)),
        "Wer Änderungen genehmigen muss",
        "Who must approve changes",
    ),
    Requirement::new(
        "amendments.notice",
        "amendments.notice",
        |a| a.amendments.notice.is_some(),
        "Vorlauf, bevor eine Änderung wirksam wird",
        "Notice before a change takes effect",
    ),
];

// ---------------------------------------------------------------- checks

const AMENDMENT_APPROVERS_ONE_SIDED: CheckInfo = CheckInfo::new(
    "amendment-approvers-one-sided",
    WARNING,
    "All roles that must approve a change belong to the same party.",
);

/// Proposers may be named as a party instead of a role.
fn is_party(text: &str, a: &Agreement) -> bool {
    let t = name_key(text);
    let words = [
        "provider",
        "customer",
        "anbieter",
        "kunde",
        "auftraggeber",
        "auftragnehmer",
    ];
    words.contains(&t.as_str())
        || [&a.overview.provider.name, &a.overview.customer.name]
            .iter()
            .any(|n| filled(n) && name_key(n) == t)
}

fn check_amendments(a: &Agreement, ids: &Ids, out: &mut Findings) {
    let am = &a.amendments;
    for (k, p) in am.proposers.iter().enumerate() {
        if ids.is_role(p) || is_party(p, a) {
            continue;
        }
        out.emit(&ROLE_UNKNOWN, format!("amendments.proposers[{k}]"), |l| {
            let p = quoted(p, l);
            say(
                l,
                format!(
                    "Wer Änderungen vorschlagen darf: {p} ist weder eine \
                    definierte Rolle noch eine Vertragspartei."
                ),
                format!("Who may propose changes: {p} is neither a defined role nor a party."),
            )
        });
    }
    let mut sides = HashSet::new();
    let mut all_known = true;
    for (k, r) in am.approvers.iter().enumerate() {
        match ids.roles.get(r.as_str()).filter(|_| filled(r)) {
            Some(role) => {
                sides.insert(role.party);
            }
            None => {
                all_known = false;
                out.emit(&ROLE_UNKNOWN, format!("amendments.approvers[{k}]"), |l| {
                    let r = quoted(r, l);
                    say(
                        l,
                        format!(
                            "Wer Änderungen genehmigen muss: {r} ist keine unter den \
                            Pflichten definierte Rolle."
                        ),
                        format!(
                            "Who must approve changes: {r} is not a role defined under duties."
                        ),
                    )
                });
            }
        }
    }
    if all_known && sides.len() == 1 {
        let side = sides.into_iter().next().unwrap_or_default();
        out.emit(
            &AMENDMENT_APPROVERS_ONE_SIDED,
            "amendments.approvers".into(),
            |l| {
                let (party, other) = match side {
                    PartySide::Provider => (
                        say(l, "dem Anbieter".into(), "the provider".into()),
                        say(l, "der Kunde".into(), "the customer".into()),
                    ),
                    PartySide::Customer => (
                        say(l, "dem Kunden".into(), "the customer".into()),
                        say(l, "der Anbieter".into(), "the provider".into()),
                    ),
                };
                say(
                    l,
                    format!(
                        "Alle Genehmigenden einer Änderung gehören zu {party}; \
                        {other} muss nicht zustimmen."
                    ),
                    format!(
                        "Everyone who must approve a change belongs to {party}; \
                        {other} has no say."
                    ),
                )
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::check::fixtures::*;
    use crate::check::{check, Finding};

    /// One case per check of this section.
    pub(super) fn cases() -> Vec<Case> {
        vec![case(
            "amendment-approvers-one-sided",
            json!({"duties": {"roles": roles()}, "amendments": {"approvers": ["sdm", "lead"]}}),
            json!({"duties": {"roles": roles()}, "amendments": {"approvers": ["sdm", "it-lead"]}}),
        )]
    }

    #[test]
    fn a_party_named_in_another_unicode_normal_form_is_the_same_party() {
        // "Müller" typed on a keyboard is NFC; pasted from a PDF or a Mac it is often NFD.
        let a = agreement(&json!({
            "overview": {"customer": {"name": "M\u{00FC}ller GmbH"}},
            "amendments": {"proposers": ["Mu\u{0308}ller GmbH"], "approvers": []}
        }));
        let report = check(&a);
        let unknown: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.path == "amendments.proposers[0]")
            .collect();
        assert!(
            unknown.is_empty(),
            "the proposer is the customer, only in decomposed form: {unknown:?}"
        );
    }
}
