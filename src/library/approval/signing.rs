//! Signing decisions on [`Library`]: requesting approval of a version, and the one path
//! (`decide`) by which an approval or rejection — of a version or of an amendment — is
//! checked, signed and stored, after which `settle` derives the status.

use serde::{Deserialize, Serialize};

use super::settle::{amendment_state, approved_roles, settle, version_rejected};
use super::trust::{known_cards, trust_of};
use crate::library::Library;
use crate::record::{AgreementId, Status};
use crate::signing::history::{AmendmentRef, AmendmentState, ApprovalRequest, Statement};
use crate::signing::{sign_bytes, Decision, Policy, Role, APPROVAL_PREFIX};
use crate::store::SignatureRow;
use crate::{Error, Result};

/// The result of signing, approving or rejecting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SignOutcome {
    pub agreement: AgreementId,
    /// The version decided on (for an amendment: the version it creates).
    pub version: u32,
    pub amendment: Option<u32>,
    pub role: Role,
    pub decision: Decision,
    /// The agreement's status afterwards.
    pub status: Status,
    /// The version in force afterwards, if any.
    pub in_force: Option<u32>,
    /// Required roles that still have to approve.
    pub missing_roles: Vec<Role>,
}

/// What a decision is about.
#[derive(Clone)]
pub(super) enum Target {
    Version(u32),
    Amendment(AmendmentRef),
}

pub(super) fn check_comment(comment: &str, field: &str, required: bool) -> Result<String> {
    let c = comment.trim();
    if required && c.is_empty() {
        return Err(Error::invalid(
            field,
            "a rejection needs a comment saying why",
        ));
    }
    if c.len() > crate::interchange::MAX_FIELD_BYTES {
        return Err(Error::invalid(field, "the text is too long"));
    }
    // Reasons and comments print in the history, the PDF and the terminal: no control or
    // bidirectional formatting characters.
    if let Some(why) = crate::interchange::refused_character(c) {
        return Err(Error::invalid(field, format!("the text {why}")));
    }
    Ok(c.to_string())
}

impl Library {
    /// Puts the newest frozen version up for approval (status `in_review`).
    pub fn request_approval(&self, id: AgreementId) -> Result<ApprovalRequest> {
        let (rows, trust) = self
            .store()
            .read(|tx| Ok((tx.history(id, false)?, trust_of(&known_cards(tx)?))))?;
        let policy = Policy::from_keys(&rows.policy)?;
        match rows.effective_status() {
            Status::InForce | Status::Superseded => {
                return Err(Error::NotAllowed(format!(
                    "agreement {id} is in force; changes go through amendments"
                )))
            }
            _ if rows.status == Status::Archived => {
                return Err(Error::NotAllowed(format!(
                    "agreement {id} is archived; unarchive it first"
                )))
            }
            _ => {}
        }
        let Some(v) = rows.versions.last() else {
            return Err(Error::NotAllowed(format!(
                "agreement {id} has no frozen version; freeze the draft first"
            )));
        };
        if version_rejected(&rows, &trust, v.number) {
            return Err(Error::NotAllowed(format!(
                "version {} of agreement {id} was rejected; change the draft and freeze a new version",
                v.number
            )));
        }
        let status = self.request_review(id)?;
        Ok(ApprovalRequest {
            agreement: id,
            version: v.number,
            content_hash: v.hash.clone(),
            required: policy.required,
            status,
        })
    }

    /// Signs the approval of `version` (the one under review) as `identity`. When every
    /// required role has approved, the version comes into force.
    pub fn sign(
        &self,
        id: AgreementId,
        version: u32,
        identity: &str,
        passphrase: &str,
    ) -> Result<SignOutcome> {
        self.decide(
            id,
            Target::Version(version),
            identity,
            passphrase,
            Decision::Approve,
            "",
        )
    }

    /// Signs a rejection of the version under review; the agreement returns to draft.
    pub fn reject_version(
        &self,
        id: AgreementId,
        version: u32,
        identity: &str,
        passphrase: &str,
        comment: &str,
    ) -> Result<SignOutcome> {
        self.decide(
            id,
            Target::Version(version),
            identity,
            passphrase,
            Decision::Reject,
            comment,
        )
    }

