//! Verification of an agreement's signed history: content hashes, chain links, version
//! numbering, every signature and proposal, signers against the trust list and the policy,
//! the status against the signatures, and the history against checkpoints.
//!
//! Pure: it works on the rows the store returns (or on a bundle merged with them before
//! import) and reports every problem as a [`VerificationFinding`] with a stable code and the version,
//! amendment, signature and field it concerns.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::checkpoint::{records_hash, Checkpoint};
use super::history::{Proposal, Statement};
use super::{display_fingerprint, Decision, Role, AMENDMENT_PREFIX, APPROVAL_PREFIX};
use crate::record::{AgreementId, Status};
use crate::store::HistoryRows;

/// What kind of problem a finding is. Stable: the UI translates by code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum FindingCode {
    /// A version's stored content does not hash to its recorded hash.
    ContentHashMismatch,
    /// A version does not name its predecessor's hash.
    ChainBroken,
    /// A version number is missing from the sequence.
    VersionMissing,
    /// A signature does not verify over its statement.
    SignatureInvalid,
    /// A signed statement disagrees with what is stored (a version's hash, a column).
    SignatureMismatch,
    /// A signature made for another agreement, version or amendment.
    SignatureReplayed,
    /// A signature or proposal by a key that is not in the trust list.
    SignerUntrusted,
    /// The signer's card names a different role than the statement.
    SignerRoleMismatch,
    /// The stored policy differs from the one the signers saw, or is unusable.
    PolicyMismatch,
    /// An amendment proposal is damaged, forged or inconsistent.
    AmendmentInvalid,
    /// The stored copy of an enacted amendment's content no longer matches the version it
    /// created (the proposal, its approvals and the version itself may be intact).
    AmendmentDamaged,
    /// The agreement is marked in force without the signatures its policy requires.
    InForceWithoutSignatures,
    /// The stored status disagrees with the signed history (marked a draft or in review
    /// while valid signatures put a version in force).
    StatusMismatch,
    /// A version created after a version came into force, but not by an approved amendment.
    VersionOutsideAmendment,
    /// A checkpoint names more history than this database has.
    HistoryCutOff,
    /// A checkpoint names a different history (another head hash) of the same length.
    HistoryDiverged,
    /// A checkpoint's own signature does not verify, or its signer is unknown.
    CheckpointInvalid,
    /// The signer's card claims the same person as another trusted key, and no decision to
    /// trust both was recorded: one of them may be an impersonation.
    SignerAmbiguous,
}

impl FindingCode {
    pub fn key(&self) -> &'static str {
        match self {
            FindingCode::ContentHashMismatch => "content_hash_mismatch",
            FindingCode::ChainBroken => "chain_broken",
            FindingCode::VersionMissing => "version_missing",
            FindingCode::SignatureInvalid => "signature_invalid",
            FindingCode::SignatureMismatch => "signature_mismatch",
            FindingCode::SignatureReplayed => "signature_replayed",
            FindingCode::SignerUntrusted => "signer_untrusted",
            FindingCode::SignerRoleMismatch => "signer_role_mismatch",
            FindingCode::PolicyMismatch => "policy_mismatch",
            FindingCode::AmendmentInvalid => "amendment_invalid",
            FindingCode::AmendmentDamaged => "amendment_damaged",
            FindingCode::InForceWithoutSignatures => "in_force_without_signatures",
            FindingCode::StatusMismatch => "status_mismatch",
            FindingCode::VersionOutsideAmendment => "version_outside_amendment",
            FindingCode::HistoryCutOff => "history_cut_off",
            FindingCode::HistoryDiverged => "history_diverged",
            FindingCode::CheckpointInvalid => "checkpoint_invalid",
            FindingCode::SignerAmbiguous => "signer_ambiguous",
        }
    }
}

