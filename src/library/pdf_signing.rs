//! Signed PDF export and PDF verification against the signed history, on [`Library`].
//!
//! A PDF signature mirrors an approval: the signature page lists everyone who approved the
//! version (from the signed history, never from free text), each own identity that approved it
//! can add its PAdES signature with its P-256 key, and the history checkpoint printed and
//! embedded in the document is signed with the first signer's Ed25519 key. An identity that
//! has not approved the version cannot sign its PDF.
//!
//! [`Library::verify_pdf`] answers a customer's question "is this the agreement we signed?":
//! the embedded signatures (digest, CMS, certificate), which known identity each certificate
//! belongs to, whether the content hash is a version this database holds, and whether the
//! history still reaches the document's checkpoint. An exchange file given with the PDF
//! supplies a history this database lacks, never trust: its signers are judged by this
//! trust list (those only the file vouches for are reported "as the exchange file claims"),
//! and this database's own copy of the agreement, if any, must agree with it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Library;
use crate::model::Language;
use crate::pdf::{self, PdfReport, PdfSigner, SignatureLine};
use crate::record::AgreementId;
use crate::signing::checkpoint::Checkpoint;
use crate::signing::history::{SignatureEntry, VersionEntry};
use crate::signing::identity::{IdentityCard, IdentityInfo};
use crate::signing::{Decision, Role, VerificationReport};
use crate::{Error, Result};

/// Who made one embedded PDF signature, as far as this database knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PdfSignerMatch {
    /// 1-based number of the signature in the file.
    pub number: u32,
    /// The identity whose certificate made the signature, when it is known here (or, with
    /// [`PdfSignerMatch::as_file_claims`], when the exchange file names it).
    pub identity: Option<IdentityInfo>,
    /// Whether that identity approved the version the document shows.
    pub approved_version: bool,
    /// The identity is known only from the exchange file: no card in this database holds the
    /// certificate, so its name, role and organisation are what the file claims.
    pub as_file_claims: bool,
    /// An identity of this database's trust list with the same name as the file's signer but
    /// another key: the signer is not the person known here by that name.
    pub namesake: Option<IdentityInfo>,
}

/// Where the history a PDF was checked against came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum HistorySource {
    /// This database's signed history and trust list.
    Database,
    /// An exchange file, judged by this database's trust list and its own copy of the
    /// agreement where there is one.
    ExchangeFile,
}

/// How this database's own copy of the agreement compares with an exchange file's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CopyHere {
    /// This database holds no agreement with the checkpoint's uid.
    Missing,
    /// The document's version is stored here with the same content hash, and every version
    /// both hold agrees.
    Same,
    /// The versions both hold agree, but the document's version is not stored here yet.
    VersionMissing,
    /// A version both hold has different content here (the findings name the hashes).
    Differs,
}

/// What `verify-pdf` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PdfVerification {
    /// The PDF's own signatures and embedded verification data.
    pub pdf: PdfReport,
    /// One entry per embedded signature.
    pub signers: Vec<PdfSignerMatch>,
    /// Where the history came from: this database, or an exchange file.
    pub source: HistorySource,
    /// The agreement uid the document's checkpoint names.
    pub uid: Option<String>,
    /// That agreement in this database, when it is stored here.
    pub agreement: Option<AgreementId>,
    /// With an exchange file: how this database's own copy of the agreement compares.
    pub copy_here: Option<CopyHere>,
    /// The version whose content hash the document carries (in the history checked).
    pub version: Option<u32>,
    /// Verification of that agreement's history against the document's checkpoint (with an
    /// exchange file: of the file's history, on its own cards).
    pub history: Option<VerificationReport>,
    /// Everything that keeps the document from being verified, in plain English.
    pub problems: Vec<String>,
    /// True when there are no problems.
    pub ok: bool,
}

