//! The interchange file: exact round trips, and every kind of bad file refused with problems that
//! name JSON paths — without writing anything.

use pactum::interchange::{MAX_CLAUSE_BYTES, MAX_FIELD_BYTES, MAX_FILE_BYTES, MAX_LIST_LEN};
use pactum::{Error, Library};
use serde_json::{json, Value};

use crate::support::*;

/// The export of a fresh draft from `template`, as JSON.
fn exported(lib: &Library, template: &str) -> Value {
    let id = create(lib, template);
    serde_json::from_str(&lib.export(id).unwrap()).expect("an export is JSON")
}

/// Imports `bytes` expecting a refusal; checks that nothing was written and returns the error.
fn refused(lib: &Library, bytes: &[u8], why: &str) -> Error {
    let before = total_all(lib);
    let err = match lib.import(bytes) {
        Ok(id) => panic!("{why}: the import must be refused, but created agreement {id}"),
        Err(e) => e,
    };
    assert!(
        err.is_input_error(),
        "{why}: a bad file is the caller's error, not the system's: {err:?}"
    );
    assert_eq!(
        total_all(lib),
        before,
        "{why}: a failed import writes nothing"
    );
    err
}

fn problems(err: Error, why: &str) -> Vec<pactum::Problem> {
    invalid::<()>(Err(err), why)
}

#[test]
fn export_then_import_round_trips_every_template_exactly() {
    let fx = fixture();
    for t in TEMPLATES {
        let id = create(&fx.lib, t);
        edit(&fx.lib, id, |a| {
            a.overview
                .purpose
                .push_str(" Mit „Anführungszeichen“ und \\ Backslash.")
        });
        let text = fx.lib.export(id).unwrap();
        let copy = fx
            .lib
            .import(text.as_bytes())
            .expect("an exported file imports");
        assert_ne!(copy, id, "{t}: an import is a new agreement");
        assert_eq!(
            draft(&fx.lib, copy),
            draft(&fx.lib, id),
            "{t}: the imported agreement equals the exported one"
        );
        assert_eq!(
            fx.lib.export(copy).unwrap(),
            text,
            "{t}: exporting the import gives the same bytes"
        );
        let s = fx.lib.summary(copy).unwrap();
        assert_eq!(s.template, "", "{t}: an import records no template");
        assert_eq!(
            fx.lib.draft(copy).unwrap().revision,
            1,
            "{t}: an import starts at revision 1"
        );
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v["format"], "pactum-agreement",
            "{t}: the file names its format"
        );
        assert_eq!(v["version"], 1, "{t}: the file names its format version");
    }
}

#[test]
fn update_from_json_replaces_the_draft_or_changes_nothing() {
    let fx = fixture();
    let id = create(&fx.lib, GERMAN);
    let mut v = exported(&fx.lib, GERMAN);
    v["agreement"]["title"] = json!("Neuer Titel");
    let outcome = fx
        .lib
        .update_from_json(id, v.to_string().as_bytes(), None)
        .expect("a valid file updates the draft");
    assert!(
        outcome.changed && outcome.revision == 2,
        "the update is a new revision: {outcome:?}"
    );
    assert_eq!(
        draft(&fx.lib, id).title,
        "Neuer Titel",
        "the draft has the file's content"
    );
    let same = fx
        .lib
        .update_from_json(id, v.to_string().as_bytes(), None)
        .unwrap();
    assert!(!same.changed, "the same file again changes nothing");
    v["agreement"]["metrics"]["availability_target"] = json!("150 %");
    let err = fx
        .lib
        .update_from_json(id, v.to_string().as_bytes(), None)
        .unwrap_err();
    let p = problems(err, "an invalid update");
    problem_at(
        &p,
        "$.agreement.metrics.availability_target",
        "the bad field is named",
    );
    assert_eq!(
        fx.lib.draft(id).unwrap().revision,
        2,
        "a refused update writes nothing"
    );
}

