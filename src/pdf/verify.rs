//! Reading back a PDF's embedded signatures and Pactum's verification data.
//!
//! [`verify_pdf`] finds every signature by its `/ByteRange` in the raw bytes (so a damaged or
//! tampered file is still examined rather than refused), and for each one checks: that the
//! byte range is well formed and leaves out exactly the `/Contents` hex string; that SHA-256
//! over the ranges equals the CMS message-digest attribute; that the CMS signature verifies
//! with the P-256 key of the certificate it names; that the signing-certificate-v2 attribute
//! names that certificate; and which revision the signature covers — the whole file, or an
//! earlier revision followed by later updates. The SignedData is read as other signing tools
//! write it too (a certificate listed twice, sets out of DER order); the signer's certificate
//! is the one its signer info names. It also reads the document's content hash and history
//! checkpoint (`/PactumContentHash`, `/PactumCheckpoint` in the document information) as any
//! PDF string — a program that re-saves the file may use escapes or hex — reports an entry it
//! cannot read as such, and says whether they lie inside signed bytes. The result is a typed [`PdfReport`] with a plain
//! English summary in [`PdfReport::to_plain_words`]; trust in certificates (who issued them)
//! is not judged here — Pactum's own certificates are self-issued.

use std::collections::BTreeMap;

use cms::content_info::ContentInfo;
use cms::signed_data::{SignerIdentifier, SignerInfo};
use der::asn1::{AnyRef, GeneralizedTime, OctetString, UtcTime};
use der::oid::ObjectIdentifier;
use der::{Decode, Encode, Reader, SliceReader, Tag, TagNumber, Tagged};
use lopdf::{Document, Object};
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use serde::Serialize;
use sha2::{Digest, Sha256};
use spki::DecodePublicKey;
use x509_cert::ext::pkix::SubjectKeyIdentifier;
use x509_cert::Certificate;

use super::certificate::{self, oid as name_oid, ECDSA_WITH_SHA256};
use super::sign::{oid, SigningCertificateV2};
use crate::{Error, Result};

/// The subject key identifier extension (RFC 5280 4.2.1.2).
const SUBJECT_KEY_IDENTIFIER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");

/// What a PDF's signatures and verification data say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PdfReport {
    /// Size of the file in bytes.
    pub file_size: u32,
    /// Number of revisions (the original document plus one per incremental update).
    pub revisions: u32,
    /// Every embedded signature, in the order they appear in the file (oldest first).
    pub signatures: Vec<PdfSignatureReport>,
    /// Bytes at the end of the file that no valid signature covers (0 when the last
    /// signature covers the whole file, or when there is no signature).
    pub unsigned_tail: u32,
    /// The SHA-256 content hash of the agreement version, as embedded by Pactum.
    pub content_hash: Option<String>,
    /// The history checkpoint line, as embedded by Pactum.
    pub checkpoint: Option<String>,
    /// Pactum's entries in the document information that are there but cannot be read.
    pub unreadable_info: Vec<UnreadableInfo>,
    /// Whether the content hash and checkpoint lie in bytes covered by a valid signature.
    pub metadata_signed: bool,
    /// At least one signature, every signature valid, and nothing unsigned at the end.
    pub all_valid: bool,
}

/// A Pactum entry of the document information (the PDF's Info dictionary) that is present
/// but cannot be read, e.g. because another program wrote something other than a string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UnreadableInfo {
    /// The key, e.g. `/PactumCheckpoint`.
    pub key: String,
    /// Why it cannot be read, in plain English.
    pub reason: String,
}

/// Key of the content hash in the document information.
pub const CONTENT_HASH_KEY: &str = "/PactumContentHash";
/// Key of the history checkpoint in the document information.
pub const CHECKPOINT_KEY: &str = "/PactumCheckpoint";

