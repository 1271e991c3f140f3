//! Section 0, overview: the parties, scope and term of the agreement.

use chrono::Months;

use super::wording::{date, say};
use super::{filled, longer, CheckInfo, Findings, Ids, Part, Requirement, ERROR, HINT, WARNING};
use crate::model::{Agreement, Contact, Duration, DurationUnit, Renewal, Section};

/// What this section adds to the catalogue, the consistency run and the checklist.
pub(super) const PART: Part = Part {
    section: Section::Overview,
    checks: &[
        TERM_END_BEFORE_START,
        TERM_LENGTH_MISMATCH,
        NOTICE_LONGER_THAN_TERM,
        RENEWAL_MONTHS_MISSING,
        RENEWAL_MONTHS_UNUSED,
    ],
    passes: &[check_term],
    requirements: REQUIREMENTS,
    #[cfg(test)]
    cases: tests::cases,
};

// ---------------------------------------------------------------- checklist

/// Whether one of the contacts has a name and an e-mail address or a phone number.
fn reachable(contacts: &[Contact]) -> bool {
    contacts
        .iter()
        .any(|k| filled(&k.name) && (filled(&k.email) || filled(&k.phone)))
}

const REQUIREMENTS: &[Requirement] = &[
    Requirement::new(
        "overview.provider",
        "overview.provider.name",
        |a| filled(&a.overview.provider.name),
        "Anbieter benannt",
        "Provider named",
    ),
    Requirement::new(
        "overview.provider.contacts",
        "overview.provider.contacts",
        |a| reachable(&a.overview.provider.contacts),
        "Ansprechperson des Anbieters mit E-Mail oder Telefon",
        "Provider contact person with e-mail or phone",
    ),
    Requirement::new(
        "overview.customer",
        "overview.customer.name",
        |a| filled(&a.overview.customer.name),
        "Kunde benannt",
        "Customer named",
    ),
    Requirement::new(
        "overview.customer.contacts",
        "overview.customer.contacts",
        |a| reachable(&a.overview.customer.contacts),
        "Ansprechperson des Kunden mit E-Mail oder Telefon",
        "Customer contact person with e-mail or phone",
    ),
    Requirement::new(
        "overview.purpose",
        "overview.purpose",
        |a| filled(&a.overview.purpose),
        "Zweck der Vereinbarung beschrieben",
        "Purpose of the agreement stated",
    ),
    Requirement::new(
        "overview.scope.services",
        "overview.scope.services",
        |a| a.overview.scope.services.iter().any(|s| filled(&s.name)),
        "Mindestens eine abgedeckte Leistung",
        "At least one covered service",
    ),
    Requirement::new(
        "overview.scope.exclusions",
        "overview.scope.exclusions",
        |a| a.overview.scope.exclusions.iter().any(|s| filled(s)),
        "Ausschlüsse festgehalten",
        "Exclusions recorded",
    ),
    Requirement::new(
        "overview.scope.assumptions",
        "overview.scope.assumptions",
        |a| {
            a.overview
                .scope
                .assumptions
                .iter()
                .chain(&a.overview.scope.dependencies)
                .any(|s| filled(s))
        },
        "Annahmen oder Abhängigkeiten festgehalten",
        "Assumptions or dependencies recorded",
    ),
    Requirement::new(
        "overview.effective_date",
        "overview.effective_date",
        |a| a.overview.effective_date.is_some(),
        "Datum des Inkrafttretens",
        "Effective date",
    ),
    Requirement::new(
        "overview.term",
        "overview.term",
        |a| {
            a.overview.term.initial_months.is_some_and(|m| m > 0)
                || a.overview.term.end_date.is_some()
        },
        "Laufzeit in Monaten oder festes Enddatum",
        "Term in months or a fixed end date",
    ),
    Requirement::new(
        "overview.term.notice",
        "overview.term.notice",
        |a| a.overview.term.notice.is_some(),
        "Kündigungsfrist",
        "Notice period",
    ),
    Requirement::new(
        "overview.payment_terms",
        "overview.payment_terms",
        |a| filled(&a.overview.payment_terms),
        "Zahlungsbedingungen",
        "Payment terms",
    ),
    Requirement::new(
        "overview.review_cadence",
        "overview.review_cadence",
        |a| a.overview.review_cadence.is_some(),
        "Turnus für die Überprüfung der Vereinbarung",
        "How often the agreement is reviewed",
    ),
];

// ---------------------------------------------------------------- checks

const TERM_END_BEFORE_START: CheckInfo = CheckInfo::new(
    "term-end-before-start",
    ERROR,
    "The fixed end date of the term lies before the effective date.",
);
const TERM_LENGTH_MISMATCH: CheckInfo = CheckInfo::new(
    "term-length-mismatch",
    WARNING,
    "Initial term in months and fixed end date are both given and do not agree.",
);
const NOTICE_LONGER_THAN_TERM: CheckInfo = CheckInfo::new(
    "notice-longer-than-term",
    WARNING,
    "The notice period is longer than the whole initial term.",
);
const RENEWAL_MONTHS_MISSING: CheckInfo = CheckInfo::new(
    "renewal-months-missing",
    ERROR,
    "Automatic renewal without a renewal period in months.",
);
const RENEWAL_MONTHS_UNUSED: CheckInfo = CheckInfo::new(
    "renewal-months-unused",
    HINT,
    "A renewal period is given although the agreement does not renew automatically.",
);

