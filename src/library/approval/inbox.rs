//! The approvals inbox on [`Library`]: the decisions this database's own identities still
//! owe, over every agreement.

use super::settle::{amendment_state, approved_roles};
use super::trust::{known_cards, trust_of, KnownCard};
use crate::library::Library;
use crate::record::Status;
use crate::signing::history::{AmendmentState, PendingApproval, PendingKind};
use crate::signing::Policy;
use crate::Result;

impl Library {
    /// Decisions this database's own identities still owe, over every agreement.
    pub fn pending_approvals(&self) -> Result<Vec<PendingApproval>> {
        let (cards, work) = self.store().read(|tx| {
            let cards = known_cards(tx)?;
            let mut work = Vec::new();
            for id in tx.agreements_with_open_work()? {
                work.push(tx.history(id, false)?);
            }
            Ok((cards, work))
        })?;
        let trust = trust_of(&cards);
        let own: Vec<&KnownCard> = cards.iter().filter(|c| c.own).collect();
        let mut out = Vec::new();
        for rows in &work {
            let Ok(policy) = Policy::from_keys(&rows.policy) else {
                continue;
            };
            let mut open: Vec<(PendingKind, u32, Option<u32>, &str)> = Vec::new();
            if rows.status == Status::InReview {
                if let Some(v) = rows.current_version.and_then(|v| rows.version(v)) {
                    open.push((
                        PendingKind::Version { version: v.number },
                        v.number,
                        None,
                        &v.hash,
                    ));
                }
            }
            for a in &rows.amendments {
                if amendment_state(rows, &trust, a) == AmendmentState::Open {
                    open.push((
                        PendingKind::Amendment {
                            amendment: a.number,
                            version: a.target_version,
                            content_hash: a.content_hash.clone(),
                        },
                        a.target_version,
                        Some(a.number),
                        &a.content_hash,
                    ));
                }
            }
            for (what, version, amendment, hash) in open {
                for me in &own {
                    let decided = rows.signatures.iter().any(|s| {
                        s.signer == me.card.key
                            && s.version == version
                            && s.amendment == amendment
                            && s.content_hash == hash
                    });
                    let done = approved_roles(rows, &trust, version, amendment, hash)
                        .contains(&me.card.role);
                    if policy.requires(me.card.role) && !decided && !done {
                        out.push(PendingApproval {
                            agreement: rows.id,
                            title: rows.title.clone(),
                            what: what.clone(),
                            role: me.card.role,
                            identity: me.card.fingerprint.clone(),
                            identity_name: me.card.name.clone(),
                        });
                    }
                }
            }
        }
        Ok(out)
    }
}
