//! Section 7, duties: the roles of both parties, their responsibilities and the RACI matrix.
//! Also the owner check other sections use: an owner must be a role defined here.

use std::collections::HashSet;

use super::wording::{label, listing, quoted, say};
use super::{filled, CheckInfo, Findings, Ids, Part, Requirement, ERROR, WARNING};
use crate::model::{Agreement, PartySide, Section};

/// What this section adds to the catalogue, the consistency run and the checklist.
pub(super) const PART: Part = Part {
    section: Section::Duties,
    checks: &[
        ROLE_ID_MISSING,
        ROLE_ID_DUPLICATE,
        RACI_ACCOUNTABLE,
        RACI_RESPONSIBLE_MISSING,
        RACI_LETTERS,
        RACI_ROLE_UNKNOWN,
        RACI_ROLE_REPEATED,
        ROLE_UNKNOWN,
    ],
    passes: &[check_roles, check_raci],
    requirements: REQUIREMENTS,
    #[cfg(test)]
    cases: tests::cases,
};

// ---------------------------------------------------------------- checklist

/// Whether the party has a role with an id or a title.
fn side_role(a: &Agreement, side: PartySide) -> bool {
    a.duties
        .roles
        .iter()
        .any(|r| r.party == side && (filled(&r.id) || filled(&r.title)))
}

/// Whether the party has a written responsibility.
fn side_duty(a: &Agreement, side: PartySide) -> bool {
    a.duties
        .responsibilities
        .iter()
        .any(|r| r.party == side && filled(&r.text))
}

const REQUIREMENTS: &[Requirement] = &[
    Requirement::new(
        "duties.roles.provider",
        "duties.roles",
        |a| side_role(a, PartySide::Provider),
        "Rollen auf Anbieterseite",
        "Roles on the provider's side",
    ),
    Requirement::new(
        "duties.roles.customer",
        "duties.roles",
        |a| side_role(a, PartySide::Customer),
        "Rollen auf Kundenseite",
        "Roles on the customer's side",
    ),
    Requirement::new(
        "duties.responsibilities.provider",
        "duties.responsibilities",
        |a| side_duty(a, PartySide::Provider),
        "Pflichten des Anbieters",
        "Responsibilities of the provider",
    ),
    Requirement::new(
        "duties.responsibilities.customer",
        "duties.responsibilities",
        |a| side_duty(a, PartySide::Customer),
        "Mitwirkungspflichten des Kunden",
        "Responsibilities of the customer",
    ),
    Requirement::new(
        "duties.raci",
        "duties.raci",
        |a| !a.duties.raci.is_empty(),
        "RACI-Matrix für die wichtigsten Tätigkeiten",
        "RACI matrix for the key activities",
    ),
];

// ---------------------------------------------------------------- checks

const ROLE_ID_MISSING: CheckInfo = CheckInfo::new(
    "role-id-missing",
    WARNING,
    "A role has no id, so the RACI, escalation and owners cannot refer to it.",
);
const ROLE_ID_DUPLICATE: CheckInfo =
    CheckInfo::new("role-id-duplicate", ERROR, "Two roles have the same id.");

fn check_roles(a: &Agreement, _ids: &Ids, out: &mut Findings) {
    let mut seen = HashSet::new();
    for (i, r) in a.duties.roles.iter().enumerate() {
        let path = format!("duties.roles[{i}].id");
        if !filled(&r.id) {
            let name = label(&[&r.title, &r.person], i);
            out.emit(&ROLE_ID_MISSING, path, |l| {
                say(
                    l,
                    format!(
                        "Rolle {name} hat keine ID; RACI, Eskalation und \
                        Verantwortliche können sie nicht nennen."
                    ),
                    format!(
                        "Role {name} has no id; the RACI, escalation and owners \
                        cannot refer to it."
                    ),
                )
            });
        } else if !seen.insert(r.id.as_str()) {
            out.emit(&ROLE_ID_DUPLICATE, path, |l| {
                let id = quoted(&r.id, l);
                say(
                    l,
                    format!("Die Rollen-ID {id} ist bereits vergeben."),
                    format!("The role id {id} is already used by another role."),
                )
            });
        }
    }
}

