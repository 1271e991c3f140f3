//! How findings say things: German or English text, quoted names, dates, shortened lists and
//! the labels of entries that may have no name.

use chrono::NaiveDate;

use crate::model::{Channel, Language, OpeningHours, PriorityTier};

/// The German or the English text.
pub(super) fn say(lang: Language, de: String, en: String) -> String {
    match lang {
        Language::De => de,
        Language::En => en,
    }
}

pub(super) fn quoted(text: &str, lang: Language) -> String {
    match lang {
        Language::De => format!("„{text}“"),
        Language::En => format!("\"{text}\""),
    }
}

pub(super) fn date(d: NaiveDate, lang: Language) -> String {
    match lang {
        Language::De => d.format("%d.%m.%Y").to_string(),
        Language::En => d.format("%Y-%m-%d").to_string(),
    }
}

/// How many names a message lists before it says "and N more".
pub(super) const LISTED: usize = 5;

/// "a, b, c and 2 more": the first [`LISTED`] of `names`, out of `total` (which may be larger
/// than `names`, so callers need not format names that are never shown).
pub(super) fn listing(names: &[String], total: usize, lang: Language) -> String {
    let mut text = names
        .iter()
        .take(LISTED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let shown = names.len().min(LISTED);
    if total > shown {
        let more = total - shown;
        text.push_str(&say(
            lang,
            format!(" und {more} weitere"),
            format!(" and {more} more"),
        ));
    }
    text
}

/// The first non-blank text, or `#n` (1-based) for an entry without a name.
pub(super) fn label(texts: &[&str], index: usize) -> String {
    texts
        .iter()
        .map(|t| t.trim())
        .find(|t| !t.is_empty())
        .map_or_else(|| format!("#{}", index + 1), str::to_string)
}

pub(super) fn tier_label(i: usize, t: &PriorityTier) -> String {
    label(&[&t.id, &t.name], i)
}

pub(super) fn channel_label(i: usize, ch: &Channel, lang: Language) -> String {
    label(&[&ch.name, ch.kind.label(lang)], i)
}

/// A day's opening interval, e.g. "Mon 08:00–18:00".
pub(super) fn hours_text(o: &OpeningHours, lang: Language) -> String {
    format!("{} {}–{}", o.day.label(lang), o.from, o.to)
}
