// Pure helpers of the signing views: the timeline of versions and amendments in order, the
// state each shows, how a passphrase error reads, a passphrase strength hint, and the words for
// roles and verification findings. No IPC here, so all of it is tested directly.
import type {
  AmendmentSummary,
  BundleRequest,
  CommandError,
  FindingCode,
  History,
  IdentityInfo,
  PendingApproval,
  Role,
  VerificationFinding,
  VersionEntry,
} from "../../ipc";
import { t, type MessageKey } from "../../i18n/i18n.svelte";

export const ROLES: readonly Role[] = ["service_manager", "legal_reviewer", "customer_representative"];

export function roleLabel(role: Role): string {
  return t(`approvals.role.${role}`);
}

/** What the timeline says about a version or an amendment. */
export type TimelineState =
  | "draft"
  | "in_review"
  | "in_force"
  | "superseded"
  | "rejected"
  | "unapproved";

export type TimelineItem =
  | { kind: "version"; key: string; version: VersionEntry; state: TimelineState; amendment: AmendmentSummary | null }
  | { kind: "amendment"; key: string; amendment: AmendmentSummary; state: TimelineState };

/** A version's state in words the people know: a frozen version waiting for signatures is "in
 *  review" while approval was requested, a "draft" version otherwise. */
export function versionState(version: VersionEntry, history: History): TimelineState {
  switch (version.state) {
    case "pending": {
      const newest = Math.max(...history.versions.map((v) => v.info.number));
      return history.status === "in_review" && version.info.number === newest ? "in_review" : "draft";
    }
    case "in_force":
    case "superseded":
    case "rejected":
    case "unapproved":
      return version.state;
  }
}

export function amendmentState(amendment: AmendmentSummary): TimelineState {
  switch (amendment.state) {
    case "open":
      return "in_review";
    case "enacted":
      return "in_force";
    case "rejected":
      return "rejected";
    case "superseded":
      return "superseded";
  }
}

/** Versions and amendments, oldest first. An enacted amendment is shown with the version it
 *  created; every other amendment follows the version it is based on (by number). */
export function timeline(history: History): TimelineItem[] {
  const placed: { position: number; order: number; item: TimelineItem }[] = [];
  for (const version of history.versions) {
    placed.push({
      position: version.info.number,
      order: 0,
      item: {
        kind: "version",
        key: `v${version.info.number}`,
        version,
        state: versionState(version, history),
        amendment: history.amendments.find((a) => a.number === version.amendment) ?? null,
      },
    });
  }
  for (const amendment of history.amendments) {
    if (amendment.state === "enacted" && history.versions.some((v) => v.info.number === amendment.target_version)) continue;
    placed.push({
      position: amendment.base_version,
      order: amendment.number,
      item: {
        kind: "amendment",
        // Two concurrent proposals can share a number; the content they propose tells them apart.
        key: `a${amendment.number}:${amendment.content_hash}`,
        amendment,
        state: amendmentState(amendment),
      },
    });
  }
  placed.sort((a, b) => a.position - b.position || a.order - b.order);
  return placed.map((p) => p.item);
}

/** The policy can still change: nobody has signed and nothing is in force. */
export function policyEditable(history: History): boolean {
  const signed =
    history.versions.some((v) => v.signatures.length > 0) || history.amendments.some((a) => a.decisions.length > 0);
  return !signed && history.in_force === null && history.status !== "in_force" && history.status !== "superseded";
}

/** The newest version, if any. */
export function newestVersion(history: History): VersionEntry | null {
  return history.versions.reduce<VersionEntry | null>(
    (newest, v) => (newest === null || v.info.number > newest.info.number ? v : newest),
    null,
  );
}

/** Approval can be requested: a frozen version waits that is neither in review nor decided. */
export function canRequestApproval(history: History): boolean {
  const newest = newestVersion(history);
  return newest !== null && newest.state === "pending" && history.status === "draft";
}

/** Own identities whose role the policy asks for (they may sign). */
export function signers(identities: IdentityInfo[], roles: Role[]): IdentityInfo[] {
  return identities.filter((i) => i.own && roles.includes(i.role));
}

