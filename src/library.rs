//! [`Library`]: the engine's one public API over a database of agreements.
//!
//! Every workflow — create from a template, save a draft, check, freeze, compare, search,
//! duplicate, archive, import and export — is written here once. The `pactum` CLI and the
//! desktop shell only adapt arguments and errors to it.
//!
//! Invariants:
//! - nothing a caller passes is trusted: drafts and files are validated (limits, characters,
//!   typed values) before anything is written;
//! - a version's stored bytes are the canonical JSON of its content, and its hash is the
//!   SHA-256 of exactly those bytes;
//! - a freeze reads the draft and appends its version in one write transaction, so next to
//!   another writer (the app and the CLI) it freezes the draft as it is, never an older one,
//!   and a version is never dated before its predecessor;
//! - a freeze never replaces a version in review, nor writes one outside the amendment
//!   procedure once a version is in force;
//! - a save that names the revision it was made on never replaces a newer draft
//!   ([`Error::DraftConflict`]);
//! - the current time comes from the library's clock, which tests replace.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::canonical::canonical_with_hash;
use crate::check::{self, Report};
use crate::diff::{self, Comparison};
use crate::model::{clause, Agreement, Language, Section};
use crate::preferences::Preferences;
use crate::record::{
    AgreementId, AgreementSummary, ListPage, ListQuery, SaveOutcome, SearchHit, Status,
    StatusChange, VersionInfo,
};
use crate::store::{DraftRow, Store};
use crate::{interchange, template, Error, Result};

pub use crate::store::{MovedAside, PermissionsTightened, TightenedFile};

mod approval;
mod pdf_export;
mod pdf_signing;

pub use pdf_signing::{CopyHere, HistorySource, PdfSignerMatch, PdfVerification};

pub use approval::SignOutcome;
pub use pdf_export::{pdf_file_name, ExportFailure, ExportProgress, ExportSummary};

/// Environment variable that overrides the default database path.
pub const DB_ENV: &str = "PACTUM_DB";

/// The database path: `$PACTUM_DB`, else `pactum.db` in the platform data directory
/// (`~/.local/share/pactum/pactum.db` on Linux).
pub fn default_db_path() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os(DB_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let base = dirs::data_dir().ok_or_else(|| {
        Error::io(
            "cannot find the data directory (set HOME or PACTUM_DB)",
            std::io::Error::from(std::io::ErrorKind::NotFound),
        )
    })?;
    Ok(base.join("pactum").join("pactum.db"))
}

type Clock = Box<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// An open database of agreements. `Send + Sync`: the desktop shell shares one between
/// commands; calls are serialised internally.
pub struct Library {
    store: Mutex<Store>,
    path: PathBuf,
    clock: Clock,
}

/// A library just opened, and what opening had to do to the files: the file moved aside to
/// open it, and the files made private to their owner, if any.
pub struct Opened {
    pub library: Library,
    pub moved_aside: Option<MovedAside>,
    pub permissions_tightened: Option<PermissionsTightened>,
}

/// A frozen version with its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Version {
    pub info: VersionInfo,
    pub agreement: Agreement,
}

/// An agreement's draft with what the library knows about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Draft {
    pub summary: AgreementSummary,
    pub revision: u32,
    pub agreement: Agreement,
}

impl Library {
    /// Opens or creates the database at `path` (see `crate::store` for what happens to a
    /// damaged file).
    pub fn open(path: &Path) -> Result<Opened> {
        Self::open_with_clock(path, Box::new(Utc::now))
    }