impl PdfVerification {
    /// A report in plain English: the PDF's signatures, then what the history says.
    pub fn to_plain_words(&self) -> String {
        let mut out = self.pdf.to_plain_words();
        if !out.ends_with('\n') {
            out.push('\n');
        }
        for s in &self.signers {
            let approved = if s.approved_version && s.as_file_claims {
                ", who approved this version in the exchange file's history"
            } else if s.approved_version {
                ", who approved this version in the signed history"
            } else {
                ", who has NOT approved this version"
            };
            match &s.identity {
                Some(i) if s.as_file_claims => out.push_str(&format!(
                    "Signature {} belongs to {} ({}, {}) only as the exchange file claims: identity fingerprint {} is NOT in this database's trust list{}{}.\n",
                    s.number,
                    i.name,
                    i.role.label(),
                    i.organisation,
                    i.fingerprint_display,
                    match &s.namesake {
                        Some(n) => format!(
                            ", which holds another key for {}: {}",
                            n.name, n.fingerprint_display
                        ),
                        None => String::new(),
                    },
                    approved,
                )),
                Some(i) => out.push_str(&format!(
                    "Signature {} belongs to {} ({}, {}), identity fingerprint {}{}{}.\n",
                    s.number,
                    i.name,
                    i.role.label(),
                    i.organisation,
                    i.fingerprint_display,
                    if i.trusted {
                        ""
                    } else {
                        ", NOT in the trust list"
                    },
                    approved,
                )),
                None => out.push_str(&format!(
                    "Signature {} was made with a certificate no known identity holds.\n",
                    s.number
                )),
            }
        }
        let uid = self.uid.as_deref().unwrap_or("-");
        match (self.source, self.copy_here, self.agreement, self.version) {
            (HistorySource::Database, _, Some(id), Some(v)) => out.push_str(&format!(
                "The document shows version {v} of agreement {id}, as stored here.\n"
            )),
            (HistorySource::ExchangeFile, Some(CopyHere::Same), Some(id), Some(v)) => {
                out.push_str(&format!(
                    "The document shows version {v} of agreement {id} ({uid}), with the same content hash as this database's copy.\n"
                ))
            }
            (HistorySource::ExchangeFile, Some(CopyHere::VersionMissing), Some(id), Some(v)) => {
                out.push_str(&format!(
                    "The document shows version {v} of agreement {uid} as the exchange file has it; this database's copy (agreement {id}) does not have that version yet.\n"
                ))
            }
            (HistorySource::ExchangeFile, Some(CopyHere::Differs), Some(id), _) => {
                out.push_str(&format!(
                    "The exchange file's history of agreement {uid} differs from this database's copy (agreement {id}).\n"
                ))
            }
            (HistorySource::ExchangeFile, Some(CopyHere::Missing), _, Some(v)) => {
                out.push_str(&format!(
                    "The document shows version {v} of agreement {uid} as the exchange file has it; this database holds no copy of that agreement to compare with.\n"
                ))
            }
            _ => {}
        }
        if let Some(h) = &self.history {
            match self.source {
                HistorySource::Database => out.push_str(&h.to_text()),
                HistorySource::ExchangeFile if h.ok => out.push_str(&format!(
                    "The exchange file's history is consistent in itself ({} version{}, {} signature{}, on the identity cards the file carries).\n",
                    h.versions,
                    if h.versions == 1 { "" } else { "s" },
                    h.signatures,
                    if h.signatures == 1 { "" } else { "s" },
                )),
                HistorySource::ExchangeFile => {
                    out.push_str("The exchange file's history does not verify in itself:\n");
                    for f in &h.findings {
                        out.push_str(&format!("  {f}\n"));
                    }
                }
            }
            if !out.ends_with('\n') {
                out.push('\n');
            }
        }
        if self.ok {
            out.push_str("Overall: the document is verified.\n");
        } else {
            out.push_str("Overall: NOT verified:\n");
            for p in &self.problems {
                out.push_str(&format!("  - {p}\n"));
            }
        }
        out
    }
}

