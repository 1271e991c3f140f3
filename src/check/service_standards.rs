//! Section 1, service standards: the touchpoints and their measurable targets.

use super::wording::{label, quoted, say};
use super::{filled, CheckInfo, Findings, Ids, Part, Requirement, HINT, WARNING};
use crate::model::{Agreement, Section};

/// What this section adds to the catalogue, the consistency run and the checklist.
pub(super) const PART: Part = Part {
    section: Section::ServiceStandards,
    checks: &[TOUCHPOINT_TARGETS_MISSING, TOUCHPOINT_TARGET_INCOMPLETE],
    passes: &[check_touchpoints],
    requirements: REQUIREMENTS,
    #[cfg(test)]
    cases: tests::cases,
};

// ---------------------------------------------------------------- checklist

const REQUIREMENTS: &[Requirement] = &[
    Requirement::new(
        "service_standards.touchpoints",
        "service_standards.touchpoints",
        |a| !a.service_standards.touchpoints.is_empty(),
        "Mindestens ein Kontaktpunkt mit Servicestandard",
        "At least one touchpoint with a service standard",
    ),
    Requirement::new(
        "service_standards.commitments",
        "service_standards.touchpoints",
        |a| {
            a.service_standards
                .touchpoints
                .iter()
                .any(|t| t.commitments.iter().any(|s| filled(s)))
        },
        "Qualitätszusagen in Worten",
        "Quality commitments in words",
    ),
    Requirement::new(
        "service_standards.targets",
        "service_standards.touchpoints",
        |a| {
            a.service_standards
                .touchpoints
                .iter()
                .any(|t| t.targets.iter().any(|g| g.target.is_some()))
        },
        "Messbare Ziele für die Kontaktpunkte",
        "Measurable targets for the touchpoints",
    ),
];

// ---------------------------------------------------------------- checks

const TOUCHPOINT_TARGETS_MISSING: CheckInfo = CheckInfo::new(
    "touchpoint-targets-missing",
    HINT,
    "A touchpoint has no measurable target.",
);
const TOUCHPOINT_TARGET_INCOMPLETE: CheckInfo = CheckInfo::new(
    "touchpoint-target-incomplete",
    WARNING,
    "A touchpoint target has no name or no target value.",
);

fn check_touchpoints(a: &Agreement, _ids: &Ids, out: &mut Findings) {
    for (i, tp) in a.service_standards.touchpoints.iter().enumerate() {
        let base = format!("service_standards.touchpoints[{i}]");
        let name = |l| label(&[&tp.name, tp.kind.label(l)], i);
        if tp.targets.is_empty() {
            out.emit(
                &TOUCHPOINT_TARGETS_MISSING,
                format!("{base}.targets"),
                |l| {
                    say(
                        l,
                        format!("Kontaktpunkt {} hat kein messbares Ziel.", name(l)),
                        format!("Touchpoint {} has no measurable target.", name(l)),
                    )
                },
            );
        }
        for (j, target) in tp.targets.iter().enumerate() {
            let (field, de, en) = if target.target.is_none() {
                ("target", "keinen Zielwert", "no target value")
            } else if !filled(&target.name) {
                ("name", "keinen Namen", "no name")
            } else {
                continue;
            };
            let what = |l| quoted(&label(&[&target.name], j), l);
            out.emit(
                &TOUCHPOINT_TARGET_INCOMPLETE,
                format!("{base}.targets[{j}].{field}"),
                |l| {
                    say(
                        l,
                        format!("Ziel {} von Kontaktpunkt {} hat {de}.", what(l), name(l)),
                        format!("Target {} of touchpoint {} has {en}.", what(l), name(l)),
                    )
                },
            );
        }
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
                "touchpoint-targets-missing",
                json!({"service_standards": {"touchpoints": [{"kind": "phone", "name": "Hotline"}]}}),
                json!({"service_standards": {"touchpoints": [{"kind": "phone", "name": "Hotline",
                    "targets": [{"name": "Answered within 60 s", "unit": "%", "target": ">= 80"}]}]}}),
            ),
            case(
                "touchpoint-target-incomplete",
                json!({"service_standards": {"touchpoints": [{"name": "Hotline",
                    "targets": [{"name": "Answered within 60 s", "unit": "%"}]}]}}),
                json!({"service_standards": {"touchpoints": [{"name": "Hotline",
                    "targets": [{"name": "Answered within 60 s", "unit": "%", "target": ">= 80"}]}]}}),
            ),
        ]
    }
}
