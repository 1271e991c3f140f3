//! Hostile text in every free-text field: it either round-trips unchanged through every path
//! (draft, export/import, freeze/version, search) or is refused with an error naming the field,
//! and then nothing is stored.
//!
//! The fields are found generically: an agreement is serialized to JSON and every string leaf
//! under a known free-text key is replaced. Typed strings (durations, percentages, dates) and
//! references between sections (ids, roles, calendars) are left alone; every string key in the
//! templates must be classified as one or the other, so a new field cannot slip past this test.

use std::collections::BTreeSet;

use pactum::record::AgreementId;
use pactum::{Agreement, Library};
use serde_json::Value;

use crate::support::*;

/// Keys whose strings are free text a person types.
const FREE_TEXT: &[&str] = &[
    "activity",
    "address",
    "agenda",
    "assumptions",
    "audience",
    "clauses",
    "commitments",
    "contact",
    "critical_services",
    "data_source",
    "definition",
    "dependencies",
    "description",
    "email",
    "escalation",
    "evaluation",
    "examples",
    "exclusions",
    "formula",
    "function",
    "improvement",
    "languages",
    "name",
    "needs_assessment",
    "participants",
    "payment_terms",
    "person",
    "phone",
    "purpose",
    "recipients",
    "submission",
    "team",
    "text",
    "title",
    "topic",
    "unit",
];

/// Keys whose strings are typed values, enum names or references to ids elsewhere.
const TYPED_OR_REFERENCE: &[&str] = &[
    "accepts",
    "acknowledgement",
    "after",
    "approvers",
    "availability_target",
    "billing",
    "breach",
    "cadence",
    "calendar",
    "credit",
    "credit_cap",
    "date",
    "day",
    "effective_date",
    "end_date",
    "escalation_ceiling",
    "first_response",
    "format",
    "frequency",
    "from",
    "id",
    "investigation",
    "kind",
    "kpi",
    "language",
    "letters",
    "minimum",
    "notice",
    "owner",
    "party",
    "price",
    "priorities",
    "proposers",
    "renewal",
    "reporting",
    "resolution",
    "resolution_target",
    "response_target",
    "review_cadence",
    "role",
    "satisfaction_target",
    "target",
    "time_zone",
    "to",
    "update_interval",
    "window",
];

