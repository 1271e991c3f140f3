//! Signed versions and amendments: identities, approval policies, signed statements,
//! verification, checkpoints and offline exchange bundles.
//!
//! This module holds the pure parts (formats, signing and checking); the workflows that read
//! and write the database are `impl Library` blocks in `src/library/approval.rs`, and the rows
//! live in `crate::store`. The formats are documented in `docs/signing.md`.
//!
//! Invariants:
//! - every signed byte string starts with a domain-separation prefix (`pactum/approval/v1\n`,
//!   `pactum/amendment/v1\n`, `pactum/identity/v1\n`, `pactum/checkpoint/v1\n`) followed by
//!   canonical JSON (`crate::canonical`), so a signature made for one purpose never verifies
//!   for another;
//! - private keys exist in memory only inside `Zeroizing` buffers, are never `Debug`-printed,
//!   logged, serialized or returned through the public API;
//! - an agreement comes into force only through signatures that satisfy its policy; the store
//!   refuses the status otherwise (a trigger), and `verify` re-checks it from the signatures.

pub mod bundle;
pub mod checkpoint;
pub mod history;
pub mod identity;
pub mod policy;
pub mod seal;
pub mod verify;

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};

use serde::{Deserialize, Serialize};

pub use bundle::{BundleKind, BundleRequest, ImportOutcome};
pub use checkpoint::Checkpoint;
pub use history::{
    AmendmentLogEntry, AmendmentRef, AmendmentReview, AmendmentState, AmendmentSummary,
    ApprovalRequest, History, PendingApproval, PendingKind, SignatureEntry, SignerRef,
    VersionEntry, VersionState,
};
pub use identity::{
    IdentityCard, IdentityInfo, KeyConflict, KeyDecision, KeyDecisionRecord, NewIdentity, PersonKey,
};
pub use policy::Policy;
pub use seal::KdfParams;
pub use verify::{FindingCode, VerificationFinding, VerificationReport};

/// Prefix of a signed approval or rejection statement.
pub const APPROVAL_PREFIX: &str = "pactum/approval/v1\n";
/// Prefix of a signed amendment proposal.
pub const AMENDMENT_PREFIX: &str = "pactum/amendment/v1\n";
/// Prefix of an identity card's self-signature.
pub const IDENTITY_PREFIX: &str = "pactum/identity/v1\n";
/// Prefix of a signed checkpoint.
pub const CHECKPOINT_PREFIX: &str = "pactum/checkpoint/v1\n";

/// The role a person signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    ServiceManager,
    LegalReviewer,
    CustomerRepresentative,
}

impl Role {
    pub const ALL: [Role; 3] = [
        Role::ServiceManager,
        Role::LegalReviewer,
        Role::CustomerRepresentative,
    ];

    /// The stable key stored in the database and used on the command line.
    pub fn key(&self) -> &'static str {
        match self {
            Role::ServiceManager => "service_manager",
            Role::LegalReviewer => "legal_reviewer",
            Role::CustomerRepresentative => "customer_representative",
        }
    }

    /// An English label for messages.
    pub fn label(&self) -> &'static str {
        match self {
            Role::ServiceManager => "service manager",
            Role::LegalReviewer => "legal reviewer",
            Role::CustomerRepresentative => "customer representative",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let k = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Role::ALL.into_iter().find(|r| r.key() == k).ok_or_else(|| {
            format!(
                "unknown role \"{s}\" (use service_manager, legal_reviewer or customer_representative)"
            )
        })
    }
}

/// What a signed statement says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Reject,
}

impl Decision {
    pub fn key(&self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Reject => "reject",
        }
    }
}

impl std::str::FromStr for Decision {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "approve" => Ok(Decision::Approve),
            "reject" => Ok(Decision::Reject),
            other => Err(format!("unknown decision \"{other}\"")),
        }
    }
}

/// Full fingerprint of an Ed25519 public key: lower-case hex SHA-256 of its 32 bytes.
pub fn fingerprint_of(public_key: &[u8; 32]) -> String {
    crate::canonical::sha256_hex(public_key)
}

/// Fingerprint of a hex-encoded Ed25519 public key (the hex text itself if it is not hex).
pub fn fingerprint_hex(public_key_hex: &str) -> String {
    match hex::decode(public_key_hex) {
        Ok(bytes) => crate::canonical::sha256_hex(&bytes),
        Err(_) => public_key_hex.to_string(),
    }
}

