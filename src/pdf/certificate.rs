//! Self-issued X.509 certificates for PDF signatures.
//!
//! A PDF signature (PAdES, see `sign`) names its signer through an X.509 certificate. Pactum
//! issues one per identity, signed with the identity's own P-256 key: a v3 certificate with
//! ECDSA-SHA256, the subject's common name, organisation and e-mail address, key usage
//! `digitalSignature` + `nonRepudiation`, not a CA, and a random 127-bit serial number. PDF
//! readers show such a signature as valid but its issuer as not trusted — the expected state
//! for a certificate nobody else vouches for.

use std::time::Duration;

use chrono::{DateTime, Months, Utc};
use der::asn1::{GeneralizedTime, Ia5StringRef, SetOfVec, Utf8StringRef};
use der::{Any, Decode, Encode, Tagged};
use p256::ecdsa::{signature, DerSignature, SigningKey};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};
use spki::{AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier, SubjectPublicKeyInfoOwned};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};
use x509_cert::Certificate;

use crate::{Error, Result};

/// Who a certificate is issued to. Empty `organisation` or `email` are left out of the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateSubject {
    pub name: String,
    pub organisation: String,
    pub email: String,
}

/// Object identifiers of the name attributes used here.
pub(crate) mod oid {
    use der::oid::ObjectIdentifier;
    pub const COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
    pub const ORGANIZATION: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.10");
    pub const EMAIL_ADDRESS: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.1");
}

/// Longest common name or organisation accepted (RFC 5280 upper bounds are 64 characters).
const MAX_NAME_CHARS: usize = 64;
/// Longest e-mail address accepted (RFC 5280 `ub-emailaddress-length`).
const MAX_EMAIL_CHARS: usize = 255;

/// Issues a certificate for `subject`, signed by `key` itself, valid from `not_before` for
/// `years` years (1 to 100). Returns the certificate in DER.
pub fn self_issued(
    key: &SigningKey,
    subject: &CertificateSubject,
    not_before: DateTime<Utc>,
    years: u32,
) -> Result<Vec<u8>> {
    if !(1..=100).contains(&years) {
        return Err(Error::invalid(
            "$.certificate.years",
            format!("a certificate is valid for 1 to 100 years, not {years}"),
        ));
    }
    let name = subject_name(subject)?;
    let not_after = not_before
        .checked_add_months(Months::new(12 * years))
        .ok_or_else(|| Error::invalid("$.certificate.not_before", "the date is out of range"))?;
    let validity = Validity {
        not_before: x509_time(not_before)?,
        not_after: x509_time(not_after)?,
    };
    let public_key = SubjectPublicKeyInfoOwned::from_key(*key.verifying_key())
        .map_err(|e| internal(format!("public key: {e}")))?;
    let signer = EcdsaSha256(key);
    let builder = CertificateBuilder::new(
        Profile::Leaf {
            issuer: name.clone(),
            enable_key_agreement: false,
            enable_key_encipherment: false,
        },
        random_serial()?,
        validity,
        name,
        public_key,
        &signer,
    )
    .map_err(|e| internal(format!("certificate: {e}")))?;
    let cert = builder
        .build::<DerSignature>()
        .map_err(|e| internal(format!("certificate signature: {e}")))?;
    cert.to_der()
        .map_err(|e| internal(format!("certificate encoding: {e}")))
}

/// SHA-256 of a DER certificate as lowercase hex: the certificate's fingerprint.
pub fn fingerprint(certificate_der: &[u8]) -> String {
    hex::encode(Sha256::digest(certificate_der))
}

