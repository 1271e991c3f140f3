//! PDF signatures (PAdES) checked with the tools a recipient has: `pdfsig` (poppler) must call
//! every signature valid, `qpdf --check` must accept the signed file, `pdftotext` must find the
//! signers on the signature page, and one changed byte must break the signature it hits —
//! with `pactum::pdf::verify_pdf` reporting the same as `pdfsig`.
//!
//! The tools come from poppler-utils and qpdf (`scripts/install-deps.sh`); a missing tool
//! fails the test with that advice instead of skipping it.

use std::path::Path;
use std::process::Command;

use chrono::{DateTime, Duration, Utc};
use p256::ecdsa::SigningKey;
use pactum::pdf::certificate::{self, CertificateSubject};
use pactum::pdf::{sign_pdf, verify_pdf, PdfSigner, SignatureField, SignatureLine};
use rand_core::OsRng;

use crate::support::*;

fn run(tool: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run {tool} ({e}); install the PDF tools with scripts/install-deps.sh (poppler-utils, qpdf)")
    });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn save(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write the PDF");
    path.to_string_lossy().into_owned()
}

/// `pdfsig`'s verdict per signature, in file order: whether it says "Signature is Valid".
fn pdfsig(path: &str) -> (Vec<bool>, String) {
    // pdfsig exits non-zero when a signature is invalid; its report is what counts.
    let (_, out) = run("pdfsig", &[path]);
    let verdicts = out
        .split("Signature #")
        .skip(1)
        .map(|block| block.contains("Signature Validation: Signature is Valid."))
        .collect();
    (verdicts, out)
}

