//! The trust list on [`Library`]: identity cards (own and imported) with their trust, the
//! recorded decisions to trust a further key of a known person, and the [`Trust`] map that
//! verification and the workflow judge signers by. Also how an identity is selected by name
//! or fingerprint, and how a signer is named in what the API returns.
//!
//! A card claiming a person already trusted with another key is refused unless the user
//! decides explicitly ([`Library::import_card_as_new_key`]); two trusted cards of one person
//! without such a decision are reported with each.

use crate::library::Library;
use crate::signing::history::SignerRef;
use crate::signing::identity::{
    self, IdentityCard, IdentityInfo, KeyConflict, KeyDecision, KeyDecisionRecord, PersonKey,
};
use crate::signing::verify::{KnownKey, Trust};
use crate::signing::{display_fingerprint, fingerprint_hex};
use crate::store::{Snapshot, Tx};
use crate::{Error, Result};

/// A card in the trust list with its parsed content.
pub(super) struct KnownCard {
    pub(super) card: IdentityCard,
    pub(super) own: bool,
    trusted: bool,
    added_at: String,
    /// The decision that accepted this card as a further key of a known person.
    decision: Option<KeyDecisionRecord>,
    /// Other trusted cards claiming the same person without a decision linking them.
    unconfirmed: Vec<String>,
}

pub(super) fn known_cards(tx: &Snapshot<'_>) -> Result<Vec<KnownCard>> {
    let decisions = tx.key_decisions()?;
    let mut cards: Vec<KnownCard> = tx
        .cards()?
        .into_iter()
        .map(|row| {
            let card: IdentityCard = serde_json::from_str(&row.card).map_err(|e| {
                Error::Corrupt(format!(
                    "the identity card {} no longer parses: {e}",
                    row.fingerprint
                ))
            })?;
            let decision = decisions
                .iter()
                .rev()
                .find(|d| d.0 == row.fingerprint)
                .and_then(|(_, known, decision, at)| {
                    Some(KeyDecisionRecord {
                        known_fingerprint: known.clone(),
                        known_fingerprint_display: display_fingerprint(known),
                        decision: KeyDecision::from_key(decision)?,
                        decided_at: at.clone(),
                    })
                });
            Ok(KnownCard {
                card,
                own: row.own,
                trusted: row.trusted,
                added_at: row.added_at,
                decision,
                unconfirmed: Vec::new(),
            })
        })
        .collect::<Result<_>>()?;
    // Cards linked by recorded decisions belong to one person; two trusted cards claiming
    // the same person but not linked are reported (a Pactum without the same-person check
    // on import may have put both in).
    let group = {
        let index = |fp: &str| cards.iter().position(|c| c.card.fingerprint == fp);
        let mut parent: Vec<usize> = (0..cards.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        for (fp, known, _, _) in &decisions {
            if let (Some(a), Some(b)) = (index(fp), index(known)) {
                let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                parent[ra] = rb;
            }
        }
        (0..cards.len())
            .map(|i| root(&mut parent, i))
            .collect::<Vec<_>>()
    };
    for i in 0..cards.len() {
        if !cards[i].trusted {
            continue;
        }
        let unconfirmed = (0..cards.len())
            .filter(|&j| {
                j != i
                    && cards[j].trusted
                    && group[j] != group[i]
                    && cards[j].card.key != cards[i].card.key
                    && identity::same_person(&cards[i].card, &cards[j].card)
            })
            .map(|j| cards[j].card.fingerprint.clone())
            .collect();
        cards[i].unconfirmed = unconfirmed;
    }
    Ok(cards)
}

pub(super) fn trust_of(cards: &[KnownCard]) -> Trust {
    cards
        .iter()
        .map(|c| {
            (
                c.card.key.clone(),
                KnownKey {
                    name: c.card.name.clone(),
                    organisation: c.card.organisation.clone(),
                    role: c.card.role,
                    trusted: c.trusted,
                    same_person_unconfirmed: c
                        .unconfirmed
                        .iter()
                        .map(|fp| display_fingerprint(fp))
                        .collect(),
                },
            )
        })
        .collect()
}

fn info(c: &KnownCard) -> IdentityInfo {
    IdentityInfo {
        name: c.card.name.clone(),
        organisation: c.card.organisation.clone(),
        role: c.card.role,
        email: c.card.email.clone(),
        fingerprint: c.card.fingerprint.clone(),
        fingerprint_display: display_fingerprint(&c.card.fingerprint),
        public_key: c.card.key.clone(),
        own: c.own,
        trusted: c.trusted,
        created_at: c.card.created_at.clone(),
        added_at: c.added_at.clone(),
        same_person_unconfirmed: c.unconfirmed.clone(),
        key_decision: c.decision.clone(),
    }
}

/// The first trusted (or own) card, other than `card` itself, that claims the same person as
/// `card` (own identities first, then by name).
fn same_person_as<'a>(cards: &'a [KnownCard], card: &IdentityCard) -> Option<&'a KnownCard> {
    cards
        .iter()
        .find(|c| c.trusted && c.card.key != card.key && identity::same_person(&c.card, card))
}

