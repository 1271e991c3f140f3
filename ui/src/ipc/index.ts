// The UI's only door to the backend: a thin wrapper over the generated `bindings.ts` that turns
// every outcome into `{ ok: true, value } | { ok: false, error: CommandError }`.
//
// The generated commands already return tauri-specta's `{ status, data | error }` results for
// errors a command returns; this wrapper also catches what the framework itself rejects with
// (an unknown command, a denied permission, no backend at all) so that screens handle one
// shape. Backend types are imported only from `bindings.ts`, never redefined.
import { commands } from "./bindings";
import type {
  AgreementSummary_Serialize,
  ClauseBlock,
  FieldKind,
  Normalised,
  PresetHoliday,
  ChecklistItem,
  CommandError,
  Comparison_Serialize,
  DatabaseInfo_Serialize,
  DraftView_Serialize,
  Finding,
  Language,
  ListPage_Serialize,
  ListQuery_Serialize,
  MovedAside,
  PermissionsTightened,
  Preferences,
  Problem,
  Report,
  SaveOutcome,
  SearchHit,
  Section,
  SectionScore,
  Severity,
  SortKey,
  Status,
  TemplateInfo,
  VersionInfo_Serialize,
  VersionView_Serialize,
} from "./bindings";

// tauri-specta exports each type as the backend serialises it (`_Serialize`: what the UI
// receives) and as it deserialises it (`_Deserialize`: what it accepts, with defaults
// optional). The UI receives the former and always sends complete values.
export type AgreementSummary = AgreementSummary_Serialize;
export type DatabaseInfo = DatabaseInfo_Serialize;
export type ListPage = ListPage_Serialize;
export type ListQuery = ListQuery_Serialize;
export type DraftView = DraftView_Serialize;
export type VersionInfo = VersionInfo_Serialize;
export type VersionView = VersionView_Serialize;
export type Comparison = Comparison_Serialize;
export type {
  ChecklistItem,
  CommandError,
  Finding,
  Language,
  MovedAside,
  PermissionsTightened,
  Preferences,
  Problem,
  Report,
  SaveOutcome,
  SearchHit,
  Section,
  SectionScore,
  Severity,
  SortKey,
  Status,
  TemplateInfo,
};

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: CommandError };

/** Any rejection as a `CommandError`; code `ipc` when it did not come from a command. */
export function toCommandError(reason: unknown): CommandError {
  if (typeof reason === "object" && reason !== null && "code" in reason && "message" in reason) {
    const { code, message, problems, key_conflict } = reason as {
      code: unknown;
      message: unknown;
      problems?: unknown;
      key_conflict?: unknown;
    };
    if (typeof code === "string" && typeof message === "string") {
      return {
        code,
        message,
        problems: Array.isArray(problems) ? (problems as Problem[]) : [],
        key_conflict: typeof key_conflict === "object" && key_conflict !== null ? (key_conflict as KeyConflict) : null,
      };
    }
  }
  const message = reason instanceof Error ? reason.message : String(reason);
  return { code: "ipc", message, problems: [], key_conflict: null };
}

async function settle<T>(
  call: () => Promise<{ status: "ok"; data: T } | { status: "error"; error: CommandError }>,
): Promise<Outcome<T>> {
  try {
    const result = await call();
    return result.status === "ok"
      ? { ok: true, value: result.data }
      : { ok: false, error: toCommandError(result.error) };
  } catch (reason) {
    return { ok: false, error: toCommandError(reason) };
  }
}

/** One page of the library, filtered and sorted by the engine. */
export function listAgreements(query: ListQuery): Promise<Outcome<ListPage>> {
  return settle(() => commands.listAgreements(query));
}

/** Which database is open and whether a damaged one was moved aside. */
export async function databaseInfo(): Promise<Outcome<DatabaseInfo>> {
  try {
    return { ok: true, value: await commands.databaseInfo() };
  } catch (reason) {
    return { ok: false, error: toCommandError(reason) };
  }
}

/** Stores the display preferences in the library's database; durable when it answers. */
export function setPreferences(preferences: Preferences): Promise<Outcome<Preferences>> {
  return settle(() => commands.setPreferences(preferences));
}

/** The built-in templates a new agreement can start from. */
export async function templates(): Promise<Outcome<TemplateInfo[]>> {
  try {
    return { ok: true, value: await commands.templates() };
  } catch (reason) {
    return { ok: false, error: toCommandError(reason) };
  }
}

/** Creates a draft from a template; `title` and `language` (when given) override the template's. */
export function createAgreement(template: string, title: string | null, language: Language | null): Promise<Outcome<number>> {
  return settle(() => commands.createAgreement(template, title, language));
}

