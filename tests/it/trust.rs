//! Impersonation by name (issue 10, item 3): a card that claims a trusted person (same name
//! or e-mail) but carries another key is refused on import; a second key for a known person
//! is only accepted by an explicit decision that names the trusted fingerprint shown; two
//! trusted keys for one person without such a decision (a database written by an older
//! Pactum) are reported by verification and on the identities list.

use std::path::Path;
use std::process::Command;

use pactum::record::{AgreementId, Status};
use pactum::signing::bundle::BundleRequest;
use pactum::signing::{IdentityInfo, KdfParams, NewIdentity, Role};
use pactum::Library;
use serde_json::Value;

use crate::support::*;

const PASS: &str = "correct horse battery staple";

fn identity(lib: &Library, name: &str, email: &str, role: Role) -> IdentityInfo {
    lib.create_identity_with_kdf(
        &NewIdentity {
            name: name.into(),
            organisation: "Beispiel GmbH".into(),
            role,
            email: email.into(),
        },
        PASS,
        KdfParams::for_tests(),
    )
    .unwrap_or_else(|e| panic!("creating the identity {name} must succeed: {e}"))
}

/// The victim's machine (Mara, service manager, who trusts the real Katrin), the real Katrin's
/// machine, and the attacker's, whose "Katrin Vogt" has the same name, organisation, role and
/// e-mail but another key.
struct Scene {
    victim: Fixture,
    mara: IdentityInfo,
    katrin: IdentityInfo,
    attacker: Fixture,
    fake: IdentityInfo,
    fake_card: String,
}

fn scene() -> Scene {
    let victim = fixture();
    let real = fixture();
    let attacker = fixture();
    let mara = identity(
        &victim.lib,
        "Mara Manager",
        "mara@example.com",
        Role::ServiceManager,
    );
    let katrin = identity(
        &real.lib,
        "Katrin Vogt",
        "katrin.vogt@example.com",
        Role::LegalReviewer,
    );
    victim
        .lib
        .import_card(
            real.lib
                .export_card(&katrin.fingerprint)
                .unwrap()
                .as_bytes(),
        )
        .expect("the real card imports");
    let fake = identity(
        &attacker.lib,
        "Katrin Vogt",
        "katrin.vogt@example.com",
        Role::LegalReviewer,
    );
    let fake_card = attacker.lib.export_card(&fake.fingerprint).unwrap();
    Scene {
        victim,
        mara,
        katrin,
        attacker,
        fake,
        fake_card,
    }
}

/// A look-alike card for `name`/`email`, made on a machine of its own.
fn look_alike(name: &str, email: &str) -> String {
    let fx = fixture();
    let who = identity(&fx.lib, name, email, Role::LegalReviewer);
    fx.lib.export_card(&who.fingerprint).unwrap()
}

impl Scene {
    /// Mara freezes and signs an agreement and sends the history to the attacker, who trusts
    /// Mara's card, signs as the fake Katrin and returns the answer.
    fn fake_answer(&self) -> (AgreementId, Vec<u8>) {
        let (v, x) = (&self.victim.lib, &self.attacker.lib);
        let id = create(v, GERMAN);
        v.freeze(id, "first").unwrap();
        v.request_approval(id).unwrap();
        v.sign(id, 1, &self.mara.fingerprint, PASS).unwrap();
        let history = v
            .export_bundle(id, BundleRequest::History, &self.mara.fingerprint, PASS)
            .unwrap();
        x.import_card(v.export_card(&self.mara.fingerprint).unwrap().as_bytes())
            .unwrap();
        let on_x = x.import_bundle(&history).unwrap().agreement;
        self.attacker.clock.advance_secs(600);
        x.sign(on_x, 1, &self.fake.fingerprint, PASS).unwrap();
        let answer = x
            .export_bundle(
                on_x,
                BundleRequest::Answer { amendment: None },
                &self.fake.fingerprint,
                PASS,
            )
            .unwrap();
        (id, answer)
    }

