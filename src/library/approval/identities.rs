//! Own identities on [`Library`]: creating one (new Ed25519 and P-256 keys, a self-issued
//! certificate, the private keys sealed with a passphrase), checking and changing the
//! passphrase, and unlocking the keys for the one call that signs. The cards of own
//! identities sit in the trust list (`trust`) next to everyone else's.

use super::trust::{pick, put_card};
use crate::library::Library;
use crate::signing::identity::{self, IdentityCard, IdentityInfo, KeyPair, NewIdentity};
use crate::signing::KdfParams;
use crate::store::KeyRow;
use crate::{Error, Result};

impl Library {
    /// Creates an own identity with the production key-derivation parameters: new Ed25519 and
    /// P-256 keys, a self-issued certificate, the private keys sealed with `passphrase`.
    pub fn create_identity(&self, new: &NewIdentity, passphrase: &str) -> Result<IdentityInfo> {
        self.create_identity_with_kdf(new, passphrase, KdfParams::default())
    }

    /// Like [`Library::create_identity`] with explicit Argon2 parameters (tests use
    /// [`KdfParams::for_tests`]).
    pub fn create_identity_with_kdf(
        &self,
        new: &NewIdentity,
        passphrase: &str,
        kdf: KdfParams,
    ) -> Result<IdentityInfo> {
        identity::validate_new(new, passphrase)?;
        let keys = KeyPair::generate();
        let card = keys.card(new, (self.clock)())?;
        let sealed = keys.seal(passphrase, kdf)?;
        drop(keys);
        let now = self.now();
        let card_json = card.to_json();
        self.store().write(|tx| {
            put_card(tx, &card, &card_json, true, &now)?;
            tx.put_key(&card.fingerprint, &sealed, &now)?;
            Ok(())
        })?;
        self.identity(&card.fingerprint)
    }

    /// Checks a passphrase without signing anything.
    pub fn check_passphrase(&self, selector: &str, passphrase: &str) -> Result<()> {
        self.unlock(selector, passphrase).map(|_| ())
    }

    /// Re-seals an own identity's keys under a new passphrase (same Argon2 parameters as
    /// before, never weaker than `KdfParams::default()` unless they already were).
    pub fn change_passphrase(&self, selector: &str, old: &str, new: &str) -> Result<()> {
        let (card, keys, sealed) = self.unlock_row(selector, old)?;
        identity::validate_new(
            &NewIdentity {
                name: card.name.clone(),
                organisation: card.organisation.clone(),
                role: card.role,
                email: card.email.clone(),
            },
            new,
        )?;
        let kdf = crate::signing::seal::record_params(&sealed)?;
        let resealed = keys.seal(new, kdf)?;
        self.store()
            .write(|tx| tx.replace_key(&card.fingerprint, &resealed))
    }

    fn unlock_row(
        &self,
        selector: &str,
        passphrase: &str,
    ) -> Result<(IdentityCard, KeyPair, String)> {
        let keys: Vec<KeyRow> = self.store().read(|tx| tx.keys())?;
        let parsed: Vec<(IdentityCard, &KeyRow)> = keys
            .iter()
            .map(|k| {
                serde_json::from_str::<IdentityCard>(&k.card.card)
                    .map(|c| (c, k))
                    .map_err(|e| {
                        Error::KeyDamaged(format!(
                            "the identity card of {} no longer parses: {e}",
                            k.card.fingerprint
                        ))
                    })
            })
            .collect::<Result<_>>()?;
        let (card, row) = pick(&parsed, selector, |(c, _)| c, "own identity")?;
        let pair = KeyPair::unseal(&row.sealed, passphrase, &card.name, &card.key)?;
        Ok((card.clone(), pair, row.sealed.clone()))
    }

    /// Unlocks an own identity's keys for one operation.
    pub(crate) fn unlock(
        &self,
        selector: &str,
        passphrase: &str,
    ) -> Result<(IdentityCard, KeyPair)> {
        self.unlock_row(selector, passphrase)
            .map(|(c, k, _)| (c, k))
    }

    /// The P-256 signing key and certificate (DER) of an own identity, for PDF signatures.
    #[allow(dead_code, reason = "for the PDF signature code in src/pdf")]
    pub(crate) fn pdf_signing_key(
        &self,
        selector: &str,
        passphrase: &str,
    ) -> Result<(p256::ecdsa::SigningKey, Vec<u8>)> {
        let (card, keys) = self.unlock(selector, passphrase)?;
        let der = hex::decode(&card.certificate)
            .map_err(|_| Error::KeyDamaged("the certificate is not hex".into()))?;
        Ok((keys.p256, der))
    }
}
