//! The signed history's rows: identity cards and the trust list, own identities' sealed
//! keys, the recorded decisions about further keys, approval policies, signatures,
//! amendment proposals and checkpoints — each stored as the exact signed text next to the
//! columns it is queried by. The workflow (`library/approval`) decides; this only reads and
//! writes rows, and the schema's triggers keep signatures and amendments immutable.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};

use super::versions::VersionRow;
use super::{parse_status, Snapshot, Tx};
use crate::record::{AgreementId, Status};
use crate::signing::history::{record_digest, AmendmentRef};
use crate::{Error, Result};

/// A signature row: the signed statement text and the columns the store queries.
#[derive(Debug, Clone)]
pub(crate) struct SignatureRow {
    pub version: u32,
    pub amendment: Option<u32>,
    pub role: String,
    pub decision: String,
    pub signer: String,
    pub signed_at: String,
    pub statement: String,
    pub signature: String,
    /// The content hash the statement names (read from it; empty when it does not parse).
    /// Decisions on two concurrent amendments with one number differ here.
    pub content_hash: String,
}

impl SignatureRow {
    pub fn digest(&self) -> String {
        record_digest(&self.statement, Some(&self.signature))
    }
}

/// An amendment row.
#[derive(Debug, Clone)]
pub(crate) struct AmendmentRow {
    pub number: u32,
    pub base_version: u32,
    pub target_version: u32,
    pub proposal: String,
    pub signature: Option<String>,
    /// The proposed content; `None` when not loaded: the history was read without contents,
    /// or the amendment was enacted and its stored copy is byte for byte the content of its
    /// version (a copy that differs — damaged — is loaded, for verification to report).
    pub content: Option<String>,
    pub content_hash: String,
    pub created_at: String,
}

impl AmendmentRow {
    pub fn digest(&self) -> String {
        record_digest(&self.proposal, self.signature.as_deref())
    }

    /// Whether `s` is a decision on this amendment (and not on a concurrent one with the same
    /// number).
    pub fn decided_by(&self, s: &SignatureRow) -> bool {
        s.amendment == Some(self.number) && s.content_hash == self.content_hash
    }
}

/// A card in the trust list (or an own identity).
#[derive(Debug, Clone)]
pub(crate) struct CardRow {
    pub fingerprint: String,
    pub card: String,
    pub own: bool,
    pub trusted: bool,
    pub added_at: String,
}

/// Everything stored about an agreement's signed history.
#[derive(Debug, Clone)]
pub(crate) struct HistoryRows {
    pub id: AgreementId,
    pub uid: String,
    pub title: String,
    pub status: Status,
    /// The status before archiving, if archived.
    pub status_before_archive: Option<Status>,
    pub current_version: Option<u32>,
    pub policy: Vec<String>,
    pub versions: Vec<VersionRow>,
    pub signatures: Vec<SignatureRow>,
    pub amendments: Vec<AmendmentRow>,
}

impl HistoryRows {
    /// The status that counts for the workflow: the one before archiving, if archived.
    pub fn effective_status(&self) -> Status {
        if self.status == Status::Archived {
            self.status_before_archive.unwrap_or(Status::Draft)
        } else {
            self.status
        }
    }

    pub fn version(&self, number: u32) -> Option<&VersionRow> {
        self.versions.iter().find(|v| v.number == number)
    }