fn check_term(a: &Agreement, _ids: &Ids, out: &mut Findings) {
    let o = &a.overview;
    let term = &o.term;

    if let (Some(start), Some(end)) = (o.effective_date, term.end_date) {
        if start > end {
            out.emit(
                &TERM_END_BEFORE_START,
                "overview.term.end_date".into(),
                |l| {
                    say(
                        l,
                        format!(
                            "Die Laufzeit endet am {}, vor dem Inkrafttreten am {}.",
                            date(end, l),
                            date(start, l)
                        ),
                        format!(
                            "The term ends on {}, before the agreement takes effect on {}.",
                            date(end, l),
                            date(start, l)
                        ),
                    )
                },
            );
        } else if let Some(months) = term.initial_months {
            if let Some(expected) = start.checked_add_months(Months::new(months)) {
                let last_day = expected.pred_opt();
                if end != expected && Some(end) != last_day {
                    let shown = last_day.unwrap_or(expected);
                    let length = Duration::new(months, DurationUnit::Months);
                    out.emit(
                        &TERM_LENGTH_MISMATCH,
                        "overview.term.end_date".into(),
                        |l| {
                            say(
                                l,
                                format!(
                                    "Eine Laufzeit über {} ab {} endet am {}, als Enddatum \
                                    steht aber der {}.",
                                    length.display(l),
                                    date(start, l),
                                    date(shown, l),
                                    date(end, l)
                                ),
                                format!(
                                    "A term of {} from {} ends on {}, but the end date says {}.",
                                    length.display(l),
                                    date(start, l),
                                    date(shown, l),
                                    date(end, l)
                                ),
                            )
                        },
                    );
                }
            }
        }
    }

    if let Some(notice) = term.notice {
        let term_length = match (term.initial_months, o.effective_date, term.end_date) {
            (Some(months), _, _) => Some(Duration::new(months, DurationUnit::Months)),
            (None, Some(start), Some(end)) if end > start => {
                let days = (end - start).num_days();
                Some(Duration::new(
                    u32::try_from(days).unwrap_or(u32::MAX),
                    DurationUnit::Days,
                ))
            }
            _ => None,
        };
        if let Some(length) = term_length {
            if longer(&notice, &length) {
                out.emit(
                    &NOTICE_LONGER_THAN_TERM,
                    "overview.term.notice".into(),
                    |l| {
                        say(
                            l,
                            format!(
                                "Die Kündigungsfrist ({}) ist länger als die Laufzeit ({}).",
                                notice.display(l),
                                length.display(l)
                            ),
                            format!(
                                "The notice period ({}) is longer than the term ({}).",
                                notice.display(l),
                                length.display(l)
                            ),
                        )
                    },
                );
            }
        }
    }

    match (term.renewal, term.renewal_months) {
        (Renewal::Automatic, None | Some(0)) => {
            out.emit(
                &RENEWAL_MONTHS_MISSING,
                "overview.term.renewal_months".into(),
                |l| {
                    say(
                        l,
                        "Die Vereinbarung verlängert sich automatisch, aber um wie \
                        viele Monate, ist nicht angegeben."
                            .into(),
                        "The agreement renews automatically, but the renewal period \
                        in months is missing."
                            .into(),
                    )
                },
            );
        }
        (Renewal::None | Renewal::ByAgreement, Some(months)) => {
            let period = Duration::new(months, DurationUnit::Months);
            out.emit(
                &RENEWAL_MONTHS_UNUSED,
                "overview.term.renewal_months".into(),
                |l| {
                    say(
                        l,
                        format!(
                            "Eine Verlängerung um {} ist angegeben, die Vereinbarung \
                            verlängert sich aber nicht automatisch.",
                            period.display(l)
                        ),
                        format!(
                            "A renewal period of {} is given, but the agreement does not \
                            renew automatically.",
                            period.display(l)
                        ),
                    )
                },
            );
        }
        _ => {}
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
                "term-end-before-start",
                json!({"overview": {"effective_date": "2025-06-01", "term": {"end_date": "2025-05-31"}}}),
                json!({"overview": {"effective_date": "2025-06-01", "term": {"end_date": "2026-05-31"}}}),
            ),
            case(
                "term-length-mismatch",
                json!({"overview": {"effective_date": "2025-01-01",
                                    "term": {"initial_months": 12, "end_date": "2025-06-30"}}}),
                json!({"overview": {"effective_date": "2025-01-01",
                                    "term": {"initial_months": 12, "end_date": "2026-01-01"}}}),
            ),
            case(
                "notice-longer-than-term",
                json!({"overview": {"term": {"initial_months": 3, "notice": "6 months"}}}),
                json!({"overview": {"term": {"initial_months": 3, "notice": "1 month"}}}),
            ),
            case(
                "renewal-months-missing",
                json!({"overview": {"term": {"renewal": "automatic"}}}),
                json!({"overview": {"term": {"renewal": "automatic", "renewal_months": 12}}}),
            ),
            case(
                "renewal-months-unused",
                json!({"overview": {"term": {"renewal": "by_agreement", "renewal_months": 12}}}),
                json!({"overview": {"term": {"renewal": "by_agreement"}}}),
            ),
        ]
    }

    #[test]
    fn term_accepts_an_end_date_on_the_last_day_of_the_term() {
        for end in ["2025-12-31", "2026-01-01"] {
            let ids = check_ids(json!({"overview": {"effective_date": "2025-01-01",
                "term": {"initial_months": 12, "end_date": end}}}));
            assert!(
                ids.is_empty(),
                "12 months from 2025-01-01 may end on {end}: {ids:?}"
            );
        }
    }
}
