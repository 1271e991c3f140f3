//! Signed versions and amendments (issue 4): identities and sealed keys, the approval
//! workflow between two databases ("machines"), verification catching every kind of
//! tampering, checkpoints, exchange bundles (forged, truncated, untrusted, re-imported),
//! property tests of bundle tampering, and the CLI end to end.
//!
//! Tampering happens on a copy of the database (`VACUUM INTO`) through raw SQL with the
//! schema's protective triggers dropped — what someone with a hex editor could do. Each such
//! test first asserts that the untouched history verifies, so it passes only because
//! verification catches the change.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use pactum::record::{AgreementId, Status};
use pactum::signing::bundle::{inspect, BundleRequest};
use pactum::signing::{
    AmendmentState, Checkpoint, FindingCode, IdentityInfo, KdfParams, NewIdentity, PendingKind,
    Role, VerificationReport, VersionState,
};
use pactum::Library;
use proptest::prelude::*;
use serde_json::Value;

use crate::support::*;

const PASS: &str = PASSPHRASE;

// ---------------------------------------------------------------- one machine

/// One database holding both a service manager and a legal reviewer.
struct Solo {
    fx: Fixture,
    manager: IdentityInfo,
    legal: IdentityInfo,
}

fn solo() -> Solo {
    let fx = fixture();
    let manager = person(&fx.lib, "Mara Manager", Role::ServiceManager);
    let legal = person(&fx.lib, "Lena Legal", Role::LegalReviewer);
    Solo { fx, manager, legal }
}

impl Solo {
    fn lib(&self) -> &Library {
        &self.fx.lib
    }

    /// A new agreement with version 1 frozen and in review, signed by the manager only.
    fn in_review(&self) -> AgreementId {
        let id = create(self.lib(), GERMAN);
        self.lib().freeze(id, "first").expect("freeze");
        self.lib().request_approval(id).expect("request approval");
        self.fx.clock.advance_secs(60);
        let o = self
            .lib()
            .sign(id, 1, &self.manager.fingerprint, PASS)
            .expect("the manager signs version 1");
        assert_eq!(o.missing_roles, vec![Role::LegalReviewer]);
        id
    }

    /// A new agreement with version 1 in force.
    fn in_force(&self) -> AgreementId {
        let id = self.in_review();
        self.fx.clock.advance_secs(60);
        let o = self
            .lib()
            .sign(id, 1, &self.legal.fingerprint, PASS)
            .expect("the legal reviewer signs version 1");
        assert_eq!(
            o.status,
            Status::InForce,
            "both required roles signed, so version 1 is in force"
        );
        id
    }

    /// Version 1 in force, then amendment 1 approved by both: version 2 in force.
    fn amended(&self) -> AgreementId {
        let id = self.in_force();
        edit(self.lib(), id, |a| set_top_resolution(a, "2 h"));
        let a = self
            .lib()
            .propose_amendment_from_draft(
                id,
                "Faster resolution",
                Some((&self.manager.fingerprint, PASS)),
            )
            .expect("propose");
        self.fx.clock.advance_secs(60);
        self.lib()
            .approve(id, a.number, &self.manager.fingerprint, PASS)
            .expect("manager approves");
        self.fx.clock.advance_secs(60);
        let o = self
            .lib()
            .approve(id, a.number, &self.legal.fingerprint, PASS)
            .expect("legal approves");
        assert_eq!(o.in_force, Some(2), "the amendment's version 2 is in force");
        id
    }
}

static COPIES: AtomicUsize = AtomicUsize::new(0);

/// A consistent copy of the fixture's database.
fn copy_db(fx: &Fixture) -> PathBuf {
    let n = COPIES.fetch_add(1, Ordering::SeqCst);
    let copy = fx.dir.dir.path().join(format!("copy-{n}.db"));
    raw(fx.path())
        .execute("VACUUM INTO ?1", [copy.to_str().unwrap()])
        .expect("copy the database");
    copy
}

/// A copy of the database after `sql` ran on it with every trigger dropped.
fn tampered(fx: &Fixture, sql: &str) -> Library {
    let copy = copy_db(fx);
    let conn = raw(&copy);
    let triggers: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for t in triggers {
        conn.execute_batch(&format!("DROP TRIGGER {t}")).unwrap();
    }
    conn.execute_batch(sql)
        .unwrap_or_else(|e| panic!("tampering SQL must run: {e}\n{sql}"));
    drop(conn);
    open(&copy, &fx.clock).library
}

fn verified(lib: &Library, id: AgreementId) -> VerificationReport {
    lib.verify(id)
        .unwrap_or_else(|e| panic!("verify must run: {e}"))
}

fn assert_clean(lib: &Library, id: AgreementId, why: &str) {
    let r = verified(lib, id);
    assert!(
        r.ok,
        "{why}: the untouched history verifies:\n{}",
        r.to_text()
    );
}

/// Asserts a finding with `code` (and version / field when given), returning the report text.
fn assert_finding(
    r: &VerificationReport,
    code: FindingCode,
    version: Option<u32>,
    field: Option<&str>,
    why: &str,
) {
    assert!(!r.ok, "{why}: verification must fail");
    assert!(
        r.findings.iter().any(|f| f.code == code
            && (version.is_none() || f.version == version)
            && (field.is_none() || f.field.as_deref() == field)),
        "{why}: expected {code} (version {version:?}, field {field:?}), got:\n{}",
        r.to_text()
    );
}

// ---------------------------------------------------------------- identities

#[test]
fn a_wrong_passphrase_and_a_damaged_key_are_different_errors() {
    let s = solo();
    let err = s
        .lib()
        .check_passphrase(&s.manager.fingerprint, "not the passphrase")
        .unwrap_err();
    assert_eq!(err.code(), "wrong_passphrase", "a wrong passphrase: {err}");
    s.lib()
        .check_passphrase("Mara Manager", PASS)
        .expect("the right passphrase unlocks the key, selected by name");

    // Flip one bit of the stored record (in the middle of the ciphertext).
    let conn = raw(s.fx.path());
    let sealed: String = conn
        .query_row(
            "SELECT sealed FROM identity_keys WHERE fingerprint = ?1",
            [&s.manager.fingerprint],
            |r| r.get(0),
        )
        .unwrap();
    let mut bytes = hex::decode(&sealed).unwrap();
    bytes[90] ^= 0x04;
    conn.execute(
        "UPDATE identity_keys SET sealed = ?2 WHERE fingerprint = ?1",
        [&s.manager.fingerprint, &hex::encode(&bytes)],
    )
    .unwrap();
    let err = s
        .lib()
        .check_passphrase(&s.manager.fingerprint, PASS)
        .unwrap_err();
    assert_eq!(
        err.code(),
        "key_damaged",
        "a flipped byte is damage, not a wrong passphrase: {err}"
    );
    let err = s
        .lib()
        .check_passphrase(&s.manager.fingerprint, "not the passphrase")
        .unwrap_err();
    assert_eq!(
        err.code(),
        "key_damaged",
        "damage is reported whatever passphrase is given: {err}"
    );
    let id = create(s.lib(), GERMAN);
    s.lib().freeze(id, "").unwrap();
    s.lib().request_approval(id).unwrap();
    let err = s
        .lib()
        .sign(id, 1, &s.manager.fingerprint, PASS)
        .unwrap_err();
    assert_eq!(
        err.code(),
        "key_damaged",
        "nothing is signed with a damaged key"
    );
    assert!(
        s.lib().history(id).unwrap().versions[0]
            .signatures
            .is_empty(),
        "no signature was written"
    );
}

