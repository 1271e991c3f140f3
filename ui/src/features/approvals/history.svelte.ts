// State of the history screen for one agreement: its title, history and verification, the
// identities that may sign from here and the decisions they still owe, the approval policy as
// being edited, and the last error of an action. Every action reloads what it changed.
import {
  ipc,
  type CommandError,
  type Decision,
  type History,
  type IdentityInfo,
  type PendingApproval,
  type Role,
  type Verification,
} from "../../ipc";
import { fileName, policyEditable, timeline } from "./approvals";
import { setPendingCount } from "./pending.svelte";

export class HistoryState {
  readonly id: number;
  title = $state("");
  history = $state<History | null>(null);
  verification = $state<Verification | null>(null);
  verifyError = $state<CommandError | null>(null);
  identities = $state<IdentityInfo[]>([]);
  /** Decisions this database's identities still owe on this agreement. */
  pending = $state<PendingApproval[]>([]);
  loadError = $state<CommandError | null>(null);
  actionError = $state<CommandError | null>(null);
  /** The required roles as being edited; reset to the stored policy on every load. */
  policyDraft = $state<Role[]>([]);
  requesting = $state(false);
  /** Where the last signed PDF was saved. */
  savedPdf = $state<string | null>(null);

  readonly items = $derived(this.history ? timeline(this.history) : []);
  readonly editable = $derived(this.history ? policyEditable(this.history) : false);
  readonly policyChanged = $derived(
    this.history !== null && [...this.policyDraft].sort().join() !== [...this.history.policy.required].sort().join(),
  );

  constructor(id: number) {
    this.id = id;
  }

  /** Loads title, history, identities and open decisions, then verifies in the background. */
  async load(): Promise<void> {
    this.loadError = null;
    const [draft, h, ids, open] = await Promise.all([
      ipc.getDraft(this.id),
      ipc.agreementHistory(this.id),
      ipc.listIdentities(),
      ipc.pendingApprovals(),
    ]);
    if (draft.ok) this.title = draft.value.summary.title;
    if (!h.ok) {
      this.loadError = h.error;
      return;
    }
    this.history = h.value;
    this.policyDraft = [...h.value.policy.required];
    if (ids.ok) this.identities = ids.value;
    if (open.ok) {
      this.pending = open.value.filter((p) => p.agreement === this.id);
      setPendingCount(open.value.length);
    }
    void this.verify();
  }

  async verify(): Promise<void> {
    this.verification = null;
    this.verifyError = null;
    const outcome = await ipc.verifyAgreement(this.id);
    if (outcome.ok) this.verification = outcome.value;
    else this.verifyError = outcome.error;
  }

  /** Own identities that still owe a decision on version `number`. */
  signersFor(number: number): IdentityInfo[] {
    const owed = this.pending
      .filter((p) => p.what.kind === "version" && p.what.version === number)
      .map((p) => p.identity);
    return this.identities.filter((i) => owed.includes(i.fingerprint));
  }

  /** Own identities that approved version `number`: they may add their PDF signature. */
  approversFor(number: number): IdentityInfo[] {
    const version = this.history?.versions.find((v) => v.info.number === number);
    const signed = (version?.signatures ?? [])
      .filter((s) => s.decision === "approve")
      .map((s) => s.signer.fingerprint);
    return this.identities.filter((i) => i.own && signed.includes(i.fingerprint));
  }

  async requestApproval(): Promise<void> {
    this.requesting = true;
    this.actionError = null;
    const outcome = await ipc.requestApproval(this.id);
    this.requesting = false;
    if (!outcome.ok) this.actionError = outcome.error;
    await this.load();
  }

  togglePolicy(role: Role, on: boolean): void {
    this.policyDraft = on
      ? [...this.policyDraft.filter((r) => r !== role), role]
      : this.policyDraft.filter((r) => r !== role);
  }

  async savePolicy(): Promise<void> {
    this.actionError = null;
    const outcome = await ipc.setApprovalPolicy(this.id, this.policyDraft);
    if (!outcome.ok) this.actionError = outcome.error;
    await this.load();
  }

  /** Signs or rejects version `version`; the refusal is returned for the passphrase dialog.
   *  `onrecorded` runs once the engine has recorded the decision, before the reload. */
  async decide(
    version: number,
    decision: Decision,
    identity: string,
    passphrase: string,
    comment: string,
    onrecorded: () => void = () => {},
  ): Promise<CommandError | null> {
    const outcome =
      decision === "approve"
        ? await ipc.signVersion(this.id, version, identity, passphrase)
        : await ipc.rejectVersion(this.id, version, identity, passphrase, comment);
    if (!outcome.ok) return outcome.error;
    onrecorded();
    await this.load();
    return null;
  }

  /** Exports version `version` as a PDF signed by `identity`; the refusal is returned for the
   *  passphrase dialog. Remembers where it was saved (nothing when the user cancelled). */
  async exportSignedPdf(version: number, identity: string, passphrase: string): Promise<CommandError | null> {
    const name = fileName(this.title, `v${version}-signed`).replace(/\.json$/, ".pdf");
    const outcome = await ipc.exportSignedPdf(this.id, version, identity, passphrase, null, name);
    if (!outcome.ok) return outcome.error;
    if (outcome.value !== null) this.savedPdf = outcome.value;
    return null;
  }
}