fn page_text(path: &str, page: usize) -> String {
    let p = (page + 1).to_string();
    let (ok, out) = run(
        "pdftotext",
        &["-enc", "UTF-8", "-f", &p, "-l", &p, path, "-"],
    );
    assert!(ok, "pdftotext {path}: {out}");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Signer {
    key: SigningKey,
    cert: Vec<u8>,
    line: SignatureLine,
}

fn signer(name: &str, role: &str, organisation: &str, email: &str, t: DateTime<Utc>) -> Signer {
    let key = SigningKey::random(&mut OsRng);
    let cert = certificate::self_issued(
        &key,
        &CertificateSubject {
            name: name.to_string(),
            organisation: organisation.to_string(),
            email: email.to_string(),
        },
        t - Duration::days(1),
        5,
    )
    .expect("certificate");
    let line = SignatureLine {
        name: name.to_string(),
        role: role.to_string(),
        organisation: organisation.to_string(),
        signed_at: Some(t),
        fingerprint: Some(certificate::fingerprint(&cert)),
    };
    Signer { key, cert, line }
}

/// A checkpoint line in the signing module's text form (a signed one is this long).
const CHECKPOINT: &str = "pactum-checkpoint v1 4f1c2d3e-0000-4000-8000-00000000abcd 1 9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9 2 0011223344556677889900112233445566778899001122334455667788990011 2026-03-02T09:00:00.000Z 3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b 8f7e6d5c4b3a29181706f5e4d3c2b1a08f7e6d5c4b3a29181706f5e4d3c2b1a08f7e6d5c4b3a29181706f5e4d3c2b1a08f7e6d5c4b3a29181706f5e4d3c2b1a0";

struct Signed {
    f: Fixture,
    bytes: Vec<u8>,
    signers: Vec<Signer>,
    fields: Vec<SignatureField>,
    version_hash: String,
}

/// The German IT-support agreement, version 1, signed by the service manager and the legal
/// reviewer; the customer's purchasing has not signed yet.
fn signed_agreement() -> Signed {
    let f = fixture();
    let id = create(&f.lib, "it-support-de");
    let v = f.lib.freeze(id, "Erste Fassung").expect("freeze");
    let t = f.clock.now();
    let signers = vec![
        signer(
            "Katrin Vogt",
            "Service Delivery Manager",
            "Beispiel IT-Services GmbH",
            "k.vogt@beispiel-it.de",
            t,
        ),
        signer(
            "Dr. Jörg Weiß",
            "Rechtsprüfung",
            "Musterkunde AG",
            "j.weiss@musterkunde.de",
            t + Duration::minutes(20),
        ),
    ];
    let mut lines: Vec<SignatureLine> = signers.iter().map(|s| s.line.clone()).collect();
    lines.push(SignatureLine {
        name: "Petra Lange".to_string(),
        role: "Einkauf und Vertragsmanagement".to_string(),
        organisation: "Musterkunde AG".to_string(),
        signed_at: None,
        fingerprint: None,
    });
    let rendered = f
        .lib
        .pdf_for_signing(id, 1, None, lines, Some(CHECKPOINT.to_string()))
        .expect("PDF for signing");
    assert_eq!(rendered.signature_fields.len(), 3);
    assert!(
        rendered.signature_fields[2].is_none(),
        "no field for an unsigned line"
    );
    let fields: Vec<SignatureField> = rendered.signature_fields[..2]
        .iter()
        .map(|f| f.expect("a field for each signed line"))
        .collect();
    let mut bytes = rendered.bytes;
    for (s, field) in signers.iter().zip(&fields) {
        bytes = sign_pdf(
            &bytes,
            &PdfSigner {
                key: &s.key,
                certificate_der: &s.cert,
                name: s.line.name.clone(),
                role: s.line.role.clone(),
                reason: "Freigabe der Vereinbarung, Version 1".to_string(),
                location: Some("Berlin".to_string()),
                time: s.line.signed_at.expect("signed"),
                field: *field,
            },
        )
        .expect("sign");
    }
    Signed {
        f,
        bytes,
        signers,
        fields,
        version_hash: v.hash,
    }
}

#[test]
fn two_signatures_are_valid_for_pdfsig_qpdf_and_verify_pdf() {
    let s = signed_agreement();
    let path = save(s.f.dir.dir.path(), "signed.pdf", &s.bytes);
    let (verdicts, out) = pdfsig(&path);
    assert_eq!(verdicts, vec![true, true], "pdfsig:\n{out}");
    assert!(out.contains("ETSI.CAdES.detached"), "pdfsig:\n{out}");
    assert!(
        out.contains("Katrin Vogt") && out.contains("Dr. Jörg Weiß"),
        "pdfsig:\n{out}"
    );
    assert!(out.contains("Total document signed"), "pdfsig:\n{out}");

    let (ok, check) = run("qpdf", &["--check", &path]);
    assert!(
        ok && check.contains("No syntax or stream encoding errors"),
        "qpdf --check:\n{check}"
    );

    let report = verify_pdf(&s.bytes).expect("verify");
    assert!(report.all_valid, "{}", report.to_plain_words());
    assert_eq!(report.signatures.len(), 2);
    assert_eq!(report.revisions, 3);
    assert_eq!(report.unsigned_tail, 0);
    let [first, second] = &report.signatures[..] else {
        unreachable!()
    };
    assert_eq!(first.signer.as_deref(), Some("Katrin Vogt"));
    assert_eq!(
        first.organisation.as_deref(),
        Some("Beispiel IT-Services GmbH")
    );
    assert_eq!(first.field.as_deref(), Some("Signature1"));
    assert_eq!(first.revision, Some(2));
    assert!(!first.covers_whole_file && first.bytes_after > 0);
    assert_eq!(second.signer.as_deref(), Some("Dr. Jörg Weiß"));
    assert_eq!(second.field.as_deref(), Some("Signature2"));
    assert!(second.covers_whole_file);
    assert_eq!(second.revision, Some(3));
    for (sig, signer) in report.signatures.iter().zip(&s.signers) {
        assert!(sig.valid && sig.digest_matches && sig.signature_verifies && sig.certificate_bound);
        assert!(sig.self_issued);
        assert_eq!(
            sig.certificate_fingerprint.as_deref(),
            signer.line.fingerprint.as_deref()
        );
        assert_eq!(
            sig.signing_time.as_deref(),
            Some(
                signer
                    .line
                    .signed_at
                    .unwrap()
                    .format("%Y-%m-%dT%H:%M:%SZ")
                    .to_string()
                    .as_str()
            )
        );
    }
    assert_eq!(
        report.content_hash.as_deref(),
        Some(s.version_hash.as_str())
    );
    assert_eq!(report.checkpoint.as_deref(), Some(CHECKPOINT));
    assert!(report.metadata_signed);
    let words = report.to_plain_words();
    assert!(
        words.contains("2 digital signatures in 3 revisions"),
        "{words}"
    );
    assert!(words.contains("every signature is valid"), "{words}");
    assert!(report.clone().require_valid().is_ok());
}

#[test]
fn signature_page_lists_signers_with_roles_times_and_fingerprints() {
    let s = signed_agreement();
    let path = save(s.f.dir.dir.path(), "signed.pdf", &s.bytes);
    let page = s.fields[0].page;
    assert_eq!(s.fields[1].page, page, "both boxes on the signature page");
    let text = page_text(&path, page);
    for signer in &s.signers {
        let l = &signer.line;
        for expected in [&l.name, &l.role, &l.organisation] {
            assert!(
                text.contains(expected.as_str()),
                "{expected} on the page:\n{text}"
            );
        }
        let grouped = certificate::grouped(l.fingerprint.as_deref().unwrap());
        assert!(
            text.contains(&grouped),
            "fingerprint {grouped} on the page:\n{text}"
        );
    }
    assert!(text.contains("Unterschrieben am"), "{text}");
    // The outstanding signer gets empty lines to sign on.
    assert!(
        text.contains("Petra Lange") && text.contains("Ort, Datum"),
        "{text}"
    );
    // The widget boxes do not overlap and lie on the page.
    let [a, b] = [s.fields[0].rect, s.fields[1].rect];
    assert!(a[1] >= b[3] || b[1] >= a[3], "boxes overlap: {a:?} {b:?}");
    assert!(a.iter().chain(b.iter()).all(|v| (0.0..=842.0).contains(v)));

    // The verification block shows hash, checkpoint and how to check them.
    let (_, all) = run("pdftotext", &["-enc", "UTF-8", &path, "-"]);
    let all = all.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(all.contains(&s.version_hash), "content hash printed");
    // Long tokens may be broken across lines in the table; the start must be there as is.
    assert!(
        all.contains("pactum-checkpoint v1 4f1c2d3e-0000-4000-8000-00000000abcd 1"),
        "checkpoint printed:\n{all}"
    );
    assert!(all.contains("pactum verify-pdf DATEI"), "how to verify");
}

#[test]
fn a_flipped_byte_breaks_the_signatures_that_cover_it() {
    let s = signed_agreement();
    let dir = s.f.dir.dir.path();
    let report = verify_pdf(&s.bytes).expect("verify");
    let first = &report.signatures[0].byte_range;
    let first_end = (first[2] + first[3]) as usize;

    // A byte of the original document: both signatures cover it.
    let mut early = s.bytes.clone();
    early[first[1] as usize / 2] ^= 0x01;
    let path = save(dir, "early.pdf", &early);
    let (verdicts, out) = pdfsig(&path);
    assert_eq!(verdicts, vec![false, false], "pdfsig:\n{out}");
    let r = verify_pdf(&early).expect("verify");
    assert!(!r.all_valid);
    assert!(r
        .signatures
        .iter()
        .all(|sig| !sig.valid && !sig.digest_matches));
    assert!(r.to_plain_words().contains("digest mismatch"));

    // A byte of the second signer's update: only the second signature covers it.
    let second = &report.signatures[1].byte_range;
    let at = first_end + (second[1] as usize - first_end) / 2;
    let mut late = s.bytes.clone();
    late[at] = if late[at] == b' ' { b'\n' } else { b' ' };
    let path = save(dir, "late.pdf", &late);
    let (verdicts, out) = pdfsig(&path);
    assert_eq!(verdicts, vec![true, false], "pdfsig:\n{out}");
    let r = verify_pdf(&late).expect("verify");
    assert!(r.signatures[0].valid, "{}", r.to_plain_words());
    assert!(!r.signatures[1].valid);
    assert!(!r.all_valid);

    // A byte of the signature value itself.
    let mut value = s.bytes.clone();
    let hex_at = second[1] as usize + 20;
    value[hex_at] = if value[hex_at] == b'A' { b'B' } else { b'A' };
    let r = verify_pdf(&value).expect("verify");
    assert!(!r.signatures[1].valid && r.signatures[0].valid);
}

#[test]
fn appended_bytes_are_reported_as_not_covered() {
    let s = signed_agreement();
    let mut bytes = s.bytes.clone();
    bytes.extend_from_slice(b"\n% appended after signing\n");
    let r = verify_pdf(&bytes).expect("verify");
    assert!(
        r.signatures.iter().all(|sig| sig.valid),
        "the signed bytes are intact"
    );
    assert!(!r.signatures[1].covers_whole_file);
    assert_eq!(r.unsigned_tail, 26);
    assert!(!r.all_valid);
    let words = r.to_plain_words();
    assert!(
        words.contains("not covered by any valid signature"),
        "{words}"
    );
    assert!(r
        .require_valid()
        .is_err_and(|e| e.code() == "pdf_signature_invalid"));
}

#[test]
fn cutting_off_the_last_signature_leaves_one() {
    let s = signed_agreement();
    let report = verify_pdf(&s.bytes).expect("verify");
    let first = &report.signatures[0].byte_range;
    let cut = &s.bytes[..(first[2] + first[3]) as usize];
    let r = verify_pdf(cut).expect("verify");
    assert_eq!(r.signatures.len(), 1);
    assert_eq!(r.revisions, 2);
    assert!(r.all_valid && r.signatures[0].covers_whole_file);
    let path = save(s.f.dir.dir.path(), "cut.pdf", cut);
    assert_eq!(pdfsig(&path).0, vec![true]);
}

#[test]
fn signed_file_has_no_active_content() {
    let s = signed_agreement();
    for needle in [
        "/JavaScript",
        "/JS",
        "/OpenAction",
        "/Launch",
        "/EmbeddedFile",
        "/AA",
    ] {
        assert!(
            !s.bytes
                .windows(needle.len())
                .any(|w| w == needle.as_bytes()),
            "signed PDF contains {needle}"
        );
    }
}

#[test]
fn unsigned_and_foreign_files() {
    let f = fixture();
    let id = create(&f.lib, "it-support-de");
    let draft = f.lib.pdf(id, None, None).expect("draft PDF");
    let r = verify_pdf(&draft).expect("verify an unsigned PDF");
    assert!(r.signatures.is_empty() && !r.all_valid);
    assert_eq!(r.content_hash.as_ref().map(String::len), Some(64));
    assert!(
        r.checkpoint
            .as_deref()
            .is_some_and(|c| c.starts_with("pactum-checkpoint v1 ")),
        "every exported PDF carries the history checkpoint, even an unsigned draft: {:?}",
        r.checkpoint
    );
    assert!(r.to_plain_words().contains("no digital signature"));

    let err = verify_pdf(b"not a PDF").unwrap_err();
    assert_eq!(err.code(), "pdf_unreadable");
    let key = SigningKey::random(&mut OsRng);
    let other = SigningKey::random(&mut OsRng);
    let subject = CertificateSubject {
        name: "A".into(),
        organisation: String::new(),
        email: String::new(),
    };
    let cert = certificate::self_issued(&other, &subject, f.clock.now(), 1).unwrap();
    let signer = |field: SignatureField, cert: &[u8]| {
        sign_pdf(
            &draft,
            &PdfSigner {
                key: &key,
                certificate_der: cert,
                name: "A".into(),
                role: String::new(),
                reason: String::new(),
                location: None,
                time: f.clock.now(),
                field,
            },
        )
    };
    let field = SignatureField {
        page: 0,
        rect: [60.0, 60.0, 260.0, 118.0],
    };
    let err = signer(field, &cert).unwrap_err();
    assert_eq!(
        err.code(),
        "invalid_input",
        "certificate of another key: {err}"
    );
    let own = certificate::self_issued(&key, &subject, f.clock.now(), 1).unwrap();
    let err = signer(
        SignatureField {
            page: 999,
            rect: field.rect,
        },
        &own,
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid_input", "page out of range: {err}");
    let err = sign_pdf(
        b"%PDF-1.7 nonsense",
        &PdfSigner {
            key: &key,
            certificate_der: &own,
            name: "A".into(),
            role: String::new(),
            reason: String::new(),
            location: None,
            time: f.clock.now(),
            field,
        },
    )
    .unwrap_err();
    assert_eq!(err.code(), "pdf_unreadable");
    // Signing a draft works too (nothing in the engine prevents a test signature).
    assert!(verify_pdf(&signer(field, &own).unwrap()).unwrap().all_valid);
}

/// A minimal PDF as another program writes it: numbers with more digits than an `f32` holds,
/// a comment, a name with `#` escape, an existing link annotation.
fn foreign_pdf() -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R % the root\n/Lang (de\\)DE) >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595.303937007874 841.889763779528] >>",
        "<</Type/Page/Parent 2 0 R/Contents 4 0 R/Resources<</ProcSet[/PDF]>>/Annots[5 0 R]/Rotate 0/UserUnit 1.000000000001/A#20B (x)>>",
        "<< /Length 39 >>\nstream\n0.123456789 0.5 0.5 rg 10 10 50 50 re f\nendstream",
        "<< /Type /Annot /Subtype /Link /Rect [10.123456789 10 60 60] /Border [0 0 0] /Dest [3 0 R /Fit] >>",
    ];
    let mut pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f\r\n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n\r\n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

