//! The JSON interchange format for one agreement, and validation of any agreement that enters
//! the engine (import, draft saves from the UI, `pactum update`, amendments, templates).
//!
//! A file looks like `{"format": "pactum-agreement", "version": 1, "agreement": {…}}`; the
//! schema is documented in `docs/interchange-format.md`. Parsing never trusts its input:
//! sizes are limited before anything is allocated for the content, a key written twice in one
//! object is refused (`crate::json`, shared with the exchange bundle), every problem is
//! reported with the JSON path of the offending field, and nothing is written when any problem
//! exists.

use serde::Serialize;
use serde_json::Value;

use crate::model::Agreement;
use crate::{Error, Problem, Result};

/// Value of the `format` field.
pub const FORMAT: &str = "pactum-agreement";
/// Newest format version this build reads and the one it writes.
pub const VERSION: u32 = 1;
/// The path of a draft sent as JSON (the desktop editor's save) in the problems reported about
/// it: the draft is the agreement itself, so its title is `$.title`. The editor finds the field
/// of a problem by this prefix and the field's own path (`data-path`), the path the checks'
/// findings use. An interchange file has its agreement at `$.agreement` instead.
pub const DRAFT_PATH: &str = "$";

/// Largest interchange file accepted.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Largest clause text of one section, in bytes.
pub const MAX_CLAUSE_BYTES: usize = 256 * 1024;
/// Largest other text field, in bytes.
pub const MAX_FIELD_BYTES: usize = 16 * 1024;
/// Most entries in one list (priorities, KPIs, RACI rows …).
pub const MAX_LIST_LEN: usize = 1000;
/// Deepest nesting accepted before parsing (the model itself is at most 7 levels deep).
const MAX_DEPTH: usize = 32;

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    version: u32,
    agreement: &'a Agreement,
}

/// The interchange JSON of `agreement`, pretty-printed for people and diffs.
pub fn to_json(agreement: &Agreement) -> String {
    let file = FileOut {
        format: FORMAT,
        version: VERSION,
        agreement,
    };
    let mut text = serde_json::to_string_pretty(&file).expect("the model always serializes");
    text.push('\n');
    text
}

/// Parses and validates an interchange file. Every problem found is reported with its path.
pub fn from_json(bytes: &[u8]) -> Result<Agreement> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Error::TooLarge {
            what: "the interchange file".into(),
            actual: bytes.len() as u64,
            limit: MAX_FILE_BYTES as u64,
        });
    }
    // Editors on Windows often start UTF-8 files with a byte-order mark; it carries no content.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Error::invalid(
            "$",
            format!(
                "the file is not UTF-8 text (invalid byte at offset {})",
                e.valid_up_to()
            ),
        )
    })?;
    let depth = crate::json::max_depth(text);
    if depth > MAX_DEPTH {
        return Err(Error::invalid(
            "$",
            format!("the JSON is nested {depth} levels deep; at most {MAX_DEPTH} are allowed"),
        ));
    }
    // Refuses a key written twice in one object (naming its path) as well as text that is not JSON.
    let value = crate::json::parse_value(text).map_err(|p| Error::Invalid(vec![p]))?;
    let Value::Object(mut top) = value else {
        return Err(Error::invalid(
            "$",
            "the file must be a JSON object with format, version and agreement",
        ));
    };
    let mut problems = Vec::new();
    match top.get("format") {
        Some(Value::String(f)) if f == FORMAT => {}
        Some(other) => problems.push(problem(
            "$.format",
            format!("expected \"{FORMAT}\", found {other}"),
        )),
        None => problems.push(problem(
            "$.format",
            format!("missing; a Pactum agreement file has \"format\": \"{FORMAT}\""),
        )),
    }
    match top.get("version") {
        Some(Value::Number(n)) if n.as_u64() == Some(u64::from(VERSION)) => {}
        Some(Value::Number(n)) if n.as_u64().is_some_and(|v| v > u64::from(VERSION)) => problems.push(problem(
            "$.version",
            format!("the file has format version {n}, this Pactum reads up to {VERSION}; update Pactum"),
        )),
        Some(other) => problems.push(problem("$.version", format!("expected {VERSION}, found {other}"))),
        None => problems.push(problem("$.version", "missing")),
    }
    for key in top.keys() {
        if !matches!(key.as_str(), "format" | "version" | "agreement") {
            problems.push(problem(&format!("$.{key}"), "unknown field"));
        }
    }
    let agreement = match top.remove("agreement") {
        None => {
            problems.push(problem("$.agreement", "missing"));
            None
        }
        Some(value) => match agreement_from_value(value, "$.agreement") {
            Ok(a) => Some(a),
            Err(mut p) => {
                problems.append(&mut p);
                None
            }
        },
    };
    match agreement {
        Some(a) if problems.is_empty() => Ok(a),
        _ => Err(Error::Invalid(problems)),
    }
}

