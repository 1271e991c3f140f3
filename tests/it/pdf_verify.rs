//! Signed PDFs from the signed history (issues 4 and 5 together): the signature page lists
//! the approvers of the version, each approver's PAdES signature is accepted by `pdfsig`,
//! `Library::verify_pdf` ties the signatures, content hash and checkpoint back to a history —
//! this database's, or an exchange file's on another machine — and the redline PDF of an
//! amendment shows what it changes.

use std::process::Command;

use pactum::signing::bundle::BundleRequest;
use pactum::signing::{IdentityInfo, KdfParams, NewIdentity, Role};
use pactum::{Error, Library};

use crate::support::*;

const PASS: &str = "a long and careful passphrase";

fn person(lib: &Library, name: &str, role: Role) -> IdentityInfo {
    lib.create_identity_with_kdf(
        &NewIdentity {
            name: name.into(),
            organisation: "Beispiel IT-Services GmbH".into(),
            role,
            email: String::new(),
        },
        PASS,
        KdfParams::for_tests(),
    )
    .unwrap_or_else(|e| panic!("creating the identity {name} must succeed: {e}"))
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} must be installed (scripts/install-deps.sh): {e}"));
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// One database with a manager and a legal reviewer and agreement 1's version 1 in force.
struct Signed {
    fx: Fixture,
    manager: IdentityInfo,
    legal: IdentityInfo,
    id: pactum::record::AgreementId,
}

fn signed() -> Signed {
    let fx = fixture();
    let manager = person(&fx.lib, "Katrin Vogt", Role::ServiceManager);
    let legal = person(&fx.lib, "Dr. Jörg Weiß", Role::LegalReviewer);
    let id = create(&fx.lib, "it-support-de");
    fx.lib.freeze(id, "Erste Fassung").expect("freeze");
    fx.lib.request_approval(id).expect("request approval");
    fx.clock.advance_secs(60);
    fx.lib
        .sign(id, 1, &manager.fingerprint, PASS)
        .expect("manager signs");
    fx.clock.advance_secs(60);
    fx.lib
        .sign(id, 1, &legal.fingerprint, PASS)
        .expect("legal reviewer signs");
    Signed {
        fx,
        manager,
        legal,
        id,
    }
}

impl Signed {
    /// The signed history as an exchange file, exported by the manager.
    fn history_bundle(&self) -> Vec<u8> {
        self.fx
            .lib
            .export_bundle(
                self.id,
                BundleRequest::History,
                &self.manager.fingerprint,
                PASS,
            )
            .expect("export the signed history")
    }

    fn pdf(&self, signers: &[&IdentityInfo]) -> Vec<u8> {
        let s: Vec<(&str, &str)> = signers
            .iter()
            .map(|i| (i.fingerprint.as_str(), PASS))
            .collect();
        self.fx
            .lib
            .signed_pdf(self.id, None, None, &s)
            .expect("a signed PDF of the version in force")
    }

    fn write(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.fx.dir.dir.path().join(name);
        std::fs::write(&path, bytes).expect("write the PDF");
        path.to_str().unwrap().to_string()
    }
}

#[test]
fn approvers_sign_the_pdf_and_pdfsig_and_verify_pdf_accept_it() {
    let s = signed();
    let bytes = s.pdf(&[&s.manager, &s.legal]);
    let path = s.write("signed.pdf", &bytes);

    let report = tool("pdfsig", &[&path]);
    assert_eq!(
        report.matches("Signature is Valid.").count(),
        2,
        "both approvers' PAdES signatures must be valid for pdfsig:\n{report}"
    );
    let check = tool("qpdf", &["--check", &path]);
    assert!(
        check.contains("No syntax or stream encoding errors"),
        "the signed file must stay a well-formed PDF:\n{check}"
    );

    let text = tool("pdftotext", &["-layout", &path, "-"]);
    for expected in [
        "Katrin Vogt",
        "Dr. Jörg Weiß",
        "Rechtsprüfung",
        "Vertretung des Kunden",
        s.manager.fingerprint_display.as_str(),
        s.legal.fingerprint_display.as_str(),
        "pactum-checkpoint v1",
    ] {
        assert!(
            text.contains(expected),
            "the signature page and verification block must show {expected:?}"
        );
    }

    let found = s.fx.lib.verify_pdf(&bytes, None).expect("verify");
    assert!(
        found.ok,
        "an untouched PDF signed by both approvers must verify: {}",
        found.to_plain_words()
    );
    assert_eq!(found.version, Some(1), "the PDF shows version 1");
    let names: Vec<_> = found
        .signers
        .iter()
        .map(|m| m.identity.as_ref().map(|i| i.name.clone()))
        .collect();
    assert_eq!(
        names,
        vec![Some("Katrin Vogt".into()), Some("Dr. Jörg Weiß".into())],
        "each certificate is traced back to the identity that approved the version"
    );
    assert!(found.signers.iter().all(|m| m.approved_version));
}

