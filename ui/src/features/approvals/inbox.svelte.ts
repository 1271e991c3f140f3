// State of the approvals inbox: every decision this database's own identities still owe, over
// all agreements, the identities themselves, and what the last decision made from here did.
import { t } from "../../i18n/i18n.svelte";
import {
  ipc,
  type CommandError,
  type Decision,
  type IdentityInfo,
  type PendingApproval,
} from "../../ipc";
import { setPendingCount } from "./pending.svelte";

/** One key per owed decision: agreement, what, and the identity that owes it. */
export const keyOf = (item: PendingApproval): string =>
  `${item.agreement}/${item.what.kind}/${item.what.kind === "amendment" ? item.what.amendment : item.what.version}/${item.identity}`;

export class InboxState {
  /** Null until the first answer. */
  items = $state<PendingApproval[] | null>(null);
  identities = $state<IdentityInfo[]>([]);
  error = $state<CommandError | null>(null);
  /** What the last decision did, in words ("" before any). */
  done = $state("");

  readonly own = $derived(this.identities.filter((i) => i.own));

  async load(): Promise<void> {
    this.error = null;
    const [open, ids] = await Promise.all([ipc.pendingApprovals(), ipc.listIdentities()]);
    if (ids.ok) this.identities = ids.value;
    if (open.ok) {
      this.items = open.value;
      setPendingCount(open.value.length);
    } else this.error = open.error;
  }

  /** Signs or rejects the version `item` asks about; the refusal is returned for the
   *  passphrase dialog. `onrecorded` runs once the engine has recorded the decision, before
   *  the reload. Amendments are decided in their review, not here. */
  async decide(
    item: PendingApproval,
    decision: Decision,
    identity: string,
    passphrase: string,
    comment: string,
    onrecorded: () => void = () => {},
  ): Promise<CommandError | null> {
    if (item.what.kind !== "version") return null;
    const version = item.what.version;
    const outcome =
      decision === "approve"
        ? await ipc.signVersion(item.agreement, version, identity, passphrase)
        : await ipc.rejectVersion(item.agreement, version, identity, passphrase, comment);
    if (!outcome.ok) return outcome.error;
    onrecorded();
    this.done =
      outcome.value.decision === "reject"
        ? t("approvals.outcome.rejected")
        : outcome.value.in_force === version
          ? t("approvals.outcome.inForce", { number: version })
          : t("approvals.outcome.waiting", { count: outcome.value.missing_roles.length });
    await this.load();
    return null;
  }
}