/** The current draft of an agreement; `agreement` is the engine's JSON. */
export function getDraft(id: number): Promise<Outcome<DraftView>> {
  return settle(() => commands.getDraft(id));
}

/** Saves a draft over `expectedRevision` (the revision last loaded or saved); an
 *  `invalid_input` error lists each bad field with its JSON path, and `draft_conflict` means
 *  the draft was saved elsewhere since, and nothing was written. */
export function saveDraft(id: number, agreement: unknown, expectedRevision: number): Promise<Outcome<SaveOutcome>> {
  return settle(() => commands.saveDraft(id, agreement, expectedRevision));
}

/** Completeness and consistency findings of the current draft. */
export function checkAgreement(id: number): Promise<Outcome<Report>> {
  return settle(() => commands.checkAgreement(id));
}

/** Full-text search; each snippet marks matches with `[` and `]`. */
export function searchAgreements(query: string, limit: number): Promise<Outcome<SearchHit[]>> {
  return settle(() => commands.searchAgreements(query, limit));
}

/** Copies an agreement into a new draft; returns the new id. */
export function duplicateAgreement(id: number): Promise<Outcome<number>> {
  return settle(() => commands.duplicateAgreement(id));
}

export function archiveAgreement(id: number): Promise<Outcome<Status>> {
  return settle(() => commands.archiveAgreement(id));
}

export function unarchiveAgreement(id: number): Promise<Outcome<Status>> {
  return settle(() => commands.unarchiveAgreement(id));
}

/** Freezes the current draft as a new immutable version. */
export function freezeAgreement(id: number, note: string): Promise<Outcome<VersionInfo>> {
  return settle(() => commands.freezeAgreement(id, note));
}

/** The frozen versions of an agreement, oldest first. */
export function listVersions(id: number): Promise<Outcome<VersionInfo[]>> {
  return settle(() => commands.listVersions(id));
}

/** The agreement a template would start a draft with (the engine's JSON), for previews. */
export function templatePreview(template: string): Promise<Outcome<unknown>> {
  return settle(() => commands.templatePreview(template));
}

/** A frozen version with its content (read-only). */
export function getVersion(id: number, number: number): Promise<Outcome<VersionView>> {
  return settle(() => commands.getVersion(id, number));
}

/** Redline and changed terms from version `from` to version `to`, or to the draft when `to` is null. */
export function compareVersions(id: number, from: number, to: number | null): Promise<Outcome<Comparison>> {
  return settle(() => commands.compareVersions(id, from, to));
}

/** Native open dialog, then import as a new draft; `null` when cancelled. */
export function importAgreement(): Promise<Outcome<number | null>> {
  return settle(() => commands.importAgreement());
}

/** Native save dialog, then write the interchange file; the path, or `null` when cancelled. */
export function exportAgreement(id: number, suggestedName: string): Promise<Outcome<string | null>> {
  return settle(() => commands.exportAgreement(id, suggestedName));
}

/** Tells the shell that every pending edit is saved and the window may close. */
export async function readyToClose(): Promise<void> {
  try {
    await commands.readyToClose();
  } catch {
    // The shell closes after its grace period anyway.
  }
}

// ------------------------------------------------------------ guided-editor forms

export type { ClauseBlock, ClauseSpan, FieldKind, Normalised, PresetHoliday } from "./bindings";

/** Asks the engine whether `text` is a valid value of `kind`; an `invalid_value` error says why,
 *  in `language` (the UI's). */
export function parseField(kind: FieldKind, text: string, language: Language): Promise<Outcome<Normalised>> {
  return settle(() => commands.parseField(kind, text, language));
}

/** The clause text as the engine parses it (its Markdown subset), for the live preview. */
export function previewClauses(text: string): Promise<Outcome<ClauseBlock[]>> {
  return settle(() => commands.previewClauses(text));
}

/** The German nationwide public holidays of `year` (the calendar preset). */
export async function germanHolidays(year: number): Promise<Outcome<PresetHoliday[]>> {
  try {
    return { ok: true, value: await commands.germanHolidays(year) };
  } catch (reason) {
    return { ok: false, error: toCommandError(reason) };
  }
}

// ------------------------------------------------------------ signing workflow (features/approvals)

import type {
  AmendmentLogEntry,
  AmendmentReviewView_Serialize,
  AmendmentSummary_Serialize,
  ApprovalRequest,
  BundleRequest_Serialize,
  History_Serialize,
  IdentityInfo,
  ImportOutcome,
  KeyConflict,
  KeyDecision,
  KeyDecisionRecord,
  NewIdentity,
  PendingApproval,
  PersonKey,
  Policy,
  Role,
  SignatureEntry_Serialize,
  SignOutcome_Serialize,
  VerificationFinding_Serialize,
  VerificationReport_Serialize,
  VersionEntry_Serialize,
} from "./bindings";