#[test]
fn a_changed_byte_or_an_unsigned_export_is_not_verified() {
    let s = signed();
    let mut bytes = s.pdf(&[&s.manager, &s.legal]);
    let middle = bytes.len() / 3;
    bytes[middle] ^= 0x01;
    let found = s.fx.lib.verify_pdf(&bytes, None).expect("verify");
    assert!(
        !found.ok,
        "a flipped byte inside the signed range must be caught"
    );
    assert!(
        !found.pdf.all_valid,
        "the digest no longer matches: {}",
        found.to_plain_words()
    );
    let path = s.write("tampered.pdf", &bytes);
    let report = tool("pdfsig", &[&path]);
    assert!(
        !report.contains("Signature is Valid."),
        "pdfsig must reject the changed file too:\n{report}"
    );

    let plain = s.fx.lib.pdf(s.id, Some(1), None).expect("plain export");
    let found = s.fx.lib.verify_pdf(&plain, None).expect("verify");
    assert!(!found.ok, "a PDF without digital signatures proves nothing");
    assert!(
        found
            .problems
            .iter()
            .any(|p| p.contains("no digital signature")),
        "the report must say why: {:?}",
        found.problems
    );
    let text = tool(
        "pdftotext",
        &["-layout", &s.write("plain.pdf", &plain), "-"],
    );
    assert!(
        text.contains("Katrin Vogt") && text.contains(&s.legal.fingerprint_display),
        "even without PDF signatures, the signature page of a signed version lists its approvers"
    );
}

#[test]
fn only_an_approver_can_sign_the_pdf() {
    let s = signed();
    let outsider = person(&s.fx.lib, "Uwe Außen", Role::CustomerRepresentative);
    match s
        .fx
        .lib
        .signed_pdf(s.id, None, None, &[(&outsider.fingerprint, PASS)])
    {
        Err(Error::NotAllowed(m)) => assert!(m.contains("has not approved"), "{m}"),
        other => panic!("someone who did not approve must not sign the PDF: {other:?}"),
    }
    match s
        .fx
        .lib
        .signed_pdf(s.id, None, None, &[(&s.manager.fingerprint, "wrong")])
    {
        Err(e) => assert_eq!(e.code(), "wrong_passphrase"),
        Ok(_) => panic!("a wrong passphrase must not produce a signed PDF"),
    }
}

#[test]
fn another_machine_verifies_the_pdf_with_the_exchange_file() {
    let s = signed();
    let bytes = s.pdf(&[&s.manager, &s.legal]);
    let history = s.history_bundle();

    let other = fixture();
    for who in [&s.manager, &s.legal] {
        let card =
            s.fx.lib
                .export_card(&who.fingerprint)
                .expect("export a card");
        other
            .lib
            .import_card(card.as_bytes())
            .expect("the customer imports the signers' cards after comparing fingerprints");
    }
    let alone = other.lib.verify_pdf(&bytes, None).expect("verify");
    assert!(
        !alone.ok && alone.agreement.is_none(),
        "a database that never saw the agreement cannot vouch for the PDF"
    );
    let with_file = other
        .lib
        .verify_pdf(&bytes, Some(&history))
        .expect("verify with the exchange file");
    assert!(
        with_file.ok,
        "the exchange file carries the history the PDF names, signed by keys trusted here: {}",
        with_file.to_plain_words()
    );
    assert_eq!(
        other.lib.identities().expect("identities").len(),
        2,
        "verifying against an exchange file must write nothing to this database"
    );
    assert!(
        list_default(&other.lib).is_empty(),
        "verifying against an exchange file must not import its agreement"
    );

    let mut forged = history.clone();
    let at = forged.len() / 2;
    forged[at] ^= 0x02;
    assert!(
        other.lib.verify_pdf(&bytes, Some(&forged)).is_err(),
        "a damaged exchange file is refused, not trusted"
    );
}