/// One embedded signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PdfSignatureReport {
    /// 1-based position in the file.
    pub number: u32,
    /// Name of the signature field (e.g. `Signature1`), if the form can be read.
    pub field: Option<String>,
    /// Common name of the signer's certificate.
    pub signer: Option<String>,
    /// Organisation of the signer's certificate.
    pub organisation: Option<String>,
    /// Signing time claimed in the signature (RFC 3339, UTC).
    pub signing_time: Option<String>,
    /// SHA-256 fingerprint of the signer's certificate (lowercase hex).
    pub certificate_fingerprint: Option<String>,
    /// Whether the certificate was issued by its own subject (no authority vouches for it).
    pub self_issued: bool,
    /// The four numbers of `/ByteRange`.
    pub byte_range: Vec<u32>,
    /// The revision this signature covers (1-based), if its range ends where one ends.
    pub revision: Option<u32>,
    /// Whether the signed bytes reach the end of the file.
    pub covers_whole_file: bool,
    /// Bytes added after the signed revision (later signatures or changes).
    pub bytes_after: u32,
    /// SHA-256 of the signed bytes equals the digest inside the signature.
    pub digest_matches: bool,
    /// The CMS signature verifies with the certificate's public key.
    pub signature_verifies: bool,
    /// The signing-certificate-v2 attribute names this certificate.
    pub certificate_bound: bool,
    /// Structure, digest and signature are all in order.
    pub valid: bool,
    /// What is wrong, in plain English (empty when valid).
    pub problems: Vec<String>,
}

impl PdfReport {
    /// Fails with [`Error::PdfSignatureInvalid`] unless [`PdfReport::all_valid`].
    pub fn require_valid(self) -> Result<Self> {
        if self.all_valid {
            Ok(self)
        } else {
            Err(Error::PdfSignatureInvalid(self.to_plain_words()))
        }
    }

    /// Why the document-information entry `key` (e.g. [`CHECKPOINT_KEY`]) cannot be read, if
    /// it is there but unreadable.
    pub fn unreadable_reason(&self, key: &str) -> Option<&str> {
        self.unreadable_info
            .iter()
            .find(|u| u.key == key)
            .map(|u| u.reason.as_str())
    }

    /// A summary in plain English, one finding per line.
    pub fn to_plain_words(&self) -> String {
        let mut out = Vec::new();
        let n = self.signatures.len();
        out.push(match n {
            0 => format!(
                "This PDF has no digital signature ({} revision{}).",
                self.revisions,
                plural(self.revisions as usize)
            ),
            _ => format!(
                "This PDF has {n} digital signature{} in {} revision{}.",
                plural(n),
                self.revisions,
                plural(self.revisions as usize)
            ),
        });
        for s in &self.signatures {
            let who = match (&s.signer, &s.organisation) {
                (Some(name), Some(org)) => format!("{name} ({org})"),
                (Some(name), None) => name.clone(),
                _ => "an unnamed signer".to_string(),
            };
            let when = s
                .signing_time
                .as_deref()
                .map(|t| format!(", signed {t}"))
                .unwrap_or_default();
            let verdict = if s.valid {
                "valid — the signed bytes are unchanged and the signature matches the certificate"
                    .to_string()
            } else {
                format!("NOT VALID — {}", s.problems.join("; "))
            };
            out.push(format!("Signature {} by {who}{when}: {verdict}.", s.number));
            if s.valid {
                if s.covers_whole_file {
                    out.push("  It covers the whole file.".to_string());
                } else if let Some(r) = s.revision {
                    out.push(format!(
                        "  It covers revision {r} of {}; {} bytes were added after it{}.",
                        self.revisions,
                        s.bytes_after,
                        if self.later_bytes_signed(s) {
                            ", all of them covered by later valid signatures"
                        } else {
                            ""
                        }
                    ));
                }
            }
            if let Some(fp) = &s.certificate_fingerprint {
                out.push(format!(
                    "  Certificate SHA-256 fingerprint: {}{}",
                    certificate::grouped(fp),
                    if s.self_issued {
                        " (self-issued: compare the fingerprint with the one the signer gave you)"
                    } else {
                        ""
                    }
                ));
            }
        }
        if self.unsigned_tail > 0 && n > 0 {
            out.push(format!(
                "WARNING: the last {} bytes of the file are not covered by any valid signature; they were added or changed after signing.",
                self.unsigned_tail
            ));
        }
        match &self.content_hash {
            Some(h) => out.push(format!(
                "Content hash (SHA-256 of the agreement version): {h}"
            )),
            None if !self
                .unreadable_info
                .iter()
                .any(|u| u.key == CONTENT_HASH_KEY) =>
            {
                out.push("The file carries no Pactum content hash.".to_string())
            }
            None => {}
        }
        if let Some(c) = &self.checkpoint {
            out.push(format!("History checkpoint: {c}"));
        }
        for u in &self.unreadable_info {
            out.push(format!(
                "WARNING: {} in the PDF's document information (Info dictionary) cannot be read: {}.",
                u.key, u.reason
            ));
        }
        if (self.content_hash.is_some() || self.checkpoint.is_some()) && n > 0 {
            out.push(if self.metadata_signed {
                "The content hash and checkpoint are inside the signed bytes.".to_string()
            } else {
                "WARNING: the content hash or checkpoint is not inside signed bytes.".to_string()
            });
        }
        out.push(if self.all_valid {
            "Result: every signature is valid.".to_string()
        } else if n == 0 {
            "Result: nothing to verify — the file is not signed.".to_string()
        } else {
            "Result: the signatures do NOT all check out; do not rely on this file.".to_string()
        });
        out.join("\n")
    }

