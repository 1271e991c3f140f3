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
//!
//! Before any key derivation, the parameters are bounded (`m` ≤ 1 GiB, `t` ≤ 16, `p` ≤ 16):
//! a rewritten record with a recomputed checksum could otherwise make unlocking allocate
//! gigabytes and run for minutes. A release build also refuses a record sealed with parameters
//! weaker than the production ones ([`KdfParams::for_tests`]); debug and test builds, and
//! builds with the `insecure-test-kdf` feature, accept them.

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

/// Largest Argon2 parameters a record may name: 1 GiB of memory, 16 passes, 16 lanes, well
/// above the production 64 MiB, 3, 1. A record naming more is damaged: checked before any
/// memory is allocated, so a rewritten record cannot make unlocking take gigabytes or minutes.
pub const MAX_M_KIB: u32 = 1024 * 1024;
pub const MAX_T: u32 = 16;
pub const MAX_P: u32 = 16;

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
    /// Only debug and test builds (or builds with the `insecure-test-kdf` feature) seal or open
    /// keys with them; a release build refuses such a record as `key_damaged`.
    pub fn for_tests() -> Self {
        KdfParams {
            m_kib: 256,
            t: 1,
            p: 1,
        }
    }

    /// Weaker than the production parameters ([`KdfParams::default`]) in memory or passes:
    /// what [`KdfParams::for_tests`] and anything like it give.
    pub fn is_test_strength(&self) -> bool {
        let production = KdfParams::default();
        self.m_kib < production.m_kib || self.t < production.t
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
    seal_in(secret, passphrase, kdf, THIS_BUILD)
}

fn seal_in(
    secret: &Zeroizing<[u8; SECRET_LEN]>,
    passphrase: &str,
    kdf: KdfParams,
    accepts: Accepts,
) -> Result<String> {
    if accepts == Accepts::Production && kdf.is_test_strength() {
        return Err(Error::NotAllowed(format!(
            "keys are not sealed with test key-derivation parameters ({kdf:?}) in this build"
        )));
    }
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
    unseal_in(record_hex, passphrase, owner, THIS_BUILD)
}

/// Which key-derivation parameters a build accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Accepts {
    /// Only parameters at least as strong as [`KdfParams::default`] (release builds).
    Production,
    /// [`KdfParams::for_tests`] too (debug and test builds, or the `insecure-test-kdf` feature).
    TestParams,
}

const THIS_BUILD: Accepts = if cfg!(any(debug_assertions, feature = "insecure-test-kdf")) {
    Accepts::TestParams
} else {
    Accepts::Production
};

