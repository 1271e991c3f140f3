//! Reading JSON text that nobody vouches for: the agreement interchange file, the built-in
//! templates and the exchange bundle all parse through here.
//!
//! This module owns two rules of every file Pactum reads, so that each has one
//! implementation:
//!
//! - the nesting depth is counted on the raw text before anything is parsed ([`max_depth`]),
//!   so a file of a million `[` cannot exhaust the stack;
//! - an object that names the same key twice is refused with the JSON path of the second
//!   occurrence (`$.agreement.overview.title`) ([`parse_value`]). serde_json itself keeps the
//!   later value, so a reviewer reading the first `"title"` in a file and the engine storing
//!   the second would disagree about what was signed or imported.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::Problem;

/// The nesting depth of JSON text, counted without parsing (strings are skipped).
pub(crate) fn max_depth(text: &str) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for b in text.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                max = max.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Parses JSON text into a value, refusing any object with a repeated key. A repeated key is
/// reported at its own path below `$`; text that is not JSON at all is reported at `$` with
/// line and column.
pub(crate) fn parse_value(text: &str) -> Result<Value, Problem> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let UniqueKeys(value) =
        serde_path_to_error::deserialize(&mut *de).map_err(|e| problem_of(&e))?;
    // Characters after the value: the same refusal serde_json::from_str gives.
    de.end().map_err(|e| syntax_problem(&e))?;
    Ok(value)
}

fn problem_of(e: &serde_path_to_error::Error<serde_json::Error>) -> Problem {
    let inner = e.inner();
    if inner.classify() != serde_json::error::Category::Data {
        return syntax_problem(inner);
    }
    let rest = e.path().to_string();
    let path = if rest == "." || rest.is_empty() {
        "$".to_string()
    } else if rest.starts_with('[') {
        format!("${rest}")
    } else {
        format!("$.{rest}")
    };
    Problem {
        path,
        message: format!(
            "{} (line {}, column {})",
            without_position(inner),
            inner.line(),
            inner.column()
        ),
    }
}

fn syntax_problem(e: &serde_json::Error) -> Problem {
    Problem {
        path: "$".to_string(),
        message: format!(
            "not valid JSON (line {}, column {}): {}",
            e.line(),
            e.column(),
            without_position(e)
        ),
    }
}

/// serde_json's message without its trailing " at line L column C".
fn without_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// A JSON value whose objects have no repeated keys.
struct UniqueKeys(Value);

impl<'de> de::Deserialize<'de> for UniqueKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(UniqueKeysVisitor)
            .map(UniqueKeys)
    }
}

struct UniqueKeysVisitor;

impl<'de> Visitor<'de> for UniqueKeysVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // As serde_json's own Value: a float that JSON cannot hold becomes null.
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        de::Deserialize::deserialize(d).map(|UniqueKeys(v)| v)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(UniqueKeys(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if map.contains_key(&key) {
                // Failing inside the value puts the key itself on the error's path.
                return Err(match access.next_value_seed(Repeated(&key)) {
                    Err(e) => e,
                    Ok(never) => match never {},
                });
            }
            let UniqueKeys(value) = access.next_value()?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

/// The value of a key seen before in the same object: always an error.
struct Repeated<'a>(&'a str);

enum Never {}

impl<'de> DeserializeSeed<'de> for Repeated<'_> {
    type Value = Never;

    fn deserialize<D: Deserializer<'de>>(self, _: D) -> Result<Never, D::Error> {
        Err(de::Error::custom(format!(
            "the key \"{}\" appears twice in the same object; remove one (Pactum does not guess which one was meant)",
            self.0
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_key_is_refused_at_its_own_path() {
        let text = r#"{"a": {"list": [{"x": 1}, {"x": 2, "x": 3}]}}"#;
        let p = parse_value(text).unwrap_err();
        assert_eq!(
            p.path, "$.a.list[1].x",
            "the path names the repeated key itself, so the reader can find it: {p:?}"
        );
        assert!(
            p.message.contains("\"x\" appears twice") && p.message.contains("line 1"),
            "the message names the key and where it is: {}",
            p.message
        );
    }

    #[test]
    fn a_repeated_top_level_key_is_refused() {
        let p = parse_value(r#"{"format": "a", "format": "b"}"#).unwrap_err();
        assert_eq!(p.path, "$.format", "{p:?}");
    }

    #[test]
    fn values_parse_as_serde_json_parses_them() {
        let text = r#"{"s": "x\u00e9", "n": -3, "u": 18446744073709551615, "f": 1.5,
                       "b": true, "z": null, "l": [[], {}], "same": {"k": 1}, "other": {"k": 2}}"#;
        let ours = parse_value(text).expect("no key repeats within one object");
        let theirs: Value = serde_json::from_str(text).unwrap();
        assert_eq!(ours, theirs, "keys repeated in different objects are fine");
    }

    #[test]
    fn broken_json_and_trailing_text_are_syntax_errors_at_the_root() {
        for text in [r#"{"a": "#, r#"{"a": 1} x"#, "", r#"{"a" 1}"#] {
            let p = parse_value(text).unwrap_err();
            assert_eq!(p.path, "$", "{text:?}: {p:?}");
            assert!(
                p.message.starts_with("not valid JSON (line"),
                "{text:?}: {}",
                p.message
            );
        }
    }

    #[test]
    fn depth_skips_brackets_in_strings() {
        assert_eq!(max_depth(r#"[{"a": "[[[[\"]]"}]"#), 2);
    }
}