    /// Opens with a given clock; tests use it to make times deterministic.
    pub fn open_with_clock(path: &Path, clock: Clock) -> Result<Opened> {
        let now = stamp(clock());
        let (store, opening) = Store::open(path, &now)?;
        Ok(Opened {
            library: Library {
                store: Mutex::new(store),
                path: path.to_path_buf(),
                clock,
            },
            moved_aside: opening.moved_aside,
            permissions_tightened: opening.permissions_tightened,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave the database inconsistent (every write
        // is one transaction), so a poisoned lock is safe to use.
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn now(&self) -> String {
        stamp((self.clock)())
    }

    // ------------------------------------------------------------ agreements

    /// Creates a new draft from a built-in template. `title` and `language` override the
    /// template's.
    pub fn create(
        &self,
        template_id: &str,
        title: Option<&str>,
        language: Option<Language>,
    ) -> Result<AgreementId> {
        let mut agreement = template::instantiate(template_id)?;
        if let Some(t) = title {
            agreement.title = t.trim().to_string();
        }
        if let Some(l) = language {
            agreement.language = l;
        }
        self.insert(&agreement, template_id)
    }

    fn insert(&self, agreement: &Agreement, template: &str) -> Result<AgreementId> {
        let prepared = Prepared::new(agreement)?;
        let now = self.now();
        self.store()
            .write(|tx| tx.insert_agreement(None, template, &prepared.row(agreement), &now))
    }

    /// The user's display preferences (language, theme); unset ones follow the system.
    pub fn preferences(&self) -> Result<Preferences> {
        let rows = self.store().read(|s| s.preferences())?;
        Ok(Preferences::from_rows(&rows))
    }

    /// Stores the display preferences (all of them, in one transaction) and returns them as
    /// stored; durable when this returns.
    pub fn set_preferences(&self, preferences: &Preferences) -> Result<Preferences> {
        self.store()
            .write(|tx| tx.put_preferences(&preferences.rows()))?;
        self.preferences()
    }

    pub fn list(&self, query: &ListQuery) -> Result<ListPage> {
        if query.limit == 0 || query.limit > 1000 {
            return Err(Error::invalid(
                "limit",
                format!("page size {} is not between 1 and 1000", query.limit),
            ));
        }
        self.store().read(|r| r.list(query))
    }

    pub fn summary(&self, id: AgreementId) -> Result<AgreementSummary> {
        self.store().read(|r| r.summary(id))
    }

    /// The current draft of an agreement.
    pub fn draft(&self, id: AgreementId) -> Result<Draft> {
        let (stored, summary) = self
            .store()
            .read(|r| Ok((r.load_draft(id)?, r.summary(id)?)))?;
        let agreement = parse_stored(&stored.draft, &format!("draft of agreement {id}"))?;
        Ok(Draft {
            summary,
            revision: stored.revision,
            agreement,
        })
    }

    /// Saves a draft, whatever was saved since it was read (the last save wins). Saving an
    /// unchanged draft writes nothing and returns `changed: false`. A front end that shows the
    /// draft to someone editing it saves with [`Library::save_draft_expecting`] instead.
    pub fn save_draft(&self, id: AgreementId, agreement: &Agreement) -> Result<SaveOutcome> {
        self.save_draft_expecting(id, agreement, None)
    }

    /// Saves a draft over `expected_revision`, the revision the caller last read or saved.
    /// When the stored draft is at another revision, someone else (another window, the
    /// command line) saved it in between: the save is refused with [`Error::DraftConflict`]
    /// and nothing is written, so neither side's change is lost without being seen. `None`
    /// saves whatever the stored revision is. Saving an unchanged draft writes nothing and is
    /// no conflict.
    pub fn save_draft_expecting(
        &self,
        id: AgreementId,
        agreement: &Agreement,
        expected_revision: Option<u32>,
    ) -> Result<SaveOutcome> {
        let prepared = Prepared::new(agreement)?;
        let now = self.now();
        self.store()
            .write(|tx| tx.save_draft(id, &prepared.row(agreement), expected_revision, &now))
    }

    /// Saves a draft sent as JSON (what the desktop UI edits) over `expected_revision` (see
    /// [`Library::save_draft_expecting`]). The draft is validated once, and every problem —
    /// a bad field, a typed value that does not parse, a missing title — is reported at its
    /// path from `$`, the agreement that was sent (`$.title`,
    /// `$.support_levels.priorities[0].resolution`, [`interchange::DRAFT_PATH`]); nothing is
    /// written.
    pub fn save_draft_value(
        &self,
        id: AgreementId,
        agreement: serde_json::Value,
        expected_revision: Option<u32>,
    ) -> Result<SaveOutcome> {
        let (agreement, value) = interchange::storable(agreement, interchange::DRAFT_PATH)?;
        let prepared = Prepared::of_valid(&agreement, &value)?;
        let now = self.now();
        self.store()
            .write(|tx| tx.save_draft(id, &prepared.row(&agreement), expected_revision, &now))
    }

    /// Completeness and consistency findings of the current draft.
    pub fn check(&self, id: AgreementId) -> Result<Report> {
        Ok(check::check(&self.draft(id)?.agreement))
    }

    /// A new draft with the same content, titled "… (copy)" in the agreement's language.
    pub fn duplicate(&self, id: AgreementId) -> Result<AgreementId> {
        let draft = self.draft(id)?;
        let mut agreement = draft.agreement;
        let suffix = agreement.language.pick("Kopie", "copy");
        agreement.title = format!("{} ({suffix})", agreement.title);
        self.insert(&agreement, &draft.summary.template)
    }

    pub fn archive(&self, id: AgreementId) -> Result<Status> {
        let now = self.now();
        self.store()
            .write(|tx| tx.set_status(id, StatusChange::Archive, &now))
    }

    /// Restores an archived agreement to the status it had before.
    pub fn unarchive(&self, id: AgreementId) -> Result<Status> {
        let now = self.now();
        self.store()
            .write(|tx| tx.set_status(id, StatusChange::Unarchive, &now))
    }

    /// Moves a frozen draft into review (the signing workflow requests approval this way).
    /// Moving to `InForce` is not possible here: only verified signatures do that.
    pub fn request_review(&self, id: AgreementId) -> Result<Status> {
        let now = self.now();
        self.store().write(|tx| {
            if tx.summary(id)?.current_version.is_none() {
                return Err(Error::NotAllowed(format!(
                    "agreement {id} has no frozen version to review"
                )));
            }
            tx.set_status(id, StatusChange::Step(Status::InReview), &now)
        })
    }

    /// Withdraws the request for approval of the version in review: the agreement returns to
    /// `draft` (recorded as a status change) so that the draft can be edited and frozen again.
    /// Signatures already given stay in the history and still count for that version if it is
    /// put up for approval again.
    pub fn withdraw_review(&self, id: AgreementId) -> Result<Status> {
        let now = self.now();
        self.store().write(|tx| {
            let status = tx.summary(id)?.status;
            if status != Status::InReview {
                return Err(Error::NotAllowed(format!(
                    "agreement {id} is {status}, not in review; there is no request to withdraw"
                )));
            }
            tx.set_status(id, StatusChange::Step(Status::Draft), &now)
        })
    }

    // ------------------------------------------------------------ versions

    /// Freezes the current draft into the next immutable version.
    pub fn freeze(&self, id: AgreementId, note: &str) -> Result<VersionInfo> {
        if note.len() > interchange::MAX_FIELD_BYTES {
            return Err(Error::invalid("note", "the version note is too long"));
        }
        // The note is printed in the PDF's version history: the same characters as in the text.
        if let Some(why) = interchange::refused_character(note) {
            return Err(Error::invalid("note", format!("the version note {why}")));
        }
        self.refuse_outside_amendments(id)?;
        // The draft, its status and the version's place in the chain are read inside the one
        // transaction that appends the version: a draft saved by another writer in between
        // is either frozen whole or not at all, never replaced by an older one.
        self.store().write(|tx| tx.freeze(
            id,
            note.trim(),
            |d| {
                match d.status {
                    Status::Draft => {}
                    Status::Archived => {
                        return Err(Error::NotAllowed(format!(
                            "agreement {id} is archived; unarchive it first"
                        )))
                    }
                    Status::InReview => {
                        let n = d.current_version.map_or("-".into(), |n| n.to_string());
                        return Err(Error::NotAllowed(format!(
                            "version {n} of agreement {id} is in review; withdraw the request or wait for the decision before freezing a new version"
                        )));
                    }
                    Status::InForce | Status::Superseded => {
                        return Err(Error::NotAllowed(format!(
                            "agreement {id} is in force; changes go through amendments (propose the draft as an amendment)"
                        )))
                    }
                }
                let agreement = parse_stored(&d.draft, &format!("draft of agreement {id}"))?;
                canonical_with_hash(&agreement)
                    .map_err(|e| Error::Corrupt(format!("draft of agreement {id}: {e}")))
            },
            |previous| not_before(self.now(), previous),
        ))
    }

    pub fn versions(&self, id: AgreementId) -> Result<Vec<VersionInfo>> {
        self.store().read(|r| r.versions(id))
    }

    /// A version's content, after checking that the stored bytes still match its hash.
    pub fn version(&self, id: AgreementId, number: u32) -> Result<Version> {
        let (info, content) = self.store().read(|r| r.version(id, number))?;
        let actual = crate::canonical::sha256_hex(content.as_bytes());
        if actual != info.hash {
            return Err(Error::Corrupt(format!(
                "version {number} of agreement {id} does not match its hash (stored {}, computed {actual})",
                info.hash
            )));
        }
        let agreement = parse_stored(&content, &format!("version {number} of agreement {id}"))?;
        Ok(Version { info, agreement })
    }

    /// The exact canonical bytes stored for a version.
    pub fn version_content(&self, id: AgreementId, number: u32) -> Result<String> {
        Ok(self.store().read(|r| r.version(id, number))?.1)
    }

    /// Compares two versions; labels are in the newer version's language.
    pub fn diff(&self, id: AgreementId, from: u32, to: u32) -> Result<Comparison> {
        let a = self.version(id, from)?;
        let b = self.version(id, to)?;
        Ok(diff::compare(
            &a.agreement,
            &b.agreement,
            b.agreement.language,
        ))
    }

    /// Compares a version with the current draft.
    pub fn diff_draft(&self, id: AgreementId, from: u32) -> Result<Comparison> {
        let a = self.version(id, from)?;
        let b = self.draft(id)?;
        Ok(diff::compare(
            &a.agreement,
            &b.agreement,
            b.agreement.language,
        ))
    }

    // ------------------------------------------------------------ search

    /// Full-text search over titles, parties and clause text. At most `limit` hits, best first.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        if query.len() > 1000 {
            return Err(Error::invalid(
                "query",
                "the search text is longer than 1000 bytes",
            ));
        }
        self.store().read(|r| r.search(query, limit.clamp(1, 1000)))
    }

    // ------------------------------------------------------------ interchange

    /// The interchange JSON of an agreement's draft.
    pub fn export(&self, id: AgreementId) -> Result<String> {
        Ok(interchange::to_json(&self.draft(id)?.agreement))
    }

    /// Imports an interchange file as a new draft. Writes nothing unless the whole file is valid.
    pub fn import(&self, bytes: &[u8]) -> Result<AgreementId> {
        let agreement = interchange::from_json(bytes)?;
        self.insert(&agreement, "")
    }

    /// Replaces the draft of `id` with the agreement in an interchange file, over
    /// `expected_revision` when given (see [`Library::save_draft_expecting`]).
    pub fn update_from_json(
        &self,
        id: AgreementId,
        bytes: &[u8],
        expected_revision: Option<u32>,
    ) -> Result<SaveOutcome> {
        let agreement = interchange::from_json(bytes)?;
        self.save_draft_expecting(id, &agreement, expected_revision)
    }
}

/// A validated agreement with everything the store writes about it.
struct Prepared {
    canonical: String,
    hash: String,
    report: Report,
    parties: String,
    body: String,
}

impl Prepared {
    /// Validates an agreement held in memory; its problems are at `$.agreement.…`, where the
    /// interchange file has the agreement.
    fn new(agreement: &Agreement) -> Result<Prepared> {
        let value = serde_json::to_value(agreement).expect("the model always serializes");
        let (_, value) = interchange::storable(value, "$.agreement")?;
        Self::of_valid(agreement, &value)
    }

    /// Everything the store writes about `agreement`, which [`interchange::storable`] has
    /// validated and turned into `value`.
    fn of_valid(agreement: &Agreement, value: &serde_json::Value) -> Result<Prepared> {
        let canonical = crate::canonical::value_to_canonical(value)
            .map_err(|e| Error::invalid("$.agreement", e.to_string()))?;
        let hash = crate::canonical::sha256_hex(canonical.as_bytes());
        let report = check::check(agreement);
        let o = &agreement.overview;
        let mut parties = vec![o.provider.name.as_str(), o.customer.name.as_str()];
        parties.extend(
            o.provider
                .contacts
                .iter()
                .chain(&o.customer.contacts)
                .map(|c| c.name.as_str()),
        );
        let mut body = String::new();
        for section in Section::ALL {
            body.push_str(&clause::plain_text(agreement.clauses(section)));
        }
        Ok(Prepared {
            canonical,
            hash,
            report,
            parties: parties.join("\n"),
            body,
        })
    }

    fn row<'a>(&'a self, agreement: &'a Agreement) -> DraftRow<'a> {
        DraftRow {
            title: agreement.title.trim(),
            customer: &agreement.overview.customer.name,
            provider: &agreement.overview.provider.name,
            language: agreement.language,
            draft: &self.canonical,
            draft_hash: &self.hash,
            completeness: self.report.completeness,
            open_errors: self.report.error_count(),
            parties: &self.parties,
            body: &self.body,
        }
    }
}

fn parse_stored(json: &str, what: &str) -> Result<Agreement> {
    serde_json::from_str(json).map_err(|e| Error::Corrupt(format!("{what} no longer parses: {e}")))
}

/// `now`, or `previous` when that is later: a version is never dated before its predecessor,
/// even when written from a clock that is behind (another process, another machine).
fn not_before(now: String, previous: Option<&str>) -> String {
    let later = |p: &str| {
        let p = DateTime::parse_from_rfc3339(p).ok()?;
        let n = DateTime::parse_from_rfc3339(&now).ok()?;
        (p > n).then_some(())
    };
    match previous {
        Some(p) if later(p).is_some() => p.to_string(),
        _ => now,
    }
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

// PDF export
impl Library {
    /// The agreement as a PDF: a frozen `version`, or the current draft (`None`, marked as a
    /// draft on every page). `lang` re-labels the generated text (default: the agreement's
    /// language); clause text stays as written.
    pub fn pdf(
        &self,
        id: AgreementId,
        version: Option<u32>,
        lang: Option<Language>,
    ) -> Result<Vec<u8>> {
        let (agreement, ctx) = self.pdf_context(id, version, lang)?;
        crate::pdf::render_agreement(&agreement, &ctx)
    }

    /// The agreement PDF of a frozen `version` with the given signature page lines and
    /// history checkpoint, and where each signed line's visible signature goes: pass
    /// `signature_fields[i]` to [`crate::pdf::sign_pdf`] for the signer of line `i`.
    pub fn pdf_for_signing(
        &self,
        id: AgreementId,
        version: u32,
        lang: Option<Language>,
        signature_lines: Vec<crate::pdf::SignatureLine>,
        checkpoint: Option<String>,
    ) -> Result<crate::pdf::RenderedAgreement> {
        let (agreement, mut ctx) = self.pdf_context(id, Some(version), lang)?;
        ctx.signature_lines = signature_lines;
        ctx.checkpoint = checkpoint;
        crate::pdf::render_agreement_for_signing(&agreement, &ctx)
    }

    fn pdf_context(
        &self,
        id: AgreementId,
        version: Option<u32>,
        lang: Option<Language>,
    ) -> Result<(Agreement, crate::pdf::PdfContext)> {
        let summary = self.summary(id)?;
        // The note and time of a version an amendment created as its signed records give
        // them (what `history` shows), not as stored.
        let history = match self.history(id) {
            Ok(h) => h.versions.into_iter().map(|v| v.info).collect(),
            Err(_) => self.versions(id)?,
        };
        let (agreement, shown, content_hash) = match version {
            Some(number) => {
                let v = self.version(id, number)?;
                let hash = v.info.hash.clone();
                (v.agreement, Some(v.info), hash)
            }
            None => {
                let draft = self.draft(id)?;
                let (_, hash) = canonical_with_hash(&draft.agreement)
                    .map_err(|e| Error::Corrupt(format!("draft of agreement {id}: {e}")))?;
                (draft.agreement, None, hash)
            }
        };
        let lang = lang.unwrap_or(agreement.language);
        // A frozen version's signature page comes from its signed history; every PDF
        // carries the history checkpoint (unsigned here: no signer is unlocked).
        let signature_lines = match &shown {
            Some(info) => self.pdf_signature_lines(id, info.number, lang)?,
            None => Vec::new(),
        };
        let checkpoint = Some(self.checkpoint(id)?.to_text());
        let ctx = crate::pdf::PdfContext {
            lang,
            agreement_id: Some(id),
            agreement_uid: summary.uid,
            version: shown,
            status: summary.status,
            content_hash,
            history,
            amendment_log: self.amendment_log(id)?,
            exported_at: (self.clock)(),
            signature_lines,
            checkpoint,
        };
        Ok((agreement, ctx))
    }

    /// A redline PDF comparing two frozen versions; labels in `lang` (default: the language of
    /// version `to`).
    pub fn pdf_redline(
        &self,
        id: AgreementId,
        from: u32,
        to: u32,
        lang: Option<Language>,
    ) -> Result<Vec<u8>> {
        let a = self.version(id, from)?;
        let b = self.version(id, to)?;
        let ctx = crate::pdf::RedlineContext {
            lang: lang.unwrap_or(b.agreement.language),
            from: a.info,
            to: b.info,
            exported_at: (self.clock)(),
        };
        crate::pdf::render_redline(&a.agreement, &b.agreement, &ctx)
    }

    /// A redline PDF of an amendment: its base version against the content it proposes
    /// (for an enacted amendment, the version it created); labels in `lang` (default: the
    /// proposal's language).
    pub fn pdf_redline_amendment(
        &self,
        id: AgreementId,
        amendment: impl Into<crate::signing::AmendmentRef>,
        lang: Option<Language>,
    ) -> Result<Vec<u8>> {
        let review = self.amendment(id, amendment)?;
        let base = self.version(id, review.summary.base_version)?;
        let to = VersionInfo {
            agreement: id,
            number: review.summary.target_version,
            hash: review.summary.content_hash.clone(),
            previous_hash: Some(base.info.hash.clone()),
            note: review.summary.reason.clone(),
            created_at: review.summary.proposed_at.clone(),
        };
        let ctx = crate::pdf::RedlineContext {
            lang: lang.unwrap_or(review.proposed.language),
            from: base.info,
            to,
            exported_at: (self.clock)(),
        };
        crate::pdf::render_redline(&base.agreement, &review.proposed, &ctx)
    }
}
