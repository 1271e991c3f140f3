//! How status follows from the signed decisions: which roles approved or rejected what
//! (counted only for trusted signers in their card's role, and only for the content a
//! decision names), where an amendment stands, and `settle`, which after every signature or
//! import puts the newest fully approved version in force, enacting an approved amendment as
//! the next version — with the note and time taken from the signed records, so every
//! machine writes the same version.

use crate::library::{parse_stored, Prepared};
use crate::record::{AgreementId, Status, StatusChange};
use crate::signing::history::{AmendmentState, Proposal};
use crate::signing::verify::Trust;
use crate::signing::{Policy, Role};
use crate::store::{AmendmentRow, HistoryRows, Tx, VersionRow};
use crate::{Error, Result};

/// Roles approving `content_hash` as `version` (directly, or through `amendment`) through
/// trusted signers in the role their card names.
pub(super) fn approved_roles(
    rows: &HistoryRows,
    trust: &Trust,
    version: u32,
    amendment: Option<u32>,
    content_hash: &str,
) -> Vec<Role> {
    rows.signatures
        .iter()
        .filter(|s| {
            s.decision == "approve"
                && s.version == version
                && s.amendment == amendment
                && s.content_hash == content_hash
        })
        .filter_map(|s| {
            let k = trust.get(&s.signer)?;
            (k.trusted && k.role.key() == s.role).then_some(k.role)
        })
        .collect()
}

/// Roles approving `version` directly or through the amendment that created it — never
/// through a concurrent amendment that proposed other content for the same version number.
pub(super) fn version_approved_roles(rows: &HistoryRows, trust: &Trust, version: u32) -> Vec<Role> {
    let Some(v) = rows.version(version) else {
        return Vec::new();
    };
    let mut roles = approved_roles(rows, trust, version, None, &v.hash);
    for a in rows
        .amendments
        .iter()
        .filter(|a| a.target_version == version && a.content_hash == v.hash)
    {
        roles.extend(approved_roles(
            rows,
            trust,
            version,
            Some(a.number),
            &v.hash,
        ));
    }
    roles
}

fn rejected(
    rows: &HistoryRows,
    trust: &Trust,
    version: u32,
    amendment: Option<u32>,
    content_hash: &str,
) -> bool {
    rows.signatures.iter().any(|s| {
        s.decision == "reject"
            && s.version == version
            && s.amendment == amendment
            && s.content_hash == content_hash
            && trust.get(&s.signer).is_some_and(|k| k.trusted)
    })
}

pub(super) fn version_rejected(rows: &HistoryRows, trust: &Trust, version: u32) -> bool {
    rows.version(version)
        .is_some_and(|v| rejected(rows, trust, version, None, &v.hash))
}

pub(super) fn amendment_state(
    rows: &HistoryRows,
    trust: &Trust,
    a: &AmendmentRow,
) -> AmendmentState {
    let base_hash = rows.version(a.base_version).map(|v| v.hash.as_str());
    let target = rows.version(a.target_version);
    if target.is_some_and(|v| v.hash == a.content_hash && v.previous_hash.as_deref() == base_hash) {
        return AmendmentState::Enacted;
    }
    if rejected(
        rows,
        trust,
        a.target_version,
        Some(a.number),
        &a.content_hash,
    ) {
        AmendmentState::Rejected
    } else if target.is_some()
        || rows.effective_status() != Status::InForce
        || rows.current_version != Some(a.base_version)
    {
        AmendmentState::Superseded
    } else {
        AmendmentState::Open
    }
}

/// Roles still missing from `a`'s approvals.
pub(super) fn amendment_missing(
    rows: &HistoryRows,
    trust: &Trust,
    policy: &Policy,
    a: &AmendmentRow,
) -> Vec<Role> {
    policy.missing(&approved_roles(
        rows,
        trust,
        a.target_version,
        Some(a.number),
        &a.content_hash,
    ))
}

