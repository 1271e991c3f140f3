//! Section 6, feedback: how feedback is collected and how complaints are handled.

use super::duties::check_owner;
use super::wording::{label, say};
use super::{filled, longer, CheckInfo, Findings, Ids, Part, Requirement, ERROR, WARNING};
use crate::model::{Agreement, FeedbackKind, Language, Section};

/// What this section adds to the catalogue, the consistency run and the checklist.
pub(super) const PART: Part = Part {
    section: Section::Feedback,
    checks: &[
        FEEDBACK_METHOD_INCOMPLETE,
        COMPLAINT_TIME_LIMITS_MISSING,
        COMPLAINT_TIME_ORDER,
    ],
    passes: &[check_feedback],
    requirements: REQUIREMENTS,
    #[cfg(test)]
    cases: tests::cases,
};

// ---------------------------------------------------------------- checklist

const REQUIREMENTS: &[Requirement] = &[
    Requirement::new(
        "feedback.methods",
        "feedback.methods",
        |a| !a.feedback.methods.is_empty(),
        "Mindestens eine Methode zur Feedback-Erhebung",
        "At least one way of collecting feedback",
    ),
    Requirement::new(
        "feedback.complaints.submission",
        "feedback.complaints.submission",
        |a| a.feedback.complaints.submission.iter().any(|s| filled(s)),
        "Wege, eine Beschwerde einzureichen",
        "Ways to submit a complaint",
    ),
    Requirement::new(
        "feedback.complaints.time_limits",
        "feedback.complaints",
        |a| {
            a.feedback.complaints.acknowledgement.is_some()
                && a.feedback.complaints.resolution.is_some()
        },
        "Fristen für Eingangsbestätigung und Erledigung von Beschwerden",
        "Time limits to acknowledge and resolve complaints",
    ),
    Requirement::new(
        "feedback.complaints.escalation",
        "feedback.complaints.escalation",
        |a| filled(&a.feedback.complaints.escalation),
        "Nächste Stelle bei ungelösten Beschwerden",
        "Where unresolved complaints go next",
    ),
    Requirement::new(
        "feedback.complaints.owner",
        "feedback.complaints.owner",
        |a| filled(&a.feedback.complaints.owner),
        "Verantwortliche Rolle für das Beschwerdeverfahren",
        "Role responsible for the complaint procedure",
    ),
    Requirement::new(
        "feedback.improvement",
        "feedback.improvement",
        |a| filled(&a.feedback.improvement),
        "Wie Feedback zu Verbesserungen führt",
        "How feedback leads to improvements",
    ),
];

// ---------------------------------------------------------------- checks

const FEEDBACK_METHOD_INCOMPLETE: CheckInfo = CheckInfo::new(
    "feedback-method-incomplete",
    WARNING,
    "A feedback method has no target or no frequency.",
);
const COMPLAINT_TIME_LIMITS_MISSING: CheckInfo = CheckInfo::new(
    "complaint-time-limits-missing",
    WARNING,
    "The complaint procedure is described but lacks an acknowledgement or resolution time.",
);
const COMPLAINT_TIME_ORDER: CheckInfo = CheckInfo::new(
    "complaint-time-order",
    ERROR,
    "A complaint is acknowledged or investigated later than it must be resolved.",
);

fn feedback_kind(kind: FeedbackKind, lang: Language) -> &'static str {
    match (kind, lang) {
        (FeedbackKind::Csat, _) => "CSAT",
        (FeedbackKind::Nps, _) => "NPS",
        (FeedbackKind::Ces, _) => "CES",
        (FeedbackKind::Reviews, Language::De) => "Bewertungen",
        (FeedbackKind::Reviews, Language::En) => "reviews",
        (FeedbackKind::Interview, Language::De) => "Interviews",
        (FeedbackKind::Interview, Language::En) => "interviews",
        (FeedbackKind::Other, Language::De) => "Sonstige",
        (FeedbackKind::Other, Language::En) => "other",
    }
}

