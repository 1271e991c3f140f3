//! The history timeline on [`Library`]: every version with the state verification derives
//! for it and its signatures, and every amendment. Nothing here trusts the stored status.

use super::amendments::summary;
use super::checkpoints::stored_checkpoints;
use super::settle::{amendment_state, enacted_at, enacted_note, version_rejected};
use super::trust::{known_cards, signer_ref, trust_of};
use crate::library::Library;
use crate::record::{AgreementId, Status};
use crate::signing::history::{
    AmendmentState, History, Proposal, SignatureEntry, Statement, VersionEntry, VersionState,
};
use crate::signing::verify::{self, Trust};
use crate::signing::{Decision, Policy, Role};
use crate::store::SignatureRow;
use crate::Result;

impl Library {
    /// The history timeline: every version with its state and signatures, every amendment.
    ///
    /// States come from verification, not from the stored status: a version is in force
    /// when valid signatures of every required role put it there, and a stored status that
    /// says otherwise shows as the verified one (with `verified` false). The note and time of
    /// a version an amendment created come from its signed proposal and approvals; those of
    /// a version frozen by hand are marked unsigned.
    pub fn history(&self, id: AgreementId) -> Result<History> {
        let now = self.now();
        let (rows, trust, seen) = self.store().read(|tx| {
            let rows = tx.history(id, true)?;
            let seen = stored_checkpoints(tx, &rows.uid)?;
            Ok((rows, trust_of(&known_cards(tx)?), seen))
        })?;
        let report = verify::verify(&rows, &trust, &seen, &now);
        let policy = Policy::from_keys(&rows.policy)?;
        let in_force = report.signed_in_force;
        let versions = rows
            .versions
            .iter()
            .map(|v| {
                let state = if Some(v.number) == in_force {
                    VersionState::InForce
                } else if report.approved_versions.contains(&v.number)
                    && in_force.is_some_and(|f| v.number < f)
                {
                    VersionState::Superseded
                } else if version_rejected(&rows, &trust, v.number) {
                    VersionState::Rejected
                } else if Some(v.number) == rows.current_version {
                    VersionState::Pending
                } else {
                    VersionState::Unapproved
                };
                let enacting = rows.amendments.iter().find(|a| {
                    a.target_version == v.number
                        && a.content_hash == v.hash
                        && amendment_state(&rows, &trust, a) == AmendmentState::Enacted
                });
                let signed_metadata = enacting.and_then(|a| {
                    let reason = serde_json::from_str::<Proposal>(&a.proposal).ok()?.reason;
                    Some((
                        enacted_note(a.number, &reason),
                        enacted_at(&rows, &trust, &policy, a)?,
                    ))
                });
                VersionEntry {
                    info: crate::record::VersionInfo {
                        agreement: id,
                        number: v.number,
                        hash: v.hash.clone(),
                        previous_hash: v.previous_hash.clone(),
                        note: signed_metadata
                            .as_ref()
                            .map_or_else(|| v.note.clone(), |(n, _)| n.clone()),
                        created_at: signed_metadata
                            .as_ref()
                            .map_or_else(|| v.created_at.clone(), |(_, t)| t.clone()),
                    },
                    state,
                    amendment: enacting.map(|a| a.number),
                    metadata_signed: signed_metadata.is_some(),
                    signatures: rows
                        .signatures
                        .iter()
                        .filter(|s| s.version == v.number && s.content_hash == v.hash)
                        .map(|s| entry(&trust, s))
                        .collect(),
                }
            })
            .collect();
        let status = match (rows.status, in_force) {
            (Status::Archived, _) => Status::Archived,
            (_, Some(_)) => Status::InForce,
            (Status::InForce | Status::Superseded, None) => Status::InReview,
            (stored, None) => stored,
        };
        Ok(History {
            agreement: id,
            uid: rows.uid.clone(),
            status,
            verified: report.ok,
            amendments: rows
                .amendments
                .iter()
                .map(|a| summary(&rows, &trust, &policy, a))
                .collect(),
            policy,
            in_force,
            versions,
        })
    }
}

pub(super) fn entry(trust: &Trust, s: &SignatureRow) -> SignatureEntry {
    let comment = serde_json::from_str::<Statement>(&s.statement)
        .map(|st| st.comment)
        .unwrap_or_default();
    SignatureEntry {
        version: s.version,
        amendment: s.amendment,
        role: s.role.parse().unwrap_or(Role::ServiceManager),
        decision: s.decision.parse().unwrap_or(Decision::Reject),
        signer: signer_ref(trust, &s.signer),
        signed_at: s.signed_at.clone(),
        comment,
    }
}