impl std::fmt::Display for FindingCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// One problem in the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VerificationFinding {
    pub code: FindingCode,
    pub version: Option<u32>,
    pub amendment: Option<u32>,
    /// Position of the signature in the agreement's signature list, from 1.
    pub signature: Option<u32>,
    /// The field concerned (`content`, `previous_hash`, `role`, …).
    pub field: Option<String>,
    /// English sentence; the UI shows its own text for `code`.
    pub message: String,
}

impl std::fmt::Display for VerificationFinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}]", self.code)?;
        if let Some(v) = self.version {
            write!(f, " version {v}")?;
        }
        if let Some(a) = self.amendment {
            write!(f, " amendment {a}")?;
        }
        if let Some(s) = self.signature {
            write!(f, " signature {s}")?;
        }
        if let Some(field) = &self.field {
            write!(f, " field {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// The result of verifying one agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VerificationReport {
    pub agreement: AgreementId,
    pub uid: String,
    /// True when there are no findings.
    pub ok: bool,
    pub versions: u32,
    pub signatures: u32,
    pub amendments: u32,
    /// The version the signatures put in force, if any (`None` while the agreement is not
    /// marked in force; see `signed_in_force`).
    pub in_force: Option<u32>,
    /// The newest version that valid signatures of every required role put in force, whatever
    /// the stored status says.
    pub signed_in_force: Option<u32>,
    /// Every version approved by valid signatures of every required role (directly or
    /// through the amendment that created it), oldest first.
    pub approved_versions: Vec<u32>,
    pub checkpoints_checked: u32,
    pub checked_at: String,
    pub findings: Vec<VerificationFinding>,
}

impl VerificationReport {
    /// Plain-text summary for the CLI.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if self.ok {
            out.push_str(&format!(
                "verified: agreement {} ({}), {} versions, {} signatures, {} amendments, {} checkpoints",
                self.agreement, self.uid, self.versions, self.signatures, self.amendments, self.checkpoints_checked
            ));
            if let Some(v) = self.in_force {
                out.push_str(&format!(", version {v} in force"));
            }
            out.push('\n');
        } else {
            out.push_str(&format!(
                "VERIFICATION FAILED: agreement {} ({}) has {} problem(s):\n",
                self.agreement,
                self.uid,
                self.findings.len()
            ));
            for f in &self.findings {
                out.push_str(&format!("  {f}\n"));
            }
        }
        out
    }
}

/// What the trust list knows about a key.
#[derive(Debug, Clone)]
pub(crate) struct KnownKey {
    pub name: String,
    pub organisation: String,
    pub role: Role,
    pub trusted: bool,
    /// Display fingerprints of other trusted keys claiming the same person without a
    /// recorded decision (see `Library::import_card_as_new_key`).
    pub same_person_unconfirmed: Vec<String>,
}

/// Keys by Ed25519 public key (hex).
pub(crate) type Trust = HashMap<String, KnownKey>;

fn finding(code: FindingCode, message: String) -> VerificationFinding {
    VerificationFinding {
        code,
        version: None,
        amendment: None,
        signature: None,
        field: None,
        message,
    }
}

