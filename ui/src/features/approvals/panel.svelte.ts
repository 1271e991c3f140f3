// State of the editor's approval panel: the agreement's history (where it stands in the signing
// workflow), the own identities that may sign a proposal, and the last error. Reloaded by the
// panel whenever the versions change.
import { ipc, type CommandError, type History, type IdentityInfo } from "../../ipc";
import { refreshPending } from "./pending.svelte";

export class ApprovalPanelState {
  readonly id: number;
  history = $state<History | null>(null);
  /** Own identities only. */
  identities = $state<IdentityInfo[]>([]);
  error = $state<CommandError | null>(null);
  busy = $state(false);

  readonly openAmendments = $derived(this.history?.amendments.filter((a) => a.state === "open") ?? []);

  constructor(id: number) {
    this.id = id;
  }

  /** Loads the history and own identities; an error stays until an action clears it. */
  async load(): Promise<void> {
    const [h, ids] = await Promise.all([ipc.agreementHistory(this.id), ipc.listIdentities()]);
    if (h.ok) this.history = h.value;
    else this.error = h.error;
    if (ids.ok) this.identities = ids.value.filter((i) => i.own);
    void refreshPending();
  }

  /** Requests approval of the newest version once `flush` has saved pending edits. */
  async requestApproval(flush: () => Promise<unknown>): Promise<void> {
    this.busy = true;
    this.error = null;
    await flush();
    const outcome = await ipc.requestApproval(this.id);
    this.busy = false;
    if (!outcome.ok) this.error = outcome.error;
    await this.load();
  }
}
