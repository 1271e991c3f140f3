//! Concurrent amendments between machines (issue 10, finding 1): two proposals on the same
//! version in force, decided on different machines in any order, must end in one verified
//! history on every machine. The one that comes into force supersedes the others; their
//! decisions stay verifiable and never count for the enacted version; every exchange file an
//! honest machine writes imports on every other.
//!
//! The property test runs random interleavings of propose / approve / reject / export /
//! import over three machines — the service manager on A, the legal reviewer on B and a
//! customer representative (who proposes but is not asked to approve) on C — and then lets
//! the machines exchange their histories until nothing changes. `PACTUM_RACE_CASES` sets how
//! many runs (default 32; the closing note of issue 10 gives a run of several thousand).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use pactum::record::{AgreementId, Status};
use pactum::signing::bundle::BundleRequest;
use pactum::signing::{AmendmentRef, AmendmentState, FindingCode, Role, VersionState};
use pactum::{Error, Library};
use proptest::prelude::*;

use crate::support::*;

const PASS: &str = PASSPHRASE;

/// One machine: its database, clock, own identity and the agreement's id there.
struct Machine {
    name: &'static str,
    lib: Library,
    clock: TestClock,
    me: String,
    id: AgreementId,
}

impl Machine {
    fn verify_clean(&self, why: &str) {
        let r = self
            .lib
            .verify(self.id)
            .unwrap_or_else(|e| panic!("{}: verify must run: {e}", self.name));
        assert!(
            r.ok,
            "{}: {why}: an honest history always verifies:\n{}",
            self.name,
            r.to_text()
        );
    }

    fn export(&self, request: BundleRequest) -> pactum::Result<Vec<u8>> {
        self.lib.export_bundle(self.id, request, &self.me, PASS)
    }

    /// The version in force here and its content, proposed with `title` as an amendment.
    fn propose(&self, title: &str) -> pactum::Result<pactum::signing::AmendmentSummary> {
        let summary = self.lib.summary(self.id)?;
        let Some(v) = summary
            .current_version
            .filter(|_| summary.status == Status::InForce)
        else {
            return Err(Error::NotAllowed("nothing in force here yet".into()));
        };
        let mut content = self.lib.version(self.id, v)?.agreement;
        content.title = title.to_string();
        self.lib
            .propose_amendment(self.id, &content, title, Some((&self.me, PASS)))
    }
}

/// Sends `from`'s exchange file of `request` to `to`, asserting that an honest file is
/// always written and always imports.
fn send(from: &Machine, to: &Machine, request: BundleRequest) -> bool {
    let bytes = match from.export(request) {
        Ok(b) => b,
        Err(Error::AmendmentNotFound { .. }) | Err(Error::NotAllowed(_)) => return false,
        Err(e) => panic!(
            "{}: exporting {request:?} must not fail on an honest history: {e} ({})",
            from.name,
            e.code()
        ),
    };
    let outcome = to.lib.import_bundle(&bytes).unwrap_or_else(|e| {
        panic!(
            "{} → {}: an honest exchange file ({request:?}) must import: {e} ({})",
            from.name,
            to.name,
            e.code()
        )
    });
    outcome.changed
}

/// Three databases with version 1 of one agreement in force on all of them, copied per run
/// from a set made once.
struct Template {
    _dir: tempfile::TempDir,
    paths: [PathBuf; 3],
    ids: [AgreementId; 3],
    keys: [String; 3],
}