fn key_conflict(known: &KnownCard, card: &IdentityCard) -> Error {
    Error::KnownPersonNewKey(Box::new(KeyConflict {
        known: PersonKey::of(&known.card, known.own),
        new: PersonKey::of(card, false),
    }))
}

pub(super) fn signer_ref(trust: &Trust, key: &str) -> SignerRef {
    let fp = fingerprint_hex(key);
    let known = trust.get(key);
    SignerRef {
        name: known.map(|k| k.name.clone()).unwrap_or_default(),
        organisation: known.map(|k| k.organisation.clone()).unwrap_or_default(),
        fingerprint_display: display_fingerprint(&fp),
        fingerprint: fp,
        trusted: known.is_some_and(|k| k.trusted),
    }
}

/// Whether `selector` (a name, or a fingerprint or its start of at least 8 hex digits, spaces
/// ignored) names `card`.
fn selects(selector: &str, card: &IdentityCard) -> bool {
    let compact: String = selector
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    (compact.len() >= 8
        && compact.chars().all(|c| c.is_ascii_hexdigit())
        && card.fingerprint.starts_with(&compact))
        || card.name.trim().eq_ignore_ascii_case(selector.trim())
}

pub(super) fn pick<'a, T>(
    items: &'a [T],
    selector: &str,
    card: impl Fn(&T) -> &IdentityCard,
    what: &str,
) -> Result<&'a T> {
    let found: Vec<&T> = items
        .iter()
        .filter(|i| selects(selector, card(i)))
        .collect();
    match found.as_slice() {
        [one] => Ok(one),
        [] => Err(Error::IdentityNotFound(format!(
            "no {what} matches \"{selector}\" (give a name or fingerprint; see `pactum identity list`)"
        ))),
        many => Err(Error::NotAllowed(format!(
            "\"{selector}\" matches {} identities ({}); give the fingerprint instead",
            many.len(),
            many.iter()
                .map(|i| display_fingerprint(&card(i).fingerprint))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// Stores an identity card (its JSON and the columns the trust list is searched by); `own`
/// for identities whose key is in this database. False when it was already trusted.
pub(super) fn put_card(
    tx: &Tx<'_>,
    card: &IdentityCard,
    json: &str,
    own: bool,
    now: &str,
) -> Result<bool> {
    tx.put_card(
        &card.fingerprint,
        &card.key,
        &card.name,
        &card.organisation,
        card.role.key(),
        &card.email,
        json,
        own,
        now,
    )
}

impl Library {
    /// Own identities first, then the trust list (and distrusted cards), by name.
    pub fn identities(&self) -> Result<Vec<IdentityInfo>> {
        let cards = self.store().read(known_cards)?;
        Ok(cards.iter().map(info).collect())
    }

    /// One identity (own or from the trust list) by name or fingerprint.
    pub fn identity(&self, selector: &str) -> Result<IdentityInfo> {
        let cards = self.store().read(known_cards)?;
        Ok(info(pick(&cards, selector, |c| &c.card, "identity")?))
    }

    /// The public identity card (JSON) of an identity, for others' trust lists.
    pub fn export_card(&self, selector: &str) -> Result<String> {
        let cards = self.store().read(known_cards)?;
        Ok(pick(&cards, selector, |c| &c.card, "identity")?
            .card
            .to_json())
    }

    /// Imports someone's identity card into the trust list after checking its self-signature.
    /// Compare the fingerprint with its owner (by phone) before relying on it.
    ///
    /// A card that claims a trusted or own person (the same name, ignoring case, white space
    /// and Unicode composition, or the same e-mail address) with a key not trusted for them
    /// is refused with [`Error::KnownPersonNewKey`], showing both fingerprints: it may be an
    /// impersonation. Only [`Library::import_card_as_new_key`] accepts it.
    pub fn import_card(&self, bytes: &[u8]) -> Result<IdentityInfo> {
        let card = IdentityCard::from_json(bytes)?;
        let now = self.now();
        let json = card.to_json();
        self.store().write(|tx| {
            let cards = known_cards(tx)?;
            let trusted = cards
                .iter()
                .any(|c| c.card.fingerprint == card.fingerprint && c.trusted);
            if !trusted {
                if let Some(known) = same_person_as(&cards, &card) {
                    return Err(key_conflict(known, &card));
                }
            }
            put_card(tx, &card, &json, false, &now)
        })?;
        self.identity(&card.fingerprint)
    }

    /// Trusts a card as a further key of a person already trusted — the explicit decision
    /// after [`Error::KnownPersonNewKey`]. `known_fingerprint` must be the trusted fingerprint
    /// that refusal showed (its display form or the full hex; at least the 32 digits of the
    /// display form): if the trust list changed since, or it names another key, the card is
    /// refused again with the current conflict. `Add` keeps the old key trusted, `Replace`
    /// distrusts it (not possible for an own identity); the decision is recorded and shown
    /// with the card. Also records the decision for a card that is already trusted next to
    /// another key of the same person (a database from an older Pactum).
    pub fn import_card_as_new_key(
        &self,
        bytes: &[u8],
        known_fingerprint: &str,
        decision: KeyDecision,
    ) -> Result<IdentityInfo> {
        let card = IdentityCard::from_json(bytes)?;
        let now = self.now();
        let json = card.to_json();
        let named: String = known_fingerprint
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        self.store().write(|tx| {
            let cards = known_cards(tx)?;
            let Some(known) = same_person_as(&cards, &card) else {
                return Err(Error::NotAllowed(format!(
                    "{} ({}) claims no trusted identity; import the card without a decision",
                    card.name,
                    card.fingerprint_display()
                )));
            };
            if named.len() < 32 || !known.card.fingerprint.starts_with(&named) {
                return Err(key_conflict(known, &card));
            }
            if decision == KeyDecision::Replace && known.own {
                return Err(Error::NotAllowed(format!(
                    "{} is one of your own identities and stays trusted; add the new key instead",
                    known.card.name
                )));
            }
            put_card(tx, &card, &json, false, &now)?;
            tx.put_key_decision(
                &card.fingerprint,
                &known.card.fingerprint,
                decision.key(),
                &now,
            )?;
            if decision == KeyDecision::Replace {
                tx.distrust(&known.card.fingerprint)?;
            }
            Ok(())
        })?;
        self.identity(&card.fingerprint)
    }

    /// Removes a card from the trust list; signatures by it no longer count (verification
    /// reports them). Own identities cannot be distrusted.
    pub fn distrust(&self, selector: &str) -> Result<IdentityInfo> {
        let found = self.identity(selector)?;
        if found.own {
            return Err(Error::NotAllowed(format!(
                "{} is one of your own identities and stays trusted",
                found.name
            )));
        }
        self.store().write(|tx| tx.distrust(&found.fingerprint))?;
        self.identity(&found.fingerprint)
    }
}
