//! The commands of the signing workflow: identities and the trust list, the approval policy,
//! requesting approval, signing and rejecting, amendments, the history timeline, verification
//! and exchange bundles.
//!
//! Like [`crate::commands`], each takes the managed [`Database`] and its arguments, makes one
//! call into `pactum::Library` and turns its error into a [`CommandError`] (the one conversion,
//! which keeps a refused exchange file's problems and a key conflict's two sides). Passphrases arrive as arguments, go straight
//! to the engine and are dropped when the command returns: nothing here stores, logs or returns
//! them, and no private key ever leaves the engine. Files (identity cards, bundles) are chosen
//! with the native dialogs from Rust ([`crate::files`]), so the UI never names a path.

use pactum::diff::Comparison;
use pactum::library::SignOutcome;
use pactum::record::AgreementId;
use pactum::signing::{
    AmendmentLogEntry, AmendmentRef, AmendmentSummary, ApprovalRequest, BundleRequest, History,
    IdentityCard, IdentityInfo, ImportOutcome, KeyDecision, NewIdentity, PendingApproval, Policy,
    Role, VerificationReport,
};
use pactum::ErrorCode;
use serde::Serialize;
use std::sync::Mutex;
use tauri::State;

use crate::commands::AgreementJson;
use crate::database::Database;
use crate::error::CommandError;
use crate::files;

// ------------------------------------------------------------ identities

/// Own identities first, then the trust list (and distrusted cards). Public data only.
#[tauri::command]
#[specta::specta]
pub async fn list_identities(
    database: State<'_, Database>,
) -> Result<Vec<IdentityInfo>, CommandError> {
    database.library()?.identities().map_err(CommandError::from)
}

/// Creates an own signing identity; its private keys are sealed with `passphrase`.
#[tauri::command]
#[specta::specta]
pub async fn create_identity(
    database: State<'_, Database>,
    identity: NewIdentity,
    passphrase: String,
) -> Result<IdentityInfo, CommandError> {
    database
        .library()?
        .create_identity(&identity, &passphrase)
        .map_err(CommandError::from)
}

/// Asks where to save with the native dialog and writes the public identity card of
/// `identity` (name or fingerprint) there. The path, `None` if cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_identity_card(
    database: State<'_, Database>,
    app: tauri::AppHandle,
    identity: String,
    suggested_name: String,
) -> Result<Option<String>, CommandError> {
    let card = database.library()?.export_card(&identity)?;
    let Some(path) = files::pick_export(&app, &suggested_name) else {
        return Ok(None);
    };
    files::write_atomically(&path, card.as_bytes())?;
    Ok(Some(path.display().to_string()))
}

/// The identity card last refused because it claims a trusted person with another key
/// (`known_person_new_key`), kept so that the explicit decision applies to exactly the file the
/// user chose in the dialog: the UI never sends card bytes or paths.
#[derive(Default)]
pub struct PendingCard(Mutex<Option<Vec<u8>>>);

/// Asks for someone's identity card with the native dialog and adds it to the trust list after
/// the engine checked its self-signature. `None` if cancelled. A card claiming a trusted person
/// with another key is refused with `known_person_new_key` and both sides in `key_conflict`;
/// [`import_identity_card_as_new_key`] then decides on that same card.
#[tauri::command]
#[specta::specta]
pub async fn import_identity_card(
    database: State<'_, Database>,
    pending: State<'_, PendingCard>,
    app: tauri::AppHandle,
) -> Result<Option<IdentityInfo>, CommandError> {
    let library = database.library()?;
    let Some(path) = files::pick_import(&app) else {
        return Ok(None);
    };
    let bytes = files::read_limited(&path)?;
    match library.import_card(&bytes) {
        Ok(info) => Ok(Some(info)),
        Err(err) => {
            let refused = matches!(err, pactum::Error::KnownPersonNewKey(_));
            *pending.0.lock().unwrap_or_else(|e| e.into_inner()) = refused.then_some(bytes);
            Err(err.into())
        }
    }
}

