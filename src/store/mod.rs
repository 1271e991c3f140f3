//! The SQLite store: the only module that touches SQLite.
//!
//! It owns the schema (numbered migrations in `migrations/`), opening a database safely, and
//! the rows, one file each by what they store: opening and migrations (`open`), the display
//! preferences (`preferences`), agreements
//! with their mutable draft, list columns and status (`agreements`), immutable versions
//! (`versions`), the signed history — identity cards, sealed keys, policies, signatures,
//! amendments, checkpoints (`signing`) — and the full-text index (`search`). It knows
//! nothing of agreement content beyond the strings the library hands it; validation and
//! canonicalisation happen before a call reaches here.
//!
//! There is one way in: [`Store::write`] runs a closure in one `BEGIN IMMEDIATE` transaction
//! and commits only when it returns `Ok`; [`Store::read`] runs one in a read transaction (a
//! consistent snapshot). Every query is a method of the [`Snapshot`] it gets, every write a
//! method of the [`Tx`] only `write` hands out, so nothing can write outside a transaction.
//!
//! Invariants:
//! - a database written by a newer Pactum is refused, never migrated down or touched (only
//!   group's and others' access to it is taken away, see `open`);
//! - a file that is not a Pactum database, or is damaged, is renamed aside with a timestamp and
//!   reported; it is never deleted or overwritten;
//! - the database and its `-wal`/`-shm` are readable by their owner only (Unix: created 0600,
//!   new folders 0700); opening takes group's and others' access away from existing files and
//!   reports it ([`PermissionsTightened`]), since the file holds the sealed private keys;
//! - versions are never updated or deleted: there is no code path for it, and triggers in the
//!   schema abort any statement that tries;
//! - every status change goes through [`Tx::set_status`], which follows
//!   [`Status::after`](crate::record::Status::after): the life cycle's steps, in force only
//!   from the signed history, and back out of the archive to the status before it;
//! - every write runs in one `BEGIN IMMEDIATE` transaction with `synchronous = FULL`, so a
//!   call that returned is on disk, and a crash leaves either all or nothing of it.

use rusqlite::{Connection, TransactionBehavior};

use crate::record::Status;
use crate::{Error, Result};

mod agreements;
mod open;
mod preferences;
mod search;
mod signing;
mod versions;

pub(crate) use agreements::DraftRow;
pub use open::{
    migrations, schema_version, MovedAside, PermissionsTightened, TightenedFile, APPLICATION_ID,
};
pub(crate) use signing::{AmendmentRow, HistoryRows, KeyRow, SignatureRow};
pub(crate) use versions::VersionRow;

/// An open database.
pub(crate) struct Store {
    conn: Connection,
}

/// Reading inside one transaction (a consistent snapshot): every query of the store. Its
/// methods only read; writing is [`Tx`]'s.
pub(crate) struct Snapshot<'a> {
    conn: &'a Connection,
}

/// Writing inside one immediate transaction: every write of the store (and, through
/// `Deref`, every query, so a write decides on what it read in the same transaction). Only
/// [`Store::write`] makes one.
pub(crate) struct Tx<'a> {
    snapshot: Snapshot<'a>,
}

impl<'a> std::ops::Deref for Tx<'a> {
    type Target = Snapshot<'a>;

    fn deref(&self) -> &Snapshot<'a> {
        &self.snapshot
    }
}

