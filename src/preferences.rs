//! The user's display preferences: the language of the window and its theme.
//!
//! They are kept in the library's database (table `preferences`), written in one transaction,
//! so a choice is durable the moment the call returns — like every other saved change, and
//! unlike the webview's local storage, which WebKit writes out on a timer and loses when the
//! app ends first. A preference that is not set follows the system (its locale, its
//! light/dark setting). Values in the table that this build does not know (written by a newer
//! Pactum, or by hand) read as "not set" rather than failing the start.

use serde::{Deserialize, Serialize};

use crate::model::Language;

/// The window's colour theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    fn code(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn from_code(code: &str) -> Option<Theme> {
        match code {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }
}

/// The display preferences; `None` follows the system.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Preferences {
    /// Language of the window's own texts (not of agreements).
    pub language: Option<Language>,
    pub theme: Option<Theme>,
}

impl Preferences {
    /// Reads the stored (name, value) rows; unknown names and values are left out.
    pub(crate) fn from_rows(rows: &[(String, String)]) -> Preferences {
        let mut preferences = Preferences::default();
        for (name, value) in rows {
            match name.as_str() {
                "language" => {
                    preferences.language = match value.as_str() {
                        "de" => Some(Language::De),
                        "en" => Some(Language::En),
                        _ => None,
                    }
                }
                "theme" => preferences.theme = Theme::from_code(value),
                _ => {}
            }
        }
        preferences
    }

    /// The rows to write: every preference, `None` for the ones that follow the system.
    pub(crate) fn rows(&self) -> [(&'static str, Option<&'static str>); 2] {
        [
            ("language", self.language.map(|l| l.code())),
            ("theme", self.theme.map(Theme::code)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_back_as_the_same_preferences() {
        let chosen = Preferences {
            language: Some(Language::En),
            theme: Some(Theme::Dark),
        };
        let rows: Vec<(String, String)> = chosen
            .rows()
            .iter()
            .filter_map(|(name, value)| value.map(|v| (name.to_string(), v.to_string())))
            .collect();
        assert_eq!(
            Preferences::from_rows(&rows),
            chosen,
            "what is written is what is read"
        );
    }

    #[test]
    fn unknown_values_follow_the_system_instead_of_failing() {
        let rows = vec![
            ("language".to_string(), "fr".to_string()),
            ("theme".to_string(), "sepia".to_string()),
            ("font".to_string(), "large".to_string()),
        ];
        assert_eq!(
            Preferences::from_rows(&rows),
            Preferences::default(),
            "a value from a newer Pactum must not stop the window from starting"
        );
    }
}
