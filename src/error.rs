//! The engine's one error type. Every variant has a stable [`Error::code`] that front ends
//! branch on (the desktop UI maps codes to messages in its own language); `Display` gives an
//! English sentence for logs and the CLI. The codes themselves are the leaf module [`code`].

use std::path::PathBuf;

mod code;

pub use code::ErrorCode;

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
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::AgreementNotFound(_) => ErrorCode::AgreementNotFound,
            Error::VersionNotFound { .. } => ErrorCode::VersionNotFound,
            Error::TemplateNotFound(_) => ErrorCode::TemplateNotFound,
            Error::Invalid(_) => ErrorCode::InvalidInput,
            Error::TooLarge { .. } => ErrorCode::TooLarge,
            Error::NotAllowed(_) => ErrorCode::NotAllowed,
            Error::DraftConflict { .. } => ErrorCode::DraftConflict,
            Error::SchemaTooNew { .. } => ErrorCode::SchemaTooNew,
            Error::Immutable(_) => ErrorCode::Immutable,
            Error::Storage(_) => ErrorCode::Storage,
            Error::Busy(_) => ErrorCode::Busy,
            Error::Migration(_) => ErrorCode::Migration,
            Error::Io { .. } => ErrorCode::Io,
            Error::Corrupt(_) => ErrorCode::Corrupt,
            Error::PdfUnreadable(_) => ErrorCode::PdfUnreadable,
            Error::PdfSignatureInvalid(_) => ErrorCode::PdfSignatureInvalid,
            Error::IdentityNotFound(_) => ErrorCode::IdentityNotFound,
            Error::AmendmentNotFound { .. } => ErrorCode::AmendmentNotFound,
            Error::WrongPassphrase(_) => ErrorCode::WrongPassphrase,
            Error::KeyDamaged(_) => ErrorCode::KeyDamaged,
            Error::SignatureInvalid(_) => ErrorCode::SignatureInvalid,
            Error::UntrustedSigner(_) => ErrorCode::UntrustedSigner,
            Error::VerificationFailed(_) => ErrorCode::VerificationFailed,
            Error::BundleInvalid(_) => ErrorCode::BundleInvalid,
            Error::KnownPersonNewKey(_) => ErrorCode::KnownPersonNewKey,
        }
    }

    /// The problems that come with the error, each naming the JSON path it concerns: those of
    /// refused input (`invalid_input`) and of a refused exchange file (`bundle_invalid`). Empty
    /// for every other variant. (Written out per variant, so a new one decides what it carries.)
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::Invalid(problems) | Error::BundleInvalid(problems) => problems,
            Error::AgreementNotFound(_)
            | Error::VersionNotFound { .. }
            | Error::TemplateNotFound(_)
            | Error::TooLarge { .. }
            | Error::NotAllowed(_)
            | Error::DraftConflict { .. }
            | Error::SchemaTooNew { .. }
            | Error::Immutable(_)
            | Error::Storage(_)
            | Error::Busy(_)
            | Error::Migration(_)
            | Error::Io { .. }
            | Error::Corrupt(_)
            | Error::PdfUnreadable(_)
            | Error::PdfSignatureInvalid(_)
            | Error::IdentityNotFound(_)
            | Error::AmendmentNotFound { .. }
            | Error::WrongPassphrase(_)
            | Error::KeyDamaged(_)
            | Error::SignatureInvalid(_)
            | Error::UntrustedSigner(_)
            | Error::VerificationFailed(_)
            | Error::KnownPersonNewKey(_) => &[],
        }
    }

    /// Both sides of a refused identity card that claims a trusted person with another key
    /// (`known_person_new_key`), for the dialog that compares the fingerprints; `None` otherwise.
    pub fn key_conflict(&self) -> Option<&crate::signing::KeyConflict> {
        match self {
            Error::KnownPersonNewKey(conflict) => Some(conflict),
            _ => None,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(path: &str) -> Problem {
        Problem {
            path: path.to_owned(),
            message: "wrong".to_owned(),
        }
    }

    #[test]
    fn refused_input_and_refused_exchange_files_carry_their_problems() {
        let invalid = Error::Invalid(vec![problem("$.title")]);
        assert_eq!(invalid.code(), ErrorCode::InvalidInput);
        assert_eq!(
            invalid.problems(),
            [problem("$.title")],
            "the field to show it at"
        );
        let bundle = Error::BundleInvalid(vec![problem("$.signatures[0]")]);
        assert_eq!(bundle.code(), ErrorCode::BundleInvalid);
        assert_eq!(
            bundle.problems(),
            [problem("$.signatures[0]")],
            "an exchange file's problems reach the front end like those of input"
        );
        assert!(Error::AgreementNotFound(1).problems().is_empty());
        assert!(Error::AgreementNotFound(1).key_conflict().is_none());
    }

    #[test]
    fn codes_compare_with_their_wire_form() {
        let err = Error::Busy("locked".into());
        assert_eq!(
            err.code(),
            "busy",
            "tests and callers may name a code as text"
        );
        assert_eq!(err.code().to_string(), "busy");
    }
}