/** How a failed signing attempt reads in the passphrase dialog. `retry` keeps the dialog open
 *  with the passphrase field cleared and focused. */
export function passphraseProblem(error: CommandError): { key: MessageKey; retry: boolean } | null {
  switch (error.code) {
    case "wrong_passphrase":
      return { key: "approvals.passphrase.wrong", retry: true };
    case "key_damaged":
      return { key: "approvals.passphrase.damaged", retry: false };
    case "identity_not_found":
      return { key: "approvals.passphrase.noIdentity", retry: false };
    default:
      return null;
  }
}

export type Strength = "short" | "weak" | "fair" | "strong";

/** A rough strength hint: the engine requires 8 characters; length and variety make it harder
 *  to guess. Only a hint — it refuses nothing. */
export function passphraseStrength(passphrase: string): Strength {
  const length = [...passphrase].length;
  if (length < 8) return "short";
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9\s]/, /\s/].filter((r) => r.test(passphrase)).length;
  const words = passphrase.trim().split(/\s+/).length;
  if (length >= 20 || (length >= 14 && classes >= 3) || words >= 4) return "strong";
  if (length >= 12 || classes >= 3) return "fair";
  return "weak";
}

const FINDING_KEYS: Record<FindingCode, MessageKey> = {
  content_hash_mismatch: "approvals.finding.content_hash_mismatch",
  chain_broken: "approvals.finding.chain_broken",
  version_missing: "approvals.finding.version_missing",
  signature_invalid: "approvals.finding.signature_invalid",
  signature_mismatch: "approvals.finding.signature_mismatch",
  signature_replayed: "approvals.finding.signature_replayed",
  signer_untrusted: "approvals.finding.signer_untrusted",
  signer_role_mismatch: "approvals.finding.signer_role_mismatch",
  policy_mismatch: "approvals.finding.policy_mismatch",
  amendment_invalid: "approvals.finding.amendment_invalid",
  amendment_damaged: "approvals.finding.amendment_damaged",
  in_force_without_signatures: "approvals.finding.in_force_without_signatures",
  history_cut_off: "approvals.finding.history_cut_off",
  history_diverged: "approvals.finding.history_diverged",
  checkpoint_invalid: "approvals.finding.checkpoint_invalid",
  signer_ambiguous: "approvals.finding.signer_ambiguous",
  status_mismatch: "approvals.finding.status_mismatch",
  version_outside_amendment: "approvals.finding.version_outside_amendment",
};

/** A finding in plain words of the UI's language, with where it is. */
export function findingText(finding: VerificationFinding): string {
  const where: string[] = [];
  if (finding.version !== null) where.push(t("approvals.finding.where.version", { number: finding.version }));
  if (finding.amendment !== null) where.push(t("approvals.finding.where.amendment", { number: finding.amendment }));
  if (finding.signature !== null) where.push(t("approvals.finding.where.signature", { number: finding.signature }));
  if (finding.field !== null) where.push(t("approvals.finding.where.field", { field: finding.field }));
  const text = t(FINDING_KEYS[finding.code] ?? "approvals.finding.other");
  return where.length === 0 ? text : `${where.join(", ")}: ${text}`;
}

/** "Version 2" or "Amendment 1 (version 3)" for an inbox entry. */
export function pendingLabel(item: PendingApproval): string {
  return item.what.kind === "version"
    ? t("approvals.inbox.version", { number: item.what.version })
    : t("approvals.inbox.amendment", { number: item.what.amendment, version: item.what.version });
}

/** A file name for an export: the title's letters and digits, then what it is. */
export function fileName(title: string, what: string): string {
  const base =
    title
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^A-Za-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .toLowerCase()
      .slice(0, 60) || "pactum";
  return `${base}-${what}.json`;
}

/** One export a screen offers: what the engine writes, the button's label and file name. */
export type ExportChoice = { request: BundleRequest; label: string; fileName: string; testid: string };
