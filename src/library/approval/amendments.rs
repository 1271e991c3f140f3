//! Amendments on [`Library`]: once a version is in force, changes go only through them.
//! Proposing one (signed by its proposer when named), listing and reviewing them, approving
//! and rejecting (through `decide`), and the amendments log derived from the signed history.

use super::history::entry;
use super::settle::{amendment_missing, amendment_state, version_approved_roles};
use super::signing::{check_comment, SignOutcome, Target};
use super::trust::{known_cards, signer_ref, trust_of};
use crate::canonical::canonical_with_hash;
use crate::library::{parse_stored, Library, Prepared};
use crate::model::Agreement;
use crate::record::{AgreementId, Status};
use crate::signing::history::{
    AmendmentLogEntry, AmendmentRef, AmendmentReview, AmendmentState, AmendmentSummary, Proposal,
    SignatureEntry,
};
use crate::signing::verify::Trust;
use crate::signing::{sign_bytes, Decision, Policy, AMENDMENT_PREFIX};
use crate::store::{AmendmentRow, HistoryRows};
use crate::{Error, Result};

impl Library {
    /// Refuses to freeze once signatures have put a version in force, whatever the stored
    /// status says (it can be changed behind Pactum's back): from then on, changes go only
    /// through amendments.
    pub(crate) fn refuse_outside_amendments(&self, id: AgreementId) -> Result<()> {
        let (rows, trust) = self
            .store()
            .read(|tx| Ok((tx.history(id, false)?, trust_of(&known_cards(tx)?))))?;
        let policy = Policy::from_keys(&rows.policy)?;
        if let Some(v) = rows.versions.iter().rev().find(|v| {
            policy
                .missing(&version_approved_roles(&rows, &trust, v.number))
                .is_empty()
        }) {
            return Err(Error::NotAllowed(format!(
                "version {} of agreement {id} is in force by its signatures; changes go through amendments",
                v.number
            )));
        }
        Ok(())
    }

    /// Proposes an amendment: `content` replaces the version in force once every required
    /// role approves. Signed by `proposer` (identity, passphrase) when given.
    pub fn propose_amendment(
        &self,
        id: AgreementId,
        content: &Agreement,
        reason: &str,
        proposer: Option<(&str, &str)>,
    ) -> Result<AmendmentSummary> {
        let reason = check_comment(reason, "reason", false)?;
        if reason.is_empty() {
            return Err(Error::invalid("reason", "an amendment needs a reason"));
        }
        Prepared::new(content)?; // the same validation as every draft
        let (text, hash) = canonical_with_hash(content)
            .map_err(|e| Error::invalid("$.agreement", e.to_string()))?;
        let keys = proposer.map(|(i, p)| self.unlock(i, p)).transpose()?;
        let now = self.now();
        self.store().write(|tx| {
            let rows = tx.history(id, false)?;
            if rows.status == Status::Archived {
                return Err(Error::NotAllowed(format!("agreement {id} is archived; unarchive it first")));
            }
            if rows.effective_status() != Status::InForce {
                return Err(Error::NotAllowed(format!(
                    "agreement {id} is not in force; edit and freeze the draft instead of amending it"
                )));
            }
            let current = rows.current_version.ok_or_else(|| Error::Corrupt(format!("agreement {id} is in force without a version")))?;
            let base = rows.version(current).ok_or_else(|| Error::Corrupt(format!("agreement {id} lacks version {current}")))?;
            if base.hash == hash {
                return Err(Error::NotAllowed(format!(
                    "the proposed content is identical to version {current}; change something first"
                )));
            }
            let trust = trust_of(&known_cards(tx)?);
            if let Some(dup) = rows.amendments.iter().find(|a| {
                a.content_hash == hash && amendment_state(&rows, &trust, a) == AmendmentState::Open
            }) {
                return Err(Error::NotAllowed(format!(
                    "amendment {} already proposes exactly this content",
                    dup.number
                )));
            }
            let number = rows.amendments.iter().map(|a| a.number).max().unwrap_or(0) + 1;
            let target = rows.versions.iter().map(|v| v.number).max().unwrap_or(0) + 1;
            let proposal = Proposal {
                agreement: rows.uid.clone(),
                number,
                base_version: current,
                base_hash: base.hash.clone(),
                version: target,
                content_hash: hash.clone(),
                reason: reason.clone(),
                time: now.clone(),
                proposer: keys.as_ref().map(|(_, k)| k.public_hex()),
            };
            let proposal_text = proposal.canonical();
            let row = AmendmentRow {
                number,
                base_version: current,
                target_version: target,
                signature: keys
                    .as_ref()
                    .map(|(_, k)| sign_bytes(&k.ed25519, AMENDMENT_PREFIX, &proposal_text)),
                proposal: proposal_text,
                content: Some(text.clone()),
                content_hash: hash.clone(),
                created_at: now.clone(),
            };
            tx.insert_amendment(id, &row)?;
            let rows = tx.history(id, false)?;
            let policy = Policy::from_keys(&rows.policy)?;
            let a = rows.amendment(&AmendmentRef::new(number, Some(hash.clone())))?;
            Ok(summary(&rows, &trust, &policy, a))
        })
    }

    /// Proposes an amendment from an interchange file (`pactum amend ID FILE`).
    pub fn propose_amendment_json(
        &self,
        id: AgreementId,
        bytes: &[u8],
        reason: &str,
        proposer: Option<(&str, &str)>,
    ) -> Result<AmendmentSummary> {
        let agreement = crate::interchange::from_json(bytes)?;
        self.propose_amendment(id, &agreement, reason, proposer)
    }