    /// Puts the fake card straight into the victim's trust list, as a Pactum without the
    /// same-person check did on import.
    fn trust_fake_like_an_older_version(&self) {
        let c: Value = serde_json::from_str(&self.fake_card).unwrap();
        let s = |k: &str| c[k].as_str().unwrap().to_string();
        raw(self.victim.path())
            .execute(
                "INSERT INTO identity_cards (fingerprint, public_key, name, organisation, role, email, card, own, trusted, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, 1, '2026-01-01T00:00:00.000Z')",
                rusqlite::params![
                    s("fingerprint"),
                    s("key"),
                    s("name"),
                    s("organisation"),
                    s("role"),
                    s("email"),
                    self.fake_card
                ],
            )
            .unwrap();
    }
}

fn fingerprints(lib: &Library) -> Vec<(String, bool)> {
    lib.identities()
        .unwrap()
        .into_iter()
        .map(|i| (i.fingerprint, i.trusted))
        .collect()
}

#[test]
fn a_look_alike_card_with_another_key_is_refused_and_its_approval_does_not_count() {
    let s = scene();
    let before = fingerprints(&s.victim.lib);
    let err = s
        .victim
        .lib
        .import_card(s.fake_card.as_bytes())
        .expect_err("a card claiming the trusted Katrin Vogt with another key must be refused");
    assert_eq!(err.code(), "known_person_new_key", "{err}");
    let text = err.to_string();
    assert!(
        text.contains(&s.katrin.fingerprint_display) && text.contains(&s.fake.fingerprint_display),
        "the refusal names the trusted and the new fingerprint: {text}"
    );
    assert_eq!(
        fingerprints(&s.victim.lib),
        before,
        "the trust list is unchanged"
    );

    let (id, answer) = s.fake_answer();
    let refused = s
        .victim
        .lib
        .import_bundle(&answer)
        .expect_err("the fake Katrin's approval must not be accepted");
    assert_eq!(refused.code(), "untrusted_signer", "{refused}");
    assert_eq!(
        s.victim.lib.summary(id).unwrap().status,
        Status::InReview,
        "the fake approval does not bring the version into force"
    );
    assert!(s.victim.lib.verify(id).unwrap().ok);
}

#[test]
fn look_alikes_by_case_spacing_unicode_or_email_alone_are_refused() {
    let victim = fixture();
    let real = fixture();
    identity(
        &victim.lib,
        "Mara Manager",
        "mara@example.com",
        Role::ServiceManager,
    );
    // "Jürgen Groß" with the ü precomposed (NFC).
    let jurgen = identity(
        &real.lib,
        "J\u{fc}rgen Gro\u{df}",
        "juergen@example.com",
        Role::LegalReviewer,
    );
    victim
        .lib
        .import_card(
            real.lib
                .export_card(&jurgen.fingerprint)
                .unwrap()
                .as_bytes(),
        )
        .unwrap();
    for (name, email, why) in [
        (
            "J\u{fc}rgen Gro\u{df}",
            "other@example.org",
            "the same name, another e-mail",
        ),
        (
            "J\u{dc}RGEN GRO\u{df}",
            "x@example.org",
            "the name in capitals",
        ),
        (
            "J\u{fc}rgen   Gro\u{df}",
            "y@example.org",
            "more spaces inside",
        ),
        (
            "Ju\u{308}rgen Gro\u{df}",
            "z@example.org",
            "a decomposed ü (NFD)",
        ),
        (
            "Someone Else",
            "JUERGEN@Example.com",
            "the same e-mail in other case",
        ),
    ] {
        let err = victim
            .lib
            .import_card(look_alike(name, email).as_bytes())
            .expect_err(why);
        assert_eq!(err.code(), "known_person_new_key", "{why}: {err}");
    }
    let other = look_alike("Jürgen Grosse", "grosse@example.org");
    victim
        .lib
        .import_card(other.as_bytes())
        .expect("another person imports as before");
    // A card claiming one of the own identities is refused too.
    let err = victim
        .lib
        .import_card(look_alike("Mara Manager", "m@example.org").as_bytes())
        .unwrap_err();
    assert_eq!(err.code(), "known_person_new_key", "{err}");
}

