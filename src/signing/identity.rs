//! Signing identities: a person with a role, an Ed25519 key for the history and a P-256 key
//! (with a self-issued X.509 certificate) for PDF signatures; and the public identity card
//! people exchange to build their trust lists.
//!
//! A card is small JSON (`"format": "pactum-identity"`) self-signed with the Ed25519 key, so a
//! damaged or edited card is refused on import. The fingerprint is the SHA-256 of the Ed25519
//! public key; people compare its display form (`3F2A 9C01 …`) by phone before trusting a card.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::seal::{self, KdfParams, SECRET_LEN};
use super::{display_fingerprint, fingerprint_of, Role, IDENTITY_PREFIX};
use crate::{Error, Problem, Result};

/// Value of a card's `format` field.
pub const CARD_FORMAT: &str = "pactum-identity";
/// Card format version this build writes and reads.
pub const CARD_VERSION: u32 = 1;
/// Largest identity card file accepted.
pub const MAX_CARD_BYTES: usize = 64 * 1024;
/// Longest name, organisation or e-mail address (the certificate allows 64 characters for
/// names).
const MAX_NAME_CHARS: usize = 64;
const MAX_EMAIL_CHARS: usize = 254;

/// What a person enters to create an identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewIdentity {
    pub name: String,
    pub organisation: String,
    pub role: Role,
    pub email: String,
}

/// An identity as the API shows it: public data only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct IdentityInfo {
    pub name: String,
    pub organisation: String,
    pub role: Role,
    pub email: String,
    /// Full fingerprint, lower-case hex SHA-256 of the Ed25519 public key.
    pub fingerprint: String,
    /// The fingerprint for reading aloud: `3F2A 9C01 …` (first 16 bytes).
    pub fingerprint_display: String,
    /// Ed25519 public key, hex.
    pub public_key: String,
    /// True for identities whose private key is in this database.
    pub own: bool,
    /// True when signatures by this key count (own identities and imported cards).
    pub trusted: bool,
    /// When the card was created (RFC 3339).
    pub created_at: String,
    /// When it was added to this database.
    pub added_at: String,
    /// Full fingerprints of other trusted (or own) cards that claim the same person (same
    /// name or e-mail, see [`same_person`]) with another key, without a recorded decision
    /// linking them: one of them may be an impersonation. Empty for untrusted cards.
    pub same_person_unconfirmed: Vec<String>,
    /// The decision by which this card was accepted as a further key of a known person.
    pub key_decision: Option<KeyDecisionRecord>,
}

/// What to do with the trusted key of a person whose card arrives with a new key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum KeyDecision {
    /// Keep the old key trusted as well (a second device, say).
    Add,
    /// Distrust the old key (lost or retired).
    Replace,
}

impl KeyDecision {
    pub fn key(self) -> &'static str {
        match self {
            KeyDecision::Add => "add",
            KeyDecision::Replace => "replace",
        }
    }

    pub fn from_key(key: &str) -> Option<KeyDecision> {
        match key {
            "add" => Some(KeyDecision::Add),
            "replace" => Some(KeyDecision::Replace),
            _ => None,
        }
    }
}

/// A recorded decision to trust a card as a further key of a known person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct KeyDecisionRecord {
    /// The trusted key the person already had (full fingerprint).
    pub known_fingerprint: String,
    pub known_fingerprint_display: String,
    pub decision: KeyDecision,
    pub decided_at: String,
}

/// One side of a [`KeyConflict`]: who a card says it is, and its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PersonKey {
    pub name: String,
    pub organisation: String,
    pub role: Role,
    pub email: String,
    pub fingerprint: String,
    /// `3F2A 9C01 …` (8 groups), for comparing by phone.
    pub fingerprint_display: String,
    /// True when `known` is one of the own identities.
    pub own: bool,
}

impl PersonKey {
    pub(crate) fn of(card: &IdentityCard, own: bool) -> PersonKey {
        PersonKey {
            name: card.name.clone(),
            organisation: card.organisation.clone(),
            role: card.role,
            email: card.email.clone(),
            fingerprint: card.fingerprint.clone(),
            fingerprint_display: card.fingerprint_display(),
            own,
        }
    }
}

/// A card claiming a trusted (or own) person with a key that is not trusted for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct KeyConflict {
    /// The trusted identity the card claims to be.
    pub known: PersonKey,
    /// The card that was refused.
    pub new: PersonKey,
}