const RACI_ACCOUNTABLE: CheckInfo = CheckInfo::new(
    "raci-accountable",
    ERROR,
    "A RACI activity does not have exactly one accountable role (A).",
);
const RACI_RESPONSIBLE_MISSING: CheckInfo = CheckInfo::new(
    "raci-responsible-missing",
    ERROR,
    "A RACI activity has no responsible role (R).",
);
const RACI_LETTERS: CheckInfo = CheckInfo::new(
    "raci-letters",
    ERROR,
    "A RACI cell is empty, repeats a letter or holds letters other than R, A, C, I.",
);
const RACI_ROLE_UNKNOWN: CheckInfo = CheckInfo::new(
    "raci-role-unknown",
    ERROR,
    "A RACI cell names a role that is not defined under duties.",
);
const RACI_ROLE_REPEATED: CheckInfo = CheckInfo::new(
    "raci-role-repeated",
    WARNING,
    "A role appears twice in the same RACI activity.",
);

/// The RACI letters of a cell, upper-cased; other characters and repeats are reported.
struct RaciCell {
    letters: Vec<char>,
    invalid: Vec<char>,
    repeated: bool,
}

fn parse_raci(text: &str) -> RaciCell {
    let mut cell = RaciCell {
        letters: Vec::new(),
        invalid: Vec::new(),
        repeated: false,
    };
    for c in text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, ',' | '/' | '+'))
    {
        let upper = c.to_ascii_uppercase();
        if !matches!(upper, 'R' | 'A' | 'C' | 'I') {
            cell.invalid.push(c);
        } else if cell.letters.contains(&upper) {
            cell.repeated = true;
        } else {
            cell.letters.push(upper);
        }
    }
    cell
}

fn check_raci(a: &Agreement, ids: &Ids, out: &mut Findings) {
    for (i, activity) in a.duties.raci.iter().enumerate() {
        let base = format!("duties.raci[{i}]");
        let name = label(&[&activity.activity], i);
        let mut accountable: Vec<String> = Vec::new();
        let mut responsible = 0usize;
        let mut seen = HashSet::new();
        for (j, cell) in activity.assignments.iter().enumerate() {
            let path = format!("{base}.assignments[{j}]");
            let role = cell.role.trim();
            if !ids.is_role(role) {
                out.emit(&RACI_ROLE_UNKNOWN, format!("{path}.role"), |l| {
                    if role.is_empty() {
                        say(
                            l,
                            format!("RACI „{name}“: Eine Zuordnung nennt keine Rolle."),
                            format!("RACI \"{name}\": an assignment names no role."),
                        )
                    } else {
                        let r = quoted(role, l);
                        say(
                            l,
                            format!(
                                "RACI „{name}“: {r} ist keine unter den Pflichten \
                                definierte Rolle."
                            ),
                            format!("RACI \"{name}\": {r} is not a role defined under duties."),
                        )
                    }
                });
            } else if !seen.insert(role) {
                out.emit(&RACI_ROLE_REPEATED, format!("{path}.role"), |l| {
                    let r = quoted(role, l);
                    say(
                        l,
                        format!(
                            "RACI „{name}“: Die Rolle {r} kommt mehrfach vor; fassen Sie \
                            ihre Buchstaben zusammen."
                        ),
                        format!(
                            "RACI \"{name}\": the role {r} appears more than once; \
                            combine its letters."
                        ),
                    )
                });
            }
            let letters = parse_raci(&cell.letters);
            if letters.letters.contains(&'A') {
                accountable.push(label(&[role], j));
            }
            if letters.letters.contains(&'R') {
                responsible += 1;
            }
            let problem = if !letters.invalid.is_empty() {
                let bad: String = letters.invalid.iter().collect();
                Some((
                    format!("enthält ungültige Zeichen ({bad}); erlaubt sind R, A, C, I"),
                    format!("holds invalid characters ({bad}); only R, A, C, I are allowed"),
                ))
            } else if letters.letters.is_empty() {
                Some(("ist leer".to_string(), "is empty".to_string()))
            } else if letters.repeated {
                Some((
                    "wiederholt einen Buchstaben".to_string(),
                    "repeats a letter".to_string(),
                ))
            } else {
                None
            };
            if let Some((de, en)) = problem {
                let who = label(&[role], j);
                out.emit(&RACI_LETTERS, format!("{path}.letters"), |l| {
                    let text = quoted(&cell.letters, l);
                    say(
                        l,
                        format!("RACI „{name}“, Rolle {who}: {text} {de}."),
                        format!("RACI \"{name}\", role {who}: {text} {en}."),
                    )
                });
            }
        }
        if accountable.len() != 1 {
            out.emit(&RACI_ACCOUNTABLE, base.clone(), |l| {
                if accountable.is_empty() {
                    say(
                        l,
                        format!(
                            "RACI „{name}“: Keine Rolle trägt die Verantwortung (A); \
                            genau eine muss es sein."
                        ),
                        format!(
                            "RACI \"{name}\": no role is accountable (A); exactly one must be."
                        ),
                    )
                } else {
                    say(
                        l,
                        format!(
                            "RACI „{name}“: Mehrere Rollen tragen die Verantwortung (A): \
                            {}; genau eine muss es sein.",
                            listing(&accountable, accountable.len(), l)
                        ),
                        format!(
                            "RACI \"{name}\": several roles are accountable (A): {}; \
                            exactly one must be.",
                            listing(&accountable, accountable.len(), l)
                        ),
                    )
                }
            });
        }
        if responsible == 0 {
            out.emit(&RACI_RESPONSIBLE_MISSING, base, |l| {
                say(
                    l,
                    format!("RACI „{name}“: Keine Rolle führt die Tätigkeit aus (R)."),
                    format!("RACI \"{name}\": no role is responsible for doing the work (R)."),
                )
            });
        }
    }
}

