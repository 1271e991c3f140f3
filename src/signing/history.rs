//! The signed history of an agreement: statements (approvals and rejections), amendment
//! proposals, how an amendment is named, the digest a checkpoint counts each record by, and
//! the views the API returns. The rows the store keeps of them are the store's
//! (`crate::store`: `HistoryRows` and the rows in it).
//!
//! A statement is signed as `pactum/approval/v1\n` ‖ canonical JSON of [`Statement`]; an
//! amendment proposal as `pactum/amendment/v1\n` ‖ canonical JSON of [`Proposal`]. The store
//! keeps the exact signed JSON text next to the columns it queries, and verification checks
//! that the two agree.

use serde::{Deserialize, Serialize};

use super::{Decision, Role};
use crate::diff::Comparison;
use crate::model::Agreement;
use crate::record::{AgreementId, Status, VersionInfo};

/// What a signer signs: one decision about one version (or the version an amendment would
/// create).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// The agreement's uid (stable across databases).
    pub agreement: String,
    /// The version approved; for an amendment, the version it creates.
    pub version: u32,
    /// Hash of that version's canonical content.
    pub content_hash: String,
    /// Hash of the version before it (`None` for version 1).
    pub previous_hash: Option<String>,
    pub role: Role,
    /// The signer's Ed25519 public key, hex.
    pub signer: String,
    /// RFC 3339 time of signing.
    pub time: String,
    pub decision: Decision,
    /// The amendment decided on, if any.
    pub amendment: Option<u32>,
    pub comment: String,
    /// The agreement's approval policy when signing (its required roles).
    pub policy: Vec<Role>,
}

impl Statement {
    pub fn canonical(&self) -> String {
        crate::canonical::to_canonical(self).expect("a statement has no floats")
    }
}

/// A proposed amendment, as signed by its proposer (if one was named).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    pub agreement: String,
    pub number: u32,
    /// The version in force the amendment changes.
    pub base_version: u32,
    pub base_hash: String,
    /// The version the amendment creates when approved.
    pub version: u32,
    pub content_hash: String,
    pub reason: String,
    pub time: String,
    /// The proposer's Ed25519 public key, hex (the proposal is then signed by it).
    pub proposer: Option<String>,
}

impl Proposal {
    pub fn canonical(&self) -> String {
        crate::canonical::to_canonical(self).expect("a proposal has no floats")
    }
}

/// Names one amendment: its number and, where two concurrent proposals carry the same number,
/// the hash (or its first 8 or more hex digits) of the content it proposes. Written
/// `NUMBER` or `NUMBER:HASH`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmendmentRef {
    pub number: u32,
    pub content_hash: Option<String>,
}

impl AmendmentRef {
    pub fn new(number: u32, content_hash: Option<String>) -> Self {
        AmendmentRef {
            number,
            content_hash: content_hash
                .map(|h| h.trim().to_ascii_lowercase())
                .filter(|h| !h.is_empty()),
        }
    }
}

impl From<u32> for AmendmentRef {
    fn from(number: u32) -> Self {
        AmendmentRef {
            number,
            content_hash: None,
        }
    }
}

impl std::str::FromStr for AmendmentRef {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (number, hash) = match s.split_once(':') {
            Some((n, h)) => (n, Some(h)),
            None => (s, None),
        };
        let number: u32 = number
            .trim()
            .parse()
            .map_err(|_| format!("\"{s}\" is not an amendment number (NUMBER or NUMBER:HASH)"))?;
        if let Some(h) = hash {
            if h.len() < 8 || !h.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(format!(
                    "\"{h}\" is not the start of a content hash (8 or more hex digits)"
                ));
            }
        }
        Ok(AmendmentRef::new(number, hash.map(str::to_string)))
    }
}

impl std::fmt::Display for AmendmentRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.content_hash {
            Some(h) => write!(f, "{}:{}", self.number, h),
            None => write!(f, "{}", self.number),
        }
    }
}

/// SHA-256 identifying one record (statement or proposal with its signature).
pub(crate) fn record_digest(body: &str, signature: Option<&str>) -> String {
    let mut bytes = Vec::with_capacity(body.len() + 130);
    bytes.extend_from_slice(body.as_bytes());
    bytes.push(b'\n');
    bytes.extend_from_slice(signature.unwrap_or("").as_bytes());
    crate::canonical::sha256_hex(&bytes)
}

// ------------------------------------------------------------------ API views

