//! PDF export checked with the tools a recipient has: `qpdf --check` for structure, `pdffonts`
//! for embedded, subsetted fonts with a `/ToUnicode` map, `pdftotext` for the words, `pdfinfo`
//! for page count and metadata, and lopdf for the outline. Every built-in template is exported
//! in German and in English; hostile text, missing glyphs and redlines have their own tests.
//!
//! The tools come from poppler-utils and qpdf (`scripts/install-deps.sh`); a missing tool
//! fails the test with that advice instead of skipping it.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use lopdf::{Dictionary, Document, Object};
use pactum::model::clause;
use pactum::record::AgreementId;
use pactum::{Agreement, Error, Language, Library, Section};

use crate::support::*;

/// Runs a PDF tool, failing with installation advice when it is missing.
fn run(tool: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run {tool} ({e}); install the PDF tools with scripts/install-deps.sh (poppler-utils, qpdf)")
    });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn save(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write the PDF");
    path.to_string_lossy().into_owned()
}

fn qpdf_check(path: &str) {
    let (ok, out) = run("qpdf", &["--check", path]);
    assert!(
        ok && out.contains("No syntax or stream encoding errors"),
        "qpdf --check {path}:\n{out}"
    );
}

/// The text of each page (pdftotext separates pages with form feeds).
fn pages_text(path: &str) -> Vec<String> {
    let (ok, out) = run("pdftotext", &["-enc", "UTF-8", path, "-"]);
    assert!(ok, "pdftotext {path}: {out}");
    let mut pages: Vec<String> = out.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// Whitespace (including no-break spaces) collapsed to single spaces.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words with surrounding punctuation removed; umlauts and ß stay as they are.
fn words(text: &str) -> BTreeSet<String> {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

/// The words a reader must find: all clause text and the key values of the tables.
fn expected_words(a: &Agreement) -> BTreeSet<String> {
    let mut text = String::new();
    for section in Section::ALL {
        text.push_str(&clause::plain_text(a.clauses(section)));
        text.push('\n');
    }
    let o = &a.overview;
    for s in [
        &a.title,
        &o.provider.name,
        &o.customer.name,
        &o.provider.address,
        &o.customer.address,
        &o.purpose,
    ] {
        text.push_str(s);
        text.push('\n');
    }
    for p in &a.support_levels.priorities {
        text.push_str(&format!("{} {} {}\n", p.id, p.name, p.definition));
    }
    for k in &a.metrics.kpis {
        text.push_str(&format!("{} {}\n", k.name, k.definition));
    }
    for r in &a.duties.roles {
        text.push_str(&format!("{} {}\n", r.title, r.person));
    }
    for c in &a.channels.channels {
        text.push_str(&format!("{} {}\n", c.name, c.team));
    }
    for c in &a.support_levels.calendars {
        text.push_str(&format!("{} {}\n", c.name, c.time_zone));
    }
    for t in &a.training.programmes {
        text.push_str(&format!("{}\n", t.topic));
    }
    words(&text)
}

/// The outline as (depth, title, page index) in document order.
fn outline(bytes: &[u8]) -> Vec<(usize, String, usize)> {
    let doc = Document::load_mem(bytes).expect("lopdf reads the PDF");
    let pages: Vec<(u32, u16)> = doc.get_pages().into_values().collect();
    let catalog = doc.catalog().expect("catalog");
    assert_eq!(
        catalog.get(b"PageMode").and_then(Object::as_name).ok(),
        Some(&b"UseOutlines"[..]),
        "the outline opens with the document"
    );
    let root = doc
        .get_dictionary(
            catalog
                .get(b"Outlines")
                .and_then(Object::as_reference)
                .expect("/Outlines"),
        )
        .expect("outline root");
    let mut out = Vec::new();
    fn walk(
        doc: &Document,
        first: Option<&Object>,
        depth: usize,
        pages: &[(u32, u16)],
        out: &mut Vec<(usize, String, usize)>,
    ) {
        let mut next = first.and_then(|o| o.as_reference().ok());
        while let Some(id) = next {
            let item: &Dictionary = doc.get_dictionary(id).expect("outline item");
            let title = match item.get(b"Title").expect("/Title") {
                Object::String(bytes, _) => decode_text(bytes),
                other => panic!("title is not a string: {other:?}"),
            };
            let dest = item.get(b"Dest").and_then(Object::as_array).expect("/Dest");
            let page_ref = dest[0].as_reference().expect("destination page");
            let page = pages
                .iter()
                .position(|p| *p == page_ref)
                .expect("the destination is a page of the document");
            out.push((depth, title, page));
            walk(doc, item.get(b"First").ok(), depth + 1, pages, out);
            next = item.get(b"Next").ok().and_then(|o| o.as_reference().ok());
        }
    }
    walk(&doc, root.get(b"First").ok(), 1, &pages, &mut out);
    out
}

fn decode_text(bytes: &[u8]) -> String {
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16(&units).expect("UTF-16 title")
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

fn frozen(lib: &Library, template: &str) -> AgreementId {
    let id = create(lib, template);
    lib.freeze(id, "Erste Fassung").expect("freeze");
    id
}

#[test]
fn every_template_in_both_languages_passes_the_pdf_tools() {
    let f = fixture();
    for template in TEMPLATES {
        let id = frozen(&f.lib, template);
        let agreement = f.lib.version(id, 1).expect("version 1").agreement;
        for lang in [Language::De, Language::En] {
            let what = format!("{template} labelled in {}", lang.code());
            let bytes = f
                .lib
                .pdf(id, Some(1), Some(lang))
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            let path = save(
                f.dir.dir.path(),
                &format!("{template}-{}.pdf", lang.code()),
                &bytes,
            );
            qpdf_check(&path);

            let (ok, fonts) = run("pdffonts", &[&path]);
            assert!(ok, "pdffonts: {fonts}");
            let rows: Vec<&str> = fonts
                .lines()
                .skip(2)
                .filter(|l| !l.trim().is_empty())
                .collect();
            assert!(
                rows.len() >= 2,
                "{what}: regular and bold faces are used:\n{fonts}"
            );
            for row in &rows {
                let cols: Vec<&str> = row.split_whitespace().collect();
                assert!(
                    cols[0].contains("+LiberationSans"),
                    "{what}: subset font name in {row}"
                );
                let n = cols.len();
                assert_eq!(
                    &cols[n - 5..n - 2],
                    ["yes", "yes", "yes"],
                    "{what}: embedded, subset, ToUnicode:\n{fonts}"
                );
            }

            let pages = pages_text(&path);
            assert!(
                (12..=60).contains(&pages.len()),
                "{what}: {} pages",
                pages.len()
            );
            let (_, info) = run("pdfinfo", &[&path]);
            assert!(
                info.contains(&format!("Pages:           {}", pages.len())),
                "{info}"
            );
            assert!(
                !info.contains("PDF subtype"),
                "{what}: no false PDF/X claim:\n{info}"
            );
            assert!(
                info.contains(&format!("Title:           {}", agreement.title)),
                "{info}"
            );
            assert!(
                info.contains("CreationDate:    Mon Mar  2 09:00:00 2026 UTC"),
                "{what}: export time from the library clock:\n{info}"
            );

            let all = pages.join("\n");
            let missing: Vec<String> = expected_words(&agreement)
                .difference(&words(&all))
                .cloned()
                .collect();
            assert!(
                missing.is_empty(),
                "{what}: words missing from pdftotext: {missing:?}"
            );
            let footer = match lang {
                Language::De => format!("Seite 2 von {}", pages.len()),
                Language::En => format!("Page 2 of {}", pages.len()),
            };
            assert!(
                pages[1].contains(&footer),
                "{what}: footer on page 2:\n{}",
                pages[1]
            );

            let entries = outline(&bytes);
            let top: Vec<&str> = entries
                .iter()
                .filter(|e| e.0 == 1)
                .map(|e| e.1.as_str())
                .collect();
            let mut want = vec![lang.pick("Inhalt", "Contents").to_string()];
            want.extend(
                Section::ALL
                    .iter()
                    .enumerate()
                    .map(|(i, s)| format!("{} {}", i + 1, s.title(lang))),
            );
            want.extend(
                ["Unterschriften", "Versionsverlauf", "Prüfangaben"]
                    .iter()
                    .zip(["Signatures", "Version history", "Verification"])
                    .map(|(de, en)| lang.pick(de, en).to_string()),
            );
            assert_eq!(top, want, "{what}: top-level outline in document order");
            // Each section's clause sub-headings, in order, under their section.
            for (i, section) in Section::ALL.iter().enumerate() {
                let headings: Vec<String> = clause::parse(agreement.clauses(*section))
                    .into_iter()
                    .filter_map(|b| match b {
                        clause::Block::Heading(spans) => {
                            Some(spans.iter().map(|s| s.text.as_str()).collect::<String>())
                        }
                        _ => None,
                    })
                    .collect();
                let start = entries
                    .iter()
                    .position(|e| e.0 == 1 && e.1 == want[i + 1])
                    .expect("section entry");
                let children: Vec<&str> = entries[start + 1..]
                    .iter()
                    .take_while(|e| e.0 > 1)
                    .map(|e| e.1.split_once(' ').map_or(e.1.as_str(), |(_, t)| t))
                    .collect();
                let tail = &children[children.len() - headings.len()..];
                assert_eq!(
                    tail,
                    headings.iter().map(String::as_str).collect::<Vec<_>>(),
                    "{what}: sub-headings of {}",
                    want[i + 1]
                );
            }
            // Every entry jumps to the page that shows its heading; pages never go backwards.
            let mut last = 0;
            for (_, title, page) in &entries {
                assert!(
                    *page >= last,
                    "{what}: outline out of document order at {title}"
                );
                last = *page;
                assert!(
                    squash(&pages[*page]).contains(&squash(title)),
                    "{what}: {title:?} not on page {}",
                    page + 1
                );
            }
        }
    }
}

#[test]
fn the_draft_is_marked_on_every_page_and_the_labels_follow_the_language() {
    let f = fixture();
    let id = create(&f.lib, GERMAN);
    let bytes = f.lib.pdf(id, None, Some(Language::En)).expect("draft PDF");
    let path = save(f.dir.dir.path(), "draft.pdf", &bytes);
    qpdf_check(&path);
    let pages = pages_text(&path);
    assert!(
        pages[0].contains("DRAFT"),
        "the cover says draft:\n{}",
        pages[0]
    );
    for (i, page) in pages.iter().enumerate().skip(1) {
        assert!(
            page.contains("DRAFT"),
            "page {} is not marked as a draft",
            i + 1
        );
        assert!(
            page.contains(&format!("Page {} of {}", i + 1, pages.len())),
            "page {}",
            i + 1
        );
    }
    let all = pages.join("\n");
    assert!(
        all.contains("Contents") && all.contains("Signatures"),
        "English labels"
    );
    assert!(
        all.contains("Gegenstand und Rangfolge"),
        "clause text stays German"
    );
    assert!(
        all.contains("No version of this agreement has been frozen yet."),
        "empty history is said"
    );
}

const HOSTILE: &str =
    r"Vertrag ) Tj (x) \ \\ ((( /JS <script>alert(1)</script> /OpenAction /Launch";

#[test]
fn hostile_text_is_printed_as_text_and_never_becomes_pdf_syntax() {
    let f = fixture();
    let id = create(&f.lib, GERMAN);
    edit(&f.lib, id, |a| {
        a.title = HOSTILE.to_string();
        a.overview.clauses = format!("{HOSTILE}\n\n{}", a.overview.clauses);
        a.overview.provider.name = "Anbieter ) /JavaScript (x".to_string();
    });
    let bytes = f.lib.pdf(id, None, None).expect("hostile text exports");
    let path = save(f.dir.dir.path(), "hostile.pdf", &bytes);
    qpdf_check(&path);
    let text = squash(&pages_text(&path).join("\n"));
    assert!(
        text.contains(&squash(HOSTILE)),
        "the hostile clause text comes back verbatim"
    );
    assert!(text.contains("Anbieter ) /JavaScript (x"));
    let (_, info) = run("pdfinfo", &[&path]);
    assert!(
        info.contains(&format!("Title:           {HOSTILE}")),
        "{info}"
    );
    assert!(info.contains("JavaScript:      no"), "{info}");

    let plain = f.dir.dir.path().join("hostile-plain.pdf");
    let (ok, out) = run(
        "qpdf",
        &[
            "--qdf",
            "--object-streams=disable",
            &path,
            &plain.to_string_lossy(),
        ],
    );
    assert!(ok, "qpdf --qdf: {out}");
    let uncompressed = std::fs::read(&plain).expect("read the uncompressed copy");
    for file in [&bytes, &uncompressed] {
        for needle in [
            &b"/JavaScript"[..],
            b"/JS ",
            b"/JS(",
            b"/JS<",
            b"/OpenAction",
            b"/Launch",
            b"/EmbeddedFile",
            b"/URI",
            b"<script>",
        ] {
            assert!(
                !file.windows(needle.len()).any(|w| w == needle),
                "the file contains {}",
                String::from_utf8_lossy(needle)
            );
        }
    }
}

#[test]
fn a_character_the_font_lacks_is_an_error_naming_field_and_character() {
    let f = fixture();
    let id = create(&f.lib, GERMAN);
    edit(&f.lib, id, |a| {
        a.support_levels.clauses.push_str("\n\nVertrag 契約 🙂");
        a.duties.roles[0].title = "Leitung ☃".to_string();
    });
    let problems = invalid(f.lib.pdf(id, None, None), "CJK and emoji cannot be printed");
    let clauses = problem_at(
        &problems,
        "$.agreement.support_levels.clauses",
        "clause text",
    );
    assert!(
        clauses.message.contains("U+5951") && clauses.message.contains("U+7D04"),
        "{}",
        clauses.message
    );
    assert!(
        clauses.message.contains("U+1F642") && clauses.message.contains("🙂"),
        "{}",
        clauses.message
    );
    let role = problem_at(&problems, "$.agreement.duties.roles[0].title", "role title");
    assert!(
        role.message.contains("U+2603") && role.message.contains("Liberation Sans"),
        "{}",
        role.message
    );
    assert!(matches!(f.lib.pdf(id, None, None), Err(Error::Invalid(_))));
}

#[test]
fn the_redline_shows_changed_terms_and_marked_words() {
    let f = fixture();
    let id = create(&f.lib, GERMAN);
    edit(&f.lib, id, |a| set_top_resolution(a, "8 h"));
    f.lib.freeze(id, "Erste Fassung").expect("freeze 1");
    edit(&f.lib, id, |a| {
        set_top_resolution(a, "2 h");
        a.support_levels.clauses = a
            .support_levels
            .clauses
            .replacen("Auswirkung", "Tragweite", 1);
    });
    f.lib
        .freeze(id, "Schnellere Lösung für P1")
        .expect("freeze 2");
    for lang in [Language::De, Language::En] {
        let bytes = f.lib.pdf_redline(id, 1, 2, Some(lang)).expect("redline");
        let path = save(
            f.dir.dir.path(),
            &format!("redline-{}.pdf", lang.code()),
            &bytes,
        );
        qpdf_check(&path);
        let text = squash(&pages_text(&path).join("\n"));
        let line = match lang {
            Language::De => "Supportlevel › Prioritäten › P1 › Lösungszeit: 8 Std. → 2 Std.",
            Language::En => "Support levels › Priorities › P1 › resolution: 8 h → 2 h",
        };
        assert!(
            text.contains(line),
            "{}: changed term line missing:\n{text}",
            lang.code()
        );
        assert!(
            text.contains("Auswirkung") && text.contains("Tragweite"),
            "deleted and inserted words"
        );
        assert!(
            text.contains("Schnellere Lösung für P1"),
            "the version note"
        );
        let top: Vec<String> = outline(&bytes)
            .into_iter()
            .filter(|e| e.0 == 1)
            .map(|e| e.1)
            .collect();
        assert_eq!(
            top.len(),
            2,
            "changed terms and changed clause text: {top:?}"
        );
    }
    assert!(matches!(
        f.lib.pdf_redline(id, 1, 3, None),
        Err(Error::VersionNotFound { .. })
    ));
}

#[test]
fn extreme_content_is_laid_out_without_losing_text() {
    let f = fixture();
    let long_definition: String = (0..1700)
        .map(|i| format!("Wort{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    let long_word = "Überlänge".repeat(60);
    let id = create(&f.lib, GERMAN);
    edit(&f.lib, id, |a| {
        a.support_levels.priorities[0].definition = long_definition.clone();
        a.overview.clauses = format!("{long_word}\n\n{}", a.overview.clauses);
        a.title = "Sehr langer Titel ".repeat(12).trim().to_string();
    });
    let bytes = f.lib.pdf(id, None, None).expect("extreme content exports");
    let path = save(f.dir.dir.path(), "extreme.pdf", &bytes);
    qpdf_check(&path);
    let text = pages_text(&path).join("\n");
    let found = words(&text);
    for i in [0, 850, 1699] {
        assert!(
            found.contains(&format!("Wort{i}")),
            "word {i} of a row taller than a page"
        );
    }
    let squashed: String = text.split_whitespace().collect();
    assert!(
        squashed.contains(&long_word),
        "a word longer than a line is broken, not cut"
    );

    // An agreement with nothing but a title still makes a complete document.
    let empty = Agreement {
        title: "Leer".to_string(),
        ..Default::default()
    };
    let ctx = pactum::pdf::PdfContext {
        lang: Language::En,
        agreement_id: None,
        agreement_uid: String::new(),
        version: None,
        status: pactum::Status::Draft,
        content_hash: "0".repeat(64),
        history: Vec::new(),
        amendment_log: Vec::new(),
        exported_at: f.clock.now(),
        signature_lines: Vec::new(),
        checkpoint: None,
    };
    let bytes = pactum::pdf::render_agreement(&empty, &ctx).expect("empty agreement exports");
    let path = save(f.dir.dir.path(), "empty.pdf", &bytes);
    qpdf_check(&path);
    assert!(pages_text(&path).join("\n").contains("Verification"));
}

/// The twelve bidirectional control characters (embeddings, overrides, isolates, marks).
const BIDI_CONTROLS: [char; 12] = [
    '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
];

/// Every string leaf of an agreement as a JSON pointer, one per key (the first of its kind).
fn one_leaf_per_key(a: &Agreement) -> Vec<String> {
    fn walk(
        v: &serde_json::Value,
        key: &str,
        pointer: String,
        seen: &mut BTreeSet<String>,
        out: &mut Vec<String>,
    ) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    walk(x, k, format!("{pointer}/{k}"), seen, out);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, x) in items.iter().enumerate() {
                    walk(x, key, format!("{pointer}/{i}"), seen, out);
                }
            }
            serde_json::Value::String(_) if seen.insert(key.to_string()) => out.push(pointer),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(
        &serde_json::to_value(a).unwrap(),
        "",
        String::new(),
        &mut BTreeSet::new(),
        &mut out,
    );
    out
}

#[test]
fn no_agreement_that_passes_validation_fails_in_the_pdf_on_bidi_controls() {
    // A bidi control the engine accepts must print; one the PDF cannot print must be refused
    // when the text comes in, never first at export (where isolates used to fail). Titles,
    // names, ids and clause text alike, and the version note the PDF prints in its history.
    let f = fixture();
    let id = create(&f.lib, GERMAN);
    let base = template(GERMAN);
    for c in BIDI_CONTROLS {
        let code = format!("U+{:04X}", c as u32);
        for pointer in one_leaf_per_key(&base) {
            let mut v = serde_json::to_value(&base).unwrap();
            let leaf = v.pointer_mut(&pointer).unwrap();
            *leaf = serde_json::Value::String(format!("{}{c}x", leaf.as_str().unwrap()));
            let Ok(a) = serde_json::from_value::<Agreement>(v) else {
                continue; // a typed value (a duration, a date) that no longer parses
            };
            if f.lib.save_draft(id, &a).is_ok() {
                if let Err(e) = f.lib.pdf(id, None, None) {
                    panic!("{code} at {pointer} was accepted by the engine but the PDF fails: {e}");
                }
            }
        }
        if f.lib.freeze(id, &format!("Notiz {c}")).is_ok() {
            let v = f.lib.versions(id).unwrap().last().unwrap().number;
            if let Err(e) = f.lib.pdf(id, Some(v), None) {
                panic!("{code} in a version note was accepted but the PDF fails: {e}");
            }
        }
    }
}
