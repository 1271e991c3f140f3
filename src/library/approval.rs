//! The signing workflow on [`Library`]: identities and the trust list, approval policies,
//! requesting approval and signing, amendments, verification, checkpoints and exchange
//! bundles.
//!
//! Status follows only from signatures: after every signature or import, `settle` looks at
//! the stored decisions and puts the newest fully approved version in force (enacting an
//! approved amendment as the next version). Private keys are unlocked only for the one call
//! that signs, outside the store lock (Argon2 takes a moment), and dropped (zeroized) after.

use serde::{Deserialize, Serialize};

use super::{parse_stored, Library, Prepared};
use crate::canonical::canonical_with_hash;
use crate::model::Agreement;
use crate::record::{AgreementId, Status};
use crate::signing::bundle::{
    self, Bundle, BundleAgreement, BundleAmendment, BundleKind, BundleRequest, BundleSignature,
    BundleVersion, ImportOutcome,
};
use crate::signing::checkpoint::{records_hash, Checkpoint};
use crate::signing::history::{
    AmendmentLogEntry, AmendmentRef, AmendmentReview, AmendmentRow, AmendmentState,
    AmendmentSummary, ApprovalRequest, History, HistoryRows, PendingApproval, PendingKind,
    Proposal, SignatureEntry, SignatureRow, SignerRef, Statement, VersionEntry, VersionRow,
    VersionState,
};
use crate::signing::identity::{
    self, IdentityCard, IdentityInfo, KeyConflict, KeyDecision, KeyDecisionRecord, KeyPair,
    NewIdentity, PersonKey,
};
use crate::signing::verify::{self, KnownKey, Trust, VerificationReport};
use crate::signing::{
    display_fingerprint, fingerprint_hex, sign_bytes, Decision, KdfParams, Policy, Role,
    AMENDMENT_PREFIX, APPROVAL_PREFIX,
};
use crate::store::{KeyRow, Tx};
use crate::{Error, Problem, Result};

/// The result of signing, approving or rejecting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SignOutcome {
    pub agreement: AgreementId,
    /// The version decided on (for an amendment: the version it creates).
    pub version: u32,
    pub amendment: Option<u32>,
    pub role: Role,
    pub decision: Decision,
    /// The agreement's status afterwards.
    pub status: Status,
    /// The version in force afterwards, if any.
    pub in_force: Option<u32>,
    /// Required roles that still have to approve.
    pub missing_roles: Vec<Role>,
}

/// What a decision is about.
#[derive(Clone)]
enum Target {
    Version(u32),
    Amendment(AmendmentRef),
}

/// A card in the trust list with its parsed content.
struct KnownCard {
    card: IdentityCard,
    own: bool,
    trusted: bool,
    added_at: String,
    /// The decision that accepted this card as a further key of a known person.
    decision: Option<KeyDecisionRecord>,
    /// Other trusted cards claiming the same person without a decision linking them.
    unconfirmed: Vec<String>,
}

