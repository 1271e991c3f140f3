//! PDF digital signatures (PAdES): one incremental update per signer.
//!
//! [`sign_pdf`] appends to the file — it never rewrites a byte of what is there, so every
//! earlier signature stays valid. The update holds: a signature dictionary
//! (`/Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached`) with a fixed-width `/ByteRange`
//! and a `/Contents` placeholder; a signature field merged with its visible widget annotation,
//! whose appearance stream draws the signer's name, role and time as glyph outlines of the
//! embedded Liberation Sans (no font resource, so no unembedded font in the file); the
//! AcroForm with `/SigFlags 3` listing every field, earlier ones included; the page with its
//! `/Annots` extended; an xref section and a trailer with `/Prev`. Then the byte ranges are
//! filled in, SHA-256 is taken over everything but the `/Contents` hex string, and a detached
//! CMS SignedData (signed attributes: content type, message digest, signing time,
//! signing-certificate-v2) signed with the signer's P-256 key is written into the placeholder.
//!
//! Invariants: lopdf is only used to read the existing document (root, pages, AcroForm,
//! annotations). An object that changes (catalog, page or its annotation array) is written
//! again as its original text with one key or array entry added, so every number and string
//! is copied byte for byte and a reader comparing revisions sees nothing changed besides the
//! new field; only an object stored in an object stream is re-serialised instead (with reals
//! in lopdf's shortest form, which is exact for files lopdf or printpdf wrote). The result
//! contains no actions, JavaScript or embedded files.

use std::collections::BTreeMap;
use std::io::Write as _;

use chrono::{DateTime, Datelike, Utc};
use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::signed_data::{EncapsulatedContentInfo, SignerIdentifier};
use der::asn1::{OctetString, SetOfVec, UtcTime};
use der::{Any, Decode, Encode};
use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};
use p256::ecdsa::{DerSignature, SigningKey};
use sha2::{Digest, Sha256};
use spki::{AlgorithmIdentifierOwned, EncodePublicKey};
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;
use x509_cert::Certificate;

use super::certificate::EcdsaSha256;
use super::font::{metrics, Style};
use crate::{Error, Result};

/// Where the visible signature goes: a page (0-based) and a rectangle in PDF points
/// (`[x1, y1, x2, y2]`, origin bottom left).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SignatureField {
    pub page: usize,
    pub rect: [f32; 4],
}

/// One signer of a PDF.
#[derive(Debug, Clone)]
pub struct PdfSigner<'a> {
    /// The signer's P-256 key; its public key must be the certificate's.
    pub key: &'a SigningKey,
    /// The signer's X.509 certificate in DER (e.g. from [`super::certificate::self_issued`]).
    pub certificate_der: &'a [u8],
    /// Shown in the signature appearance and written as `/Name`.
    pub name: String,
    /// Shown under the name in the signature appearance (e.g. "Service Manager").
    pub role: String,
    /// `/Reason` of the signature dictionary.
    pub reason: String,
    /// `/Location`, if any.
    pub location: Option<String>,
    /// The time of signing: `/M` and the CMS signing-time attribute.
    pub time: DateTime<Utc>,
    pub field: SignatureField,
}

/// Bytes reserved for the CMS signature (written as twice as many hex digits). One P-256
/// certificate and signature need about 1.1 KB; the rest leaves room for a certificate chain.
const CONTENTS_CAPACITY: usize = 8192;
/// The `/ByteRange` placeholder; filled in with spaces before the closing bracket.
const BYTE_RANGE_PLACEHOLDER: &str = "[0 0000000000 0000000000 0000000000]";

/// Object identifiers used in the CMS structure.
pub(crate) mod oid {
    use der::oid::ObjectIdentifier;
    pub const DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
    pub const SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
    pub const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
    pub const CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
    pub const MESSAGE_DIGEST: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
    pub const SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
    pub const SIGNING_CERTIFICATE_V2: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
}

/// `SigningCertificateV2` (RFC 5035) with one `ESSCertIDv2`, hash algorithm SHA-256 (the
/// default, so left out).
#[derive(Debug, Clone, der::Sequence)]
pub(crate) struct SigningCertificateV2 {
    pub certs: Vec<EssCertIdV2>,
}

#[derive(Debug, Clone, der::Sequence)]
pub(crate) struct EssCertIdV2 {
    pub cert_hash: OctetString,
    pub issuer_serial: Option<IssuerSerial>,
}

