//! Approval policy: which roles must approve before a version comes into force.

use serde::{Deserialize, Serialize};

use super::Role;
use crate::{Error, Result};

/// The roles whose approval an agreement's versions need. Sorted, without duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Policy {
    pub required: Vec<Role>,
}

impl Default for Policy {
    /// Service manager and legal reviewer; the customer representative is optional.
    fn default() -> Self {
        Policy {
            required: vec![Role::ServiceManager, Role::LegalReviewer],
        }
    }
}

impl Policy {
    /// A policy from any list of roles: sorted and deduplicated; an empty list is refused
    /// (nothing could then prove an approval).
    pub fn new(roles: &[Role]) -> Result<Policy> {
        let mut required = roles.to_vec();
        required.sort();
        required.dedup();
        if required.is_empty() {
            return Err(Error::invalid(
                "$.policy.required",
                "a policy needs at least one role",
            ));
        }
        Ok(Policy { required })
    }

    /// Parses stored role keys.
    pub(crate) fn from_keys(keys: &[String]) -> Result<Policy> {
        let roles = keys
            .iter()
            .map(|k| k.parse::<Role>().map_err(Error::Corrupt))
            .collect::<Result<Vec<_>>>()?;
        Policy::new(&roles)
            .map_err(|_| Error::Corrupt("an agreement has an empty approval policy".into()))
    }

    pub fn requires(&self, role: Role) -> bool {
        self.required.contains(&role)
    }

    /// The required roles not in `have`.
    pub fn missing(&self, have: &[Role]) -> Vec<Role> {
        self.required
            .iter()
            .copied()
            .filter(|r| !have.contains(r))
            .collect()
    }
}