#[test]
fn the_redline_pdf_of_an_amendment_shows_the_changed_term() {
    let s = signed();
    edit(&s.fx.lib, s.id, |a| set_top_resolution(a, "2 h"));
    let proposal =
        s.fx.lib
            .propose_amendment_from_draft(s.id, "Schnellere Lösung", None)
            .expect("propose an amendment");
    let bytes =
        s.fx.lib
            .pdf_redline_amendment(s.id, proposal.number, None)
            .expect("redline of the amendment");
    let text = tool(
        "pdftotext",
        &["-layout", &s.write("redline.pdf", &bytes), "-"],
    );
    assert!(
        text.contains("2 Std.") || text.contains("2 h"),
        "the redline must show the proposed resolution time:\n{}",
        &text[..text.len().min(3000)]
    );
    assert!(
        text.contains("Schnellere Lösung"),
        "the redline names the amendment's reason"
    );
}

#[test]
fn cli_verify_pdf_exits_by_what_it_found() {
    let s = signed();
    let good = s.write("good.pdf", &s.pdf(&[&s.manager, &s.legal]));
    let run = |file: &str| {
        Command::new(env!("CARGO_BIN_EXE_pactum"))
            .args(["verify-pdf", file])
            .env("PACTUM_DB", s.fx.path())
            .output()
            .expect("run pactum verify-pdf")
    };
    let ok = run(&good);
    let words = String::from_utf8_lossy(&ok.stdout).to_string();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "a verified PDF exits 0:\n{words}{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(
        words.contains("Overall: the document is verified."),
        "{words}"
    );

    let mut bytes = std::fs::read(&good).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x04;
    let bad = run(&s.write("bad.pdf", &bytes));
    assert_eq!(
        bad.status.code(),
        Some(1),
        "a changed PDF exits 1 so scripts notice:\n{}",
        String::from_utf8_lossy(&bad.stdout)
    );
    let not_pdf = run(&s.write("note.pdf", b"just text"));
    assert_eq!(
        not_pdf.status.code(),
        Some(2),
        "a file that is no PDF at all is an input error"
    );
    assert!(String::from_utf8_lossy(&not_pdf.stderr).contains("PDF"));
}

#[test]
fn the_pdf_of_an_amended_version_carries_the_amendment_log_from_the_history() {
    let s = signed();
    edit(&s.fx.lib, s.id, |a| set_top_resolution(a, "2 h"));
    let proposal =
        s.fx.lib
            .propose_amendment_from_draft(s.id, "Schnellere Lösung für P1", None)
            .expect("propose an amendment");
    for who in [&s.manager, &s.legal] {
        s.fx.clock.advance_secs(60);
        s.fx.lib
            .approve(s.id, proposal.number, &who.fingerprint, PASS)
            .expect("approve the amendment");
    }
    let bytes = s.pdf(&[&s.legal]);
    let text = tool("pdftotext", &["-layout", &s.write("v2.pdf", &bytes), "-"]);
    assert!(
        text.contains("Änderungsprotokoll") && text.contains("Schnellere Lösung für P1"),
        "version 2's PDF lists the enacted amendment with its reason, taken from the signed history"
    );
    let found = s.fx.lib.verify_pdf(&bytes, None).expect("verify");
    assert!(found.ok, "{}", found.to_plain_words());
    assert_eq!(
        found.version,
        Some(2),
        "the PDF of the version in force after the amendment"
    );
}

/// Agreement 1 as an attacker forges it: own identities named exactly like the real signers
/// (same name, organisation and role), an agreement given the real agreement's uid with other
/// content, both approvals and PDF signatures, and the history exchange file.
struct Forgery {
    pdf: Vec<u8>,
    bundle: Vec<u8>,
    manager: IdentityInfo,
    legal: IdentityInfo,
    content_hash: String,
}