fn template_machines() -> &'static Template {
    static TEMPLATE: OnceLock<Template> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let dir = scratch("pactum-race-");
        let paths = ["a.db", "b.db", "c.db"].map(|n| dir.path().join(n));
        let clock = TestClock::new();
        let libs: Vec<Library> = paths.iter().map(|p| open(p, &clock).library).collect();
        let people = [
            person(&libs[0], "Mara Manager", Role::ServiceManager),
            person(&libs[1], "Lena Legal", Role::LegalReviewer),
            person(&libs[2], "Carl Customer", Role::CustomerRepresentative),
        ];
        for (i, p) in people.iter().enumerate() {
            let card = libs[i].export_card(&p.fingerprint).unwrap();
            for (j, lib) in libs.iter().enumerate() {
                if i != j {
                    lib.import_card(card.as_bytes()).unwrap();
                }
            }
        }
        let (a, b, c) = (&libs[0], &libs[1], &libs[2]);
        let mf = people[0].fingerprint.as_str();
        let lf = people[1].fingerprint.as_str();
        let cf = people[2].fingerprint.as_str();
        let id_a = create(a, GERMAN);
        a.freeze(id_a, "first").unwrap();
        a.request_approval(id_a).unwrap();
        a.sign(id_a, 1, mf, PASS).unwrap();
        let id_b = b
            .import_bundle(
                &a.export_bundle(id_a, BundleRequest::History, mf, PASS)
                    .unwrap(),
            )
            .unwrap()
            .agreement;
        b.sign(id_b, 1, lf, PASS).unwrap();
        let history = b
            .export_bundle(id_b, BundleRequest::History, lf, PASS)
            .unwrap();
        a.import_bundle(&history).unwrap();
        let id_c = c.import_bundle(&history).unwrap().agreement;
        for (lib, id) in [(a, id_a), (b, id_b), (c, id_c)] {
            assert_eq!(
                lib.history(id).unwrap().in_force,
                Some(1),
                "the starting point: version 1 in force everywhere"
            );
        }
        let _ = cf;
        drop(libs);
        Template {
            _dir: dir,
            paths,
            ids: [id_a, id_b, id_c],
            keys: people.map(|p| p.fingerprint),
        }
    })
}

/// Fresh copies of the three template databases.
fn three_machines() -> (tempfile::TempDir, [Machine; 3]) {
    let t = template_machines();
    let dir = scratch("pactum-race-run-");
    let names = ["A", "B", "C"];
    let machines = [0, 1, 2].map(|i| {
        let copy = dir.path().join(format!("{}.db", names[i]));
        copy_database(&t.paths[i], &copy);
        let clock = TestClock::new();
        clock.advance_secs(86_400 * (i as i64 + 1));
        Machine {
            name: names[i],
            lib: open(&copy, &clock).library,
            clock,
            me: t.keys[i].clone(),
            id: t.ids[i],
        }
    });
    (dir, machines)
}

/// A temporary folder in memory where the machine has one (each run writes hundreds of
/// fsynced transactions; what is tested here is the workflow, not durability).
fn scratch(prefix: &str) -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    if shm.is_dir() {
        builder.tempdir_in(shm)
    } else {
        builder.tempdir()
    }
    .expect("temporary folder")
}

fn copy_database(from: &Path, to: &Path) {
    raw(from)
        .execute("VACUUM INTO ?1", [to.to_str().unwrap()])
        .expect("copy the template database");
}

/// Everything two machines must agree on once they have exchanged all they have.
#[derive(Debug, PartialEq, Eq)]
struct Converged {
    versions: Vec<(u32, String, String, String, VersionState)>,
    amendments: Vec<(u32, String, AmendmentState, usize)>,
    status: Status,
    in_force: Option<u32>,
    checkpoint: (u32, Option<String>, u32, String),
}

fn converged(m: &Machine) -> Converged {
    let h = m.lib.history(m.id).unwrap();
    let cp = m.lib.checkpoint(m.id).unwrap();
    Converged {
        versions: h
            .versions
            .iter()
            .map(|v| {
                (
                    v.info.number,
                    v.info.hash.clone(),
                    v.info.note.clone(),
                    v.info.created_at.clone(),
                    v.state,
                )
            })
            .collect(),
        amendments: h
            .amendments
            .iter()
            .map(|a| (a.number, a.content_hash.clone(), a.state, a.decisions.len()))
            .collect(),
        status: h.status,
        in_force: h.in_force,
        checkpoint: (cp.versions, cp.head, cp.records, cp.records_hash),
    }
}