    /// The amendment `reference` names: by number, and by (the start of) its content hash
    /// where two concurrent proposals carry the same number.
    pub fn amendment(&self, reference: &AmendmentRef) -> crate::Result<&AmendmentRow> {
        let found: Vec<&AmendmentRow> = self
            .amendments
            .iter()
            .filter(|a| a.number == reference.number)
            .filter(|a| {
                reference
                    .content_hash
                    .as_deref()
                    .is_none_or(|h| !h.is_empty() && a.content_hash.starts_with(h))
            })
            .collect();
        match found.as_slice() {
            [one] => Ok(one),
            [] => Err(crate::Error::AmendmentNotFound {
                agreement: self.id.0,
                amendment: reference.number,
            }),
            many => Err(crate::Error::NotAllowed(format!(
                "amendment {} names {} concurrent proposals ({}); name one as NUMBER:HASH",
                reference.number,
                many.len(),
                many.iter()
                    .map(|a| format!(
                        "{}:{}",
                        a.number,
                        &a.content_hash[..12.min(a.content_hash.len())]
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }
}

/// Stored copies of amendments' content: (amendment number, copy).
type Copies = Vec<(u32, String)>;

/// An own identity's stored key record.
pub(crate) struct KeyRow {
    pub card: CardRow,
    pub sealed: String,
}

fn card_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CardRow> {
    Ok(CardRow {
        fingerprint: r.get(0)?,
        card: r.get(1)?,
        own: r.get(2)?,
        trusted: r.get(3)?,
        added_at: r.get(4)?,
    })
}

const CARD_COLUMNS: &str = "fingerprint, card, own, trusted, added_at";

impl Snapshot<'_> {
    pub fn cards(&self) -> Result<Vec<CardRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {CARD_COLUMNS} FROM identity_cards ORDER BY own DESC, name COLLATE NOCASE, fingerprint"
        ))?;
        let rows = stmt.query_map([], card_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Own identities with their sealed keys.
    pub fn keys(&self) -> Result<Vec<KeyRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.fingerprint, c.card, c.own, c.trusted, c.added_at, k.sealed
             FROM identity_cards c JOIN identity_keys k ON k.fingerprint = c.fingerprint
             ORDER BY c.name COLLATE NOCASE, c.fingerprint",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(KeyRow {
                card: card_row(r)?,
                sealed: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every recorded decision to trust a further key for a known person:
    /// (fingerprint, known fingerprint, `add`/`replace`, time).
    pub fn key_decisions(&self) -> Result<Vec<(String, String, String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT fingerprint, known_fingerprint, decision, decided_at FROM identity_key_decisions
             ORDER BY decided_at, fingerprint, known_fingerprint",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Everything about an agreement's signed history; version and amendment contents only
    /// when `with_content` (verification needs them, the workflow does not).
    pub fn history(&self, id: AgreementId, with_content: bool) -> Result<HistoryRows> {
        let (uid, title, status, before, current): (String, String, String, Option<String>, Option<u32>) = self
            .conn
            .query_row(
                "SELECT uid, title, status, status_before_archive, current_version FROM agreements WHERE id = ?1",
                [id.0],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?
            .ok_or(Error::AgreementNotFound(id.0))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT role FROM approval_policy WHERE agreement_id = ?1 ORDER BY role",
        )?;
        let policy = stmt
            .query_map([id.0], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        // Amendment metadata from the covering index `amendments_metadata` (the content column
        // would make SQLite walk each row's overflow pages to reach the columns after it).
        let mut stmt = self.conn.prepare_cached(
            "SELECT number, base_version, target_version, proposal, signature, content_hash, created_at
             FROM amendments INDEXED BY amendments_metadata WHERE agreement_id = ?1
             ORDER BY number, content_hash",
        )?;
        let mut amendments = stmt
            .query_map([id.0], |r| {
                Ok(AmendmentRow {
                    number: r.get(0)?,
                    base_version: r.get(1)?,
                    target_version: r.get(2)?,
                    proposal: r.get(3)?,
                    signature: r.get(4)?,
                    content: None,
                    content_hash: r.get(5)?,
                    created_at: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let (content, from) = if with_content {
            ("content", "versions")
        } else {
            ("''", "versions INDEXED BY versions_metadata")
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT number, hash, previous_hash, note, created_at, {content} FROM {from}
             WHERE agreement_id = ?1 ORDER BY number"
        ))?;
        let read = |r: &rusqlite::Row<'_>| {
            Ok(VersionRow {
                number: r.get(0)?,
                hash: r.get(1)?,
                previous_hash: r.get(2)?,
                note: r.get(3)?,
                created_at: r.get(4)?,
                content: r.get(5)?,
                content_sha256: None,
            })
        };
        let versions = if with_content {
            // The amendments that proposed each version's number and content (normally the one
            // that enacted it), whose stored copies are compared with the version below.
            let mut proposing: HashMap<(u32, &str), Vec<u32>> = HashMap::new();
            for a in &amendments {
                proposing
                    .entry((a.target_version, a.content_hash.as_str()))
                    .or_default()
                    .push(a.number);
            }
            let mut copy = self.conn.prepare_cached(
                "SELECT content FROM amendments
                 WHERE agreement_id = ?1 AND number = ?2 AND content_hash = ?3",
            )?;
            // Hash each version's content on a second thread while the next one is read:
            // reading and hashing a long history take about the same time. The hasher also
            // compares each enacted amendment's stored copy with its version byte for byte and
            // hands back only the copies that differ (damaged ones).
            let (versions, differing) =
                std::thread::scope(|scope| -> Result<(Vec<VersionRow>, Copies)> {
                    let (to_hasher, inbox) =
                        std::sync::mpsc::sync_channel::<(VersionRow, Copies)>(32);
                    let hasher = scope.spawn(move || {
                        let mut versions = Vec::new();
                        let mut differing = Vec::new();
                        for (mut v, copies) in inbox {
                            v.content_sha256 =
                                Some(crate::canonical::sha256_hex(v.content.as_bytes()));
                            differing.extend(copies.into_iter().filter(|(_, c)| *c != v.content));
                            versions.push(v);
                        }
                        (versions, differing)
                    });
                    let mut failed = None;
                    for row in stmt.query_map([id.0], read)? {
                        let with_copies = row.and_then(|v| {
                            let numbers = proposing
                                .get(&(v.number, v.hash.as_str()))
                                .map_or(&[][..], Vec::as_slice);
                            let copies = numbers
                                .iter()
                                .map(|&n| {
                                    copy.query_row(params![id.0, n, v.hash], |r| r.get(0))
                                        .map(|c| (n, c))
                                })
                                .collect::<rusqlite::Result<Vec<_>>>()?;
                            Ok((v, copies))
                        });
                        match with_copies {
                            Ok(item) => {
                                if to_hasher.send(item).is_err() {
                                    break;
                                }
                            }
                            Err(e) => {
                                failed = Some(e);
                                break;
                            }
                        }
                    }
                    drop(to_hasher);
                    let hashed = hasher
                        .join()
                        .map_err(|_| Error::Corrupt("hashing version contents failed".into()))?;
                    match failed {
                        Some(e) => Err(e.into()),
                        None => Ok(hashed),
                    }
                })?;
            for a in &mut amendments {
                let enacted = versions
                    .iter()
                    .any(|v| v.number == a.target_version && v.hash == a.content_hash);
                a.content = if enacted {
                    // The version's content, unless the stored copy is not that.
                    differing
                        .iter()
                        .find(|(n, _)| *n == a.number)
                        .map(|(_, c)| c.clone())
                } else {
                    Some(self.amendment_content(id, a.number, &a.content_hash)?)
                };
            }
            versions
        } else {
            stmt.query_map([id.0], read)?
                .collect::<rusqlite::Result<Vec<_>>>()?
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT version, amendment, role, decision, signer, signed_at, statement, signature,
                    CASE WHEN json_valid(statement)
                         THEN IFNULL(CAST(json_extract(statement, '$.content_hash') AS TEXT), '')
                         ELSE '' END
             FROM signatures WHERE agreement_id = ?1 ORDER BY id",
        )?;
        let signatures = stmt
            .query_map([id.0], |r| {
                Ok(SignatureRow {
                    version: r.get(0)?,
                    amendment: r.get(1)?,
                    role: r.get(2)?,
                    decision: r.get(3)?,
                    signer: r.get(4)?,
                    signed_at: r.get(5)?,
                    statement: r.get(6)?,
                    signature: r.get(7)?,
                    content_hash: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(HistoryRows {
            id,
            uid,
            title,
            status: parse_status(&status)?,
            status_before_archive: before.as_deref().map(parse_status).transpose()?,
            current_version: current,
            policy,
            versions,
            signatures,
            amendments,
        })
    }

    /// The proposed content of amendment `number` proposing `content_hash` (two concurrent
    /// proposals can share a number).
    pub fn amendment_content(
        &self,
        id: AgreementId,
        number: u32,
        content_hash: &str,
    ) -> Result<String> {
        self.conn
            .query_row(
                "SELECT content FROM amendments
                 WHERE agreement_id = ?1 AND number = ?2 AND content_hash = ?3",
                params![id.0, number, content_hash],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(Error::AmendmentNotFound {
                agreement: id.0,
                amendment: number,
            })
    }

    pub fn checkpoints(&self, uid: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT text FROM checkpoints WHERE agreement_uid = ?1 ORDER BY seen_at, text",
        )?;
        let rows = stmt.query_map([uid], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Ids of agreements with an open decision: in review, or in force with amendments.
    pub fn agreements_with_open_work(&self) -> Result<Vec<AgreementId>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM agreements WHERE status = 'in_review'
             OR (status = 'in_force' AND EXISTS (SELECT 1 FROM amendments m WHERE m.agreement_id = agreements.id))
             ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows
            .collect::<rusqlite::Result<Vec<i64>>>()?
            .into_iter()
            .map(AgreementId)
            .collect())
    }
}

impl Tx<'_> {
    /// Adds a card (own or imported) to the trust list; an existing one becomes trusted.
    #[allow(clippy::too_many_arguments)]
    pub fn put_card(
        &self,
        fingerprint: &str,
        public_key: &str,
        name: &str,
        organisation: &str,
        role: &str,
        email: &str,
        card: &str,
        own: bool,
        now: &str,
    ) -> Result<bool> {
        let n = self.conn.execute(
            "INSERT INTO identity_cards (fingerprint, public_key, name, organisation, role, email, card, own, trusted, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9)
             ON CONFLICT (fingerprint) DO UPDATE SET trusted = 1 WHERE trusted = 0",
            params![fingerprint, public_key, name, organisation, role, email, card, own, now],
        )?;
        Ok(n > 0)
    }

    pub fn put_key(&self, fingerprint: &str, sealed: &str, now: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO identity_keys (fingerprint, sealed, created_at) VALUES (?1, ?2, ?3)",
            params![fingerprint, sealed, now],
        )?;
        Ok(())
    }

    pub fn replace_key(&self, fingerprint: &str, sealed: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE identity_keys SET sealed = ?2 WHERE fingerprint = ?1",
            params![fingerprint, sealed],
        )?;
        Ok(())
    }

    /// Records that `fingerprint` was trusted as a further key of the person who has
    /// `known_fingerprint`; a repeated decision replaces the earlier one.
    pub fn put_key_decision(
        &self,
        fingerprint: &str,
        known_fingerprint: &str,
        decision: &str,
        now: &str,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO identity_key_decisions (fingerprint, known_fingerprint, decision, decided_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (fingerprint, known_fingerprint) DO UPDATE SET decision = ?3, decided_at = ?4",
            params![fingerprint, known_fingerprint, decision, now],
        )?;
        Ok(())
    }

    /// Removes a card from the trust list (its signatures then no longer count).
    pub fn distrust(&self, fingerprint: &str) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE identity_cards SET trusted = 0 WHERE fingerprint = ?1 AND own = 0 AND trusted = 1",
            [fingerprint],
        )? > 0)
    }

    pub fn set_policy(&self, id: AgreementId, roles: &[&str]) -> Result<()> {
        self.conn.execute(
            "DELETE FROM approval_policy WHERE agreement_id = ?1",
            [id.0],
        )?;
        for role in roles {
            self.conn.execute(
                "INSERT INTO approval_policy (agreement_id, role) VALUES (?1, ?2)",
                params![id.0, role],
            )?;
        }
        Ok(())
    }

    pub fn insert_amendment(&self, id: AgreementId, a: &AmendmentRow) -> Result<()> {
        self.conn.execute(
            "INSERT INTO amendments (agreement_id, number, base_version, target_version, proposal, signature,
                 content, content_hash, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                id.0,
                a.number,
                a.base_version,
                a.target_version,
                a.proposal,
                a.signature,
                a.content.as_deref().ok_or_else(|| Error::Corrupt(format!(
                    "amendment {} has no content to store",
                    a.number
                )))?,
                a.content_hash,
                a.created_at
            ],
        )?;
        Ok(())
    }

    /// Adds a signature; returns false when the same signature is already stored.
    pub fn insert_signature(&self, id: AgreementId, s: &SignatureRow, now: &str) -> Result<bool> {
        let n = self.conn.execute(
            "INSERT INTO signatures (agreement_id, version, amendment, role, decision, signer, signed_at,
                 statement, signature, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (agreement_id, signature) DO NOTHING",
            params![
                id.0,
                s.version,
                s.amendment,
                s.role,
                s.decision,
                s.signer,
                s.signed_at,
                s.statement,
                s.signature,
                now
            ],
        )?;
        Ok(n > 0)
    }

    /// Remembers a checkpoint; returns false when it was already known.
    pub fn insert_checkpoint(
        &self,
        uid: &str,
        text: &str,
        versions: u32,
        records: u32,
        now: &str,
    ) -> Result<bool> {
        Ok(self.conn.execute(
            "INSERT INTO checkpoints (agreement_uid, text, versions, records, seen_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT DO NOTHING",
            params![uid, text, versions, records, now],
        )? > 0)
    }
}
