//! The stable error codes front ends branch on: one [`ErrorCode`] for every way a call can
//! fail, whether the engine, the desktop shell or the UI's IPC layer found the problem.
//!
//! A leaf module: it depends on serde (and specta, for the desktop UI's TypeScript union)
//! only, so anything may name a code without pulling in the rest of the engine. Codes are
//! written as `snake_case` strings on the wire and never change once released; the desktop
//! UI has a message for each one in both languages (a test there walks [`ErrorCode::ALL`]).

/// Declares [`ErrorCode`] and [`ErrorCode::ALL`] from one list, so the list of all codes can
/// never miss a variant.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal,)+) => {
        /// A stable, machine-readable error code. Its wire form is the `snake_case` of the
        /// variant (`AgreementNotFound` → `"agreement_not_found"`), also [`ErrorCode::as_str`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)+
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)+];

            /// The code as it is written on the wire and in logs.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)+
                }
            }
        }
    };
}

error_codes! {
    // ---- the engine's (`Error::code`)
    /// No agreement with the id given.
    AgreementNotFound = "agreement_not_found",
    /// The agreement has no version with the number given.
    VersionNotFound = "version_not_found",
    /// No built-in template with the id given.
    TemplateNotFound = "template_not_found",
    /// Input was refused; each problem names the JSON path of its field.
    InvalidInput = "invalid_input",
    /// A file or value is larger than its limit.
    TooLarge = "too_large",
    /// Not possible in the agreement's current state.
    NotAllowed = "not_allowed",
    /// The draft was saved elsewhere since it was read; nothing was written.
    DraftConflict = "draft_conflict",
    /// The database was written by a newer Pactum.
    SchemaTooNew = "schema_too_new",
    /// Something tried to change a frozen version.
    Immutable = "immutable",
    /// SQLite reported a failure.
    Storage = "storage",
    /// Another program held the database longer than the busy timeout.
    Busy = "busy",
    /// Bringing the database's schema up to date failed.
    Migration = "migration",
    /// A file or folder could not be read or written.
    Io = "io",
    /// Stored data is damaged.
    Corrupt = "corrupt",
    /// A file given as PDF cannot be read as one.
    PdfUnreadable = "pdf_unreadable",
    /// A PDF's embedded signatures do not all check out.
    PdfSignatureInvalid = "pdf_signature_invalid",
    /// No own or trusted identity matches the name or fingerprint given.
    IdentityNotFound = "identity_not_found",
    /// The agreement has no amendment with the number given.
    AmendmentNotFound = "amendment_not_found",
    /// The passphrase does not open the private key.
    WrongPassphrase = "wrong_passphrase",
    /// A stored private key is damaged.
    KeyDamaged = "key_damaged",
    /// A signature does not verify.
    SignatureInvalid = "signature_invalid",
    /// Signed by a key that is not in the trust list.
    UntrustedSigner = "untrusted_signer",
    /// The agreement's signed history does not verify.
    VerificationFailed = "verification_failed",
    /// An identity card claims a trusted person with another key.
    KnownPersonNewKey = "known_person_new_key",
    /// An exchange file (or identity card, checkpoint) was refused.
    BundleInvalid = "bundle_invalid",
    // ---- the front ends' own
    /// The command line that started the desktop app is not valid (the shell's `--db`).
    InvalidArguments = "invalid_arguments",
    /// One typed field does not hold a valid value (checked while typing in the editor).
    InvalidValue = "invalid_value",
    /// The shell failed to encode an answer: a bug, not the user's input.
    Internal = "internal",
    /// The window could not reach the shell at all (set by the UI's IPC layer, never sent).
    Ipc = "ipc",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lets tests and callers compare a code with its wire form: `err.code() == "io"`.
impl PartialEq<str> for ErrorCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn the_wire_form_is_the_written_code() {
        for code in ErrorCode::ALL {
            assert_eq!(
                serde_json::to_value(code).expect("a code serialises"),
                serde_json::Value::String(code.as_str().to_owned()),
                "serde's snake_case name of {code:?} and its as_str must be one code"
            );
            let back: ErrorCode =
                serde_json::from_value(serde_json::json!(code.as_str())).expect("reads back");
            assert_eq!(back, *code, "{code} reads back as itself");
        }
    }

    #[test]
    fn codes_are_distinct() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "{code} is listed twice");
        }
    }
}
