// Proposing an amendment without the dialog: the editor is saved first, an unsigned proposal
// sends no passphrase, and a failure is sorted into a passphrase problem or another refusal.
import { describe, expect, it } from "vitest";
import { ProposalState } from "./proposal.svelte";
import { amendment, manager, refuse, serve } from "./fixtures";

describe("proposal state", () => {
  it("saves first and sends an unsigned proposal without the passphrase", async () => {
    const order: string[] = [];
    const calls = serve({
      propose_amendment: () => {
        order.push("propose");
        return amendment(1);
      },
    });
    const state = new ProposalState(7);
    const proposed = await state.propose("Faster P1", null, "left over", async () => order.push("flush"));
    expect(proposed?.number).toBe(1);
    expect(order).toEqual(["flush", "propose"]);
    expect(calls[0]?.args, "an unsigned proposal carries no passphrase").toEqual({ id: 7, reason: "Faster P1", proposer: null, passphrase: null });
    expect(state.busy).toBe(false);
  });

  it("tells a wrong passphrase apart from another refusal", async () => {
    let code: "wrong_passphrase" | "immutable" = "wrong_passphrase";
    const calls = serve({ propose_amendment: () => refuse(code) });
    const state = new ProposalState(7);
    expect(await state.propose("Faster P1", manager.fingerprint, "nope")).toBeNull();
    expect(state.problem?.key, "shown by the passphrase field").toBe("approvals.passphrase.wrong");
    expect(state.failure).toBeNull();
    expect(calls[0]?.args).toEqual({ id: 7, reason: "Faster P1", proposer: manager.fingerprint, passphrase: "nope" });

    code = "immutable";
    expect(await state.propose("Faster P1", manager.fingerprint, "again")).toBeNull();
    expect(state.problem, "a new attempt clears the old problem").toBeNull();
    expect(state.failure?.code).toBe("immutable");
  });
});
