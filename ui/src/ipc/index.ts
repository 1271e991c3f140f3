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
  CommandError,
  DatabaseInfo_Serialize,
  ListPage_Serialize,
  ListQuery_Serialize,
  MovedAside,
  SortKey,
  Status,
} from "./bindings";

// tauri-specta exports each type as the backend serialises it (`_Serialize`: what the UI
// receives) and as it deserialises it (`_Deserialize`: what it accepts, with defaults
// optional). The UI receives the former and always sends complete values.
export type AgreementSummary = AgreementSummary_Serialize;
export type DatabaseInfo = DatabaseInfo_Serialize;
export type ListPage = ListPage_Serialize;
export type ListQuery = ListQuery_Serialize;
export type { CommandError, MovedAside, SortKey, Status };

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: CommandError };

/** Any rejection as a `CommandError`; code `ipc` when it did not come from a command. */
export function toCommandError(reason: unknown): CommandError {
  if (typeof reason === "object" && reason !== null && "code" in reason && "message" in reason) {
    const { code, message } = reason as { code: unknown; message: unknown };
    if (typeof code === "string" && typeof message === "string") return { code, message };
  }
  const message = reason instanceof Error ? reason.message : String(reason);
  return { code: "ipc", message };
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
