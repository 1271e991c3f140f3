//! Approval policies on [`Library`]: which roles must approve an agreement's versions and
//! amendments. Fixed once anyone has signed.

use crate::library::Library;
use crate::record::{AgreementId, Status};
use crate::signing::{Policy, Role};
use crate::{Error, Result};

impl Library {
    pub fn policy(&self, id: AgreementId) -> Result<Policy> {
        let rows = self.store().read(|tx| tx.history(id, false))?;
        Policy::from_keys(&rows.policy)
    }

    /// Sets which roles must approve. Only before anyone has signed and before the agreement
    /// is in force.
    pub fn set_policy(&self, id: AgreementId, roles: &[Role]) -> Result<Policy> {
        let policy = Policy::new(roles)?;
        self.store().write(|tx| {
            let rows = tx.history(id, false)?;
            if rows.effective_status() == Status::InForce || !rows.signatures.is_empty() {
                return Err(Error::NotAllowed(format!(
                    "the approval policy of agreement {id} is fixed once someone has signed"
                )));
            }
            let keys: Vec<&str> = policy.required.iter().map(Role::key).collect();
            tx.set_policy(id, &keys)
        })?;
        Ok(policy)
    }
}
