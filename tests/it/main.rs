//! Pactum's integration tests: one test binary whose modules mirror the engine's (`src/`).
//!
//! - `support`: builders (temporary databases, a library with a test clock, template agreements);
//! - `store`: opening, damaged and foreign files, schema versions, concurrent writers;
//! - `library`: the public API — create, list, drafts, archive, versions, errors, status;
//! - `interchange`: export/import round trips, limits, and files that must be refused;
//! - `diff`: term changes and redlines between versions;
//! - `search`: the full-text index;
//! - `pdf`: PDF export checked with qpdf, pdffonts, pdftotext, pdfinfo and the outline;
//! - `pdf_sign`: PDF signatures (PAdES) checked with pdfsig, qpdf and `verify_pdf`, tampering;
//! - `hostile`: hostile text in every free-text field;
//! - `cli`: the `pactum` binary end to end, exit codes;
//! - `crash`: SIGKILL during writes never loses an acknowledged write (the child process is this
//!   binary again, see `crash::child_writer`);
//! - `signing`: identities and sealed keys, the approval and amendment workflow between two
//!   databases, every tampering case caught by verification, checkpoints, exchange bundles,
//!   property tests of bundle tampering, and the signing commands of the CLI;
//! - `concurrent_amendments`: concurrent proposals on one version decided on three machines in
//!   random order end in one verified history (a property), and status tampering is caught;
//! - `preferences`: the display preferences stored in the database;
//! - `props`: property tests of durations, canonical JSON and imports of mutated files.

mod support;

mod cli;
mod concurrent_amendments;
mod crash;
mod diff;
mod hostile;
mod interchange;
mod library;
mod pdf;
mod pdf_export;
mod pdf_sign;
mod pdf_verify;
mod preferences;
mod props;
mod search;
mod signing;
mod store;
mod trust;
