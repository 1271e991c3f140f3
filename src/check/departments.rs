//! Section 4, departments: the standards of each department and who owns them.

use super::duties::check_owner;
use super::wording::{label, say};
use super::{each, filled, longer, CheckInfo, Findings, Ids, Part, Requirement, ERROR, WARNING};
use crate::model::{Agreement, Section};

/// What this section adds to the catalogue, the consistency run and the checklist.
pub(super) const PART: Part = Part {
    section: Section::Departments,
    checks: &[
        DEPARTMENT_RESOLUTION_BEFORE_RESPONSE,
        DEPARTMENT_CEILING_BEFORE_RESPONSE,
    ],
    passes: &[check_departments],
    requirements: REQUIREMENTS,
    #[cfg(test)]
    cases: tests::cases,
};

// ---------------------------------------------------------------- checklist

const REQUIREMENTS: &[Requirement] = &[
    Requirement::new(
        "departments.departments",
        "departments.departments",
        |a| !a.departments.departments.is_empty(),
        "Mindestens eine Abteilung mit eigenen Standards",
        "At least one department with its own standards",
    ),
    Requirement::new(
        "departments.critical_services",
        "departments.departments",
        |a| {
            each(&a.departments.departments, |d| {
                d.critical_services.iter().any(|s| filled(s))
            })
        },
        "Jede Abteilung nennt ihre kritischen Leistungen",
        "Every department names its critical services",
    ),
    Requirement::new(
        "departments.targets",
        "departments.departments",
        |a| {
            each(&a.departments.departments, |d| {
                d.response_target.is_some() && d.resolution_target.is_some()
            })
        },
        "Jede Abteilung hat Reaktions- und Lösungsziel",
        "Every department has response and resolution targets",
    ),
    Requirement::new(
        "departments.satisfaction",
        "departments.departments",
        |a| {
            each(&a.departments.departments, |d| {
                d.satisfaction_target.is_some()
            })
        },
        "Jede Abteilung hat ein Zufriedenheitsziel",
        "Every department has a satisfaction target",
    ),
    Requirement::new(
        "departments.escalation_ceiling",
        "departments.departments",
        |a| {
            each(&a.departments.departments, |d| {
                d.escalation_ceiling.is_some()
            })
        },
        "Jede Abteilung hat eine Eskalationsobergrenze",
        "Every department has an escalation ceiling",
    ),
    Requirement::new(
        "departments.owners",
        "departments.departments",
        |a| each(&a.departments.departments, |d| filled(&d.owner)),
        "Jede Abteilung hat eine verantwortliche Rolle",
        "Every department has an accountable role",
    ),
];

// ---------------------------------------------------------------- checks

const DEPARTMENT_RESOLUTION_BEFORE_RESPONSE: CheckInfo = CheckInfo::new(
    "department-resolution-before-response",
    ERROR,
    "A department's resolution target is shorter than its response target.",
);
const DEPARTMENT_CEILING_BEFORE_RESPONSE: CheckInfo = CheckInfo::new(
    "department-ceiling-before-response",
    WARNING,
    "A department escalates to management before its own response target has passed.",
);

fn check_departments(a: &Agreement, ids: &Ids, out: &mut Findings) {
    for (i, d) in a.departments.departments.iter().enumerate() {
        let base = format!("departments.departments[{i}]");
        let name = label(&[&d.name], i);
        if let (Some(response), Some(resolution)) = (d.response_target, d.resolution_target) {
            if longer(&response, &resolution) {
                out.emit(
                    &DEPARTMENT_RESOLUTION_BEFORE_RESPONSE,
                    format!("{base}.resolution_target"),
                    |l| {
                        say(
                            l,
                            format!(
                                "Abteilung {name}: Das Lösungsziel ({}) ist kürzer als das \
                                Reaktionsziel ({}).",
                                resolution.display(l),
                                response.display(l)
                            ),
                            format!(
                                "Department {name}: the resolution target ({}) is shorter \
                                than the response target ({}).",
                                resolution.display(l),
                                response.display(l)
                            ),
                        )
                    },
                );
            }
        }
        if let (Some(response), Some(ceiling)) = (d.response_target, d.escalation_ceiling) {
            if longer(&response, &ceiling) {
                out.emit(
                    &DEPARTMENT_CEILING_BEFORE_RESPONSE,
                    format!("{base}.escalation_ceiling"),
                    |l| {
                        say(
                            l,
                            format!(
                                "Abteilung {name}: Fälle gehen nach {} an die Leitung, noch \
                                vor dem Reaktionsziel ({}).",
                                ceiling.display(l),
                                response.display(l)
                            ),
                            format!(
                                "Department {name}: cases go to management after {}, before \
                                the response target ({}) has even passed.",
                                ceiling.display(l),
                                response.display(l)
                            ),
                        )
                    },
                );
            }
        }
        let (de, en) = (
            format!("Verantwortlich für Abteilung {name}"),
            format!("Owner of department {name}"),
        );
        check_owner(ids, &d.owner, format!("{base}.owner"), (&de, &en), out);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::check::fixtures::*;

    /// One case per check of this section.
    pub(super) fn cases() -> Vec<Case> {
        vec![
            case(
                "department-resolution-before-response",
                json!({"departments": {"departments": [
                    {"name": "Billing", "response_target": "4 h", "resolution_target": "1 h"}]}}),
                json!({"departments": {"departments": [
                    {"name": "Billing", "response_target": "4 h", "resolution_target": "2 business days"}]}}),
            ),
            case(
                "department-ceiling-before-response",
                json!({"departments": {"departments": [
                    {"name": "Billing", "response_target": "4 h", "escalation_ceiling": "1 h"}]}}),
                json!({"departments": {"departments": [
                    {"name": "Billing", "response_target": "4 h", "escalation_ceiling": "3 business days"}]}}),
            ),
        ]
    }
}