/// A fingerprint for people to compare by phone: the first 16 bytes in upper-case groups of
/// four hex digits (`3F2A 9C01 …`, eight groups).
pub fn display_fingerprint(fingerprint_hex: &str) -> String {
    let upper: Vec<char> = fingerprint_hex
        .chars()
        .filter(|c| c.is_ascii_hexdigit())
        .take(32)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    upper
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Parses a lower- or upper-case hex Ed25519 public key.
pub(crate) fn parse_public_key(hex_key: &str) -> Option<ed25519_dalek::VerifyingKey> {
    let bytes: [u8; 32] = hex::decode(hex_key).ok()?.try_into().ok()?;
    ed25519_dalek::VerifyingKey::from_bytes(&bytes).ok()
}

/// Signatures this process has already verified, by SHA-256 of key, signature and message.
/// Signed records never change, so a history verified again (the app's verification badge)
/// only re-checks what is new or different: changed bytes give another digest and are
/// verified afresh. Parsed public keys are kept too (a history has few signers).
struct Verified {
    digests: HashSet<[u8; 32]>,
    keys: HashMap<String, ed25519_dalek::VerifyingKey>,
}

const VERIFIED_MAX: usize = 1 << 20;

fn verified() -> &'static Mutex<Verified> {
    static CACHE: OnceLock<Mutex<Verified>> = OnceLock::new();
    CACHE.get_or_init(|| {
        Mutex::new(Verified {
            digests: HashSet::new(),
            keys: HashMap::new(),
        })
    })
}

/// Checks an Ed25519 signature (hex) over `prefix ‖ body` with the key `hex_key`.
pub(crate) fn verify_signature(hex_key: &str, prefix: &str, body: &str, sig_hex: &str) -> bool {
    use ed25519_dalek::Verifier;
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [hex_key, "\0", sig_hex, "\0", prefix, body] {
        h.update(part.as_bytes());
    }
    let digest: [u8; 32] = h.finalize().into();
    let cached_key = {
        let cache = verified().lock().unwrap_or_else(|p| p.into_inner());
        if cache.digests.contains(&digest) {
            return true;
        }
        cache.keys.get(hex_key).copied()
    };
    let Some(key) = cached_key.or_else(|| parse_public_key(hex_key)) else {
        return false;
    };
    let Some(sig) = hex::decode(sig_hex)
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
    else {
        return false;
    };
    let sig = ed25519_dalek::Signature::from_bytes(&sig);
    let mut msg = Vec::with_capacity(prefix.len() + body.len());
    msg.extend_from_slice(prefix.as_bytes());
    msg.extend_from_slice(body.as_bytes());
    let ok = key.verify(&msg, &sig).is_ok();
    if ok {
        let mut cache = verified().lock().unwrap_or_else(|p| p.into_inner());
        if cache.digests.len() >= VERIFIED_MAX {
            cache.digests.clear();
        }
        cache.digests.insert(digest);
        if cache.keys.len() < 10_000 {
            cache.keys.entry(hex_key.to_string()).or_insert(key);
        }
    }
    ok
}

/// Signs `prefix ‖ body`, returning the signature as hex.
pub(crate) fn sign_bytes(key: &ed25519_dalek::SigningKey, prefix: &str, body: &str) -> String {
    use ed25519_dalek::Signer;
    let mut msg = Vec::with_capacity(prefix.len() + body.len());
    msg.extend_from_slice(prefix.as_bytes());
    msg.extend_from_slice(body.as_bytes());
    hex::encode(key.sign(&msg).to_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_grouped_for_reading_aloud() {
        let fp = "3f2a9c01".repeat(8);
        assert_eq!(
            display_fingerprint(&fp),
            "3F2A 9C01 3F2A 9C01 3F2A 9C01 3F2A 9C01"
        );
    }

    #[test]
    fn roles_parse_from_their_keys_and_spellings() {
        for r in Role::ALL {
            assert_eq!(r.key().parse::<Role>().unwrap(), r);
        }
        assert_eq!(
            "Legal-Reviewer".parse::<Role>().unwrap(),
            Role::LegalReviewer
        );
        assert!("boss".parse::<Role>().is_err());
    }
}