    /// Proposes the current draft as an amendment. While an agreement is in force its draft is
    /// the working copy for the next amendment.
    pub fn propose_amendment_from_draft(
        &self,
        id: AgreementId,
        reason: &str,
        proposer: Option<(&str, &str)>,
    ) -> Result<AmendmentSummary> {
        let draft = self.draft(id)?;
        self.propose_amendment(id, &draft.agreement, reason, proposer)
    }

    /// Every amendment of an agreement with its state and decisions.
    pub fn amendments(&self, id: AgreementId) -> Result<Vec<AmendmentSummary>> {
        let (rows, trust) = self
            .store()
            .read(|tx| Ok((tx.history(id, false)?, trust_of(&known_cards(tx)?))))?;
        let policy = Policy::from_keys(&rows.policy)?;
        Ok(rows
            .amendments
            .iter()
            .map(|a| summary(&rows, &trust, &policy, a))
            .collect())
    }

    /// One amendment for review: its decisions, the redline and changed terms against the
    /// version it is based on, and the proposed content.
    pub fn amendment(
        &self,
        id: AgreementId,
        amendment: impl Into<AmendmentRef>,
    ) -> Result<AmendmentReview> {
        let reference = amendment.into();
        let (rows, trust, content) = self.store().read(|tx| {
            let rows = tx.history(id, false)?;
            let a = rows.amendment(&reference)?;
            let content = tx.amendment_content(id, a.number, &a.content_hash)?;
            Ok((rows, trust_of(&known_cards(tx)?), content))
        })?;
        let policy = Policy::from_keys(&rows.policy)?;
        let a = rows.amendment(&reference)?;
        let number = a.number;
        if crate::canonical::sha256_hex(content.as_bytes()) != a.content_hash {
            return Err(Error::Corrupt(format!(
                "amendment {number} of agreement {id} does not match its hash"
            )));
        }
        let proposed = parse_stored(&content, &format!("amendment {number} of agreement {id}"))?;
        let base = self.version(id, a.base_version)?;
        let comparison = crate::diff::compare(&base.agreement, &proposed, proposed.language);
        Ok(AmendmentReview {
            summary: summary(&rows, &trust, &policy, a),
            comparison,
            proposed,
        })
    }

    /// Signs the approval of an amendment. When every required role has approved, its version
    /// comes into force and the one before is superseded.
    pub fn approve(
        &self,
        id: AgreementId,
        amendment: impl Into<AmendmentRef>,
        identity: &str,
        passphrase: &str,
    ) -> Result<SignOutcome> {
        self.decide(
            id,
            Target::Amendment(amendment.into()),
            identity,
            passphrase,
            Decision::Approve,
            "",
        )
    }

    /// Signs the rejection of an amendment, with a comment saying why.
    pub fn reject(
        &self,
        id: AgreementId,
        amendment: impl Into<AmendmentRef>,
        identity: &str,
        passphrase: &str,
        comment: &str,
    ) -> Result<SignOutcome> {
        self.decide(
            id,
            Target::Amendment(amendment.into()),
            identity,
            passphrase,
            Decision::Reject,
            comment,
        )
    }

    /// The amendments log (section 9) derived from the signed history: every enacted
    /// amendment with the version it created, its reason and approvers.
    pub fn amendment_log(&self, id: AgreementId) -> Result<Vec<AmendmentLogEntry>> {
        Ok(self
            .amendments(id)?
            .into_iter()
            .filter(|a| a.state == AmendmentState::Enacted)
            .map(|a| {
                let approvals: Vec<&SignatureEntry> = a
                    .decisions
                    .iter()
                    .filter(|d| d.decision == Decision::Approve)
                    .collect();
                AmendmentLogEntry {
                    amendment: a.number,
                    version: a.target_version,
                    reason: a.reason.clone(),
                    proposed_at: a.proposed_at.clone(),
                    in_force_since: approvals
                        .iter()
                        .map(|d| d.signed_at.clone())
                        .max()
                        .unwrap_or_default(),
                    approved_by: approvals
                        .iter()
                        .map(|d| format!("{} ({})", d.signer.name, d.role.label()))
                        .collect(),
                }
            })
            .collect())
    }
}

pub(super) fn summary(
    rows: &HistoryRows,
    trust: &Trust,
    policy: &Policy,
    a: &AmendmentRow,
) -> AmendmentSummary {
    let proposal: Option<Proposal> = serde_json::from_str(&a.proposal).ok();
    let decisions: Vec<SignatureEntry> = rows
        .signatures
        .iter()
        .filter(|s| a.decided_by(s))
        .map(|s| entry(trust, s))
        .collect();
    AmendmentSummary {
        agreement: rows.id,
        number: a.number,
        base_version: a.base_version,
        target_version: a.target_version,
        content_hash: a.content_hash.clone(),
        reason: proposal
            .as_ref()
            .map(|p| p.reason.clone())
            .unwrap_or_default(),
        proposed_at: a.created_at.clone(),
        proposer: proposal
            .and_then(|p| p.proposer)
            .map(|k| signer_ref(trust, &k)),
        state: amendment_state(rows, trust, a),
        decisions,
        missing_roles: amendment_missing(rows, trust, policy, a),
    }
}
