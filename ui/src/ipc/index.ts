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
  DatabaseInfo_Serialize,
  DraftView_Serialize,
  Finding,
  Language,
  ListPage_Serialize,
  ListQuery_Serialize,
  MovedAside,
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
export type {
  ChecklistItem,
  CommandError,
  Finding,
  Language,
  MovedAside,
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
    const { code, message, problems } = reason as { code: unknown; message: unknown; problems?: unknown };
    if (typeof code === "string" && typeof message === "string") {
      return { code, message, problems: Array.isArray(problems) ? (problems as Problem[]) : [] };
    }
  }
  const message = reason instanceof Error ? reason.message : String(reason);
  return { code: "ipc", message, problems: [] };
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

/** Saves a draft; an `invalid_input` error lists each bad field with its JSON path. */
export function saveDraft(id: number, agreement: unknown): Promise<Outcome<SaveOutcome>> {
  return settle(() => commands.saveDraft(id, agreement));
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