/// The role's name on the signature page, in the document's language.
fn role_label(role: Role, lang: Language) -> &'static str {
    match (role, lang) {
        (Role::ServiceManager, Language::De) => "Service-Manager/in",
        (Role::LegalReviewer, Language::De) => "Rechtsprüfung",
        (Role::CustomerRepresentative, Language::De) => "Vertretung des Kunden",
        (Role::ServiceManager, Language::En) => "Service manager",
        (Role::LegalReviewer, Language::En) => "Legal reviewer",
        (Role::CustomerRepresentative, Language::En) => "Customer representative",
    }
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The approvals of a version, one per role (the first if a role signed twice).
fn approvals(entry: &VersionEntry) -> Vec<&SignatureEntry> {
    let mut out: Vec<&SignatureEntry> = Vec::new();
    for s in &entry.signatures {
        if s.decision == Decision::Approve && !out.iter().any(|o| o.role == s.role) {
            out.push(s);
        }
    }
    out
}

impl Library {
    /// The signature page of a frozen version from its signed history: a signed line for
    /// every approval (name, role, organisation, time, identity fingerprint), then an empty
    /// line for every required role that has not approved and, when the customer's
    /// representative is not among them, one for the customer to sign on paper. Empty when
    /// nobody has approved the version (the PDF then prints its default lines).
    pub fn pdf_signature_lines(
        &self,
        id: AgreementId,
        version: u32,
        lang: Language,
    ) -> Result<Vec<SignatureLine>> {
        let history = self.history(id)?;
        let Some(entry) = history.versions.iter().find(|v| v.info.number == version) else {
            return Err(Error::VersionNotFound {
                agreement: id.0,
                version,
            });
        };
        let signed = approvals(entry);
        if signed.is_empty() {
            return Ok(Vec::new());
        }
        let agreement = self.version(id, version)?.agreement;
        let party_of = |role: Role| match role {
            Role::CustomerRepresentative => agreement.overview.customer.name.clone(),
            _ => agreement.overview.provider.name.clone(),
        };
        let mut lines: Vec<SignatureLine> = signed
            .iter()
            .map(|s| SignatureLine {
                name: s.signer.name.clone(),
                role: role_label(s.role, lang).to_string(),
                organisation: if s.signer.organisation.is_empty() {
                    party_of(s.role)
                } else {
                    s.signer.organisation.clone()
                },
                signed_at: parse_time(&s.signed_at),
                fingerprint: Some(s.signer.fingerprint_display.clone()),
            })
            .collect();
        let mut open: Vec<Role> = history
            .policy
            .required
            .iter()
            .copied()
            .filter(|r| !signed.iter().any(|s| s.role == *r))
            .collect();
        if !open.contains(&Role::CustomerRepresentative)
            && !signed
                .iter()
                .any(|s| s.role == Role::CustomerRepresentative)
        {
            open.push(Role::CustomerRepresentative);
        }
        lines.extend(open.into_iter().map(|role| SignatureLine {
            name: String::new(),
            role: role_label(role, lang).to_string(),
            organisation: party_of(role),
            signed_at: None,
            fingerprint: None,
        }));
        Ok(lines)
    }