/// A name compared without regard to case, runs of white space and Unicode composition.
fn normalised_name(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let lower: String = name.nfc().collect::<String>().to_lowercase();
    lower
        .nfc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether two cards claim the same person: the same name (case, white space and Unicode
/// composition ignored) or the same non-empty e-mail address (case ignored).
pub fn same_person(a: &IdentityCard, b: &IdentityCard) -> bool {
    let email = |c: &IdentityCard| c.email.trim().to_lowercase();
    (!normalised_name(&a.name).is_empty() && normalised_name(&a.name) == normalised_name(&b.name))
        || (!email(a).is_empty() && email(a) == email(b))
}

/// A public identity card: the signed, shareable description of an identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct IdentityCard {
    pub format: String,
    pub version: u32,
    pub name: String,
    pub organisation: String,
    pub role: Role,
    pub email: String,
    /// Ed25519 public key, hex.
    pub key: String,
    /// The P-256 X.509 certificate (DER) used for PDF signatures, hex.
    pub certificate: String,
    /// SHA-256 of the Ed25519 public key, hex.
    pub fingerprint: String,
    pub created_at: String,
    /// Ed25519 signature over `pactum/identity/v1\n` ‖ canonical JSON of every other field.
    pub signature: String,
}

impl IdentityCard {
    /// The bytes the self-signature covers (without the prefix).
    pub fn signed_body(&self) -> String {
        let mut v = serde_json::to_value(self).expect("a card always serializes");
        if let serde_json::Value::Object(m) = &mut v {
            m.remove("signature");
        }
        crate::canonical::value_to_canonical(&v).expect("a card has no floats")
    }

    /// Checks form, fingerprint and self-signature; every problem names its JSON path.
    pub fn check(&self, base: &str) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut bad = |field: &str, message: String| {
            problems.push(Problem {
                path: format!("{base}.{field}"),
                message,
            })
        };
        if self.format != CARD_FORMAT {
            bad("format", format!("expected \"{CARD_FORMAT}\""));
        }
        if self.version != CARD_VERSION {
            bad(
                "version",
                format!(
                    "card version {} is not supported (this Pactum reads {CARD_VERSION})",
                    self.version
                ),
            );
        }
        for (field, value, max) in [
            ("name", &self.name, MAX_NAME_CHARS),
            ("organisation", &self.organisation, MAX_NAME_CHARS),
            ("email", &self.email, MAX_EMAIL_CHARS),
        ] {
            if let Err(m) = check_text(value, max, field == "name") {
                bad(field, m);
            }
        }
        let Some(key) = super::parse_public_key(&self.key) else {
            bad("key", "not a hex Ed25519 public key".into());
            return problems;
        };
        if fingerprint_of(key.as_bytes()) != self.fingerprint {
            bad("fingerprint", "does not match the key".into());
        }
        match hex::decode(&self.certificate) {
            Ok(der) => {
                use der::Decode;
                if x509_cert::Certificate::from_der(&der).is_err() {
                    bad("certificate", "not an X.509 certificate".into());
                }
            }
            Err(_) => bad("certificate", "not hex".into()),
        }
        if DateTime::parse_from_rfc3339(&self.created_at).is_err() {
            bad("created_at", "not an RFC 3339 time".into());
        }
        if !super::verify_signature(
            &self.key,
            IDENTITY_PREFIX,
            &self.signed_body(),
            &self.signature,
        ) {
            bad(
                "signature",
                "the card's self-signature does not verify (the card was changed or damaged)"
                    .into(),
            );
        }
        problems
    }

    /// Parses and checks a card file.
    pub fn from_json(bytes: &[u8]) -> Result<IdentityCard> {
        if bytes.len() > MAX_CARD_BYTES {
            return Err(Error::TooLarge {
                what: "the identity card".into(),
                actual: bytes.len() as u64,
                limit: MAX_CARD_BYTES as u64,
            });
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let de = &mut serde_json::Deserializer::from_slice(bytes);
        let card: IdentityCard = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let path = if path == "." {
                "$".to_string()
            } else {
                format!("$.{path}")
            };
            Error::BundleInvalid(vec![Problem {
                path,
                message: e.inner().to_string(),
            }])
        })?;
        let problems = card.check("$");
        if problems.is_empty() {
            Ok(card)
        } else {
            Err(Error::BundleInvalid(problems))
        }
    }

    /// The card as a pretty JSON file.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a card always serializes");
        s.push('\n');
        s
    }

    pub fn fingerprint_display(&self) -> String {
        display_fingerprint(&self.fingerprint)
    }
}

/// Validates a name, organisation or e-mail address.
pub(crate) fn check_text(value: &str, max: usize, required: bool) -> Result<(), String> {
    if required && value.trim().is_empty() {
        return Err("must not be empty".into());
    }
    if value.chars().count() > max {
        return Err(format!("is longer than {max} characters"));
    }
    if value.trim() != value {
        return Err("has spaces at the start or end".into());
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(format!("contains the control character U+{:04X}", c as u32));
    }
    // Names print on the PDF's signature page and in the terminal: no bidirectional controls.
    if let Some(why) = crate::interchange::refused_character(value) {
        return Err(why);
    }
    Ok(())
}