/// Deserializes an agreement from a JSON value, checks limits, and collects every problem:
/// each section is tried on its own, so one bad field does not hide the others.
pub fn agreement_from_value(value: Value, base: &str) -> Result<Agreement, Vec<Problem>> {
    let mut problems = limit_problems(&value, base);
    if !problems.is_empty() {
        return Err(problems);
    }
    let Value::Object(map) = &value else {
        return Err(vec![problem(
            base,
            "expected an object with the agreement's sections",
        )]);
    };
    match serde_path_to_error::deserialize::<_, Agreement>(&value) {
        Ok(agreement) => Ok(agreement),
        Err(first) => {
            // Try each field alone to report problems in several sections at once.
            for (key, field) in map {
                let mut probe = serde_json::Map::new();
                probe.insert(key.clone(), field.clone());
                if let Err(e) =
                    serde_path_to_error::deserialize::<_, Agreement>(Value::Object(probe))
                {
                    problems.push(problem(
                        &join_path(base, &e.path().to_string()),
                        e.inner().to_string(),
                    ));
                }
            }
            if problems.is_empty() {
                problems.push(problem(
                    &join_path(base, &first.path().to_string()),
                    first.inner().to_string(),
                ));
            }
            Err(problems)
        }
    }
}

/// Checks the limits, allowed characters, ids and typed values of an agreement already in
/// memory, and that it reads back from its JSON (problems at `$.agreement.…`, where the
/// interchange file has it). What may be stored asks for a title too: see [`storable`].
pub fn validate(agreement: &Agreement) -> Result<()> {
    let value = serde_json::to_value(agreement).expect("the model always serializes");
    agreement_from_value(value, "$.agreement")
        .map(|_| ())
        .map_err(Error::Invalid)
}

/// Validates an agreement before it is stored, in one pass that reports every problem at
/// once, each at its path under `base` (the path of the agreement in the JSON the caller
/// sent): limits, characters and ids, typed values, and a title. Returns the agreement and
/// the JSON value of its canonical form.
///
/// `value` is what the caller sent (the desktop editor's draft, with `base` `$`) or the
/// serialization of an agreement built in memory (with `base` `$.agreement`). Reading it is
/// also the check that an agreement built in memory reads back: typed values built in Rust
/// outside the range their text form accepts (a 5,000,000-minute duration) would be stored
/// and never load again. Text written in another spelling (`4 Std.`) is stored in its
/// canonical form (`4 h`), which is read back once more before it is returned.
pub fn storable(value: Value, base: &str) -> Result<(Agreement, Value)> {
    let title = title_problem(&value, base);
    let sent = value.clone();
    let mut problems = match agreement_from_value(value, base) {
        Ok(agreement) if title.is_none() => {
            let canonical = serde_json::to_value(&agreement).expect("the model always serializes");
            if canonical != sent {
                agreement_from_value(canonical.clone(), base).map_err(Error::Invalid)?;
            }
            return Ok((agreement, canonical));
        }
        Ok(_) => Vec::new(),
        Err(problems) => problems,
    };
    problems.extend(title);
    Err(Error::Invalid(problems))
}

/// The problem of a title that is missing or blank; a title that is not text is the parser's.
fn title_problem(value: &Value, base: &str) -> Option<Problem> {
    let blank = match value.get("title") {
        None => true,
        Some(Value::String(title)) => title.trim().is_empty(),
        Some(_) => false,
    };
    (blank && value.is_object())
        .then(|| problem(&join_path(base, "title"), "an agreement needs a title"))
}

fn limit_problems(value: &Value, base: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    walk(value, base, None, &mut problems);
    problems.truncate(100);
    problems
}

