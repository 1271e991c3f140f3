//! Exchange bundles: one self-contained JSON file carrying an agreement's signed history (or
//! one amendment proposal, or the answer to one) between machines that share no network.
//!
//! ```json
//! {"format": "pactum-bundle", "version": 1, "kind": "history" | "amendment" | "answer",
//!  "agreement": {"uid": "…", "title": "…"}, "policy": ["legal_reviewer", "service_manager"],
//!  "versions": [{"number", "hash", "previous_hash", "note", "created_at", "content": {…}}],
//!  "amendments": [{"proposal": {…}, "signature", "content": {…}, "created_at"}],
//!  "signatures": [{"statement": {…}, "signature": "…"}],
//!  "cards": [identity cards of every signer and proposer],
//!  "checkpoint": {signed by the exporting identity}}
//! ```
//!
//! Parsing trusts nothing: sizes and nesting are limited before parsing, a key written twice
//! in one object and unknown fields are refused, and [`parse`] checks every element on its own (content hashes, card and record
//! signatures, the checkpoint against the file's own length) before the library merges it
//! with the local history, verifies the merged result and writes it in one transaction.
//! Every problem names the JSON path it was found at.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::checkpoint::{records_hash, Checkpoint};
use super::history::{record_digest, Proposal, Statement};
use super::identity::IdentityCard;
use super::{Role, AMENDMENT_PREFIX, APPROVAL_PREFIX};
use crate::record::{AgreementId, Status};
use crate::{Error, Problem, Result};

/// Value of the `format` field.
pub const FORMAT: &str = "pactum-bundle";
/// Bundle format version this build writes and reads.
pub const VERSION: u32 = 1;
/// Largest bundle accepted (a long history carries every version's content).
pub const MAX_BUNDLE_BYTES: usize = 256 * 1024 * 1024;
/// Most versions, amendments, signatures or cards in one bundle.
pub const MAX_ITEMS: usize = 100_000;
const MAX_DEPTH: usize = 40;

/// What a bundle carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum BundleKind {
    /// The full signed history: every version, amendment and signature.
    History,
    /// One amendment proposal (with any decisions on it so far).
    Amendment,
    /// The decisions on one amendment, or on the version under review.
    Answer,
}

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BundleRequest {
    History,
    /// One amendment proposal.
    Amendment {
        amendment: u32,
    },
    /// The decisions on an amendment, or (`None`) on the version under review.
    Answer {
        amendment: Option<u32>,
    },
}

/// What an import changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportOutcome {
    pub agreement: AgreementId,
    pub kind: BundleKind,
    /// The agreement did not exist here before.
    pub created: bool,
    pub added_versions: u32,
    pub added_amendments: u32,
    pub added_signatures: u32,
    /// Versions that came into force because of the import.
    pub enacted: Vec<u32>,
    pub status: Status,
    /// False when the file held nothing new (importing it again changes nothing).
    pub changed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Bundle {
    pub format: String,
    pub version: u32,
    pub kind: BundleKind,
    pub agreement: BundleAgreement,
    pub policy: Vec<Role>,
    pub versions: Vec<BundleVersion>,
    pub amendments: Vec<BundleAmendment>,
    pub signatures: Vec<BundleSignature>,
    pub cards: Vec<IdentityCard>,
    pub checkpoint: Checkpoint,
    /// The exporter's (the checkpoint signer's) Ed25519 signature over `pactum/bundle/v1\n` ‖
    /// canonical JSON of every other field: no field of the file can change unnoticed, not
    /// even unsigned metadata such as version notes.
    pub signature: String,
}

impl Bundle {
    fn signed_body(&self) -> String {
        let mut v = serde_json::to_value(self).expect("a bundle serializes");
        if let Value::Object(m) = &mut v {
            m.remove("signature");
        }
        crate::canonical::value_to_canonical(&v).unwrap_or_default()
    }

    /// Signs the whole bundle with the exporter's key (the checkpoint's signer).
    pub(crate) fn sign(&mut self, key: &ed25519_dalek::SigningKey) {
        self.signature = super::sign_bytes(key, BUNDLE_PREFIX, &self.signed_body());
    }
}