/// Who signed, as the trust list knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SignerRef {
    /// Name from the signer's card; empty when the key is unknown here.
    pub name: String,
    pub organisation: String,
    pub fingerprint: String,
    pub fingerprint_display: String,
    /// Whether the key is in this database's trust list.
    pub trusted: bool,
}

/// One signed approval or rejection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SignatureEntry {
    pub version: u32,
    pub amendment: Option<u32>,
    pub role: Role,
    pub decision: Decision,
    pub signer: SignerRef,
    pub signed_at: String,
    pub comment: String,
}

/// Where a version stands, derived from the signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum VersionState {
    /// Frozen, approval not (yet) requested or not complete, and not rejected.
    Pending,
    /// A required role rejected it.
    Rejected,
    /// Approved by every required role and the newest such version.
    InForce,
    /// Was in force; a later version replaced it.
    Superseded,
    /// Frozen but replaced by a later version before it was approved.
    Unapproved,
}

/// A version in the history timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VersionEntry {
    pub info: VersionInfo,
    pub state: VersionState,
    /// The amendment that created it, if any.
    pub amendment: Option<u32>,
    /// Whether the note and time come from signed records (the proposal and approvals of the
    /// amendment that created it). A version frozen by hand has a note and time nobody
    /// signed: show them as such.
    pub metadata_signed: bool,
    /// Decisions on exactly this content (not those on a concurrent amendment that proposed
    /// other content for the same number).
    pub signatures: Vec<SignatureEntry>,
}

/// Where an amendment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum AmendmentState {
    /// Waiting for approvals.
    Open,
    /// Approved by every required role; its version is (or was) in force.
    Enacted,
    /// A required role rejected it.
    Rejected,
    /// Another version came into force first (a concurrent amendment of the same version,
    /// say): it can no longer be approved, and its decisions never count for the version in
    /// force. Still verifiable.
    Superseded,
}

/// An amendment with its decisions so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AmendmentSummary {
    pub agreement: AgreementId,
    pub number: u32,
    pub base_version: u32,
    /// The version it creates when approved.
    pub target_version: u32,
    pub content_hash: String,
    pub reason: String,
    pub proposed_at: String,
    pub proposer: Option<SignerRef>,
    pub state: AmendmentState,
    /// Approvals and rejections, oldest first.
    pub decisions: Vec<SignatureEntry>,
    /// Required roles that have not approved yet.
    pub missing_roles: Vec<Role>,
}

/// What a reviewer looks at: the amendment, the redline and changed terms against the base
/// version, and the proposed content.
///
/// The desktop shell sends it as `AmendmentReviewView`, with `proposed` as the same JSON value
/// it uses for drafts (typed `Agreement` for TypeScript).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AmendmentReview {
    pub summary: AmendmentSummary,
    pub comparison: Comparison,
    pub proposed: Agreement,
}

/// One line of the amendments log (section 9), derived from the signed history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AmendmentLogEntry {
    pub amendment: u32,
    /// The version it created.
    pub version: u32,
    pub reason: String,
    pub proposed_at: String,
    /// Time of the last approval, when the version came into force.
    pub in_force_since: String,
    /// "Name (role)" of every approver.
    pub approved_by: Vec<String>,
}

/// The whole signed history of an agreement, for the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct History {
    pub agreement: AgreementId,
    pub uid: String,
    /// The status as the signed history gives it (the stored one can only be trusted as far
    /// as verification goes; `verified` says whether it found anything).
    pub status: Status,
    /// Whether verification of the whole history found nothing wrong.
    pub verified: bool,
    pub policy: super::Policy,
    /// The version valid signatures put in force.
    pub in_force: Option<u32>,
    pub versions: Vec<VersionEntry>,
    pub amendments: Vec<AmendmentSummary>,
}

/// What requesting approval started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ApprovalRequest {
    pub agreement: AgreementId,
    pub version: u32,
    pub content_hash: String,
    pub required: Vec<Role>,
    pub status: Status,
}

/// What waits for a signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PendingKind {
    Version {
        version: u32,
    },
    Amendment {
        amendment: u32,
        version: u32,
        /// What the amendment proposes (two concurrent ones can share a number).
        content_hash: String,
    },
}

/// A decision one of this database's own identities still owes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PendingApproval {
    pub agreement: AgreementId,
    pub title: String,
    pub what: PendingKind,
    pub role: Role,
    /// Fingerprint of the own identity with that role.
    pub identity: String,
    pub identity_name: String,
}