#[test]
fn several_problems_across_sections_are_reported_at_once() {
    let fx = fixture();
    let mut v = exported(&fx.lib, GERMAN);
    let a = &mut v["agreement"];
    a["support_levels"]["priorities"][0]["resolution"] = json!("soon");
    a["metrics"]["availability_target"] = json!("120 %");
    a["overview"]["effective_date"] = json!("2026-13-45");
    a["duties"]["roles"] = json!("not a list");
    a["training"]["programmes"][0]["format"] = json!("telepathy");
    a["colour"] = json!("blue");
    let err = refused(
        &fx.lib,
        v.to_string().as_bytes(),
        "a file with six problems",
    );
    assert_eq!(err.code(), "invalid_input", "stable code for invalid files");
    let p = problems(err, "six problems");
    for path in [
        "$.agreement.support_levels.priorities[0].resolution",
        "$.agreement.metrics.availability_target",
        "$.agreement.overview.effective_date",
        "$.agreement.duties.roles",
        "$.agreement.training.programmes[0].format",
    ] {
        let found = problem_at(
            &p,
            path,
            "every section's problem is reported, not just the first",
        );
        assert!(
            !found.message.trim().is_empty(),
            "{path}: the problem says what is wrong"
        );
    }
    assert!(
        p.iter().any(|x| x.message.contains("colour")),
        "the unknown field is named: {p:#?}"
    );
    let soon = problem_at(
        &p,
        "$.agreement.support_levels.priorities[0].resolution",
        "duration",
    );
    assert!(
        soon.message.contains("soon"),
        "the message quotes the bad value: {}",
        soon.message
    );
}

#[test]
fn wrong_format_or_version_is_refused() {
    let fx = fixture();
    let good = exported(&fx.lib, GERMAN);
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "other format",
            json!({"format": "other", "version": 1, "agreement": good["agreement"]}),
            "$.format",
        ),
        (
            "no format",
            json!({"version": 1, "agreement": good["agreement"]}),
            "$.format",
        ),
        (
            "newer version",
            json!({"format": "pactum-agreement", "version": 2, "agreement": good["agreement"]}),
            "$.version",
        ),
        (
            "version as text",
            json!({"format": "pactum-agreement", "version": "1", "agreement": good["agreement"]}),
            "$.version",
        ),
        (
            "version zero",
            json!({"format": "pactum-agreement", "version": 0, "agreement": good["agreement"]}),
            "$.version",
        ),
        (
            "no version",
            json!({"format": "pactum-agreement", "agreement": good["agreement"]}),
            "$.version",
        ),
        (
            "no agreement",
            json!({"format": "pactum-agreement", "version": 1}),
            "$.agreement",
        ),
        (
            "agreement not an object",
            json!({"format": "pactum-agreement", "version": 1, "agreement": [1]}),
            "$.agreement",
        ),
        (
            "extra field",
            json!({"format": "pactum-agreement", "version": 1, "agreement": good["agreement"], "x": 1}),
            "$.x",
        ),
        ("array file", json!([good]), "$"),
        ("null file", json!(null), "$"),
    ];
    for (what, value, path) in cases {
        let err = refused(&fx.lib, value.to_string().as_bytes(), what);
        let p = problems(err, what);
        problem_at(&p, path, what);
    }
    let err = refused(
        &fx.lib,
        json!({"format": "pactum-agreement", "version": 9, "agreement": {}})
            .to_string()
            .as_bytes(),
        "v9",
    );
    assert!(
        err.to_string().contains("update Pactum"),
        "a newer file tells the user to update: {err}"
    );
}

#[test]
fn text_that_is_not_json_or_not_utf8_is_refused() {
    let fx = fixture();
    let good = fx.lib.export(create(&fx.lib, GERMAN)).unwrap();
    let mut latin1 = good.clone().into_bytes();
    let at = good
        .find("Vereinbarung")
        .expect("the title has a word to break");
    latin1[at] = 0xFF;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("whitespace", b"  \n ".to_vec()),
        ("truncated", good.as_bytes()[..good.len() / 2].to_vec()),
        ("invalid utf-8", latin1),
        (
            "lone surrogate",
            br#"{"format":"pactum-agreement","version":1,"agreement":{"title":"\ud800"}}"#.to_vec(),
        ),
        ("trailing garbage", format!("{good} {{").into_bytes()),
        ("comment", format!("// note\n{good}").into_bytes()),
    ];
    for (what, bytes) in cases {
        let err = refused(&fx.lib, &bytes, what);
        let p = problems(err, what);
        assert!(
            p.iter().any(|x| x.path == "$" || x.path.starts_with("$.")),
            "{what}: problems name a path: {p:?}"
        );
    }
    let mut bad = good.into_bytes();
    bad[at] = 0xC3; // a lead byte without its continuation
    bad[at + 1] = b'(';
    let err = refused(&fx.lib, &bad, "broken utf-8");
    assert!(
        err.to_string().contains("UTF-8"),
        "the message says the text is not UTF-8: {err}"
    );
}