fn unseal_in(
    record_hex: &str,
    passphrase: &str,
    owner: &str,
    accepts: Accepts,
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
    let kdf = bounded_params(header)?;
    if accepts == Accepts::Production && kdf.is_test_strength() {
        return Err(Error::KeyDamaged(format!(
            "it was sealed with test parameters; not accepted by this build \
             (m = {} KiB, t = {}; at least {} KiB and {} passes)",
            kdf.m_kib,
            kdf.t,
            KdfParams::default().m_kib,
            KdfParams::default().t
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

/// The Argon2 parameters a record names, without opening it (for reports and re-sealing):
/// `key_damaged` for a record of the wrong length or naming parameters beyond the bounds.
pub(crate) fn record_params(record_hex: &str) -> Result<KdfParams> {
    let record = hex::decode(record_hex.trim())
        .map_err(|e| Error::KeyDamaged(format!("the record is not hex ({e})")))?;
    if record.len() != RECORD_LEN {
        return Err(Error::KeyDamaged(format!(
            "the record is {} bytes, a sealed key has {RECORD_LEN}",
            record.len()
        )));
    }
    bounded_params(&record[..HEADER_LEN])
}

/// Reads `m`, `t` and `p` from a record's header and checks them against [`MAX_M_KIB`],
/// [`MAX_T`] and [`MAX_P`] (and Argon2's own minimums), naming the first one out of range.
fn bounded_params(header: &[u8]) -> Result<KdfParams> {
    let word =
        |i: usize| u32::from_be_bytes([header[i], header[i + 1], header[i + 2], header[i + 3]]);
    let kdf = KdfParams {
        m_kib: word(12),
        t: word(16),
        p: word(20),
    };
    let out_of_range = |what: String, bound: String| {
        Err(Error::KeyDamaged(format!(
            "it names the Argon2 {what}, out of range ({bound})"
        )))
    };
    if kdf.m_kib > MAX_M_KIB {
        return out_of_range(
            format!("memory m = {} KiB", kdf.m_kib),
            format!("at most {MAX_M_KIB} KiB = 1 GiB"),
        );
    }
    if kdf.t == 0 || kdf.t > MAX_T {
        return out_of_range(format!("passes t = {}", kdf.t), format!("1 to {MAX_T}"));
    }
    if kdf.p == 0 || kdf.p > MAX_P {
        return out_of_range(format!("lanes p = {}", kdf.p), format!("1 to {MAX_P}"));
    }
    if kdf.m_kib < 8 * kdf.p {
        return out_of_range(
            format!("memory m = {} KiB", kdf.m_kib),
            format!("at least 8 KiB per lane, {} KiB", 8 * kdf.p),
        );
    }
    Ok(kdf)
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
        assert_eq!(record_params(&sealed).unwrap(), KdfParams::for_tests());
    }

    /// Writes `m`, `t`, `p` into a record and recomputes its checksum, as an attacker with
    /// access to the file would.
    fn with_params(record_hex: &str, m_kib: u32, t: u32, p: u32) -> String {
        let mut bytes = hex::decode(record_hex).unwrap();
        bytes[12..16].copy_from_slice(&m_kib.to_be_bytes());
        bytes[16..20].copy_from_slice(&t.to_be_bytes());
        bytes[20..24].copy_from_slice(&p.to_be_bytes());
        let checksum = Sha256::digest(&bytes[..HEADER_LEN + CIPHERTEXT_LEN]);
        bytes[HEADER_LEN + CIPHERTEXT_LEN..].copy_from_slice(&checksum);
        hex::encode(bytes)
    }

    #[test]
    fn parameters_beyond_the_bounds_are_damage_named_before_any_derivation() {
        let sealed = seal(&secret(), "correct horse", KdfParams::for_tests()).unwrap();
        // Each case would otherwise cost a derivation (1 GiB + 1 KiB, or 17 passes) before
        // the tag fails; the out-of-range parameter must be named instead.
        for (m, t, p, named) in [
            (MAX_M_KIB + 1, 1, 1, "memory m = 1048577 KiB"),
            (256, MAX_T + 1, 1, "passes t = 17"),
            (256, 1, MAX_P + 1, "lanes p = 17"),
            (256, 0, 1, "passes t = 0"),
            (256, 1, 0, "lanes p = 0"),
            (8, 1, 2, "memory m = 8 KiB"),
        ] {
            let record = with_params(&sealed, m, t, p);
            for err in [
                unseal(&record, "correct horse", "me").unwrap_err(),
                record_params(&record).unwrap_err(),
            ] {
                assert_eq!(
                    err.code(),
                    "key_damaged",
                    "m={m} t={t} p={p} is out of range, so the record is damaged: {err}"
                );
                assert!(
                    err.to_string().contains(named),
                    "the message names the parameter ({named}): {err}"
                );
            }
        }
        let at_bounds = with_params(&sealed, 256, MAX_T, MAX_P);
        assert_eq!(
            unseal(&at_bounds, "correct horse", "me")
                .unwrap_err()
                .code(),
            "wrong_passphrase",
            "parameters at the bounds are read (the changed header then fails the tag)"
        );
    }

    #[test]
    fn a_release_build_refuses_records_sealed_with_test_parameters() {
        let weak = seal(&secret(), "correct horse", KdfParams::for_tests()).unwrap();
        for passphrase in ["correct horse", "wrong horse"] {
            let err = unseal_in(&weak, passphrase, "me", Accepts::Production).unwrap_err();
            assert_eq!(
                err.code(),
                "key_damaged",
                "a release build does not open a record sealed with test parameters: {err}"
            );
            assert!(
                err.to_string()
                    .contains("sealed with test parameters; not accepted by this build"),
                "the message says why the record is refused: {err}"
            );
        }
        for (m, t) in [(64 * 1024 - 1, 3), (64 * 1024, 2)] {
            let err = unseal_in(&with_params(&weak, m, t, 1), "x", "me", Accepts::Production)
                .unwrap_err();
            assert!(
                err.to_string().contains("sealed with test parameters"),
                "m={m} t={t} is below the production minimum (64 MiB, 3 passes): {err}"
            );
        }
        let err = seal_in(&secret(), "x", KdfParams::for_tests(), Accepts::Production).unwrap_err();
        assert_eq!(
            err.code(),
            "not_allowed",
            "a release build does not seal with test parameters either: {err}"
        );
        assert_eq!(
            *unseal_in(&weak, "correct horse", "me", Accepts::TestParams).unwrap(),
            *secret(),
            "test and debug builds open records sealed with test parameters"
        );
        let strong = seal_in(
            &secret(),
            "correct horse",
            KdfParams::default(),
            Accepts::Production,
        )
        .unwrap();
        assert_eq!(
            *unseal_in(&strong, "correct horse", "me", Accepts::Production).unwrap(),
            *secret(),
            "a release build opens records sealed with the production parameters"
        );
    }
}