/// Text that must be stored and returned exactly.
#[rustfmt::skip]
fn accepted_corpus() -> Vec<(&'static str, String)> {
    vec![
        ("quotes", "\"double\" 'single' „deutsch“ «guillemets» `backtick` ‚x‘".into()),
        ("backslashes", r#"C:\Temp\new \\server\share \n \t \u0000 \" \"#.into()),
        ("right-to-left scripts", "שלום مرحبا".into()),
        ("invisible", "a\u{200B}b\u{200D}c\u{FEFF}d\u{2060}e\u{00AD}f".into()),
        ("emoji", "👩‍👩‍👧‍👦 🇩🇪 ✅ 🙂 𝄞 \u{1F600}".into()),
        ("combining", "e\u{301} a\u{308} Z\u{336}\u{321}a\u{335}l\u{334}g\u{338}o \u{0344}".into()),
        ("html", "<script>alert('x')</script><img src=x onerror=alert(1)> &amp; &lt;b&gt; <!-- -->".into()),
        ("pdf operators", ") Tj ET BT /F1 12 Tf (injected) Tj %%EOF <<>> stream endobj".into()),
        ("templates", "{{template}} {{{raw}}} ${var} %s %n %d {0} #{ruby} {% tag %}".into()),
        ("sql", "'); DROP TABLE agreements;-- \" OR 1=1 -- ; DELETE FROM versions; /*".into()),
        ("markdown", "### Kopf\n- Punkt\n1. Eins\n**fett** *kursiv* _x_ [link](https://x.invalid) ![b](x)".into()),
        ("whitespace", "  führende und folgende Leerzeichen\t\r\n  ".into()),
        ("unicode edges", "\u{FFFD} \u{FFFF} \u{E000} \u{10FFFF} \u{2028}\u{2029} ß ẞ ǅ".into()),
        ("fts syntax", "NEAR(a b) \"phrase\" * -minus title:x ^start AND OR NOT ( )".into()),
        // Every field just under the 16 KB field limit once the marker is added.
        ("long", "Ä".repeat(8_000)),
    ]
}

/// Text that must be refused: control characters (bidirectional ones included: the PDF, the
/// terminal and the screen would order the text differently) and sizes over every limit.
fn refused_corpus() -> Vec<(&'static str, String, &'static str)> {
    vec![
        ("NUL", "vorher\0nachher".into(), "control character"),
        (
            "escape sequence",
            "\u{1b}[31mrot\u{1b}[0m".into(),
            "control character",
        ),
        ("1 MB", "X".repeat(1024 * 1024), "bytes"),
        (
            "bidi controls",
            "\u{202E}gnirts desrever\u{202C} \u{200F}mark\u{200E} \u{2067}isolate\u{2069}".into(),
            "right-to-left control character U+202E",
        ),
    ]
}

/// A string leaf under a free-text key: its engine-style path and JSON pointer.
#[derive(Debug, Clone)]
struct Leaf {
    key: String,
    path: String,
    pointer: String,
}

fn leaves(value: &Value) -> Vec<Leaf> {
    fn walk(v: &Value, key: Option<&str>, path: &str, pointer: &str, out: &mut Vec<Leaf>) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    walk(
                        child,
                        Some(k),
                        &format!("{path}.{k}"),
                        &format!("{pointer}/{k}"),
                        out,
                    );
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(
                        child,
                        key,
                        &format!("{path}[{i}]"),
                        &format!("{pointer}/{i}"),
                        out,
                    );
                }
            }
            Value::String(_) => {
                let key = key
                    .expect("a string leaf below the agreement has a key")
                    .to_string();
                out.push(Leaf {
                    key,
                    path: path.to_string(),
                    pointer: pointer.to_string(),
                });
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, None, "$.agreement", "", &mut out);
    out
}

fn free_text_leaves(a: &Agreement) -> Vec<Leaf> {
    let value = serde_json::to_value(a).unwrap();
    leaves(&value)
        .into_iter()
        .filter(|l| FREE_TEXT.contains(&l.key.as_str()))
        .collect()
}

/// `a` with every free-text leaf replaced by `text` and a marker; clause text also carries
/// the search word `find`.
fn hostile(a: &Agreement, text: &str, find: &str) -> Agreement {
    let mut value = serde_json::to_value(a).unwrap();
    for (n, leaf) in free_text_leaves(a).iter().enumerate() {
        let new = if leaf.key == "clauses" {
            format!("{text} {find} {text}")
        } else {
            format!("{text} ·{n}")
        };
        *value.pointer_mut(&leaf.pointer).unwrap() = Value::String(new);
    }
    serde_json::from_value(value).expect("free-text fields take any string")
}

/// `a` with only the leaf at `pointer` replaced.
fn with_leaf(a: &Agreement, pointer: &str, text: &str) -> Agreement {
    let mut value = serde_json::to_value(a).unwrap();
    *value.pointer_mut(pointer).unwrap() = Value::String(text.to_string());
    serde_json::from_value(value).expect("free-text fields take any string")
}