#[test]
fn deep_nesting_is_refused_without_a_stack_overflow() {
    let fx = fixture();
    let deep_array = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    let err = refused(&fx.lib, deep_array.as_bytes(), "200 000 nested arrays");
    assert!(
        err.to_string().contains("levels deep"),
        "the message names the nesting: {err}"
    );
    let nested_in_field = format!(
        r#"{{"format":"pactum-agreement","version":1,"agreement":{{"title":{}1{}}}}}"#,
        "{\"a\":".repeat(40),
        "}".repeat(40)
    );
    let err = refused(
        &fx.lib,
        nested_in_field.as_bytes(),
        "40 nested objects in the title",
    );
    problems(err, "nesting inside a field");
    // Brackets inside strings do not count as nesting.
    let mut v = exported(&fx.lib, GERMAN);
    v["agreement"]["overview"]["clauses"] =
        json!("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{");
    fx.lib
        .import(v.to_string().as_bytes())
        .expect("brackets in text are just text");
}

#[test]
fn a_file_over_ten_megabytes_is_too_large() {
    let fx = fixture();
    let good = fx.lib.export(create(&fx.lib, GERMAN)).unwrap();
    // Pad with whitespace: still valid JSON, only its size is wrong.
    let mut exact = good.clone().into_bytes();
    exact.resize(MAX_FILE_BYTES, b' ');
    let id = fx
        .lib
        .import(&exact)
        .expect("a file of exactly the limit is accepted");
    assert_eq!(
        draft(&fx.lib, id),
        template(GERMAN),
        "the padded file imports its agreement"
    );
    let mut over = exact;
    over.push(b' ');
    let err = refused(&fx.lib, &over, "one byte over the limit");
    match &err {
        Error::TooLarge { actual, limit, .. } => {
            assert_eq!(
                *actual,
                MAX_FILE_BYTES as u64 + 1,
                "the error states the size found"
            );
            assert_eq!(*limit, MAX_FILE_BYTES as u64, "and the limit");
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
    assert_eq!(err.code(), "too_large", "stable code");
    let huge = vec![b'['; 12 * 1024 * 1024];
    assert_eq!(
        refused(&fx.lib, &huge, "12 MB of brackets").code(),
        "too_large",
        "size is checked first"
    );
}

#[test]
fn a_megabyte_title_is_refused_with_its_path() {
    let fx = fixture();
    let mut v = exported(&fx.lib, GERMAN);
    v["agreement"]["title"] = json!("T".repeat(1024 * 1024));
    let err = refused(&fx.lib, v.to_string().as_bytes(), "1 MB title");
    let p = problems(err, "1 MB title");
    let title = problem_at(
        &p,
        "$.agreement.title",
        "the over-long title is named by its path",
    );
    assert!(
        title.message.contains(&MAX_FIELD_BYTES.to_string()),
        "the message states the limit: {}",
        title.message
    );
    assert!(
        title.message.contains("1048576"),
        "and the actual length: {}",
        title.message
    );
}

#[test]
fn field_limits_are_bytes_and_inclusive() {
    let fx = fixture();
    for (path, limit) in [
        (["title", ""], MAX_FIELD_BYTES),
        (["overview", "purpose"], MAX_FIELD_BYTES),
        (["support_levels", "clauses"], MAX_CLAUSE_BYTES),
    ] {
        let set = |v: &mut Value, text: String| {
            if path[1].is_empty() {
                v["agreement"][path[0]] = json!(text);
            } else {
                v["agreement"][path[0]][path[1]] = json!(text);
            }
        };
        let json_path = if path[1].is_empty() {
            format!("$.agreement.{}", path[0])
        } else {
            format!("$.agreement.{}.{}", path[0], path[1])
        };
        // "ä" is two bytes: the limit counts bytes, not characters.
        let at_limit = format!("{}{}", "ä".repeat(limit / 2 - 1), "xy");
        assert_eq!(at_limit.len(), limit);
        let mut v = exported(&fx.lib, GERMAN);
        set(&mut v, at_limit.clone());
        let id = fx
            .lib
            .import(v.to_string().as_bytes())
            .unwrap_or_else(|e| panic!("{json_path} at the limit: {e}"));
        let stored: Value = serde_json::from_str(&fx.lib.export(id).unwrap()).unwrap();
        assert_eq!(
            stored, v,
            "{json_path} at the limit is stored exactly as given"
        );
        let mut v = exported(&fx.lib, GERMAN);
        set(&mut v, format!("{at_limit}z"));
        let err = refused(
            &fx.lib,
            v.to_string().as_bytes(),
            &format!("{json_path} one byte over"),
        );
        problem_at(
            &problems(err, "over the limit"),
            &json_path,
            "the field over its limit is named",
        );
    }
}

#[test]
fn a_200_kb_clause_is_accepted_and_round_trips() {
    let fx = fixture();
    let paragraph = "Der Anbieter behebt Störungen der Priorität P1 unverzüglich und informiert den Kunden laufend. ";
    let mut clause = String::new();
    while clause.len() < 200 * 1024 {
        clause.push_str(paragraph);
        if clause.len().is_multiple_of(7) {
            clause.push_str("\n\n");
        }
    }
    let mut v = exported(&fx.lib, GERMAN);
    v["agreement"]["duties"]["clauses"] = json!(clause);
    let id = fx
        .lib
        .import(v.to_string().as_bytes())
        .expect("a 200 KB clause is within the clause limit");
    assert_eq!(
        draft(&fx.lib, id).duties.clauses,
        clause,
        "the clause is stored exactly"
    );
    let text = fx.lib.export(id).unwrap();
    let again = fx.lib.import(text.as_bytes()).unwrap();
    assert_eq!(
        draft(&fx.lib, again),
        draft(&fx.lib, id),
        "and survives a second round trip"
    );
    let version = fx.lib.freeze(id, "").unwrap();
    assert_eq!(
        fx.lib
            .version(id, version.number)
            .unwrap()
            .agreement
            .duties
            .clauses,
        clause,
        "and freezing"
    );
}

#[test]
fn lists_longer_than_the_limit_are_refused() {
    let fx = fixture();
    let mut v = exported(&fx.lib, GERMAN);
    v["agreement"]["overview"]["scope"]["exclusions"] = json!(vec!["x"; MAX_LIST_LEN + 1]);
    let err = refused(&fx.lib, v.to_string().as_bytes(), "1001 exclusions");
    problem_at(
        &problems(err, "long list"),
        "$.agreement.overview.scope.exclusions",
        "the long list is named",
    );
    let mut v = exported(&fx.lib, GERMAN);
    v["agreement"]["overview"]["scope"]["exclusions"] = json!(vec!["x"; MAX_LIST_LEN]);
    fx.lib
        .import(v.to_string().as_bytes())
        .expect("a list of exactly the limit is accepted");
}

#[test]
fn control_characters_are_refused_with_their_path() {
    let fx = fixture();
    for (c, name) in [
        ('\0', "NUL"),
        ('\u{1b}', "ESC"),
        ('\u{7f}', "DEL"),
        ('\u{85}', "NEL"),
        ('\u{8}', "BS"),
    ] {
        let mut v = exported(&fx.lib, GERMAN);
        v["agreement"]["overview"]["customer"]["name"] = json!(format!("Kunde{c}AG"));
        let err = refused(&fx.lib, v.to_string().as_bytes(), name);
        let p = problems(err, name);
        let found = problem_at(
            &p,
            "$.agreement.overview.customer.name",
            "the field with the control character",
        );
        assert!(
            found.message.contains("control character"),
            "{name}: the message says why: {}",
            found.message
        );
    }
    let mut v = exported(&fx.lib, GERMAN);
    v["agreement"]["overview"]["clauses"] = json!("Zeile 1\r\n\tZeile 2\nZeile 3");
    let id = fx
        .lib
        .import(v.to_string().as_bytes())
        .expect("line breaks and tabs are ordinary text");
    assert_eq!(
        draft(&fx.lib, id).overview.clauses,
        "Zeile 1\r\n\tZeile 2\nZeile 3",
        "kept exactly"
    );
}

/// The exported file of `template` with `"purpose"` of the overview written twice: first
/// `"Zuerst gelesen"`, then the template's own text. serde_json alone keeps the later one, so
/// a person reading the file from the top sees a purpose the engine would not store.
fn with_repeated_purpose(lib: &Library, template: &str) -> String {
    let text = serde_json::to_string_pretty(&exported(lib, template)).unwrap();
    let needle = "\"purpose\":";
    assert_eq!(text.matches(needle).count(), 1, "one purpose in the file");
    text.replacen(
        needle,
        "\"purpose\": \"Zuerst gelesen\",\n      \"purpose\":",
        1,
    )
}

fn assert_repeated_purpose_named(err: Error, why: &str) {
    assert_eq!(
        err.code(),
        "invalid_input",
        "{why}: a bad file is invalid input"
    );
    let p = problems(err, why);
    let found = problem_at(
        &p,
        "$.agreement.overview.purpose",
        &format!("{why}: the repeated key is named by its JSON path"),
    );
    assert!(
        found.message.contains("\"purpose\" appears twice"),
        "{why}: the message says the key is repeated: {}",
        found.message
    );
}

#[test]
fn a_repeated_key_is_refused_on_import_update_and_amendment() {
    let fx = fixture();
    let id = create(&fx.lib, GERMAN);
    let file = with_repeated_purpose(&fx.lib, GERMAN);

    let err = refused(&fx.lib, file.as_bytes(), "import with a repeated key");
    assert_repeated_purpose_named(err, "import");

    let err = fx
        .lib
        .update_from_json(id, file.as_bytes(), None)
        .expect_err("an update from a file with a repeated key must be refused");
    assert_repeated_purpose_named(err, "update");
    assert_eq!(
        fx.lib.draft(id).unwrap().revision,
        1,
        "a refused update writes nothing"
    );

    let err = fx
        .lib
        .propose_amendment_json(id, file.as_bytes(), "Zweck geändert", None)
        .expect_err("an amendment from a file with a repeated key must be refused");
    assert_repeated_purpose_named(err, "amendment from a file");

    let top = exported(&fx.lib, GERMAN).to_string();
    let top = top.replacen("{", "{\"version\":1,", 1);
    let err = refused(&fx.lib, top.as_bytes(), "a repeated top-level key");
    let p = problems(err, "top-level key");
    problem_at(&p, "$.version", "the repeated format version is named");
}

/// The JSON pointer (below the agreement) and the engine path of each kind of id that other
/// sections use as a key: a role, a priority, a calendar and a KPI.
const ID_FIELDS: [(&str, &str); 4] = [
    ("/duties/roles/0/id", "duties.roles[0].id"),
    (
        "/support_levels/priorities/0/id",
        "support_levels.priorities[0].id",
    ),
    (
        "/support_levels/calendars/0/id",
        "support_levels.calendars[0].id",
    ),
    ("/metrics/kpis/0/id", "metrics.kpis[0].id"),
];

/// Ids that look like (or are) another id but are not plain ASCII: each would be a second,
/// different key that a reader cannot tell apart from the first.
const LOOK_ALIKE_IDS: [(&str, &str, &str); 6] = [
    ("zero-width space", "sdm\u{200B}", "U+200B"),
    ("full-width letters", "\u{FF53}\u{FF44}\u{FF4D}", "U+FF53"),
    ("Cyrillic dze", "\u{0455}dm", "U+0455"),
    ("decomposed accent (NFD)", "bu\u{0308}ro", "U+0308"),
    ("composed accent (NFC)", "b\u{00FC}ro", "U+00FC"),
    ("space", "service manager", "U+0020"),
];

#[test]
fn ids_outside_the_safe_set_are_refused_on_save_import_and_ui_save() {
    let fx = fixture();
    let id = create(&fx.lib, GERMAN);
    let base = serde_json::to_value(template(GERMAN)).unwrap();
    let too_long = "r".repeat(65);
    let mut cases: Vec<(&str, &str, &str)> = LOOK_ALIKE_IDS.to_vec();
    cases.push(("65 characters", &too_long, "64"));
    for (pointer, path) in ID_FIELDS {
        for (why, bad, says) in &cases {
            let why = format!("{why} in {path}");
            let mut v = base.clone();
            *v.pointer_mut(pointer).expect("the template has this id") = json!(bad);
            let a: pactum::Agreement = serde_json::from_value(v.clone()).unwrap();

            let p = invalid(fx.lib.save_draft(id, &a), &why);
            let found = problem_at(&p, &format!("$.agreement.{path}"), &why);
            assert!(
                found.message.contains(says) && found.message.contains("ASCII letters"),
                "{why}: the message names the character and the allowed set: {}",
                found.message
            );

            // The desktop editor saves the draft as JSON with paths from `$`.
            let p = invalid(fx.lib.save_draft_value(id, v.clone(), None), &why);
            problem_at(&p, &format!("$.{path}"), &format!("{why} (editor save)"));

            let file = pactum::interchange::to_json(&a);
            let err = refused(&fx.lib, file.as_bytes(), &why);
            problem_at(&problems(err, &why), &format!("$.agreement.{path}"), &why);
        }
    }
    assert_eq!(
        fx.lib.draft(id).unwrap().revision,
        1,
        "no refused save changed the draft"
    );
}

#[test]
fn ids_of_ascii_letters_digits_dash_underscore_and_dot_are_accepted() {
    let fx = fixture();
    let id = create(&fx.lib, GERMAN);
    let max = "x".repeat(64);
    for good in ["sd-lead_2.b", "P1", &max, ""] {
        edit(&fx.lib, id, |a| a.duties.roles[0].id = good.to_string());
        assert_eq!(
            draft(&fx.lib, id).duties.roles[0].id,
            good,
            "{good:?} is a valid id (an empty one is a finding, not a refusal)"
        );
    }
}

/// Every bidirectional control character: embeddings and overrides, isolates, marks.
pub const BIDI_CONTROLS: [char; 12] = [
    '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
];

#[test]
fn bidi_controls_are_refused_in_titles_and_clause_text_naming_field_and_code_point() {
    let fx = fixture();
    let id = create(&fx.lib, GERMAN);
    for c in BIDI_CONTROLS {
        let code = format!("U+{:04X}", c as u32);
        for (pointer, path) in [
            ("/agreement/title", "$.agreement.title"),
            (
                "/agreement/overview/clauses",
                "$.agreement.overview.clauses",
            ),
            (
                "/agreement/duties/roles/0/title",
                "$.agreement.duties.roles[0].title",
            ),
        ] {
            let why = format!("{code} in {path}");
            let mut v = exported(&fx.lib, GERMAN);
            *v.pointer_mut(pointer).unwrap() = json!(format!("Vertrag {c}gnirts"));
            let err = refused(&fx.lib, v.to_string().as_bytes(), &why);
            let p = problems(err, &why);
            let found = problem_at(&p, path, &why);
            assert!(
                found.message.contains(&format!(
                    "contains the right-to-left control character {code}"
                )),
                "{why}: the message names the code point: {}",
                found.message
            );
        }
        let mut v = serde_json::to_value(draft(&fx.lib, id)).unwrap();
        v["title"] = json!(format!("Vertrag {c}"));
        let p = invalid(
            fx.lib.save_draft_value(id, v, None),
            &format!("{code} in an editor save"),
        );
        problem_at(&p, "$.title", "the editor's path of the title");
        let err = fx
            .lib
            .freeze(id, &format!("Notiz {c}"))
            .expect_err("a version note is printed in the PDF's history, so it is refused too");
        assert!(
            err.to_string().contains(&code),
            "{code}: the note's problem names the code point: {err}"
        );
    }
    assert!(
        fx.lib.versions(id).unwrap().is_empty(),
        "no refused note froze a version"
    );
}

#[test]
fn every_problem_of_an_editor_save_is_at_a_field_of_the_draft_it_sent() {
    // The editor shows a refused save's problems at the fields whose `data-path` follows `$.`
    // (`pactum::interchange::DRAFT_PATH`). A draft used to be validated twice, the second time
    // with paths under `$.agreement`, so a missing title never reached its field.
    let fx = fixture();
    let id = create(&fx.lib, GERMAN);
    let mut a = draft(&fx.lib, id);
    a.overview
        .provider
        .contacts
        .push(pactum::model::Contact::default());
    a.support_levels.service_tiers.push(Default::default());
    a.metrics.kpis.push(Default::default());
    let mut v = serde_json::to_value(&a).unwrap();
    let last = |list: &str| v.pointer(list).unwrap().as_array().unwrap().len() - 1;
    let (contact, plan, kpi) = (
        last("/overview/provider/contacts"),
        last("/support_levels/service_tiers"),
        last("/metrics/kpis"),
    );
    let bad: Vec<(String, Value, String)> = vec![
        ("/title".into(), json!("  "), "$.title".into()),
        (
            "/support_levels/priorities/0/resolution".into(),
            json!("soon"),
            "$.support_levels.priorities[0].resolution".into(),
        ),
        (
            "/metrics/availability_target".into(),
            json!("120 %"),
            "$.metrics.availability_target".into(),
        ),
        (
            format!("/metrics/kpis/{kpi}/target"),
            json!("about 95"),
            format!("$.metrics.kpis[{kpi}].target"),
        ),
        (
            format!("/support_levels/service_tiers/{plan}/price"),
            json!("a lot"),
            format!("$.support_levels.service_tiers[{plan}].price"),
        ),
        (
            "/support_levels/calendars/0/weekly/0/to".into(),
            json!("25:00"),
            "$.support_levels.calendars[0].weekly[0].to".into(),
        ),
        (
            "/overview/effective_date".into(),
            json!("soon"),
            "$.overview.effective_date".into(),
        ),
        (
            format!("/overview/provider/contacts/{contact}/email"),
            json!("x".repeat(MAX_FIELD_BYTES + 1)),
            format!("$.overview.provider.contacts[{contact}].email"),
        ),
        (
            "/overview/purpose".into(),
            json!("Zweck \u{202E}"),
            "$.overview.purpose".into(),
        ),
        (
            "/duties/roles/0/id".into(),
            json!("s d m"),
            "$.duties.roles[0].id".into(),
        ),
    ];
    let fields: Vec<String> = serde_json::to_value(pactum::Agreement::default())
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let at_a_field = |path: &str| {
        path.strip_prefix("$.")
            .and_then(|rest| rest.split(['.', '[']).next())
            .is_some_and(|head| fields.iter().any(|f| f == head))
    };
    // Each kind of problem alone, then all of them in one save.
    for (pointer, value, path) in &bad {
        let mut one = v.clone();
        *one.pointer_mut(pointer).expect("the draft has this field") = value.clone();
        let problems = invalid(fx.lib.save_draft_value(id, one, None), path);
        problem_at(
            &problems,
            path,
            "the problem is at the field the editor shows it at",
        );
        for p in &problems {
            assert!(
                at_a_field(&p.path),
                "{path}: every problem of a draft save is at `$.` and a field of the draft, \
                 the path the editor matches: {p:?}"
            );
        }
    }
    // Limits and characters are checked before the fields are read (and alone reported when
    // they fail); the fields that do not read (the first of each section) and the title are
    // reported together.
    let read: Vec<_> = [0, 1, 2, 6].map(|i| &bad[i]).to_vec();
    for (pointer, value, _) in &read {
        *v.pointer_mut(pointer).unwrap() = value.clone();
    }
    let problems = invalid(fx.lib.save_draft_value(id, v, None), "every kind at once");
    for (_, _, path) in &read {
        problem_at(
            &problems,
            path,
            "one pass reports every field that does not read and the title at once",
        );
    }
    assert!(
        problems.iter().all(|p| at_a_field(&p.path)),
        "no problem of a draft save is under another base: {problems:#?}"
    );
    assert_eq!(
        fx.lib.draft(id).unwrap().revision,
        1,
        "no refused save changed the draft"
    );
}