    /// The PDF of a frozen `version` (default: the version in force, else the newest) with
    /// its signature page filled from the signed history and the history checkpoint, and one
    /// PAdES signature per entry of `signers` (own identity name or fingerprint, passphrase),
    /// in that order. Each signer must have approved the version; the checkpoint is signed
    /// by the first. With no signers the checkpoint is printed unsigned.
    pub fn signed_pdf(
        &self,
        id: AgreementId,
        version: Option<u32>,
        lang: Option<Language>,
        signers: &[(&str, &str)],
    ) -> Result<Vec<u8>> {
        let history = self.history(id)?;
        let number = match version.or(history.in_force) {
            Some(n) => n,
            None => history.versions.last().map(|v| v.info.number).ok_or_else(|| {
                Error::NotAllowed(format!(
                    "agreement {id} has no frozen version to export with signatures; freeze one first"
                ))
            })?,
        };
        let entry = history
            .versions
            .iter()
            .find(|v| v.info.number == number)
            .ok_or(Error::VersionNotFound {
                agreement: id.0,
                version: number,
            })?;
        let lang = match lang {
            Some(l) => l,
            None => self.version(id, number)?.agreement.language,
        };
        let lines = self.pdf_signature_lines(id, number, lang)?;
        let signed = approvals(entry);

        // Unlock every signer first, so a wrong passphrase fails before any work is done.
        let mut unlocked = Vec::with_capacity(signers.len());
        for (selector, passphrase) in signers {
            let (card, keys) = self.unlock(selector, passphrase)?;
            let Some(position) = signed
                .iter()
                .position(|s| s.signer.fingerprint == card.fingerprint)
            else {
                return Err(Error::NotAllowed(format!(
                    "{} has not approved version {number} of agreement {id}; a PDF signature can only confirm an approval in the signed history",
                    card.name
                )));
            };
            if unlocked
                .iter()
                .any(|(_, _, p): &(IdentityCard, _, usize)| *p == position)
            {
                return Err(Error::NotAllowed(format!(
                    "{} is named twice among the PDF signers",
                    card.name
                )));
            }
            unlocked.push((card, keys, position));
        }

        let mut checkpoint = self.checkpoint(id)?;
        if let Some((_, keys, _)) = unlocked.first() {
            checkpoint.sign(&keys.ed25519);
        }
        let rendered =
            self.pdf_for_signing(id, number, Some(lang), lines, Some(checkpoint.to_text()))?;
        let mut bytes = rendered.bytes;
        for (card, keys, position) in &unlocked {
            let entry = signed[*position];
            let field = rendered
                .signature_fields
                .get(*position)
                .copied()
                .flatten()
                .ok_or_else(|| {
                    Error::NotAllowed(format!(
                        "the signature page has no signature box for {}",
                        card.name
                    ))
                })?;
            let certificate = hex::decode(&card.certificate)
                .map_err(|_| Error::KeyDamaged("the certificate is not hex".into()))?;
            let time = parse_time(&entry.signed_at).unwrap_or_else(|| (self.clock)());
            let reason = match lang {
                Language::De => format!("Freigabe von Version {number}"),
                Language::En => format!("Approval of version {number}"),
            };
            bytes = pdf::sign_pdf(
                &bytes,
                &PdfSigner {
                    key: &keys.p256,
                    certificate_der: &certificate,
                    name: card.name.clone(),
                    role: role_label(entry.role, lang).to_string(),
                    reason,
                    location: None,
                    time,
                    field,
                },
            )?;
        }
        Ok(bytes)
    }

    /// Checks a PDF: its embedded signatures, which known identities made them, that its
    /// content hash is a version held here and that the history reaches its checkpoint.
    ///
    /// With `exchange` (an exchange file's bytes) the history is taken from that file, checked
    /// in a temporary database on the cards the file carries, and then judged by this
    /// database: every PDF signer, approver of the version and the checkpoint's signer must be
    /// in this trust list (a signer known only from the file is reported "as the exchange file
    /// claims", and one whose name this trust list knows with another key as such), and where
    /// this database holds the agreement (same uid) every version both hold must have the
    /// same content hash. Only then is the document verified. Nothing is written here.
    pub fn verify_pdf(&self, bytes: &[u8], exchange: Option<&[u8]>) -> Result<PdfVerification> {
        match exchange {
            None => self.verify_pdf_here(bytes, HistorySource::Database),
            Some(exchange) => {
                let dir = std::env::temp_dir().join(format!(
                    "pactum-verify-{}-{}",
                    std::process::id(),
                    Utc::now().timestamp_nanos_opt().unwrap_or_default()
                ));
                std::fs::create_dir_all(&dir)
                    .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
                let result = (|| {
                    let scratch = Library::open(&dir.join("verify.db"))?.library;
                    for card in crate::signing::bundle::cards(exchange)? {
                        scratch.import_card(card.to_json().as_bytes())?;
                    }
                    scratch.import_bundle(exchange)?;
                    let mut found = scratch.verify_pdf_here(bytes, HistorySource::ExchangeFile)?;
                    self.judge_exchange_file(&scratch, &mut found)?;
                    Ok(found)
                })();
                let _ = std::fs::remove_dir_all(&dir);
                result
            }
        }
    }