fn forge(real: &Signed) -> Forgery {
    let uid = real.fx.lib.summary(real.id).expect("summary").uid;
    let attacker = fixture();
    let manager = person(&attacker.lib, &real.manager.name, real.manager.role);
    let legal = person(&attacker.lib, &real.legal.name, real.legal.role);
    let id = create(&attacker.lib, "it-support-de");
    raw(attacker.path())
        .execute(
            "UPDATE agreements SET uid = ?1 WHERE id = ?2",
            rusqlite::params![uid, id.0],
        )
        .expect("the attacker controls their own database and gives the agreement the real uid");
    edit(&attacker.lib, id, |a| set_top_resolution(a, "72 h"));
    attacker.lib.freeze(id, "Erste Fassung").expect("freeze");
    attacker.lib.request_approval(id).expect("request approval");
    for who in [&manager, &legal] {
        attacker.clock.advance_secs(60);
        attacker
            .lib
            .sign(id, 1, &who.fingerprint, PASS)
            .expect("the look-alike signs");
    }
    let pdf = attacker
        .lib
        .signed_pdf(
            id,
            None,
            None,
            &[(&manager.fingerprint, PASS), (&legal.fingerprint, PASS)],
        )
        .expect("the forged PDF");
    let bundle = attacker
        .lib
        .export_bundle(id, BundleRequest::History, &manager.fingerprint, PASS)
        .expect("the forged exchange file");
    let content_hash = attacker.lib.versions(id).expect("versions")[0].hash.clone();
    Forgery {
        pdf,
        bundle,
        manager,
        legal,
        content_hash,
    }
}

#[test]
fn look_alike_signers_with_the_real_uid_are_not_verified_against_the_exchange_file() {
    let victim = signed();
    let forged = forge(&victim);
    let real_hash = victim.fx.lib.versions(victim.id).expect("versions")[0]
        .hash
        .clone();
    assert_ne!(
        forged.content_hash, real_hash,
        "the forgery shows other content"
    );

    let found = victim
        .fx
        .lib
        .verify_pdf(&forged.pdf, Some(&forged.bundle))
        .expect("verify the forgery with its exchange file");
    let words = found.to_plain_words();
    assert!(
        !found.ok,
        "keys that are not the ones this trust list holds for those names, and content that is not this database's version 1, must not verify:\n{words}"
    );
    assert!(
        !words.contains("the document is verified") && !words.contains("as stored here"),
        "the summary must not claim what only the attacker's file says:\n{words}"
    );
    for (fake, real) in [
        (&forged.manager, &victim.manager),
        (&forged.legal, &victim.legal),
    ] {
        assert!(
            found.problems.iter().any(|p| p.contains(&fake.fingerprint_display)
                && p.contains(&real.fingerprint_display)
                && p.contains(&real.name)),
            "a finding must name {}'s key in the file and the other key the trust list here holds for that name: {:#?}",
            real.name,
            found.problems
        );
    }
    assert!(
        found
            .problems
            .iter()
            .any(|p| p.contains(&forged.content_hash) && p.contains(&real_hash)),
        "a finding must name the document's content hash and the one this database holds for that version: {:#?}",
        found.problems
    );
    assert_eq!(
        found.agreement,
        Some(victim.id),
        "the agreement named is this database's own copy, found by its uid"
    );
    assert!(
        found.signers.iter().all(|m| m.as_file_claims),
        "no signer of the forgery is in this trust list, so each is known only as the file claims: {:#?}",
        found.signers
    );

    let pdf = victim.write("forged.pdf", &forged.pdf);
    let json = victim.write("forged.json", &forged.bundle);
    let out = Command::new(env!("CARGO_BIN_EXE_pactum"))
        .args(["verify-pdf", &pdf, "--bundle", &json])
        .env("PACTUM_DB", victim.fx.path())
        .output()
        .expect("run pactum verify-pdf --bundle");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the CLI exits 1 on the forgery so scripts notice:\n{text}"
    );
    assert!(
        text.contains("Overall: NOT verified") && !text.contains("as stored here"),
        "the CLI must not call the forgery verified or stored here:\n{text}"
    );
}