/// Verifies `rows` against the trust list and `checkpoints` (those of other agreements are
/// ignored).
pub(crate) fn verify(
    rows: &HistoryRows,
    trust: &Trust,
    checkpoints: &[Checkpoint],
    now: &str,
) -> VerificationReport {
    let mut findings = Vec::new();
    let hashes: HashMap<u32, &str> = rows
        .versions
        .iter()
        .map(|v| (v.number, v.hash.as_str()))
        .collect();

    // ---- versions: numbering, content hashes, chain links
    let missing: Vec<&[u8]> = rows
        .versions
        .iter()
        .filter(|v| v.content_sha256.is_none())
        .map(|v| v.content.as_bytes())
        .collect();
    let mut fresh = parallel_hashes(missing).into_iter();
    let computed: Vec<String> = rows
        .versions
        .iter()
        .map(|v| match &v.content_sha256 {
            Some(h) => h.clone(),
            None => fresh.next().unwrap_or_default(),
        })
        .collect();
    let max = rows.versions.iter().map(|v| v.number).max().unwrap_or(0);
    for n in 1..=max {
        if !hashes.contains_key(&n) {
            let mut f = finding(
                FindingCode::VersionMissing,
                format!("version {n} is missing (the history goes up to version {max})"),
            );
            f.version = Some(n);
            findings.push(f);
        }
    }
    for (v, actual) in rows.versions.iter().zip(&computed) {
        if *actual != v.hash {
            findings.push(VerificationFinding {
                code: FindingCode::ContentHashMismatch,
                version: Some(v.number),
                amendment: None,
                signature: None,
                field: Some("content".into()),
                message: format!(
                    "the stored content of version {} hashes to {actual}, not to its recorded hash {}",
                    v.number, v.hash
                ),
            });
        }
        let expected = if v.number == 1 {
            None
        } else {
            hashes.get(&(v.number - 1)).copied()
        };
        let link_ok = match (v.number, &v.previous_hash, expected) {
            (1, None, _) => true,
            (_, Some(p), Some(e)) => p == e,
            (n, _, None) if n > 1 => true, // the gap is already reported
            _ => false,
        };
        if !link_ok {
            findings.push(VerificationFinding {
                code: FindingCode::ChainBroken,
                version: Some(v.number),
                amendment: None,
                signature: None,
                field: Some("previous_hash".into()),
                message: format!(
                    "version {} names {} as its predecessor, but {}",
                    v.number,
                    v.previous_hash.as_deref().unwrap_or("no predecessor"),
                    match expected {
                        Some(e) => format!("version {} has hash {e}", v.number - 1),
                        None => "it is not the first version".into(),
                    }
                ),
            });
        }
    }

    // ---- policy
    let policy: Vec<Role> = {
        let mut roles: Vec<Role> = rows.policy.iter().filter_map(|k| k.parse().ok()).collect();
        roles.sort();
        roles.dedup();
        if roles.is_empty() || roles.len() != rows.policy.len() {
            findings.push(VerificationFinding {
                code: FindingCode::PolicyMismatch,
                version: None,
                amendment: None,
                signature: None,
                field: Some("policy".into()),
                message: format!("the stored approval policy {:?} is unusable", rows.policy),
            });
        }
        roles
    };

    let who = |key: &str| -> String {
        match trust.get(key) {
            Some(k) => format!(
                "{} ({})",
                k.name,
                display_fingerprint(&super::fingerprint_hex(key))
            ),
            None => format!(
                "unknown key {}",
                display_fingerprint(&super::fingerprint_hex(key))
            ),
        }
    };

    // ---- amendments
    // Keyed by position: two concurrent amendments can share a number.
    let loaded: Vec<(usize, &[u8])> = rows
        .amendments
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.content.as_deref().map(|c| (i, c.as_bytes())))
        .collect();
    let amendment_hashes: HashMap<usize, String> = loaded
        .iter()
        .map(|(i, _)| *i)
        .zip(parallel_hashes(loaded.iter().map(|(_, c)| *c).collect()))
        .collect();
    // (number, content hash) → (content hash, target version, base hash) of valid proposals
    let mut valid_amendments: HashMap<(u32, String), (String, u32, String)> = HashMap::new();
    for (index, a) in rows.amendments.iter().enumerate() {
        let mut bad = |field: &str, code: FindingCode, message: String| {
            findings.push(VerificationFinding {
                code,
                version: Some(a.target_version),
                amendment: Some(a.number),
                signature: None,
                field: Some(field.into()),
                message,
            })
        };
        let mut ok = true;
        let proposal: Proposal = match serde_json::from_str(&a.proposal) {
            Ok(p) => p,
            Err(e) => {
                bad(
                    "proposal",
                    FindingCode::AmendmentInvalid,
                    format!("the proposal no longer parses: {e}"),
                );
                continue;
            }
        };
        // The content of an enacted amendment is the content of the version it created, whose
        // hash is checked above. The store loads the amendment's own copy of it only where that
        // copy is not the version's content byte for byte: damaged, so that reviewing the
        // amendment (`Library::amendment`, which reads the copy) fails. The proposal and the
        // decisions on it stay valid.
        let version_hash = hashes.get(&a.target_version).copied();
        let enacted = version_hash == Some(a.content_hash.as_str());
        let copy_hash = amendment_hashes.get(&index);
        if let Some(h) = copy_hash.filter(|h| enacted && **h != a.content_hash) {
            bad(
                "content",
                FindingCode::AmendmentDamaged,
                format!(
                    "the stored copy of what amendment {} proposed hashes to {h}, not to {} (the content of version {} it created); the amendment cannot be reviewed",
                    a.number, a.content_hash, a.target_version
                ),
            );
        }
        let content_hash = match copy_hash {
            Some(h) if !enacted => h.clone(),
            _ => version_hash.map(str::to_string).unwrap_or_default(),
        };
        if content_hash != a.content_hash || proposal.content_hash != a.content_hash {
            ok = false;
            bad(
                "content",
                FindingCode::AmendmentInvalid,
                format!(
                    "the proposed content hashes to {content_hash}; the proposal names {}",
                    proposal.content_hash
                ),
            );
        }
        if proposal.agreement != rows.uid {
            ok = false;
            bad(
                "agreement",
                FindingCode::SignatureReplayed,
                format!(
                    "the proposal was made for agreement {}, not {}",
                    proposal.agreement, rows.uid
                ),
            );
        }
        for (field, signed, stored) in [
            ("number", proposal.number, a.number),
            ("base_version", proposal.base_version, a.base_version),
            ("version", proposal.version, a.target_version),
        ] {
            if signed != stored {
                ok = false;
                bad(
                    field,
                    FindingCode::AmendmentInvalid,
                    format!("the proposal says {field} {signed}, the database {stored}"),
                );
            }
        }
        if hashes.get(&proposal.base_version).copied() != Some(proposal.base_hash.as_str()) {
            ok = false;
            bad(
                "base_hash",
                FindingCode::AmendmentInvalid,
                format!(
                    "the proposal is based on version {} with hash {}, which this history does not have",
                    proposal.base_version, proposal.base_hash
                ),
            );
        }
        match (&proposal.proposer, &a.signature) {
            (None, None) => {}
            (Some(key), Some(sig)) => {
                if !super::verify_signature(key, AMENDMENT_PREFIX, &a.proposal, sig) {
                    ok = false;
                    bad(
                        "signature",
                        FindingCode::SignatureInvalid,
                        format!("the proposer's signature by {} does not verify", who(key)),
                    );
                } else if !trust.get(key.as_str()).is_some_and(|k| k.trusted) {
                    ok = false;
                    bad(
                        "proposer",
                        FindingCode::SignerUntrusted,
                        format!(
                            "the proposal is signed by {}, which is not in the trust list",
                            who(key)
                        ),
                    );
                }
            }
            _ => {
                ok = false;
                bad(
                    "signature",
                    FindingCode::SignatureInvalid,
                    "the proposal names a proposer but has no signature, or the reverse".into(),
                );
            }
        }
        if ok {
            valid_amendments.insert(
                (a.number, a.content_hash.clone()),
                (
                    proposal.content_hash.clone(),
                    proposal.version,
                    proposal.base_hash.clone(),
                ),
            );
        }
    }

    // ---- signatures
    let statements = parallel_statements(rows);
    // (version, content hash) → roles approving it by a valid signature
    let mut approvals: HashMap<(u32, String), Vec<Role>> = HashMap::new();
    for (i, (s, parsed)) in rows.signatures.iter().zip(statements).enumerate() {
        let pos = i as u32 + 1;
        let mut bad = |field: Option<&str>, code: FindingCode, message: String| {
            findings.push(VerificationFinding {
                code,
                version: Some(s.version),
                amendment: s.amendment,
                signature: Some(pos),
                field: field.map(Into::into),
                message,
            })
        };
        let (st, sig_ok) = match parsed {
            Ok(p) => p,
            Err(e) => {
                bad(
                    Some("statement"),
                    FindingCode::SignatureInvalid,
                    format!("the signed statement no longer parses: {e}"),
                );
                continue;
            }
        };
        let mut ok = true;
        if !sig_ok {
            ok = false;
            bad(
                Some("signature"),
                FindingCode::SignatureInvalid,
                format!(
                    "the signature by {} over the statement does not verify (forged or changed)",
                    who(&st.signer)
                ),
            );
        }
        if st.agreement != rows.uid {
            ok = false;
            bad(
                Some("agreement"),
                FindingCode::SignatureReplayed,
                format!(
                    "the statement was signed for agreement {}, not for this agreement ({})",
                    st.agreement, rows.uid
                ),
            );
        }
        if st.version != s.version || st.amendment != s.amendment {
            ok = false;
            bad(
                Some("version"),
                FindingCode::SignatureReplayed,
                format!(
                    "the statement was signed for version {}{}, but is stored as a signature of version {}{}",
                    st.version,
                    st.amendment.map(|a| format!(" (amendment {a})")).unwrap_or_default(),
                    s.version,
                    s.amendment.map(|a| format!(" (amendment {a})")).unwrap_or_default(),
                ),
            );
        }
        for (field, signed, stored) in [
            ("role", st.role.key(), s.role.as_str()),
            ("decision", st.decision.key(), s.decision.as_str()),
            ("signer", st.signer.as_str(), s.signer.as_str()),
            ("time", st.time.as_str(), s.signed_at.as_str()),
        ] {
            if signed != stored {
                ok = false;
                bad(
                    Some(field),
                    FindingCode::SignatureMismatch,
                    format!("the statement says {field} \"{signed}\", the database \"{stored}\""),
                );
            }
        }
        // What the statement approves must be what the history holds.
        match st.amendment {
            Some(n) => match valid_amendments.get(&(n, st.content_hash.clone())) {
                Some((hash, target, base)) => {
                    if *hash != st.content_hash
                        || *target != st.version
                        || st.previous_hash.as_deref() != Some(base.as_str())
                    {
                        ok = false;
                        bad(
                            Some("content_hash"),
                            FindingCode::SignatureReplayed,
                            format!("the statement names version {} after {} for amendment {n}, which proposes version {target} after {base}", st.version, st.previous_hash.as_deref().unwrap_or("-")),
                        );
                    }
                    // A version of other content under the same number means a concurrent
                    // amendment came into force first: this decision stays valid, and
                    // counts for nothing (approvals are keyed by content below).
                }
                None => {
                    ok = false;
                    bad(
                        Some("amendment"),
                        FindingCode::SignatureMismatch,
                        format!("the statement decides on amendment {n}, which this history does not have (or which is invalid)"),
                    );
                }
            },
            None => match rows.version(st.version) {
                Some(v) => {
                    if v.hash != st.content_hash || v.previous_hash != st.previous_hash {
                        ok = false;
                        bad(
                            Some("content_hash"),
                            FindingCode::SignatureMismatch,
                            format!(
                                "the statement approves version {} with hash {}, but the stored version {} has hash {}",
                                st.version, st.content_hash, v.number, v.hash
                            ),
                        );
                    }
                }
                None => {
                    ok = false;
                    bad(
                        Some("version"),
                        FindingCode::SignatureMismatch,
                        format!(
                            "the statement names version {}, which this history does not have",
                            st.version
                        ),
                    );
                }
            },
        }
        match trust.get(st.signer.as_str()) {
            Some(k) if k.trusted => {
                if !k.same_person_unconfirmed.is_empty() {
                    ok = false;
                    bad(
                        Some("signer"),
                        FindingCode::SignerAmbiguous,
                        format!(
                            "signed by {}, but the trusted key {} claims the same person and no decision to trust both was recorded; compare the fingerprints with them by phone, then distrust one or confirm the second key",
                            who(&st.signer),
                            k.same_person_unconfirmed.join(", ")
                        ),
                    );
                }
                if k.role != st.role {
                    ok = false;
                    bad(
                        Some("role"),
                        FindingCode::SignerRoleMismatch,
                        format!(
                            "{} signed as {} but their card names the role {}",
                            who(&st.signer),
                            st.role.label(),
                            k.role.label()
                        ),
                    );
                }
            }
            _ => {
                ok = false;
                bad(
                    Some("signer"),
                    FindingCode::SignerUntrusted,
                    format!(
                        "signed by {}, which is not in the trust list",
                        who(&st.signer)
                    ),
                );
            }
        }
        let mut signed_policy = st.policy.clone();
        signed_policy.sort();
        if signed_policy != policy {
            ok = false;
            bad(
                Some("policy"),
                FindingCode::PolicyMismatch,
                format!(
                    "the signer saw the policy {:?}, the database now has {:?}",
                    st.policy.iter().map(Role::key).collect::<Vec<_>>(),
                    rows.policy
                ),
            );
        }
        if ok && st.decision == Decision::Approve {
            approvals
                .entry((st.version, st.content_hash.clone()))
                .or_default()
                .push(st.role);
        }
    }

    // ---- status against signatures
    let mut approved: Vec<u32> = approvals
        .iter()
        .filter(|((v, hash), roles)| {
            hashes.get(v).copied() == Some(hash.as_str())
                && !policy.is_empty()
                && policy.iter().all(|r| roles.contains(r))
        })
        .map(|((v, _), _)| *v)
        .collect();
    approved.sort_unstable();
    approved.dedup();
    let in_force = approved.last().copied();
    // Once a version is in force, every later one comes from an approved amendment of the
    // version before it.
    if let Some(first) = approved.first() {
        for v in rows.versions.iter().filter(|v| v.number > *first) {
            let from_amendment = valid_amendments
                .iter()
                .any(|((_, hash), (_, target, base))| {
                    *target == v.number
                        && *hash == v.hash
                        && v.previous_hash.as_deref() == Some(base.as_str())
                });
            if !from_amendment {
                findings.push(VerificationFinding {
                    code: FindingCode::VersionOutsideAmendment,
                    version: Some(v.number),
                    amendment: None,
                    signature: None,
                    field: Some("content".into()),
                    message: format!(
                        "version {} was created after version {first} came into force, but not by an approved amendment",
                        v.number
                    ),
                });
            }
        }
    }
    if let Some(signed) = in_force {
        let stored = rows.effective_status();
        if matches!(stored, Status::Draft | Status::InReview) {
            findings.push(VerificationFinding {
                code: FindingCode::StatusMismatch,
                version: Some(signed),
                amendment: None,
                signature: None,
                field: Some("status".into()),
                message: format!(
                    "the agreement is marked {stored}, but valid signatures of every required role put version {signed} in force"
                ),
            });
        }
    }
    if rows.effective_status() == Status::InForce {
        let current = rows.current_version;
        if current.is_none() || current != in_force || policy.is_empty() {
            findings.push(VerificationFinding {
                code: FindingCode::InForceWithoutSignatures,
                version: current,
                amendment: None,
                signature: None,
                field: Some("status".into()),
                message: format!(
                    "the agreement is marked in force with version {}, but {}",
                    current.map_or("(none)".into(), |v| v.to_string()),
                    match in_force {
                        Some(v) => format!(
                            "valid signatures of every required role exist only up to version {v}"
                        ),
                        None => "no version has valid signatures of every required role".into(),
                    }
                ),
            });
        }
    }

    // ---- checkpoints
    let digests: Vec<String> = rows
        .signatures
        .iter()
        .map(|s| s.digest())
        .chain(rows.amendments.iter().map(|a| a.digest()))
        .collect();
    let local_records = digests.len() as u32;
    let local_records_hash = records_hash(digests);
    let local_versions = rows.versions.len() as u32;
    let mut checked = 0;
    for cp in checkpoints.iter().filter(|c| c.agreement == rows.uid) {
        checked += 1;
        let by = cp
            .signer
            .as_deref()
            .map(&who)
            .unwrap_or_else(|| "nobody".into());
        let mut cpf = |code: FindingCode, field: &str, message: String| {
            findings.push(VerificationFinding {
                code,
                version: None,
                amendment: None,
                signature: None,
                field: Some(format!("checkpoint.{field}")),
                message,
            })
        };
        if !cp.signature_valid() {
            cpf(
                FindingCode::CheckpointInvalid,
                "signature",
                format!(
                    "the checkpoint from {} signed by {by} does not verify",
                    cp.time
                ),
            );
            continue;
        }
        if !cp
            .signer
            .as_deref()
            .and_then(|k| trust.get(k))
            .is_some_and(|k| k.trusted)
        {
            cpf(
                FindingCode::CheckpointInvalid,
                "signer",
                format!(
                    "the checkpoint from {} is signed by {by}, which is not in the trust list",
                    cp.time
                ),
            );
            continue;
        }
        if cp.versions > local_versions {
            cpf(
                FindingCode::HistoryCutOff,
                "versions",
                format!(
                    "history cut off / older database restored: the checkpoint from {} by {by} names {} versions, this database has {local_versions}",
                    cp.time, cp.versions
                ),
            );
        } else if cp.versions > 0 && hashes.get(&cp.versions).copied() != cp.head.as_deref() {
            cpf(
                FindingCode::HistoryDiverged,
                "head",
                format!(
                    "the checkpoint from {} by {by} names {} as the hash of version {}, this database has {}",
                    cp.time,
                    cp.head.as_deref().unwrap_or("-"),
                    cp.versions,
                    hashes.get(&cp.versions).copied().unwrap_or("-")
                ),
            );
        }
        if cp.records > local_records {
            cpf(
                FindingCode::HistoryCutOff,
                "records",
                format!(
                    "history cut off / older database restored: the checkpoint from {} by {by} names {} signed records, this database has {local_records}",
                    cp.time, cp.records
                ),
            );
        } else if cp.records == local_records && cp.records_hash != local_records_hash {
            cpf(
                FindingCode::HistoryDiverged,
                "records_hash",
                format!(
                    "the checkpoint from {} by {by} names other signed records than this database holds ({} records each)",
                    cp.time, cp.records
                ),
            );
        }
    }

    VerificationReport {
        agreement: rows.id,
        uid: rows.uid.clone(),
        ok: findings.is_empty(),
        versions: local_versions,
        signatures: rows.signatures.len() as u32,
        amendments: rows.amendments.len() as u32,
        in_force: if rows.effective_status() == Status::InForce {
            in_force
        } else {
            None
        },
        signed_in_force: in_force,
        approved_versions: approved,
        checkpoints_checked: checked,
        checked_at: now.to_string(),
        findings,
    }
}

/// SHA-256 of each input, spread over the available cores for long histories.
fn parallel_hashes(inputs: Vec<&[u8]>) -> Vec<String> {
    parallel_map(&inputs, |b| crate::canonical::sha256_hex(b))
}

type ParsedStatement = Result<(Statement, bool), String>;

/// Parses every statement and checks its signature, in parallel.
fn parallel_statements(rows: &HistoryRows) -> Vec<ParsedStatement> {
    let items: Vec<&crate::store::SignatureRow> = rows.signatures.iter().collect();
    parallel_map(&items, |s| {
        let st: Statement = serde_json::from_str(&s.statement).map_err(|e| e.to_string())?;
        let ok = super::verify_signature(&st.signer, APPROVAL_PREFIX, &s.statement, &s.signature);
        Ok((st, ok))
    })
}

fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8);
    if threads < 2 || items.len() < 64 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a verification thread panicked"))
            .collect()
    })
}
