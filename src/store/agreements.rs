//! Agreements: the row of each with its mutable draft (and its revision), the columns the
//! library list shows and sorts by, and its status — every status change, whatever asks for
//! it, through [`Tx::set_status`] and the rules of [`Status::after`].

use rusqlite::{params, OptionalExtension};

use super::search::index;
use super::{parse_status, Snapshot, Tx};
use crate::record::{
    AgreementId, AgreementSummary, ListPage, ListQuery, SaveOutcome, SortKey, Status, StatusChange,
};
use crate::{Error, Language, Result};

/// Everything written when an agreement row changes: the draft and what the list shows of it.
pub(crate) struct DraftRow<'a> {
    pub title: &'a str,
    pub customer: &'a str,
    pub provider: &'a str,
    pub language: Language,
    pub draft: &'a str,
    pub draft_hash: &'a str,
    pub completeness: u8,
    pub open_errors: u32,
    /// Text for the full-text index.
    pub parties: &'a str,
    pub body: &'a str,
}

/// A stored draft as read back.
pub(crate) struct StoredDraft {
    pub draft: String,
    pub revision: u32,
}

impl Snapshot<'_> {
    pub fn load_draft(&self, id: AgreementId) -> Result<StoredDraft> {
        self.conn
            .query_row(
                "SELECT draft, revision FROM agreements WHERE id = ?1",
                [id.0],
                |r| {
                    Ok(StoredDraft {
                        draft: r.get(0)?,
                        revision: r.get(1)?,
                    })
                },
            )
            .optional()?
            .ok_or(Error::AgreementNotFound(id.0))
    }

    pub fn summary(&self, id: AgreementId) -> Result<AgreementSummary> {
        self.conn
            .query_row(
                &format!("SELECT {SUMMARY_COLUMNS} FROM agreements WHERE id = ?1"),
                [id.0],
                summary_row,
            )
            .optional()?
            .ok_or(Error::AgreementNotFound(id.0))?
    }

    pub fn list(&self, q: &ListQuery) -> Result<ListPage> {
        let (filter, status): (&str, Option<&str>) = match q.status {
            Some(s) => ("status = ?1", Some(s.key())),
            None => ("status <> 'archived' AND ?1 IS NULL", None),
        };
        let order = match q.sort {
            SortKey::Title => "title COLLATE NOCASE",
            SortKey::Customer => "customer COLLATE NOCASE",
            // Life-cycle order, not alphabetical.
            SortKey::Status => {
                "CASE status WHEN 'draft' THEN 0 WHEN 'in_review' THEN 1 WHEN 'in_force' THEN 2
                 WHEN 'superseded' THEN 3 ELSE 4 END"
            }
            SortKey::UpdatedAt => "updated_at",
            SortKey::Completeness => "completeness",
            SortKey::OpenErrors => "open_errors",
        };
        let dir = if q.descending { "DESC" } else { "ASC" };
        let total: u32 = self.conn.query_row(
            &format!("SELECT count(*) FROM agreements WHERE {filter}"),
            [status],
            |r| r.get(0),
        )?;
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM agreements WHERE {filter}
             ORDER BY {order} {dir}, id {dir} LIMIT ?2 OFFSET ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![status, q.limit, q.offset], summary_row)?;
        let mut items = Vec::new();
        for row in rows {
            items.push(row??);
        }
        Ok(ListPage { total, items })
    }

    pub fn agreement_by_uid(&self, uid: &str) -> Result<Option<AgreementId>> {
        Ok(self
            .conn
            .query_row("SELECT id FROM agreements WHERE uid = ?1", [uid], |r| {
                r.get(0)
            })
            .optional()?
            .map(AgreementId))
    }
}

