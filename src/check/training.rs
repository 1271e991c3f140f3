//! Section 8, training: the training programmes and how needs and effect are judged.
//! The section has no checks of its own; its owners are checked by `role-unknown`.

use super::duties::check_owner;
use super::wording::label;
use super::{each, filled, Findings, Ids, Part, Requirement};
use crate::model::{Agreement, Section};

/// What this section adds to the catalogue, the consistency run and the checklist.
pub(super) const PART: Part = Part {
    section: Section::Training,
    checks: &[],
    passes: &[check_training],
    requirements: REQUIREMENTS,
    #[cfg(test)]
    cases: tests::cases,
};

// ---------------------------------------------------------------- checklist

const REQUIREMENTS: &[Requirement] = &[
    Requirement::new(
        "training.programmes",
        "training.programmes",
        |a| !a.training.programmes.is_empty(),
        "Mindestens ein Schulungsprogramm",
        "At least one training programme",
    ),
    Requirement::new(
        "training.programmes.details",
        "training.programmes",
        |a| {
            each(&a.training.programmes, |p| {
                filled(&p.topic) && filled(&p.audience) && p.frequency.is_some() && filled(&p.owner)
            })
        },
        "Jedes Programm hat Thema, Zielgruppe, Turnus und Verantwortliche",
        "Every programme has topic, audience, frequency and owner",
    ),
    Requirement::new(
        "training.needs_assessment",
        "training.needs_assessment",
        |a| filled(&a.training.needs_assessment),
        "Wie der Schulungsbedarf ermittelt wird",
        "How training needs are assessed",
    ),
    Requirement::new(
        "training.evaluation",
        "training.evaluation",
        |a| filled(&a.training.evaluation),
        "Wie der Schulungserfolg bewertet wird",
        "How training effectiveness is evaluated",
    ),
];

// ---------------------------------------------------------------- checks

fn check_training(a: &Agreement, ids: &Ids, out: &mut Findings) {
    for (i, p) in a.training.programmes.iter().enumerate() {
        let name = label(&[&p.topic], i);
        let (de, en) = (
            format!("Verantwortlich für Schulung {name}"),
            format!("Owner of training {name}"),
        );
        check_owner(
            ids,
            &p.owner,
            format!("training.programmes[{i}].owner"),
            (&de, &en),
            out,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::check::fixtures::*;

    /// One case per check of this section.
    pub(super) fn cases() -> Vec<Case> {
        Vec::new()
    }
}