#[test]
fn the_honest_exchange_file_verifies_where_the_signers_and_the_agreement_are_known() {
    let s = signed();
    let bytes = s.pdf(&[&s.manager, &s.legal]);
    let history = s.history_bundle();
    let own =
        s.fx.lib
            .verify_pdf(&bytes, Some(&history))
            .expect("verify with the exchange file");
    assert!(
        own.ok,
        "the real history, signed by keys trusted here, with the same content hash as this database's version 1, verifies: {}",
        own.to_plain_words()
    );
    assert_eq!(own.agreement, Some(s.id), "this database's own copy");
    assert!(
        own.signers.iter().all(|m| !m.as_file_claims),
        "both signers are in this trust list"
    );

    let other = fixture();
    for who in [&s.manager, &s.legal] {
        let card =
            s.fx.lib
                .export_card(&who.fingerprint)
                .expect("export a card");
        other
            .lib
            .import_card(card.as_bytes())
            .expect("import a card");
    }
    other
        .lib
        .import_bundle(&history)
        .expect("import the history");
    let copy = other
        .lib
        .verify_pdf(&bytes, Some(&history))
        .expect("verify with the exchange file");
    assert!(
        copy.ok,
        "a customer holding the same history and the signers' cards verifies the PDF: {}",
        copy.to_plain_words()
    );
    assert!(copy
        .to_plain_words()
        .contains("Overall: the document is verified."));
}

#[test]
fn an_unknown_agreement_with_untrusted_signers_is_only_as_the_file_claims() {
    let s = signed();
    let bytes = s.pdf(&[&s.manager, &s.legal]);
    let history = s.history_bundle();
    let stranger = fixture();
    let found = stranger
        .lib
        .verify_pdf(&bytes, Some(&history))
        .expect("verify with the exchange file");
    let words = found.to_plain_words();
    assert!(
        !found.ok,
        "signers no card here vouches for prove nothing to this machine, however consistent the file is:\n{words}"
    );
    assert!(
        words.contains("as the exchange file claims"),
        "the summary must say whose word the signers' names are:\n{words}"
    );
    assert!(
        !words.contains("the document is verified"),
        "a document known only from the file that came with it is not verified:\n{words}"
    );
    assert_eq!(
        found.agreement, None,
        "this database holds no copy of the agreement"
    );
    assert!(
        found.signers.iter().all(|m| m.as_file_claims),
        "{:#?}",
        found.signers
    );
    assert!(
        found
            .problems
            .iter()
            .any(|p| p.contains(&s.manager.fingerprint_display) && p.contains("trust list")),
        "a finding names the untrusted key, so its owner can be asked: {:#?}",
        found.problems
    );
}

/// Whether a PDF tool is installed (the foreign-tool checks below run only where it is).
fn installed(name: &str) -> bool {
    Command::new(name).arg("-v").output().is_ok()
}

/// A DER element: tag, definite length, body.
fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = body.len();
    match len {
        0..=0x7f => out.push(len as u8),
        0x80..=0xff => out.extend([0x81, len as u8]),
        0x100..=0xffff => out.extend([0x82, (len >> 8) as u8, len as u8]),
        _ => out.extend([0x83, (len >> 16) as u8, (len >> 8) as u8, len as u8]),
    }
    out.extend_from_slice(body);
    out
}

