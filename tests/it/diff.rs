//! Comparing frozen versions: changed terms as one labelled line each, clause text as a word
//! redline, and nothing at all for identical content.

use pactum::diff::{ChangeKind, Comparison};
use pactum::record::AgreementId;
use pactum::{Language, Library, Section};

use crate::support::*;

const BEFORE: &str = "Die Frist für die Wiederherstellung beträgt acht Stunden ab Meldung.";
const AFTER: &str = "Die Frist für die Wiederherstellung beträgt vier Stunden ab Meldung.";

/// Version 1 with the top priority resolved in 8 h, version 2 in 4 h with one clause word changed.
fn two_versions(lib: &Library, template: &str, lang: Language) -> (AgreementId, String) {
    let id = lib.create(template, None, Some(lang)).expect("create");
    let top = top_priority(&draft(lib, id));
    edit(lib, id, |a| {
        set_top_resolution(a, "8 h");
        a.support_levels.clauses = format!("{}\n\n{BEFORE}", a.support_levels.clauses);
    });
    lib.freeze(id, "8 h").unwrap();
    edit(lib, id, |a| {
        set_top_resolution(a, "4 h");
        a.support_levels.clauses = a.support_levels.clauses.replace(BEFORE, AFTER);
    });
    lib.freeze(id, "4 h").unwrap();
    (id, top)
}

fn term_lines(c: &Comparison) -> Vec<String> {
    c.terms.iter().map(|t| t.line()).collect()
}

#[test]
fn a_changed_resolution_target_is_one_german_term_line() {
    let fx = fixture();
    let (id, top) = two_versions(&fx.lib, GERMAN, Language::De);
    let c = fx.lib.diff(id, 1, 2).expect("compare versions 1 and 2");
    assert_eq!(
        c.language,
        Language::De,
        "labels are in the newer version's language"
    );
    let lines = term_lines(&c);
    assert_eq!(
        lines.len(),
        1,
        "only the resolution target changed among the terms: {lines:#?}"
    );
    let line = &lines[0];
    assert!(
        line.contains("8 Std.") && line.contains("4 Std."),
        "German durations before and after: {line}"
    );
    assert!(
        line.find("8 Std.") < line.find("4 Std."),
        "the old value comes first: {line}"
    );
    assert!(
        line.contains(&top) && line.contains("Lösungszeit"),
        "the line names the priority and the field: {line}"
    );
    let term = &c.terms[0];
    assert_eq!(
        term.section,
        Section::SupportLevels,
        "the change belongs to the support levels"
    );
    assert_eq!(
        (term.before.as_deref(), term.after.as_deref()),
        (Some("8 Std."), Some("4 Std.")),
        "typed values"
    );
}

#[test]
fn a_changed_resolution_target_reads_in_english_too() {
    let fx = fixture();
    let (id, _) = two_versions(&fx.lib, "saas-support-en", Language::En);
    let lines = term_lines(&fx.lib.diff(id, 1, 2).unwrap());
    assert_eq!(lines.len(), 1, "one changed term: {lines:#?}");
    assert!(
        lines[0].ends_with("resolution: 8 h → 4 h"),
        "English label and durations: {}",
        lines[0]
    );
}

#[test]
fn a_changed_clause_word_is_a_redline() {
    let fx = fixture();
    let (id, _) = two_versions(&fx.lib, GERMAN, Language::De);
    let c = fx.lib.diff(id, 1, 2).unwrap();
    assert_eq!(
        c.redlines.len(),
        1,
        "only one section's clause text changed"
    );
    let r = &c.redlines[0];
    assert_eq!(
        r.section,
        Section::SupportLevels,
        "the redline is in the section whose text changed"
    );
    let deleted: Vec<&str> = r
        .chunks
        .iter()
        .filter(|c| c.kind == ChangeKind::Deleted)
        .map(|c| c.text.as_str())
        .collect();
    let inserted: Vec<&str> = r
        .chunks
        .iter()
        .filter(|c| c.kind == ChangeKind::Inserted)
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(deleted, ["acht"], "exactly the old word is deleted");
    assert_eq!(inserted, ["vier"], "exactly the new word is inserted");
    let same: String = r
        .chunks
        .iter()
        .filter(|c| c.kind != ChangeKind::Inserted)
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(
        same,
        fx.lib
            .version(id, 1)
            .unwrap()
            .agreement
            .support_levels
            .clauses,
        "old text = same + deleted"
    );
    let text = c.to_text();
    assert!(
        text.contains("[-acht-]{+vier+}"),
        "the text rendering marks the change: {text}"
    );
    assert!(
        text.contains("Geänderte Bedingungen"),
        "and lists the changed terms under a German heading: {text}"
    );
}

#[test]
fn identical_versions_compare_as_empty() {
    let fx = fixture();
    let (id, _) = two_versions(&fx.lib, GERMAN, Language::De);
    let same = fx.lib.diff(id, 2, 2).unwrap();
    assert!(
        same.is_empty(),
        "a version compared with itself has no differences: {same:?}"
    );
    assert_eq!(
        same.to_text(),
        "Keine Unterschiede.\n",
        "and says so in the agreement's language"
    );
    // Version 3 goes back to the content of version 1: comparing them is empty as well.
    let v1 = fx.lib.version(id, 1).unwrap().agreement;
    fx.lib.save_draft(id, &v1).unwrap();
    fx.lib
        .freeze(id, "zurück")
        .expect("the content differs from version 2, so it can be frozen");
    assert!(
        fx.lib.diff(id, 1, 3).unwrap().is_empty(),
        "equal content in different versions: no differences"
    );
    assert!(
        !fx.lib.diff(id, 2, 3).unwrap().is_empty(),
        "but version 3 differs from version 2"
    );
}

#[test]
fn the_draft_compares_against_a_version() {
    let fx = fixture();
    let (id, _) = two_versions(&fx.lib, GERMAN, Language::De);
    assert!(
        fx.lib.diff_draft(id, 2).unwrap().is_empty(),
        "the draft equals the last frozen version"
    );
    edit(&fx.lib, id, |a| set_top_resolution(a, "2 h"));
    let lines = term_lines(&fx.lib.diff_draft(id, 2).unwrap());
    assert_eq!(lines.len(), 1, "the draft's one change: {lines:#?}");
    assert!(
        lines[0].contains("4 Std.") && lines[0].contains("2 Std."),
        "{}",
        lines[0]
    );
    let swapped = term_lines(&fx.lib.diff(id, 2, 1).unwrap());
    assert!(
        swapped[0].find("4 Std.") < swapped[0].find("8 Std."),
        "comparing backwards swaps the values"
    );
}
