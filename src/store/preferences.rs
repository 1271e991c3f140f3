//! The user's display preferences as (name, value) rows (table `preferences`); what they mean
//! is [`crate::preferences`]'s.

use super::{Snapshot, Tx};
use crate::Result;

impl Snapshot<'_> {
    /// The stored display preferences as (name, value) pairs.
    pub fn preferences(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name, value FROM preferences ORDER BY name")?;
        let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Tx<'_> {
    /// Sets each named preference; a `None` value removes its row (the preference then
    /// follows the system).
    pub fn put_preferences(&self, values: &[(&str, Option<&str>)]) -> Result<()> {
        for (name, value) in values {
            match value {
                Some(value) => self.conn.execute(
                    "INSERT INTO preferences (name, value) VALUES (?1, ?2) \
                     ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    (name, value),
                )?,
                None => self
                    .conn
                    .execute("DELETE FROM preferences WHERE name = ?1", [name])?,
            };
        }
        Ok(())
    }
}