/// The file with the last signature's CMS SignedData re-encoded to list the signer's
/// certificate twice in `certificates`, as some signing tools write it. The `/Contents` hex
/// is padded with zeros to its old length, so the byte range and the signed bytes stay as
/// they were.
fn with_certificate_twice(pdf: &[u8]) -> Vec<u8> {
    use der::{Encode, Reader, SliceReader};
    let text = String::from_utf8_lossy(pdf);
    let at = text.rfind("/ByteRange").expect("a signature");
    let open = at + text[at..].find('[').expect("[");
    let close = at + text[at..].find(']').expect("]");
    let range: Vec<usize> = text[open + 1..close]
        .split_whitespace()
        .map(|n| n.parse().expect("a number"))
        .collect();
    let (from, to) = (range[1] + 1, range[2] - 1);
    let der = hex::decode(&pdf[from..to]).expect("hex /Contents");
    let info: cms::content_info::ContentInfo = SliceReader::new(&der)
        .and_then(|mut r| r.decode())
        .expect("Pactum writes a ContentInfo");
    let signed: cms::signed_data::SignedData = info.content.decode_as().expect("SignedData");
    let cert = signed
        .certificates
        .as_ref()
        .and_then(|set| set.0.iter().next())
        .expect("the signer's certificate")
        .to_der()
        .expect("encode the certificate");
    let mut body = Vec::new();
    body.extend(signed.version.to_der().unwrap());
    body.extend(signed.digest_algorithms.to_der().unwrap());
    body.extend(signed.encap_content_info.to_der().unwrap());
    body.extend(tlv(0xa0, &[cert.clone(), cert].concat()));
    body.extend(signed.signer_infos.to_der().unwrap());
    let signed_data = tlv(0x30, &body);
    let content_info = tlv(
        0x30,
        &[info.content_type.to_der().unwrap(), tlv(0xa0, &signed_data)].concat(),
    );
    let mut contents = hex::encode(content_info).into_bytes();
    assert!(
        contents.len() <= to - from,
        "the placeholder has room for a second certificate"
    );
    contents.resize(to - from, b'0');
    let mut out = pdf.to_vec();
    out[from..to].copy_from_slice(&contents);
    out
}

#[test]
fn a_signature_listing_its_certificate_twice_is_read_as_pdfsig_reads_it() {
    let s = signed();
    let bytes = s.pdf(&[&s.manager, &s.legal]);
    let doubled = with_certificate_twice(&bytes);
    assert_ne!(doubled, bytes, "the last signature was re-encoded");
    let found = s.fx.lib.verify_pdf(&doubled, None).expect("verify");
    assert!(
        found.pdf.signatures.iter().all(|sig| sig.valid),
        "a certificate listed twice is still the signer's certificate; every signature stays valid: {}",
        found.to_plain_words()
    );
    assert!(
        found.ok,
        "the signed bytes did not change, so the document verifies: {}",
        found.to_plain_words()
    );
    assert_eq!(
        found.signers[1].identity.as_ref().map(|i| i.name.as_str()),
        Some("Dr. Jörg Weiß"),
        "the duplicated certificate is still traced back to its identity"
    );
    if installed("pdfsig") {
        let path = s.write("doubled.pdf", &doubled);
        let report = tool("pdfsig", &[&path]);
        assert_eq!(
            report.matches("Signature is Valid.").count(),
            2,
            "pdfsig accepts the duplicated certificate too, so Pactum must:\n{report}"
        );
    }
}

/// A PDF literal string for `value` the way other tools may write one (ISO 32000-1
/// 7.3.4.2): octal escapes of one to three digits, a needless backslash, line continuations
/// with LF and CR LF.
fn escaped_literal(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let mut out = String::from("(");
    for (i, c) in chars.iter().enumerate() {
        let next_is_octal = chars.get(i + 1).is_some_and(|n| ('0'..='7').contains(n));
        match i % 9 {
            0 => out.push_str(&format!("\\{:03o}", *c as u32)),
            4 if !next_is_octal => out.push_str(&format!("\\{:o}", *c as u32)),
            7 if !c.is_ascii_alphanumeric() && *c != ' ' => {
                out.push('\\');
                out.push(*c);
            }
            _ => out.push(*c),
        }
        if i % 23 == 22 {
            out.push_str("\\\n");
        } else if i % 31 == 30 {
            out.push_str("\\\r\n");
        }
    }
    out.push(')');
    out
}

/// Appends an incremental update that writes the document information anew, as another
/// program saving the file would: `info` is the new dictionary's text.
fn rewrite_info(pdf: &[u8], info: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(pdf);
    let number = |key: &str| -> u64 {
        let at = text
            .rfind(key)
            .unwrap_or_else(|| panic!("{key} in the PDF"))
            + key.len();
        let digits: String = text[at..]
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits
            .parse()
            .unwrap_or_else(|_| panic!("a number after {key}"))
    };
    let (info_object, root, size, prev) = (
        number("/Info"),
        number("/Root"),
        number("/Size"),
        number("startxref"),
    );
    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let offset = out.len();
    out.extend(format!("{info_object} 0 obj\n{info}\nendobj\n").as_bytes());
    let xref = out.len();
    out.extend(
        format!(
            "xref\n0 1\n0000000000 65535 f \n{info_object} 1\n{offset:010} 00000 n \ntrailer\n<< /Size {size} /Root {root} 0 R /Info {info_object} 0 R /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n"
        )
        .as_bytes(),
    );
    out
}

