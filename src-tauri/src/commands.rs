//! The commands the UI may call. Each one takes the managed [`Database`] and its arguments,
//! makes exactly one engine call and maps the engine's error to a [`CommandError`].
//!
//! Nothing here decides anything: validation, SQL and business rules belong to the engine.
//! Adding a command means adding it here, to [`NAMES`], to `collect_commands!` in
//! `bindings.rs`, to `COMMANDS` in `build.rs` and its permission to `capabilities/`, then
//! regenerating `ui/src/ipc/bindings.ts`.

use pactum::library::MovedAside;
use pactum::record::{ListPage, ListQuery};
use serde::Serialize;
use tauri::State;

use crate::database::Database;

/// Names of all commands, as the UI invokes them.
pub const NAMES: [&str; 2] = ["list_agreements", "database_info"];

/// An error as the UI receives it: a stable `code` to branch on (the engine's
/// `Error::code`, or `invalid_arguments` for a bad app command line) and an English
/// `message` for details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct CommandError {
    pub code: String,
    pub message: String,
}

impl CommandError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        CommandError {
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

impl From<pactum::Error> for CommandError {
    fn from(err: pactum::Error) -> Self {
        CommandError {
            code: err.code().to_owned(),
            message: err.to_string(),
        }
    }
}

/// Which database the app has open.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct DatabaseInfo {
    /// Path of the database file; `None` when no path could be determined (every other
    /// command then reports why).
    pub path: Option<String>,
    /// Set when the file was damaged and the engine moved it aside and started a new one.
    pub moved_aside: Option<MovedAside>,
}

/// One page of the agreement library, filtered and sorted as `query` asks.
#[tauri::command]
#[specta::specta]
pub async fn list_agreements(
    database: State<'_, Database>,
    query: ListQuery,
) -> Result<ListPage, CommandError> {
    Ok(database.library()?.list(&query)?)
}

/// The path of the open database and whether a damaged file was moved aside.
#[tauri::command]
#[specta::specta]
pub fn database_info(database: State<'_, Database>) -> DatabaseInfo {
    DatabaseInfo {
        path: database.path().map(|p| p.display().to_string()),
        moved_aside: database.moved_aside().cloned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_permission() {
        let build_script = include_str!("../build.rs");
        let capability = include_str!("../capabilities/default.json");
        for name in NAMES {
            assert!(
                build_script.contains(&format!("\"{name}\"")),
                "build.rs lacks {name}"
            );
            let permission = format!("\"allow-{}\"", name.replace('_', "-"));
            assert!(
                capability.contains(&permission),
                "capabilities/default.json lacks {permission}"
            );
        }
    }

    #[test]
    fn engine_errors_keep_their_code() {
        let err = CommandError::from(pactum::Error::AgreementNotFound(7));
        assert_eq!(err.code, "agreement_not_found");
        assert_eq!(err.message, "agreement 7 does not exist");
    }
}
