// The UI's only door to the backend: `ipc`, every generated command of `bindings.ts` answering
// with `{ ok: true, value } | { ok: false, error: CommandError }` instead of rejecting.
//
// The generated commands reject with the command's `CommandError`, but also with whatever the
// framework itself rejects with (an unknown command, a denied permission, no backend at all):
// `ipc` turns both into one shape, so screens handle one. It is derived from `commands`, so a
// new Rust command is callable here as soon as the bindings are regenerated, with no wrapper
// to write. Backend types are imported only from `bindings.ts`, never redefined.
import { commands, ERROR_CODES } from "./bindings";
import type {
  Agreement_Serialize,
  AgreementSummary_Serialize,
  Contact_Serialize,
  DutyRole_Serialize,
  Kpi_Serialize,
  PriorityTier_Serialize,
  RaciActivity_Serialize,
  RaciAssignment_Serialize,
  ChecklistItem,
  CommandError,
  Comparison_Serialize,
  ErrorCode,
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
/** The agreement as the engine sends it: every field present, typed values (durations,
 *  percentages, targets, money, times, dates) as their text. The editor sends it back the same
 *  way, possibly with text the engine refuses at the field's path. */
export type Agreement = Agreement_Serialize;
export type Contact = Contact_Serialize;
export type DutyRole = DutyRole_Serialize;
export type Kpi = Kpi_Serialize;
export type PriorityTier = PriorityTier_Serialize;
export type RaciActivity = RaciActivity_Serialize;
export type RaciAssignment = RaciAssignment_Serialize;
export { ERROR_CODES };
export type {
  ChecklistItem,
  CommandError,
  ErrorCode,
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

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && KNOWN_CODES.has(code);
}

/** Any rejection as a `CommandError`; code `ipc` when it did not come from a command (a
 *  command's error always carries one of the generated codes; the framework rejects with a
 *  string or an `Error`). */
export function toCommandError(reason: unknown): CommandError {
  if (typeof reason === "object" && reason !== null && "code" in reason && "message" in reason) {
    const { code, message, problems, key_conflict } = reason as {
      code: unknown;
      message: unknown;
      problems?: unknown;
      key_conflict?: unknown;
    };
    if (isErrorCode(code) && typeof message === "string") {
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

type Commands = typeof commands;

/** The generated commands, each answering with an `Outcome` of what it returns. */
export type Ipc = {
  [K in keyof Commands]: (...args: Parameters<Commands[K]>) => Promise<Outcome<Awaited<ReturnType<Commands[K]>>>>;
};

function settled(all: Commands): Ipc {
  const wrapped: Record<string, (...args: unknown[]) => Promise<Outcome<unknown>>> = {};
  for (const [name, call] of Object.entries(all) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    wrapped[name] = async (...args) => {
      try {
        return { ok: true, value: await call(...args) };
      } catch (reason) {
        return { ok: false, error: toCommandError(reason) };
      }
    };
  }
  return wrapped as Ipc;
}

/** Every command of the backend, by its camelCase name: `await ipc.listAgreements(query)`. */
export const ipc: Ipc = settled(commands);

// ------------------------------------------------------------ guided-editor forms

export type { ClauseBlock, ClauseSpan, FieldKind, Normalised, PresetHoliday } from "./bindings";

// ------------------------------------------------------------ signing workflow (features/approvals)

import type {
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

// ------------------------------------------------------------ PDF preview and export (features/export)
import { Channel } from "@tauri-apps/api/core";
import type { ExportFailure, ExportProgress_Deserialize, ExportProgress_Serialize, ExportSummary, PagePreview, PreviewLine, PreviewRect, PreviewText } from "./bindings";

export type ExportProgress = ExportProgress_Serialize;
export type { ExportFailure, ExportSummary, PagePreview, PreviewLine, PreviewRect, PreviewText };

/** Writes the PDFs of `ids` into a folder the user picks; `onProgress` hears each step.
 *  The one hand-written call: it makes the `Channel` the command streams its progress on from a
 *  plain callback, and hands each step on as the UI's `ExportProgress` (a step before the first
 *  agreement may arrive without `current_id`). */
export function exportPdfs(
  ids: number[],
  lang: Language | null,
  onProgress: (progress: ExportProgress) => void,
): Promise<Outcome<ExportSummary | null>> {
  const channel = new Channel<ExportProgress_Deserialize>();
  channel.onmessage = (progress) => onProgress({ ...progress, current_id: progress.current_id ?? null });
  return ipc.exportPdfs(ids, lang, channel);
}