#[test]
fn copied_objects_keep_every_byte_of_a_foreign_pdf() {
    let f = fixture();
    let pdf = foreign_pdf();
    let key = SigningKey::random(&mut OsRng);
    let subject = CertificateSubject {
        name: "Anna Beispiel".into(),
        organisation: "Beispiel GmbH".into(),
        email: String::new(),
    };
    let cert = certificate::self_issued(&key, &subject, f.clock.now(), 1).unwrap();
    let mut bytes = pdf.clone();
    for (i, y) in [100.0, 200.0].into_iter().enumerate() {
        bytes = sign_pdf(
            &bytes,
            &PdfSigner {
                key: &key,
                certificate_der: &cert,
                name: "Anna Beispiel".into(),
                role: format!("Signer {}", i + 1),
                reason: String::new(),
                location: None,
                time: f.clock.now(),
                field: SignatureField {
                    page: 0,
                    rect: [60.0, y, 260.0, y + 58.0],
                },
            },
        )
        .expect("sign a foreign PDF");
    }
    assert!(bytes.starts_with(&pdf), "the original bytes are kept");
    let text = String::from_utf8_lossy(&bytes);
    // The page is copied byte for byte, only its annotation list grows.
    assert!(
        text.contains("/UserUnit 1.000000000001/A#20B (x)")
            && text.matches("/Rotate 0").count() == 3,
        "{text}"
    );
    assert!(text.contains("/Annots[5 0 R 7 0 R]"), "{text}");
    assert!(text.contains("/Annots[5 0 R 7 0 R 11 0 R]"), "{text}");
    assert!(
        text.contains("% the root\n/Lang (de\\)DE)  /AcroForm 9 0 R>>"),
        "{text}"
    );
    let path = save(f.dir.dir.path(), "foreign.pdf", &bytes);
    let (verdicts, out) = pdfsig(&path);
    assert_eq!(verdicts, vec![true, true], "pdfsig:\n{out}");
    let (ok, check) = run("qpdf", &["--check", &path]);
    assert!(ok, "qpdf --check:\n{check}");
    assert!(verify_pdf(&bytes).unwrap().all_valid);
}