pub(super) const ROLE_UNKNOWN: CheckInfo = CheckInfo::new(
    "role-unknown",
    ERROR,
    "An owner (department, complaints, training) or amendment \
    proposer/approver is not a defined role.",
);

/// Reports an owner field that names no defined role; an empty owner is the checklist's job.
pub(super) fn check_owner(
    ids: &Ids,
    owner: &str,
    path: String,
    what: (&str, &str),
    out: &mut Findings,
) {
    if !filled(owner) || ids.is_role(owner) {
        return;
    }
    out.emit(&ROLE_UNKNOWN, path, |l| {
        let o = quoted(owner, l);
        say(
            l,
            format!(
                "{}: {o} ist keine unter den Pflichten definierte Rolle.",
                what.0
            ),
            format!("{}: {o} is not a role defined under duties.", what.1),
        )
    });
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::check::fixtures::*;

    /// One case per check of this section.
    pub(super) fn cases() -> Vec<Case> {
        vec![
            case(
                "role-id-missing",
                json!({"duties": {"roles": [{"title": "Service Delivery Manager"}]}}),
                json!({"duties": {"roles": [{"id": "sdm", "title": "Service Delivery Manager"}]}}),
            ),
            case(
                "role-id-duplicate",
                json!({"duties": {"roles": [{"id": "sdm"}, {"id": "sdm"}]}}),
                json!({"duties": {"roles": [{"id": "sdm"}, {"id": "lead"}]}}),
            ),
            case(
                "raci-accountable",
                json!({"duties": {"roles": roles(), "raci": [{"activity": "Incident handling",
                    "assignments": [{"role": "lead", "letters": "R"}]}]}}),
                json!({"duties": {"roles": roles(), "raci": [{"activity": "Incident handling",
                    "assignments": [{"role": "lead", "letters": "R"}, {"role": "sdm", "letters": "A"}]}]}}),
            ),
            case(
                "raci-responsible-missing",
                json!({"duties": {"roles": roles(), "raci": [{"activity": "Incident handling",
                    "assignments": [{"role": "sdm", "letters": "A"}]}]}}),
                json!({"duties": {"roles": roles(), "raci": [{"activity": "Incident handling",
                    "assignments": [{"role": "sdm", "letters": "RA"}]}]}}),
            ),
            case(
                "raci-letters",
                json!({"duties": {"roles": roles(), "raci": [{"activity": "Incident handling",
                    "assignments": [{"role": "sdm", "letters": "RAX"}]}]}}),
                json!({"duties": {"roles": roles(), "raci": [{"activity": "Incident handling",
                    "assignments": [{"role": "sdm", "letters": "RA"}]}]}}),
            ),
            case(
                "raci-role-unknown",
                json!({"duties": {"roles": roles(), "raci": [{"activity": "Incident handling",
                    "assignments": [{"role": "ghost", "letters": "RA"}]}]}}),
                json!({"duties": {"roles": roles(), "raci": [{"activity": "Incident handling",
                    "assignments": [{"role": "sdm", "letters": "RA"}]}]}}),
            ),
            case(
                "raci-role-repeated",
                json!({"duties": {"roles": roles(), "raci": [{"activity": "Incident handling",
                    "assignments": [{"role": "sdm", "letters": "R"}, {"role": "sdm", "letters": "A"}]}]}}),
                json!({"duties": {"roles": roles(), "raci": [{"activity": "Incident handling",
                    "assignments": [{"role": "sdm", "letters": "RA"}]}]}}),
            ),
            case(
                "role-unknown",
                json!({"duties": {"roles": roles()},
                       "departments": {"departments": [{"name": "Billing", "owner": "ghost"}]}}),
                json!({"duties": {"roles": roles()},
                       "departments": {"departments": [{"name": "Billing", "owner": "sdm"}]}}),
            ),
        ]
    }

    #[test]
    fn role_unknown_covers_every_owner_and_the_amendment_procedure() {
        let r = report(&json!({
            "overview": {"customer": {"name": "Beta AG"}},
            "duties": {"roles": roles()},
            "departments": {"departments": [{"name": "Billing", "owner": "ghost"}, {"name": "Ops"}]},
            "feedback": {"complaints": {"owner": "nobody", "acknowledgement": "1 day", "resolution": "5 days"}},
            "training": {"programmes": [{"topic": "CRM", "owner": "trainer"}]},
            "amendments": {"proposers": ["customer", "Beta AG", "sdm", "stranger"],
                           "approvers": ["sdm", "it-lead", "legal"]}
        }));
        let paths: Vec<&str> = r
            .findings
            .iter()
            .filter(|f| f.check == "role-unknown")
            .map(|f| f.path.as_str())
            .collect();
        assert_eq!(
            paths,
            [
                "departments.departments[0].owner",
                "feedback.complaints.owner",
                "training.programmes[0].owner",
                "amendments.approvers[2]",
                "amendments.proposers[3]",
            ],
            "an empty owner is left to the checklist; parties may propose changes"
        );
    }

    #[test]
    fn raci_letters_accept_lowercase_and_separators() {
        let ids = |letters: &str| {
            check_ids(
                json!({"duties": {"roles": roles(), "raci": [{"activity": "Release",
                "assignments": [{"role": "sdm", "letters": letters}]}]}}),
            )
        };
        assert!(
            ids("r, a").is_empty(),
            "\"r, a\" means R and A: {:?}",
            ids("r, a")
        );
        assert!(
            ids("").contains(&"raci-letters".to_string()),
            "an empty cell is reported"
        );
        assert!(
            ids("RR A").contains(&"raci-letters".to_string()),
            "a repeated letter is reported"
        );
        let two_a = check_ids(
            json!({"duties": {"roles": roles(), "raci": [{"activity": "Release",
            "assignments": [{"role": "sdm", "letters": "RA"}, {"role": "lead", "letters": "A"}]}]}}),
        );
        assert_eq!(
            two_a,
            ["raci-accountable"],
            "two accountable roles are one finding on the activity"
        );
    }
}