    /// Whether everything after `s` is covered by later valid signatures.
    fn later_bytes_signed(&self, s: &PdfSignatureReport) -> bool {
        self.signatures
            .iter()
            .any(|o| o.number > s.number && o.valid && o.covers_whole_file)
    }
}

fn signed_end(s: &PdfSignatureReport) -> u64 {
    match s.byte_range.as_slice() {
        [_, _, c, d] => u64::from(*c) + u64::from(*d),
        _ => 0,
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Largest file examined (the engine never writes PDFs anywhere near this).
const MAX_PDF_BYTES: usize = 512 * 1024 * 1024;

/// Checks every embedded signature of a PDF and reads Pactum's verification data.
/// Fails only when the bytes are not a PDF at all; everything else is in the report.
pub fn verify_pdf(bytes: &[u8]) -> Result<PdfReport> {
    if !bytes.starts_with(b"%PDF-") {
        return Err(Error::PdfUnreadable(
            "the file does not start with %PDF-".to_string(),
        ));
    }
    if bytes.len() > MAX_PDF_BYTES {
        return Err(Error::TooLarge {
            what: "the PDF".to_string(),
            actual: bytes.len() as u64,
            limit: MAX_PDF_BYTES as u64,
        });
    }
    let len = bytes.len();
    let revision_ends = revision_ends(bytes);
    let fields = field_names(bytes);
    let mut signatures = Vec::new();
    for (i, at) in find_all(bytes, b"/ByteRange").into_iter().enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let mut report = PdfSignatureReport {
            number,
            field: None,
            signer: None,
            organisation: None,
            signing_time: None,
            certificate_fingerprint: None,
            self_issued: false,
            byte_range: Vec::new(),
            revision: None,
            covers_whole_file: false,
            bytes_after: 0,
            digest_matches: false,
            signature_verifies: false,
            certificate_bound: false,
            valid: false,
            problems: Vec::new(),
        };
        check_signature(bytes, at, &revision_ends, &mut report);
        report.field = fields.get(&report.byte_range).cloned();
        report.valid = report.problems.is_empty()
            && report.digest_matches
            && report.signature_verifies
            && report.certificate_bound;
        signatures.push(report);
    }
    let covered_to = signatures
        .iter()
        .filter(|s| s.valid)
        .map(signed_end)
        .max()
        .unwrap_or(0);
    let first_signed_end = signatures.iter().filter(|s| s.valid).map(signed_end).min();
    let unsigned_tail = if signatures.is_empty() {
        0
    } else {
        (len as u64).saturating_sub(covered_to)
    };
    let mut unreadable_info = Vec::new();
    let mut read_info = |key: &str| match info_value(bytes, key.as_bytes()) {
        InfoEntry::Absent => (None, None),
        InfoEntry::Text { text, at } => (Some(text), Some(at)),
        InfoEntry::Unreadable { reason, at } => {
            unreadable_info.push(UnreadableInfo {
                key: key.to_string(),
                reason,
            });
            (None, Some(at))
        }
    };
    let (content_hash, hash_at) = read_info(CONTENT_HASH_KEY);
    let (checkpoint, checkpoint_at) = read_info(CHECKPOINT_KEY);
    let metadata_signed = match first_signed_end {
        Some(end) => {
            (content_hash.is_some() || checkpoint.is_some())
                && [hash_at, checkpoint_at]
                    .into_iter()
                    .flatten()
                    .all(|at| (at as u64) < end)
        }
        None => false,
    };
    let all_valid =
        !signatures.is_empty() && signatures.iter().all(|s| s.valid) && unsigned_tail == 0;
    Ok(PdfReport {
        file_size: clamp(len as u64),
        revisions: clamp(revision_ends.len().max(1) as u64),
        signatures,
        unsigned_tail: clamp(unsigned_tail),
        content_hash,
        checkpoint,
        unreadable_info,
        metadata_signed,
        all_valid,
    })
}

fn clamp(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// Checks one signature whose `/ByteRange` key starts at `at`, filling in `r`.
fn check_signature(bytes: &[u8], at: usize, revision_ends: &[usize], r: &mut PdfSignatureReport) {
    let len = bytes.len();
    let Some(range) = parse_byte_range(&bytes[at + b"/ByteRange".len()..]) else {
        r.problems.push("its /ByteRange cannot be read".to_string());
        return;
    };
    r.byte_range = range.iter().map(|v| clamp(*v)).collect();
    let [a, b, c, d] = range;
    let (b, c, d) = (b as usize, c as usize, d as usize);
    let well_formed = a == 0
        && b < c
        && c.checked_add(d).is_some_and(|end| end <= len)
        && bytes.get(b) == Some(&b'<')
        && bytes.get(c - 1) == Some(&b'>')
        && bytes[b + 1..c - 1].iter().all(u8::is_ascii_hexdigit);
    if !well_formed {
        r.problems.push(
            "its /ByteRange does not leave out exactly the signature value; the signed bytes cannot be trusted"
                .to_string(),
        );
        return;
    }
    let end = c + d;
    r.covers_whole_file = end == len;
    r.bytes_after = clamp((len - end) as u64);
    r.revision = revision_ends
        .iter()
        .position(|&e| e == end || trim_eol(bytes, e) == trim_eol(bytes, end))
        .map(|i| clamp(i as u64 + 1));
    let mut hasher = Sha256::new();
    hasher.update(&bytes[..b]);
    hasher.update(&bytes[c..end]);
    let digest = hasher.finalize();

    let Ok(der) = hex::decode(&bytes[b + 1..c - 1]) else {
        r.problems
            .push("its signature value is not hexadecimal".to_string());
        return;
    };
    let cms = match SliceReader::new(&der).and_then(|mut reader| reader.decode::<ContentInfo>()) {
        Ok(ci) if ci.content_type == oid::SIGNED_DATA => ci,
        _ => {
            r.problems
                .push("its signature value is not a CMS SignedData structure".to_string());
            return;
        }
    };
    let Ok((certs, infos)) = signed_data_parts(&cms.content) else {
        r.problems
            .push("its CMS SignedData cannot be decoded".to_string());
        return;
    };
    let [info] = infos.as_slice() else {
        r.problems.push(format!(
            "it holds {} signer infos instead of one",
            infos.len()
        ));
        return;
    };
    let cert = certs.iter().find(|c| identifies(&info.sid, c));
    let Some(cert) = cert else {
        r.problems
            .push("the signer's certificate is not in the signature".to_string());
        return;
    };
    let Ok(cert_der) = cert.to_der() else {
        r.problems
            .push("the signer's certificate cannot be encoded".to_string());
        return;
    };
    let subject = &cert.tbs_certificate.subject;
    r.signer = certificate::name_attribute(subject, name_oid::COMMON_NAME);
    r.organisation = certificate::name_attribute(subject, name_oid::ORGANIZATION);
    r.certificate_fingerprint = Some(certificate::fingerprint(&cert_der));
    r.self_issued = cert.tbs_certificate.issuer == *subject;

    if info.digest_alg.oid != oid::SHA256 {
        r.problems.push(format!(
            "it uses the digest algorithm {}, which Pactum does not check (only SHA-256)",
            info.digest_alg.oid
        ));
        return;
    }
    let Some(attrs) = &info.signed_attrs else {
        r.problems
            .push("it has no signed attributes (required for PAdES)".to_string());
        return;
    };
    let attr = |wanted| {
        attrs
            .iter()
            .find(|a| a.oid == wanted)
            .and_then(|a| a.values.iter().next())
    };
    if attr(oid::CONTENT_TYPE).and_then(|v| v.decode_as::<der::oid::ObjectIdentifier>().ok())
        != Some(oid::DATA)
    {
        r.problems
            .push("its content-type attribute is missing or not id-data".to_string());
    }
    match attr(oid::MESSAGE_DIGEST).and_then(|v| v.decode_as::<OctetString>().ok()) {
        Some(md) if md.as_bytes() == digest.as_slice() => r.digest_matches = true,
        Some(_) => r
            .problems
            .push("the signed bytes have changed since signing (digest mismatch)".to_string()),
        None => r
            .problems
            .push("it has no message-digest attribute".to_string()),
    }
    if let Some(time) = attr(oid::SIGNING_TIME) {
        let t = time
            .decode_as::<UtcTime>()
            .map(|t| t.to_unix_duration())
            .or_else(|_| {
                time.decode_as::<GeneralizedTime>()
                    .map(|t| t.to_unix_duration())
            });
        if let Ok(d) = t {
            r.signing_time = i64::try_from(d.as_secs())
                .ok()
                .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
                .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        }
    }
    match attr(oid::SIGNING_CERTIFICATE_V2).and_then(|v| v.decode_as::<SigningCertificateV2>().ok())
    {
        Some(ess) => {
            let hash = Sha256::digest(&cert_der);
            if ess
                .certs
                .first()
                .is_some_and(|id| id.cert_hash.as_bytes() == hash.as_slice())
            {
                r.certificate_bound = true;
            } else {
                r.problems.push(
                    "its signing-certificate attribute names another certificate".to_string(),
                );
            }
        }
        None => r
            .problems
            .push("it has no signing-certificate-v2 attribute (required for PAdES)".to_string()),
    }
    if info.signature_algorithm.oid != ECDSA_WITH_SHA256 {
        r.problems.push(format!(
            "it uses the signature algorithm {}, which Pactum does not check (only ECDSA P-256 with SHA-256)",
            info.signature_algorithm.oid
        ));
        return;
    }
    let key = cert
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .ok()
        .and_then(|spki| VerifyingKey::from_public_key_der(&spki).ok());
    let Some(key) = key else {
        r.problems
            .push("the certificate's key is not a P-256 key".to_string());
        return;
    };
    let (Ok(signed_attrs_der), Ok(signature)) = (
        attrs.to_der(),
        Signature::from_der(info.signature.as_bytes()),
    ) else {
        r.problems
            .push("the signature value cannot be decoded".to_string());
        return;
    };
    if key.verify(&signed_attrs_der, &signature).is_ok() {
        r.signature_verifies = true;
    } else {
        r.problems
            .push("the signature does not verify with the certificate's key".to_string());
    }
}

/// The certificates and signer infos of a CMS SignedData (RFC 5652 5.1), read element by
/// element. `certificates` and `signerInfos` are SETs, which DER wants sorted and free of
/// duplicates; other signing tools list the signer's certificate twice or a chain in issuing
/// order, and `pdfsig` accepts that, so the strict decoder (which refuses such a set as a
/// whole) is not used here. Identical certificates are kept once; entries other than X.509
/// certificates (attribute certificates, CRLs) are skipped.
fn signed_data_parts(content: &der::Any) -> der::Result<(Vec<Certificate>, Vec<SignerInfo>)> {
    if content.tag() != Tag::Sequence {
        return Err(content.tag().unexpected_error(Some(Tag::Sequence)));
    }
    let mut reader = SliceReader::new(content.value())?;
    // version, digestAlgorithms, encapContentInfo: not needed to check the signature.
    for _ in 0..3 {
        reader.decode::<AnyRef<'_>>()?;
    }
    let mut certs: Vec<(Vec<u8>, Certificate)> = Vec::new();
    let mut infos = Vec::new();
    while !reader.is_finished() {
        let element: AnyRef<'_> = reader.decode()?;
        match element.tag() {
            Tag::ContextSpecific {
                constructed: true,
                number,
            } if number == TagNumber::N0 => {
                let mut set = SliceReader::new(element.value())?;
                while !set.is_finished() {
                    let choice: AnyRef<'_> = set.decode()?;
                    if choice.tag() != Tag::Sequence {
                        continue;
                    }
                    let der = choice.to_der()?;
                    if !certs.iter().any(|(known, _)| *known == der) {
                        let cert = Certificate::from_der(&der)?;
                        certs.push((der, cert));
                    }
                }
            }
            Tag::ContextSpecific { number, .. } if number == TagNumber::N1 => {}
            Tag::Set => {
                let mut set = SliceReader::new(element.value())?;
                while !set.is_finished() {
                    infos.push(set.decode::<SignerInfo>()?);
                }
            }
            other => return Err(other.unexpected_error(None)),
        }
    }
    Ok((certs.into_iter().map(|(_, c)| c).collect(), infos))
}

/// Whether `cert` is the one a signer info names: by issuer and serial number, or by the
/// certificate's subject key identifier extension.
fn identifies(sid: &SignerIdentifier, cert: &Certificate) -> bool {
    let tbs = &cert.tbs_certificate;
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(ias) => {
            tbs.issuer == ias.issuer && tbs.serial_number == ias.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => tbs
            .extensions
            .iter()
            .flatten()
            .filter(|e| e.extn_id == SUBJECT_KEY_IDENTIFIER)
            .filter_map(|e| SubjectKeyIdentifier::from_der(e.extn_value.as_bytes()).ok())
            .any(|own| own == *ski),
    }
}

/// Parses `[a b c d]` after `/ByteRange` (whitespace allowed anywhere).
fn parse_byte_range(rest: &[u8]) -> Option<[u64; 4]> {
    let rest = &rest[..rest.len().min(200)];
    let open = rest.iter().position(|b| !b.is_ascii_whitespace())?;
    if rest[open] != b'[' {
        return None;
    }
    let close = rest.iter().position(|&b| b == b']')?;
    let inner = std::str::from_utf8(&rest[open + 1..close]).ok()?;
    let numbers: Vec<u64> = inner
        .split_ascii_whitespace()
        .map(str::parse)
        .collect::<std::result::Result<_, _>>()
        .ok()?;
    numbers.try_into().ok()
}

/// Where each revision ends: after each `%%EOF` and the line end that follows it.
fn revision_ends(bytes: &[u8]) -> Vec<usize> {
    find_all(bytes, b"%%EOF")
        .into_iter()
        .map(|at| {
            let mut end = at + 5;
            if bytes.get(end) == Some(&b'\r') {
                end += 1;
            }
            if bytes.get(end) == Some(&b'\n') {
                end += 1;
            }
            end
        })
        .collect()
}

/// `end` with trailing line-end bytes before it removed.
fn trim_eol(bytes: &[u8], mut end: usize) -> usize {
    while end > 0 && matches!(bytes.get(end - 1), Some(b'\r' | b'\n')) {
        end -= 1;
    }
    end
}

fn find_all(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
    {
        out.push(from + pos);
        from += pos + needle.len();
    }
    out
}

/// The last value of `key` in the file (Pactum writes it into the document information, and
/// an incremental update that rewrites the dictionary comes later in the file), with the
/// position of the key. Other programs that save the file may write the same text
/// differently, so the value is read as any PDF string (ISO 32000-1 7.3.4): a literal string
/// with all its escapes, octal codes of one to three digits, line continuations and balanced
/// parentheses, or a hex string; as a text string it may be UTF-16BE or UTF-8 with a byte
/// order mark. Pactum's values are printable ASCII, so anything else is unreadable.
fn info_value(bytes: &[u8], key: &[u8]) -> InfoEntry {
    let mut end = bytes.len();
    let at = loop {
        let Some(at) = super::sign::rfind(&bytes[..end], key) else {
            return InfoEntry::Absent;
        };
        // `/PactumCheckpointOld` is another key.
        match bytes.get(at + key.len()) {
            Some(b) if !is_whitespace(*b) && !is_delimiter(*b) => end = at,
            _ => break at,
        }
    };
    let rest = &bytes[at + key.len()..];
    let rest = &rest[..rest.len().min(MAX_INFO_VALUE)];
    match pdf_string(rest).and_then(text_string) {
        Ok(text) => InfoEntry::Text { text, at },
        Err(reason) => InfoEntry::Unreadable { reason, at },
    }
}

/// Longest stretch read for one document-information value (a checkpoint is about 350
/// characters; written with an octal escape for each, four times that).
const MAX_INFO_VALUE: usize = 16 * 1024;

/// What the document information holds for one key.
#[derive(Debug, PartialEq, Eq)]
enum InfoEntry {
    Absent,
    Text { text: String, at: usize },
    Unreadable { reason: String, at: usize },
}

/// PDF white-space characters (ISO 32000-1 7.2.2, table 1).
fn is_whitespace(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// PDF delimiter characters (ISO 32000-1 7.2.2, table 2).
fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// The bytes of the string object that `rest` starts with, after white space and comments.
fn pdf_string(rest: &[u8]) -> std::result::Result<Vec<u8>, String> {
    let mut i = 0;
    loop {
        match rest.get(i) {
            Some(b) if is_whitespace(*b) => i += 1,
            Some(b'%') => {
                while rest.get(i).is_some_and(|b| !matches!(b, b'\r' | b'\n')) {
                    i += 1;
                }
            }
            _ => break,
        }
    }
    match (rest.get(i), rest.get(i + 1)) {
        (Some(b'('), _) => literal_string(&rest[i + 1..]),
        (Some(b'<'), Some(b'<')) => Err("its value is a dictionary, not a string".to_string()),
        (Some(b'<'), _) => hex_string(&rest[i + 1..]),
        (None, _) => Err("the file ends after the key".to_string()),
        (Some(_), _) => Err("its value is not a string".to_string()),
    }
}

/// A literal string's bytes (ISO 32000-1 7.3.4.2); `body` starts after the opening
/// parenthesis.
fn literal_string(body: &[u8]) -> std::result::Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut depth = 1u32;
    let mut i = 0;
    while let Some(&c) = body.get(i) {
        i += 1;
        match c {
            b'\\' => {
                let Some(&e) = body.get(i) else {
                    break;
                };
                i += 1;
                match e {
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'b' => out.push(0x08),
                    b'f' => out.push(0x0c),
                    b'0'..=b'7' => {
                        let mut code = u32::from(e - b'0');
                        for _ in 0..2 {
                            match body.get(i) {
                                Some(d @ b'0'..=b'7') => {
                                    code = code * 8 + u32::from(d - b'0');
                                    i += 1;
                                }
                                _ => break,
                            }
                        }
                        // High-order overflow is ignored (7.3.4.2).
                        out.push((code & 0xff) as u8);
                    }
                    // A backslash at the end of a line continues the string on the next.
                    b'\r' => {
                        if body.get(i) == Some(&b'\n') {
                            i += 1;
                        }
                    }
                    b'\n' => {}
                    // `\(`, `\)`, `\\`; before any other character the backslash is ignored.
                    other => out.push(other),
                }
            }
            b'(' => {
                depth += 1;
                out.push(c);
            }
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Ok(out);
                }
                out.push(c);
            }
            // An unescaped end of line, whichever form, is one line feed.
            b'\r' => {
                if body.get(i) == Some(&b'\n') {
                    i += 1;
                }
                out.push(b'\n');
            }
            _ => out.push(c),
        }
    }
    Err("its string does not end (an unbalanced parenthesis)".to_string())
}

