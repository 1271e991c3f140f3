// Test data of the signing views: identities, signatures, a history with two versions and
// amendments, verification reports, and a mocked backend. Only tests import this.
import { mockIPC } from "@tauri-apps/api/mocks";
import type {
  AmendmentSummary,
  CommandError,
  ErrorCode,
  History,
  IdentityInfo,
  SignatureEntry,
  Verification,
  VersionEntry,
} from "../../ipc";

export const manager: IdentityInfo = {
  name: "Maria Manager",
  organisation: "Example Cloud Ltd",
  role: "service_manager",
  email: "maria@example.com",
  fingerprint: "3f2a9c01".repeat(8),
  fingerprint_display: "3F2A 9C01 3F2A 9C01 3F2A 9C01 3F2A 9C01",
  public_key: "ab".repeat(32),
  own: true,
  trusted: true,
  created_at: "2026-11-27T06:00:00.000Z",
  added_at: "2026-11-27T06:00:00.000Z",
  same_person_unconfirmed: [],
  key_decision: null,
};

export const lawyer: IdentityInfo = {
  ...manager,
  name: "Lena Legal",
  role: "legal_reviewer",
  email: "lena@example.com",
  fingerprint: "77aa0b12".repeat(8),
  fingerprint_display: "77AA 0B12 77AA 0B12 77AA 0B12 77AA 0B12",
  public_key: "cd".repeat(32),
};

export const customer: IdentityInfo = {
  ...manager,
  name: "Chris Customer",
  organisation: "Sample Retail Group plc",
  role: "customer_representative",
  fingerprint: "11223344".repeat(8),
  fingerprint_display: "1122 3344 1122 3344 1122 3344 1122 3344",
  public_key: "ef".repeat(32),
  own: false,
};

export function signature(who: IdentityInfo, version: number, extra: Partial<SignatureEntry> = {}): SignatureEntry {
  return {
    version,
    amendment: null,
    role: who.role,
    decision: "approve",
    signer: {
      name: who.name,
      organisation: who.organisation,
      fingerprint: who.fingerprint,
      fingerprint_display: who.fingerprint_display,
      trusted: true,
    },
    signed_at: "2026-11-27T07:00:00.000Z",
    comment: "",
    ...extra,
  };
}

export function version(number: number, state: VersionEntry["state"], extra: Partial<VersionEntry> = {}): VersionEntry {
  return {
    info: {
      agreement: 7,
      number,
      hash: `${number}`.repeat(64).slice(0, 64),
      previous_hash: number === 1 ? null : `${number - 1}`.repeat(64).slice(0, 64),
      note: number === 1 ? "first" : "",
      created_at: `2026-11-2${number}T06:00:00.000Z`,
    },
    state,
    amendment: null,
    metadata_signed: number === 1 ? false : true,
    signatures: [],
    ...extra,
  };
}

export function amendment(number: number, extra: Partial<AmendmentSummary> = {}): AmendmentSummary {
  return {
    agreement: 7,
    number,
    base_version: 1,
    target_version: 2,
    content_hash: "c".repeat(64),
    reason: "Faster P1 resolution",
    proposed_at: "2026-11-27T08:00:00.000Z",
    proposer: null,
    state: "open",
    decisions: [],
    missing_roles: ["service_manager", "legal_reviewer"],
    ...extra,
  };
}

export function history(extra: Partial<History> = {}): History {
  return {
    agreement: 7,
    uid: "0f0e-uid",
    status: "draft",
    verified: true,
    policy: { required: ["service_manager", "legal_reviewer"] },
    in_force: null,
    versions: [],
    amendments: [],
    ...extra,
  };
}

export function verification(extra: Partial<Verification> = {}): Verification {
  return {
    agreement: 7,
    uid: "0f0e-uid",
    ok: true,
    versions: 1,
    signatures: 2,
    amendments: 0,
    in_force: 1,
    signed_in_force: 1,
    approved_versions: [1],
    checkpoints_checked: 0,
    checked_at: "2026-11-27T09:00:00.000Z",
    findings: [],
    ...extra,
  };
}

export type Call = { cmd: string; args: Record<string, unknown> };

/** A backend answering each command from `answers`; records every call. An unexpected
 *  command fails the call, so a test sees what a state class asked for. */
export function serve(answers: Record<string, (args: Record<string, unknown>) => unknown>): Call[] {
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    const payload = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: payload });
    const answer = answers[cmd];
    if (answer) return answer(payload);
    throw new Error(`unexpected command ${cmd}`);
  });
  return calls;
}

/** Makes a mocked command refuse with `code`, as the engine would. */
export const refuse = (code: ErrorCode, message: string = code): never => {
  throw { code, message, problems: [], key_conflict: null } satisfies CommandError;
};