#[test]
fn every_string_field_is_classified_and_every_free_text_kind_is_exercised() {
    let mut seen = BTreeSet::new();
    for t in TEMPLATES {
        let value = serde_json::to_value(template(t)).unwrap();
        for leaf in leaves(&value) {
            assert!(
                FREE_TEXT.contains(&leaf.key.as_str()) || TYPED_OR_REFERENCE.contains(&leaf.key.as_str()),
                "{t}: the string field {} (key {:?}) is neither free text nor typed; classify it in hostile.rs",
                leaf.path,
                leaf.key
            );
            seen.insert(leaf.key);
        }
    }
    let missing: Vec<&&str> = FREE_TEXT.iter().filter(|k| !seen.contains(**k)).collect();
    assert!(
        missing.is_empty(),
        "the templates together must contain every kind of free-text field: {missing:?}"
    );
    let a = template(GERMAN);
    let clause_paths = free_text_leaves(&a)
        .into_iter()
        .filter(|l| l.key == "clauses")
        .count();
    assert_eq!(
        clause_paths, 10,
        "the clause text of every section is a target"
    );
}

/// A code that is its own search token and no prefix of another (`fundwortab`).
fn search_word(n: usize) -> String {
    let letters = |i: usize| char::from(b'a' + (i % 26) as u8);
    format!("fundwort{}{}z", letters(n / 26), letters(n))
}