    /// Every identity here with the SHA-256 fingerprint of its PDF signing certificate.
    fn certificate_holders(&self) -> Result<Vec<(String, IdentityInfo)>> {
        let mut known = Vec::new();
        for info in self.identities()? {
            let card = IdentityCard::from_json(self.export_card(&info.fingerprint)?.as_bytes())?;
            if let Ok(der) = hex::decode(&card.certificate) {
                known.push((pdf::certificate::fingerprint(&der), info));
            }
        }
        Ok(known)
    }

    /// Judges a verification made on an exchange file's own cards (`found`, from the
    /// temporary database `scratch`) by this database's trust list and its own copy of the
    /// agreement, adding a problem for everything only the file vouches for.
    fn judge_exchange_file(&self, scratch: &Library, found: &mut PdfVerification) -> Result<()> {
        let here = self.certificate_holders()?;
        let identities: Vec<&IdentityInfo> = here.iter().map(|(_, i)| i).collect();
        let namesake = |name: &str, fingerprint: &str| {
            identities
                .iter()
                .find(|i| {
                    i.trusted
                        && i.fingerprint != fingerprint
                        && i.name.trim().to_lowercase() == name.trim().to_lowercase()
                })
                .map(|i| (*i).clone())
        };
        let untrusted = |what: String, name: &str, shown: &str, other: Option<&IdentityInfo>| {
            match other {
                Some(n) => format!(
                    "{what} is by a {name} with identity fingerprint {shown}, as the exchange file claims, but this database's trust list holds another key for {}: {} — the signer is not the {name} known here",
                    n.name, n.fingerprint_display
                ),
                None => format!(
                    "{what} is by {name} only as the exchange file claims: identity fingerprint {shown} is not in this database's trust list (compare it with {name} before importing their card)"
                ),
            }
        };
        let mut problems = Vec::new();
        let mut judged: Vec<String> = Vec::new();

        for (signer, signature) in found.signers.iter_mut().zip(&found.pdf.signatures) {
            let holder = signature
                .certificate_fingerprint
                .as_deref()
                .and_then(|fp| here.iter().find(|(cert, _)| cert == fp));
            if let Some((_, local)) = holder {
                if !local.trusted {
                    problems.push(format!(
                        "signature {} is by {}, whose card this database no longer trusts",
                        signer.number, local.name
                    ));
                }
                judged.push(local.fingerprint.clone());
                signer.identity = Some(local.clone());
                continue;
            }
            let Some(claimed) = signer.identity.as_mut() else {
                continue;
            };
            claimed.trusted = false;
            claimed.own = false;
            signer.as_file_claims = true;
            signer.namesake = namesake(&claimed.name, &claimed.fingerprint);
            problems.push(untrusted(
                format!("signature {}", signer.number),
                &claimed.name,
                &claimed.fingerprint_display,
                signer.namesake.as_ref(),
            ));
            judged.push(claimed.fingerprint.clone());
        }

        let file_agreement = found.agreement;
        if let (Some(id), Some(v)) = (file_agreement, found.version) {
            let history = scratch.history(id)?;
            if let Some(entry) = history.versions.iter().find(|e| e.info.number == v) {
                for a in approvals(entry) {
                    let fp = &a.signer.fingerprint;
                    if judged.contains(fp) {
                        continue;
                    }
                    judged.push(fp.clone());
                    let what = format!("the approval of version {v} as {}", a.role.label());
                    match identities.iter().find(|i| &i.fingerprint == fp) {
                        Some(i) if i.trusted => {}
                        Some(i) => problems.push(format!(
                            "{what} is by {}, whose card this database no longer trusts",
                            i.name
                        )),
                        None => problems.push(untrusted(
                            what,
                            &a.signer.name,
                            &a.signer.fingerprint_display,
                            namesake(&a.signer.name, fp).as_ref(),
                        )),
                    }
                }
            }
        }
        let checkpoint_signer = found
            .pdf
            .checkpoint
            .as_deref()
            .and_then(|c| Checkpoint::parse(c).ok())
            .and_then(|c| c.signer)
            .map(|key| crate::signing::fingerprint_hex(&key));
        if let Some(fp) = checkpoint_signer.filter(|fp| !judged.contains(fp)) {
            if !identities.iter().any(|i| i.trusted && i.fingerprint == fp) {
                problems.push(format!(
                    "the checkpoint is signed by identity fingerprint {}, which is not in this database's trust list",
                    crate::signing::display_fingerprint(&fp)
                ));
            }
        }

        // This database's own copy of the agreement, by the checkpoint's uid.
        let local = match &found.uid {
            Some(uid) => self.store().read(|tx| tx.agreement_by_uid(uid))?,
            None => None,
        };
        found.agreement = local;
        if let Some(uid) = &found.uid {
            found.copy_here = Some(CopyHere::Missing);
            if let Some(local) = local {
                let mine = self.versions(local)?;
                let theirs = match file_agreement {
                    Some(id) => scratch.versions(id)?,
                    None => Vec::new(),
                };
                let mut differs = false;
                for t in &theirs {
                    let Some(m) = mine.iter().find(|m| m.number == t.number) else {
                        continue;
                    };
                    if m.hash == t.hash {
                        continue;
                    }
                    differs = true;
                    if Some(t.number) == found.version {
                        problems.push(format!(
                            "the document's content hash {} is not the content hash {} that version {} of agreement {local} ({uid}) has in this database: the document shows other content",
                            found.pdf.content_hash.as_deref().unwrap_or(&t.hash),
                            m.hash,
                            t.number
                        ));
                    } else {
                        problems.push(format!(
                            "version {} of agreement {local} ({uid}) has content hash {} here but {} in the exchange file",
                            t.number, m.hash, t.hash
                        ));
                    }
                }
                let stored = found
                    .version
                    .is_some_and(|v| mine.iter().any(|m| m.number == v));
                found.copy_here = Some(if differs {
                    CopyHere::Differs
                } else if stored {
                    CopyHere::Same
                } else {
                    CopyHere::VersionMissing
                });
            }
        }
        found.problems.extend(problems);
        found.ok = found.problems.is_empty();
        Ok(())
    }

