//! Fuzz target `bundle`: arbitrary bytes as an exchange bundle.
//!
//! `pactum::signing::bundle::inspect` parses and checks a bundle exactly as an import does
//! before it looks at any database (sizes, nesting, unknown fields, content hashes, card,
//! statement, proposal, checkpoint and whole-file signatures). It must reject every malformed
//! or forged input with an error and never panic; an accepted input must be accepted again
//! unchanged (checking is deterministic).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pactum::signing::bundle::inspect;

fuzz_target!(|data: &[u8]| {
    let Ok(first) = inspect(data) else { return };
    let again = inspect(data).expect("an accepted bundle is accepted again");
    assert_eq!(first, again, "checking the same bundle twice differs");
});