impl Store {
    /// Runs `f` in one immediate (writing) transaction and commits when it returns `Ok`;
    /// nothing of it is written when it fails.
    pub fn write<T>(&mut self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&Tx {
            snapshot: Snapshot { conn: &tx },
        })?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` in one read transaction (a consistent snapshot).
    pub fn read<T>(&mut self, f: impl FnOnce(&Snapshot<'_>) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction()?;
        let out = f(&Snapshot { conn: &tx })?;
        tx.commit()?;
        Ok(out)
    }
}

fn parse_status(s: &str) -> Result<Status> {
    s.parse().map_err(Error::Corrupt)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{AgreementId, StatusChange};
    use crate::Language;

    const NOW: &str = "2026-01-01T00:00:00.000Z";

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temporary folder");
        let (store, _) = Store::open(&dir.path().join("pactum.db"), NOW).expect("open");
        (dir, store)
    }

    fn agreement(store: &mut Store) -> AgreementId {
        let row = DraftRow {
            title: "Service",
            customer: "Kunde",
            provider: "Anbieter",
            language: Language::De,
            draft: "{}",
            draft_hash: "00",
            completeness: 0,
            open_errors: 0,
            parties: "",
            body: "",
        };
        store
            .write(|tx| tx.insert_agreement(None, "", &row, NOW))
            .expect("insert")
    }

    /// The stored status and the number of recorded status changes.
    fn status(store: &mut Store, id: AgreementId) -> (String, i64) {
        store
            .read(|r| {
                Ok(r.conn.query_row(
                    "SELECT status, (SELECT count(*) FROM status_changes) FROM agreements WHERE id = ?1",
                    [id.0],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )?)
            })
            .expect("read the status")
    }

    #[test]
    fn an_illegal_status_change_is_refused_whoever_asks_and_writes_nothing() {
        let (_dir, mut store) = store();
        let id = agreement(&mut store);
        for change in [
            StatusChange::Step(Status::Superseded),
            StatusChange::Signed(Status::Superseded),
            StatusChange::Step(Status::InForce),
            StatusChange::Unarchive,
        ] {
            let err = store
                .write(|tx| tx.set_status(id, change, NOW))
                .expect_err("draft cannot take this change");
            assert_eq!(err.code(), "not_allowed", "{change:?} from draft: {err}");
            assert_eq!(
                status(&mut store, id),
                ("draft".into(), 0),
                "the refused {change:?} changed nothing"
            );
        }
    }

    #[test]
    fn a_refused_change_undoes_the_whole_transaction() {
        let (_dir, mut store) = store();
        let id = agreement(&mut store);
        let err = store
            .write(|tx| {
                tx.set_status(id, StatusChange::Step(Status::InReview), NOW)?;
                // In review, only signatures bring it into force.
                tx.set_status(id, StatusChange::Step(Status::InForce), NOW)
            })
            .expect_err("a user's step never puts an agreement in force");
        assert_eq!(err.code(), "not_allowed", "{err}");
        assert_eq!(
            status(&mut store, id),
            ("draft".into(), 0),
            "the step into review in the same transaction was not committed either"
        );
    }

    #[test]
    fn the_signed_history_cannot_put_an_agreement_in_force_without_signatures() {
        let (_dir, mut store) = store();
        let id = agreement(&mut store);
        let err = store
            .write(|tx| tx.set_status(id, StatusChange::Signed(Status::InForce), NOW))
            .expect_err("the schema's trigger refuses in_force without signature rows");
        assert_eq!(
            status(&mut store, id),
            ("draft".into(), 0),
            "the refused change ({err}) wrote nothing"
        );
    }

    #[test]
    fn an_archived_agreement_returns_to_its_status_and_takes_no_other_change() {
        let (_dir, mut store) = store();
        let id = agreement(&mut store);
        let step = |store: &mut Store, change| store.write(|tx| tx.set_status(id, change, NOW));
        assert_eq!(
            step(&mut store, StatusChange::Step(Status::InReview)).unwrap(),
            Status::InReview
        );
        assert_eq!(
            step(&mut store, StatusChange::Archive).unwrap(),
            Status::Archived
        );
        for change in [
            StatusChange::Step(Status::Draft),
            StatusChange::Signed(Status::Draft),
            StatusChange::Signed(Status::InForce),
        ] {
            let err = step(&mut store, change).expect_err("archived");
            assert!(
                err.to_string().contains("is archived; unarchive it first"),
                "{change:?} while archived: {err}"
            );
        }
        assert_eq!(
            step(&mut store, StatusChange::Unarchive).unwrap(),
            Status::InReview,
            "unarchiving restores the status before archiving"
        );
        assert_eq!(
            status(&mut store, id),
            ("in_review".into(), 3),
            "three changes recorded: into review, archived, restored"
        );
    }
}