fn walk(value: &Value, path: &str, key: Option<&str>, problems: &mut Vec<Problem>) {
    match value {
        Value::String(s) => {
            let limit = if key == Some("clauses") {
                MAX_CLAUSE_BYTES
            } else {
                MAX_FIELD_BYTES
            };
            if s.len() > limit {
                problems.push(problem(
                    path,
                    format!(
                        "the text is {} bytes long; at most {limit} are allowed here",
                        s.len()
                    ),
                ));
            }
            if let Some(why) = refused_character(s) {
                problems.push(problem(path, format!("the text {why}")));
            } else if key == Some("id") {
                if let Some(why) = id_problem(s) {
                    problems.push(problem(path, why));
                }
            }
        }
        Value::Array(items) => {
            if items.len() > MAX_LIST_LEN {
                problems.push(problem(
                    path,
                    format!(
                        "the list has {} entries; at most {MAX_LIST_LEN} are allowed",
                        items.len()
                    ),
                ));
                return;
            }
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{path}[{i}]"), key, problems);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                walk(v, &format!("{path}.{k}"), Some(k), problems);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Longest id (of a role, priority, calendar or KPI), in characters.
pub const MAX_ID_LEN: usize = 64;

/// Why `text` cannot be stored, if it holds a character that is refused in any text of an
/// agreement (and in version notes): a control character other than tab, line feed and
/// carriage return, or a bidirectional control (embeddings, overrides, isolates, marks).
/// The message continues "the text …" or "the version note …".
pub(crate) fn refused_character(text: &str) -> Option<String> {
    text.char_indices().find_map(|(pos, c)| {
        let code = c as u32;
        if let Some(name) = bidi_control_name(c) {
            Some(format!(
                "contains the right-to-left control character U+{code:04X} ({name}) at byte {pos}; \
                 bidirectional controls are refused because the PDF, the terminal and the screen \
                 would order the text around them differently"
            ))
        } else if c.is_control() && !matches!(c, '\n' | '\t' | '\r') {
            Some(format!(
                "contains the control character U+{code:04X} at byte {pos}, which cannot be printed"
            ))
        } else {
            None
        }
    })
}

/// The Unicode name of a bidirectional control character, or `None` for any other character.
fn bidi_control_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        '\u{200E}' => "LEFT-TO-RIGHT MARK",
        '\u{200F}' => "RIGHT-TO-LEFT MARK",
        '\u{061C}' => "ARABIC LETTER MARK",
        _ => return None,
    })
}

/// Why `id` is not a valid id, if it is not. Ids are keys other sections refer to, so two ids
/// that look alike must be equal: only ASCII letters, digits, `-`, `_` and `.` are allowed (no
/// look-alike letters from other scripts, no full-width forms, no invisible characters, and
/// so no two Unicode normal forms of one id), at most [`MAX_ID_LEN`]. An empty id is not
/// refused: a draft may not have one yet, and the checks report it.
fn id_problem(id: &str) -> Option<String> {
    const RULE: &str =
        "ids use only ASCII letters, digits, \"-\", \"_\" and \".\", at most 64 characters";
    if let Some(c) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Some(format!(
            "the id \"{id}\" contains \"{c}\" (U+{:04X}); {RULE}, so that ids that look the same are the same",
            c as u32
        ));
    }
    (id.len() > MAX_ID_LEN).then(|| format!("the id is {} characters long; {RULE}", id.len()))
}

fn join_path(base: &str, rest: &str) -> String {
    if rest == "." || rest.is_empty() {
        base.to_string()
    } else if rest.starts_with('[') {
        format!("{base}{rest}")
    } else {
        format!("{base}.{rest}")
    }
}

fn problem(path: &str, message: impl Into<String>) -> Problem {
    Problem {
        path: path.to_string(),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_of_default_agreement() {
        let a = Agreement {
            title: "Test".into(),
            ..Agreement::default()
        };
        let text = to_json(&a);
        assert_eq!(from_json(text.as_bytes()).unwrap(), a);
    }

    #[test]
    fn problems_in_several_sections_are_all_reported() {
        let text = r#"{"format":"pactum-agreement","version":1,"agreement":{
            "title":"x",
            "support_levels":{"priorities":[{"id":"P1","resolution":"soon"}]},
            "metrics":{"availability_target":"120 %"},
            "colour":"blue"}}"#;
        let Err(Error::Invalid(problems)) = from_json(text.as_bytes()) else {
            panic!("must be rejected")
        };
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert!(
            paths.contains(&"$.agreement.support_levels.priorities[0].resolution"),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"$.agreement.metrics.availability_target"),
            "{paths:?}"
        );
        assert!(
            paths.iter().any(|p| p.starts_with("$.agreement")),
            "{paths:?}"
        );
        assert!(
            problems.iter().any(|p| p.message.contains("colour")),
            "the unknown field is named: {problems:?}"
        );
    }

    #[test]
    fn wrong_format_and_newer_version_are_named() {
        let Err(Error::Invalid(p)) = from_json(br#"{"format":"other","version":7,"agreement":{}}"#)
        else {
            panic!("must be rejected")
        };
        assert_eq!(p[0].path, "$.format");
        assert!(p[1].message.contains("update Pactum"), "{p:?}");
    }

    #[test]
    fn a_byte_order_mark_is_ignored() {
        let text = format!("\u{feff}{}", to_json(&Agreement::default()));
        assert_eq!(
            from_json(text.as_bytes()).unwrap(),
            Agreement::default(),
            "a UTF-8 BOM is not content and must not make a valid file invalid"
        );
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let err = from_json(text.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("levels deep"), "{err}");
    }
}