/// Lets every machine send its whole history to every other until nothing changes.
fn sync_all(ms: &[Machine; 3]) {
    for _round in 0..8 {
        let mut changed = false;
        for from in ms {
            for to in ms {
                if from.name != to.name {
                    changed |= send(from, to, BundleRequest::History);
                }
            }
        }
        if !changed {
            return;
        }
    }
    panic!("the machines keep changing each other's history after 8 rounds of exchange");
}

fn in_force_content_title(m: &Machine) -> String {
    let v = m.lib.history(m.id).unwrap().in_force.expect("in force");
    m.lib.version(m.id, v).unwrap().agreement.title
}

// ---------------------------------------------------------------- the review's case

/// The reviewer's probe: A proposes amendment 1 and approves it; B rejects it and proposes
/// amendment 2 on the same version; A approves amendment 2 and version 2 comes into force.
/// Before the fix A's own verify failed with `signature_mismatch`, the history listed the
/// approval of amendment 1 under version 2, export was refused and B's answer could not be
/// imported.
#[test]
fn two_amendments_on_one_version_converge_after_one_comes_into_force() {
    let (_dir, [a, b, c]) = three_machines();

    let first = a.propose("Amendment one").expect("A proposes amendment 1");
    assert_eq!(first.number, 1);
    a.lib
        .approve(a.id, 1, &a.me, PASS)
        .expect("A approves its own amendment");
    assert!(send(&a, &b, BundleRequest::Amendment { amendment: 1 }));

    b.clock.advance_secs(600);
    b.lib
        .reject(b.id, 1, &b.me, PASS, "not like this")
        .expect("B rejects amendment 1");
    let second = b.propose("Amendment two").expect("B proposes amendment 2");
    assert_eq!(
        (second.number, second.base_version, second.target_version),
        (2, 1, 2),
        "amendment 2 changes version 1 too"
    );
    b.lib
        .approve(b.id, 2, &b.me, PASS)
        .expect("B approves amendment 2");
    assert!(send(&b, &a, BundleRequest::Amendment { amendment: 2 }));

    a.clock.advance_secs(3600);
    let o = a
        .lib
        .approve(a.id, 2, &a.me, PASS)
        .expect("A approves amendment 2");
    assert_eq!(
        o.in_force,
        Some(2),
        "amendment 2's version 2 is in force on A"
    );
    a.verify_clean("after amendment 2 came into force");

    let h = a.lib.history(a.id).unwrap();
    let v2 = &h.versions[1];
    assert_eq!(v2.amendment, Some(2), "version 2 came from amendment 2");
    assert!(
        v2.signatures.iter().all(|s| s.amendment == Some(2)),
        "version 2 lists only the decisions on amendment 2, not those on amendment 1: {:?}",
        v2.signatures
    );
    let states: Vec<(u32, AmendmentState)> =
        h.amendments.iter().map(|x| (x.number, x.state)).collect();
    assert_eq!(
        states,
        vec![(1, AmendmentState::Rejected), (2, AmendmentState::Enacted)],
        "on A amendment 1 is rejected once B's answer arrives; here B's rejection came with amendment 2"
    );

    // The answers flow both ways and every machine ends in the same verified history.
    assert!(send(&a, &b, BundleRequest::Answer { amendment: Some(2) }));
    assert!(!send(&b, &a, BundleRequest::Answer { amendment: Some(1) }));
    send(&a, &c, BundleRequest::History);
    sync_all(&[a, b, c]);
}

