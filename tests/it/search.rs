//! Full-text search over titles, parties and clause text: what it finds, how it marks the match,
//! and that no typed query is FTS syntax.

use pactum::record::AgreementId;
use pactum::Library;

use crate::support::*;

/// Two agreements; the first carries distinctive words in its title, parties and clauses.
fn library() -> (Fixture, AgreementId, AgreementId) {
    let fx = fixture();
    let found = create_titled(&fx.lib, GERMAN, "Rahmenvertrag Titelwortzauber");
    edit(&fx.lib, found, |a| {
        a.overview.customer.name = "Parteiname Nordlicht GmbH".into();
        a.overview.provider.contacts[0].name = "Kontaktperson Wendelin".into();
        a.metrics
            .clauses
            .push_str("\n\nDie Lösung des Problems erfolgt im Klauselwortschatz des Anbieters.");
        a.training
            .clauses
            .push_str("\n\nSchulungen finden in der Losung-Halle statt.");
    });
    let other = create_titled(&fx.lib, GERMAN, "Anderer Vertrag");
    edit(&fx.lib, other, |a| {
        a.overview.customer.name = "Südwind AG".into()
    });
    (fx, found, other)
}

fn hit_ids(lib: &Library, query: &str) -> Vec<AgreementId> {
    lib.search(query, 50)
        .unwrap_or_else(|e| panic!("searching {query:?} must not fail: {e}"))
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn words_from_titles_parties_and_clauses_are_found_with_marked_snippets() {
    let (fx, found, _) = library();
    for (query, marked) in [
        ("Titelwortzauber", "[Titelwortzauber]"),
        ("Nordlicht", "[Nordlicht]"),
        ("Wendelin", "[Wendelin]"),
        ("Klauselwortschatz", "[Klauselwortschatz]"),
    ] {
        let hits = fx.lib.search(query, 10).unwrap();
        assert_eq!(
            hits.iter().map(|h| h.id).collect::<Vec<_>>(),
            [found],
            "{query}: only the agreement with the word"
        );
        assert!(
            hits[0].snippet.contains(marked),
            "{query}: the snippet marks the match: {}",
            hits[0].snippet
        );
        assert_eq!(
            hits[0].title, "Rahmenvertrag Titelwortzauber",
            "{query}: the hit carries the title"
        );
        assert_eq!(
            hits[0].customer, "Parteiname Nordlicht GmbH",
            "{query}: and the customer"
        );
    }
    assert_eq!(
        hit_ids(&fx.lib, "klauselwort"),
        [found],
        "a word is found by its beginning, in any case"
    );
    assert_eq!(
        hit_ids(&fx.lib, "Nordlicht Wendelin"),
        [found],
        "several words must all match"
    );
    assert!(
        hit_ids(&fx.lib, "Nordlicht Südwind").is_empty(),
        "words from different agreements match neither"
    );
    assert!(
        hit_ids(&fx.lib, "Xylophonkonzert").is_empty(),
        "an absent word finds nothing"
    );
}

#[test]
fn umlauts_and_diacritics_do_not_matter() {
    let (fx, found, other) = library();
    for query in ["Lösung", "losung", "LOSUNG", "lösung", "Lósung"] {
        assert!(
            hit_ids(&fx.lib, query).contains(&found),
            "{query:?} matches \"Lösung\" and \"Losung\""
        );
    }
    for query in ["Sudwind", "südwind", "SÜDWIND"] {
        assert_eq!(
            hit_ids(&fx.lib, query),
            [other],
            "{query:?} matches \"Südwind\""
        );
    }
}

#[test]
fn the_index_follows_the_draft() {
    let (fx, found, _) = library();
    edit(&fx.lib, found, |a| {
        a.overview.customer.name = "Morgenrot KG".into()
    });
    assert!(
        hit_ids(&fx.lib, "Nordlicht").is_empty(),
        "the old customer name is gone from the index"
    );
    assert_eq!(
        hit_ids(&fx.lib, "Morgenrot"),
        [found],
        "the new one is found"
    );
    let copy = fx.lib.duplicate(found).unwrap();
    let mut both = hit_ids(&fx.lib, "Morgenrot");
    both.sort();
    assert_eq!(both, [found, copy], "a duplicate is indexed too");
}

#[test]
fn fts_syntax_in_queries_is_plain_text() {
    let (fx, found, _) = library();
    for query in [
        "\"",
        "\"Nordlicht",
        "*",
        "Nordlicht*",
        "NEAR",
        "NEAR(Nordlicht Wendelin)",
        "-",
        "-Nordlicht",
        "(",
        "(Nordlicht",
        ")",
        "Nordlicht OR",
        "AND OR NOT",
        "title:Nordlicht",
        "^Nordlicht",
        "Nordlicht + Wendelin",
        "'); DROP TABLE agreements;--",
        "{}[]:;,.!?\\/",
        "",
        "   ",
        "😀",
        "\u{0301}",
    ] {
        fx.lib
            .search(query, 20)
            .unwrap_or_else(|e| panic!("{query:?} must not be an error: {e}"));
    }
    for query in [
        "\"Nordlicht\"",
        "Nordlicht*",
        "-Nordlicht",
        "(Nordlicht)",
        "Nordlicht:",
        "[Nordlicht]",
    ] {
        assert_eq!(
            hit_ids(&fx.lib, query),
            [found],
            "{query:?}: the punctuation is ignored, the word is found"
        );
    }
    assert_eq!(total_all(&fx.lib), 2, "no query changed the database");
}

#[test]
fn long_queries_are_refused_and_limits_are_clamped() {
    let (fx, _, _) = library();
    let problems = invalid(fx.lib.search(&"a".repeat(1001), 10), "a 1001-byte query");
    problem_at(&problems, "query", "the problem names the query");
    assert_eq!(
        fx.lib.search("Vertrag", 0).unwrap().len(),
        1,
        "a limit of 0 still returns the best hit"
    );
    assert_eq!(
        fx.lib.search("Vertrag", 1_000_000).unwrap().len(),
        2,
        "a huge limit returns every hit"
    );
}