#[derive(Debug, Clone, der::Sequence)]
pub(crate) struct IssuerSerial {
    pub issuer: Vec<GeneralName>,
    pub serial_number: SerialNumber,
}

/// Signs `pdf` for one signer by appending one incremental update; returns the whole file.
/// Call it once per signer: earlier signatures stay valid, each covering its own revision.
pub fn sign_pdf(pdf: &[u8], signer: &PdfSigner) -> Result<Vec<u8>> {
    let certificate = Certificate::from_der(signer.certificate_der).map_err(|e| {
        Error::invalid(
            "$.signer.certificate",
            format!("not a DER X.509 certificate: {e}"),
        )
    })?;
    let cert_key = certificate
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .map_err(|e| internal(format!("certificate key: {e}")))?;
    let own_key = signer
        .key
        .verifying_key()
        .to_public_key_der()
        .map_err(|e| internal(format!("public key: {e}")))?;
    if cert_key != own_key.as_bytes() {
        return Err(Error::invalid(
            "$.signer.certificate",
            "the certificate belongs to another key than the one signing",
        ));
    }
    let [x1, y1, x2, y2] = signer.field.rect;
    if !signer.field.rect.iter().all(|v| v.is_finite()) || x2 - x1 < 1.0 || y2 - y1 < 1.0 {
        return Err(Error::invalid(
            "$.signer.field.rect",
            "the signature rectangle must be [x1, y1, x2, y2] with x2 > x1 and y2 > y1",
        ));
    }

    let doc = Document::load_mem(pdf).map_err(|e| Error::PdfUnreadable(e.to_string()))?;
    if doc.is_encrypted() {
        return Err(Error::PdfUnreadable(
            "the PDF is encrypted; Pactum signs only unencrypted PDFs".to_string(),
        ));
    }
    let prev = last_startxref(pdf)?;
    let root_id = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| Error::PdfUnreadable("the trailer names no catalog".to_string()))?;
    let mut catalog = doc.get_dictionary(root_id).map_err(unreadable)?.clone();
    let pages = doc.get_pages();
    let page_number = u32::try_from(signer.field.page + 1).unwrap_or(u32::MAX);
    let page_id = *pages.get(&page_number).ok_or_else(|| {
        Error::invalid(
            "$.signer.field.page",
            format!(
                "the PDF has {} pages; there is no page {}",
                pages.len(),
                signer.field.page + 1
            ),
        )
    })?;
    let mut page = doc.get_dictionary(page_id).map_err(unreadable)?.clone();

    let size = doc
        .trailer
        .get(b"Size")
        .and_then(Object::as_i64)
        .ok()
        .and_then(|s| u32::try_from(s).ok())
        .unwrap_or(0)
        .max(doc.max_id + 1);
    let sig_id: ObjectId = (size, 0);
    let widget_id: ObjectId = (size + 1, 0);
    let ap_id: ObjectId = (size + 2, 0);
    let mut next_free = size + 3;

    // The AcroForm, wherever it lives, with the new field added.
    enum Place {
        Object(ObjectId),
        InCatalog,
    }
    let (mut acroform, acroform_place) = match catalog.get(b"AcroForm") {
        Ok(Object::Reference(id)) => (
            doc.get_dictionary(*id).map_err(unreadable)?.clone(),
            Place::Object(*id),
        ),
        Ok(Object::Dictionary(d)) => (d.clone(), Place::InCatalog),
        _ => {
            let id = (next_free, 0);
            next_free += 1;
            (Dictionary::new(), Place::Object(id))
        }
    };
    let mut fields: Vec<Object> = match acroform.get(b"Fields") {
        Ok(obj) => doc
            .dereference(obj)
            .ok()
            .and_then(|(_, o)| o.as_array().ok().cloned())
            .unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    let taken: Vec<Vec<u8>> = fields
        .iter()
        .filter_map(|f| doc.dereference(f).ok())
        .filter_map(|(_, o)| o.as_dict().ok())
        .filter_map(|d| d.get(b"T").ok().and_then(|t| t.as_str().ok()))
        .map(<[u8]>::to_vec)
        .collect();
    let field_name = (1..)
        .map(|n| format!("Signature{n}"))
        .find(|n| !taken.iter().any(|t| t == n.as_bytes()))
        .expect("some field name is free");
    fields.push(Object::Reference(widget_id));
    acroform.set("Fields", Object::Array(fields));
    acroform.set("SigFlags", Object::Integer(3));

    // The page's annotations, wherever they live, with the widget added.
    let mut annots_object: Option<(ObjectId, Vec<Object>)> = None;
    match page.get(b"Annots") {
        Ok(Object::Reference(id)) => {
            let mut list = doc
                .get_object(*id)
                .ok()
                .and_then(|o| o.as_array().ok().cloned())
                .unwrap_or_default();
            list.push(Object::Reference(widget_id));
            annots_object = Some((*id, list));
        }
        Ok(Object::Array(list)) => {
            let mut list = list.clone();
            list.push(Object::Reference(widget_id));
            page.set("Annots", Object::Array(list));
        }
        _ => page.set("Annots", Object::Array(vec![Object::Reference(widget_id)])),
    }

    // Write the update.
    let mut out = Vec::with_capacity(pdf.len() + 2 * CONTENTS_CAPACITY + 16 * 1024);
    out.extend_from_slice(pdf);
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut offsets: BTreeMap<u32, (usize, u16)> = BTreeMap::new();

    // 1. The signature dictionary, with placeholders.
    offsets.insert(sig_id.0, (out.len(), 0));
    let _ = write!(
        out,
        "{} 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange ",
        sig_id.0
    );
    let byte_range_at = out.len();
    out.extend_from_slice(BYTE_RANGE_PLACEHOLDER.as_bytes());
    out.extend_from_slice(b"\n/Contents ");
    let contents_at = out.len();
    out.push(b'<');
    out.resize(out.len() + 2 * CONTENTS_CAPACITY, b'0');
    out.push(b'>');
    let contents_end = out.len();
    out.extend_from_slice(b"\n/M ");
    write_object(&mut out, &pdf_date(signer.time));
    out.extend_from_slice(b" /Name ");
    write_object(&mut out, &text_string(&signer.name));
    if !signer.reason.is_empty() {
        out.extend_from_slice(b" /Reason ");
        write_object(&mut out, &text_string(&signer.reason));
    }
    if let Some(location) = signer.location.as_deref().filter(|l| !l.is_empty()) {
        out.extend_from_slice(b" /Location ");
        write_object(&mut out, &text_string(location));
    }
    out.extend_from_slice(
        b" /Prop_Build << /Filter << /Name /Adobe.PPKLite >> /App << /Name /Pactum >> >> >>\nendobj\n",
    );

    // 2. The field and its widget.
    let mut widget = Dictionary::new();
    widget.set("Type", Object::Name(b"Annot".to_vec()));
    widget.set("Subtype", Object::Name(b"Widget".to_vec()));
    widget.set("FT", Object::Name(b"Sig".to_vec()));
    widget.set(
        "T",
        Object::String(field_name.into_bytes(), StringFormat::Literal),
    );
    widget.set("TU", text_string(&signer.name));
    widget.set("V", Object::Reference(sig_id));
    // Print + Locked.
    widget.set("F", Object::Integer(132));
    widget.set("P", Object::Reference(page_id));
    widget.set(
        "Rect",
        Object::Array(signer.field.rect.iter().map(|v| real(*v)).collect()),
    );
    let mut ap = Dictionary::new();
    ap.set("N", Object::Reference(ap_id));
    widget.set("AP", Object::Dictionary(ap));
    widget.set(
        "Border",
        Object::Array(vec![
            Object::Integer(0),
            Object::Integer(0),
            Object::Integer(0),
        ]),
    );
    write_indirect(
        &mut out,
        &mut offsets,
        widget_id,
        &Object::Dictionary(widget),
    );

    // 3. The appearance: name, role and time drawn as glyph outlines.
    let (w, h) = (x2 - x1, y2 - y1);
    let content = appearance(signer, w, h);
    let compressed = deflate(&content);
    offsets.insert(ap_id.0, (out.len(), 0));
    let _ = write!(
        out,
        "{} 0 obj\n<< /Type /XObject /Subtype /Form /FormType 1 /BBox [0 0 {} {}] /Resources << >> /Filter /FlateDecode /Length {} >>\nstream\n",
        ap_id.0,
        number(w),
        number(h),
        compressed.len()
    );
    out.extend_from_slice(&compressed);
    out.extend_from_slice(b"\nendstream\nendobj\n");

    // 4. AcroForm, catalog, page or annotation array.
    match acroform_place {
        Place::Object(id) => {
            if catalog.get(b"AcroForm").ok() != Some(&Object::Reference(id)) {
                let reference = format!("{} {} R", id.0, id.1).into_bytes();
                let patched = raw_object(pdf, &doc, root_id)
                    .and_then(|raw| patch_dict(raw, b"/AcroForm", |_| Some(reference)));
                catalog.set("AcroForm", Object::Reference(id));
                write_copy(
                    &mut out,
                    &mut offsets,
                    root_id,
                    patched,
                    &Object::Dictionary(catalog),
                );
            }
            write_indirect(&mut out, &mut offsets, id, &Object::Dictionary(acroform));
        }
        Place::InCatalog => {
            catalog.set("AcroForm", Object::Dictionary(acroform));
            write_indirect(
                &mut out,
                &mut offsets,
                root_id,
                &Object::Dictionary(catalog),
            );
        }
    }
    let widget_ref = format!("{} 0 R", widget_id.0).into_bytes();
    match annots_object {
        Some((id, list)) => {
            let patched =
                raw_object(pdf, &doc, id).and_then(|raw| append_to_array(raw, &widget_ref));
            write_copy(&mut out, &mut offsets, id, patched, &Object::Array(list));
        }
        None => {
            let patched = raw_object(pdf, &doc, page_id).and_then(|raw| {
                patch_dict(raw, b"/Annots", |old| match old {
                    Some(array) => append_to_array(array, &widget_ref),
                    None => Some([b"[".as_slice(), &widget_ref, b"]"].concat()),
                })
            });
            write_copy(
                &mut out,
                &mut offsets,
                page_id,
                patched,
                &Object::Dictionary(page),
            );
        }
    }

    // 5. Cross-reference section and trailer.
    let xref_at = out.len();
    out.extend_from_slice(b"xref\n");
    let ids: Vec<u32> = offsets.keys().copied().collect();
    let mut i = 0;
    while i < ids.len() {
        let mut j = i + 1;
        while j < ids.len() && ids[j] == ids[j - 1] + 1 {
            j += 1;
        }
        let _ = writeln!(out, "{} {}", ids[i], j - i);
        for id in &ids[i..j] {
            let (offset, generation) = offsets[id];
            let _ = write!(out, "{offset:010} {generation:05} n\r\n");
        }
        i = j;
    }
    let mut trailer = Dictionary::new();
    trailer.set("Size", Object::Integer(i64::from(next_free)));
    trailer.set("Root", Object::Reference(root_id));
    if let Ok(info) = doc.trailer.get(b"Info") {
        trailer.set("Info", info.clone());
    }
    if let Ok(id) = doc.trailer.get(b"ID") {
        trailer.set("ID", id.clone());
    }
    trailer.set("Prev", Object::Integer(prev as i64));
    out.extend_from_slice(b"trailer\n");
    write_object(&mut out, &Object::Dictionary(trailer));
    let _ = write!(out, "\nstartxref\n{xref_at}\n%%EOF\n");

    // 6. Byte ranges, digest, CMS.
    let range = [0, contents_at, contents_end, out.len() - contents_end];
    let mut filled = format!("[{} {} {} {}", range[0], range[1], range[2], range[3]);
    if filled.len() + 1 > BYTE_RANGE_PLACEHOLDER.len() {
        return Err(internal("the file is too large to sign".to_string()));
    }
    while filled.len() + 1 < BYTE_RANGE_PLACEHOLDER.len() {
        filled.push(' ');
    }
    filled.push(']');
    out[byte_range_at..byte_range_at + filled.len()].copy_from_slice(filled.as_bytes());
    let mut hasher = Sha256::new();
    hasher.update(&out[..contents_at]);
    hasher.update(&out[contents_end..]);
    let digest = hasher.finalize();
    let cms = cms_signature(&digest, signer, certificate)?;
    if cms.len() > CONTENTS_CAPACITY {
        return Err(internal(format!(
            "the signature needs {} bytes, more than the {CONTENTS_CAPACITY} reserved",
            cms.len()
        )));
    }
    let hex = hex::encode_upper(&cms);
    out[contents_at + 1..contents_at + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(out)
}

/// The detached CMS SignedData over `digest` (SHA-256 of the byte ranges).
fn cms_signature(digest: &[u8], signer: &PdfSigner, certificate: Certificate) -> Result<Vec<u8>> {
    let econtent = EncapsulatedContentInfo {
        econtent_type: oid::DATA,
        econtent: None,
    };
    let sha256 = AlgorithmIdentifierOwned {
        oid: oid::SHA256,
        parameters: None,
    };
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: certificate.tbs_certificate.issuer.clone(),
        serial_number: certificate.tbs_certificate.serial_number.clone(),
    });
    let key = EcdsaSha256(signer.key);
    let mut info = SignerInfoBuilder::new(&key, sid, sha256.clone(), &econtent, Some(digest))
        .map_err(cms_err)?;
    // The builder adds content type (id-data) and message digest itself.
    info.add_signed_attribute(attribute(oid::SIGNING_TIME, signing_time(signer.time)?)?)
        .map_err(cms_err)?;
    let ess = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            cert_hash: OctetString::new(Sha256::digest(signer.certificate_der).to_vec())
                .map_err(cms_err)?,
            issuer_serial: Some(IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(
                    certificate.tbs_certificate.issuer.clone(),
                )],
                serial_number: certificate.tbs_certificate.serial_number.clone(),
            }),
        }],
    };
    info.add_signed_attribute(attribute(
        oid::SIGNING_CERTIFICATE_V2,
        Any::encode_from(&ess).map_err(cms_err)?,
    )?)
    .map_err(cms_err)?;
    let mut builder = SignedDataBuilder::new(&econtent);
    builder
        .add_digest_algorithm(sha256)
        .map_err(cms_err)?
        .add_certificate(CertificateChoices::Certificate(certificate))
        .map_err(cms_err)?
        .add_signer_info::<_, DerSignature>(info)
        .map_err(cms_err)?;
    let content_info = builder.build().map_err(cms_err)?;
    content_info.to_der().map_err(cms_err)
}