/// Prefix of a bundle's overall signature.
pub const BUNDLE_PREFIX: &str = "pactum/bundle/v1\n";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BundleAgreement {
    pub uid: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BundleVersion {
    pub number: u32,
    pub hash: String,
    pub previous_hash: Option<String>,
    pub note: String,
    pub created_at: String,
    pub content: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BundleAmendment {
    pub proposal: Proposal,
    pub signature: Option<String>,
    pub content: Value,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BundleSignature {
    pub statement: Statement,
    pub signature: String,
}

/// A version from a bundle after its checks: its canonical content.
pub(crate) struct CheckedVersion {
    pub number: u32,
    pub hash: String,
    pub previous_hash: Option<String>,
    pub note: String,
    pub created_at: String,
    pub content: String,
}

/// A bundle whose elements each passed their own checks.
pub(crate) struct Checked {
    pub bundle: Bundle,
    pub versions: Vec<CheckedVersion>,
    /// Canonical proposal text and content of each amendment, in bundle order.
    pub amendments: Vec<(String, String)>,
    /// Canonical statement text of each signature, in bundle order.
    pub statements: Vec<String>,
}

fn problem(path: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        path: path.into(),
        message: message.into(),
    }
}

/// Parses a bundle and checks every element on its own. Never panics on any input.
pub(crate) fn parse(bytes: &[u8]) -> Result<Checked> {
    if bytes.len() > MAX_BUNDLE_BYTES {
        return Err(Error::TooLarge {
            what: "the exchange file".into(),
            actual: bytes.len() as u64,
            limit: MAX_BUNDLE_BYTES as u64,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Error::BundleInvalid(vec![problem(
            "$",
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.valid_up_to()
            ),
        )])
    })?;
    let depth = crate::json::max_depth(text);
    if depth > MAX_DEPTH {
        return Err(Error::BundleInvalid(vec![problem(
            "$",
            format!("the JSON is nested {depth} levels deep; at most {MAX_DEPTH} are allowed"),
        )]));
    }
    // A key written twice anywhere (also inside a version's content, which is hashed and
    // signed as parsed) is refused rather than resolved by keeping the later one.
    let value = crate::json::parse_value(text).map_err(|p| Error::BundleInvalid(vec![p]))?;
    let bundle: Bundle = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." {
            "$".to_string()
        } else {
            format!("$.{path}")
        };
        Error::BundleInvalid(vec![problem(path, e.inner().to_string())])
    })?;
    check(bundle)
}