/// A fingerprint in groups of four hex digits, as printed on the signature page.
pub fn grouped(fingerprint: &str) -> String {
    fingerprint
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The common name of a certificate's subject, if it has one.
pub fn common_name(certificate_der: &[u8]) -> Option<String> {
    let cert = Certificate::from_der(certificate_der).ok()?;
    name_attribute(&cert.tbs_certificate.subject, oid::COMMON_NAME)
}

/// The value of the first attribute `oid` of a name, decoded as any string type.
pub(crate) fn name_attribute(name: &Name, oid: der::oid::ObjectIdentifier) -> Option<String> {
    name.0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .find(|atv| atv.oid == oid)
        .and_then(|atv| any_to_string(&atv.value))
}

fn any_to_string(value: &Any) -> Option<String> {
    use der::Tag;
    match value.tag() {
        Tag::Utf8String | Tag::PrintableString | Tag::Ia5String | Tag::TeletexString => {
            std::str::from_utf8(value.value()).ok().map(str::to_string)
        }
        Tag::BmpString => {
            let units: Vec<u16> = value
                .value()
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        _ => None,
    }
}

fn subject_name(subject: &CertificateSubject) -> Result<Name> {
    let mut problems = Vec::new();
    let name = subject.name.trim();
    let organisation = subject.organisation.trim();
    let email = subject.email.trim();
    if name.is_empty() {
        problems.push((
            "$.certificate.name",
            "a certificate needs a name".to_string(),
        ));
    }
    for (path, value, limit) in [
        ("$.certificate.name", name, MAX_NAME_CHARS),
        ("$.certificate.organisation", organisation, MAX_NAME_CHARS),
        ("$.certificate.email", email, MAX_EMAIL_CHARS),
    ] {
        if value.chars().count() > limit {
            problems.push((path, format!("longer than {limit} characters")));
        }
        if value.chars().any(char::is_control) {
            problems.push((path, "contains a control character".to_string()));
        }
    }
    if !email.is_empty() && (!email.is_ascii() || !email.contains('@')) {
        problems.push((
            "$.certificate.email",
            "an e-mail address in a certificate must be plain ASCII with an @".to_string(),
        ));
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(
            problems
                .into_iter()
                .map(|(path, message)| crate::Problem {
                    path: path.to_string(),
                    message,
                })
                .collect(),
        ));
    }
    let mut rdns = Vec::new();
    let utf8 = |s: &str| -> Result<Any> {
        Any::encode_from(&Utf8StringRef::new(s).map_err(|e| internal(e.to_string()))?)
            .map_err(|e| internal(e.to_string()))
    };
    rdns.push(rdn(oid::COMMON_NAME, utf8(name)?)?);
    if !organisation.is_empty() {
        rdns.push(rdn(oid::ORGANIZATION, utf8(organisation)?)?);
    }
    if !email.is_empty() {
        let ia5 = Ia5StringRef::new(email).map_err(|e| internal(e.to_string()))?;
        rdns.push(rdn(
            oid::EMAIL_ADDRESS,
            Any::encode_from(&ia5).map_err(|e| internal(e.to_string()))?,
        )?);
    }
    Ok(RdnSequence(rdns))
}

fn rdn(oid: der::oid::ObjectIdentifier, value: Any) -> Result<RelativeDistinguishedName> {
    let set = SetOfVec::try_from(vec![AttributeTypeAndValue { oid, value }])
        .map_err(|e| internal(e.to_string()))?;
    Ok(RelativeDistinguishedName(set))
}

fn x509_time(t: DateTime<Utc>) -> Result<Time> {
    let secs = u64::try_from(t.timestamp()).map_err(|_| {
        Error::invalid(
            "$.certificate.not_before",
            "a certificate cannot start before 1970",
        )
    })?;
    let dt = der::DateTime::from_unix_duration(Duration::from_secs(secs))
        .map_err(|e| Error::invalid("$.certificate.not_before", e.to_string()))?;
    Ok(Time::GeneralTime(GeneralizedTime::from_date_time(dt)))
}

/// 16 random bytes, positive and without a leading zero byte (RFC 5280: at most 20 octets).
fn random_serial() -> Result<SerialNumber> {
    let mut bytes = [0u8; 16];
    OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(|e| internal(format!("random serial number: {e}")))?;
    bytes[0] = (bytes[0] & 0x7f) | 0x40;
    SerialNumber::new(&bytes).map_err(|e| internal(format!("serial number: {e}")))
}

/// The signing key as an X.509 signer: ECDSA with SHA-256, DER-encoded signatures.
///
/// (`p256`'s own implementation needs the `oid` feature of `sha2`; naming the algorithm here
/// keeps the dependency graph as it is.)
pub(crate) struct EcdsaSha256<'a>(pub &'a SigningKey);

/// `ecdsa-with-SHA256` (RFC 5758), without parameters.
pub(crate) const ECDSA_WITH_SHA256: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");

impl signature::Keypair for EcdsaSha256<'_> {
    type VerifyingKey = p256::ecdsa::VerifyingKey;
    fn verifying_key(&self) -> Self::VerifyingKey {
        *self.0.verifying_key()
    }
}

impl DynSignatureAlgorithmIdentifier for EcdsaSha256<'_> {
    fn signature_algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
        Ok(AlgorithmIdentifierOwned {
            oid: ECDSA_WITH_SHA256,
            parameters: None,
        })
    }
}

impl signature::Signer<DerSignature> for EcdsaSha256<'_> {
    fn try_sign(&self, msg: &[u8]) -> std::result::Result<DerSignature, signature::Error> {
        let sig: p256::ecdsa::Signature = self.0.try_sign(msg)?;
        Ok(sig.to_der())
    }
}

fn internal(message: String) -> Error {
    Error::io("PDF certificate", std::io::Error::other(message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use spki::EncodePublicKey;

    #[test]
    fn issues_a_parsable_v3_certificate() {
        let key = SigningKey::random(&mut OsRng);
        let subject = CertificateSubject {
            name: "Jörg Müller, IT".into(),
            organisation: "Beispiel GmbH".into(),
            email: "joerg@example.de".into(),
        };
        let t = Utc.with_ymd_and_hms(2026, 11, 27, 6, 0, 0).unwrap();
        let der = self_issued(&key, &subject, t, 5).unwrap();
        let cert = Certificate::from_der(&der).unwrap();
        assert_eq!(
            cert.tbs_certificate.version,
            x509_cert::certificate::Version::V3
        );
        assert_eq!(common_name(&der).as_deref(), Some("Jörg Müller, IT"));
        assert_eq!(
            cert.tbs_certificate.subject, cert.tbs_certificate.issuer,
            "self-issued"
        );
        let spki = cert
            .tbs_certificate
            .subject_public_key_info
            .to_der()
            .unwrap();
        assert_eq!(
            spki,
            key.verifying_key().to_public_key_der().unwrap().as_bytes()
        );
        assert_eq!(fingerprint(&der).len(), 64);
        let other = self_issued(&key, &subject, t, 5).unwrap();
        assert_ne!(der, other, "random serial numbers");
    }

    #[test]
    fn refuses_bad_subjects() {
        let key = SigningKey::random(&mut OsRng);
        let t = Utc::now();
        let bad = CertificateSubject {
            name: " ".into(),
            organisation: String::new(),
            email: "nope".into(),
        };
        let err = self_issued(&key, &bad, t, 1).unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        let ok = CertificateSubject {
            name: "A".into(),
            organisation: String::new(),
            email: String::new(),
        };
        assert!(self_issued(&key, &ok, t, 0).is_err());
        assert!(self_issued(&key, &ok, t, 1).is_ok());
    }
}
