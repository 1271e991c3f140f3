// The editor's approval panel state without a component: a failed load keeps its error, the
// request for approval saves the editor first and reloads, and only open amendments are offered.
import { describe, expect, it } from "vitest";
import { ApprovalPanelState } from "./panel.svelte";
import { amendment, history, lawyer, manager, refuse, serve, version } from "./fixtures";

describe("approval panel state", () => {
  it("keeps the error of a failed load", async () => {
    serve({
      agreement_history: () => refuse("agreement_not_found", "gone"),
      list_identities: () => [manager],
      pending_approvals: () => [],
    });
    const state = new ApprovalPanelState(7);
    await state.load();
    expect(state.error?.code, "the panel shows the engine's refusal").toBe("agreement_not_found");
    expect(state.history).toBeNull();
    expect(state.identities.map((i) => i.fingerprint)).toEqual([manager.fingerprint]);
  });

  it("offers only own identities and open amendments", async () => {
    serve({
      agreement_history: () =>
        history({ status: "in_force", in_force: 1, versions: [version(1, "in_force")], amendments: [amendment(1), amendment(2, { state: "enacted" })] }),
      list_identities: () => [manager, { ...lawyer, own: false }],
      pending_approvals: () => [],
    });
    const state = new ApprovalPanelState(7);
    await state.load();
    expect(state.identities.map((i) => i.fingerprint), "only own identities may sign a proposal").toEqual([manager.fingerprint]);
    expect(state.openAmendments.map((a) => a.number)).toEqual([1]);
  });

  it("saves the editor before requesting approval, then reloads; a refusal stays", async () => {
    const order: string[] = [];
    let requested = false;
    const calls = serve({
      agreement_history: () => history({ status: requested ? "in_review" : "draft", versions: [version(1, "pending")] }),
      list_identities: () => [manager],
      pending_approvals: () => [],
      request_approval: () => {
        order.push("request");
        if (requested) refuse("not_allowed", "already in review");
        requested = true;
        return { agreement: 7, version: 1, required: ["service_manager"] };
      },
    });
    const state = new ApprovalPanelState(7);
    await state.load();
    await state.requestApproval(async () => order.push("flush"));
    expect(order, "pending edits are saved before the engine is asked").toEqual(["flush", "request"]);
    expect(state.busy).toBe(false);
    expect(state.error).toBeNull();
    expect(state.history?.status, "the request reloads the history").toBe("in_review");
    expect(calls.filter((c) => c.cmd === "agreement_history")).toHaveLength(2);

    await state.requestApproval(async () => {});
    expect(state.error?.code, "the refusal stays on the panel after the reload").toBe("not_allowed");
  });
});
