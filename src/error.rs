//! The engine's one error type. Every variant has a stable [`Error::code`] that front ends
//! branch on (the desktop UI maps codes to messages in its own language); `Display` gives an
//! English sentence for logs and the CLI.

use std::path::PathBuf;

/// One problem found in input, with the JSON path of the offending field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Problem {
    /// JSON path such as `$.agreement.support_levels.priorities[0].resolution`.
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Everything that can go wrong in the engine.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No agreement with this id.
    #[error("agreement {0} does not exist")]
    AgreementNotFound(i64),
    /// The agreement has no version with this number.
    #[error("agreement {agreement} has no version {version}")]
    VersionNotFound { agreement: i64, version: u32 },
    /// No built-in template with this id.
    #[error("there is no template \"{0}\"")]
    TemplateNotFound(String),
    /// Input (a file, a draft, a field) is invalid; each problem names its JSON path.
    #[error("invalid input: {}", .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Problem>),
    /// Input exceeds a size limit.
    #[error("{what} is {actual} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        what: String,
        actual: u64,
        limit: u64,
    },
    /// The operation is not allowed in the agreement's current state.
    #[error("{0}")]
    NotAllowed(String),
    /// A draft was saved over a revision other than the one the caller last read: someone
    /// else (another window, the command line) saved the draft in between. Nothing was written.
    #[error("the draft of agreement {agreement} was changed elsewhere: it is at revision {actual}, not {expected}; reload it before saving")]
    DraftConflict {
        agreement: i64,
        expected: u32,
        actual: u32,
    },
    /// The database was written by a newer Pactum.
    #[error("the database {path} has schema version {found}, but this Pactum only knows up to {supported}; update Pactum to open it")]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    /// An immutable record (a version) was about to change.
    #[error("version records are immutable: {0}")]
    Immutable(String),
    /// SQLite reported a failure (other than damage, which is [`Error::Corrupt`]).
    #[error("database error: {0}")]
    Storage(rusqlite::Error),
    /// Another process held the database longer than the busy timeout.
    #[error("the database is busy in another program; try again ({0})")]
    Busy(String),
    /// Bringing the schema up to date failed; the database is left as it was.
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// A file could not be read, written, created or renamed.
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
    /// Stored data does not have the expected form (e.g. a version's JSON no longer parses).
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    /// A file given as PDF could not be read as one (not a PDF, damaged, or encrypted).
    #[error("the file cannot be read as a PDF: {0}")]
    PdfUnreadable(String),
    /// A PDF's embedded signatures did not all check out (details in the verification report).
    #[error("the PDF signatures are not valid: {0}")]
    PdfSignatureInvalid(String),
    /// No own or trusted identity matches the name or fingerprint given.
    #[error("{0}")]
    IdentityNotFound(String),
    /// The agreement has no amendment with this number.
    #[error("agreement {agreement} has no amendment {amendment}")]
    AmendmentNotFound { agreement: i64, amendment: u32 },
    /// The passphrase does not open an intact private-key record.
    #[error("wrong passphrase for the key of {0}")]
    WrongPassphrase(String),
    /// A private-key record no longer has the form it was written in (a damaged byte).
    #[error("the private key record is damaged: {0}")]
    KeyDamaged(String),
    /// A signature (on an identity card, statement, checkpoint) does not verify.
    #[error("signature does not verify: {0}")]
    SignatureInvalid(String),
    /// A signature or card comes from a key that is not in the trust list.
    #[error("{0}")]
    UntrustedSigner(String),
    /// The agreement's signed history does not verify; the operation was refused.
    #[error("the signed history does not verify: {0}")]
    VerificationFailed(String),
    /// An identity card claims a trusted (or own) person — same name or e-mail — with a key
    /// that is not trusted for them. Refused unless the caller decides explicitly
    /// (`Library::import_card_as_new_key`), naming the trusted fingerprint it was shown.
    #[error("{} ({}, {}) is already trusted with the key {}, but this card has another key, {}; compare both with them by phone before adding or replacing the key", .0.known.name, .0.known.organisation, .0.known.email, .0.known.fingerprint_display, .0.new.fingerprint_display)]
    KnownPersonNewKey(Box<crate::signing::KeyConflict>),
    /// An exchange bundle (or identity card, checkpoint) was refused; nothing was written.
    #[error("the exchange file was refused: {}", .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; "))]
    BundleInvalid(Vec<Problem>),
}

impl Error {
    /// Stable machine-readable code; never changes once released.
    pub fn code(&self) -> &'static str {
        match self {
            Error::AgreementNotFound(_) => "agreement_not_found",
            Error::VersionNotFound { .. } => "version_not_found",
            Error::TemplateNotFound(_) => "template_not_found",
            Error::Invalid(_) => "invalid_input",
            Error::TooLarge { .. } => "too_large",
            Error::NotAllowed(_) => "not_allowed",
            Error::DraftConflict { .. } => "draft_conflict",
            Error::SchemaTooNew { .. } => "schema_too_new",
            Error::Immutable(_) => "immutable",
            Error::Storage(_) => "storage",
            Error::Busy(_) => "busy",
            Error::Migration(_) => "migration",
            Error::Io { .. } => "io",
            Error::Corrupt(_) => "corrupt",
            Error::PdfUnreadable(_) => "pdf_unreadable",
            Error::PdfSignatureInvalid(_) => "pdf_signature_invalid",
            Error::IdentityNotFound(_) => "identity_not_found",
            Error::AmendmentNotFound { .. } => "amendment_not_found",
            Error::WrongPassphrase(_) => "wrong_passphrase",
            Error::KeyDamaged(_) => "key_damaged",
            Error::SignatureInvalid(_) => "signature_invalid",
            Error::UntrustedSigner(_) => "untrusted_signer",
            Error::VerificationFailed(_) => "verification_failed",
            Error::BundleInvalid(_) => "bundle_invalid",
            Error::KnownPersonNewKey(_) => "known_person_new_key",
        }
    }

    /// Whether the error is the caller's (bad input, unknown id) rather than the system's.
    pub fn is_input_error(&self) -> bool {
        matches!(
            self,
            Error::AgreementNotFound(_)
                | Error::VersionNotFound { .. }
                | Error::TemplateNotFound(_)
                | Error::Invalid(_)
                | Error::TooLarge { .. }
                | Error::NotAllowed(_)
                | Error::DraftConflict { .. }
                | Error::PdfUnreadable(_)
                | Error::PdfSignatureInvalid(_)
                | Error::IdentityNotFound(_)
                | Error::AmendmentNotFound { .. }
                | Error::WrongPassphrase(_)
                | Error::UntrustedSigner(_)
                | Error::BundleInvalid(_)
                | Error::KnownPersonNewKey(_)
        )
    }

    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    pub(crate) fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid(vec![Problem {
            path: path.into(),
            message: message.into(),
        }])
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                Error::Corrupt(format!("the database file is damaged ({e}); copy it somewhere safe and restore a backup"))
            }
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                Error::Busy(e.to_string())
            }
            _ => Error::Storage(e),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
