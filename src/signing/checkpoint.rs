//! Checkpoints: a signed statement of how long an agreement's history was at one moment.
//!
//! A hash chain alone cannot show that its newest links were cut off, or that an older copy of
//! the database was restored. Every exchange bundle (and exported PDF) carries a checkpoint —
//! the number of versions and the newest version's hash, the number of signed records and a
//! hash over them — signed by the exporting identity. Verification compares the database
//! against every checkpoint it has seen.
//!
//! Text form (one line, for PDFs and `pactum verify --checkpoint FILE`):
//! `pactum-checkpoint v1 <uid> <versions> <head-hash|-> <records> <records-hash> <time> <signer|-> <signature|->`

use serde::{Deserialize, Serialize};

use super::CHECKPOINT_PREFIX;
use crate::{Error, Problem, Result};

const TEXT_MARKER: &str = "pactum-checkpoint";

/// How far an agreement's history reached when the checkpoint was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// The agreement's uid.
    pub agreement: String,
    /// Number of versions.
    pub versions: u32,
    /// Hash of the newest version, if any.
    pub head: Option<String>,
    /// Number of signed records (approvals, rejections, amendment proposals).
    pub records: u32,
    /// SHA-256 over the sorted record digests (order-independent, so two databases holding
    /// the same records agree).
    pub records_hash: String,
    /// When the checkpoint was made (RFC 3339).
    pub time: String,
    /// Ed25519 public key (hex) of the identity that signed it.
    pub signer: Option<String>,
    /// Signature over `pactum/checkpoint/v1\n` ‖ canonical JSON of the other fields.
    pub signature: Option<String>,
}

impl Checkpoint {
    pub(crate) fn signed_body(&self) -> String {
        let mut v = serde_json::to_value(self).expect("a checkpoint serializes");
        if let serde_json::Value::Object(m) = &mut v {
            m.remove("signature");
        }
        crate::canonical::value_to_canonical(&v).expect("a checkpoint has no floats")
    }

    pub(crate) fn sign(&mut self, key: &ed25519_dalek::SigningKey) {
        self.signer = Some(hex::encode(key.verifying_key().as_bytes()));
        self.signature = Some(super::sign_bytes(
            key,
            CHECKPOINT_PREFIX,
            &self.signed_body(),
        ));
    }

    /// Whether it carries a signature that verifies with its signer key.
    pub fn signature_valid(&self) -> bool {
        match (&self.signer, &self.signature) {
            (Some(k), Some(s)) => {
                super::verify_signature(k, CHECKPOINT_PREFIX, &self.signed_body(), s)
            }
            _ => false,
        }
    }

    /// The one-line text form.
    pub fn to_text(&self) -> String {
        format!(
            "{TEXT_MARKER} v1 {} {} {} {} {} {} {} {}",
            self.agreement,
            self.versions,
            self.head.as_deref().unwrap_or("-"),
            self.records,
            self.records_hash,
            self.time,
            self.signer.as_deref().unwrap_or("-"),
            self.signature.as_deref().unwrap_or("-"),
        )
    }

    /// Parses the text form, or the JSON form; surrounding text lines are ignored (a
    /// checkpoint copied out of a PDF).
    pub fn parse(text: &str) -> Result<Checkpoint> {
        let trimmed = text.trim_start_matches('\u{feff}').trim();
        if trimmed.starts_with('{') {
            return serde_json::from_str(trimmed).map_err(|e| {
                Error::BundleInvalid(vec![Problem {
                    path: "$".into(),
                    message: format!("not a checkpoint: {e}"),
                }])
            });
        }
        let bad = |m: String| {
            Error::BundleInvalid(vec![Problem {
                path: "checkpoint".into(),
                message: m,
            }])
        };
        let line = trimmed
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with(TEXT_MARKER))
            .ok_or_else(|| bad(format!("no line starting with \"{TEXT_MARKER}\"")))?;
        let parts: Vec<&str> = line.split_whitespace().collect();
        if parts.len() != 10 || parts[1] != "v1" {
            return Err(bad(format!(
                "expected \"{TEXT_MARKER} v1\" and 8 fields, found {} fields",
                parts.len().saturating_sub(2)
            )));
        }
        let num = |s: &str, what: &str| {
            s.parse::<u32>()
                .map_err(|_| bad(format!("{what} \"{s}\" is not a number")))
        };
        let opt = |s: &str| (s != "-").then(|| s.to_string());
        Ok(Checkpoint {
            agreement: parts[2].into(),
            versions: num(parts[3], "version count")?,
            head: opt(parts[4]),
            records: num(parts[5], "record count")?,
            records_hash: parts[6].into(),
            time: parts[7].into(),
            signer: opt(parts[8]),
            signature: opt(parts[9]),
        })
    }
}

/// Hash over a set of record digests: SHA-256 of the sorted digests, one per line.
pub(crate) fn records_hash(mut digests: Vec<String>) -> String {
    digests.sort();
    crate::canonical::sha256_hex(digests.join("\n").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form_round_trips_and_signature_covers_every_field() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
        let mut cp = Checkpoint {
            agreement: "0b6a2c1e-uid".into(),
            versions: 3,
            head: Some("ab".repeat(32)),
            records: 7,
            records_hash: "cd".repeat(32),
            time: "2026-03-02T09:00:00.000Z".into(),
            signer: None,
            signature: None,
        };
        cp.sign(&key);
        assert!(cp.signature_valid(), "a fresh signature verifies");
        let parsed = Checkpoint::parse(&format!("Checkpoint:\n{}\n", cp.to_text())).unwrap();
        assert_eq!(parsed, cp, "the text form carries every field");
        let mut fewer = cp.clone();
        fewer.versions = 2;
        assert!(
            !fewer.signature_valid(),
            "changing the count breaks the signature"
        );
    }
}