#[test]
fn an_amendment_overtaken_by_another_is_superseded_and_its_decisions_count_for_nothing() {
    let (_dir, [a, b, c]) = three_machines();
    a.propose("Amendment one").unwrap();
    a.lib.approve(a.id, 1, &a.me, PASS).unwrap();
    // C, who has not seen amendment 1, proposes its own: both carry number 1.
    let theirs = c.propose("Amendment from C").unwrap();
    assert_eq!(theirs.number, 1, "C knows of no amendment yet");
    assert!(send(&c, &a, BundleRequest::Amendment { amendment: 1 }));
    let numbered: Vec<_> = a
        .lib
        .amendments(a.id)
        .unwrap()
        .into_iter()
        .filter(|x| x.number == 1)
        .collect();
    assert_eq!(
        numbered.len(),
        2,
        "A keeps both concurrent proposals numbered 1"
    );
    let err = a
        .lib
        .amendment(a.id, 1)
        .expect_err("the bare number 1 is ambiguous now");
    assert_eq!(err.code(), "not_allowed", "{err}");
    assert!(
        err.to_string().contains("NUMBER:HASH"),
        "the message says how to name one: {err}"
    );
    let c_ref = AmendmentRef::new(1, Some(theirs.content_hash[..12].to_string()));
    assert_eq!(
        a.lib.amendment(a.id, c_ref.clone()).unwrap().summary.reason,
        "Amendment from C"
    );

    // A approved its own amendment 1, so it may not approve the competing one as well.
    let refused = a
        .lib
        .approve(a.id, c_ref.clone(), &a.me, PASS)
        .expect_err("one person approves only one of two competing amendments");
    assert_eq!(refused.code(), "not_allowed", "{refused}");

    // B approves C's; A rejects it... no: A lets B decide — B approves A's amendment instead.
    assert!(send(&a, &b, BundleRequest::Amendment { amendment: 1 }));
    let mine = a.lib.amendments(a.id).unwrap();
    let a_hash = mine
        .iter()
        .find(|x| x.reason == "Amendment one")
        .unwrap()
        .content_hash
        .clone();
    let o = b
        .lib
        .approve(
            b.id,
            AmendmentRef::new(1, Some(a_hash.clone())),
            &b.me,
            PASS,
        )
        .expect("B approves A's amendment 1");
    assert_eq!(o.in_force, Some(2));
    sync_all(&[a, b, c]);
}

/// The explicit variant: after the sync the overtaken proposal is superseded everywhere.
#[test]
fn the_overtaken_proposal_is_superseded_on_every_machine() {
    let (_dir, ms) = three_machines();
    let [a, b, c] = &ms;
    a.propose("Amendment one").unwrap();
    let theirs = c.propose("Amendment from C").unwrap();
    a.lib.approve(a.id, 1, &a.me, PASS).unwrap();
    send(a, b, BundleRequest::Amendment { amendment: 1 });
    send(c, b, BundleRequest::Amendment { amendment: 1 });
    let a_hash = a.lib.amendments(a.id).unwrap()[0].content_hash.clone();
    b.lib
        .approve(
            b.id,
            AmendmentRef::new(1, Some(a_hash.clone())),
            &b.me,
            PASS,
        )
        .unwrap();
    sync_all(&ms);
    for m in &ms {
        m.verify_clean("after the sync");
        let h = m.lib.history(m.id).unwrap();
        let state_of = |hash: &str| {
            h.amendments
                .iter()
                .find(|x| x.content_hash == hash)
                .map(|x| x.state)
        };
        assert_eq!(
            state_of(&a_hash),
            Some(AmendmentState::Enacted),
            "{}",
            m.name
        );
        assert_eq!(
            state_of(&theirs.content_hash),
            Some(AmendmentState::Superseded),
            "{}: C's proposal was overtaken",
            m.name
        );
        assert_eq!(in_force_content_title(m), "Amendment one", "{}", m.name);
    }
    assert_eq!(converged(a), converged(b));
    assert_eq!(converged(a), converged(c));
}

// ---------------------------------------------------------------- the property

