// How many decisions this database's own identities still owe, for the header's "Approvals"
// entry. Refreshed by the signing views whenever they load or something was signed.
import { ipc } from "../../ipc";

const state = $state<{ count: number }>({ count: 0 });

export function pendingCount(): number {
  return state.count;
}

export function setPendingCount(count: number): void {
  state.count = count;
}

/** Asks the engine again; keeps the last count when the call fails. */
export async function refreshPending(): Promise<void> {
  const outcome = await ipc.pendingApprovals();
  if (outcome.ok) state.count = outcome.value.length;
}