export type AmendmentReviewView = AmendmentReviewView_Serialize;
export type AmendmentSummary = AmendmentSummary_Serialize;
export type BundleRequest = BundleRequest_Serialize;
export type History = History_Serialize;
export type SignOutcome = SignOutcome_Serialize;
export type Verification = VerificationReport_Serialize;
export type SignatureEntry = SignatureEntry_Serialize;
export type VersionEntry = VersionEntry_Serialize;
export type VerificationFinding = VerificationFinding_Serialize;
export type {
  AmendmentLogEntry,
  AmendmentState,
  BundleKind,
  Decision,
  FindingCode,
  PendingKind,
  SignerRef,
  VersionState,
} from "./bindings";
export type {
  ApprovalRequest,
  IdentityInfo,
  ImportOutcome,
  KeyConflict,
  KeyDecision,
  KeyDecisionRecord,
  NewIdentity,
  PendingApproval,
  PersonKey,
  Policy,
  Role,
};

/** Own identities first, then the trust list. Public data only. */
export function listIdentities(): Promise<Outcome<IdentityInfo[]>> {
  return settle(() => commands.listIdentities());
}

/** Creates an own signing identity sealed with `passphrase` (never kept by the UI). */
export function createIdentity(identity: NewIdentity, passphrase: string): Promise<Outcome<IdentityInfo>> {
  return settle(() => commands.createIdentity(identity, passphrase));
}

/** Native save dialog, then the public identity card; the path, or `null` when cancelled. */
export function exportIdentityCard(identity: string, suggestedName: string): Promise<Outcome<string | null>> {
  return settle(() => commands.exportIdentityCard(identity, suggestedName));
}

/** Native open dialog, then someone's identity card into the trust list; `null` when cancelled. */
export function importIdentityCard(): Promise<Outcome<IdentityInfo | null>> {
  return settle(() => commands.importIdentityCard());
}

/** The explicit decision on the card `importIdentityCard` just refused with
 *  `known_person_new_key`: trust it as a further key of the person whose trusted fingerprint
 *  the dialog showed, keeping the old key (`add`) or distrusting it (`replace`). */
export function importIdentityCardAsNewKey(
  newFingerprint: string,
  knownFingerprint: string,
  decision: KeyDecision,
): Promise<Outcome<IdentityInfo>> {
  return settle(() => commands.importIdentityCardAsNewKey(newFingerprint, knownFingerprint, decision));
}

export function distrustIdentity(identity: string): Promise<Outcome<IdentityInfo>> {
  return settle(() => commands.distrustIdentity(identity));
}

export function approvalPolicy(id: number): Promise<Outcome<Policy>> {
  return settle(() => commands.approvalPolicy(id));
}

export function setApprovalPolicy(id: number, roles: Role[]): Promise<Outcome<Policy>> {
  return settle(() => commands.setApprovalPolicy(id, roles));
}

/** Puts the newest frozen version up for approval. */
export function requestApproval(id: number): Promise<Outcome<ApprovalRequest>> {
  return settle(() => commands.requestApproval(id));
}

export function signVersion(id: number, version: number, identity: string, passphrase: string): Promise<Outcome<SignOutcome>> {
  return settle(() => commands.signVersion(id, version, identity, passphrase));
}

export function rejectVersion(
  id: number,
  version: number,
  identity: string,
  passphrase: string,
  comment: string,
): Promise<Outcome<SignOutcome>> {
  return settle(() => commands.rejectVersion(id, version, identity, passphrase, comment));
}

/** Proposes the current draft as an amendment; signed by `proposer` when given. */
export function proposeAmendment(
  id: number,
  reason: string,
  proposer: string | null,
  passphrase: string | null,
): Promise<Outcome<AmendmentSummary>> {
  return settle(() => commands.proposeAmendment(id, reason, proposer, passphrase));
}

/** An amendment with its redline and changed terms against the version it changes.
 *  `contentHash` names which one where two concurrent proposals share a number. */
export function amendmentReview(
  id: number,
  number: number,
  contentHash: string | null,
): Promise<Outcome<AmendmentReviewView>> {
  return settle(() => commands.amendmentReview(id, number, contentHash));
}

export function approveAmendment(
  id: number,
  number: number,
  contentHash: string | null,
  identity: string,
  passphrase: string,
): Promise<Outcome<SignOutcome>> {
  return settle(() => commands.approveAmendment(id, number, contentHash, identity, passphrase));
}