/// The explicit decision on the card [`import_identity_card`] just refused: trust it as a
/// further key of the person whose trusted fingerprint the dialog showed (`known_fingerprint`),
/// keeping the old key (`add`) or distrusting it (`replace`). `new_fingerprint` must be the
/// refused card's; if the trust list changed meanwhile the engine refuses again with the
/// current `key_conflict`.
#[tauri::command]
#[specta::specta]
pub async fn import_identity_card_as_new_key(
    database: State<'_, Database>,
    pending: State<'_, PendingCard>,
    new_fingerprint: String,
    known_fingerprint: String,
    decision: KeyDecision,
) -> Result<IdentityInfo, CommandError> {
    let library = database.library()?;
    let mut slot = pending.0.lock().unwrap_or_else(|e| e.into_inner());
    let Some(bytes) = slot.as_ref() else {
        return Err(CommandError::new(
            ErrorCode::NotAllowed,
            "there is no refused identity card to decide on; import the card again",
        ));
    };
    let card = IdentityCard::from_json(bytes)?;
    if card.fingerprint != new_fingerprint {
        return Err(CommandError::new(
            ErrorCode::NotAllowed,
            "the decision is about another card than the one last refused; import the card again",
        ));
    }
    let info = library.import_card_as_new_key(bytes, &known_fingerprint, decision)?;
    *slot = None;
    Ok(info)
}

/// Removes a card from the trust list; its signatures no longer count.
#[tauri::command]
#[specta::specta]
pub async fn distrust_identity(
    database: State<'_, Database>,
    identity: String,
) -> Result<IdentityInfo, CommandError> {
    database
        .library()?
        .distrust(&identity)
        .map_err(CommandError::from)
}

// ------------------------------------------------------------ policy and approval

/// Which roles must approve the agreement's versions.
#[tauri::command]
#[specta::specta]
pub async fn approval_policy(
    database: State<'_, Database>,
    id: AgreementId,
) -> Result<Policy, CommandError> {
    database.library()?.policy(id).map_err(CommandError::from)
}

/// Sets the roles that must approve; refused once someone has signed.
#[tauri::command]
#[specta::specta]
pub async fn set_approval_policy(
    database: State<'_, Database>,
    id: AgreementId,
    roles: Vec<Role>,
) -> Result<Policy, CommandError> {
    database
        .library()?
        .set_policy(id, &roles)
        .map_err(CommandError::from)
}

/// Puts the newest frozen version up for approval.
#[tauri::command]
#[specta::specta]
pub async fn request_approval(
    database: State<'_, Database>,
    id: AgreementId,
) -> Result<ApprovalRequest, CommandError> {
    database
        .library()?
        .request_approval(id)
        .map_err(CommandError::from)
}

/// Signs the approval of the version under review as the own identity `identity`.
#[tauri::command]
#[specta::specta]
pub async fn sign_version(
    database: State<'_, Database>,
    id: AgreementId,
    version: u32,
    identity: String,
    passphrase: String,
) -> Result<SignOutcome, CommandError> {
    database
        .library()?
        .sign(id, version, &identity, &passphrase)
        .map_err(CommandError::from)
}

/// Signs the rejection of the version under review, with a comment saying why.
#[tauri::command]
#[specta::specta]
pub async fn reject_version(
    database: State<'_, Database>,
    id: AgreementId,
    version: u32,
    identity: String,
    passphrase: String,
    comment: String,
) -> Result<SignOutcome, CommandError> {
    database
        .library()?
        .reject_version(id, version, &identity, &passphrase, &comment)
        .map_err(CommandError::from)
}

// ------------------------------------------------------------ amendments

/// Proposes the current draft as an amendment of the version in force, with a reason; signed
/// by `proposer` (identity and passphrase) when given.
#[tauri::command]
#[specta::specta]
pub async fn propose_amendment(
    database: State<'_, Database>,
    id: AgreementId,
    reason: String,
    proposer: Option<String>,
    passphrase: Option<String>,
) -> Result<AmendmentSummary, CommandError> {
    let signer = proposer
        .as_deref()
        .map(|identity| (identity, passphrase.as_deref().unwrap_or("")));
    database
        .library()?
        .propose_amendment_from_draft(id, &reason, signer)
        .map_err(CommandError::from)
}

/// An amendment as a reviewer sees it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AmendmentReviewView {
    pub summary: AmendmentSummary,
    /// Redline and changed terms against the version it is based on.
    pub comparison: Comparison,
    /// The proposed agreement (the engine's JSON).
    pub proposed: AgreementJson,
}