#[derive(Debug, Clone)]
enum Step {
    Propose(usize),
    Approve(usize, usize),
    Reject(usize, usize),
    Send(usize, usize, u8, usize),
    Wait(usize, u16),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        2 => (0..3usize).prop_map(Step::Propose),
        3 => (0..2usize, 0..8usize).prop_map(|(m, k)| Step::Approve(m, k)),
        1 => (0..2usize, 0..8usize).prop_map(|(m, k)| Step::Reject(m, k)),
        4 => (0..3usize, 0..3usize, 0..3u8, 0..8usize).prop_map(|(f, t, kind, k)| Step::Send(f, t, kind, k)),
        1 => (0..3usize, 1..4000u16).prop_map(|(m, s)| Step::Wait(m, s)),
    ]
}

/// The k-th amendment (in the machine's own order) as an unambiguous reference.
fn nth_amendment(m: &Machine, k: usize) -> Option<AmendmentRef> {
    let all = m.lib.amendments(m.id).unwrap();
    if all.is_empty() {
        return None;
    }
    let a = &all[k % all.len()];
    Some(AmendmentRef::new(a.number, Some(a.content_hash.clone())))
}

fn run(steps: &[Step]) {
    let (_dir, ms) = three_machines();
    let mut proposals = 0;
    for s in steps {
        match *s {
            Step::Propose(m) => {
                proposals += 1;
                let _ = ms[m].propose(&format!("Change {proposals} by {}", ms[m].name));
            }
            Step::Approve(m, k) => {
                if let Some(r) = nth_amendment(&ms[m], k) {
                    match ms[m].lib.approve(ms[m].id, r, &ms[m].me, PASS) {
                        Ok(_) | Err(Error::NotAllowed(_)) => {}
                        Err(e) => panic!("approving must succeed or be refused: {e}"),
                    }
                }
            }
            Step::Reject(m, k) => {
                if let Some(r) = nth_amendment(&ms[m], k) {
                    match ms[m].lib.reject(ms[m].id, r, &ms[m].me, PASS, "no") {
                        Ok(_) | Err(Error::NotAllowed(_)) => {}
                        Err(e) => panic!("rejecting must succeed or be refused: {e}"),
                    }
                }
            }
            Step::Send(f, t, kind, k) => {
                if f != t {
                    let number = nth_amendment(&ms[f], k).map(|r| r.number);
                    let request = match (kind, number) {
                        (0, _) | (_, None) => BundleRequest::History,
                        (1, Some(n)) => BundleRequest::Amendment { amendment: n },
                        (_, Some(n)) => BundleRequest::Answer { amendment: Some(n) },
                    };
                    send(&ms[f], &ms[t], request);
                }
            }
            Step::Wait(m, secs) => ms[m].clock.advance_secs(secs as i64),
        }
        for m in &ms {
            m.clock.advance_secs(1);
        }
    }
    for m in &ms {
        m.verify_clean("after the random steps");
    }
    sync_all(&ms);
    let first = converged(&ms[0]);
    for m in &ms {
        m.verify_clean("after the final exchange");
        assert_eq!(
            converged(m),
            first,
            "{} and A must hold the same verified history after exchanging everything (steps {steps:?})",
            m.name
        );
        let h = m.lib.history(m.id).unwrap();
        let enacted_per_base = h
            .amendments
            .iter()
            .filter(|x| x.state == AmendmentState::Enacted)
            .count();
        assert_eq!(
            enacted_per_base + 1,
            h.versions.len(),
            "{}: every version after the first came from exactly one enacted amendment",
            m.name
        );
        assert_eq!(h.status, Status::InForce);
    }
}

fn cases() -> u32 {
    std::env::var("PACTUM_RACE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_interleavings_of_three_machines_end_in_one_verified_history(
        steps in proptest::collection::vec(step(), 4..40)
    ) {
        run(&steps);
    }
}

