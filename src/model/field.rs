//! Single typed field values as the editor sends them while someone types, and the clause
//! preview.
//!
//! The editor asks the engine about one field at a time ("is `4 Std.` a duration?") so that
//! it can say at once what is wrong, before the text goes into the draft. The parsing rules
//! are those of [`super::values`] and [`super::calendar`]; this module only dispatches on the
//! kind of field and returns the canonical form (what the draft stores) and the form a reader
//! of the given language would write. It also turns clause text into a serialisable block
//! structure so the UI can render the preview as text nodes (never as HTML).

use serde::{Deserialize, Serialize};

use super::calendar::{german_public_holidays, ClockTime};
use super::clause::{self, Block, Span};
use super::values::{Duration, Money, Percent, Threshold, ValueError};
use super::Language;

/// The kinds of typed text fields of an agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// "30 min", "4 h", "1 Arbeitstag".
    Duration,
    /// "99,9 %".
    Percent,
    /// ">= 95", "≤ 4,5".
    Threshold,
    /// "49,00 EUR".
    Money,
    /// A time of day, "08:00".
    Time,
}

/// A field value the engine accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Normalised {
    /// The stored form, e.g. `4 h`, `99.9 %`, `>= 95`, `49.00 EUR`, `08:00`.
    pub canonical: String,
    /// The form a reader of the requested language would write, e.g. `4 Std.`.
    pub display: String,
}

/// Parses `text` as a value of `kind`. The error carries an English and a German message.
pub fn parse_field(kind: FieldKind, text: &str, lang: Language) -> Result<Normalised, ValueError> {
    let (canonical, display) = match kind {
        FieldKind::Duration => {
            let v: Duration = text.parse()?;
            (v.to_string(), v.display(lang))
        }
        FieldKind::Percent => {
            let v: Percent = text.parse()?;
            (v.to_string(), v.display(lang))
        }
        FieldKind::Threshold => {
            let v: Threshold = text.parse()?;
            (v.to_string(), v.display(lang))
        }
        FieldKind::Money => {
            let v: Money = text.parse()?;
            (v.to_string(), v.display(lang))
        }
        FieldKind::Time => {
            let v: ClockTime = text.parse()?;
            (v.to_string(), v.to_string())
        }
    };
    Ok(Normalised { canonical, display })
}

/// A run of clause text with its emphasis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClauseSpan {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

/// A block of clause text: a sub-heading, a paragraph or a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClauseBlock {
    Heading { spans: Vec<ClauseSpan> },
    Paragraph { spans: Vec<ClauseSpan> },
    Bullets { items: Vec<Vec<ClauseSpan>> },
    Numbered { items: Vec<Vec<ClauseSpan>> },
}

fn spans(list: Vec<Span>) -> Vec<ClauseSpan> {
    list.into_iter()
        .map(|s| ClauseSpan {
            text: s.text,
            bold: s.bold,
            italic: s.italic,
        })
        .collect()
}

/// Clause text parsed with the engine's Markdown subset ([`clause::parse`]).
pub fn clause_preview(text: &str) -> Vec<ClauseBlock> {
    clause::parse(text)
        .into_iter()
        .map(|block| match block {
            Block::Heading(s) => ClauseBlock::Heading { spans: spans(s) },
            Block::Paragraph(s) => ClauseBlock::Paragraph { spans: spans(s) },
            Block::Bullets(items) => ClauseBlock::Bullets {
                items: items.into_iter().map(spans).collect(),
            },
            Block::Numbered(items) => ClauseBlock::Numbered {
                items: items.into_iter().map(spans).collect(),
            },
        })
        .collect()
}

/// A public holiday of the German preset, with its date as `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PresetHoliday {
    pub date: String,
    pub name: String,
}

/// The German nationwide public holidays of `year` (the calendar preset), in date order.
/// Years outside 1583–9999 give an empty list.
pub fn german_holidays(year: i32) -> Vec<PresetHoliday> {
    if !(1583..=9999).contains(&year) {
        return Vec::new();
    }
    let mut list: Vec<PresetHoliday> = german_public_holidays(year)
        .into_iter()
        .map(|h| PresetHoliday {
            date: h.date.format("%Y-%m-%d").to_string(),
            name: h.name,
        })
        .collect();
    list.sort_by(|a, b| a.date.cmp(&b.date));
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_parse_to_canonical_and_display_forms() {
        let d = parse_field(FieldKind::Duration, "4 Std.", Language::De).unwrap();
        assert_eq!(
            (d.canonical.as_str(), d.display.as_str()),
            ("4 h", "4 Std.")
        );
        let d = parse_field(FieldKind::Duration, "1 Arbeitstag", Language::En).unwrap();
        assert_eq!(d.canonical, "1 business day");
        let p = parse_field(FieldKind::Percent, "99,9 %", Language::De).unwrap();
        assert_eq!(
            (p.canonical.as_str(), p.display.as_str()),
            ("99.9 %", "99,9 %")
        );
        let t = parse_field(FieldKind::Threshold, "≥ 4,5", Language::En).unwrap();
        assert_eq!(t.canonical, ">= 4.5");
        let m = parse_field(FieldKind::Money, "1.234,50 €", Language::De).unwrap();
        assert_eq!(m.canonical, "1234.50 EUR");
        let c = parse_field(FieldKind::Time, "8 Uhr", Language::De).unwrap();
        assert_eq!(c.canonical, "08:00");
    }

    #[test]
    fn bad_text_gives_both_languages() {
        let err = parse_field(FieldKind::Duration, "four hours", Language::En).unwrap_err();
        assert!(err.en.contains("is not a duration"), "{}", err.en);
        assert!(err.de.contains("keine Dauer"), "{}", err.de);
        assert!(parse_field(FieldKind::Percent, "101 %", Language::En).is_err());
        assert!(parse_field(FieldKind::Time, "25:00", Language::En).is_err());
    }

    #[test]
    fn clause_preview_keeps_structure_and_literal_text() {
        let blocks = clause_preview("### Scope\n\n**Bold** <b>x</b>\n\n- one\n- two\n\n1. first");
        assert_eq!(blocks.len(), 4);
        assert!(matches!(&blocks[0], ClauseBlock::Heading { spans } if spans[0].text == "Scope"));
        match &blocks[1] {
            ClauseBlock::Paragraph { spans } => {
                assert!(spans[0].bold);
                assert_eq!(spans[1].text, " <b>x</b>", "HTML stays literal text");
            }
            other => panic!("expected a paragraph, got {other:?}"),
        }
        assert!(matches!(&blocks[2], ClauseBlock::Bullets { items } if items.len() == 2));
        assert!(matches!(&blocks[3], ClauseBlock::Numbered { items } if items.len() == 1));
    }

    #[test]
    fn german_preset_lists_nine_days_in_order() {
        let days = german_holidays(2026);
        assert_eq!(days.len(), 9);
        assert_eq!(days[0].date, "2026-01-01");
        assert!(days.windows(2).all(|w| w[0].date < w[1].date));
        assert!(
            german_holidays(-5).is_empty(),
            "out-of-range years give nothing"
        );
    }
}
