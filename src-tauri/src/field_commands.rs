//! Commands of the guided editor's forms that need no database: parsing one typed field as
//! someone types it, the clause-text preview and the German public-holiday preset.
//!
//! Each is one call into `pactum::model::field`; the parsing rules live in the engine.

use pactum::model::field::{self, ClauseBlock, FieldKind, Normalised, PresetHoliday};
use pactum::model::Language;
use pactum::ErrorCode;

use crate::error::CommandError;

/// Longest text a single field may hold; longer input is refused before parsing.
const MAX_FIELD_CHARS: usize = 200;
/// Longest clause text previewed (the engine's limit for clause text is lower).
const MAX_CLAUSE_CHARS: usize = 200_000;

/// Parses `text` as a value of `kind`. An invalid value is the error `invalid_value` whose
/// message is in `language` (the UI's language).
#[tauri::command]
#[specta::specta]
pub fn parse_field(
    kind: FieldKind,
    text: String,
    language: Language,
) -> Result<Normalised, CommandError> {
    if text.chars().count() > MAX_FIELD_CHARS {
        return Err(CommandError::new(
            ErrorCode::InvalidValue,
            language.pick("Der Text ist zu lang.", "The text is too long."),
        ));
    }
    field::parse_field(kind, &text, language).map_err(|err| {
        CommandError::new(
            ErrorCode::InvalidValue,
            language.pick(&err.de, &err.en).to_owned(),
        )
    })
}

/// The clause text as blocks of the engine's Markdown subset, for the live preview.
#[tauri::command]
#[specta::specta]
pub fn preview_clauses(text: String) -> Result<Vec<ClauseBlock>, CommandError> {
    if text.len() > MAX_CLAUSE_CHARS {
        return Err(CommandError::new(
            ErrorCode::InvalidValue,
            "The clause text is too long to preview.",
        ));
    }
    Ok(field::clause_preview(&text))
}

/// The German nationwide public holidays of `year` (the calendar preset).
#[tauri::command]
#[specta::specta]
pub fn german_holidays(year: i32) -> Vec<PresetHoliday> {
    field::german_holidays(year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_values_speak_the_ui_language() {
        let err = parse_field(FieldKind::Duration, "vier Stunden".into(), Language::De)
            .expect_err("words are not a duration");
        assert_eq!(err.code, "invalid_value");
        assert!(err.message.contains("keine Dauer"), "{}", err.message);
        let ok = parse_field(FieldKind::Duration, "4 Std.".into(), Language::En).unwrap();
        assert_eq!(ok.canonical, "4 h");
        assert!(parse_field(FieldKind::Duration, "1".repeat(300), Language::En).is_err());
    }
}
