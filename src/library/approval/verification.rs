//! Verification on [`Library`]: the whole signed history of an agreement checked against the
//! trust list, its policy and every checkpoint seen (see `crate::signing::verify`).

use super::checkpoints::stored_checkpoints;
use super::trust::{known_cards, trust_of};
use crate::library::Library;
use crate::record::AgreementId;
use crate::signing::checkpoint::Checkpoint;
use crate::signing::verify::{self, VerificationReport};
use crate::Result;

impl Library {
    /// Verifies an agreement's whole signed history against the trust list, its policy and
    /// every checkpoint this database has seen.
    pub fn verify(&self, id: AgreementId) -> Result<VerificationReport> {
        self.verify_with_checkpoints(id, &[])
    }

    /// Like [`Library::verify`], also comparing against the given checkpoints (e.g. one
    /// printed in a PDF).
    pub fn verify_with_checkpoints(
        &self,
        id: AgreementId,
        checkpoints: &[Checkpoint],
    ) -> Result<VerificationReport> {
        let now = self.now();
        let (rows, trust, mut seen) = self.store().read(|tx| {
            let rows = tx.history(id, true)?;
            let seen = stored_checkpoints(tx, &rows.uid)?;
            Ok((rows, trust_of(&known_cards(tx)?), seen))
        })?;
        seen.extend(checkpoints.iter().cloned());
        Ok(verify::verify(&rows, &trust, &seen, &now))
    }
}
