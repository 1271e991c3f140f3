//! Pactum's engine: customer-service agreements (SLAs) as typed data, their consistency
//! checks, built-in templates, a SQLite store with immutable versions, diffs and the JSON
//! interchange format, and the PDF export of agreements and redlines.
//!
//! The public entry point is [`Library`]: one database, opened once, whose operations are
//! what both the `pactum` command-line tool and the desktop shell call. Nothing here knows
//! about Tauri or any UI. See `ARCHITECTURE.md` for the module map and the invariants.

pub mod canonical;
pub mod check;
pub mod diff;
pub mod error;
pub mod file;
pub mod interchange;
mod json;
pub mod library;
pub mod model;
pub mod pdf;
pub mod preferences;
pub mod record;
pub mod signing;
pub mod store;
pub mod template;

pub use error::{Error, ErrorCode, Problem, Result};
pub use library::{Library, Opened};
pub use model::{Agreement, Language, Section};
pub use record::{AgreementId, AgreementSummary, ListQuery, Status};