export function rejectAmendment(
  id: number,
  number: number,
  contentHash: string | null,
  identity: string,
  passphrase: string,
  comment: string,
): Promise<Outcome<SignOutcome>> {
  return settle(() => commands.rejectAmendment(id, number, contentHash, identity, passphrase, comment));
}

/** Versions with their states and signatures, and every amendment. */
export function agreementHistory(id: number): Promise<Outcome<History>> {
  return settle(() => commands.agreementHistory(id));
}

/** What this database's own identities still have to decide on. */
export function pendingApprovals(): Promise<Outcome<PendingApproval[]>> {
  return settle(() => commands.pendingApprovals());
}

/** Re-checks every hash, link and signature of the agreement's history. */
export function verifyAgreement(id: number): Promise<Outcome<Verification>> {
  return settle(() => commands.verifyAgreement(id));
}

/** Native save dialog, then the exchange file signed by `identity`; the path, or `null`. */
export function exportBundle(
  id: number,
  request: BundleRequest,
  identity: string,
  passphrase: string,
  suggestedName: string,
): Promise<Outcome<string | null>> {
  return settle(() => commands.exportBundle(id, request, identity, passphrase, suggestedName));
}

/** Native open dialog, then the exchange file, checked completely before anything is written. */
export function importBundle(): Promise<Outcome<ImportOutcome | null>> {
  return settle(() => commands.importBundle());
}

// ------------------------------------------------------------ PDF preview and export (features/export)
import { Channel } from "@tauri-apps/api/core";
import type { ExportFailure, ExportProgress_Deserialize, ExportProgress_Serialize, ExportSummary, PagePreview, PreviewLine, PreviewRect, PreviewText } from "./bindings";

export type ExportProgress = ExportProgress_Serialize;
export type { ExportFailure, ExportSummary, PagePreview, PreviewLine, PreviewRect, PreviewText };

/** The first `maxPages` pages of the agreement PDF (the draft when `version` is null). */
export function pdfPreview(id: number, version: number | null, lang: Language | null, maxPages: number): Promise<Outcome<PagePreview[]>> {
  return settle(() => commands.pdfPreview(id, version, lang, maxPages));
}

/** Saves the agreement PDF through the native save dialog; the path, null if cancelled. */
export function exportPdf(id: number, version: number | null, lang: Language | null, suggestedName: string): Promise<Outcome<string | null>> {
  return settle(() => commands.exportPdf(id, version, lang, suggestedName));
}

/** Saves the redline PDF of amendment `amendment` (its base version against the proposal). */
export function exportAmendmentRedlinePdf(
  id: number,
  amendment: number,
  contentHash: string | null,
  lang: Language | null,
  suggestedName: string,
): Promise<Outcome<string | null>> {
  return settle(() => commands.exportAmendmentRedlinePdf(id, amendment, contentHash, lang, suggestedName));
}

/** Asks where to save and writes the PDF of `version` carrying the PAdES signature of
 *  `identity` (an own identity that approved it); the passphrase is used for this call only. */
export function exportSignedPdf(
  id: number,
  version: number,
  identity: string,
  passphrase: string,
  lang: Language | null,
  suggestedName: string,
): Promise<Outcome<string | null>> {
  return settle(() => commands.exportSignedPdf(id, version, identity, passphrase, lang, suggestedName));
}

/** The amendments log of section 9, derived by the engine from the signed history. */
export function amendmentLog(id: number): Promise<Outcome<AmendmentLogEntry[]>> {
  return settle(() => commands.amendmentLog(id));
}

/** Saves the redline PDF of version `from` → `to` through the native save dialog. */
export function exportRedlinePdf(id: number, from: number, to: number, lang: Language | null, suggestedName: string): Promise<Outcome<string | null>> {
  return settle(() => commands.exportRedlinePdf(id, from, to, lang, suggestedName));
}

/** Writes the PDFs of `ids` into a folder the user picks; `onProgress` hears each step. */
export function exportPdfs(
  ids: number[],
  lang: Language | null,
  onProgress: (progress: ExportProgress) => void,
): Promise<Outcome<ExportSummary | null>> {
  const channel = new Channel<ExportProgress_Deserialize>();
  channel.onmessage = (progress) => onProgress({ ...progress, current_id: progress.current_id ?? null });
  return settle(() => commands.exportPdfs(ids, lang, channel));
}

/** Asks the running bulk export to stop before its next agreement. */
export async function cancelPdfExport(): Promise<void> {
  try {
    await commands.cancelPdfExport();
  } catch {
    // Nothing to cancel without a backend.
  }
}