/// Rewrites the Argon2 parameters (bytes 12–23) of an identity's stored key record and
/// recomputes its checksum, as someone with write access to the file could.
fn rewrite_key_params(path: &Path, fingerprint: &str, m_kib: u32, t: u32, p: u32) {
    use sha2::Digest;
    let conn = raw(path);
    let sealed: String = conn
        .query_row(
            "SELECT sealed FROM identity_keys WHERE fingerprint = ?1",
            [fingerprint],
            |r| r.get(0),
        )
        .unwrap();
    let mut bytes = hex::decode(&sealed).unwrap();
    bytes[12..16].copy_from_slice(&m_kib.to_be_bytes());
    bytes[16..20].copy_from_slice(&t.to_be_bytes());
    bytes[20..24].copy_from_slice(&p.to_be_bytes());
    let checksum = sha2::Sha256::digest(&bytes[..144]);
    bytes[144..].copy_from_slice(&checksum);
    conn.execute(
        "UPDATE identity_keys SET sealed = ?2 WHERE fingerprint = ?1",
        [fingerprint, &hex::encode(&bytes)],
    )
    .unwrap();
}

#[test]
fn a_key_record_naming_huge_argon2_parameters_is_refused_before_deriving() {
    let s = solo();
    let id = create(s.lib(), GERMAN);
    s.lib().freeze(id, "").unwrap();
    s.lib().request_approval(id).unwrap();
    // 4 GiB and 64 passes: deriving would allocate 4 GB and run for minutes.
    rewrite_key_params(s.fx.path(), &s.manager.fingerprint, 4 * 1024 * 1024, 64, 1);
    let started = std::time::Instant::now();
    let err = s
        .lib()
        .sign(id, 1, &s.manager.fingerprint, PASS)
        .unwrap_err();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "the parameters are refused before any key derivation, not after {:?}",
        started.elapsed()
    );
    assert_eq!(
        err.code(),
        "key_damaged",
        "a record naming parameters beyond the bounds is damaged, not a wrong passphrase: {err}"
    );
    assert!(
        err.to_string().contains("memory m = 4194304 KiB"),
        "the message names the out-of-range parameter: {err}"
    );
    assert!(
        s.lib().history(id).unwrap().versions[0]
            .signatures
            .is_empty(),
        "nothing was signed"
    );
}