fn cms_err(e: impl std::fmt::Display) -> Error {
    internal(format!("CMS: {e}"))
}

fn attribute(oid: der::oid::ObjectIdentifier, value: Any) -> Result<Attribute> {
    let values = SetOfVec::try_from(vec![value]).map_err(|e| internal(format!("CMS: {e}")))?;
    Ok(Attribute { oid, values })
}

/// The signing time as UTCTime (RFC 5652 requires it for 1950–2049).
fn signing_time(t: DateTime<Utc>) -> Result<Any> {
    let secs = u64::try_from(t.timestamp())
        .ok()
        .filter(|_| (1950..2050).contains(&t.year()))
        .ok_or_else(|| Error::invalid("$.signer.time", "the signing time is out of range"))?;
    let dt = der::DateTime::from_unix_duration(std::time::Duration::from_secs(secs))
        .map_err(|e| Error::invalid("$.signer.time", e.to_string()))?;
    let utc = UtcTime::from_date_time(dt).map_err(|e| internal(format!("CMS: {e}")))?;
    Any::encode_from(&utc).map_err(|e| internal(format!("CMS: {e}")))
}

/// The appearance stream of the widget: a thin frame, the name in bold, then role and time,
/// each line shrunk to fit the width.
fn appearance(signer: &PdfSigner, w: f32, h: f32) -> Vec<u8> {
    let mut ops = String::new();
    ops.push_str("q\n0.16 0.35 0.6 RG 0.8 w\n");
    ops.push_str(&format!(
        "0.4 0.4 {} {} re S\n",
        number(w - 0.8),
        number(h - 0.8)
    ));
    let lines: Vec<(Style, f32, String)> = [
        (Style::Bold, 10.0, signer.name.clone()),
        (Style::Regular, 7.5, signer.role.clone()),
        (
            Style::Regular,
            7.5,
            signer.time.format("%Y-%m-%d %H:%M UTC").to_string(),
        ),
    ]
    .into_iter()
    .filter(|(_, _, text)| !text.trim().is_empty())
    .collect();
    let pad = 4.0;
    let total: f32 = lines.iter().map(|(_, size, _)| size * 1.25).sum();
    let mut baseline = (h + total) / 2.0;
    ops.push_str("0.1 0.1 0.12 rg\n");
    for (style, size, text) in &lines {
        let m = metrics();
        let natural = m.width(*style, text, *size);
        let size = if natural > w - 2.0 * pad && natural > 0.0 {
            size * (w - 2.0 * pad) / natural
        } else {
            *size
        };
        baseline -= size * 1.25;
        glyph_paths(&mut ops, *style, text, pad, baseline + size * 0.25, size);
    }
    ops.push_str("Q\n");
    ops.into_bytes()
}