/// A version frozen outside the amendment procedure after one came into force is a finding,
/// as is a stored status that the signatures contradict (finding 4).
#[test]
fn a_status_set_back_to_draft_and_a_version_frozen_past_the_amendments_are_findings() {
    let (_dir, [a, _b, _c]) = three_machines();
    a.verify_clean("before tampering");
    let conn = raw(a.lib.path());
    conn.execute_batch(&format!(
        "UPDATE agreements SET status = 'draft' WHERE id = {}",
        a.id.0
    ))
    .expect("someone with file access sets the status back to draft");
    drop(conn);
    let r = a.lib.verify(a.id).unwrap();
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == FindingCode::StatusMismatch),
        "a draft status under a signed version in force is reported:\n{}",
        r.to_text()
    );
    let h = a.lib.history(a.id).unwrap();
    assert_eq!(
        (h.status, h.in_force, h.verified),
        (Status::InForce, Some(1), false),
        "the history shows the signed state, and that verification found a problem"
    );
    assert_eq!(h.versions[0].state, VersionState::InForce);
    assert_eq!(
        a.lib.summary(a.id).unwrap().status,
        Status::InForce,
        "the library shows the state the signatures give, like history"
    );
    // A freeze is refused all the same: the signed history says in force.
    edit(&a.lib, a.id, |x| {
        x.title = "Changed behind the procedure".into()
    });
    let err = a
        .lib
        .freeze(a.id, "sneaky")
        .expect_err("no version outside the amendment procedure");
    assert_eq!(err.code(), "not_allowed", "{err}");
}

/// Finding 6: a version's note and time are not signed. A note forged into the database
/// ("approved by the customer in writing") must not show as what the signed history says:
/// the version an amendment created shows the note and time derived from its signed proposal
/// and approvals, and a version frozen by hand has its note marked unsigned.
#[test]
fn a_forged_version_note_does_not_show_as_signed() {
    let (_dir, [a, b, _c]) = three_machines();
    a.propose("Faster resolution").unwrap();
    a.lib.approve(a.id, 1, &a.me, PASS).unwrap();
    send(&a, &b, BundleRequest::Amendment { amendment: 1 });
    b.lib.approve(b.id, 1, &b.me, PASS).unwrap();
    let honest = b.lib.history(b.id).unwrap();
    let conn = raw(b.lib.path());
    conn.execute_batch(&format!(
        "DROP TRIGGER versions_are_immutable_update;
         UPDATE versions SET note = 'approved by the customer in writing',
                             created_at = '2020-01-01T00:00:00.000Z'
         WHERE agreement_id = {}",
        b.id.0
    ))
    .expect("someone with file access rewrites the notes");
    drop(conn);
    let h = b.lib.history(b.id).unwrap();
    assert!(
        !h.versions[0].metadata_signed,
        "version 1 was frozen by hand: its note is marked unsigned"
    );
    assert_eq!(
        h.versions[0].info.note, "approved by the customer in writing",
        "an unsigned note shows as stored (and marked so)"
    );
    assert!(
        h.versions[1].metadata_signed,
        "version 2 came from an amendment: its note and time come from signed records"
    );
    assert_eq!(
        (&h.versions[1].info.note, &h.versions[1].info.created_at),
        (
            &honest.versions[1].info.note,
            &honest.versions[1].info.created_at
        ),
        "the forged note and time of version 2 do not show"
    );
    assert_eq!(h.versions[1].info.note, "amendment 1: Faster resolution");
    let text = std::process::Command::new(env!("CARGO_BIN_EXE_pactum"))
        .args([
            "--db",
            b.lib.path().to_str().unwrap(),
            "history",
            &b.id.to_string(),
        ])
        .output()
        .expect("run pactum history");
    let out = String::from_utf8_lossy(&text.stdout);
    assert!(
        out.contains("(note and time unsigned)"),
        "the CLI marks the unsigned note: {out}"
    );
    assert!(
        !out.contains("2020-01-01") && out.contains("amendment 1: Faster resolution"),
        "the CLI shows version 2's signed note: {out}"
    );
}