fn search_hits(lib: &Library, word: &str) -> BTreeSet<AgreementId> {
    lib.search(word, 100)
        .unwrap_or_else(|e| panic!("search {word}: {e}"))
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn accepted_hostile_text_round_trips_in_it_support_de() {
    accepted_round_trips("it-support-de", true);
}

#[test]
fn accepted_hostile_text_round_trips_in_retail_charter_de() {
    accepted_round_trips("retail-charter-de", false);
}

#[test]
fn accepted_hostile_text_round_trips_in_saas_support_en() {
    accepted_round_trips("saas-support-en", false);
}

/// Every accepted text in every free-text field of `t` goes through every path. The near-limit
/// `long` text (every field ~16 KB, a 5 MB agreement) is slow in a debug build, so it runs on
/// one template only.
fn accepted_round_trips(t: &str, with_long: bool) {
    let corpus: Vec<(&str, String)> = accepted_corpus()
        .into_iter()
        .filter(|(name, _)| with_long || *name != "long")
        .collect();
    let fx = fixture();
    for (n, (name, text)) in corpus.iter().enumerate() {
        let why = format!("{t} / {name}");
        let word = search_word(n);
        let a = hostile(&template(t), text, &word);

        // save_draft → draft
        let id = create(&fx.lib, t);
        let saved = fx
            .lib
            .save_draft(id, &a)
            .unwrap_or_else(|e| panic!("{why}: save_draft refused: {e}"));
        assert!(saved.changed, "{why}: the hostile draft is a change");
        let d = fx.lib.draft(id).unwrap();
        assert_eq!(d.agreement, a, "{why}: the draft reads back exactly");
        assert_eq!(
            d.summary.title,
            a.title.trim(),
            "{why}: the list shows the (trimmed) title"
        );
        assert_eq!(
            d.summary.customer, a.overview.customer.name,
            "{why}: the list shows the customer exactly"
        );

        // export → import
        let file = fx.lib.export(id).unwrap();
        let copy = fx
            .lib
            .import(file.as_bytes())
            .unwrap_or_else(|e| panic!("{why}: import refused: {e}"));
        assert_eq!(
            draft(&fx.lib, copy),
            a,
            "{why}: the import equals the original"
        );
        assert_eq!(
            fx.lib.export(copy).unwrap(),
            file,
            "{why}: and exports to the same bytes"
        );

        // freeze → version
        let v = fx
            .lib
            .freeze(id, text)
            .unwrap_or_else(|e| panic!("{why}: freeze refused: {e}"));
        let version = fx
            .lib
            .version(id, v.number)
            .unwrap_or_else(|e| panic!("{why}: version unreadable: {e}"));
        assert_eq!(
            version.agreement, a,
            "{why}: the version holds exactly the hostile content"
        );
        assert_eq!(
            version.info.note,
            text.trim(),
            "{why}: the note is stored (trimmed)"
        );
        let content = fx.lib.version_content(id, v.number).unwrap();
        assert_eq!(
            sha256(content.as_bytes()),
            v.hash,
            "{why}: the hash covers the stored bytes"
        );

        // search
        let want: BTreeSet<AgreementId> = [id, copy].into();
        assert_eq!(
            search_hits(&fx.lib, &word),
            want,
            "{why}: the word in the clause text is found"
        );

        // the pure functions over it do not panic
        let report = fx.lib.check(id).unwrap();
        assert!(report.completeness <= 100, "{why}: the check runs");
        assert!(
            fx.lib.diff_draft(id, v.number).unwrap().is_empty(),
            "{why}: the draft equals its version"
        );
        fx.lib.diff(id, v.number, v.number).unwrap();
    }
    assert_eq!(
        fx.lib
            .list(&pactum::record::ListQuery::default())
            .unwrap()
            .total as usize,
        2 * corpus.len(),
        "{t}: the library holds every stored agreement, nothing else was dropped or added"
    );
}

#[test]
fn nul_is_refused_in_every_free_text_field() {
    refused_everywhere("NUL");
}

#[test]
fn an_escape_sequence_is_refused_in_every_free_text_field() {
    refused_everywhere("escape sequence");
}

#[test]
fn bidi_controls_are_refused_in_every_free_text_field() {
    refused_everywhere("bidi controls");
}

#[test]
fn a_megabyte_is_refused_in_every_kind_of_free_text_field() {
    refused_everywhere("1 MB");
}

/// Puts the refused text `case` into each free-text field of the German template alone and
/// checks that saving and importing name exactly that field and store nothing. Saving is tried
/// in every field; importing (which re-parses the whole file) and the 1 MB text once per kind
/// of field, to keep the debug build fast.
fn refused_everywhere(case: &str) {
    let (name, text, says) = refused_corpus()
        .into_iter()
        .find(|c| c.0 == case)
        .expect("a corpus entry");
    let fx = fixture();
    let base = template(GERMAN);
    let id = create(&fx.lib, GERMAN);
    let mut kinds = BTreeSet::new();
    for leaf in free_text_leaves(&base) {
        let first_of_kind = kinds.insert(leaf.key.clone());
        if name == "1 MB" && !first_of_kind {
            continue;
        }
        let why = format!("{name} in {}", leaf.path);
        let a = with_leaf(&base, &leaf.pointer, &text);
        let problems = invalid(fx.lib.save_draft(id, &a), &why);
        let p = problem_at(&problems, &leaf.path, &why);
        assert!(
            p.message.contains(says),
            "{why}: the message says why ({says}): {}",
            p.message
        );
        assert_eq!(
            problems.len(),
            1,
            "{why}: only the bad field is reported: {problems:?}"
        );
        if first_of_kind {
            let file = pactum::interchange::to_json(&a);
            let problems = invalid(fx.lib.import(file.as_bytes()), &format!("{why} (import)"));
            problem_at(&problems, &leaf.path, &format!("{why} (import)"));
        }
    }
    assert_eq!(
        kinds.len(),
        FREE_TEXT.iter().filter(|k| kinds.contains(**k)).count(),
        "only free-text kinds"
    );
    let d = fx.lib.draft(id).unwrap();
    assert_eq!(
        (d.revision, d.agreement),
        (1, base),
        "no refused save changed the draft"
    );
    assert_eq!(
        total_all(&fx.lib),
        1,
        "no refused import created an agreement"
    );
}

#[test]
fn a_title_of_only_whitespace_is_refused() {
    let fx = fixture();
    let id = create(&fx.lib, GERMAN);
    for title in [" ", "\t\r\n", "\u{3000}"] {
        let a = Agreement {
            title: title.into(),
            ..template(GERMAN)
        };
        let problems = invalid(fx.lib.save_draft(id, &a), &format!("title {title:?}"));
        problem_at(
            &problems,
            "$.agreement.title",
            "an empty-looking title is named",
        );
    }
    assert_eq!(fx.lib.draft(id).unwrap().revision, 1, "nothing was saved");
}