/// A hex string's bytes (ISO 32000-1 7.3.4.3); `body` starts after `<`. White space is
/// ignored, a missing last digit is 0.
fn hex_string(body: &[u8]) -> std::result::Result<Vec<u8>, String> {
    let mut digits = Vec::new();
    for &c in body {
        match c {
            b'>' => {
                if digits.len() % 2 == 1 {
                    digits.push(b'0');
                }
                return hex::decode(&digits)
                    .map_err(|_| "its hex string cannot be decoded".to_string());
            }
            c if c.is_ascii_hexdigit() => digits.push(c),
            c if is_whitespace(c) => {}
            _ => return Err("its hex string holds a character that is not a hex digit".to_string()),
        }
    }
    Err("its hex string does not end".to_string())
}

/// A text string (ISO 32000-1 7.9.2.2) as Pactum's printable ASCII.
fn text_string(bytes: Vec<u8>) -> std::result::Result<String, String> {
    let text = if let Some(utf16) = bytes.strip_prefix(&[0xfe, 0xff]) {
        if utf16.len() % 2 == 1 {
            return Err("its UTF-16 text has an odd number of bytes".to_string());
        }
        let units: Vec<u16> = utf16
            .chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect();
        String::from_utf16(&units).map_err(|_| "its UTF-16 text is not valid".to_string())?
    } else if let Some(utf8) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        String::from_utf8(utf8.to_vec()).map_err(|_| "its UTF-8 text is not valid".to_string())?
    } else {
        // PDFDocEncoding agrees with ASCII on the printable characters.
        bytes.iter().map(|&b| char::from(b)).collect()
    };
    if text.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
        Ok(text)
    } else {
        Err(
            "it holds characters other than printable ASCII, which Pactum never writes there"
                .to_string(),
        )
    }
}

