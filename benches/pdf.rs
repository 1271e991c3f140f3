//! Time of the PDF export, the goal being at most 100 ms for a 15-page agreement in a release
//! build. Run with `cargo bench --bench pdf`; `cargo test --benches` runs each case once.
//!
//! The agreements are the built-in templates as frozen versions (the German IT-support SLA is
//! the largest: about 4,300 words, 14 tables and 23 pages); the redline compares it with a
//! copy whose top priority and one clause word changed. Rendering is measured without the
//! database, exactly as `Library::pdf` calls it.

use std::hint::black_box;

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use pactum::pdf::{render_agreement, render_redline, PdfContext, RedlineContext};
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
        exported_at: Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(),
        signature_lines: Vec::new(),
        checkpoint: None,
    }
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
