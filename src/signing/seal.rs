//! Private keys at rest: a passphrase-sealed record (Argon2id → XChaCha20-Poly1305).
//!
//! Record layout (176 bytes, stored as lower-case hex; see `docs/signing.md`):
//!
//! ```text
//! header (64 bytes, the AEAD's associated data)
//!   "PACTUM-KEY"  10 bytes magic
//!   0x01          format version
//!   0x01          KDF: Argon2id v0x13
//!   m_kib, t, p   3 × u32 big-endian: Argon2 memory (KiB), passes, lanes
//!   salt          16 bytes
//!   nonce         24 bytes
//! ciphertext     80 bytes: XChaCha20-Poly1305(Ed25519 secret 32 ‖ P-256 secret 32) with its tag
//! checksum       32 bytes: SHA-256(header ‖ ciphertext)
//! ```
//!
//! The checksum tells damage from a wrong passphrase: a record whose checksum fails is
//! damaged (`key_damaged`); an intact record whose tag fails was opened with the wrong
//! passphrase (`wrong_passphrase`). The checksum is not a secret MAC: someone who rewrites the
//! record on purpose still cannot open it, only make it report a wrong passphrase.

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::{Error, Result};

const MAGIC: &[u8; 10] = b"PACTUM-KEY";
const FORMAT_VERSION: u8 = 1;
const KDF_ARGON2ID: u8 = 1;
const HEADER_LEN: usize = 64;
/// Plaintext: the Ed25519 secret key and the P-256 secret scalar.
pub(crate) const SECRET_LEN: usize = 64;
const CIPHERTEXT_LEN: usize = SECRET_LEN + 16;
const RECORD_LEN: usize = HEADER_LEN + CIPHERTEXT_LEN + 32;

/// Largest Argon2 parameters a record may name; larger ones are treated as damage rather than
/// letting a record make the program allocate gigabytes.
const MAX_M_KIB: u32 = 4 * 1024 * 1024;
const MAX_T: u32 = 64;
const MAX_P: u32 = 16;

/// Argon2id cost parameters, stored in every sealed record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes over the memory.
    pub t: u32,
    /// Lanes (parallelism).
    pub p: u32,
}

impl Default for KdfParams {
    /// The production parameters: 64 MiB, 3 passes, 1 lane.
    fn default() -> Self {
        KdfParams {
            m_kib: 64 * 1024,
            t: 3,
            p: 1,
        }
    }
}

impl KdfParams {
    /// Cheap parameters for tests only (256 KiB, one pass): never use them for real keys.
    pub fn for_tests() -> Self {
        KdfParams {
            m_kib: 256,
            t: 1,
            p: 1,
        }
    }

    fn argon2(&self) -> Result<Argon2<'static>> {
        let params = Params::new(self.m_kib, self.t, self.p, Some(32))
            .map_err(|e| Error::KeyDamaged(format!("impossible Argon2 parameters: {e}")))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

/// Seals `secret` (the two private keys) with `passphrase`. Returns the record as hex.
pub(crate) fn seal(
    secret: &Zeroizing<[u8; SECRET_LEN]>,
    passphrase: &str,
    kdf: KdfParams,
) -> Result<String> {
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    OsRng.fill_bytes(&mut salt);
    OsRng.fill_bytes(&mut nonce);
    let mut header = Vec::with_capacity(HEADER_LEN);
    header.extend_from_slice(MAGIC);
    header.push(FORMAT_VERSION);
    header.push(KDF_ARGON2ID);
    header.extend_from_slice(&kdf.m_kib.to_be_bytes());
    header.extend_from_slice(&kdf.t.to_be_bytes());
    header.extend_from_slice(&kdf.p.to_be_bytes());
    header.extend_from_slice(&salt);
    header.extend_from_slice(&nonce);
    debug_assert_eq!(header.len(), HEADER_LEN);
    let key = derive(passphrase, &salt, kdf)?;
    let cipher = XChaCha20Poly1305::new(key.as_ref().into());
    let ciphertext = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: secret.as_ref(),
                aad: &header,
            },
        )
        .map_err(|_| Error::KeyDamaged("encryption failed".into()))?;
    let mut record = header;
    record.extend_from_slice(&ciphertext);
    let checksum = Sha256::digest(&record);
    record.extend_from_slice(&checksum);
    Ok(hex::encode(record))
}