    pub(super) fn decide(
        &self,
        id: AgreementId,
        target: Target,
        identity: &str,
        passphrase: &str,
        decision: Decision,
        comment: &str,
    ) -> Result<SignOutcome> {
        let comment = check_comment(comment, "comment", decision == Decision::Reject)?;
        let (card, keys) = self.unlock(identity, passphrase)?;
        let now = self.now();
        self.store().write(|tx| {
            let rows = tx.history(id, false)?;
            if rows.status == Status::Archived {
                return Err(Error::NotAllowed(format!("agreement {id} is archived; unarchive it first")));
            }
            let policy = Policy::from_keys(&rows.policy)?;
            if !policy.requires(card.role) {
                return Err(Error::NotAllowed(format!(
                    "the approval policy of agreement {id} does not ask for a {} (it requires {})",
                    card.role.label(),
                    policy.required.iter().map(Role::label).collect::<Vec<_>>().join(", ")
                )));
            }
            let trust = trust_of(&known_cards(tx)?);
            let key = keys.public_hex();
            let (version, content_hash, previous_hash, amendment) = match &target {
                Target::Version(v) => {
                    match rows.status {
                        Status::Draft => {
                            return Err(Error::NotAllowed(format!(
                                "agreement {id} is a draft; request approval first"
                            )))
                        }
                        Status::InReview => {}
                        _ => {
                            return Err(Error::NotAllowed(format!(
                                "agreement {id} is {}; changes go through amendments",
                                rows.status
                            )))
                        }
                    }
                    let v = *v;
                    if rows.current_version != Some(v) {
                        return Err(Error::NotAllowed(format!(
                            "version {v} of agreement {id} is not the one under review (that is version {})",
                            rows.current_version.map_or("-".into(), |c| c.to_string())
                        )));
                    }
                    let row = rows.version(v).ok_or(Error::VersionNotFound { agreement: id.0, version: v })?;
                    let content = tx.version_content(id, v)?;
                    if crate::canonical::sha256_hex(content.as_bytes()) != row.hash {
                        return Err(Error::VerificationFailed(format!(
                            "the stored content of version {v} does not match its hash; nothing was signed"
                        )));
                    }
                    (v, row.hash.clone(), row.previous_hash.clone(), None)
                }
                Target::Amendment(reference) => {
                    let a = rows.amendment(reference)?;
                    let n = a.number;
                    match amendment_state(&rows, &trust, a) {
                        AmendmentState::Open => {}
                        state => {
                            return Err(Error::NotAllowed(format!(
                                "amendment {n} of agreement {id} is {}; it can no longer be decided on",
                                serde_json::to_value(state).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
                            )))
                        }
                    }
                    // One person approves at most one of the open amendments of a version: were
                    // two concurrent ones approved by everyone, machines that saw the approvals
                    // in another order would bring different versions into force.
                    if decision == Decision::Approve {
                        if let Some(other) = rows.amendments.iter().find(|o| {
                            !std::ptr::eq(*o, a)
                                && o.base_version == a.base_version
                                && amendment_state(&rows, &trust, o) == AmendmentState::Open
                                && rows.signatures.iter().any(|s| {
                                    o.decided_by(s) && s.signer == key && s.decision == "approve"
                                })
                        }) {
                            return Err(Error::NotAllowed(format!(
                                "{} already approved amendment {} ({}), which changes version {} too; one person approves only one of the open amendments of a version. Reject one of them, or wait until amendment {} is decided",
                                card.name,
                                other.number,
                                &other.content_hash[..12.min(other.content_hash.len())],
                                a.base_version,
                                other.number
                            )));
                        }
                    }
                    let base = rows.version(a.base_version).ok_or(Error::VersionNotFound { agreement: id.0, version: a.base_version })?;
                    let content = tx.amendment_content(id, n, &a.content_hash)?;
                    if crate::canonical::sha256_hex(content.as_bytes()) != a.content_hash {
                        return Err(Error::VerificationFailed(format!(
                            "the stored content of amendment {n} does not match its hash; nothing was signed"
                        )));
                    }
                    (a.target_version, a.content_hash.clone(), Some(base.hash.clone()), Some(n))
                }
            };
            if let Some(done) = rows.signatures.iter().find(|s| {
                s.signer == key
                    && s.version == version
                    && s.amendment == amendment
                    && s.content_hash == content_hash
            }) {
                return Err(Error::NotAllowed(format!(
                    "{} already signed a decision ({}) on this at {}",
                    card.name, done.decision, done.signed_at
                )));
            }
            let statement = Statement {
                agreement: rows.uid.clone(),
                version,
                content_hash: content_hash.clone(),
                previous_hash,
                role: card.role,
                signer: key.clone(),
                time: now.clone(),
                decision,
                amendment,
                comment: comment.clone(),
                policy: policy.required.clone(),
            };
            let text = statement.canonical();
            let signature = sign_bytes(&keys.ed25519, APPROVAL_PREFIX, &text);
            tx.insert_signature(
                id,
                &SignatureRow {
                    version,
                    amendment,
                    role: card.role.key().into(),
                    decision: decision.key().into(),
                    signer: key,
                    signed_at: now.clone(),
                    statement: text,
                    signature,
                    content_hash: content_hash.clone(),
                },
                &now,
            )?;
            settle(tx, id, &trust, &now)?;
            let rows = tx.history(id, false)?;
            Ok(SignOutcome {
                agreement: id,
                version,
                amendment,
                role: card.role,
                decision,
                status: rows.status,
                in_force: (rows.effective_status() == Status::InForce)
                    .then_some(rows.current_version)
                    .flatten(),
                missing_roles: policy.missing(&approved_roles(
                    &rows,
                    &trust,
                    version,
                    amendment,
                    &content_hash,
                )),
            })
        })
    }
}