#[test]
fn info_strings_another_tool_rewrote_with_escapes_still_give_checkpoint_and_content_hash() {
    let s = signed();
    let bytes = s.pdf(&[&s.manager, &s.legal]);
    let original = pactum::pdf::verify_pdf(&bytes).expect("verify");
    let checkpoint = original.checkpoint.clone().expect("a checkpoint");
    let hash = original.content_hash.clone().expect("a content hash");
    let info = format!(
        "<< /Producer (qpdf \\(rewritten\\) \\\\ 11.9) /Title (Vereinbarung \\(Entwurf\\) (Fassung 1)) /PactumContentHash <{} {}> /PactumCheckpoint {} >>",
        hex::encode(&hash[..30]),
        hex::encode_upper(&hash[30..]),
        escaped_literal(&checkpoint)
    );
    let rewritten = rewrite_info(&bytes, &info);
    let report = pactum::pdf::verify_pdf(&rewritten).expect("verify the rewritten file");
    assert_eq!(
        report.checkpoint.as_deref(),
        Some(checkpoint.as_str()),
        "escapes in a literal string stand for the same characters, so the checkpoint reads back unchanged"
    );
    assert_eq!(
        report.content_hash.as_deref(),
        Some(hash.as_str()),
        "a hex string of the same characters holds the same content hash"
    );
    let found = s.fx.lib.verify_pdf(&rewritten, None).expect("verify");
    assert_eq!(
        (found.agreement, found.version),
        (Some(s.id), Some(1)),
        "the checkpoint still names this agreement and the hash its version 1: {:#?}",
        found.problems
    );
    assert!(
        !found
            .problems
            .iter()
            .any(|p| p.contains("checkpoint")
                && (p.contains("cannot be read") || p.contains("not in"))),
        "nothing about the checkpoint is unreadable or missing: {:#?}",
        found.problems
    );

    if installed("qpdf") {
        let from = s.write("rewritten.pdf", &rewritten);
        let check = tool("qpdf", &["--check", &from]);
        assert!(
            check.contains("No syntax or stream encoding errors"),
            "the rewritten file must be one a PDF tool could have saved:\n{check}"
        );
        let to = s.fx.dir.dir.path().join("qdf.pdf");
        tool(
            "qpdf",
            &[
                "--qdf",
                "--object-streams=disable",
                &from,
                to.to_str().unwrap(),
            ],
        );
        let resaved = std::fs::read(&to).expect("qpdf wrote the file");
        let report = pactum::pdf::verify_pdf(&resaved).expect("verify qpdf's file");
        assert_eq!(
            (report.checkpoint.as_deref(), report.content_hash.as_deref()),
            (Some(checkpoint.as_str()), Some(hash.as_str())),
            "after qpdf re-saved the file, checkpoint and content hash read back unchanged"
        );
    }
}

#[test]
fn an_unreadable_checkpoint_is_blamed_on_the_pdf_info_dictionary() {
    let s = signed();
    let bytes = s.pdf(&[&s.manager, &s.legal]);
    let history = s.history_bundle();
    let hash = pactum::pdf::verify_pdf(&bytes)
        .expect("verify")
        .content_hash
        .expect("a content hash");
    let broken = rewrite_info(
        &bytes,
        &format!("<< /PactumContentHash ({hash}) /PactumCheckpoint 42 >>"),
    );
    for exchange in [None, Some(history.as_slice())] {
        let found = s.fx.lib.verify_pdf(&broken, exchange).expect("verify");
        assert!(
            !found.ok,
            "a PDF whose checkpoint cannot be read proves nothing about the history"
        );
        assert!(
            found.problems.iter().any(|p| p.contains("/PactumCheckpoint")
                && p.contains("document information")),
            "the finding must name the PDF's document information, where the checkpoint is unreadable: {:#?}",
            found.problems
        );
        assert!(
            !found.problems.iter().any(|p| p.contains("exchange file")),
            "the exchange file is not what is wrong: {:#?}",
            found.problems
        );
    }
}