/// Field names by the byte range of their signature, read with lopdf (empty if the file
/// cannot be parsed).
fn field_names(bytes: &[u8]) -> BTreeMap<Vec<u32>, String> {
    let mut out = BTreeMap::new();
    let Ok(doc) = Document::load_mem(bytes) else {
        return out;
    };
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else {
            continue;
        };
        if dict.get(b"FT").and_then(Object::as_name).ok() != Some(b"Sig".as_slice()) {
            continue;
        }
        let (Ok(name), Ok(value)) = (dict.get(b"T"), dict.get(b"V")) else {
            continue;
        };
        let Ok((_, Object::Dictionary(sig))) = doc.dereference(value) else {
            continue;
        };
        let Ok(range) = sig.get(b"ByteRange").and_then(Object::as_array) else {
            continue;
        };
        let range: Vec<u32> = range
            .iter()
            .filter_map(|o| o.as_i64().ok())
            .map(|v| clamp(v.max(0) as u64))
            .collect();
        if let Ok(name) = name.as_str() {
            out.insert(range, String::from_utf8_lossy(name).into_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> InfoEntry {
        info_value(bytes, b"/K")
    }

    fn text(value: &str) -> InfoEntry {
        InfoEntry::Text {
            text: value.to_string(),
            at: 3,
        }
    }

    #[test]
    fn literal_strings_are_read_with_every_escape_of_iso_32000() {
        for (written, meant) in [
            (r"<< /K (plain) >>", "plain"),
            (r"<< /K (a\050b\51c\0621) >>", "a(b)c21"),
            (
                r"<< /K (\(x\) \\ (balanced (nested)) y) >>",
                "(x) \\ (balanced (nested)) y",
            ),
            ("<< /K (con\\\ntinued \\\r\nlines) >>", "continued lines"),
            (r"<< /K (\-ignored\:) >>", "-ignored:"),
            (r"<< /K (\1010) >>", "A0"),
            (r"<< /K <41 42 4> >>", "AB@"),
            (r"<< /K <FEFF00410042> >>", "AB"),
            ("<< /K % a comment\n (after) >>", "after"),
        ] {
            assert_eq!(
                read(written.as_bytes()),
                text(meant),
                "{written} stands for {meant:?}"
            );
        }
    }

    #[test]
    fn values_that_are_no_printable_string_are_unreadable_not_absent() {
        for written in [
            "<< /K 42 >>",
            "<< /K (unbalanced (paren) >>",
            "<< /K <4G> >>",
            "<< /K (line\nbreak) >>",
        ] {
            assert!(
                matches!(
                    read(written.as_bytes()),
                    InfoEntry::Unreadable { at: 3, .. }
                ),
                "{written} is there but cannot be Pactum's value"
            );
        }
        assert_eq!(read(b"<< /Other (x) >>"), InfoEntry::Absent);
        assert_eq!(
            read(b"<< /K (right) /Kx (wrong) >>"),
            text("right"),
            "a longer key is another key"
        );
    }
}
