//! Bulk PDF export (`Library::export_pdfs`) and the PDF preview (`Library::pdf_preview`):
//! files written with sanitised names and never overwritten, progress and cancellation, a
//! failing agreement reported while the rest go on; the preview made from the same layout.

use std::fs;
use std::path::Path;

use pactum::library::ExportProgress;
use pactum::record::AgreementId;
use pactum::Language;

use crate::support::*;

fn pdf_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn writes_one_pdf_per_agreement_with_sanitised_names_and_reports_progress() {
    let f = fixture();
    let a = create_titled(&f.lib, "saas-support-en", "../../etc/passwd");
    let b = create_titled(&f.lib, "saas-support-en", "Sub/dir\\name: *?<>|");
    let c = create_titled(&f.lib, "saas-support-en", "Kundendienst München");
    let out = tempfile::tempdir().unwrap();
    let mut seen: Vec<ExportProgress> = Vec::new();
    let summary = f
        .lib
        .export_pdfs(&[a, b, c], out.path(), None, &mut |p| {
            seen.push(p);
            true
        })
        .unwrap();
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    assert!(!summary.cancelled);
    assert_eq!(summary.written.len(), 3);
    let names = pdf_files(out.path());
    assert_eq!(
        names,
        vec![
            format!("Kundendienst München-{}.pdf", c.0),
            format!("Sub_dir_name-{}.pdf", b.0),
            format!("etc_passwd-{}.pdf", a.0),
        ]
    );
    for path in &summary.written {
        assert_eq!(path.parent().unwrap(), out.path());
        assert!(fs::read(path).unwrap().starts_with(b"%PDF-"));
    }
    assert_eq!(seen.len(), 4, "one report per agreement and one at the end");
    assert_eq!(seen[0].done, 0);
    assert_eq!(seen[0].total, 3);
    assert_eq!(seen[1].current_title, "Sub/dir\\name: *?<>|");
    assert_eq!(seen[3].done, 3);
    assert_eq!(seen[3].current_id, None);
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let f = fixture();
    let a = create_titled(&f.lib, "saas-support-en", "Support");
    let out = tempfile::tempdir().unwrap();
    let taken = out.path().join(format!("Support-{}.pdf", a.0));
    fs::write(&taken, b"mine").unwrap();
    let summary = f
        .lib
        .export_pdfs(&[a, a], out.path(), Some(Language::En), &mut |_| true)
        .unwrap();
    assert_eq!(fs::read(&taken).unwrap(), b"mine");
    assert_eq!(
        summary.written,
        vec![
            out.path().join(format!("Support-{}-2.pdf", a.0)),
            out.path().join(format!("Support-{}-3.pdf", a.0)),
        ]
    );
}

#[test]
fn cancelling_stops_before_the_next_agreement() {
    let f = fixture();
    let ids: Vec<AgreementId> = (0..4)
        .map(|i| create_titled(&f.lib, "saas-support-en", &format!("SLA {i}")))
        .collect();
    let out = tempfile::tempdir().unwrap();
    let mut calls = 0;
    let summary = f
        .lib
        .export_pdfs(&ids, out.path(), None, &mut |_| {
            calls += 1;
            calls <= 2
        })
        .unwrap();
    assert!(summary.cancelled);
    assert_eq!(summary.written.len(), 2);
    assert_eq!(pdf_files(out.path()).len(), 2, "no temporary file is left");
}

#[test]
fn a_failing_agreement_is_reported_and_the_rest_continue() {
    let f = fixture();
    let good = create_titled(&f.lib, "saas-support-en", "Good");
    let bad = create_titled(&f.lib, "saas-support-en", "Bad");
    edit(&f.lib, bad, |a| a.title = "Smile 🙂".to_string());
    let missing = AgreementId(9999);
    let out = tempfile::tempdir().unwrap();
    let summary = f
        .lib
        .export_pdfs(&[bad, missing, good], out.path(), None, &mut |_| true)
        .unwrap();
    assert_eq!(summary.written.len(), 1);
    assert_eq!(summary.failed.len(), 2);
    assert_eq!(summary.failed[0].id, bad);
    assert_eq!(summary.failed[0].code, "invalid_input");
    assert!(summary.failed[0].message.contains("U+1F642"));
    assert_eq!(summary.failed[1].code, "agreement_not_found");
    assert_eq!(pdf_files(out.path()), vec![format!("Good-{}.pdf", good.0)]);
}

#[test]
fn a_missing_folder_is_an_error() {
    let f = fixture();
    let a = create(&f.lib, "saas-support-en");
    let out = tempfile::tempdir().unwrap();
    let err = f
        .lib
        .export_pdfs(&[a], &out.path().join("nope"), None, &mut |_| true)
        .unwrap_err();
    assert_eq!(err.code(), "io");
}

#[test]
fn the_preview_shows_the_first_pages_as_laid_out() {
    let f = fixture();
    let a = create_titled(
        &f.lib,
        "saas-support-en",
        "<script>alert(1)</script> Support",
    );
    let pages = f.lib.pdf_preview(a, None, Some(Language::En), 3).unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[0].number, 1);
    assert!((pages[0].width_pt - 595.276).abs() < 0.01);
    let first: String = pages[0]
        .texts
        .iter()
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(first.contains("<script>alert(1)</script>"), "{first}");
    for p in &pages {
        for t in &p.texts {
            assert!(t.y >= 0.0 && t.y <= p.height_pt, "{t:?}");
            assert!(t.color.starts_with('#') && t.color.len() == 7);
        }
    }
    let all = f.lib.pdf_preview(a, None, None, 100).unwrap();
    assert!(all.len() <= 10);
    let err = f
        .lib
        .pdf_preview(AgreementId(9999), None, None, 3)
        .unwrap_err();
    assert_eq!(err.code(), "agreement_not_found");
}