/// One amendment for review: its decisions, the redline and the changed terms.
#[tauri::command]
#[specta::specta]
pub async fn amendment_review(
    database: State<'_, Database>,
    id: AgreementId,
    number: u32,
    content_hash: Option<String>,
) -> Result<AmendmentReviewView, CommandError> {
    let review = database
        .library()?
        .amendment(id, AmendmentRef::new(number, content_hash))?;
    let proposed = serde_json::to_value(&review.proposed)
        .map_err(|err| CommandError::new(ErrorCode::Internal, err.to_string()))?;
    Ok(AmendmentReviewView {
        summary: review.summary,
        comparison: review.comparison,
        proposed: AgreementJson(proposed),
    })
}

/// Signs the approval of an amendment as the own identity `identity`.
#[tauri::command]
#[specta::specta]
pub async fn approve_amendment(
    database: State<'_, Database>,
    id: AgreementId,
    number: u32,
    content_hash: Option<String>,
    identity: String,
    passphrase: String,
) -> Result<SignOutcome, CommandError> {
    database
        .library()?
        .approve(
            id,
            AmendmentRef::new(number, content_hash),
            &identity,
            &passphrase,
        )
        .map_err(CommandError::from)
}

/// Signs the rejection of an amendment, with a comment saying why.
#[tauri::command]
#[specta::specta]
pub async fn reject_amendment(
    database: State<'_, Database>,
    id: AgreementId,
    number: u32,
    content_hash: Option<String>,
    identity: String,
    passphrase: String,
    comment: String,
) -> Result<SignOutcome, CommandError> {
    database
        .library()?
        .reject(
            id,
            AmendmentRef::new(number, content_hash),
            &identity,
            &passphrase,
            &comment,
        )
        .map_err(CommandError::from)
}

// ------------------------------------------------------------ history and verification

/// The history timeline: versions with their state and signatures, and every amendment.
#[tauri::command]
#[specta::specta]
pub async fn agreement_history(
    database: State<'_, Database>,
    id: AgreementId,
) -> Result<History, CommandError> {
    database.library()?.history(id).map_err(CommandError::from)
}

/// What this database's own identities still have to decide on, over all agreements.
#[tauri::command]
#[specta::specta]
pub async fn pending_approvals(
    database: State<'_, Database>,
) -> Result<Vec<PendingApproval>, CommandError> {
    database
        .library()?
        .pending_approvals()
        .map_err(CommandError::from)
}

/// Verifies the agreement's whole signed history; every problem is a finding with a code.
#[tauri::command]
#[specta::specta]
pub async fn verify_agreement(
    database: State<'_, Database>,
    id: AgreementId,
) -> Result<VerificationReport, CommandError> {
    database.library()?.verify(id).map_err(CommandError::from)
}

/// The amendments log of section 9, derived from the signed history.
#[tauri::command]
#[specta::specta]
pub async fn amendment_log(
    database: State<'_, Database>,
    id: AgreementId,
) -> Result<Vec<AmendmentLogEntry>, CommandError> {
    database
        .library()?
        .amendment_log(id)
        .map_err(CommandError::from)
}

// ------------------------------------------------------------ exchange bundles

/// Writes an exchange file (the signed history, one amendment, or an answer), signed by the
/// own identity `identity`, where the user chooses with the native save dialog. The path,
/// `None` if cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_bundle(
    database: State<'_, Database>,
    app: tauri::AppHandle,
    id: AgreementId,
    request: BundleRequest,
    identity: String,
    passphrase: String,
    suggested_name: String,
) -> Result<Option<String>, CommandError> {
    let bytes = database
        .library()?
        .export_bundle(id, request, &identity, &passphrase)?;
    let Some(path) = files::pick_export(&app, &suggested_name) else {
        return Ok(None);
    };
    files::write_atomically(&path, &bytes)?;
    Ok(Some(path.display().to_string()))
}

/// Asks for an exchange file with the native open dialog and imports it. The engine checks
/// everything first; a tampered file is refused (`bundle_invalid` with its problems, or
/// `untrusted_signer`, …) and writes nothing. `None` if cancelled.
#[tauri::command]
#[specta::specta]
pub async fn import_bundle(
    database: State<'_, Database>,
    app: tauri::AppHandle,
) -> Result<Option<ImportOutcome>, CommandError> {
    let library = database.library()?;
    let Some(path) = files::pick_import(&app) else {
        return Ok(None);
    };
    let bytes = files::read_limited(&path)?;
    library
        .import_bundle(&bytes)
        .map(Some)
        .map_err(CommandError::from)
}