fn check_feedback(a: &Agreement, ids: &Ids, out: &mut Findings) {
    let f = &a.feedback;
    for (i, method) in f.methods.iter().enumerate() {
        let missing = match (method.target.is_none(), method.frequency.is_none()) {
            (true, true) => Some((
                "target",
                "Es fehlen Zielwert und Turnus",
                "no target and no frequency",
            )),
            (true, false) => Some(("target", "Es fehlt ein Zielwert", "no target")),
            (false, true) => Some(("frequency", "Es fehlt der Turnus", "no frequency")),
            (false, false) => None,
        };
        let Some((field, de, en)) = missing else {
            continue;
        };
        let name = |l| label(&[&method.description, feedback_kind(method.kind, l)], i);
        out.emit(
            &FEEDBACK_METHOD_INCOMPLETE,
            format!("feedback.methods[{i}].{field}"),
            |l| {
                say(
                    l,
                    format!("Feedback-Methode {}: {de}.", name(l)),
                    format!("Feedback method {} has {en}.", name(l)),
                )
            },
        );
    }

    let c = &f.complaints;
    let described = c.submission.iter().any(|s| filled(s))
        || c.acknowledgement.is_some()
        || c.investigation.is_some()
        || c.resolution.is_some()
        || filled(&c.escalation)
        || filled(&c.owner);
    if described {
        let missing = match (c.acknowledgement.is_none(), c.resolution.is_none()) {
            (true, true) => Some((
                "acknowledgement",
                "fehlen die Fristen für Eingangsbestätigung und Erledigung",
                "no time limit to acknowledge or to resolve a complaint",
            )),
            (true, false) => Some((
                "acknowledgement",
                "fehlt die Frist für die Eingangsbestätigung",
                "no time limit to acknowledge a complaint",
            )),
            (false, true) => Some((
                "resolution",
                "fehlt die Frist für die Erledigung",
                "no time limit to resolve a complaint",
            )),
            (false, false) => None,
        };
        if let Some((field, de, en)) = missing {
            out.emit(
                &COMPLAINT_TIME_LIMITS_MISSING,
                format!("feedback.complaints.{field}"),
                |l| {
                    say(
                        l,
                        format!("Im Beschwerdeverfahren {de}."),
                        format!("The complaint procedure has {en}."),
                    )
                },
            );
        }
    }
    if let Some(resolution) = c.resolution {
        let steps = [
            (
                "acknowledgement",
                c.acknowledgement,
                "Die Eingangsbestätigung",
                "The acknowledgement",
            ),
            (
                "investigation",
                c.investigation,
                "Die Untersuchung",
                "The investigation",
            ),
        ];
        for (field, value, de, en) in steps {
            let Some(value) = value.filter(|v| longer(v, &resolution)) else {
                continue;
            };
            out.emit(
                &COMPLAINT_TIME_ORDER,
                format!("feedback.complaints.{field}"),
                |l| {
                    say(
                        l,
                        format!(
                            "{de} einer Beschwerde ({}) dauert länger als ihre Erledigung ({}).",
                            value.display(l),
                            resolution.display(l)
                        ),
                        format!(
                            "{en} of a complaint ({}) takes longer than its resolution ({}).",
                            value.display(l),
                            resolution.display(l)
                        ),
                    )
                },
            );
        }
    }
    check_owner(
        ids,
        &c.owner,
        "feedback.complaints.owner".into(),
        ("Verantwortlich für Beschwerden", "Owner of complaints"),
        out,
    );
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::check::fixtures::*;

    /// One case per check of this section.
    pub(super) fn cases() -> Vec<Case> {
        vec![
            case(
                "feedback-method-incomplete",
                json!({"feedback": {"methods": [{"kind": "csat"}]}}),
                json!({"feedback": {"methods": [{"kind": "csat", "frequency": "monthly", "target": ">= 4.2"}]}}),
            ),
            case(
                "complaint-time-limits-missing",
                json!({"feedback": {"complaints": {"submission": ["complaints@acme.example"]}}}),
                json!({"feedback": {"complaints": {"submission": ["complaints@acme.example"],
                    "acknowledgement": "1 business day", "resolution": "10 business days"}}}),
            ),
            case(
                "complaint-time-order",
                json!({"feedback": {"complaints": {"acknowledgement": "5 business days",
                                                   "resolution": "2 business days"}}}),
                json!({"feedback": {"complaints": {"acknowledgement": "1 business day",
                                                   "resolution": "2 business days"}}}),
            ),
        ]
    }
}
