//! The full-text index of agreements (SQLite FTS5 over title, parties and clause text, kept
//! in step with every draft write) and searching it.

use rusqlite::{params, Connection, OptionalExtension};

use super::agreements::DraftRow;
use super::{parse_status, Snapshot};
use crate::record::{AgreementId, SearchHit};
use crate::Result;

impl Snapshot<'_> {
    /// Full-text search; `query` is plain words (each a prefix), not FTS syntax.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let Some(fts) = fts_query(query) else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare_cached(
            // FTS5 ranks and cuts first; only the hits shown are joined to their (large)
            // agreement rows and get a snippet. Ranking weights: title 10, parties 5, body 1.
            "SELECT a.id, a.title, a.customer, a.status, f.snip
             FROM (SELECT rowid, rank, snippet(agreement_fts, -1, '[', ']', '…', 12) AS snip
                   FROM agreement_fts
                   WHERE agreement_fts MATCH ?1 AND rank MATCH 'bm25(10.0, 5.0, 1.0)'
                   ORDER BY rank LIMIT ?2) AS f
             JOIN agreements a ON a.id = f.rowid
             ORDER BY f.rank, a.id",
        )?;
        let rows = stmt.query_map(params![fts, limit], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut hits = Vec::new();
        for row in rows {
            let (id, title, customer, status, snippet) = row?;
            hits.push(SearchHit {
                id: AgreementId(id),
                title,
                customer,
                status: parse_status(&status)?,
                snippet,
            });
        }
        Ok(hits)
    }
}

/// Brings the index entry of agreement `id` up to date with `row`.
pub(super) fn index(conn: &Connection, id: i64, row: &DraftRow<'_>) -> Result<()> {
    // Most edits change structured fields only; re-tokenising unchanged text costs more than
    // comparing it.
    let unchanged = conn
        .query_row(
            "SELECT title = ?2 AND parties = ?3 AND body = ?4 FROM agreement_fts WHERE rowid = ?1",
            params![id, row.title, row.parties, row.body],
            |r| r.get::<_, bool>(0),
        )
        .optional()?
        .unwrap_or(false);
    if unchanged {
        return Ok(());
    }
    conn.execute("DELETE FROM agreement_fts WHERE rowid = ?1", [id])?;
    conn.execute(
        "INSERT INTO agreement_fts (rowid, title, parties, body) VALUES (?1, ?2, ?3, ?4)",
        params![id, row.title, row.parties, row.body],
    )?;
    Ok(())
}

/// Turns what a user typed into an FTS5 query: every word quoted, as a prefix, all required.
fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(16)
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}
