//! Canonical JSON (RFC 8785 style) and content hashes.
//!
//! The canonical form of a value has object keys sorted by their UTF-16 code units, no
//! insignificant whitespace, minimal string escaping, and integers only: the agreement model
//! contains no floating-point numbers, and a float here is an error rather than a silent
//! rounding. The SHA-256 of these bytes identifies a version.

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Why a value has no canonical form.
#[derive(Debug, thiserror::Error)]
pub enum CanonicalError {
    #[error("a floating-point number at {0} has no canonical form")]
    Float(String),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

/// Serializes `value` to canonical JSON bytes.
pub fn to_canonical<T: Serialize>(value: &T) -> Result<String, CanonicalError> {
    let v = serde_json::to_value(value)?;
    let mut out = String::new();
    write_value(&v, "$", &mut out)?;
    Ok(out)
}

/// Canonical JSON of an already-parsed value.
pub fn value_to_canonical(value: &Value) -> Result<String, CanonicalError> {
    let mut out = String::new();
    write_value(value, "$", &mut out)?;
    Ok(out)
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Canonical JSON of `value` and its SHA-256.
pub fn canonical_with_hash<T: Serialize>(value: &T) -> Result<(String, String), CanonicalError> {
    let text = to_canonical(value)?;
    let hash = sha256_hex(text.as_bytes());
    Ok((text, hash))
}

fn write_value(v: &Value, path: &str, out: &mut String) -> Result<(), CanonicalError> {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push_str(&i.to_string());
            } else if let Some(u) = n.as_u64() {
                out.push_str(&u.to_string());
            } else {
                return Err(CanonicalError::Float(path.to_string()));
            }
        }
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, &format!("{path}[{i}]"), out)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                write_value(&map[k], &format!("{path}.{k}"), out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_sorted_and_compact() {
        let v = json!({"b": 1, "a": [true, null, "x\n\u{1}"], "é": {"z": 0, "y": -3}});
        assert_eq!(
            value_to_canonical(&v).unwrap(),
            r#"{"a":[true,null,"x\n\u0001"],"b":1,"é":{"y":-3,"z":0}}"#
        );
    }

    #[test]
    fn floats_are_refused() {
        let err = value_to_canonical(&json!({"x": [1.5]})).unwrap_err();
        assert!(err.to_string().contains("$.x[0]"), "{err}");
    }
}