    fn verify_pdf_here(&self, bytes: &[u8], source: HistorySource) -> Result<PdfVerification> {
        let own_trust = source == HistorySource::Database;
        let report = pdf::verify_pdf(bytes)?;
        let mut problems = Vec::new();
        if report.signatures.is_empty() {
            problems.push("the PDF carries no digital signature".to_string());
        } else if !report.all_valid {
            problems.push(
                "at least one digital signature is invalid or does not cover the whole file"
                    .to_string(),
            );
        }
        if !report.metadata_signed && !report.signatures.is_empty() {
            problems.push(
                "the content hash and checkpoint are not covered by a valid signature".to_string(),
            );
        }

        // Which identity holds each signing certificate.
        let known = self.certificate_holders()?;

        let unreadable = |key: &str| {
            report
                .unreadable_reason(key)
                .map(|reason| format!("{key} in the PDF's document information (Info dictionary) cannot be read: {reason}"))
        };
        let checkpoint = match report.checkpoint.as_deref().map(Checkpoint::parse) {
            Some(Ok(cp)) => Some(cp),
            Some(Err(e)) => {
                problems.push(format!(
                    "the history checkpoint ({}) in the PDF's document information cannot be read: {e}",
                    pdf::CHECKPOINT_KEY
                ));
                None
            }
            None => {
                problems.push(
                    unreadable(pdf::CHECKPOINT_KEY)
                        .unwrap_or_else(|| "the PDF carries no history checkpoint".to_string()),
                );
                None
            }
        };
        let agreement = match &checkpoint {
            Some(cp) => {
                let found = self.store().read(|tx| tx.agreement_by_uid(&cp.agreement))?;
                if found.is_none() {
                    problems.push(format!(
                        "the agreement {} named by the checkpoint is not in {}",
                        cp.agreement,
                        if own_trust {
                            "this database (give its exchange file with --bundle)"
                        } else {
                            "the exchange file"
                        }
                    ));
                }
                found
            }
            None => None,
        };

        let mut version = None;
        let mut history = None;
        let mut approvers: Vec<String> = Vec::new();
        if let Some(id) = agreement {
            let versions = self.versions(id)?;
            match &report.content_hash {
                Some(hash) => {
                    version = versions.iter().find(|v| &v.hash == hash).map(|v| v.number);
                    if version.is_none() {
                        problems.push(format!(
                            "the document's content hash {hash} matches no version of agreement {id}: its content differs from every stored version"
                        ));
                    }
                }
                None => problems.push(
                    unreadable(pdf::CONTENT_HASH_KEY)
                        .unwrap_or_else(|| "the PDF carries no content hash".to_string()),
                ),
            }
            let cp = checkpoint
                .clone()
                .expect("an agreement was found by its checkpoint");
            let verification = if cp.signature.is_some() {
                self.verify_with_checkpoints(id, std::slice::from_ref(&cp))?
            } else {
                problems.push(
                    "the checkpoint is unsigned (exported without a signer), so it proves nothing about the history's length".to_string(),
                );
                self.verify(id)?
            };
            if !verification.ok {
                problems.push(format!(
                    "the signed history of agreement {id} does not verify ({} finding{})",
                    verification.findings.len(),
                    if verification.findings.len() == 1 {
                        ""
                    } else {
                        "s"
                    }
                ));
            }
            if let Some(v) = version {
                let h = self.history(id)?;
                if let Some(entry) = h.versions.iter().find(|e| e.info.number == v) {
                    approvers = approvals(entry)
                        .iter()
                        .map(|s| s.signer.fingerprint.clone())
                        .collect();
                }
            }
            history = Some(verification);
        }

        let signers: Vec<PdfSignerMatch> = report
            .signatures
            .iter()
            .map(|s| {
                let identity = s.certificate_fingerprint.as_deref().and_then(|fp| {
                    known
                        .iter()
                        .find(|(cert, _)| cert == fp)
                        .map(|(_, info)| info.clone())
                });
                let approved_version = identity
                    .as_ref()
                    .is_some_and(|i| approvers.contains(&i.fingerprint));
                PdfSignerMatch {
                    number: s.number,
                    identity,
                    approved_version,
                    as_file_claims: false,
                    namesake: None,
                }
            })
            .collect();
        for s in &signers {
            match &s.identity {
                None => problems.push(format!(
                    "signature {} was made with a certificate of no identity {}",
                    s.number,
                    if own_trust {
                        "in this database"
                    } else {
                        "in the exchange file"
                    }
                )),
                Some(i) if !i.trusted => problems.push(format!(
                    "signature {} is by {}, who is not in the trust list",
                    s.number, i.name
                )),
                Some(i) if version.is_some() && !s.approved_version => problems.push(format!(
                    "signature {} is by {}, who has not approved this version in the signed history",
                    s.number, i.name
                )),
                Some(_) => {}
            }
        }
        if !own_trust {
            problems.retain(|p| !p.contains("not in the trust list"));
        }
        let ok = problems.is_empty();
        Ok(PdfVerification {
            uid: checkpoint.map(|cp| cp.agreement),
            pdf: report,
            signers,
            source,
            agreement,
            copy_here: None,
            version,
            history,
            problems,
            ok,
        })
    }
}
