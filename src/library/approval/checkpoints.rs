//! Checkpoints on [`Library`]: the current checkpoint of an agreement's history (unsigned,
//! or signed by an own identity), and remembering checkpoints from PDFs and files so later
//! verification notices a cut-off or restored history.

use super::trust::{known_cards, trust_of};
use crate::library::Library;
use crate::record::AgreementId;
use crate::signing::checkpoint::{records_hash, Checkpoint};
use crate::store::{AmendmentRow, HistoryRows, SignatureRow, Snapshot};
use crate::{Error, Result};

impl Library {
    /// The agreement's current checkpoint, unsigned (for display and PDFs).
    pub fn checkpoint(&self, id: AgreementId) -> Result<Checkpoint> {
        let now = self.now();
        let rows = self.store().read(|tx| tx.history(id, false))?;
        Ok(checkpoint_of(&rows, &now))
    }

    /// The agreement's current checkpoint signed by an own identity.
    pub fn signed_checkpoint(
        &self,
        id: AgreementId,
        identity: &str,
        passphrase: &str,
    ) -> Result<Checkpoint> {
        let (_, keys) = self.unlock(identity, passphrase)?;
        let mut cp = self.checkpoint(id)?;
        cp.sign(&keys.ed25519);
        Ok(cp)
    }

    /// Remembers a checkpoint (from a PDF or another file) so later verification compares
    /// against it. Refuses one whose signature does not verify or whose signer is not
    /// trusted. Returns false when it was already known.
    pub fn remember_checkpoint(&self, checkpoint: &Checkpoint) -> Result<bool> {
        if !checkpoint.signature_valid() {
            return Err(Error::SignatureInvalid(
                "the checkpoint's signature does not verify".into(),
            ));
        }
        let now = self.now();
        self.store().write(|tx| {
            let trust = trust_of(&known_cards(tx)?);
            if !checkpoint
                .signer
                .as_deref()
                .and_then(|k| trust.get(k))
                .is_some_and(|k| k.trusted)
            {
                return Err(Error::UntrustedSigner(
                    "the checkpoint is signed by a key that is not in the trust list".into(),
                ));
            }
            tx.insert_checkpoint(
                &checkpoint.agreement,
                &checkpoint.to_text(),
                checkpoint.versions,
                checkpoint.records,
                &now,
            )
        })
    }
}

pub(super) fn checkpoint_of(rows: &HistoryRows, now: &str) -> Checkpoint {
    let digests: Vec<String> = rows
        .signatures
        .iter()
        .map(SignatureRow::digest)
        .chain(rows.amendments.iter().map(AmendmentRow::digest))
        .collect();
    Checkpoint {
        agreement: rows.uid.clone(),
        versions: rows.versions.len() as u32,
        head: rows.versions.last().map(|v| v.hash.clone()),
        records: digests.len() as u32,
        records_hash: records_hash(digests),
        time: now.to_string(),
        signer: None,
        signature: None,
    }
}

pub(super) fn stored_checkpoints(tx: &Snapshot<'_>, uid: &str) -> Result<Vec<Checkpoint>> {
    Ok(tx
        .checkpoints(uid)?
        .iter()
        .filter_map(|t| Checkpoint::parse(t).ok())
        .collect())
}
