//! Versions: immutable, numbered, each naming its predecessor's hash. Appended by a freeze
//! (which reads the draft in the same transaction) or, for a version that came from the
//! signed history (an enacted amendment, an exchange file), exactly as given — both through
//! [`Tx::insert_version`]. Never updated or deleted: there is no code path for it, and the
//! schema's triggers abort any statement that tries.

use rusqlite::{params, OptionalExtension};

use super::{parse_status, Snapshot, Tx};
use crate::record::{AgreementId, Status, VersionInfo};
use crate::{Error, Result};

/// A version row with its content.
#[derive(Debug, Clone)]
pub(crate) struct VersionRow {
    pub number: u32,
    pub hash: String,
    pub previous_hash: Option<String>,
    pub note: String,
    pub created_at: String,
    pub content: String,
    /// SHA-256 of `content` when the store already computed it while reading.
    pub content_sha256: Option<String>,
}

/// An agreement's draft as a freeze reads it, inside the freeze's transaction.
pub(crate) struct FreezingDraft {
    pub status: Status,
    /// The newest version (the one in review while the status is `in_review`).
    pub current_version: Option<u32>,
    /// The stored draft: canonical JSON.
    pub draft: String,
}

impl Snapshot<'_> {
    pub fn versions(&self, id: AgreementId) -> Result<Vec<VersionInfo>> {
        self.summary(id)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT number, hash, previous_hash, note, created_at FROM versions
             WHERE agreement_id = ?1 ORDER BY number",
        )?;
        let rows = stmt.query_map([id.0], |r| {
            Ok(VersionInfo {
                agreement: id,
                number: r.get(0)?,
                hash: r.get(1)?,
                previous_hash: r.get(2)?,
                note: r.get(3)?,
                created_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A version's metadata and its stored canonical content, exactly as written.
    pub fn version(&self, id: AgreementId, number: u32) -> Result<(VersionInfo, String)> {
        self.conn
            .query_row(
                "SELECT hash, previous_hash, note, created_at, content FROM versions
                 WHERE agreement_id = ?1 AND number = ?2",
                params![id.0, number],
                |r| {
                    Ok((
                        VersionInfo {
                            agreement: id,
                            number,
                            hash: r.get(0)?,
                            previous_hash: r.get(1)?,
                            note: r.get(2)?,
                            created_at: r.get(3)?,
                        },
                        r.get(4)?,
                    ))
                },
            )
            .optional()?
            .ok_or(Error::VersionNotFound {
                agreement: id.0,
                version: number,
            })
    }

    /// A version's stored canonical content, exactly as written.
    pub fn version_content(&self, id: AgreementId, number: u32) -> Result<String> {
        self.conn
            .query_row(
                "SELECT content FROM versions WHERE agreement_id = ?1 AND number = ?2",
                params![id.0, number],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(Error::VersionNotFound {
                agreement: id.0,
                version: number,
            })
    }
}

impl Tx<'_> {
    /// Freezes the draft of `id` into its next version: the draft, the status, the version
    /// number, the previous hash and the time are all read or decided inside this
    /// transaction, so a writer next to this one (the app and the command line) cannot slip a
    /// change in between. `content_of` checks the status and turns the stored draft into the
    /// version's canonical content and hash; `created_at` gets the previous version's time
    /// (if any) and returns the new version's.
    pub fn freeze(
        &self,
        id: AgreementId,
        note: &str,
        content_of: impl FnOnce(&FreezingDraft) -> Result<(String, String)>,
        created_at: impl FnOnce(Option<&str>) -> String,
    ) -> Result<VersionInfo> {
        let draft = self
            .conn
            .query_row(
                "SELECT status, current_version, draft FROM agreements WHERE id = ?1",
                [id.0],
                |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or(Error::AgreementNotFound(id.0))?;
        let draft = FreezingDraft {
            status: parse_status(&draft.0)?,
            current_version: draft.1,
            draft: draft.2,
        };
        let (content, hash) = content_of(&draft)?;
        let last: Option<(u32, String, String)> = self
            .conn
            .query_row(
                "SELECT number, hash, created_at FROM versions WHERE agreement_id = ?1 ORDER BY number DESC LIMIT 1",
                [id.0],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        if let Some((n, last_hash, _)) = &last {
            if *last_hash == hash {
                return Err(Error::NotAllowed(format!(
                    "the draft of agreement {id} is identical to version {n}; change something before freezing"
                )));
            }
        }
        let v = VersionRow {
            number: last.as_ref().map_or(1, |(n, _, _)| n + 1),
            previous_hash: last.as_ref().map(|(_, h, _)| h.clone()),
            created_at: created_at(last.as_ref().map(|(_, _, at)| at.as_str())),
            hash,
            note: note.to_string(),
            content,
            content_sha256: None,
        };
        self.insert_version(id, &v, &v.created_at)?;
        Ok(VersionInfo {
            agreement: id,
            number: v.number,
            hash: v.hash,
            previous_hash: v.previous_hash,
            note: v.note,
            created_at: v.created_at,
        })
    }

    /// Appends a version exactly as given (a freeze decided it above; a version from the
    /// signed history was checked by the caller) and makes it the current one unless a newer
    /// one is; `now` is when the agreement changed.
    pub fn insert_version(&self, id: AgreementId, v: &VersionRow, now: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO versions (agreement_id, number, content, hash, previous_hash, note, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id.0, v.number, v.content, v.hash, v.previous_hash, v.note, v.created_at],
        )?;
        self.conn.execute(
            "UPDATE agreements SET current_version = max(IFNULL(current_version, 0), ?2), updated_at = ?3
             WHERE id = ?1",
            params![id.0, v.number, now],
        )?;
        Ok(())
    }
}