/// Appends the outlines of `text` as filled paths, the baseline starting at (`x`, `y`).
fn glyph_paths(ops: &mut String, style: Style, text: &str, x: f32, y: f32, size: f32) {
    struct Pen<'a> {
        ops: &'a mut String,
        x: f32,
        y: f32,
        scale: f32,
        last: (f32, f32),
    }
    impl Pen<'_> {
        fn p(&self, px: f32, py: f32) -> String {
            format!(
                "{} {}",
                number(self.x + px * self.scale),
                number(self.y + py * self.scale)
            )
        }
    }
    impl ttf_parser::OutlineBuilder for Pen<'_> {
        fn move_to(&mut self, x: f32, y: f32) {
            let s = format!("{} m\n", self.p(x, y));
            self.ops.push_str(&s);
            self.last = (x, y);
        }
        fn line_to(&mut self, x: f32, y: f32) {
            let s = format!("{} l\n", self.p(x, y));
            self.ops.push_str(&s);
            self.last = (x, y);
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            let (x0, y0) = self.last;
            let c1 = (x0 + 2.0 / 3.0 * (x1 - x0), y0 + 2.0 / 3.0 * (y1 - y0));
            let c2 = (x + 2.0 / 3.0 * (x1 - x), y + 2.0 / 3.0 * (y1 - y));
            let s = format!(
                "{} {} {} c\n",
                self.p(c1.0, c1.1),
                self.p(c2.0, c2.1),
                self.p(x, y)
            );
            self.ops.push_str(&s);
            self.last = (x, y);
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            let s = format!("{} {} {} c\n", self.p(x1, y1), self.p(x2, y2), self.p(x, y));
            self.ops.push_str(&s);
            self.last = (x, y);
        }
        fn close(&mut self) {
            self.ops.push_str("h\n");
        }
    }
    let m = metrics();
    let face = m.face(style);
    let scale = size / m.units_per_em(style);
    let mut pen_x = x;
    for c in text.chars() {
        let c = if c.is_control() { ' ' } else { c };
        let glyph = face.glyph_index(c).or_else(|| face.glyph_index('?'));
        if let Some(g) = glyph {
            let mut pen = Pen {
                ops,
                x: pen_x,
                y,
                scale,
                last: (0.0, 0.0),
            };
            if face.outline_glyph(g, &mut pen).is_some() {
                ops.push_str("f\n");
            }
        }
        pen_x += m.advance(style, c, size);
    }
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(data)
        .and_then(|()| encoder.finish())
        .expect("deflating into memory cannot fail")
}

