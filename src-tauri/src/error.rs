//! [`CommandError`], the one error every command returns: a stable [`ErrorCode`] the UI
//! branches on, an English message for details, and the details the UI shows at their place
//! (each refused field's problem, both keys of a card that claims a trusted person).
//!
//! There is exactly one conversion from the engine's error ([`From<pactum::Error>`]), so a
//! command's `?` gives the UI the same error whichever command it was; the shell's own refusals
//! (a bad `--db`, a field that does not parse, a file too large) use [`CommandError::new`] with
//! a code from the same [`ErrorCode`] union.

use pactum::signing::KeyConflict;
use pactum::{ErrorCode, Problem};
use serde::Serialize;

/// An error as the UI receives it. `problems` lists each refused field or part of a file with
/// its JSON path (`invalid_input`, `bundle_invalid`); it is empty otherwise. `key_conflict`
/// carries both sides when an identity card claims a trusted person with another key
/// (`known_person_new_key`), for the dialog that compares the fingerprints; `null` otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
    pub problems: Vec<Problem>,
    pub key_conflict: Option<Box<KeyConflict>>,
}

impl CommandError {
    /// An error the shell itself found, with no details beyond its message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        CommandError {
            code,
            message: message.into(),
            problems: Vec::new(),
            key_conflict: None,
        }
    }
}

impl From<pactum::Error> for CommandError {
    fn from(err: pactum::Error) -> Self {
        CommandError {
            code: err.code(),
            message: err.to_string(),
            problems: err.problems().to_vec(),
            key_conflict: err.key_conflict().cloned().map(Box::new),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_errors_keep_their_code() {
        let err = CommandError::from(pactum::Error::AgreementNotFound(7));
        assert_eq!(err.code, "agreement_not_found");
        assert_eq!(err.message, "agreement 7 does not exist");
        assert!(err.problems.is_empty());
    }

    #[test]
    fn invalid_input_keeps_each_problem_with_its_path() {
        let problem = Problem {
            path: "$.support_levels.priorities[0].resolution".to_owned(),
            message: "\"4 x\" is not a duration".to_owned(),
        };
        let err = CommandError::from(pactum::Error::Invalid(vec![problem.clone()]));
        assert_eq!(err.code, "invalid_input");
        assert_eq!(err.problems, vec![problem]);
    }

    #[test]
    fn bundle_problems_reach_the_ui() {
        let err = CommandError::from(pactum::Error::BundleInvalid(vec![pactum::Problem {
            path: "$.signatures[0].signature".into(),
            message: "does not verify".into(),
        }]));
        assert_eq!(err.code, "bundle_invalid");
        assert_eq!(err.problems.len(), 1);
        assert_eq!(err.problems[0].path, "$.signatures[0].signature");
    }

    #[test]
    fn wrong_passphrases_keep_their_code() {
        let err = CommandError::from(pactum::Error::WrongPassphrase("no".into()));
        assert_eq!(err.code, "wrong_passphrase");
        assert!(err.problems.is_empty());
    }

    #[test]
    fn a_card_claiming_a_trusted_person_carries_both_keys() {
        let person = |fingerprint: &str| {
            serde_json::json!({
                "name": "Anna Weber", "organisation": "Acme", "role": "service_manager",
                "email": "anna@example.com", "fingerprint": fingerprint,
                "fingerprint_display": fingerprint, "own": false,
            })
        };
        let conflict: KeyConflict = serde_json::from_value(
            serde_json::json!({ "known": person("AA"), "new": person("BB") }),
        )
        .expect("a key conflict");
        let err = CommandError::from(pactum::Error::KnownPersonNewKey(Box::new(conflict.clone())));
        assert_eq!(err.code, "known_person_new_key");
        assert_eq!(
            err.key_conflict.as_deref(),
            Some(&conflict),
            "the dialog compares both fingerprints, whichever command refused the card"
        );
    }

    #[test]
    fn the_code_crosses_ipc_as_its_snake_case_text() {
        let json = serde_json::to_value(CommandError::from(pactum::Error::Busy("x".into())))
            .expect("an error serialises");
        assert_eq!(
            json["code"], "busy",
            "the UI compares codes with the strings of the generated union"
        );
        assert_eq!(json["key_conflict"], serde_json::Value::Null);
    }
}