#[test]
fn two_trusted_keys_for_one_person_without_a_decision_fail_verification() {
    let s = scene();
    s.trust_fake_like_an_older_version();
    let (id, answer) = s.fake_answer();
    let err = s
        .victim
        .lib
        .import_bundle(&answer)
        .expect_err("an approval by one of two undecided keys of one person is refused");
    assert!(err.to_string().contains("signer_ambiguous"), "{err}");
    // The older Pactum: the real card distrusted and trusted again after the answer arrived.
    let set_trusted = |trusted: bool| {
        raw(s.victim.path())
            .execute(
                "UPDATE identity_cards SET trusted = ?2 WHERE fingerprint = ?1",
                rusqlite::params![s.katrin.fingerprint, trusted],
            )
            .unwrap();
    };
    set_trusted(false);
    s.victim.lib.import_bundle(&answer).unwrap();
    assert!(s.victim.lib.verify(id).unwrap().ok);
    set_trusted(true);
    let report = s.victim.lib.verify(id).unwrap();
    assert!(
        !report.ok,
        "two trusted Katrin Vogt with different keys must not verify silently"
    );
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.code.key() == "signer_ambiguous"
                && f.message.contains(&s.katrin.fingerprint_display)),
        "the finding names the other key: {:#?}",
        report.findings
    );
}

#[test]
fn the_identities_list_shows_an_unconfirmed_second_key_until_it_is_decided() {
    let s = scene();
    s.trust_fake_like_an_older_version();
    let find = |fp: &str| {
        s.victim
            .lib
            .identities()
            .unwrap()
            .into_iter()
            .find(|i| i.fingerprint == fp)
            .unwrap()
    };
    assert_eq!(
        find(&s.fake.fingerprint).same_person_unconfirmed,
        vec![s.katrin.fingerprint.clone()]
    );
    assert_eq!(
        find(&s.katrin.fingerprint).same_person_unconfirmed,
        vec![s.fake.fingerprint.clone()]
    );
    // Confirming the stored card as a second key records the decision.
    s.victim
        .lib
        .import_card_as_new_key(
            s.fake_card.as_bytes(),
            &s.katrin.fingerprint_display,
            KeyDecision::Add,
        )
        .unwrap();
    assert!(find(&s.fake.fingerprint).same_person_unconfirmed.is_empty());
    assert!(find(&s.katrin.fingerprint)
        .same_person_unconfirmed
        .is_empty());
    let (id, answer) = s.fake_answer();
    s.victim.lib.import_bundle(&answer).unwrap();
    assert!(
        s.victim.lib.verify(id).unwrap().ok,
        "a decided second key verifies"
    );
}

use pactum::signing::KeyDecision;

#[test]
fn adding_a_second_key_by_decision_keeps_both_and_records_it() {
    let s = scene();
    let info = s
        .victim
        .lib
        .import_card_as_new_key(
            s.fake_card.as_bytes(),
            &s.katrin.fingerprint_display,
            KeyDecision::Add,
        )
        .expect("an explicit decision naming the trusted fingerprint adds the key");
    assert!(info.trusted);
    let record = info.key_decision.expect("the decision is recorded");
    assert_eq!(record.known_fingerprint, s.katrin.fingerprint);
    assert_eq!(record.decision, KeyDecision::Add);
    assert!(
        s.victim
            .lib
            .identity(&s.katrin.fingerprint)
            .unwrap()
            .trusted
    );
    // The full hex fingerprint works as well, and doing it again changes nothing.
    s.victim
        .lib
        .import_card_as_new_key(
            s.fake_card.as_bytes(),
            &s.katrin.fingerprint,
            KeyDecision::Add,
        )
        .unwrap();
    assert_eq!(s.victim.lib.identities().unwrap().len(), 3);
    // Its approvals count now.
    let (id, answer) = s.fake_answer();
    s.victim.lib.import_bundle(&answer).unwrap();
    assert_eq!(s.victim.lib.summary(id).unwrap().status, Status::InForce);
    assert!(s.victim.lib.verify(id).unwrap().ok);
}

