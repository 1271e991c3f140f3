//! Exchange files on [`Library`]: exporting an agreement's whole signed history (as a
//! history, an amendment proposal or an answer), and importing one — every element checked,
//! then the local history merged with the file verified as a whole, before anything is
//! written.

use super::checkpoints::{checkpoint_of, stored_checkpoints};
use super::settle::{settle, version_rejected};
use super::trust::{known_cards, trust_of};
use crate::library::{parse_stored, Library, Prepared};
use crate::record::{AgreementId, Status, StatusChange};
use crate::signing::bundle::{
    self, Bundle, BundleAgreement, BundleAmendment, BundleKind, BundleRequest, BundleSignature,
    BundleVersion, CheckedVersion, ImportOutcome,
};
use crate::signing::history::Proposal;
use crate::signing::identity::IdentityCard;
use crate::signing::verify;
use crate::signing::{display_fingerprint, fingerprint_hex, Policy};
use crate::store::{AmendmentRow, HistoryRows, SignatureRow, Tx, VersionRow};
use crate::{Error, Problem, Result};

impl Library {
    /// Writes an exchange file: the full history, one amendment proposal, or the answer to
    /// one. Refused when the local history does not verify. The checkpoint is signed by
    /// `identity`.
    pub fn export_bundle(
        &self,
        id: AgreementId,
        request: BundleRequest,
        identity: &str,
        passphrase: &str,
    ) -> Result<Vec<u8>> {
        let (_, keys) = self.unlock(identity, passphrase)?;
        let now = self.now();
        let (rows, cards, seen) = self.store().read(|tx| {
            let rows = tx.history(id, true)?;
            let seen = stored_checkpoints(tx, &rows.uid)?;
            Ok((rows, known_cards(tx)?, seen))
        })?;
        let trust = trust_of(&cards);
        let report = verify::verify(&rows, &trust, &seen, &now);
        if !report.ok {
            return Err(Error::VerificationFailed(format!(
                "agreement {id} cannot be exported: {}",
                report
                    .findings
                    .iter()
                    .map(|f| f.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            )));
        }
        // Every kind carries the whole signed history: the receiver then never lacks the
        // version an amendment is based on or the approvals that put it in force, whatever
        // it received before and in which order. The kind says what the file is for.
        let kind = match request {
            BundleRequest::History => BundleKind::History,
            BundleRequest::Amendment { amendment: n }
            | BundleRequest::Answer { amendment: Some(n) } => {
                if !rows.amendments.iter().any(|a| a.number == n) {
                    return Err(Error::AmendmentNotFound {
                        agreement: id.0,
                        amendment: n,
                    });
                }
                if matches!(request, BundleRequest::Amendment { .. }) {
                    BundleKind::Amendment
                } else {
                    BundleKind::Answer
                }
            }
            BundleRequest::Answer { amendment: None } => {
                if !rows.signatures.iter().any(|s| s.amendment.is_none()) {
                    return Err(Error::NotAllowed(format!(
                        "agreement {id} has no decisions on a version to answer with"
                    )));
                }
                BundleKind::Answer
            }
        };
        let versions: Vec<&VersionRow> = rows.versions.iter().collect();
        let amendments: Vec<&AmendmentRow> = rows.amendments.iter().collect();
        let signatures: Vec<&SignatureRow> = rows.signatures.iter().collect();
        let mut keys_needed: Vec<String> = signatures.iter().map(|s| s.signer.clone()).collect();
        for a in &amendments {
            if let Ok(Proposal {
                proposer: Some(k), ..
            }) = serde_json::from_str(&a.proposal)
            {
                keys_needed.push(k);
            }
        }
        keys_needed.push(keys.public_hex());
        let bundle_cards: Vec<IdentityCard> = cards
            .iter()
            .filter(|c| keys_needed.contains(&c.card.key))
            .map(|c| c.card.clone())
            .collect();
        let parse_value = |text: &str, what: &str| {
            serde_json::from_str::<serde_json::Value>(text)
                .map_err(|e| Error::Corrupt(format!("{what} no longer parses: {e}")))
        };
        let mut bundle_versions = Vec::with_capacity(versions.len());
        for v in versions {
            bundle_versions.push(BundleVersion {
                number: v.number,
                hash: v.hash.clone(),
                previous_hash: v.previous_hash.clone(),
                note: v.note.clone(),
                created_at: v.created_at.clone(),
                content: parse_value(&v.content, &format!("version {}", v.number))?,
            });
        }
        let mut bundle_amendments = Vec::with_capacity(amendments.len());
        for a in amendments {
            bundle_amendments.push(BundleAmendment {
                proposal: serde_json::from_str(&a.proposal).map_err(|e| {
                    Error::Corrupt(format!("amendment {} no longer parses: {e}", a.number))
                })?,
                signature: a.signature.clone(),
                content: match &a.content {
                    Some(c) => parse_value(c, &format!("amendment {}", a.number))?,
                    None => match rows.version(a.target_version) {
                        Some(v) if v.hash == a.content_hash => {
                            parse_value(&v.content, &format!("version {}", v.number))?
                        }
                        _ => {
                            return Err(Error::Corrupt(format!(
                                "amendment {} of agreement {id} has no content",
                                a.number
                            )))
                        }
                    },
                },
                created_at: a.created_at.clone(),
            });
        }
        let mut bundle_signatures = Vec::with_capacity(signatures.len());
        for s in signatures {
            bundle_signatures.push(BundleSignature {
                statement: serde_json::from_str(&s.statement).map_err(|e| {
                    Error::Corrupt(format!(
                        "a signature of agreement {id} no longer parses: {e}"
                    ))
                })?,
                signature: s.signature.clone(),
            });
        }
        let mut checkpoint = checkpoint_of(&rows, &now);
        checkpoint.sign(&keys.ed25519);
        let policy = Policy::from_keys(&rows.policy)?;
        let mut bundle = Bundle {
            format: bundle::FORMAT.into(),
            version: bundle::VERSION,
            kind,
            agreement: BundleAgreement {
                uid: rows.uid.clone(),
                title: rows.title.clone(),
            },
            policy: policy.required,
            versions: bundle_versions,
            amendments: bundle_amendments,
            signatures: bundle_signatures,
            cards: bundle_cards,
            checkpoint,
            signature: String::new(),
        };
        bundle.sign(&keys.ed25519);
        Ok(bundle::to_json(&bundle))
    }

    /// Imports an exchange file. Everything is checked first — each element, then the local
    /// history merged with the file as a whole; a forged, truncated or tampered file, or one
    /// signed by keys not in the trust list, is refused and nothing is written. Importing the
    /// same file again changes nothing.
    pub fn import_bundle(&self, bytes: &[u8]) -> Result<ImportOutcome> {
        let checked = bundle::parse(bytes)?;
        let now = self.now();
        self.store().write(|tx| import_checked(tx, checked, &now))
    }
}

fn bundle_error(path: impl Into<String>, message: impl Into<String>) -> Error {
    Error::BundleInvalid(vec![Problem {
        path: path.into(),
        message: message.into(),
    }])
}

fn import_checked(tx: &Tx<'_>, checked: bundle::Checked, now: &str) -> Result<ImportOutcome> {
    let b = &checked.bundle;
    let uid = &b.agreement.uid;
    let cards = known_cards(tx)?;
    let trust = trust_of(&cards);

    // Every signer, proposer and the checkpoint's signer must be in the trust list.
    let mut keys: Vec<(String, String)> = b
        .signatures
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                s.statement.signer.clone(),
                format!("$.signatures[{i}].statement.signer"),
            )
        })
        .collect();
    for (i, a) in b.amendments.iter().enumerate() {
        if let Some(k) = &a.proposal.proposer {
            keys.push((k.clone(), format!("$.amendments[{i}].proposal.proposer")));
        }
    }
    if let Some(k) = &b.checkpoint.signer {
        keys.push((k.clone(), "$.checkpoint.signer".into()));
    }
    let mut untrusted: Vec<String> = Vec::new();
    for (key, path) in &keys {
        if trust.get(key).is_some_and(|k| k.trusted) {
            continue;
        }
        let fp = fingerprint_hex(key);
        let who = b
            .cards
            .iter()
            .find(|c| &c.key == key)
            .map(|c| format!("{} ({}, {})", c.name, c.organisation, c.role.label()))
            .unwrap_or_else(|| "an unknown person".into());
        let line = format!(
            "{path}: {who} with fingerprint {}",
            display_fingerprint(&fp)
        );
        if !untrusted
            .iter()
            .any(|u| u.contains(&display_fingerprint(&fp)))
        {
            untrusted.push(line);
        }
    }
    if !untrusted.is_empty() {
        return Err(Error::UntrustedSigner(format!(
            "the exchange file is signed by keys not in your trust list: {}; import their identity cards (and compare the fingerprints) first. Nothing was imported",
            untrusted.join("; ")
        )));
    }

    let existing = tx.agreement_by_uid(uid)?;
    let in_force_before = match existing {
        Some(id) => {
            let local = tx.history(id, false)?;
            (local.effective_status() == Status::InForce)
                .then_some(local.current_version)
                .flatten()
        }
        None => None,
    };
    let mut rows = match existing {
        Some(id) => tx.history(id, true)?,
        None => {
            if b.kind != BundleKind::History {
                return Err(bundle_error(
                    "$.agreement.uid",
                    format!(
                        "agreement {uid} is not in this database; import its full history first"
                    ),
                ));
            }
            HistoryRows {
                id: AgreementId(0),
                uid: uid.clone(),
                title: b.agreement.title.clone(),
                status: Status::Draft,
                status_before_archive: None,
                current_version: None,
                policy: b.policy.iter().map(|r| r.key().to_string()).collect(),
                versions: Vec::new(),
                signatures: Vec::new(),
                amendments: Vec::new(),
            }
        }
    };
    let bundle_policy: Vec<String> = {
        let mut p: Vec<String> = b.policy.iter().map(|r| r.key().to_string()).collect();
        p.sort();
        p.dedup();
        p
    };
    let mut local_policy = rows.policy.clone();
    local_policy.sort();
    let adopt_policy = local_policy != bundle_policy;
    if adopt_policy {
        if !rows.signatures.is_empty() || rows.effective_status() == Status::InForce {
            return Err(bundle_error(
                "$.policy",
                format!("the file's approval policy {bundle_policy:?} differs from this database's {local_policy:?}"),
            ));
        }
        rows.policy = bundle_policy.clone();
    }

    // Merge, remembering where each new element came from.
    let local_versions = rows.versions.len();
    let mut new_versions = Vec::new();
    for (i, v) in checked.versions.iter().enumerate() {
        match rows.version(v.number) {
            Some(local) if local.hash == v.hash => {}
            Some(local) => {
                return Err(bundle_error(
                    format!("$.versions[{i}].hash"),
                    format!(
                        "conflicts with version {} in this database (hash {})",
                        v.number, local.hash
                    ),
                ))
            }
            None => {
                let next = rows.versions.iter().map(|x| x.number).max().unwrap_or(0) + 1;
                if v.number != next {
                    return Err(bundle_error(
                        format!("$.versions[{i}].number"),
                        format!(
                            "version {} cannot follow this database's version {}",
                            v.number,
                            next - 1
                        ),
                    ));
                }
                rows.versions.push(version_row(v));
                new_versions.push(i);
            }
        }
    }
    let mut new_amendments = Vec::new();
    for (i, (a, (text, content))) in b.amendments.iter().zip(&checked.amendments).enumerate() {
        let row = AmendmentRow {
            number: a.proposal.number,
            base_version: a.proposal.base_version,
            target_version: a.proposal.version,
            proposal: text.clone(),
            signature: a.signature.clone(),
            content: Some(content.clone()),
            content_hash: a.proposal.content_hash.clone(),
            created_at: a.created_at.clone(),
        };
        // Two concurrent proposals may share a number; they differ in the content proposed.
        let local = rows
            .amendments
            .iter()
            .find(|l| l.number == row.number && l.content_hash == row.content_hash);
        match local {
            Some(local) if local.digest() == row.digest() => {}
            Some(_) => {
                return Err(bundle_error(
                    format!("$.amendments[{i}].proposal"),
                    format!(
                        "conflicts with another proposal of amendment {} with the same content in this database",
                        row.number
                    ),
                ))
            }
            None => {
                rows.amendments.push(row);
                new_amendments.push(i);
            }
        }
    }
    rows.amendments
        .sort_by(|x, y| (x.number, &x.content_hash).cmp(&(y.number, &y.content_hash)));
    rows.current_version = rows.versions.iter().map(|v| v.number).max();
    let local_signatures = rows.signatures.len();
    let mut new_signatures = Vec::new();
    for (i, (s, text)) in b.signatures.iter().zip(&checked.statements).enumerate() {
        if rows.signatures.iter().any(|l| l.signature == s.signature) {
            continue;
        }
        let st = &s.statement;
        rows.signatures.push(SignatureRow {
            version: st.version,
            amendment: st.amendment,
            role: st.role.key().into(),
            decision: st.decision.key().into(),
            signer: st.signer.clone(),
            signed_at: st.time.clone(),
            statement: text.clone(),
            signature: s.signature.clone(),
            content_hash: st.content_hash.clone(),
        });
        new_signatures.push(i);
    }

    // Verify the merged history as a whole before writing anything. The stored status is
    // not part of it: `settle` derives it from the merged signatures after the write.
    let report = verify::verify(&rows, &trust, &[], now);
    let findings: Vec<&verify::VerificationFinding> = report
        .findings
        .iter()
        .filter(|f| f.code != verify::FindingCode::StatusMismatch)
        .collect();
    if !findings.is_empty() {
        let problems = findings
            .iter()
            .map(|f| {
                let path = match (f.signature, f.version) {
                    (Some(pos), _) if (pos as usize) > local_signatures => {
                        format!(
                            "$.signatures[{}]",
                            new_signatures[pos as usize - 1 - local_signatures]
                        )
                    }
                    (None, Some(v)) if f.amendment.is_none() => rows
                        .versions
                        .iter()
                        .position(|x| x.number == v)
                        .filter(|p| *p >= local_versions)
                        .map(|p| format!("$.versions[{}]", new_versions[p - local_versions]))
                        .unwrap_or_else(|| format!("(this database) version {v}")),
                    // Only a copy stored here can be damaged: the file's copies were checked
                    // against their hashes when it was read.
                    (None, _) if f.code == verify::FindingCode::AmendmentDamaged => {
                        format!("(this database) amendment {}", f.amendment.unwrap_or(0))
                    }
                    (None, _) if f.amendment.is_some() => {
                        let n = f.amendment.unwrap_or(0);
                        b.amendments
                            .iter()
                            .position(|a| a.proposal.number == n)
                            .map(|p| format!("$.amendments[{p}]"))
                            .unwrap_or_else(|| format!("(this database) amendment {n}"))
                    }
                    _ => "(this database)".into(),
                };
                Problem {
                    path: match &f.field {
                        Some(field) if path.starts_with('$') => format!("{path}.{field}"),
                        _ => path,
                    },
                    message: f.to_string(),
                }
            })
            .collect();
        return Err(Error::BundleInvalid(problems));
    }

    // Write.
    let created = existing.is_none();
    let id = match existing {
        Some(id) => id,
        None => {
            let newest = rows.versions.last().ok_or_else(|| {
                bundle_error("$.versions", "a history needs at least one version")
            })?;
            let agreement =
                parse_stored(&newest.content, "the newest version in the exchange file")?;
            let prepared = Prepared::new(&agreement)?;
            tx.insert_agreement(Some(uid), "", &prepared.row(&agreement), now)?
        }
    };
    if adopt_policy || created {
        let keys: Vec<&str> = bundle_policy.iter().map(String::as_str).collect();
        tx.set_policy(id, &keys)?;
    }
    // Signatures first: a version that comes into force is only accepted with them.
    for a in &rows.amendments {
        if new_amendments.iter().any(|&i| {
            b.amendments[i].proposal.number == a.number
                && b.amendments[i].proposal.content_hash == a.content_hash
        }) {
            tx.insert_amendment(id, a)?;
        }
    }
    let mut added_signatures = 0;
    for s in rows.signatures.iter().skip(local_signatures) {
        if tx.insert_signature(id, s, now)? {
            added_signatures += 1;
        }
    }
    for &i in &new_versions {
        tx.insert_version(id, &version_row(&checked.versions[i]), now)?;
    }
    let cp = &b.checkpoint;
    tx.insert_checkpoint(uid, &cp.to_text(), cp.versions, cp.records, now)?;
    let mut enacted = settle(tx, id, &trust, now)?;
    // Versions the file brought in force (the exporter enacted them first) count too.
    let after_settle = tx.history(id, false)?;
    if after_settle.effective_status() == Status::InForce {
        if let Some(now_in_force) = after_settle.current_version {
            let from = in_force_before.map_or(1, |v| v + 1);
            for v in from..=now_in_force {
                if !enacted.contains(&v) {
                    enacted.push(v);
                }
            }
            enacted.sort_unstable();
        }
    }
    let after = tx.history(id, false)?;
    if created && after.status == Status::Draft && !new_versions.is_empty() {
        let newest = after.current_version;
        if newest.is_some_and(|v| !version_rejected(&after, &trust, v)) {
            tx.set_status(id, StatusChange::Signed(Status::InReview), now)?;
        }
    }
    if !new_versions.is_empty() && after.effective_status() == Status::InForce {
        // The draft follows the newest version in force.
        if let Some(v) = after.current_version {
            let content = tx.version_content(id, v)?;
            let agreement = parse_stored(&content, "the version in force")?;
            let prepared = Prepared::new(&agreement)?;
            tx.set_draft(id, &prepared.row(&agreement), now)?;
        }
    }
    let status = tx.history(id, false)?.status;
    let changed =
        created || !new_versions.is_empty() || !new_amendments.is_empty() || added_signatures > 0;
    Ok(ImportOutcome {
        agreement: id,
        kind: b.kind,
        created,
        added_versions: new_versions.len() as u32,
        added_amendments: new_amendments.len() as u32,
        added_signatures,
        enacted,
        status,
        changed,
    })
}

/// A version from an exchange file as the store keeps it (hashed again when it is verified).
fn version_row(v: &CheckedVersion) -> VersionRow {
    VersionRow {
        number: v.number,
        hash: v.hash.clone(),
        previous_hash: v.previous_hash.clone(),
        note: v.note.clone(),
        created_at: v.created_at.clone(),
        content: v.content.clone(),
        content_sha256: None,
    }
}
