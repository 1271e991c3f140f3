//! Fuzz target `import`: arbitrary bytes as an interchange file.
//!
//! `pactum::interchange::from_json` reads files from anywhere (import, `pactum update`), so it
//! must reject every malformed input with an error and never panic. When it accepts an input,
//! exporting the agreement again and importing that must give back an equal agreement, and
//! the second export must be byte-identical to the first (export is deterministic).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pactum::interchange::{from_json, to_json};

fuzz_target!(|data: &[u8]| {
    let Ok(agreement) = from_json(data) else { return };
    let exported = to_json(&agreement);
    let again = from_json(exported.as_bytes())
        .unwrap_or_else(|e| panic!("the export of an accepted file is rejected: {e}\n{exported}"));
    assert_eq!(again, agreement, "export → import changed the agreement");
    assert_eq!(to_json(&again), exported, "exporting the same agreement twice differs");
});