/// Opens a sealed record. A damaged record gives [`Error::KeyDamaged`], a wrong passphrase
/// [`Error::WrongPassphrase`] (with `owner` in the message).
pub(crate) fn unseal(
    record_hex: &str,
    passphrase: &str,
    owner: &str,
) -> Result<Zeroizing<[u8; SECRET_LEN]>> {
    let record = hex::decode(record_hex.trim())
        .map_err(|e| Error::KeyDamaged(format!("the record is not hex ({e})")))?;
    if record.len() != RECORD_LEN {
        return Err(Error::KeyDamaged(format!(
            "the record is {} bytes, a sealed key has {RECORD_LEN}",
            record.len()
        )));
    }
    let (body, checksum) = record.split_at(HEADER_LEN + CIPHERTEXT_LEN);
    if Sha256::digest(body).as_slice() != checksum {
        return Err(Error::KeyDamaged(
            "its checksum does not match (a byte changed); restore the key from a backup".into(),
        ));
    }
    let (header, ciphertext) = body.split_at(HEADER_LEN);
    if &header[..10] != MAGIC {
        return Err(Error::KeyDamaged(
            "it does not start with PACTUM-KEY".into(),
        ));
    }
    if header[10] != FORMAT_VERSION || header[11] != KDF_ARGON2ID {
        return Err(Error::KeyDamaged(format!(
            "unknown key format {} / KDF {}",
            header[10], header[11]
        )));
    }
    let word =
        |i: usize| u32::from_be_bytes([header[i], header[i + 1], header[i + 2], header[i + 3]]);
    let kdf = KdfParams {
        m_kib: word(12),
        t: word(16),
        p: word(20),
    };
    if kdf.m_kib > MAX_M_KIB || kdf.t > MAX_T || kdf.p > MAX_P {
        return Err(Error::KeyDamaged(format!(
            "it names Argon2 parameters beyond the limits ({kdf:?})"
        )));
    }
    let salt = &header[24..40];
    let nonce = &header[40..64];
    let key = derive(passphrase, salt, kdf)?;
    let cipher = XChaCha20Poly1305::new(key.as_ref().into());
    let plain = Zeroizing::new(
        cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: header,
                },
            )
            .map_err(|_| Error::WrongPassphrase(owner.to_string()))?,
    );
    let mut out = Zeroizing::new([0u8; SECRET_LEN]);
    out.copy_from_slice(&plain);
    Ok(out)
}

/// The Argon2 parameters a record names, without opening it (for reports and tests).
pub(crate) fn record_params(record_hex: &str) -> Option<KdfParams> {
    let record = hex::decode(record_hex.trim()).ok()?;
    if record.len() != RECORD_LEN {
        return None;
    }
    let word =
        |i: usize| u32::from_be_bytes([record[i], record[i + 1], record[i + 2], record[i + 3]]);
    Some(KdfParams {
        m_kib: word(12),
        t: word(16),
        p: word(20),
    })
}

fn derive(passphrase: &str, salt: &[u8], kdf: KdfParams) -> Result<Zeroizing<[u8; 32]>> {
    let mut key = Zeroizing::new([0u8; 32]);
    kdf.argon2()?
        .hash_password_into(passphrase.as_bytes(), salt, key.as_mut())
        .map_err(|e| Error::KeyDamaged(format!("key derivation failed: {e}")))?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> Zeroizing<[u8; SECRET_LEN]> {
        let mut s = Zeroizing::new([0u8; SECRET_LEN]);
        for (i, b) in s.iter_mut().enumerate() {
            *b = i as u8;
        }
        s
    }

    #[test]
    fn round_trip_and_distinct_errors() {
        let sealed = seal(&secret(), "correct horse", KdfParams::for_tests()).unwrap();
        assert_eq!(
            *unseal(&sealed, "correct horse", "me").unwrap(),
            *secret(),
            "the right passphrase opens the record"
        );
        let wrong = unseal(&sealed, "wrong horse", "me").unwrap_err();
        assert_eq!(wrong.code(), "wrong_passphrase", "{wrong}");
        let mut bytes = hex::decode(&sealed).unwrap();
        for i in [0, 12, 30, 70, 150, RECORD_LEN - 1] {
            let mut damaged = bytes.clone();
            damaged[i] ^= 0x01;
            let err = unseal(&hex::encode(&damaged), "correct horse", "me").unwrap_err();
            assert_eq!(err.code(), "key_damaged", "byte {i} flipped: {err}");
        }
        bytes.truncate(100);
        let err = unseal(&hex::encode(&bytes), "correct horse", "me").unwrap_err();
        assert_eq!(
            err.code(),
            "key_damaged",
            "a truncated record is damaged: {err}"
        );
        assert_eq!(record_params(&sealed), Some(KdfParams::for_tests()));
    }
}
