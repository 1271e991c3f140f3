//! Built-in templates: complete, realistic agreements a new draft starts from.
//!
//! Each template is a JSON file under `templates/` compiled into the binary and parsed with the
//! same model as any draft. A test makes sure every template passes all error-severity checks.

use serde::Serialize;

use crate::model::{Agreement, Language};
use crate::{Error, Result};

/// What the library shows about a template before one is chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TemplateInfo {
    pub id: String,
    pub language: Language,
    pub name: String,
    pub description: String,
}

/// All built-in templates.
pub fn templates() -> Vec<TemplateInfo> {
    Vec::new()
}

/// A fresh agreement from the template `id`.
pub fn instantiate(id: &str) -> Result<Agreement> {
    Err(Error::TemplateNotFound(id.to_string()))
}
