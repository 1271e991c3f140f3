//! How values are shown in the CLI's plain-text output: columns clipped to a width, stored
//! text made safe for a terminal, enum values by their key.

/// `s` cut to `n` characters, the last one an ellipsis when something was cut.
pub fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// Text stored in the database as the terminal should show it: control and bidirectional
/// formatting characters (which would reorder or hide what follows) as `\u{…}` escapes.
pub fn terminal_text(text: &str) -> String {
    text.chars()
        .map(|c| {
            let bidi = matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            if bidi || (c.is_control() && c != '\t') {
                format!("\\u{{{:04x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The snake_case key of a serialized enum value.
pub fn key_of<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}