#[test]
fn replacing_the_old_key_distrusts_it_and_records_it() {
    let s = scene();
    let info = s
        .victim
        .lib
        .import_card_as_new_key(
            s.fake_card.as_bytes(),
            &s.katrin.fingerprint_display,
            KeyDecision::Replace,
        )
        .unwrap();
    assert!(info.trusted);
    let record = info.key_decision.unwrap();
    assert_eq!(
        (record.known_fingerprint.as_str(), record.decision),
        (s.katrin.fingerprint.as_str(), KeyDecision::Replace)
    );
    assert!(
        !s.victim
            .lib
            .identity(&s.katrin.fingerprint)
            .unwrap()
            .trusted,
        "the old key is no longer trusted"
    );
    // Importing the old card again is a second key for a known person once more.
    let old = s.victim.lib.export_card(&s.katrin.fingerprint).unwrap();
    let err = s.victim.lib.import_card(old.as_bytes()).unwrap_err();
    assert_eq!(err.code(), "known_person_new_key", "{err}");
    // An own identity cannot be replaced, only given a second key.
    let mine = look_alike("Mara Manager", "mara@example.com");
    let err = s
        .victim
        .lib
        .import_card_as_new_key(mine.as_bytes(), &s.mara.fingerprint, KeyDecision::Replace)
        .unwrap_err();
    assert_eq!(err.code(), "not_allowed", "{err}");
}

#[test]
fn a_stale_decision_naming_another_fingerprint_is_refused() {
    let s = scene();
    let before = fingerprints(&s.victim.lib);
    let other = look_alike("Katrin Vogt", "katrin.vogt@example.com");
    let other_fp: String = serde_json::from_str::<Value>(&other).unwrap()["fingerprint"]
        .as_str()
        .unwrap()
        .into();
    for (named, why) in [
        (s.mara.fingerprint.as_str(), "another trusted identity"),
        (other_fp.as_str(), "a fingerprint from an earlier dialog"),
        (&s.katrin.fingerprint[..16], "too short a start"),
        ("", "nothing"),
    ] {
        for decision in [KeyDecision::Add, KeyDecision::Replace] {
            let err = s
                .victim
                .lib
                .import_card_as_new_key(s.fake_card.as_bytes(), named, decision)
                .expect_err(why);
            assert_eq!(err.code(), "known_person_new_key", "{why}: {err}");
        }
    }
    assert_eq!(fingerprints(&s.victim.lib), before, "nothing was written");
    // A decision for a card that claims nobody known is refused too.
    let nobody = look_alike("Nora Nobody", "nora@example.com");
    let err = s
        .victim
        .lib
        .import_card_as_new_key(nobody.as_bytes(), &s.katrin.fingerprint, KeyDecision::Add)
        .unwrap_err();
    assert_eq!(err.code(), "not_allowed", "{err}");
}

fn cli(db: &Path, args: &[&str]) -> (i32, String, String) {
    let home = db.parent().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_pactum"))
        .env_remove("PACTUM_DB")
        .env_remove("PACTUM_PASSPHRASE")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run pactum");
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn cli_refuses_a_look_alike_card_showing_both_fingerprints_and_exits_2() {
    let s = scene();
    let file = s.victim.dir.dir.path().join("fake-katrin.json");
    std::fs::write(&file, &s.fake_card).unwrap();
    let file = file.to_str().unwrap();
    let (code, out, err) = cli(s.victim.path(), &["identity", "import", file]);
    assert_eq!(code, 2, "refused as an input error: {out}{err}");
    for needle in [
        "Katrin Vogt",
        "Beispiel GmbH",
        "katrin.vogt@example.com",
        "legal_reviewer",
        s.katrin.fingerprint_display.as_str(),
        s.fake.fingerprint_display.as_str(),
        "phone",
        "--new-key-for",
        "--replace",
    ] {
        assert!(err.contains(needle), "stderr shows {needle}: {err}");
    }
    assert_eq!(s.victim.lib.identities().unwrap().len(), 2, "nothing added");

    // A stale fingerprint is refused; the one shown is accepted.
    let (code, _, err) = cli(
        s.victim.path(),
        &[
            "identity",
            "import",
            file,
            "--new-key-for",
            &s.mara.fingerprint,
        ],
    );
    assert_eq!(code, 2, "{err}");
    let (code, out, err) = cli(
        s.victim.path(),
        &[
            "identity",
            "import",
            file,
            "--new-key-for",
            &s.katrin.fingerprint_display,
            "--replace",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("replaces"), "{out}");
    assert!(
        !s.victim
            .lib
            .identity(&s.katrin.fingerprint)
            .unwrap()
            .trusted
    );
    assert!(s.victim.lib.identity(&s.fake.fingerprint).unwrap().trusted);
}
