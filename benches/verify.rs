//! Verifying a long signed history, the goal being at most 50 ms for an agreement with 1,000
//! enacted amendments (1,001 versions, 2,002 approvals) in a release build; and the time to
//! unlock a private key with the production Argon2id parameters (64 MiB, 3 passes).
//! Run with `cargo bench --bench verify --features insecure-test-kdf`; `cargo test --benches`
//! runs each case once.
//!
//! The history is built once through the public workflow (`Library::propose_amendment` and
//! two `Library::approve` calls per amendment, test key-derivation parameters) on the German
//! IT-support template, each amendment changing the purpose text. A release build accepts test
//! parameters only with the `insecure-test-kdf` feature; without it only building the history
//! fails (with that hint), a history built before is still verified.

use std::hint::black_box;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use pactum::signing::{KdfParams, NewIdentity, Role};
use pactum::Library;

const PASS: &str = "benchmark passphrase";
const AMENDMENTS: u32 = 1000;

fn person(lib: &Library, name: &str, role: Role, kdf: KdfParams) -> String {
    lib.create_identity_with_kdf(
        &NewIdentity {
            name: name.into(),
            organisation: "Bench GmbH".into(),
            role,
            email: String::new(),
        },
        PASS,
        kdf,
    )
    .expect("identity (test key parameters in a release build need --features insecure-test-kdf)")
    .fingerprint
}

/// Builds the history through the public workflow; returns the agreement's id.
fn build(lib: &Library) -> pactum::AgreementId {
    let manager = person(
        lib,
        "Mara Manager",
        Role::ServiceManager,
        KdfParams::for_tests(),
    );
    let legal = person(
        lib,
        "Lena Legal",
        Role::LegalReviewer,
        KdfParams::for_tests(),
    );
    let id = lib.create("it-support-de", None, None).expect("create");
    lib.freeze(id, "first").expect("freeze");
    lib.request_approval(id).expect("request approval");
    lib.sign(id, 1, &manager, PASS).expect("sign");
    lib.sign(id, 1, &legal, PASS).expect("sign");
    let started = Instant::now();
    let mut agreement = lib.draft(id).expect("draft").agreement;
    for i in 1..=AMENDMENTS {
        agreement.overview.purpose = format!("Revision {i} of the purpose.");
        let a = lib
            .propose_amendment(id, &agreement, &format!("Revision {i}"), None)
            .expect("propose");
        lib.approve(id, a.number, &manager, PASS).expect("approve");
        lib.approve(id, a.number, &legal, PASS).expect("approve");
    }
    eprintln!(
        "verify: built {AMENDMENTS} amendments in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    id
}

fn bench(c: &mut Criterion) {
    // Building the history takes minutes; it is kept in target/ and reused by later runs.
    let cache = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join(format!("bench-verify-{AMENDMENTS}.db"));
    let fresh = !cache.exists();
    let building = cache.with_extension("building");
    let lib = Library::open(if fresh { &building } else { &cache })
        .expect("open")
        .library;
    let id = if fresh {
        let id = build(&lib);
        drop(lib);
        std::fs::rename(&building, &cache).expect("keep the built history");
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", building.display()));
        }
        id
    } else {
        pactum::AgreementId(1)
    };
    let lib = Library::open(&cache).expect("open").library;
    let started = Instant::now();
    let report = lib.verify(id).expect("verify");
    assert!(
        report.ok,
        "the built history verifies:\n{}",
        report.to_text()
    );
    assert_eq!(report.versions, AMENDMENTS + 1);
    eprintln!(
        "verify: {} versions, {} signatures, {} amendments; first (cold) verification {:.1} ms",
        report.versions,
        report.signatures,
        report.amendments,
        started.elapsed().as_secs_f64() * 1000.0
    );
    c.bench_function("verify 1000 amendments", |b| {
        b.iter(|| {
            let r = lib.verify(black_box(id)).expect("verify");
            assert!(r.ok);
            r
        })
    });

    let strong = match lib.identity("Real Key") {
        Ok(i) => i.fingerprint,
        Err(_) => person(&lib, "Real Key", Role::ServiceManager, KdfParams::default()),
    };
    let mut group = c.benchmark_group("unlock");
    group.sample_size(10);
    group.bench_function("unlock production Argon2id (64 MiB, t=3, p=1)", |b| {
        b.iter(|| {
            lib.check_passphrase(black_box(&strong), PASS)
                .expect("unlock")
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
