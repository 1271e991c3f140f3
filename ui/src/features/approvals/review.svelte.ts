// State of the review of one amendment: the agreement's title, the review (summary, redline
// and changed terms), the identities of this database that still owe a decision on it, what the
// last decision did, and the redline PDF saved from here.
import { t } from "../../i18n/i18n.svelte";
import {
  ipc,
  type AmendmentReviewView,
  type CommandError,
  type Decision,
  type IdentityInfo,
  type PendingApproval,
} from "../../ipc";
import { amendmentState, fileName } from "./approvals";
import { setPendingCount } from "./pending.svelte";

export class ReviewState {
  readonly id: number;
  readonly number: number;
  /** Which proposal, where two concurrent ones share the number. */
  readonly contentHash: string | null;
  title = $state("");
  review = $state<AmendmentReviewView | null>(null);
  error = $state<CommandError | null>(null);
  identities = $state<IdentityInfo[]>([]);
  /** Decisions this database's identities still owe on this amendment. */
  pending = $state<PendingApproval[]>([]);
  /** What the last decision did, in words ("" before any). */
  outcomeText = $state("");
  redlineSaved = $state<string | null>(null);
  redlineError = $state<CommandError | null>(null);

  /** Own identities that may still approve or reject. */
  readonly mine = $derived(this.identities.filter((i) => this.pending.some((p) => p.identity === i.fingerprint)));
  readonly shownState = $derived(this.review ? amendmentState(this.review.summary) : null);

  constructor(id: number, number: number, contentHash: string | null) {
    this.id = id;
    this.number = number;
    this.contentHash = contentHash;
  }

  async load(): Promise<void> {
    this.error = null;
    const [draft, r, ids, open] = await Promise.all([
      ipc.getDraft(this.id),
      ipc.amendmentReview(this.id, this.number, this.contentHash),
      ipc.listIdentities(),
      ipc.pendingApprovals(),
    ]);
    if (draft.ok) this.title = draft.value.summary.title;
    if (!r.ok) {
      this.error = r.error;
      return;
    }
    this.review = r.value;
    if (ids.ok) this.identities = ids.value;
    if (open.ok) {
      setPendingCount(open.value.length);
      this.pending = open.value.filter(
        (p) =>
          p.agreement === this.id &&
          p.what.kind === "amendment" &&
          p.what.amendment === this.number &&
          (this.contentHash === null || p.what.content_hash === this.contentHash),
      );
    }
  }

  async exportRedline(): Promise<void> {
    this.redlineError = null;
    const name = fileName(this.title, `amendment-${this.number}-redline`).replace(/\.json$/, ".pdf");
    const outcome = await ipc.exportAmendmentRedlinePdf(this.id, this.number, this.contentHash, null, name);
    if (!outcome.ok) this.redlineError = outcome.error;
    else if (outcome.value !== null) this.redlineSaved = outcome.value;
  }

  /** Approves or rejects the amendment; the refusal is returned for the passphrase dialog.
   *  `onrecorded` runs once the engine has recorded the decision, before the reload. */
  async decide(
    decision: Decision,
    identity: string,
    passphrase: string,
    comment: string,
    onrecorded: () => void = () => {},
  ): Promise<CommandError | null> {
    const outcome =
      decision === "approve"
        ? await ipc.approveAmendment(this.id, this.number, this.contentHash, identity, passphrase)
        : await ipc.rejectAmendment(this.id, this.number, this.contentHash, identity, passphrase, comment);
    if (!outcome.ok) return outcome.error;
    onrecorded();
    const result = outcome.value;
    this.outcomeText =
      result.decision === "reject"
        ? t("approvals.outcome.rejected")
        : result.in_force === result.version
          ? t("approvals.outcome.inForce", { number: result.version })
          : t("approvals.outcome.waiting", { count: result.missing_roles.length });
    await this.load();
    return null;
  }
}