/// Puts the newest fully approved version in force, enacting an approved amendment, or
/// returns a rejected version under review to draft. Returns the versions that came into
/// force.
pub(super) fn settle(tx: &Tx<'_>, id: AgreementId, trust: &Trust, now: &str) -> Result<Vec<u32>> {
    let mut enacted = Vec::new();
    // Each round enacts at most one version; amendments chain one after another.
    for _ in 0..10_000 {
        let rows = tx.history(id, false)?;
        if rows.status == Status::Archived {
            break;
        }
        let policy = Policy::from_keys(&rows.policy)?;
        let Some(current) = rows.current_version else {
            break;
        };
        match rows.status {
            Status::Draft | Status::InReview => {
                if policy
                    .missing(&version_approved_roles(&rows, trust, current))
                    .is_empty()
                {
                    tx.set_status(id, StatusChange::Signed(Status::InForce), now)?;
                    enacted.push(current);
                    continue;
                }
                if rows.status == Status::InReview && version_rejected(&rows, trust, current) {
                    tx.set_status(id, StatusChange::Signed(Status::Draft), now)?;
                }
                break;
            }
            Status::InForce => {
                // Amendments are sorted by number and content hash: should two concurrent ones
                // both be fully approved, every machine enacts the same one.
                let ready = rows.amendments.iter().find(|a| {
                    amendment_state(&rows, trust, a) == AmendmentState::Open
                        && a.target_version == current + 1
                        && amendment_missing(&rows, trust, &policy, a).is_empty()
                });
                let Some(a) = ready else { break };
                let base = rows.version(current).ok_or_else(|| {
                    Error::Corrupt(format!("agreement {id} lacks its version {current}"))
                })?;
                let content = tx.amendment_content(id, a.number, &a.content_hash)?;
                let reason = serde_json::from_str::<Proposal>(&a.proposal)
                    .map(|p| p.reason)
                    .unwrap_or_default();
                let agreement = parse_stored(
                    &content,
                    &format!("amendment {} of agreement {id}", a.number),
                )?;
                tx.insert_version(
                    id,
                    &VersionRow {
                        number: a.target_version,
                        hash: a.content_hash.clone(),
                        previous_hash: Some(base.hash.clone()),
                        note: enacted_note(a.number, &reason),
                        created_at: enacted_at(&rows, trust, &policy, a)
                            .unwrap_or_else(|| now.to_string()),
                        content,
                        content_sha256: None,
                    },
                    now,
                )?;
                let prepared = Prepared::new(&agreement)?;
                tx.set_draft(id, &prepared.row(&agreement), now)?;
                enacted.push(a.target_version);
            }
            _ => break,
        }
    }
    Ok(enacted)
}

/// The note of a version an amendment created: derived from the signed proposal, so every
/// machine writes the same one.
pub(super) fn enacted_note(number: u32, reason: &str) -> String {
    clip_note(&format!("amendment {number}: {reason}"))
}

/// When an amendment came into force: the time of the approval that completed its policy
/// (for each required role its first trusted approval; the latest of those). Taken from the
/// signed statements, so every machine that enacts it records the same time.
pub(super) fn enacted_at(
    rows: &HistoryRows,
    trust: &Trust,
    policy: &Policy,
    a: &AmendmentRow,
) -> Option<String> {
    policy
        .required
        .iter()
        .map(|role| {
            rows.signatures
                .iter()
                .filter(|s| a.decided_by(s) && s.decision == "approve" && s.role == role.key())
                .filter(|s| {
                    trust
                        .get(&s.signer)
                        .is_some_and(|k| k.trusted && k.role == *role)
                })
                .map(|s| s.signed_at.clone())
                .min()
        })
        .collect::<Option<Vec<String>>>()?
        .into_iter()
        .max()
}

fn clip_note(s: &str) -> String {
    let max = crate::interchange::MAX_FIELD_BYTES;
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}