/// The offset after the file's last `startxref`.
pub(crate) fn last_startxref(pdf: &[u8]) -> Result<usize> {
    let at = rfind(pdf, b"startxref")
        .ok_or_else(|| Error::PdfUnreadable("no startxref at the end of the file".to_string()))?;
    let rest = &pdf[at + b"startxref".len()..];
    let digits: String = rest
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .map(|&b| char::from(b))
        .collect();
    digits
        .parse()
        .map_err(|_| Error::PdfUnreadable("startxref is not followed by an offset".to_string()))
}

pub(crate) fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// Writes a new revision of an existing object: its original text with one change
/// (`patched`), so every number and string is copied byte for byte; or, when the original
/// text could not be patched (e.g. it is inside an object stream), `fallback` serialised.
fn write_copy(
    out: &mut Vec<u8>,
    offsets: &mut BTreeMap<u32, (usize, u16)>,
    id: ObjectId,
    patched: Option<Vec<u8>>,
    fallback: &Object,
) {
    match patched {
        Some(text) => {
            offsets.insert(id.0, (out.len(), id.1));
            let _ = writeln!(out, "{} {} obj", id.0, id.1);
            out.extend_from_slice(&text);
            out.extend_from_slice(b"\nendobj\n");
        }
        None => write_indirect(out, offsets, id, fallback),
    }
}

