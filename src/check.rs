//! Completeness checklist and consistency checks of an agreement.
//!
//! Pure functions of an [`Agreement`]: no I/O. Every checklist item and every finding has a
//! stable id, points at a field path (as used in the interchange JSON, without the leading
//! `$.agreement.`), and carries its message in German and English.

use serde::Serialize;

use crate::model::{Agreement, Language, Section};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Hint,
}

/// A consistency problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Finding {
    /// Stable id of the check, e.g. `priority-order`.
    pub check: String,
    pub severity: Severity,
    pub section: Section,
    /// Field path, e.g. `support_levels.priorities[1].resolution`.
    pub path: String,
    pub message_de: String,
    pub message_en: String,
}

impl Finding {
    pub fn message(&self, lang: Language) -> &str {
        lang.pick(&self.message_de, &self.message_en)
    }
}

/// One item of the completeness checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ChecklistItem {
    /// Stable id, e.g. `overview.parties.customer`.
    pub id: String,
    pub section: Section,
    pub path: String,
    pub done: bool,
    pub label_de: String,
    pub label_en: String,
}

/// Completeness of one section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SectionScore {
    pub section: Section,
    pub done: u32,
    pub total: u32,
    pub errors: u32,
    pub warnings: u32,
}

/// Everything the checks say about one agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Report {
    pub items: Vec<ChecklistItem>,
    pub findings: Vec<Finding>,
    pub sections: Vec<SectionScore>,
    /// Share of checklist items done, 0–100, rounded down.
    pub completeness: u8,
}

impl Report {
    pub fn error_count(&self) -> u32 {
        self.findings.iter().filter(|f| f.severity == Severity::Error).count() as u32
    }
}

/// Runs the checklist and every consistency check.
pub fn check(agreement: &Agreement) -> Report {
    let _ = agreement;
    Report { items: Vec::new(), findings: Vec::new(), sections: Vec::new(), completeness: 0 }
}
