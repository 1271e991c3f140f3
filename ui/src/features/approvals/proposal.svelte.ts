// State of proposing the editor's draft as an amendment: whether the call is under way, and how
// it failed — a passphrase problem shown by the field, or any other refusal.
import { ipc, type AmendmentSummary, type CommandError } from "../../ipc";
import { passphraseProblem } from "./approvals";

export class ProposalState {
  readonly id: number;
  busy = $state(false);
  problem = $state<ReturnType<typeof passphraseProblem>>(null);
  failure = $state<CommandError | null>(null);

  constructor(id: number) {
    this.id = id;
  }

  /** Proposes the draft with `reason`, signed by `proposer` (null: unsigned) once `before`
   *  has run (the editor saves its pending edits); the proposal, or null when it failed. */
  async propose(
    reason: string,
    proposer: string | null,
    passphrase: string,
    before: () => Promise<unknown> = async () => {},
  ): Promise<AmendmentSummary | null> {
    this.busy = true;
    this.problem = null;
    this.failure = null;
    await before();
    const outcome = await ipc.proposeAmendment(this.id, reason, proposer, proposer === null ? null : passphrase);
    this.busy = false;
    if (outcome.ok) return outcome.value;
    this.problem = passphraseProblem(outcome.error);
    if (this.problem === null) this.failure = outcome.error;
    return null;
  }
}