/// The text of an object's value as stored in the file (after `N G obj`), if the object is
/// stored plainly rather than in an object stream.
fn raw_object<'a>(pdf: &'a [u8], doc: &Document, id: ObjectId) -> Option<&'a [u8]> {
    let lopdf::xref::XrefEntry::Normal { offset, generation } = doc.reference_table.get(id.0)?
    else {
        return None;
    };
    if *generation != id.1 {
        return None;
    }
    let start = *offset as usize;
    let head = pdf.get(start..(start + 40).min(pdf.len()))?;
    let expected = format!("{} {} obj", id.0, id.1);
    let at = head
        .windows(expected.len())
        .position(|w| w == expected.as_bytes())?;
    let mut lx = Lexer {
        b: pdf,
        i: start + at + expected.len(),
        depth: 0,
    };
    lx.skip_space();
    let value_start = lx.i;
    lx.skip_value()?;
    Some(&pdf[value_start..lx.i])
}

/// `dict` (`<< ... >>`) with the value of top-level `key` (e.g. `/Annots`) replaced by what
/// `f` makes of the old value's text, or the key added before `>>` when it is missing.
fn patch_dict(
    dict: &[u8],
    key: &[u8],
    f: impl FnOnce(Option<&[u8]>) -> Option<Vec<u8>>,
) -> Option<Vec<u8>> {
    if !dict.starts_with(b"<<") || !dict.ends_with(b">>") {
        return None;
    }
    let mut lx = Lexer {
        b: dict,
        i: 2,
        depth: 0,
    };
    loop {
        lx.skip_space();
        if dict[lx.i..].starts_with(b">>") {
            let end = lx.i;
            let value = f(None)?;
            return Some([&dict[..end], b" ", key, b" ", &value, &dict[end..]].concat());
        }
        let name_start = lx.i;
        if dict.get(lx.i) != Some(&b'/') {
            return None;
        }
        lx.skip_value()?;
        let name = &dict[name_start..lx.i];
        lx.skip_space();
        let value_start = lx.i;
        lx.skip_value()?;
        let value_end = lx.i;
        if name == key {
            let value = f(Some(&dict[value_start..value_end]))?;
            return Some([&dict[..value_start], &value, &dict[value_end..]].concat());
        }
    }
}