impl Tx<'_> {
    /// Creates an agreement in the `draft` status with a new uid, or with `uid` when it came
    /// from another database (an exchange file), which keeps its own.
    pub fn insert_agreement(
        &self,
        uid: Option<&str>,
        template: &str,
        row: &DraftRow<'_>,
        now: &str,
    ) -> Result<AgreementId> {
        let uid = uid.map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_string);
        self.conn.execute(
            "INSERT INTO agreements (uid, title, customer, provider, language, status, template, draft,
                 draft_hash, revision, completeness, open_errors, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'draft', ?6, ?7, ?8, 1, ?9, ?10, ?11, ?11)",
            params![
                uid,
                row.title,
                row.customer,
                row.provider,
                row.language.code(),
                template,
                row.draft,
                row.draft_hash,
                row.completeness,
                row.open_errors,
                now
            ],
        )?;
        let id = self.conn.last_insert_rowid();
        index(self.conn, id, row)?;
        Ok(AgreementId(id))
    }

    /// Replaces the draft unless its hash is unchanged. Only drafts of agreements in the
    /// `draft` status (or in force, where the draft is the next amendment's working copy) can
    /// be edited. With `expected_revision`, a draft stored at any other revision is not
    /// replaced ([`Error::DraftConflict`]): someone else saved it since the caller read it. An
    /// unchanged draft is no conflict: it returns the stored revision and writes nothing.
    pub fn save_draft(
        &self,
        id: AgreementId,
        row: &DraftRow<'_>,
        expected_revision: Option<u32>,
        now: &str,
    ) -> Result<SaveOutcome> {
        let (hash, revision, status): (String, u32, String) = self
            .conn
            .query_row(
                "SELECT draft_hash, revision, status FROM agreements WHERE id = ?1",
                [id.0],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or(Error::AgreementNotFound(id.0))?;
        let status = parse_status(&status)?;
        if hash == row.draft_hash {
            return Ok(SaveOutcome {
                changed: false,
                revision,
            });
        }
        // While an agreement is in force, its draft is the working copy for the next
        // amendment (freezing it is refused; it is proposed as an amendment instead).
        if status != Status::Draft && status != Status::InForce {
            return Err(Error::NotAllowed(format!(
                "agreement {id} is {status}; only a draft can be edited"
            )));
        }
        if let Some(expected) = expected_revision.filter(|e| *e != revision) {
            return Err(Error::DraftConflict {
                agreement: id.0,
                expected,
                actual: revision,
            });
        }
        self.set_draft(id, row, now)?;
        Ok(SaveOutcome {
            changed: true,
            revision: revision + 1,
        })
    }

    /// Writes a changed draft (one more revision) and its search index, whatever the status
    /// (the workflow replaces the draft with a version that came into force); a draft whose
    /// hash is already stored is left as it is.
    pub fn set_draft(&self, id: AgreementId, row: &DraftRow<'_>, now: &str) -> Result<()> {
        let changed = self.conn.execute(
            "UPDATE agreements SET title = ?2, customer = ?3, provider = ?4, language = ?5,
                 draft = ?6, draft_hash = ?7, revision = revision + 1, completeness = ?8,
                 open_errors = ?9, updated_at = ?10
             WHERE id = ?1 AND draft_hash <> ?7",
            params![
                id.0,
                row.title,
                row.customer,
                row.provider,
                row.language.code(),
                row.draft,
                row.draft_hash,
                row.completeness,
                row.open_errors,
                now
            ],
        )?;
        if changed > 0 {
            index(self.conn, id.0, row)?;
        }
        Ok(())
    }

    /// Changes the status as `change` asks, by the rules of [`Status::after`] — the one place
    /// that writes a status, for a user's step, the signed history and the archive alike —
    /// and records the change. The schema's trigger still refuses `in_force` without the
    /// signatures of every required role. Returns the status afterwards; a refused change
    /// writes nothing ([`Error::NotAllowed`]).
    pub fn set_status(&self, id: AgreementId, change: StatusChange, now: &str) -> Result<Status> {
        let (from, before): (String, Option<String>) = self
            .conn
            .query_row(
                "SELECT status, status_before_archive FROM agreements WHERE id = ?1",
                [id.0],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or(Error::AgreementNotFound(id.0))?;
        let from = parse_status(&from)?;
        let before = before.as_deref().map(parse_status).transpose()?;
        let to = from
            .after(before, change)
            .map_err(|why| Error::NotAllowed(format!("agreement {id} {why}")))?;
        if from == to {
            return Ok(from);
        }
        let before = (to == Status::Archived).then(|| from.key());
        self.conn.execute(
            "UPDATE agreements SET status = ?2, status_before_archive = ?3, updated_at = ?4 WHERE id = ?1",
            params![id.0, to.key(), before, now],
        )?;
        self.conn.execute(
            "INSERT INTO status_changes (agreement_id, at, from_status, to_status) VALUES (?1, ?2, ?3, ?4)",
            params![id.0, now, from.key(), to.key()],
        )?;
        Ok(to)
    }
}

/// SQL condition: version `v` has an approval of every role its agreement's policy requires,
/// each naming `v`'s content hash.
macro_rules! approved_by_every_role {
    () => {
        "NOT EXISTS (SELECT 1 FROM approval_policy p
                     WHERE p.agreement_id = agreements.id AND NOT EXISTS (
                       SELECT 1 FROM signatures s
                       WHERE s.agreement_id = agreements.id AND s.version = v.number
                         AND s.role = p.role AND s.decision = 'approve'
                         AND CASE WHEN json_valid(s.statement)
                                  THEN json_extract(s.statement, '$.content_hash') END = v.hash))"
    };
}

/// The columns of an [`AgreementSummary`]. The status is the stored one checked against the
/// signed history (so the library shows what `history` and `verify` derive): a draft or an
/// agreement in review with a version that approvals of every required role cover shows as
/// in force, and one marked in force whose current version lacks them as in review. The
/// check is structural (roles and content hashes of the stored statements); `verify` also
/// checks each signature and signer. Agreements without approvals cost one index probe.
const SUMMARY_COLUMNS: &str = concat!(
    "id, uid, title, customer, provider, language,
     CASE
       WHEN status IN ('draft', 'in_review')
            AND EXISTS (SELECT 1 FROM signatures s0
                        WHERE s0.agreement_id = agreements.id AND s0.decision = 'approve')
            AND EXISTS (SELECT 1 FROM versions v INDEXED BY versions_metadata
                        WHERE v.agreement_id = agreements.id AND ",
    approved_by_every_role!(),
    ")
         THEN 'in_force'
       WHEN status = 'in_force'
            AND NOT EXISTS (SELECT 1 FROM versions v INDEXED BY versions_metadata
                            WHERE v.agreement_id = agreements.id
                              AND v.number = agreements.current_version AND ",
    approved_by_every_role!(),
    ")
         THEN 'in_review'
       ELSE status
     END,
     template, current_version, updated_at, created_at, completeness, open_errors"
);

fn summary_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<AgreementSummary>> {
    let language: String = r.get(5)?;
    let status: String = r.get(6)?;
    let built = (|| {
        Ok(AgreementSummary {
            id: AgreementId(r.get(0)?),
            uid: r.get(1)?,
            title: r.get(2)?,
            customer: r.get(3)?,
            provider: r.get(4)?,
            language: language.parse().map_err(Error::Corrupt)?,
            status: parse_status(&status)?,
            template: r.get(7)?,
            current_version: r.get(8)?,
            updated_at: r.get(9)?,
            created_at: r.get(10)?,
            completeness: r.get(11)?,
            open_errors: r.get(12)?,
        })
    })();
    Ok(built)
}