fn known_cards(tx: &Tx<'_>) -> Result<Vec<KnownCard>> {
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

fn trust_of(cards: &[KnownCard]) -> Trust {
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

fn signer_ref(trust: &Trust, key: &str) -> SignerRef {
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

fn pick<'a, T>(
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

fn check_comment(comment: &str, field: &str, required: bool) -> Result<String> {
    let c = comment.trim();
    if required && c.is_empty() {
        return Err(Error::invalid(
            field,
            "a rejection needs a comment saying why",
        ));
    }
    if c.len() > crate::interchange::MAX_FIELD_BYTES {
        return Err(Error::invalid(field, "the text is too long"));
    }
    // Reasons and comments print in the history, the PDF and the terminal: no control or
    // bidirectional formatting characters.
    if let Some(why) = crate::interchange::refused_character(c) {
        return Err(Error::invalid(field, format!("the text {why}")));
    }
    Ok(c.to_string())
}

/// Roles approving `content_hash` as `version` (directly, or through `amendment`) through
/// trusted signers in the role their card names.
fn approved_roles(
    rows: &HistoryRows,
    trust: &Trust,
    version: u32,
    amendment: Option<u32>,
    content_hash: &str,
) -> Vec<Role> {
    rows.signatures
        .iter()
        .filter(|s| {
            s.decision == "approve"
                && s.version == version
                && s.amendment == amendment
                && s.content_hash == content_hash
        })
        .filter_map(|s| {
            let k = trust.get(&s.signer)?;
            (k.trusted && k.role.key() == s.role).then_some(k.role)
        })
        .collect()
}

/// Roles approving `version` directly or through the amendment that created it — never
/// through a concurrent amendment that proposed other content for the same version number.
fn version_approved_roles(rows: &HistoryRows, trust: &Trust, version: u32) -> Vec<Role> {
    let Some(v) = rows.version(version) else {
        return Vec::new();
    };
    let mut roles = approved_roles(rows, trust, version, None, &v.hash);
    for a in rows
        .amendments
        .iter()
        .filter(|a| a.target_version == version && a.content_hash == v.hash)
    {
        roles.extend(approved_roles(
            rows,
            trust,
            version,
            Some(a.number),
            &v.hash,
        ));
    }
    roles
}

fn rejected(
    rows: &HistoryRows,
    trust: &Trust,
    version: u32,
    amendment: Option<u32>,
    content_hash: &str,
) -> bool {
    rows.signatures.iter().any(|s| {
        s.decision == "reject"
            && s.version == version
            && s.amendment == amendment
            && s.content_hash == content_hash
            && trust.get(&s.signer).is_some_and(|k| k.trusted)
    })
}

fn version_rejected(rows: &HistoryRows, trust: &Trust, version: u32) -> bool {
    rows.version(version)
        .is_some_and(|v| rejected(rows, trust, version, None, &v.hash))
}

fn amendment_state(rows: &HistoryRows, trust: &Trust, a: &AmendmentRow) -> AmendmentState {
    let base_hash = rows.version(a.base_version).map(|v| v.hash.as_str());
    let target = rows.version(a.target_version);
    if target.is_some_and(|v| v.hash == a.content_hash && v.previous_hash.as_deref() == base_hash) {
        return AmendmentState::Enacted;
    }
    if rejected(
        rows,
        trust,
        a.target_version,
        Some(a.number),
        &a.content_hash,
    ) {
        AmendmentState::Rejected
    } else if target.is_some()
        || rows.effective_status() != Status::InForce
        || rows.current_version != Some(a.base_version)
    {
        AmendmentState::Superseded
    } else {
        AmendmentState::Open
    }
}

/// Roles still missing from `a`'s approvals.
fn amendment_missing(
    rows: &HistoryRows,
    trust: &Trust,
    policy: &Policy,
    a: &AmendmentRow,
) -> Vec<Role> {
    policy.missing(&approved_roles(
        rows,
        trust,
        a.target_version,
        Some(a.number),
        &a.content_hash,
    ))
}

fn entry(trust: &Trust, s: &SignatureRow) -> SignatureEntry {
    let comment = serde_json::from_str::<Statement>(&s.statement)
        .map(|st| st.comment)
        .unwrap_or_default();
    SignatureEntry {
        version: s.version,
        amendment: s.amendment,
        role: s.role.parse().unwrap_or(Role::ServiceManager),
        decision: s.decision.parse().unwrap_or(Decision::Reject),
        signer: signer_ref(trust, &s.signer),
        signed_at: s.signed_at.clone(),
        comment,
    }
}

fn summary(
    rows: &HistoryRows,
    trust: &Trust,
    policy: &Policy,
    a: &AmendmentRow,
) -> AmendmentSummary {
    let proposal: Option<Proposal> = serde_json::from_str(&a.proposal).ok();
    let decisions: Vec<SignatureEntry> = rows
        .signatures
        .iter()
        .filter(|s| a.decided_by(s))
        .map(|s| entry(trust, s))
        .collect();
    AmendmentSummary {
        agreement: rows.id,
        number: a.number,
        base_version: a.base_version,
        target_version: a.target_version,
        content_hash: a.content_hash.clone(),
        reason: proposal
            .as_ref()
            .map(|p| p.reason.clone())
            .unwrap_or_default(),
        proposed_at: a.created_at.clone(),
        proposer: proposal
            .and_then(|p| p.proposer)
            .map(|k| signer_ref(trust, &k)),
        state: amendment_state(rows, trust, a),
        decisions,
        missing_roles: amendment_missing(rows, trust, policy, a),
    }
}

fn checkpoint_of(rows: &HistoryRows, now: &str) -> Checkpoint {
    let digests: Vec<String> = rows
        .signatures
        .iter()
        .map(SignatureRow::digest)
        .chain(rows.amendments.iter().map(AmendmentRow::digest))
        .collect();
    Checkpoint {
        agreement: rows.uid.clone(),
        versions: rows.versions.len() as u32,
        head: rows.versions.last().map(|v| v.hash.clone()),
        records: digests.len() as u32,
        records_hash: records_hash(digests),
        time: now.to_string(),
        signer: None,
        signature: None,
    }
}

/// Stores an identity card (its JSON and the columns the trust list is searched by); `own`
/// for identities whose key is in this database. False when it was already trusted.
fn put_card(tx: &Tx<'_>, card: &IdentityCard, json: &str, own: bool, now: &str) -> Result<bool> {
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

fn stored_checkpoints(tx: &Tx<'_>, uid: &str) -> Result<Vec<Checkpoint>> {
    Ok(tx
        .checkpoints(uid)?
        .iter()
        .filter_map(|t| Checkpoint::parse(t).ok())
        .collect())
}

/// Puts the newest fully approved version in force, enacting an approved amendment, or
/// returns a rejected version under review to draft. Returns the versions that came into
/// force.
fn settle(tx: &Tx<'_>, id: AgreementId, trust: &Trust, now: &str) -> Result<Vec<u32>> {
    let mut enacted = Vec::new();
    // Each round enacts at most one version; amendments chain one after another.
    for _ in 0..10_000 {
        let rows = tx.history(id, false)?;
        if rows.status == Status::Archived {
            break;
        }
        let policy = Policy::from_keys(&rows.policy)?;
        let Some(current) = rows.current_version else {
            break;
        };
        match rows.status {
            Status::Draft | Status::InReview => {
                if policy
                    .missing(&version_approved_roles(&rows, trust, current))
                    .is_empty()
                {
                    tx.set_status(id, Status::InForce, now)?;
                    enacted.push(current);
                    continue;
                }
                if rows.status == Status::InReview && version_rejected(&rows, trust, current) {
                    tx.set_status(id, Status::Draft, now)?;
                }
                break;
            }
            Status::InForce => {
                // Amendments are sorted by number and content hash: should two concurrent ones
                // both be fully approved, every machine enacts the same one.
                let ready = rows.amendments.iter().find(|a| {
                    amendment_state(&rows, trust, a) == AmendmentState::Open
                        && a.target_version == current + 1
                        && amendment_missing(&rows, trust, &policy, a).is_empty()
                });
                let Some(a) = ready else { break };
                let base = rows.version(current).ok_or_else(|| {
                    Error::Corrupt(format!("agreement {id} lacks its version {current}"))
                })?;
                let content = tx.amendment_content(id, a.number, &a.content_hash)?;
                let reason = serde_json::from_str::<Proposal>(&a.proposal)
                    .map(|p| p.reason)
                    .unwrap_or_default();
                let agreement = parse_stored(
                    &content,
                    &format!("amendment {} of agreement {id}", a.number),
                )?;
                tx.insert_version(
                    id,
                    &VersionRow {
                        number: a.target_version,
                        hash: a.content_hash.clone(),
                        previous_hash: Some(base.hash.clone()),
                        note: enacted_note(a.number, &reason),
                        created_at: enacted_at(&rows, trust, &policy, a)
                            .unwrap_or_else(|| now.to_string()),
                        content,
                        content_sha256: None,
                    },
                )?;
                let prepared = Prepared::new(&agreement)?;
                tx.set_draft(id, &prepared.row(&agreement), now)?;
                enacted.push(a.target_version);
            }
            _ => break,
        }
    }
    Ok(enacted)
}

/// The note of a version an amendment created: derived from the signed proposal, so every
/// machine writes the same one.
fn enacted_note(number: u32, reason: &str) -> String {
    clip_note(&format!("amendment {number}: {reason}"))
}

/// When an amendment came into force: the time of the approval that completed its policy
/// (for each required role its first trusted approval; the latest of those). Taken from the
/// signed statements, so every machine that enacts it records the same time.
fn enacted_at(
    rows: &HistoryRows,
    trust: &Trust,
    policy: &Policy,
    a: &AmendmentRow,
) -> Option<String> {
    policy
        .required
        .iter()
        .map(|role| {
            rows.signatures
                .iter()
                .filter(|s| a.decided_by(s) && s.decision == "approve" && s.role == role.key())
                .filter(|s| {
                    trust
                        .get(&s.signer)
                        .is_some_and(|k| k.trusted && k.role == *role)
                })
                .map(|s| s.signed_at.clone())
                .min()
        })
        .collect::<Option<Vec<String>>>()?
        .into_iter()
        .max()
}

fn clip_note(s: &str) -> String {
    let max = crate::interchange::MAX_FIELD_BYTES;
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

impl Library {
    // ------------------------------------------------------------ identities

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
        self.store().signing_write(|tx| {
            put_card(tx, &card, &card_json, true, &now)?;
            tx.put_key(&card.fingerprint, &sealed, &now)?;
            Ok(())
        })?;
        self.identity(&card.fingerprint)
    }

    /// Own identities first, then the trust list (and distrusted cards), by name.
    pub fn identities(&self) -> Result<Vec<IdentityInfo>> {
        let cards = self.store().signing_read(known_cards)?;
        Ok(cards.iter().map(info).collect())
    }

    /// One identity (own or from the trust list) by name or fingerprint.
    pub fn identity(&self, selector: &str) -> Result<IdentityInfo> {
        let cards = self.store().signing_read(known_cards)?;
        Ok(info(pick(&cards, selector, |c| &c.card, "identity")?))
    }

    /// The public identity card (JSON) of an identity, for others' trust lists.
    pub fn export_card(&self, selector: &str) -> Result<String> {
        let cards = self.store().signing_read(known_cards)?;
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
        self.store().signing_write(|tx| {
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
        self.store().signing_write(|tx| {
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
        self.store()
            .signing_write(|tx| tx.distrust(&found.fingerprint))?;
        self.identity(&found.fingerprint)
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
            .signing_write(|tx| tx.replace_key(&card.fingerprint, &resealed))
    }

    fn unlock_row(
        &self,
        selector: &str,
        passphrase: &str,
    ) -> Result<(IdentityCard, KeyPair, String)> {
        let keys: Vec<KeyRow> = self.store().signing_read(|tx| tx.keys())?;
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

    // ------------------------------------------------------------ policy

    pub fn policy(&self, id: AgreementId) -> Result<Policy> {
        let rows = self.store().signing_read(|tx| tx.history(id, false))?;
        Policy::from_keys(&rows.policy)
    }

    /// Sets which roles must approve. Only before anyone has signed and before the agreement
    /// is in force.
    pub fn set_policy(&self, id: AgreementId, roles: &[Role]) -> Result<Policy> {
        let policy = Policy::new(roles)?;
        self.store().signing_write(|tx| {
            let rows = tx.history(id, false)?;
            if rows.effective_status() == Status::InForce || !rows.signatures.is_empty() {
                return Err(Error::NotAllowed(format!(
                    "the approval policy of agreement {id} is fixed once someone has signed"
                )));
            }
            let keys: Vec<&str> = policy.required.iter().map(Role::key).collect();
            tx.set_policy(id, &keys)
        })?;
        Ok(policy)
    }

    /// Refuses to freeze once signatures have put a version in force, whatever the stored
    /// status says (it can be changed behind Pactum's back): from then on, changes go only
    /// through amendments.
    pub(crate) fn refuse_outside_amendments(&self, id: AgreementId) -> Result<()> {
        let (rows, trust) = self
            .store()
            .signing_read(|tx| Ok((tx.history(id, false)?, trust_of(&known_cards(tx)?))))?;
        let policy = Policy::from_keys(&rows.policy)?;
        if let Some(v) = rows.versions.iter().rev().find(|v| {
            policy
                .missing(&version_approved_roles(&rows, &trust, v.number))
                .is_empty()
        }) {
            return Err(Error::NotAllowed(format!(
                "version {} of agreement {id} is in force by its signatures; changes go through amendments",
                v.number
            )));
        }
        Ok(())
    }

    // ------------------------------------------------------------ approval of a version

    /// Puts the newest frozen version up for approval (status `in_review`).
    pub fn request_approval(&self, id: AgreementId) -> Result<ApprovalRequest> {
        let (rows, trust) = self
            .store()
            .signing_read(|tx| Ok((tx.history(id, false)?, trust_of(&known_cards(tx)?))))?;
        let policy = Policy::from_keys(&rows.policy)?;
        match rows.effective_status() {
            Status::InForce | Status::Superseded => {
                return Err(Error::NotAllowed(format!(
                    "agreement {id} is in force; changes go through amendments"
                )))
            }
            _ if rows.status == Status::Archived => {
                return Err(Error::NotAllowed(format!(
                    "agreement {id} is archived; unarchive it first"
                )))
            }
            _ => {}
        }
        let Some(v) = rows.versions.last() else {
            return Err(Error::NotAllowed(format!(
                "agreement {id} has no frozen version; freeze the draft first"
            )));
        };
        if version_rejected(&rows, &trust, v.number) {
            return Err(Error::NotAllowed(format!(
                "version {} of agreement {id} was rejected; change the draft and freeze a new version",
                v.number
            )));
        }
        let status = self.request_review(id)?;
        Ok(ApprovalRequest {
            agreement: id,
            version: v.number,
            content_hash: v.hash.clone(),
            required: policy.required,
            status,
        })
    }

    /// Signs the approval of `version` (the one under review) as `identity`. When every
    /// required role has approved, the version comes into force.
    pub fn sign(
        &self,
        id: AgreementId,
        version: u32,
        identity: &str,
        passphrase: &str,
    ) -> Result<SignOutcome> {
        self.decide(
            id,
            Target::Version(version),
            identity,
            passphrase,
            Decision::Approve,
            "",
        )
    }

    /// Signs a rejection of the version under review; the agreement returns to draft.
    pub fn reject_version(
        &self,
        id: AgreementId,
        version: u32,
        identity: &str,
        passphrase: &str,
        comment: &str,
    ) -> Result<SignOutcome> {
        self.decide(
            id,
            Target::Version(version),
            identity,
            passphrase,
            Decision::Reject,
            comment,
        )
    }

    // ------------------------------------------------------------ amendments

    /// Proposes an amendment: `content` replaces the version in force once every required
    /// role approves. Signed by `proposer` (identity, passphrase) when given.
    pub fn propose_amendment(
        &self,
        id: AgreementId,
        content: &Agreement,
        reason: &str,
        proposer: Option<(&str, &str)>,
    ) -> Result<AmendmentSummary> {
        let reason = check_comment(reason, "reason", false)?;
        if reason.is_empty() {
            return Err(Error::invalid("reason", "an amendment needs a reason"));
        }
        Prepared::new(content)?; // the same validation as every draft
        let (text, hash) = canonical_with_hash(content)
            .map_err(|e| Error::invalid("$.agreement", e.to_string()))?;
        let keys = proposer.map(|(i, p)| self.unlock(i, p)).transpose()?;
        let now = self.now();
        self.store().signing_write(|tx| {
            let rows = tx.history(id, false)?;
            if rows.status == Status::Archived {
                return Err(Error::NotAllowed(format!("agreement {id} is archived; unarchive it first")));
            }
            if rows.effective_status() != Status::InForce {
                return Err(Error::NotAllowed(format!(
                    "agreement {id} is not in force; edit and freeze the draft instead of amending it"
                )));
            }
            let current = rows.current_version.ok_or_else(|| Error::Corrupt(format!("agreement {id} is in force without a version")))?;
            let base = rows.version(current).ok_or_else(|| Error::Corrupt(format!("agreement {id} lacks version {current}")))?;
            if base.hash == hash {
                return Err(Error::NotAllowed(format!(
                    "the proposed content is identical to version {current}; change something first"
                )));
            }
            let trust = trust_of(&known_cards(tx)?);
            if let Some(dup) = rows.amendments.iter().find(|a| {
                a.content_hash == hash && amendment_state(&rows, &trust, a) == AmendmentState::Open
            }) {
                return Err(Error::NotAllowed(format!(
                    "amendment {} already proposes exactly this content",
                    dup.number
                )));
            }
            let number = rows.amendments.iter().map(|a| a.number).max().unwrap_or(0) + 1;
            let target = rows.versions.iter().map(|v| v.number).max().unwrap_or(0) + 1;
            let proposal = Proposal {
                agreement: rows.uid.clone(),
                number,
                base_version: current,
                base_hash: base.hash.clone(),
                version: target,
                content_hash: hash.clone(),
                reason: reason.clone(),
                time: now.clone(),
                proposer: keys.as_ref().map(|(_, k)| k.public_hex()),
            };
            let proposal_text = proposal.canonical();
            let row = AmendmentRow {
                number,
                base_version: current,
                target_version: target,
                signature: keys
                    .as_ref()
                    .map(|(_, k)| sign_bytes(&k.ed25519, AMENDMENT_PREFIX, &proposal_text)),
                proposal: proposal_text,
                content: Some(text.clone()),
                content_hash: hash.clone(),
                created_at: now.clone(),
            };
            tx.insert_amendment(id, &row)?;
            let rows = tx.history(id, false)?;
            let policy = Policy::from_keys(&rows.policy)?;
            let a = rows.amendment(&AmendmentRef::new(number, Some(hash.clone())))?;
            Ok(summary(&rows, &trust, &policy, a))
        })
    }

    /// Proposes an amendment from an interchange file (`pactum amend ID FILE`).
    pub fn propose_amendment_json(
        &self,
        id: AgreementId,
        bytes: &[u8],
        reason: &str,
        proposer: Option<(&str, &str)>,
    ) -> Result<AmendmentSummary> {
        let agreement = crate::interchange::from_json(bytes)?;
        self.propose_amendment(id, &agreement, reason, proposer)
    }

    /// Proposes the current draft as an amendment. While an agreement is in force its draft is
    /// the working copy for the next amendment.
    pub fn propose_amendment_from_draft(
        &self,
        id: AgreementId,
        reason: &str,
        proposer: Option<(&str, &str)>,
    ) -> Result<AmendmentSummary> {
        let draft = self.draft(id)?;
        self.propose_amendment(id, &draft.agreement, reason, proposer)
    }

    /// Every amendment of an agreement with its state and decisions.
    pub fn amendments(&self, id: AgreementId) -> Result<Vec<AmendmentSummary>> {
        let (rows, trust) = self
            .store()
            .signing_read(|tx| Ok((tx.history(id, false)?, trust_of(&known_cards(tx)?))))?;
        let policy = Policy::from_keys(&rows.policy)?;
        Ok(rows
            .amendments
            .iter()
            .map(|a| summary(&rows, &trust, &policy, a))
            .collect())
    }

    /// One amendment for review: its decisions, the redline and changed terms against the
    /// version it is based on, and the proposed content.
    pub fn amendment(
        &self,
        id: AgreementId,
        amendment: impl Into<AmendmentRef>,
    ) -> Result<AmendmentReview> {
        let reference = amendment.into();
        let (rows, trust, content) = self.store().signing_read(|tx| {
            let rows = tx.history(id, false)?;
            let a = rows.amendment(&reference)?;
            let content = tx.amendment_content(id, a.number, &a.content_hash)?;
            Ok((rows, trust_of(&known_cards(tx)?), content))
        })?;
        let policy = Policy::from_keys(&rows.policy)?;
        let a = rows.amendment(&reference)?;
        let number = a.number;
        if crate::canonical::sha256_hex(content.as_bytes()) != a.content_hash {
            return Err(Error::Corrupt(format!(
                "amendment {number} of agreement {id} does not match its hash"
            )));
        }
        let proposed = parse_stored(&content, &format!("amendment {number} of agreement {id}"))?;
        let base = self.version(id, a.base_version)?;
        let comparison = crate::diff::compare(&base.agreement, &proposed, proposed.language);
        Ok(AmendmentReview {
            summary: summary(&rows, &trust, &policy, a),
            comparison,
            proposed,
        })
    }

    /// Signs the approval of an amendment. When every required role has approved, its version
    /// comes into force and the one before is superseded.
    pub fn approve(
        &self,
        id: AgreementId,
        amendment: impl Into<AmendmentRef>,
        identity: &str,
        passphrase: &str,
    ) -> Result<SignOutcome> {
        self.decide(
            id,
            Target::Amendment(amendment.into()),
            identity,
            passphrase,
            Decision::Approve,
            "",
        )
    }

    /// Signs the rejection of an amendment, with a comment saying why.
    pub fn reject(
        &self,
        id: AgreementId,
        amendment: impl Into<AmendmentRef>,
        identity: &str,
        passphrase: &str,
        comment: &str,
    ) -> Result<SignOutcome> {
        self.decide(
            id,
            Target::Amendment(amendment.into()),
            identity,
            passphrase,
            Decision::Reject,
            comment,
        )
    }

    /// The amendments log (section 9) derived from the signed history: every enacted
    /// amendment with the version it created, its reason and approvers.
    pub fn amendment_log(&self, id: AgreementId) -> Result<Vec<AmendmentLogEntry>> {
        Ok(self
            .amendments(id)?
            .into_iter()
            .filter(|a| a.state == AmendmentState::Enacted)
            .map(|a| {
                let approvals: Vec<&SignatureEntry> = a
                    .decisions
                    .iter()
                    .filter(|d| d.decision == Decision::Approve)
                    .collect();
                AmendmentLogEntry {
                    amendment: a.number,
                    version: a.target_version,
                    reason: a.reason.clone(),
                    proposed_at: a.proposed_at.clone(),
                    in_force_since: approvals
                        .iter()
                        .map(|d| d.signed_at.clone())
                        .max()
                        .unwrap_or_default(),
                    approved_by: approvals
                        .iter()
                        .map(|d| format!("{} ({})", d.signer.name, d.role.label()))
                        .collect(),
                }
            })
            .collect())
    }

    /// The history timeline: every version with its state and signatures, every amendment.
    ///
    /// States come from verification, not from the stored status: a version is in force
    /// when valid signatures of every required role put it there, and a stored status that
    /// says otherwise shows as the verified one (with `verified` false). The note and time of
    /// a version an amendment created come from its signed proposal and approvals; those of
    /// a version frozen by hand are marked unsigned.
    pub fn history(&self, id: AgreementId) -> Result<History> {
        let now = self.now();
        let (rows, trust, seen) = self.store().signing_read(|tx| {
            let rows = tx.history(id, true)?;
            let seen = stored_checkpoints(tx, &rows.uid)?;
            Ok((rows, trust_of(&known_cards(tx)?), seen))
        })?;
        let report = verify::verify(&rows, &trust, &seen, &now);
        let policy = Policy::from_keys(&rows.policy)?;
        let in_force = report.signed_in_force;
        let versions = rows
            .versions
            .iter()
            .map(|v| {
                let state = if Some(v.number) == in_force {
                    VersionState::InForce
                } else if report.approved_versions.contains(&v.number)
                    && in_force.is_some_and(|f| v.number < f)
                {
                    VersionState::Superseded
                } else if version_rejected(&rows, &trust, v.number) {
                    VersionState::Rejected
                } else if Some(v.number) == rows.current_version {
                    VersionState::Pending
                } else {
                    VersionState::Unapproved
                };
                let enacting = rows.amendments.iter().find(|a| {
                    a.target_version == v.number
                        && a.content_hash == v.hash
                        && amendment_state(&rows, &trust, a) == AmendmentState::Enacted
                });
                let signed_metadata = enacting.and_then(|a| {
                    let reason = serde_json::from_str::<Proposal>(&a.proposal).ok()?.reason;
                    Some((
                        enacted_note(a.number, &reason),
                        enacted_at(&rows, &trust, &policy, a)?,
                    ))
                });
                VersionEntry {
                    info: crate::record::VersionInfo {
                        agreement: id,
                        number: v.number,
                        hash: v.hash.clone(),
                        previous_hash: v.previous_hash.clone(),
                        note: signed_metadata
                            .as_ref()
                            .map_or_else(|| v.note.clone(), |(n, _)| n.clone()),
                        created_at: signed_metadata
                            .as_ref()
                            .map_or_else(|| v.created_at.clone(), |(_, t)| t.clone()),
                    },
                    state,
                    amendment: enacting.map(|a| a.number),
                    metadata_signed: signed_metadata.is_some(),
                    signatures: rows
                        .signatures
                        .iter()
                        .filter(|s| s.version == v.number && s.content_hash == v.hash)
                        .map(|s| entry(&trust, s))
                        .collect(),
                }
            })
            .collect();
        let status = match (rows.status, in_force) {
            (Status::Archived, _) => Status::Archived,
            (_, Some(_)) => Status::InForce,
            (Status::InForce | Status::Superseded, None) => Status::InReview,
            (stored, None) => stored,
        };
        Ok(History {
            agreement: id,
            uid: rows.uid.clone(),
            status,
            verified: report.ok,
            amendments: rows
                .amendments
                .iter()
                .map(|a| summary(&rows, &trust, &policy, a))
                .collect(),
            policy,
            in_force,
            versions,
        })
    }

    /// Decisions this database's own identities still owe, over every agreement.
    pub fn pending_approvals(&self) -> Result<Vec<PendingApproval>> {
        let (cards, work) = self.store().signing_read(|tx| {
            let cards = known_cards(tx)?;
            let mut work = Vec::new();
            for id in tx.agreements_with_open_work()? {
                work.push(tx.history(id, false)?);
            }
            Ok((cards, work))
        })?;
        let trust = trust_of(&cards);
        let own: Vec<&KnownCard> = cards.iter().filter(|c| c.own).collect();
        let mut out = Vec::new();
        for rows in &work {
            let Ok(policy) = Policy::from_keys(&rows.policy) else {
                continue;
            };
            let mut open: Vec<(PendingKind, u32, Option<u32>, &str)> = Vec::new();
            if rows.status == Status::InReview {
                if let Some(v) = rows.current_version.and_then(|v| rows.version(v)) {
                    open.push((
                        PendingKind::Version { version: v.number },
                        v.number,
                        None,
                        &v.hash,
                    ));
                }
            }
            for a in &rows.amendments {
                if amendment_state(rows, &trust, a) == AmendmentState::Open {
                    open.push((
                        PendingKind::Amendment {
                            amendment: a.number,
                            version: a.target_version,
                            content_hash: a.content_hash.clone(),
                        },
                        a.target_version,
                        Some(a.number),
                        &a.content_hash,
                    ));
                }
            }
            for (what, version, amendment, hash) in open {
                for me in &own {
                    let decided = rows.signatures.iter().any(|s| {
                        s.signer == me.card.key
                            && s.version == version
                            && s.amendment == amendment
                            && s.content_hash == hash
                    });
                    let done = approved_roles(rows, &trust, version, amendment, hash)
                        .contains(&me.card.role);
                    if policy.requires(me.card.role) && !decided && !done {
                        out.push(PendingApproval {
                            agreement: rows.id,
                            title: rows.title.clone(),
                            what: what.clone(),
                            role: me.card.role,
                            identity: me.card.fingerprint.clone(),
                            identity_name: me.card.name.clone(),
                        });
                    }
                }
            }
        }
        Ok(out)
    }

    fn decide(
        &self,
        id: AgreementId,
        target: Target,
        identity: &str,
        passphrase: &str,
        decision: Decision,
        comment: &str,
    ) -> Result<SignOutcome> {
        let comment = check_comment(comment, "comment", decision == Decision::Reject)?;
        let (card, keys) = self.unlock(identity, passphrase)?;
        let now = self.now();
        self.store().signing_write(|tx| {
            let rows = tx.history(id, false)?;
            if rows.status == Status::Archived {
                return Err(Error::NotAllowed(format!("agreement {id} is archived; unarchive it first")));
            }
            let policy = Policy::from_keys(&rows.policy)?;
            if !policy.requires(card.role) {
                return Err(Error::NotAllowed(format!(
                    "the approval policy of agreement {id} does not ask for a {} (it requires {})",
                    card.role.label(),
                    policy.required.iter().map(Role::label).collect::<Vec<_>>().join(", ")
                )));
            }
            let trust = trust_of(&known_cards(tx)?);
            let key = keys.public_hex();
            let (version, content_hash, previous_hash, amendment) = match &target {
                Target::Version(v) => {
                    match rows.status {
                        Status::Draft => {
                            return Err(Error::NotAllowed(format!(
                                "agreement {id} is a draft; request approval first"
                            )))
                        }
                        Status::InReview => {}
                        _ => {
                            return Err(Error::NotAllowed(format!(
                                "agreement {id} is {}; changes go through amendments",
                                rows.status
                            )))
                        }
                    }
                    let v = *v;
                    if rows.current_version != Some(v) {
                        return Err(Error::NotAllowed(format!(
                            "version {v} of agreement {id} is not the one under review (that is version {})",
                            rows.current_version.map_or("-".into(), |c| c.to_string())
                        )));
                    }
                    let row = rows.version(v).ok_or(Error::VersionNotFound { agreement: id.0, version: v })?;
                    let content = tx.version_content(id, v)?;
                    if crate::canonical::sha256_hex(content.as_bytes()) != row.hash {
                        return Err(Error::VerificationFailed(format!(
                            "the stored content of version {v} does not match its hash; nothing was signed"
                        )));
                    }
                    (v, row.hash.clone(), row.previous_hash.clone(), None)
                }
                Target::Amendment(reference) => {
                    let a = rows.amendment(reference)?;
                    let n = a.number;
                    match amendment_state(&rows, &trust, a) {
                        AmendmentState::Open => {}
                        state => {
                            return Err(Error::NotAllowed(format!(
                                "amendment {n} of agreement {id} is {}; it can no longer be decided on",
                                serde_json::to_value(state).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
                            )))
                        }
                    }
                    // One person approves at most one of the open amendments of a version: were
                    // two concurrent ones approved by everyone, machines that saw the approvals
                    // in another order would bring different versions into force.
                    if decision == Decision::Approve {
                        if let Some(other) = rows.amendments.iter().find(|o| {
                            !std::ptr::eq(*o, a)
                                && o.base_version == a.base_version
                                && amendment_state(&rows, &trust, o) == AmendmentState::Open
                                && rows.signatures.iter().any(|s| {
                                    o.decided_by(s) && s.signer == key && s.decision == "approve"
                                })
                        }) {
                            return Err(Error::NotAllowed(format!(
                                "{} already approved amendment {} ({}), which changes version {} too; one person approves only one of the open amendments of a version. Reject one of them, or wait until amendment {} is decided",
                                card.name,
                                other.number,
                                &other.content_hash[..12.min(other.content_hash.len())],
                                a.base_version,
                                other.number
                            )));
                        }
                    }
                    let base = rows.version(a.base_version).ok_or(Error::VersionNotFound { agreement: id.0, version: a.base_version })?;
                    let content = tx.amendment_content(id, n, &a.content_hash)?;
                    if crate::canonical::sha256_hex(content.as_bytes()) != a.content_hash {
                        return Err(Error::VerificationFailed(format!(
                            "the stored content of amendment {n} does not match its hash; nothing was signed"
                        )));
                    }
                    (a.target_version, a.content_hash.clone(), Some(base.hash.clone()), Some(n))
                }
            };
            if let Some(done) = rows.signatures.iter().find(|s| {
                s.signer == key
                    && s.version == version
                    && s.amendment == amendment
                    && s.content_hash == content_hash
            }) {
                return Err(Error::NotAllowed(format!(
                    "{} already signed a decision ({}) on this at {}",
                    card.name, done.decision, done.signed_at
                )));
            }
            let statement = Statement {
                agreement: rows.uid.clone(),
                version,
                content_hash: content_hash.clone(),
                previous_hash,
                role: card.role,
                signer: key.clone(),
                time: now.clone(),
                decision,
                amendment,
                comment: comment.clone(),
                policy: policy.required.clone(),
            };
            let text = statement.canonical();
            let signature = sign_bytes(&keys.ed25519, APPROVAL_PREFIX, &text);
            tx.insert_signature(
                id,
                &SignatureRow {
                    version,
                    amendment,
                    role: card.role.key().into(),
                    decision: decision.key().into(),
                    signer: key,
                    signed_at: now.clone(),
                    statement: text,
                    signature,
                    content_hash: content_hash.clone(),
                },
                &now,
            )?;
            settle(tx, id, &trust, &now)?;
            let rows = tx.history(id, false)?;
            Ok(SignOutcome {
                agreement: id,
                version,
                amendment,
                role: card.role,
                decision,
                status: rows.status,
                in_force: (rows.effective_status() == Status::InForce)
                    .then_some(rows.current_version)
                    .flatten(),
                missing_roles: policy.missing(&approved_roles(
                    &rows,
                    &trust,
                    version,
                    amendment,
                    &content_hash,
                )),
            })
        })
    }

    // ------------------------------------------------------------ verification

    /// Verifies an agreement's whole signed history against the trust list, its policy and
    /// every checkpoint this database has seen.
    pub fn verify(&self, id: AgreementId) -> Result<VerificationReport> {
        self.verify_with_checkpoints(id, &[])
    }

    /// Like [`Library::verify`], also comparing against the given checkpoints (e.g. one
    /// printed in a PDF).
    pub fn verify_with_checkpoints(
        &self,
        id: AgreementId,
        checkpoints: &[Checkpoint],
    ) -> Result<VerificationReport> {
        let now = self.now();
        let (rows, trust, mut seen) = self.store().signing_read(|tx| {
            let rows = tx.history(id, true)?;
            let seen = stored_checkpoints(tx, &rows.uid)?;
            Ok((rows, trust_of(&known_cards(tx)?), seen))
        })?;
        seen.extend(checkpoints.iter().cloned());
        Ok(verify::verify(&rows, &trust, &seen, &now))
    }

    /// The agreement's current checkpoint, unsigned (for display and PDFs).
    pub fn checkpoint(&self, id: AgreementId) -> Result<Checkpoint> {
        let now = self.now();
        let rows = self.store().signing_read(|tx| tx.history(id, false))?;
        Ok(checkpoint_of(&rows, &now))
    }

    /// The agreement's current checkpoint signed by an own identity.
    pub fn signed_checkpoint(
        &self,
        id: AgreementId,
        identity: &str,
        passphrase: &str,
    ) -> Result<Checkpoint> {
        let (_, keys) = self.unlock(identity, passphrase)?;
        let mut cp = self.checkpoint(id)?;
        cp.sign(&keys.ed25519);
        Ok(cp)
    }

    /// Remembers a checkpoint (from a PDF or another file) so later verification compares
    /// against it. Refuses one whose signature does not verify or whose signer is not
    /// trusted. Returns false when it was already known.
    pub fn remember_checkpoint(&self, checkpoint: &Checkpoint) -> Result<bool> {
        if !checkpoint.signature_valid() {
            return Err(Error::SignatureInvalid(
                "the checkpoint's signature does not verify".into(),
            ));
        }
        let now = self.now();
        self.store().signing_write(|tx| {
            let trust = trust_of(&known_cards(tx)?);
            if !checkpoint
                .signer
                .as_deref()
                .and_then(|k| trust.get(k))
                .is_some_and(|k| k.trusted)
            {
                return Err(Error::UntrustedSigner(
                    "the checkpoint is signed by a key that is not in the trust list".into(),
                ));
            }
            tx.insert_checkpoint(
                &checkpoint.agreement,
                &checkpoint.to_text(),
                checkpoint.versions,
                checkpoint.records,
                &now,
            )
        })
    }

    // ------------------------------------------------------------ exchange bundles

    /// Writes an exchange file: the full history, one amendment proposal, or the answer to
    /// one. Refused when the local history does not verify. The checkpoint is signed by
    /// `identity`.
    pub fn export_bundle(
        &self,
        id: AgreementId,
        request: BundleRequest,
        identity: &str,
        passphrase: &str,
    ) -> Result<Vec<u8>> {
        let (_, keys) = self.unlock(identity, passphrase)?;
        let now = self.now();
        let (rows, cards, seen) = self.store().signing_read(|tx| {
            let rows = tx.history(id, true)?;
            let seen = stored_checkpoints(tx, &rows.uid)?;
            Ok((rows, known_cards(tx)?, seen))
        })?;
        let trust = trust_of(&cards);
        let report = verify::verify(&rows, &trust, &seen, &now);
        if !report.ok {
            return Err(Error::VerificationFailed(format!(
                "agreement {id} cannot be exported: {}",
                report
                    .findings
                    .iter()
                    .map(|f| f.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            )));
        }
        // Every kind carries the whole signed history: the receiver then never lacks the
        // version an amendment is based on or the approvals that put it in force, whatever
        // it received before and in which order. The kind says what the file is for.
        let kind = match request {
            BundleRequest::History => BundleKind::History,
            BundleRequest::Amendment { amendment: n }
            | BundleRequest::Answer { amendment: Some(n) } => {
                if !rows.amendments.iter().any(|a| a.number == n) {
                    return Err(Error::AmendmentNotFound {
                        agreement: id.0,
                        amendment: n,
                    });
                }
                if matches!(request, BundleRequest::Amendment { .. }) {
                    BundleKind::Amendment
                } else {
                    BundleKind::Answer
                }
            }
            BundleRequest::Answer { amendment: None } => {
                if !rows.signatures.iter().any(|s| s.amendment.is_none()) {
                    return Err(Error::NotAllowed(format!(
                        "agreement {id} has no decisions on a version to answer with"
                    )));
                }
                BundleKind::Answer
            }
        };
        let versions: Vec<&VersionRow> = rows.versions.iter().collect();
        let amendments: Vec<&AmendmentRow> = rows.amendments.iter().collect();
        let signatures: Vec<&SignatureRow> = rows.signatures.iter().collect();
        let mut keys_needed: Vec<String> = signatures.iter().map(|s| s.signer.clone()).collect();
        for a in &amendments {
            if let Ok(Proposal {
                proposer: Some(k), ..
            }) = serde_json::from_str(&a.proposal)
            {
                keys_needed.push(k);
            }
        }
        keys_needed.push(keys.public_hex());
        let bundle_cards: Vec<IdentityCard> = cards
            .iter()
            .filter(|c| keys_needed.contains(&c.card.key))
            .map(|c| c.card.clone())
            .collect();
        let parse_value = |text: &str, what: &str| {
            serde_json::from_str::<serde_json::Value>(text)
                .map_err(|e| Error::Corrupt(format!("{what} no longer parses: {e}")))
        };
        let mut bundle_versions = Vec::with_capacity(versions.len());
        for v in versions {
            bundle_versions.push(BundleVersion {
                number: v.number,
                hash: v.hash.clone(),
                previous_hash: v.previous_hash.clone(),
                note: v.note.clone(),
                created_at: v.created_at.clone(),
                content: parse_value(&v.content, &format!("version {}", v.number))?,
            });
        }
        let mut bundle_amendments = Vec::with_capacity(amendments.len());
        for a in amendments {
            bundle_amendments.push(BundleAmendment {
                proposal: serde_json::from_str(&a.proposal).map_err(|e| {
                    Error::Corrupt(format!("amendment {} no longer parses: {e}", a.number))
                })?,
                signature: a.signature.clone(),
                content: match &a.content {
                    Some(c) => parse_value(c, &format!("amendment {}", a.number))?,
                    None => match rows.version(a.target_version) {
                        Some(v) if v.hash == a.content_hash => {
                            parse_value(&v.content, &format!("version {}", v.number))?
                        }
                        _ => {
                            return Err(Error::Corrupt(format!(
                                "amendment {} of agreement {id} has no content",
                                a.number
                            )))
                        }
                    },
                },
                created_at: a.created_at.clone(),
            });
        }
        let mut bundle_signatures = Vec::with_capacity(signatures.len());
        for s in signatures {
            bundle_signatures.push(BundleSignature {
                statement: serde_json::from_str(&s.statement).map_err(|e| {
                    Error::Corrupt(format!(
                        "a signature of agreement {id} no longer parses: {e}"
                    ))
                })?,
                signature: s.signature.clone(),
            });
        }
        let mut checkpoint = checkpoint_of(&rows, &now);
        checkpoint.sign(&keys.ed25519);
        let policy = Policy::from_keys(&rows.policy)?;
        let mut bundle = Bundle {
            format: bundle::FORMAT.into(),
            version: bundle::VERSION,
            kind,
            agreement: BundleAgreement {
                uid: rows.uid.clone(),
                title: rows.title.clone(),
            },
            policy: policy.required,
            versions: bundle_versions,
            amendments: bundle_amendments,
            signatures: bundle_signatures,
            cards: bundle_cards,
            checkpoint,
            signature: String::new(),
        };
        bundle.sign(&keys.ed25519);
        Ok(bundle::to_json(&bundle))
    }

    /// Imports an exchange file. Everything is checked first — each element, then the local
    /// history merged with the file as a whole; a forged, truncated or tampered file, or one
    /// signed by keys not in the trust list, is refused and nothing is written. Importing the
    /// same file again changes nothing.
    pub fn import_bundle(&self, bytes: &[u8]) -> Result<ImportOutcome> {
        let checked = bundle::parse(bytes)?;
        let now = self.now();
        self.store()
            .signing_write(|tx| import_checked(tx, checked, &now))
    }
}

fn bundle_error(path: impl Into<String>, message: impl Into<String>) -> Error {
    Error::BundleInvalid(vec![Problem {
        path: path.into(),
        message: message.into(),
    }])
}

fn import_checked(tx: &Tx<'_>, checked: bundle::Checked, now: &str) -> Result<ImportOutcome> {
    let b = &checked.bundle;
    let uid = &b.agreement.uid;
    let cards = known_cards(tx)?;
    let trust = trust_of(&cards);

    // Every signer, proposer and the checkpoint's signer must be in the trust list.
    let mut keys: Vec<(String, String)> = b
        .signatures
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                s.statement.signer.clone(),
                format!("$.signatures[{i}].statement.signer"),
            )
        })
        .collect();
    for (i, a) in b.amendments.iter().enumerate() {
        if let Some(k) = &a.proposal.proposer {
            keys.push((k.clone(), format!("$.amendments[{i}].proposal.proposer")));
        }
    }
    if let Some(k) = &b.checkpoint.signer {
        keys.push((k.clone(), "$.checkpoint.signer".into()));
    }
    let mut untrusted: Vec<String> = Vec::new();
    for (key, path) in &keys {
        if trust.get(key).is_some_and(|k| k.trusted) {
            continue;
        }
        let fp = fingerprint_hex(key);
        let who = b
            .cards
            .iter()
            .find(|c| &c.key == key)
            .map(|c| format!("{} ({}, {})", c.name, c.organisation, c.role.label()))
            .unwrap_or_else(|| "an unknown person".into());
        let line = format!(
            "{path}: {who} with fingerprint {}",
            display_fingerprint(&fp)
        );
        if !untrusted
            .iter()
            .any(|u| u.contains(&display_fingerprint(&fp)))
        {
            untrusted.push(line);
        }
    }
    if !untrusted.is_empty() {
        return Err(Error::UntrustedSigner(format!(
            "the exchange file is signed by keys not in your trust list: {}; import their identity cards (and compare the fingerprints) first. Nothing was imported",
            untrusted.join("; ")
        )));
    }

    let existing = tx.agreement_by_uid(uid)?;
    let in_force_before = match existing {
        Some(id) => {
            let local = tx.history(id, false)?;
            (local.effective_status() == Status::InForce)
                .then_some(local.current_version)
                .flatten()
        }
        None => None,
    };
    let mut rows = match existing {
        Some(id) => tx.history(id, true)?,
        None => {
            if b.kind != BundleKind::History {
                return Err(bundle_error(
                    "$.agreement.uid",
                    format!(
                        "agreement {uid} is not in this database; import its full history first"
                    ),
                ));
            }
            HistoryRows {
                id: AgreementId(0),
                uid: uid.clone(),
                title: b.agreement.title.clone(),
                status: Status::Draft,
                status_before_archive: None,
                current_version: None,
                policy: b.policy.iter().map(|r| r.key().to_string()).collect(),
                versions: Vec::new(),
                signatures: Vec::new(),
                amendments: Vec::new(),
            }
        }
    };
    let bundle_policy: Vec<String> = {
        let mut p: Vec<String> = b.policy.iter().map(|r| r.key().to_string()).collect();
        p.sort();
        p.dedup();
        p
    };
    let mut local_policy = rows.policy.clone();
    local_policy.sort();
    let adopt_policy = local_policy != bundle_policy;
    if adopt_policy {
        if !rows.signatures.is_empty() || rows.effective_status() == Status::InForce {
            return Err(bundle_error(
                "$.policy",
                format!("the file's approval policy {bundle_policy:?} differs from this database's {local_policy:?}"),
            ));
        }
        rows.policy = bundle_policy.clone();
    }

    // Merge, remembering where each new element came from.
    let local_versions = rows.versions.len();
    let mut new_versions = Vec::new();
    for (i, v) in checked.versions.iter().enumerate() {
        match rows.version(v.number) {
            Some(local) if local.hash == v.hash => {}
            Some(local) => {
                return Err(bundle_error(
                    format!("$.versions[{i}].hash"),
                    format!(
                        "conflicts with version {} in this database (hash {})",
                        v.number, local.hash
                    ),
                ))
            }
            None => {
                let next = rows.versions.iter().map(|x| x.number).max().unwrap_or(0) + 1;
                if v.number != next {
                    return Err(bundle_error(
                        format!("$.versions[{i}].number"),
                        format!(
                            "version {} cannot follow this database's version {}",
                            v.number,
                            next - 1
                        ),
                    ));
                }
                rows.versions.push(VersionRow {
                    number: v.number,
                    hash: v.hash.clone(),
                    previous_hash: v.previous_hash.clone(),
                    note: v.note.clone(),
                    created_at: v.created_at.clone(),
                    content: v.content.clone(),
                    content_sha256: None,
                });
                new_versions.push(i);
            }
        }
    }
    let mut new_amendments = Vec::new();
    for (i, (a, (text, content))) in b.amendments.iter().zip(&checked.amendments).enumerate() {
        let row = AmendmentRow {
            number: a.proposal.number,
            base_version: a.proposal.base_version,
            target_version: a.proposal.version,
            proposal: text.clone(),
            signature: a.signature.clone(),
            content: Some(content.clone()),
            content_hash: a.proposal.content_hash.clone(),
            created_at: a.created_at.clone(),
        };
        // Two concurrent proposals may share a number; they differ in the content proposed.
        let local = rows
            .amendments
            .iter()
            .find(|l| l.number == row.number && l.content_hash == row.content_hash);
        match local {
            Some(local) if local.digest() == row.digest() => {}
            Some(_) => {
                return Err(bundle_error(
                    format!("$.amendments[{i}].proposal"),
                    format!(
                        "conflicts with another proposal of amendment {} with the same content in this database",
                        row.number
                    ),
                ))
            }
            None => {
                rows.amendments.push(row);
                new_amendments.push(i);
            }
        }
    }
    rows.amendments
        .sort_by(|x, y| (x.number, &x.content_hash).cmp(&(y.number, &y.content_hash)));
    rows.current_version = rows.versions.iter().map(|v| v.number).max();
    let local_signatures = rows.signatures.len();
    let mut new_signatures = Vec::new();
    for (i, (s, text)) in b.signatures.iter().zip(&checked.statements).enumerate() {
        if rows.signatures.iter().any(|l| l.signature == s.signature) {
            continue;
        }
        let st = &s.statement;
        rows.signatures.push(SignatureRow {
            version: st.version,
            amendment: st.amendment,
            role: st.role.key().into(),
            decision: st.decision.key().into(),
            signer: st.signer.clone(),
            signed_at: st.time.clone(),
            statement: text.clone(),
            signature: s.signature.clone(),
            content_hash: st.content_hash.clone(),
        });
        new_signatures.push(i);
    }

    // Verify the merged history as a whole before writing anything. The stored status is
    // not part of it: `settle` derives it from the merged signatures after the write.
    let report = verify::verify(&rows, &trust, &[], now);
    let findings: Vec<&verify::VerificationFinding> = report
        .findings
        .iter()
        .filter(|f| f.code != verify::FindingCode::StatusMismatch)
        .collect();
    if !findings.is_empty() {
        let problems = findings
            .iter()
            .map(|f| {
                let path = match (f.signature, f.version) {
                    (Some(pos), _) if (pos as usize) > local_signatures => {
                        format!(
                            "$.signatures[{}]",
                            new_signatures[pos as usize - 1 - local_signatures]
                        )
                    }
                    (None, Some(v)) if f.amendment.is_none() => rows
                        .versions
                        .iter()
                        .position(|x| x.number == v)
                        .filter(|p| *p >= local_versions)
                        .map(|p| format!("$.versions[{}]", new_versions[p - local_versions]))
                        .unwrap_or_else(|| format!("(this database) version {v}")),
                    (None, _) if f.amendment.is_some() => {
                        let n = f.amendment.unwrap_or(0);
                        b.amendments
                            .iter()
                            .position(|a| a.proposal.number == n)
                            .map(|p| format!("$.amendments[{p}]"))
                            .unwrap_or_else(|| format!("(this database) amendment {n}"))
                    }
                    _ => "(this database)".into(),
                };
                Problem {
                    path: match &f.field {
                        Some(field) if path.starts_with('$') => format!("{path}.{field}"),
                        _ => path,
                    },
                    message: f.to_string(),
                }
            })
            .collect();
        return Err(Error::BundleInvalid(problems));
    }

    // Write.
    let created = existing.is_none();
    let id = match existing {
        Some(id) => id,
        None => {
            let newest = rows.versions.last().ok_or_else(|| {
                bundle_error("$.versions", "a history needs at least one version")
            })?;
            let agreement =
                parse_stored(&newest.content, "the newest version in the exchange file")?;
            let prepared = Prepared::new(&agreement)?;
            tx.insert_agreement_with_uid(uid, &prepared.row(&agreement), now)?
        }
    };
    if adopt_policy || created {
        let keys: Vec<&str> = bundle_policy.iter().map(String::as_str).collect();
        tx.set_policy(id, &keys)?;
    }
    // Signatures first: a version that comes into force is only accepted with them.
    for a in &rows.amendments {
        if new_amendments.iter().any(|&i| {
            b.amendments[i].proposal.number == a.number
                && b.amendments[i].proposal.content_hash == a.content_hash
        }) {
            tx.insert_amendment(id, a)?;
        }
    }
    let mut added_signatures = 0;
    for s in rows.signatures.iter().skip(local_signatures) {
        if tx.insert_signature(id, s, now)? {
            added_signatures += 1;
        }
    }
    for &i in &new_versions {
        let v = &checked.versions[i];
        tx.insert_version(
            id,
            &VersionRow {
                number: v.number,
                hash: v.hash.clone(),
                previous_hash: v.previous_hash.clone(),
                note: v.note.clone(),
                created_at: v.created_at.clone(),
                content: v.content.clone(),
                content_sha256: None,
            },
        )?;
    }
    let cp = &b.checkpoint;
    tx.insert_checkpoint(uid, &cp.to_text(), cp.versions, cp.records, now)?;
    let mut enacted = settle(tx, id, &trust, now)?;
    // Versions the file brought in force (the exporter enacted them first) count too.
    let after_settle = tx.history(id, false)?;
    if after_settle.effective_status() == Status::InForce {
        if let Some(now_in_force) = after_settle.current_version {
            let from = in_force_before.map_or(1, |v| v + 1);
            for v in from..=now_in_force {
                if !enacted.contains(&v) {
                    enacted.push(v);
                }
            }
            enacted.sort_unstable();
        }
    }
    let after = tx.history(id, false)?;
    if created && after.status == Status::Draft && !new_versions.is_empty() {
        let newest = after.current_version;
        if newest.is_some_and(|v| !version_rejected(&after, &trust, v)) {
            tx.set_status(id, Status::InReview, now)?;
        }
    }
    if !new_versions.is_empty() && after.effective_status() == Status::InForce {
        // The draft follows the newest version in force.
        if let Some(v) = after.current_version {
            let content = tx.version_content(id, v)?;
            let agreement = parse_stored(&content, "the version in force")?;
            let prepared = Prepared::new(&agreement)?;
            tx.set_draft(id, &prepared.row(&agreement), now)?;
        }
    }
    let status = tx.history(id, false)?.status;
    let changed =
        created || !new_versions.is_empty() || !new_amendments.is_empty() || added_signatures > 0;
    Ok(ImportOutcome {
        agreement: id,
        kind: b.kind,
        created,
        added_versions: new_versions.len() as u32,
        added_amendments: new_amendments.len() as u32,
        added_signatures,
        enacted,
        status,
        changed,
    })
}