#[test]
fn secrets_never_appear_in_what_the_api_returns() {
    let s = solo();
    let conn = raw(s.fx.path());
    let sealed: String = conn
        .query_row("SELECT sealed FROM identity_keys LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let listed = serde_json::to_string(&s.lib().identities().unwrap()).unwrap();
    let card = s.lib().export_card("Mara Manager").unwrap();
    for text in [
        &listed,
        &card,
        &format!("{:?}", s.lib().identities().unwrap()),
    ] {
        assert!(
            !text.contains(&sealed[..40]) && !text.contains("sealed"),
            "no sealed key material in identities or cards: {text}"
        );
    }
    assert_eq!(
        s.manager.fingerprint_display.split(' ').count(),
        8,
        "the display fingerprint is eight groups of four: {}",
        s.manager.fingerprint_display
    );
}

#[test]
fn identity_cards_round_trip_and_a_changed_card_is_refused() {
    let a = solo();
    let other = fixture();
    let card = a.lib().export_card(&a.legal.fingerprint).unwrap();
    let imported = other
        .lib
        .import_card(card.as_bytes())
        .expect("import the card");
    assert_eq!(imported.fingerprint, a.legal.fingerprint);
    assert!(
        imported.trusted && !imported.own,
        "an imported card is trusted, not own"
    );
    assert_eq!(
        other.lib.import_card(card.as_bytes()).unwrap(),
        imported,
        "importing the same card twice changes nothing"
    );

    let mut v: Value = serde_json::from_str(&card).unwrap();
    v["role"] = Value::String("service_manager".into());
    let err = other.lib.import_card(v.to_string().as_bytes()).unwrap_err();
    assert_eq!(
        err.code(),
        "bundle_invalid",
        "a card whose role was changed: {err}"
    );
    assert!(
        err.to_string().contains("$.signature"),
        "the broken self-signature is named: {err}"
    );
    let err = other
        .lib
        .import_card(&card.as_bytes()[..card.len() / 2])
        .unwrap_err();
    assert_eq!(err.code(), "bundle_invalid", "a truncated card: {err}");
}

// ---------------------------------------------------------------- policy and workflow

#[test]
fn the_policy_decides_who_must_sign_and_is_fixed_once_signed() {
    let s = solo();
    let rep = person(s.lib(), "Carl Customer", Role::CustomerRepresentative);
    let id = create(s.lib(), GERMAN);
    assert_eq!(
        s.lib().policy(id).unwrap().required,
        vec![Role::ServiceManager, Role::LegalReviewer],
        "the default policy: service manager and legal reviewer"
    );
    s.lib()
        .set_policy(
            id,
            &[
                Role::CustomerRepresentative,
                Role::ServiceManager,
                Role::LegalReviewer,
            ],
        )
        .unwrap();
    s.lib().freeze(id, "").unwrap();
    let err = s
        .lib()
        .sign(id, 1, &s.manager.fingerprint, PASS)
        .unwrap_err();
    assert_eq!(
        err.code(),
        "not_allowed",
        "signing needs a request for approval: {err}"
    );
    s.lib().request_approval(id).unwrap();
    s.lib().sign(id, 1, &s.manager.fingerprint, PASS).unwrap();
    let err = s
        .lib()
        .sign(id, 1, &s.manager.fingerprint, PASS)
        .unwrap_err();
    assert_eq!(err.code(), "not_allowed", "nobody signs twice: {err}");
    let err = s.lib().set_policy(id, &[Role::ServiceManager]).unwrap_err();
    assert_eq!(
        err.code(),
        "not_allowed",
        "the policy is fixed once someone signed: {err}"
    );
    let o = s.lib().sign(id, 1, &s.legal.fingerprint, PASS).unwrap();
    assert_eq!(
        o.status,
        Status::InReview,
        "the customer representative is still missing"
    );
    assert_eq!(o.missing_roles, vec![Role::CustomerRepresentative]);
    let pending = s.lib().pending_approvals().unwrap();
    assert!(
        pending.iter().any(|p| p.agreement == id
            && p.role == Role::CustomerRepresentative
            && p.what == PendingKind::Version { version: 1 }),
        "the representative's signature is pending: {pending:?}"
    );
    let o = s.lib().sign(id, 1, &rep.fingerprint, PASS).unwrap();
    assert_eq!(o.status, Status::InForce, "all three signed");
    assert!(
        s.lib().pending_approvals().unwrap().is_empty(),
        "nothing is pending any more"
    );
    let err = s.lib().freeze(id, "more").unwrap_err();
    assert_eq!(
        err.code(),
        "not_allowed",
        "a version in force changes only by amendment: {err}"
    );
    assert_clean(s.lib(), id, "three signatures");
}

#[test]
fn nothing_but_signatures_puts_an_agreement_in_force_not_even_raw_sql() {
    let s = solo();
    let id = s.in_review();
    let conn = raw(s.fx.path());
    let err = conn
        .execute(
            "UPDATE agreements SET status = 'in_force' WHERE id = ?1",
            [id.0],
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("approval policy requires"),
        "the schema refuses in_force without the legal reviewer's signature: {err}"
    );
    assert_eq!(s.lib().summary(id).unwrap().status, Status::InReview);
}

/// Every status change — a user's step, an archive, a signature settling the status — goes
/// through the store's one status rule; each of these must be refused and change nothing.
#[test]
fn a_status_change_against_the_rules_is_refused_on_every_path() {
    let s = solo();
    let draft = create(s.lib(), GERMAN);
    let refused = |what: &str, result: pactum::Result<Status>, id: AgreementId, stays: Status| {
        let err = result.expect_err(what);
        assert_eq!(err.code(), "not_allowed", "{what}: {err}");
        assert_eq!(
            s.lib().summary(id).unwrap().status,
            stays,
            "{what} was refused and changed nothing"
        );
    };
    refused(
        "unarchiving a draft",
        s.lib().unarchive(draft),
        draft,
        Status::Draft,
    );
    refused(
        "withdrawing a review never requested",
        s.lib().withdraw_review(draft),
        draft,
        Status::Draft,
    );

    let id = s.in_force();
    refused(
        "requesting review of an agreement in force",
        s.lib().request_review(id),
        id,
        Status::InForce,
    );
    refused(
        "withdrawing a review of an agreement in force",
        s.lib().withdraw_review(id),
        id,
        Status::InForce,
    );
    assert_eq!(s.lib().archive(id).unwrap(), Status::Archived);
    refused(
        "requesting review while archived",
        s.lib().request_review(id),
        id,
        Status::Archived,
    );
    let sign = s
        .lib()
        .sign(id, 1, &s.manager.fingerprint, PASS)
        .map(|o| o.status);
    refused("signing while archived", sign, id, Status::Archived);
    assert_eq!(
        s.lib().unarchive(id).unwrap(),
        Status::InForce,
        "unarchiving returns to the status before archiving"
    );
}

#[test]
fn a_rejected_version_returns_to_draft_and_a_rejected_amendment_is_closed() {
    let s = solo();
    let id = s.in_review();
    let err = s
        .lib()
        .reject_version(id, 1, &s.legal.fingerprint, PASS, "  ")
        .unwrap_err();
    assert_eq!(
        err.code(),
        "invalid_input",
        "a rejection needs a reason: {err}"
    );
    let o = s
        .lib()
        .reject_version(id, 1, &s.legal.fingerprint, PASS, "Clause 4 is unclear")
        .unwrap();
    assert_eq!(
        o.status,
        Status::Draft,
        "a rejection sends the version back to draft"
    );
    let err = s.lib().request_approval(id).unwrap_err();
    assert_eq!(
        err.code(),
        "not_allowed",
        "the rejected version cannot be resubmitted: {err}"
    );
    assert_eq!(
        s.lib().history(id).unwrap().versions[0].state,
        VersionState::Rejected
    );
    assert_clean(s.lib(), id, "a signed rejection");

    let id = s.in_force();
    edit(s.lib(), id, |a| set_top_resolution(a, "1 h"));
    let a = s
        .lib()
        .propose_amendment_from_draft(id, "Faster", None)
        .unwrap();
    s.lib()
        .reject(id, a.number, &s.legal.fingerprint, PASS, "Too expensive")
        .unwrap();
    let list = s.lib().amendments(id).unwrap();
    assert_eq!(list[0].state, AmendmentState::Rejected);
    assert_eq!(list[0].decisions[0].comment, "Too expensive");
    let err = s
        .lib()
        .approve(id, a.number, &s.manager.fingerprint, PASS)
        .unwrap_err();
    assert_eq!(
        err.code(),
        "not_allowed",
        "a rejected amendment is closed: {err}"
    );
    assert_eq!(
        s.lib().history(id).unwrap().in_force,
        Some(1),
        "version 1 stays in force"
    );
    assert_clean(s.lib(), id, "a rejected amendment");
}

// ---------------------------------------------------------------- two machines

/// Two databases: the service manager on A, the legal reviewer on B; cards exchanged.
struct Machines {
    a: Fixture,
    b: Fixture,
    manager: IdentityInfo,
    legal: IdentityInfo,
}

fn machines() -> Machines {
    let a = fixture();
    let b = fixture();
    let manager = person(&a.lib, "Mara Manager", Role::ServiceManager);
    let legal = person(&b.lib, "Lena Legal", Role::LegalReviewer);
    b.lib
        .import_card(a.lib.export_card(&manager.fingerprint).unwrap().as_bytes())
        .unwrap();
    a.lib
        .import_card(b.lib.export_card(&legal.fingerprint).unwrap().as_bytes())
        .unwrap();
    Machines {
        a,
        b,
        manager,
        legal,
    }
}

impl Machines {
    /// Runs the whole workflow; returns the agreement's ids on A and B.
    fn workflow(&self) -> (AgreementId, AgreementId) {
        let (a, b) = (&self.a.lib, &self.b.lib);
        let mf = self.manager.fingerprint.as_str();
        let lf = self.legal.fingerprint.as_str();

        // A: freeze, request approval, the manager signs.
        let id_a = create(a, GERMAN);
        a.freeze(id_a, "first").unwrap();
        a.request_approval(id_a).unwrap();
        a.sign(id_a, 1, mf, PASS).unwrap();

        // A → B: the history. B's legal reviewer signs; version 1 is in force on B.
        let history = a
            .export_bundle(id_a, BundleRequest::History, mf, PASS)
            .unwrap();
        let o = b.import_bundle(&history).expect("B imports A's history");
        assert!(o.created, "the agreement is new on B");
        assert_eq!(
            o.status,
            Status::InReview,
            "on B it waits for the legal review"
        );
        let id_b = o.agreement;
        assert_eq!(
            b.summary(id_b).unwrap().uid,
            a.summary(id_a).unwrap().uid,
            "the same agreement uid on both machines"
        );
        let pending = b.pending_approvals().unwrap();
        assert_eq!(
            pending.len(),
            1,
            "B's reviewer has one thing to sign: {pending:?}"
        );
        self.b.clock.advance_secs(3600);
        let o = b.sign(id_b, 1, lf, PASS).unwrap();
        assert_eq!(
            o.status,
            Status::InForce,
            "in force on B after the second signature"
        );

        // B → A: the answer. Version 1 is in force on A.
        let answer = b
            .export_bundle(id_b, BundleRequest::Answer { amendment: None }, lf, PASS)
            .unwrap();
        let o = a.import_bundle(&answer).expect("A imports B's answer");
        assert_eq!(
            o.added_signatures, 1,
            "the legal reviewer's signature arrives"
        );
        assert_eq!(o.status, Status::InForce, "in force on A too");

        // A: an amendment, proposed and approved by the manager.
        self.a.clock.advance_secs(86_400);
        edit(a, id_a, |x| set_top_resolution(x, "2 h"));
        let am = a
            .propose_amendment_from_draft(id_a, "Faster resolution of P1", Some((mf, PASS)))
            .unwrap();
        assert_eq!((am.base_version, am.target_version), (1, 2));
        a.approve(id_a, am.number, mf, PASS).unwrap();

        // A → B: the proposal. B reviews the redline and approves; version 2 in force on B.
        let proposal = a
            .export_bundle(
                id_a,
                BundleRequest::Amendment {
                    amendment: am.number,
                },
                mf,
                PASS,
            )
            .unwrap();
        let o = b.import_bundle(&proposal).expect("B imports the proposal");
        assert_eq!((o.added_amendments, o.added_signatures), (1, 1));
        let review = b.amendment(id_b, am.number).unwrap();
        assert_eq!(review.summary.state, AmendmentState::Open);
        assert_eq!(review.summary.missing_roles, vec![Role::LegalReviewer]);
        assert!(
            !review.comparison.terms.is_empty(),
            "the review shows the changed resolution target"
        );
        self.b.clock.advance_secs(86_400 + 600);
        let o = b.approve(id_b, am.number, lf, PASS).unwrap();
        assert_eq!(o.in_force, Some(2), "B enacts the amendment");

        // B → A: the answer; version 2 comes into force on A.
        let answer = b
            .export_bundle(
                id_b,
                BundleRequest::Answer {
                    amendment: Some(am.number),
                },
                lf,
                PASS,
            )
            .unwrap();
        let o = a.import_bundle(&answer).expect("A imports the approval");
        assert_eq!(o.enacted, vec![2], "A enacts version 2");
        let again = a.import_bundle(&answer).expect("importing it again works");
        assert!(
            !again.changed,
            "importing the same answer twice changes nothing: {again:?}"
        );
        (id_a, id_b)
    }
}

#[test]
fn two_machines_bring_a_version_into_force_and_amend_it() {
    let m = machines();
    let (id_a, id_b) = m.workflow();
    for (name, lib, id) in [("A", &m.a.lib, id_a), ("B", &m.b.lib, id_b)] {
        let h = lib.history(id).unwrap();
        assert_eq!(h.status, Status::InForce, "{name}: in force");
        assert_eq!(h.in_force, Some(2), "{name}: version 2 is in force");
        assert_eq!(
            h.versions.iter().map(|v| v.state).collect::<Vec<_>>(),
            vec![VersionState::Superseded, VersionState::InForce],
            "{name}: version 1 is superseded"
        );
        assert_eq!(
            h.versions[1].amendment,
            Some(1),
            "{name}: version 2 came from amendment 1"
        );
        assert_eq!(h.amendments[0].state, AmendmentState::Enacted);
        let log = lib.amendment_log(id).unwrap();
        assert_eq!(log.len(), 1, "{name}: the amendment log has one entry");
        assert_eq!(log[0].version, 2);
        assert_eq!(log[0].reason, "Faster resolution of P1");
        assert_eq!(
            log[0].approved_by,
            vec![
                "Mara Manager (service manager)",
                "Lena Legal (legal reviewer)"
            ],
            "{name}: the log names both approvers"
        );
        let r = verified(lib, id);
        assert!(r.ok, "{name}: the whole history verifies:\n{}", r.to_text());
        assert!(
            r.checkpoints_checked >= 1,
            "{name}: against the checkpoints it has seen"
        );
        let draft = lib.draft(id).unwrap().agreement;
        assert_eq!(
            draft,
            lib.version(id, 2).unwrap().agreement,
            "{name}: the draft follows the version in force"
        );
    }
    assert_eq!(
        m.a.lib.version_content(id_a, 2).unwrap(),
        m.b.lib.version_content(id_b, 2).unwrap(),
        "both machines hold the same version 2"
    );
    let (ca, cb) = (
        m.a.lib.checkpoint(id_a).unwrap(),
        m.b.lib.checkpoint(id_b).unwrap(),
    );
    assert_eq!(
        (ca.versions, &ca.head, ca.records, &ca.records_hash),
        (cb.versions, &cb.head, cb.records, &cb.records_hash),
        "both machines reach the same checkpoint"
    );
    let history =
        m.a.lib
            .export_bundle(id_a, BundleRequest::History, &m.manager.fingerprint, PASS)
            .unwrap();
    assert!(
        !m.b.lib.import_bundle(&history).unwrap().changed,
        "B already has everything in A's history"
    );
}

#[test]
fn a_signer_not_in_the_trust_list_is_reported_and_refused_on_import() {
    let m = machines();
    let (id_a, _) = m.workflow();
    let copy = tampered(&m.a, "DELETE FROM identity_cards WHERE own = 0");
    assert_finding(
        &verified(&copy, id_a),
        FindingCode::SignerUntrusted,
        None,
        Some("signer"),
        "the legal reviewer's card was removed from the trust list",
    );
    m.a.lib.distrust(&m.legal.fingerprint).unwrap();
    assert_finding(
        &verified(&m.a.lib, id_a),
        FindingCode::SignerUntrusted,
        None,
        Some("signer"),
        "the legal reviewer was distrusted",
    );

    // A third machine that trusts nobody refuses the history and writes nothing.
    let c = fixture();
    person(&c.lib, "Chris Other", Role::LegalReviewer);
    let m2 = machines();
    let (id, _) = m2.workflow();
    let bytes =
        m2.a.lib
            .export_bundle(id, BundleRequest::History, &m2.manager.fingerprint, PASS)
            .unwrap();
    let err = c.lib.import_bundle(&bytes).unwrap_err();
    assert_eq!(err.code(), "untrusted_signer", "{err}");
    assert!(
        err.to_string().contains("Lena Legal") && err.to_string().contains("Mara Manager"),
        "the refusal names who is not trusted: {err}"
    );
    assert_eq!(total_all(&c.lib), 0, "nothing was imported");
}

// ---------------------------------------------------------------- tampering

#[test]
fn a_flipped_byte_in_stored_content_is_caught() {
    let s = solo();
    let id = s.amended();
    assert_clean(s.lib(), id, "before tampering");
    let copy = tampered(
        &s.fx,
        "UPDATE versions SET content = substr(content, 1, 49)
             || char(unicode(substr(content, 50, 1)) + 1 - 2 * (unicode(substr(content, 50, 1)) & 1))
             || substr(content, 51)
         WHERE number = 1",
    );
    assert_finding(
        &verified(&copy, id),
        FindingCode::ContentHashMismatch,
        Some(1),
        Some("content"),
        "one flipped bit in version 1",
    );
}

/// Changes the top priority's resolution in version `number` and stores a matching hash, as
/// someone covering their tracks would.
fn rewrite_version_sql(lib: &Library, id: AgreementId, number: u32) -> String {
    let content = lib.version_content(id, number).unwrap();
    let mut v: Value = serde_json::from_str(&content).unwrap();
    v["support_levels"]["priorities"][0]["resolution"] = Value::String("30 d".into());
    let (text, hash) = pactum::canonical::canonical_with_hash(&v).unwrap();
    format!(
        "UPDATE versions SET content = '{}', hash = '{hash}' WHERE agreement_id = {} AND number = {number}",
        text.replace('\'', "''"),
        id.0
    )
}

#[test]
fn a_changed_field_with_a_recomputed_hash_is_caught() {
    let s = solo();
    let id = s.amended();
    assert_clean(s.lib(), id, "before tampering");
    let copy = tampered(&s.fx, &rewrite_version_sql(s.lib(), id, 1));
    let r = verified(&copy, id);
    assert_finding(
        &r,
        FindingCode::SignatureMismatch,
        Some(1),
        Some("content_hash"),
        "the signatures approve other content than version 1 now holds",
    );
    assert_finding(
        &r,
        FindingCode::ChainBroken,
        Some(2),
        Some("previous_hash"),
        "version 2 names the old hash of version 1",
    );

    let copy = tampered(
        &s.fx,
        "UPDATE signatures SET role = 'customer_representative'
         WHERE id = (SELECT min(id) FROM signatures)",
    );
    assert_finding(
        &verified(&copy, id),
        FindingCode::SignatureMismatch,
        Some(1),
        Some("role"),
        "the stored role of a signature was changed",
    );
}

#[test]
fn a_deleted_version_is_caught() {
    let s = solo();
    let id = s.amended();
    edit(s.lib(), id, |a| set_top_resolution(a, "1 h"));
    let a = s
        .lib()
        .propose_amendment_from_draft(id, "Even faster", None)
        .unwrap();
    s.lib()
        .approve(id, a.number, &s.manager.fingerprint, PASS)
        .unwrap();
    s.lib()
        .approve(id, a.number, &s.legal.fingerprint, PASS)
        .unwrap();
    assert_clean(s.lib(), id, "three versions");
    let copy = tampered(&s.fx, "DELETE FROM versions WHERE number = 2");
    let r = verified(&copy, id);
    assert_finding(
        &r,
        FindingCode::VersionMissing,
        Some(2),
        None,
        "version 2 of 3 was deleted",
    );
}

#[test]
fn two_swapped_versions_are_caught() {
    let s = solo();
    let id = s.amended();
    assert_clean(s.lib(), id, "before tampering");
    let copy = tampered(
        &s.fx,
        "UPDATE versions SET number = 3 WHERE number = 1;
         UPDATE versions SET number = 1 WHERE number = 2;
         UPDATE versions SET number = 2 WHERE number = 3;",
    );
    let r = verified(&copy, id);
    assert_finding(
        &r,
        FindingCode::ChainBroken,
        Some(1),
        Some("previous_hash"),
        "the new version 1 names a predecessor",
    );
    assert_finding(
        &r,
        FindingCode::SignatureMismatch,
        Some(1),
        Some("content_hash"),
        "version 1's signatures approve other content",
    );
}

#[test]
fn a_forged_signature_is_caught() {
    let s = solo();
    let id = s.amended();
    assert_clean(s.lib(), id, "before tampering");
    let copy = tampered(
        &s.fx,
        "UPDATE signatures SET signature = substr(signature, 1, 127)
             || CASE substr(signature, 128, 1) WHEN '0' THEN '1' ELSE '0' END
         WHERE id = (SELECT max(id) FROM signatures)",
    );
    assert_finding(
        &verified(&copy, id),
        FindingCode::SignatureInvalid,
        Some(2),
        Some("signature"),
        "the last approval's signature was changed",
    );
    let copy = tampered(
        &s.fx,
        "UPDATE signatures SET statement = replace(statement, '\"comment\":\"\"', '\"comment\":\"forged\"')
         WHERE id = (SELECT min(id) FROM signatures)",
    );
    assert_finding(
        &verified(&copy, id),
        FindingCode::SignatureInvalid,
        Some(1),
        Some("signature"),
        "the signed statement was edited",
    );
}

#[test]
fn a_signature_replayed_from_another_agreement_or_version_is_caught() {
    let s = solo();
    let donor = s.in_force();
    let target = s.in_review();
    assert_clean(s.lib(), target, "before tampering");
    let copy = tampered(
        &s.fx,
        &format!(
            "INSERT INTO signatures (agreement_id, version, amendment, role, decision, signer, signed_at, statement, signature, added_at)
             SELECT {t}, version, amendment, role, decision, signer, signed_at, statement, signature, added_at
             FROM signatures WHERE agreement_id = {d} AND role = 'legal_reviewer';
             UPDATE agreements SET status = 'in_force' WHERE id = {t};",
            t = target.0,
            d = donor.0
        ),
    );
    let r = verified(&copy, target);
    assert_finding(
        &r,
        FindingCode::SignatureReplayed,
        Some(1),
        Some("agreement"),
        "the legal reviewer's signature belongs to another agreement",
    );
    assert_finding(
        &r,
        FindingCode::InForceWithoutSignatures,
        Some(1),
        None,
        "the replayed signature does not count",
    );

    let id = s.amended();
    assert_clean(s.lib(), id, "before tampering");
    let copy = tampered(
        &s.fx,
        &format!(
            "UPDATE signatures SET version = 2
             WHERE agreement_id = {} AND version = 1 AND role = 'legal_reviewer'",
            id.0
        ),
    );
    assert_finding(
        &verified(&copy, id),
        FindingCode::SignatureReplayed,
        Some(2),
        Some("version"),
        "version 1's approval stored as one of version 2",
    );
}

#[test]
fn in_force_without_the_required_signatures_is_caught() {
    let s = solo();
    let id = s.in_review();
    assert_clean(s.lib(), id, "in review with one signature");
    let copy = tampered(
        &s.fx,
        &format!(
            "UPDATE agreements SET status = 'in_force' WHERE id = {}",
            id.0
        ),
    );
    assert_finding(
        &verified(&copy, id),
        FindingCode::InForceWithoutSignatures,
        Some(1),
        Some("status"),
        "marked in force with the manager's signature only",
    );
}

#[test]
fn cut_off_newest_versions_are_caught_by_a_stored_checkpoint() {
    let m = machines();
    let (id_a, _) = m.workflow();
    assert_clean(&m.a.lib, id_a, "A after the workflow, with B's checkpoints");
    let copy = tampered(
        &m.a,
        &format!(
            "DELETE FROM signatures WHERE agreement_id = {id} AND version = 2;
             DELETE FROM amendments WHERE agreement_id = {id};
             DELETE FROM versions WHERE agreement_id = {id} AND number = 2;
             UPDATE agreements SET current_version = 1 WHERE id = {id};",
            id = id_a.0
        ),
    );
    let r = verified(&copy, id_a);
    assert_finding(
        &r,
        FindingCode::HistoryCutOff,
        None,
        Some("checkpoint.versions"),
        "B's checkpoint names 2 versions",
    );
    assert!(
        r.to_text()
            .contains("names 2 versions, this database has 1"),
        "the report says how much is missing:\n{}",
        r.to_text()
    );
}

#[test]
fn an_older_database_restored_is_caught_by_a_checkpoint_from_a_pdf_or_bundle() {
    let s = solo();
    let id = s.in_force();
    let backup = copy_db(&s.fx);
    edit(s.lib(), id, |a| set_top_resolution(a, "2 h"));
    let a = s
        .lib()
        .propose_amendment_from_draft(id, "Faster", None)
        .unwrap();
    s.lib()
        .approve(id, a.number, &s.manager.fingerprint, PASS)
        .unwrap();
    s.lib()
        .approve(id, a.number, &s.legal.fingerprint, PASS)
        .unwrap();
    let cp = s
        .lib()
        .signed_checkpoint(id, &s.manager.fingerprint, PASS)
        .unwrap();
    let text = cp.to_text();
    assert!(text.starts_with("pactum-checkpoint v1 "), "{text}");

    let restored = open(&backup, &s.fx.clock).library;
    assert!(
        verified(&restored, id).ok,
        "without a checkpoint the older history looks complete"
    );
    let r = restored
        .verify_with_checkpoints(id, &[Checkpoint::parse(&text).unwrap()])
        .unwrap();
    assert_finding(
        &r,
        FindingCode::HistoryCutOff,
        None,
        Some("checkpoint.versions"),
        "the checkpoint names 2 versions, the restored database has 1",
    );
    let mut forged = cp.clone();
    forged.versions = 1;
    forged.head = Some(s.lib().versions(id).unwrap()[0].hash.clone());
    let r = restored.verify_with_checkpoints(id, &[forged]).unwrap();
    assert_finding(
        &r,
        FindingCode::CheckpointInvalid,
        None,
        Some("checkpoint.signature"),
        "a checkpoint edited to match is refused",
    );
    assert!(
        restored.remember_checkpoint(&cp).unwrap(),
        "the checkpoint is remembered"
    );
    assert_finding(
        &verified(&restored, id),
        FindingCode::HistoryCutOff,
        None,
        None,
        "a remembered checkpoint is checked by every later verification",
    );
}

// ---------------------------------------------------------------- bundles

/// A receiving machine that trusts both signers of a solo database.
fn receiver(s: &Solo) -> Fixture {
    let r = fixture();
    for who in [&s.manager, &s.legal] {
        r.lib
            .import_card(s.lib().export_card(&who.fingerprint).unwrap().as_bytes())
            .unwrap();
    }
    r
}

fn signature_rows(lib_path: &Path) -> i64 {
    raw(lib_path)
        .query_row("SELECT count(*) FROM signatures", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn forged_truncated_or_tampered_bundles_are_refused_and_write_nothing() {
    let s = solo();
    let id = s.amended();
    let bytes = s
        .lib()
        .export_bundle(id, BundleRequest::History, &s.manager.fingerprint, PASS)
        .unwrap();
    let r = receiver(&s);
    let bundle: Value = serde_json::from_slice(&bytes).unwrap();

    let mut cases: Vec<(&str, Vec<u8>, &str)> = vec![(
        "truncated in the middle",
        bytes[..bytes.len() / 2].to_vec(),
        "$",
    )];
    let mut forged = bundle.clone();
    let sig = forged["signatures"][0]["signature"]
        .as_str()
        .unwrap()
        .to_string();
    let flipped = format!(
        "{}{}",
        if sig.starts_with('0') { "1" } else { "0" },
        &sig[1..]
    );
    forged["signatures"][0]["signature"] = Value::String(flipped);
    cases.push((
        "a forged signature",
        serde_json::to_vec(&forged).unwrap(),
        "$.signatures[0].signature",
    ));
    let mut changed = bundle.clone();
    changed["versions"][0]["content"]["title"] = Value::String("Changed".into());
    cases.push((
        "a changed title in version 1",
        serde_json::to_vec(&changed).unwrap(),
        "$.versions[0].content",
    ));
    let mut cut = bundle.clone();
    cut["signatures"].as_array_mut().unwrap().pop();
    cases.push((
        "the last signature removed",
        serde_json::to_vec(&cut).unwrap(),
        "$.checkpoint.records",
    ));
    let mut cut = bundle.clone();
    cut["versions"].as_array_mut().unwrap().pop();
    cases.push((
        "the newest version removed",
        serde_json::to_vec(&cut).unwrap(),
        "$.checkpoint.versions",
    ));
    let mut note = bundle.clone();
    note["versions"][0]["note"] = Value::String("edited note".into());
    cases.push((
        "an unsigned note edited",
        serde_json::to_vec(&note).unwrap(),
        "$.signature",
    ));
    let mut other = bundle.clone();
    other["signatures"][1]["statement"]["agreement"] = Value::String("another-agreement".into());
    cases.push((
        "a statement of another agreement",
        serde_json::to_vec(&other).unwrap(),
        "$.signatures[1].statement.agreement",
    ));

    for (what, file, path) in cases {
        let err = r
            .lib
            .import_bundle(&file)
            .expect_err(&format!("{what} must be refused"));
        assert_eq!(err.code(), "bundle_invalid", "{what}: {err}");
        match &err {
            pactum::Error::BundleInvalid(problems) => assert!(
                problems
                    .iter()
                    .any(|p| p.path == path || p.path.starts_with(&format!("{path}."))),
                "{what}: a problem at {path}: {problems:#?}"
            ),
            other => panic!("{what}: {other:?}"),
        }
        assert_eq!(total_all(&r.lib), 0, "{what}: no agreement was created");
        assert_eq!(
            signature_rows(r.path()),
            0,
            "{what}: no signature was written"
        );
    }
    let ok = r
        .lib
        .import_bundle(&bytes)
        .expect("the untouched file imports");
    assert_eq!((ok.added_versions, ok.status), (2, Status::InForce));
    assert!(verified(&r.lib, ok.agreement).ok);
    let again = r.lib.import_bundle(&bytes).unwrap();
    assert!(!again.changed, "a second import changes nothing");
    assert_eq!(
        signature_rows(r.path()),
        4,
        "two approvals for each of two versions, once"
    );
}

#[test]
fn an_answer_for_an_unknown_agreement_is_refused() {
    let s = solo();
    let id = s.amended();
    let answer = s
        .lib()
        .export_bundle(
            id,
            BundleRequest::Answer { amendment: Some(1) },
            &s.legal.fingerprint,
            PASS,
        )
        .unwrap();
    let r = receiver(&s);
    let err = r.lib.import_bundle(&answer).unwrap_err();
    assert_eq!(err.code(), "bundle_invalid", "{err}");
    assert!(
        err.to_string().contains("import its full history first"),
        "{err}"
    );
}

/// One history bundle for the property tests, built once.
fn sample_bundle() -> &'static Vec<u8> {
    static BUNDLE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BUNDLE.get_or_init(|| {
        let s = solo();
        let id = s.amended();
        s.lib()
            .export_bundle(id, BundleRequest::History, &s.manager.fingerprint, PASS)
            .unwrap()
    })
}

#[test]
fn a_repeated_key_in_a_bundles_content_is_refused() {
    let text = String::from_utf8(sample_bundle().clone()).unwrap();
    let at = text.find("\"content\": {").expect("a version with content") + "\"content\": {".len();
    // The forged title comes first; a parser that keeps the later key would hash, verify and
    // import the signed content while a reader of the file sees "Forged" first.
    let forged = format!("{}\"title\": \"Forged\",{}", &text[..at], &text[at..]);
    let err = inspect(forged.as_bytes())
        .expect_err("an exchange file with a repeated key in a version's content must be refused");
    assert_eq!(err.code(), "bundle_invalid", "{err}");
    let pactum::Error::BundleInvalid(problems) = err else {
        unreachable!()
    };
    assert!(
        problems
            .iter()
            .any(|p| p.path == "$.versions[0].content.title" && p.message.contains("twice")),
        "the repeated key is named by its JSON path: {problems:#?}"
    );
}

/// Every leaf of a JSON value, as a list of keys / indices.
fn leaves(v: &Value, path: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                path.push(Value::String(k.clone()));
                leaves(x, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                path.push(Value::from(i));
                leaves(x, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

fn leaf_mut<'a>(v: &'a mut Value, path: &[Value]) -> &'a mut Value {
    path.iter().fold(v, |v, k| match k {
        Value::String(s) => &mut v[s.as_str()],
        other => &mut v[other.as_u64().unwrap() as usize],
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn any_flipped_byte_in_a_bundle_is_detected(pos in any::<prop::sample::Index>(), bit in 0u8..8) {
        let original = sample_bundle();
        let mut bytes = original.clone();
        let i = pos.index(bytes.len());
        bytes[i] ^= 1 << bit;
        if inspect(&bytes).is_ok() {
            let a: Value = serde_json::from_slice(original).unwrap();
            let b: Value = serde_json::from_slice(&bytes).unwrap();
            prop_assert_eq!(a, b, "a flip at byte {} was accepted although it changed the content", i);
        }
    }

    #[test]
    fn any_changed_field_in_a_bundle_is_detected(pick in any::<prop::sample::Index>(), n in 1i64..1000) {
        let original: Value = serde_json::from_slice(sample_bundle()).unwrap();
        let mut all = Vec::new();
        leaves(&original, &mut Vec::new(), &mut all);
        let path = &all[pick.index(all.len())];
        let mut v = original.clone();
        let leaf = leaf_mut(&mut v, path);
        *leaf = match leaf.take() {
            Value::String(s) => Value::String(format!("{s}{n}")),
            Value::Number(x) => Value::from(x.as_i64().unwrap_or(0) + n),
            Value::Bool(b) => Value::Bool(!b),
            Value::Null => Value::String(format!("{n}")),
            other => other,
        };
        let bytes = serde_json::to_vec_pretty(&v).unwrap();
        prop_assert!(inspect(&bytes).is_err(), "changing {:?} went unnoticed", path);
    }
}

// ---------------------------------------------------------------- CLI

struct CliRun {
    code: i32,
    stdout: String,
    stderr: String,
}

fn cli(db: &Path, args: &[&str], passphrase: Option<&str>) -> CliRun {
    let home = db.parent().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pactum"));
    cmd.env_remove("PACTUM_DB")
        .env_remove("PACTUM_PASSPHRASE")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .arg("--db")
        .arg(db)
        .args(args);
    if let Some(p) = passphrase {
        cmd.env("PACTUM_PASSPHRASE", p);
    }
    let out: Output = cmd.output().expect("run pactum");
    CliRun {
        code: out.status.code().expect("exits normally"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn ok(db: &Path, args: &[&str]) -> String {
    let r = cli(db, args, Some(PASS));
    assert_eq!(
        r.code,
        0,
        "`pactum {}` must succeed: {}",
        args.join(" "),
        r.stderr
    );
    r.stdout
}

#[test]
fn cli_runs_the_whole_workflow_between_two_databases() {
    let dir = test_dir();
    let a = dir.path.clone();
    let b = dir.dir.path().join("b.db");
    let file = |n: &str| dir.dir.path().join(n).to_str().unwrap().to_string();
    ok(
        &a,
        &[
            "identity",
            "new",
            "--name",
            "Mara Manager",
            "--role",
            "service_manager",
            "--insecure-test-kdf",
        ],
    );
    ok(
        &b,
        &[
            "identity",
            "new",
            "--name",
            "Lena Legal",
            "--role",
            "legal-reviewer",
            "--insecure-test-kdf",
        ],
    );
    ok(
        &a,
        &[
            "identity",
            "export",
            "Mara Manager",
            "-o",
            &file("mara.json"),
        ],
    );
    ok(
        &b,
        &["identity", "export", "Lena Legal", "-o", &file("lena.json")],
    );
    assert!(ok(&b, &["identity", "import", &file("mara.json")]).contains("compare it"));
    ok(&a, &["identity", "import", &file("lena.json")]);
    let list = ok(&a, &["identity", "list"]);
    assert!(
        list.contains("own") && list.contains("Lena Legal"),
        "{list}"
    );

    let id = ok(&a, &["new", "--template", GERMAN]).trim().to_string();
    assert!(ok(&a, &["policy", &id]).contains("service_manager, legal_reviewer"));
    ok(&a, &["freeze", &id]);
    ok(&a, &["request-approval", &id]);
    let wrong = cli(&a, &["sign", &id, "1"], Some("wrong passphrase"));
    assert_eq!(
        wrong.code, 2,
        "a wrong passphrase is an input error: {}",
        wrong.stderr
    );
    assert!(
        wrong.stderr.contains("wrong passphrase"),
        "{}",
        wrong.stderr
    );
    assert!(ok(&a, &["sign", &id, "1"]).contains("waiting for legal_reviewer"));
    ok(&a, &["bundle", "export", &id, "-o", &file("history.json")]);
    let imported = ok(&b, &["bundle", "import", &file("history.json")]);
    assert!(imported.contains("(new here)"), "{imported}");
    let id_b = imported.split_whitespace().nth(1).unwrap().to_string();
    assert!(
        ok(&b, &["sign", &id_b, "1", "--identity", "Lena Legal"]).contains("version 1 in force")
    );
    ok(
        &b,
        &[
            "bundle",
            "export",
            &id_b,
            "--answer",
            "-o",
            &file("answer.json"),
        ],
    );
    ok(&a, &["bundle", "import", &file("answer.json")]);
    assert!(ok(&a, &["verify", &id]).starts_with("verified"));

    // An amendment from an edited interchange file.
    let mut agreement: Value = serde_json::from_str(&ok(&a, &["export", &id])).unwrap();
    agreement["agreement"]["support_levels"]["priorities"][0]["resolution"] =
        Value::String("2 h".into());
    std::fs::write(file("amended.json"), agreement.to_string()).unwrap();
    assert!(ok(
        &a,
        &[
            "amend",
            &id,
            &file("amended.json"),
            "--reason",
            "Faster",
            "--identity",
            "Mara Manager"
        ]
    )
    .contains("amendment 1"));
    ok(&a, &["approve", &id, "1"]);
    ok(
        &a,
        &[
            "bundle",
            "export",
            &id,
            "--amendment",
            "1",
            "-o",
            &file("proposal.json"),
        ],
    );
    ok(&b, &["bundle", "import", &file("proposal.json")]);
    assert!(ok(&b, &["review", &id_b, "1"]).contains("version 1 → 2"));
    assert!(ok(&b, &["approve", &id_b, "1"]).contains("version 2 in force"));
    ok(
        &b,
        &[
            "bundle",
            "export",
            &id_b,
            "--amendment",
            "1",
            "--answer",
            "-o",
            &file("answer2.json"),
        ],
    );
    ok(&a, &["bundle", "import", &file("answer2.json")]);
    assert!(ok(&a, &["bundle", "import", &file("answer2.json")]).contains("nothing new"));
    assert!(ok(&a, &["amendments", &id]).contains("enacted"));
    let history = ok(&a, &["history", &id]);
    assert!(
        history.contains("superseded") && history.contains("in_force"),
        "{history}"
    );
    let cp = ok(&a, &["checkpoint", &id, "--identity", "Mara Manager"]);
    std::fs::write(file("checkpoint.txt"), &cp).unwrap();
    assert!(ok(
        &a,
        &["verify", &id, "--checkpoint", &file("checkpoint.txt")]
    )
    .starts_with("verified"));

    // Tampering makes `verify` fail with exit 1 and the findings in words.
    let conn = raw(&a);
    conn.execute_batch(
        "DROP TRIGGER signatures_are_immutable_update;
         UPDATE signatures SET signature = substr(signature, 1, 127)
             || CASE substr(signature, 128, 1) WHEN '0' THEN '1' ELSE '0' END
         WHERE id = (SELECT min(id) FROM signatures);",
    )
    .unwrap();
    drop(conn);
    let r = cli(&a, &["verify", &id], None);
    assert_eq!(r.code, 1, "a failed verification exits 1: {}", r.stderr);
    assert!(
        r.stdout.contains("VERIFICATION FAILED") && r.stdout.contains("signature_invalid"),
        "the findings are printed: {}",
        r.stdout
    );
}

#[test]
fn a_changed_amendment_proposal_is_caught() {
    let s = solo();
    let id = s.in_force();
    edit(s.lib(), id, |a| set_top_resolution(a, "2 h"));
    let a = s
        .lib()
        .propose_amendment_from_draft(id, "Faster", Some((&s.manager.fingerprint, PASS)))
        .unwrap();
    assert_clean(s.lib(), id, "an open amendment");
    let copy = tampered(
        &s.fx,
        "UPDATE amendments SET content = replace(content, '\"2 h\"', '\"9 h\"')",
    );
    assert_finding(
        &verified(&copy, id),
        FindingCode::AmendmentInvalid,
        Some(2),
        Some("content"),
        "the proposed content was changed after the proposal",
    );
    let copy = tampered(
        &s.fx,
        "UPDATE amendments SET proposal = replace(proposal, 'Faster', 'Slower')",
    );
    assert_finding(
        &verified(&copy, id),
        FindingCode::SignatureInvalid,
        Some(2),
        Some("signature"),
        "the proposer's signed reason was changed",
    );
    s.lib()
        .approve(id, a.number, &s.manager.fingerprint, PASS)
        .unwrap();
    s.lib()
        .approve(id, a.number, &s.legal.fingerprint, PASS)
        .unwrap();
    let copy = tampered(
        &s.fx,
        "UPDATE amendments SET content = replace(content, '\"2 h\"', '\"9 h\"')",
    );
    let err = copy.amendment(id, a.number).unwrap_err();
    assert_eq!(
        err.code(),
        "corrupt",
        "the enacted amendment's own copy is checked when read for review: {err}"
    );
}

/// An enacted amendment keeps its own copy of the content it proposed next to the version it
/// created; `review` reads that copy. Verification recomputes everything, so a damaged copy
/// must fail it too, not only the review.
#[test]
fn a_damaged_copy_of_an_enacted_amendment_fails_verification() {
    let s = solo();
    let id = s.amended();
    assert_clean(s.lib(), id, "amendment 1 enacted as version 2");
    for (damage, why) in [
        (
            "UPDATE amendments SET content = replace(content, '\"2 h\"', '\"9 h\"') WHERE number = 1",
            "a changed term in the stored copy",
        ),
        (
            "UPDATE amendments SET content = substr(content, 1, length(content) / 2) WHERE number = 1",
            "a stored copy cut in half (no longer JSON)",
        ),
    ] {
        let copy = tampered(&s.fx, damage);
        let err = copy.amendment(id, 1).unwrap_err();
        assert_eq!(err.code(), "corrupt", "{why}: review refuses the copy: {err}");
        let report = verified(&copy, id);
        assert_finding(
            &report,
            FindingCode::AmendmentDamaged,
            Some(2),
            Some("content"),
            why,
        );
        assert!(
            report
                .findings
                .iter()
                .all(|f| f.code == FindingCode::AmendmentDamaged),
            "{why}: the proposal, its approvals and version 2 are intact, so only the copy is reported:\n{}",
            report.to_text()
        );
        assert_eq!(
            report.signed_in_force,
            Some(2),
            "{why}: the signatures still put version 2 in force"
        );
        assert!(
            !copy.history(id).unwrap().verified,
            "{why}: the timeline does not show the history as verified"
        );
    }
}

#[test]
fn a_later_history_brings_the_enacted_amendment_to_a_machine_that_had_the_first_version() {
    let s = solo();
    let id = s.in_force();
    let r = receiver(&s);
    let first = s
        .lib()
        .export_bundle(id, BundleRequest::History, &s.manager.fingerprint, PASS)
        .unwrap();
    let o = r.lib.import_bundle(&first).unwrap();
    assert_eq!((o.status, o.added_versions), (Status::InForce, 1));
    edit(s.lib(), id, |a| set_top_resolution(a, "2 h"));
    let a = s
        .lib()
        .propose_amendment_from_draft(id, "Faster", None)
        .unwrap();
    s.lib()
        .approve(id, a.number, &s.manager.fingerprint, PASS)
        .unwrap();
    s.lib()
        .approve(id, a.number, &s.legal.fingerprint, PASS)
        .unwrap();
    let later = s
        .lib()
        .export_bundle(id, BundleRequest::History, &s.legal.fingerprint, PASS)
        .unwrap();
    let o2 = r
        .lib
        .import_bundle(&later)
        .expect("the later history imports");
    assert_eq!(
        o2.agreement, o.agreement,
        "the same agreement, found by its uid"
    );
    assert_eq!(
        (o2.added_versions, o2.added_amendments, o2.added_signatures),
        (1, 1, 2)
    );
    let h = r.lib.history(o.agreement).unwrap();
    assert_eq!(h.in_force, Some(2), "version 2 is in force on the receiver");
    assert_eq!(h.versions[0].state, VersionState::Superseded);
    assert!(
        verified(&r.lib, o.agreement).ok,
        "the receiver's history verifies"
    );
    assert_eq!(
        r.lib.draft(o.agreement).unwrap().agreement,
        r.lib.version(o.agreement, 2).unwrap().agreement,
        "the receiver's draft follows the version in force"
    );
}

#[test]
fn freezing_is_refused_while_a_version_is_in_review_or_in_force() {
    let s = solo();
    let id = create(s.lib(), GERMAN);
    s.lib().freeze(id, "first").unwrap();
    // Changed after freezing, before asking for approval of version 1.
    edit(s.lib(), id, |a| set_top_resolution(a, "2 h"));
    s.lib().request_approval(id).unwrap();
    s.lib().sign(id, 1, &s.manager.fingerprint, PASS).unwrap();

    let err = s.lib().freeze(id, "second").unwrap_err();
    assert_eq!(
        err.code(),
        "not_allowed",
        "version 1 is in review: a freeze would replace what the reviewers are deciding on: {err}"
    );
    let message = err.to_string();
    assert!(
        message.contains("version 1")
            && message.contains("in review")
            && message.contains("withdraw"),
        "the refusal names the version in review and the way out: {message}"
    );
    assert_eq!(
        s.lib().versions(id).unwrap().len(),
        1,
        "the refused freeze wrote no version"
    );
    let summary = s.lib().summary(id).unwrap();
    assert_eq!(
        (summary.status, summary.current_version),
        (Status::InReview, Some(1)),
        "version 1 is still the one in review"
    );
    assert!(
        s.lib()
            .pending_approvals()
            .unwrap()
            .iter()
            .any(|p| p.agreement == id
                && p.role == Role::LegalReviewer
                && p.what == PendingKind::Version { version: 1 }),
        "the legal reviewer is still asked to decide on version 1"
    );

    // Withdrawing the request returns to draft, recorded; then a new version can be frozen.
    assert_eq!(
        s.lib().withdraw_review(id).unwrap(),
        Status::Draft,
        "withdrawn: back to draft"
    );
    let withdrawn: i64 = raw(s.fx.path())
        .query_row(
            "SELECT count(*) FROM status_changes
             WHERE agreement_id = ?1 AND from_status = 'in_review' AND to_status = 'draft'",
            [id.0],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        withdrawn, 1,
        "the withdrawal is recorded as a status change"
    );
    let err = s.lib().withdraw_review(id).unwrap_err();
    assert_eq!(
        err.code(),
        "not_allowed",
        "a draft has no request to withdraw: {err}"
    );
    let v2 = s
        .lib()
        .freeze(id, "second")
        .expect("after withdrawing, the draft freezes");
    assert_eq!(v2.number, 2);
    assert_clean(s.lib(), id, "a withdrawn review and a new version");

    // In force, the draft is the next amendment's working copy; it is never frozen.
    let id = s.in_force();
    edit(s.lib(), id, |a| set_top_resolution(a, "1 h"));
    let err = s.lib().freeze(id, "outside the procedure").unwrap_err();
    assert_eq!(
        err.code(),
        "not_allowed",
        "a version in force changes only by amendment: {err}"
    );
    assert!(
        err.to_string().contains("amendment"),
        "the refusal points to amendments: {err}"
    );
    assert_eq!(
        s.lib().versions(id).unwrap().len(),
        1,
        "no version was written beside the one in force"
    );
    assert_eq!(
        s.lib().withdraw_review(id).unwrap_err().code(),
        "not_allowed",
        "a version in force has no request to withdraw"
    );
    assert_clean(s.lib(), id, "a refused freeze in force");
}

/// Identity names, amendment reasons and rejection comments print on the PDF's signature
/// page, in the history and in the terminal: a right-to-left override there would make the
/// three show different text, so it is refused like in the agreement itself.
#[test]
fn bidirectional_controls_are_refused_in_names_reasons_and_comments() {
    let s = solo();
    let named = s.lib().create_identity_with_kdf(
        &NewIdentity {
            name: "Eve \u{202E}reganaM".into(),
            organisation: "Beispiel GmbH".into(),
            role: Role::ServiceManager,
            email: "eve@example.com".into(),
        },
        PASS,
        KdfParams::for_tests(),
    );
    let problems = invalid(named, "a name with a right-to-left override");
    assert!(
        problems[0].message.contains("U+202E"),
        "the message names the code point: {problems:?}"
    );
    let id = s.in_force();
    edit(s.lib(), id, |a| set_top_resolution(a, "2 h"));
    let reason = s.lib().propose_amendment_from_draft(
        id,
        "Faster \u{2067}resolution",
        Some((&s.manager.fingerprint, PASS)),
    );
    invalid(reason, "a reason with a right-to-left isolate");
    let a = s
        .lib()
        .propose_amendment_from_draft(id, "Faster", Some((&s.manager.fingerprint, PASS)))
        .expect("the same amendment with a plain reason");
    let rejected = s.lib().reject(
        id,
        a.number,
        &s.legal.fingerprint,
        PASS,
        "no \u{202D}thanks",
    );
    invalid(rejected, "a comment with a left-to-right override");
}