fn check(bundle: Bundle) -> Result<Checked> {
    let mut p = Vec::new();
    if bundle.format != FORMAT {
        p.push(problem(
            "$.format",
            format!("expected \"{FORMAT}\", found \"{}\"", bundle.format),
        ));
    }
    if bundle.version != VERSION {
        p.push(problem(
            "$.version",
            format!(
                "bundle version {} is not supported (this Pactum reads {VERSION})",
                bundle.version
            ),
        ));
    }
    if !p.is_empty() {
        return Err(Error::BundleInvalid(p));
    }
    for (what, n) in [
        ("versions", bundle.versions.len()),
        ("amendments", bundle.amendments.len()),
        ("signatures", bundle.signatures.len()),
        ("cards", bundle.cards.len()),
    ] {
        if n > MAX_ITEMS {
            p.push(problem(
                format!("$.{what}"),
                format!("{n} entries, at most {MAX_ITEMS} are allowed"),
            ));
        }
    }
    let uid = &bundle.agreement.uid;
    if uid.is_empty()
        || uid.len() > 64
        || !uid.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        p.push(problem("$.agreement.uid", "not an agreement uid"));
    }
    if bundle.agreement.title.len() > crate::interchange::MAX_FIELD_BYTES {
        p.push(problem("$.agreement.title", "too long"));
    }
    if bundle.policy.is_empty() {
        p.push(problem("$.policy", "a policy needs at least one role"));
    }
    if !p.is_empty() {
        return Err(Error::BundleInvalid(p));
    }

    for (i, card) in bundle.cards.iter().enumerate() {
        p.extend(card.check(&format!("$.cards[{i}]")));
    }

    // Versions: canonical content hashes to the stated hash, valid agreements, a chain.
    let mut versions = Vec::with_capacity(bundle.versions.len());
    let mut prev: Option<&BundleVersion> = None;
    for (i, v) in bundle.versions.iter().enumerate() {
        let at = format!("$.versions[{i}]");
        if let Some(before) = prev {
            if v.number != before.number + 1 {
                p.push(problem(
                    format!("{at}.number"),
                    format!(
                        "version {} follows version {}; versions must be consecutive",
                        v.number, before.number
                    ),
                ));
            } else if v.previous_hash.as_deref() != Some(before.hash.as_str()) {
                p.push(problem(
                    format!("{at}.previous_hash"),
                    format!("does not name the hash of version {}", before.number),
                ));
            }
        } else if v.number == 1 && v.previous_hash.is_some() {
            p.push(problem(
                format!("{at}.previous_hash"),
                "version 1 has no predecessor",
            ));
        }
        if v.number == 0 {
            p.push(problem(
                format!("{at}.number"),
                "version numbers start at 1",
            ));
        }
        let content = match crate::canonical::value_to_canonical(&v.content) {
            Ok(c) => c,
            Err(e) => {
                p.push(problem(format!("{at}.content"), e.to_string()));
                prev = Some(v);
                continue;
            }
        };
        let actual = crate::canonical::sha256_hex(content.as_bytes());
        if actual != v.hash {
            p.push(problem(
                format!("{at}.content"),
                format!("the content hashes to {actual}, not to the stated hash {} (changed or damaged)", v.hash),
            ));
        }
        if let Err(problems) =
            crate::interchange::agreement_from_value(v.content.clone(), &format!("{at}.content"))
        {
            p.extend(problems);
        }
        if v.note.len() > crate::interchange::MAX_FIELD_BYTES {
            p.push(problem(format!("{at}.note"), "too long"));
        }
        if chrono::DateTime::parse_from_rfc3339(&v.created_at).is_err() {
            p.push(problem(format!("{at}.created_at"), "not an RFC 3339 time"));
        }
        versions.push(CheckedVersion {
            number: v.number,
            hash: v.hash.clone(),
            previous_hash: v.previous_hash.clone(),
            note: v.note.clone(),
            created_at: v.created_at.clone(),
            content,
        });
        prev = Some(v);
    }

    // Amendments: for this agreement, content as proposed, proposer signature.
    let mut amendments = Vec::with_capacity(bundle.amendments.len());
    for (i, a) in bundle.amendments.iter().enumerate() {
        let at = format!("$.amendments[{i}]");
        let text = a.proposal.canonical();
        if a.proposal.agreement != *uid {
            p.push(problem(
                format!("{at}.proposal.agreement"),
                "the proposal was made for another agreement",
            ));
        }
        if a.proposal.version != a.proposal.base_version + 1 {
            p.push(problem(
                format!("{at}.proposal.version"),
                "an amendment creates the version after its base",
            ));
        }
        if a.proposal.reason.len() > crate::interchange::MAX_FIELD_BYTES {
            p.push(problem(format!("{at}.proposal.reason"), "too long"));
        }
        let content = match crate::canonical::value_to_canonical(&a.content) {
            Ok(c) => c,
            Err(e) => {
                p.push(problem(format!("{at}.content"), e.to_string()));
                continue;
            }
        };
        let actual = crate::canonical::sha256_hex(content.as_bytes());
        if actual != a.proposal.content_hash {
            p.push(problem(
                format!("{at}.content"),
                format!(
                    "the content hashes to {actual}, the proposal names {}",
                    a.proposal.content_hash
                ),
            ));
        }
        if let Err(problems) =
            crate::interchange::agreement_from_value(a.content.clone(), &format!("{at}.content"))
        {
            p.extend(problems);
        }
        match (&a.proposal.proposer, &a.signature) {
            (None, None) => {}
            (Some(key), Some(sig)) => {
                if !super::verify_signature(key, AMENDMENT_PREFIX, &text, sig) {
                    p.push(problem(
                        format!("{at}.signature"),
                        "the proposer's signature does not verify (forged or changed)",
                    ));
                }
            }
            _ => p.push(problem(
                format!("{at}.signature"),
                "a proposer needs a signature, and a signature a proposer",
            )),
        }
        amendments.push((text, content));
    }

    // Signatures: for this agreement, verifying.
    let mut statements = Vec::with_capacity(bundle.signatures.len());
    for (i, s) in bundle.signatures.iter().enumerate() {
        let at = format!("$.signatures[{i}]");
        let text = s.statement.canonical();
        if s.statement.agreement != *uid {
            p.push(problem(
                format!("{at}.statement.agreement"),
                format!(
                    "the statement was signed for agreement {}, not {uid} (replayed)",
                    s.statement.agreement
                ),
            ));
        }
        if !super::verify_signature(&s.statement.signer, APPROVAL_PREFIX, &text, &s.signature) {
            p.push(problem(
                format!("{at}.signature"),
                "the signature does not verify (forged or changed)",
            ));
        }
        if s.statement.comment.len() > crate::interchange::MAX_FIELD_BYTES {
            p.push(problem(format!("{at}.statement.comment"), "too long"));
        }
        statements.push(text);
    }

    // The checkpoint: signed, for this agreement, and (for a history) naming this file.
    let cp = &bundle.checkpoint;
    if cp.agreement != *uid {
        p.push(problem("$.checkpoint.agreement", "names another agreement"));
    }
    if !cp.signature_valid() {
        p.push(problem(
            "$.checkpoint.signature",
            "missing or does not verify",
        ));
    } else if let Some(signer) = &cp.signer {
        if !super::verify_signature(
            signer,
            BUNDLE_PREFIX,
            &bundle.signed_body(),
            &bundle.signature,
        ) {
            p.push(problem(
                "$.signature",
                "the exporter's signature over the file does not verify (a field was changed)",
            ));
        }
    }
    if bundle.kind == BundleKind::History {
        let n = bundle.versions.len() as u32;
        if cp.versions != n {
            p.push(problem(
                "$.checkpoint.versions",
                format!(
                    "the checkpoint names {} versions, the file has {n} (truncated or extended)",
                    cp.versions
                ),
            ));
        } else if cp.head.as_deref() != bundle.versions.last().map(|v| v.hash.as_str()) {
            p.push(problem(
                "$.checkpoint.head",
                "does not name the hash of the file's newest version",
            ));
        }
        if bundle.versions.first().is_some_and(|v| v.number != 1) {
            p.push(problem(
                "$.versions[0].number",
                "a history starts at version 1",
            ));
        }
        let digests: Vec<String> = statements
            .iter()
            .zip(&bundle.signatures)
            .map(|(t, s)| record_digest(t, Some(&s.signature)))
            .chain(
                amendments
                    .iter()
                    .zip(&bundle.amendments)
                    .map(|((t, _), a)| record_digest(t, a.signature.as_deref())),
            )
            .collect();
        let records = digests.len() as u32;
        if cp.records != records {
            p.push(problem(
                "$.checkpoint.records",
                format!("the checkpoint names {} signed records, the file has {records} (truncated or extended)", cp.records),
            ));
        } else if cp.records_hash != records_hash(digests) {
            p.push(problem(
                "$.checkpoint.records_hash",
                "does not match the file's signed records",
            ));
        }
    }
    if p.is_empty() {
        Ok(Checked {
            bundle,
            versions,
            amendments,
            statements,
        })
    } else {
        Err(Error::BundleInvalid(p))
    }
}

/// Serializes a bundle (pretty, with a trailing newline).
pub(crate) fn to_json(bundle: &Bundle) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(bundle).expect("a bundle serializes");
    out.push(b'\n');
    out
}

/// The identity cards an exchange file carries, after the whole file has been checked.
pub fn cards(bytes: &[u8]) -> Result<Vec<IdentityCard>> {
    Ok(parse(bytes)?.bundle.cards)
}

/// Parses and checks a bundle without touching any database: for the fuzz target and tools.
/// Returns the kind and the agreement uid it carries.
pub fn inspect(bytes: &[u8]) -> Result<(BundleKind, String)> {
    let checked = parse(bytes)?;
    Ok((checked.bundle.kind, checked.bundle.agreement.uid))
}
