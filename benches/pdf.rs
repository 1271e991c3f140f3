//! Time of the PDF export, the goal being at most 100 ms for a 15-page agreement in a release
//! build. Run with `cargo bench --bench pdf`; `cargo test --benches` runs each case once.
//!
//! The agreements are the built-in templates as frozen versions (the German IT-support SLA is
//! the largest: about 4,300 words, 14 tables and 24 pages); the redline compares it with a
//! copy whose top priority and one clause word changed. Rendering is measured without the
//! database, exactly as `Library::pdf` calls it. "+ 2 signatures" is the export of a version
//! signed by two people: the signature page with both signers, then two PAdES signatures
//! (P-256, CMS) appended one after the other — the goal is at most 150 ms.

use std::hint::black_box;

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use p256::ecdsa::SigningKey;
use pactum::pdf::certificate::{self, CertificateSubject};
use pactum::pdf::{
    render_agreement, render_agreement_for_signing, render_redline, sign_pdf, PdfContext,
    PdfSigner, RedlineContext, SignatureLine,
};
use pactum::record::{AgreementId, Status, VersionInfo};
use pactum::{template, Agreement};

fn version(number: u32, hash: char) -> VersionInfo {
    VersionInfo {
        agreement: AgreementId(1),
        number,
        hash: hash.to_string().repeat(64),
        previous_hash: None,
        note: "Erste Fassung".to_string(),
        created_at: "2026-03-02T09:00:00.000Z".to_string(),
    }
}

fn context(a: &Agreement) -> PdfContext {
    PdfContext {
        lang: a.language,
        agreement_id: Some(AgreementId(1)),
        agreement_uid: "0b6f2a52-5d2c-4f55-9d8b-3f1c1d2e4a10".to_string(),
        version: Some(version(1, 'a')),
        status: Status::InReview,
        content_hash: "a".repeat(64),
        history: vec![version(1, 'a')],
        amendment_log: Vec::new(),
        exported_at: Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(),
        signature_lines: Vec::new(),
        checkpoint: None,
    }
}

/// Two signers with their keys and self-issued certificates (made once, like identities).
fn signers() -> Vec<(SigningKey, Vec<u8>, SignatureLine)> {
    let t = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    [
        (
            "Katrin Vogt",
            "Service Delivery Manager",
            "Beispiel IT-Services GmbH",
        ),
        ("Dr. Jörg Weiß", "Rechtsprüfung", "Musterkunde AG"),
    ]
    .into_iter()
    .map(|(name, role, org)| {
        let key = SigningKey::from_slice(&seed(name)).expect("key");
        let cert = certificate::self_issued(
            &key,
            &CertificateSubject {
                name: name.to_string(),
                organisation: org.to_string(),
                email: String::new(),
            },
            t,
            5,
        )
        .expect("certificate");
        let line = SignatureLine {
            name: name.to_string(),
            role: role.to_string(),
            organisation: org.to_string(),
            signed_at: Some(t),
            fingerprint: Some(certificate::fingerprint(&cert)),
        };
        (key, cert, line)
    })
    .collect()
}

/// A fixed 32-byte key seed derived from a name (benchmarks need no randomness).
fn seed(name: &str) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(name.as_bytes()).into()
}

/// Export with the signature page and two PDF signatures.
fn export_signed(
    a: &Agreement,
    ctx: &PdfContext,
    signers: &[(SigningKey, Vec<u8>, SignatureLine)],
) -> Vec<u8> {
    let rendered = render_agreement_for_signing(a, ctx).expect("export");
    let mut bytes = rendered.bytes;
    for ((key, cert, line), field) in signers.iter().zip(&rendered.signature_fields) {
        bytes = sign_pdf(
            &bytes,
            &PdfSigner {
                key,
                certificate_der: cert,
                name: line.name.clone(),
                role: line.role.clone(),
                reason: "Freigabe".to_string(),
                location: None,
                time: line.signed_at.expect("signed"),
                field: field.expect("signed line has a field"),
            },
        )
        .expect("sign");
    }
    bytes
}

fn pages(bytes: &[u8]) -> usize {
    lopdf::Document::load_mem(bytes)
        .map(|d| d.get_pages().len())
        .unwrap_or(0)
}

fn bench(c: &mut Criterion) {
    for id in ["it-support-de", "retail-charter-de", "saas-support-en"] {
        let a = template::instantiate(id).expect("template");
        let ctx = context(&a);
        let bytes = render_agreement(&a, &ctx).expect("export");
        eprintln!(
            "pdf {id}: {} pages, {} KB",
            pages(&bytes),
            bytes.len() / 1024
        );
        c.bench_function(&format!("pdf agreement {id}"), |b| {
            b.iter(|| render_agreement(black_box(&a), black_box(&ctx)).expect("export"))
        });
        let signers = signers();
        let mut signed_ctx = ctx.clone();
        signed_ctx.signature_lines = signers.iter().map(|s| s.2.clone()).collect();
        signed_ctx.checkpoint = Some(format!(
            "pactum-checkpoint v1 {} 2 {}",
            ctx.agreement_uid,
            "b".repeat(64)
        ));
        let signed = export_signed(&a, &signed_ctx, &signers);
        let report = pactum::pdf::verify_pdf(&signed).expect("verify");
        assert!(report.all_valid, "{}", report.to_plain_words());
        eprintln!(
            "pdf {id} + 2 signatures: {} pages, {} KB",
            pages(&signed),
            signed.len() / 1024
        );
        c.bench_function(&format!("pdf agreement {id} + 2 signatures"), |b| {
            b.iter(|| export_signed(black_box(&a), black_box(&signed_ctx), &signers))
        });
        if id == "it-support-de" {
            // One signature alone: read the file with lopdf, append the update, hash, CMS.
            let rendered = render_agreement_for_signing(&a, &signed_ctx).expect("export");
            let (key, cert, line) = &signers[0];
            let signer = PdfSigner {
                key,
                certificate_der: cert,
                name: line.name.clone(),
                role: line.role.clone(),
                reason: "Freigabe".to_string(),
                location: None,
                time: line.signed_at.expect("signed"),
                field: rendered.signature_fields[0].expect("field"),
            };
            c.bench_function("pdf sign_pdf one signature it-support-de", |b| {
                b.iter(|| sign_pdf(black_box(&rendered.bytes), black_box(&signer)).expect("sign"))
            });
            c.bench_function("pdf verify_pdf two signatures it-support-de", |b| {
                b.iter(|| pactum::pdf::verify_pdf(black_box(&signed)).expect("verify"))
            });
        }
    }
    let before = template::instantiate("it-support-de").expect("template");
    let mut after = before.clone();
    after.support_levels.priorities[0].resolution = Some("2 h".parse().expect("duration"));
    after.support_levels.clauses =
        after
            .support_levels
            .clauses
            .replacen("Auswirkung", "Tragweite", 1);
    let ctx = RedlineContext {
        lang: after.language,
        from: version(1, 'a'),
        to: version(2, 'b'),
        exported_at: Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(),
    };
    let bytes = render_redline(&before, &after, &ctx).expect("redline");
    eprintln!(
        "pdf redline it-support-de: {} pages, {} KB",
        pages(&bytes),
        bytes.len() / 1024
    );
    c.bench_function("pdf redline it-support-de", |b| {
        b.iter(|| {
            render_redline(black_box(&before), black_box(&after), black_box(&ctx)).expect("redline")
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