/// An unlocked identity's private keys. Never printed, serialized or returned by the API.
pub(crate) struct KeyPair {
    pub ed25519: ed25519_dalek::SigningKey,
    pub p256: p256::ecdsa::SigningKey,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyPair { <secret> }")
    }
}

impl KeyPair {
    pub fn generate() -> KeyPair {
        let mut rng = rand_core::OsRng;
        KeyPair {
            ed25519: ed25519_dalek::SigningKey::generate(&mut rng),
            p256: p256::ecdsa::SigningKey::random(&mut rng),
        }
    }

    fn secret(&self) -> Zeroizing<[u8; SECRET_LEN]> {
        let mut s = Zeroizing::new([0u8; SECRET_LEN]);
        s[..32].copy_from_slice(self.ed25519.as_bytes());
        let p = Zeroizing::new(self.p256.to_bytes());
        s[32..].copy_from_slice(p.as_slice());
        s
    }

    pub fn seal(&self, passphrase: &str, kdf: KdfParams) -> Result<String> {
        seal::seal(&self.secret(), passphrase, kdf)
    }

    /// Opens a sealed record and checks that it holds the key of `expected_public` (hex).
    pub fn unseal(
        record: &str,
        passphrase: &str,
        owner: &str,
        expected_public: &str,
    ) -> Result<KeyPair> {
        let secret = seal::unseal(record, passphrase, owner)?;
        let mut ed = Zeroizing::new([0u8; 32]);
        ed.copy_from_slice(&secret[..32]);
        let ed25519 = ed25519_dalek::SigningKey::from_bytes(&ed);
        let p256 = p256::ecdsa::SigningKey::from_slice(&secret[32..])
            .map_err(|_| Error::KeyDamaged("the P-256 key inside is not valid".into()))?;
        if hex::encode(ed25519.verifying_key().as_bytes()) != expected_public {
            return Err(Error::KeyDamaged(
                "it holds a different key than the identity's public key".into(),
            ));
        }
        Ok(KeyPair { ed25519, p256 })
    }

    pub fn public_hex(&self) -> String {
        hex::encode(self.ed25519.verifying_key().as_bytes())
    }

    /// Builds the self-signed card, issuing the X.509 certificate for the P-256 key.
    pub fn card(&self, new: &NewIdentity, now: DateTime<Utc>) -> Result<IdentityCard> {
        let certificate = crate::pdf::certificate::self_issued(
            &self.p256,
            &crate::pdf::certificate::CertificateSubject {
                name: new.name.clone(),
                organisation: new.organisation.clone(),
                email: new.email.clone(),
            },
            now,
            5,
        )?;
        let key = self.public_hex();
        let mut card = IdentityCard {
            format: CARD_FORMAT.into(),
            version: CARD_VERSION,
            name: new.name.clone(),
            organisation: new.organisation.clone(),
            role: new.role,
            email: new.email.clone(),
            fingerprint: fingerprint_of(self.ed25519.verifying_key().as_bytes()),
            key,
            certificate: hex::encode(certificate),
            created_at: now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            signature: String::new(),
        };
        card.signature = super::sign_bytes(&self.ed25519, IDENTITY_PREFIX, &card.signed_body());
        Ok(card)
    }
}

/// Validates what a person typed for a new identity.
pub(crate) fn validate_new(new: &NewIdentity, passphrase: &str) -> Result<()> {
    let mut problems = Vec::new();
    for (field, value, max) in [
        ("name", &new.name, MAX_NAME_CHARS),
        ("organisation", &new.organisation, MAX_NAME_CHARS),
        ("email", &new.email, MAX_EMAIL_CHARS),
    ] {
        if let Err(m) = check_text(value, max, field == "name") {
            problems.push(Problem {
                path: format!("$.identity.{field}"),
                message: m,
            });
        }
    }
    if !new.email.is_empty() && !new.email.contains('@') {
        problems.push(Problem {
            path: "$.identity.email".into(),
            message: "is not an e-mail address".into(),
        });
    }
    if passphrase.chars().count() < 8 {
        problems.push(Problem {
            path: "passphrase".into(),
            message: "a passphrase needs at least 8 characters".into(),
        });
    }
    if passphrase.len() > 1024 {
        problems.push(Problem {
            path: "passphrase".into(),
            message: "a passphrase is at most 1024 bytes".into(),
        });
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}
