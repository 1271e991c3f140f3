//! Built-in templates: complete, realistic agreements a new draft starts from.
//!
//! This module owns the table of built-in templates and nothing else. Each template is one
//! `Agreement` as JSON under `templates/<id>.json`, compiled into the binary with
//! `include_str!` and parsed and validated like an imported agreement (repeated keys, limits,
//! characters), so a template can never drift from the model or the input rules unnoticed.
//!
//! Invariants, enforced by the tests below: every template parses, ids are unique, the
//! language suffix of an id matches the template's language, every section has clause text,
//! and every template passes all error-severity consistency checks at 100 % completeness.

use serde::Serialize;

use crate::model::{Agreement, Language};
use crate::{Error, Problem, Result};

/// What the library shows about a template before one is chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TemplateInfo {
    pub id: String,
    pub language: Language,
    pub name: String,
    pub description: String,
}

/// One built-in template: its catalogue entry and its JSON source.
struct Builtin {
    id: &'static str,
    language: Language,
    name: &'static str,
    description: &'static str,
    json: &'static str,
}

const BUILTINS: &[Builtin] = &[
    Builtin {
        id: "it-support-de",
        language: Language::De,
        name: "IT-Support-SLA (Arbeitsplatz und Anwendungen)",
        description: "Service-Level-Vereinbarung eines IT-Dienstleisters für Service Desk, Störungs- und \
                      Anfragebearbeitung, Vor-Ort-Support und Anwendungsbetreuung eines mittelständischen \
                      Kunden. Mit Prioritäten P1–P4 (P1 rund um die Uhr), Eskalationsstufen, Servicestufen \
                      Basis/Premium, Kennzahlenkatalog mit Gutschriften, RACI-Matrix und Schulungsprogramm.",
        json: include_str!("../templates/it-support-de.json"),
    },
    Builtin {
        id: "retail-charter-de",
        language: Language::De,
        name: "Kundenservice-Charta Handel und Onlineshop",
        description: "Servicecharta eines Einzel- und Onlinehändlers gegenüber seinen Kundinnen und Kunden: \
                      Serviceversprechen für Telefon, E-Mail, Chat, Filiale und soziale Medien, \
                      Dringlichkeitsstufen, Rückgabe- und Reklamationsverfahren, Zufriedenheitsmessung \
                      (CSAT, NPS, CES, Bewertungen) und Schulung der Mitarbeitenden.",
        json: include_str!("../templates/retail-charter-de.json"),
    },
    Builtin {
        id: "saas-support-en",
        language: Language::En,
        name: "SaaS support SLA",
        description: "Support and availability SLA of a software-as-a-service provider: 99.9 % monthly \
                      availability with a service-credit ladder, Severity 1 handled 24/7 and Severities \
                      2–4 in London business hours, Standard/Premium/Enterprise support plans, portal, \
                      e-mail, phone and chat channels, KPIs and quarterly service reviews.",
        json: include_str!("../templates/saas-support-en.json"),
    },
];

/// All built-in templates.
pub fn templates() -> Vec<TemplateInfo> {
    BUILTINS
        .iter()
        .map(|b| TemplateInfo {
            id: b.id.to_string(),
            language: b.language,
            name: b.name.to_string(),
            description: b.description.to_string(),
        })
        .collect()
}

/// A fresh agreement from the template `id`.
pub fn instantiate(id: &str) -> Result<Agreement> {
    let builtin = BUILTINS
        .iter()
        .find(|b| b.id == id)
        .ok_or_else(|| Error::TemplateNotFound(id.to_string()))?;
    parse(builtin.json).map_err(|problems| {
        // Only reachable if a shipped template is broken; the tests below rule that out.
        let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
        Error::Corrupt(format!(
            "built-in template {id} does not parse: {}",
            problems.join("; ")
        ))
    })
}

/// A template's JSON (a bare agreement, paths from `$`), parsed like an imported file.
fn parse(json: &str) -> std::result::Result<Agreement, Vec<Problem>> {
    let value = crate::json::parse_value(json).map_err(|p| vec![p])?;
    crate::interchange::agreement_from_value(value, "$")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{check, Severity};
    use crate::model::Section;

    fn all() -> Vec<(TemplateInfo, Agreement)> {
        templates()
            .into_iter()
            .map(|info| {
                let agreement = instantiate(&info.id)
                    .unwrap_or_else(|e| panic!("template {} must parse: {e}", info.id));
                (info, agreement)
            })
            .collect()
    }

    #[test]
    fn every_template_parses_and_is_listed() {
        let list = all();
        assert_eq!(list.len(), 3);
        for (info, agreement) in &list {
            assert!(!info.name.trim().is_empty(), "{} has no name", info.id);
            assert!(
                !info.description.trim().is_empty(),
                "{} has no description",
                info.id
            );
            assert!(
                !agreement.title.trim().is_empty(),
                "{} has no title",
                info.id
            );
        }
    }

    #[test]
    fn ids_are_unique() {
        let mut ids: Vec<String> = templates().into_iter().map(|t| t.id).collect();
        let count = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), count, "duplicate template ids");
    }

    #[test]
    fn language_matches_id_suffix() {
        for (info, agreement) in all() {
            let suffix = info.id.rsplit('-').next().unwrap_or_default();
            assert_eq!(
                suffix,
                info.language.code(),
                "{}: catalogue language",
                info.id
            );
            assert_eq!(
                agreement.language, info.language,
                "{}: agreement language",
                info.id
            );
        }
    }

    #[test]
    fn every_section_has_clauses() {
        for (info, agreement) in all() {
            for section in Section::ALL {
                assert!(
                    !agreement.clauses(section).trim().is_empty(),
                    "{}: section {} has no clause text",
                    info.id,
                    section.key()
                );
            }
        }
    }

    #[test]
    fn a_repeated_key_in_a_template_is_refused_at_its_path() {
        let problems = parse(r#"{"title": "T", "overview": {"purpose": "a", "purpose": "b"}}"#)
            .expect_err("a template naming a key twice is as broken as an imported file doing so");
        assert!(
            problems
                .iter()
                .any(|p| p.path == "$.overview.purpose" && p.message.contains("twice")),
            "the repeated key is named by its path: {problems:?}"
        );
    }

    #[test]
    fn unknown_id_is_not_found() {
        let err = instantiate("no-such-template").unwrap_err();
        assert!(matches!(&err, Error::TemplateNotFound(id) if id == "no-such-template"));
        assert_eq!(err.code(), "template_not_found");
    }

    #[test]
    fn every_template_passes_the_checks_and_is_complete() {
        for (info, agreement) in all() {
            let report = check(&agreement);
            let errors: Vec<String> = report
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .map(|f| format!("{} at {}: {}", f.check, f.path, f.message_en))
                .collect();
            assert!(
                errors.is_empty(),
                "{} has consistency errors:\n{}",
                info.id,
                errors.join("\n")
            );
            let open: Vec<String> = report
                .items
                .iter()
                .filter(|i| !i.done)
                .map(|i| format!("{} ({})", i.id, i.path))
                .collect();
            assert_eq!(
                report.completeness,
                100,
                "{} is not complete; open items:\n{}",
                info.id,
                open.join("\n")
            );
        }
    }
}