/// `array` (`[ ... ]`) with `item` appended.
fn append_to_array(array: &[u8], item: &[u8]) -> Option<Vec<u8>> {
    if !array.starts_with(b"[") || !array.ends_with(b"]") {
        return None;
    }
    let inner = &array[..array.len() - 1];
    let sep: &[u8] = if inner.len() > 1 { b" " } else { b"" };
    Some([inner, sep, item, b"]"].concat())
}

/// Just enough of a PDF lexer to find where a value ends.
struct Lexer<'a> {
    b: &'a [u8],
    i: usize,
    depth: u32,
}

impl Lexer<'_> {
    fn is_delimiter(c: u8) -> bool {
        b"()<>[]{}/%".contains(&c)
    }

    fn is_space(c: u8) -> bool {
        b" \t\r\n\x0C\0".contains(&c)
    }

    fn skip_space(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            if Self::is_space(c) {
                self.i += 1;
            } else if c == b'%' {
                while self
                    .b
                    .get(self.i)
                    .is_some_and(|&c| c != b'\n' && c != b'\r')
                {
                    self.i += 1;
                }
            } else {
                break;
            }
        }
    }

    fn regular(&mut self) -> usize {
        let start = self.i;
        while self
            .b
            .get(self.i)
            .is_some_and(|&c| !Self::is_space(c) && !Self::is_delimiter(c))
        {
            self.i += 1;
        }
        self.i - start
    }

    /// Moves past one value (with `int int R` as one value); `None` on malformed input.
    fn skip_value(&mut self) -> Option<()> {
        self.depth += 1;
        if self.depth > 64 {
            return None;
        }
        let rest = self.b.get(self.i..)?;
        let first = *rest.first()?;
        if rest.starts_with(b"<<") {
            self.i += 2;
            loop {
                self.skip_space();
                if self.b.get(self.i..)?.starts_with(b">>") {
                    self.i += 2;
                    break;
                }
                self.skip_value()?;
            }
        } else if first == b'<' {
            let close = rest.iter().position(|&c| c == b'>')?;
            self.i += close + 1;
        } else if first == b'[' {
            self.i += 1;
            loop {
                self.skip_space();
                if *self.b.get(self.i)? == b']' {
                    self.i += 1;
                    break;
                }
                self.skip_value()?;
            }
        } else if first == b'(' {
            let mut nesting = 0usize;
            loop {
                let c = *self.b.get(self.i)?;
                self.i += 1;
                match c {
                    b'\\' => self.i += 1,
                    b'(' => nesting += 1,
                    b')' => {
                        nesting -= 1;
                        if nesting == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
            }
        } else if first == b'/' {
            self.i += 1;
            self.regular();
        } else {
            let start = self.i;
            if self.regular() == 0 {
                return None;
            }
            let is_int = |t: &[u8]| !t.is_empty() && t.iter().all(u8::is_ascii_digit);
            if is_int(&self.b[start..self.i]) {
                // `n g R`: look ahead without committing.
                let save = self.i;
                self.skip_space();
                let g = self.i;
                self.regular();
                let generation_ok = is_int(&self.b[g..self.i]);
                self.skip_space();
                let r = self.i;
                let is_ref = generation_ok && self.regular() == 1 && self.b[r] == b'R';
                if !is_ref {
                    self.i = save;
                }
            }
        }
        self.depth -= 1;
        Some(())
    }
}

fn write_indirect(
    out: &mut Vec<u8>,
    offsets: &mut BTreeMap<u32, (usize, u16)>,
    id: ObjectId,
    object: &Object,
) {
    offsets.insert(id.0, (out.len(), id.1));
    let _ = writeln!(out, "{} {} obj", id.0, id.1);
    write_object(out, object);
    out.extend_from_slice(b"\nendobj\n");
}

/// Serialises an object the way lopdf writes it (numbers included: a real is written with
/// Rust's shortest round-trip form of the `f32` lopdf read, which is the text lopdf — and so
/// printpdf — wrote in the first place).
fn write_object(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => {
            let _ = write!(out, "{i}");
        }
        Object::Real(r) => {
            let _ = write!(out, "{r}");
        }
        Object::Name(name) => {
            out.push(b'/');
            for &b in name {
                if b" \t\n\r\x0C()<>[]{}/%#".contains(&b) || !(33..=126).contains(&b) {
                    let _ = write!(out, "#{b:02X}");
                } else {
                    out.push(b);
                }
            }
        }
        Object::String(bytes, StringFormat::Hexadecimal) => {
            out.push(b'<');
            out.extend_from_slice(hex::encode_upper(bytes).as_bytes());
            out.push(b'>');
        }
        Object::String(bytes, StringFormat::Literal) => {
            out.push(b'(');
            for &b in bytes {
                match b {
                    b'(' | b')' | b'\\' => {
                        out.push(b'\\');
                        out.push(b);
                    }
                    b'\r' => out.extend_from_slice(b"\\r"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    _ => out.push(b),
                }
            }
            out.push(b')');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => {
            out.extend_from_slice(b"<<");
            for (key, value) in dict.iter() {
                write_object(out, &Object::Name(key.clone()));
                out.push(b' ');
                write_object(out, value);
            }
            out.extend_from_slice(b">>");
        }
        Object::Stream(_) => {
            // Streams are never copied into an update; only dictionaries and arrays are.
            out.extend_from_slice(b"null");
        }
        Object::Reference(id) => {
            let _ = write!(out, "{} {} R", id.0, id.1);
        }
    }
}

/// A text string as UTF-16BE with byte-order mark, written in hex: safe for any content.
fn text_string(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn pdf_date(t: DateTime<Utc>) -> Object {
    Object::String(
        t.format("D:%Y%m%d%H%M%S+00'00'").to_string().into_bytes(),
        StringFormat::Literal,
    )
}

fn real(v: f32) -> Object {
    let rounded = (v * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 && rounded.abs() < 1e9 {
        Object::Integer(rounded as i64)
    } else {
        Object::Real(rounded)
    }
}

/// A number for content streams: at most two decimals, no exponent, no trailing zeros.
fn number(v: f32) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" || s.is_empty() {
        "0".to_string()
    } else {
        s.to_string()
    }
}

fn unreadable(e: lopdf::Error) -> Error {
    Error::PdfUnreadable(e.to_string())
}

fn internal(message: String) -> Error {
    Error::io("PDF signature", std::io::Error::other(message))
}
