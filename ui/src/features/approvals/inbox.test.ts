// The approvals inbox's state without a component: a failed load keeps its error, the header's
// count follows every load, and a decision says what it did and reloads the inbox.
import { describe, expect, it } from "vitest";
import type { PendingApproval } from "../../ipc";
import { InboxState, keyOf } from "./inbox.svelte";
import { pendingCount } from "./pending.svelte";
import { lawyer, manager, refuse, serve } from "./fixtures";

const owed: PendingApproval = {
  agreement: 7,
  title: "SaaS Support Northwind",
  what: { kind: "version", version: 1 },
  role: "service_manager",
  identity: manager.fingerprint,
  identity_name: manager.name,
};

describe("inbox state", () => {
  it("keeps the error of a failed load", async () => {
    serve({ pending_approvals: () => refuse("storage", "database locked"), list_identities: () => [manager] });
    const state = new InboxState();
    await state.load();
    expect(state.error?.code, "the inbox shows the engine's refusal").toBe("storage");
    expect(state.items, "nothing to list without an answer").toBeNull();
    expect(state.own.map((i) => i.fingerprint), "the identities still came").toEqual([manager.fingerprint]);
  });

  it("reloads the inbox after a decision and says what it did", async () => {
    let waiting = true;
    const calls = serve({
      pending_approvals: () => (waiting ? [owed, { ...owed, agreement: 8 }] : [{ ...owed, agreement: 8 }]),
      list_identities: () => [manager, { ...lawyer, own: false }],
      sign_version: (args) => {
        if (args.passphrase !== "right") refuse("wrong_passphrase");
        waiting = false;
        return { agreement: 7, version: 1, amendment: null, role: "service_manager", decision: "approve", status: "in_review", in_force: null, missing_roles: ["legal_reviewer"] };
      },
    });
    const state = new InboxState();
    await state.load();
    expect(state.items).toHaveLength(2);
    expect(pendingCount()).toBe(2);
    expect(state.own.map((i) => i.fingerprint), "only own identities sign").toEqual([manager.fingerprint]);

    let recorded = 0;
    expect((await state.decide(owed, "approve", manager.fingerprint, "wrong", "", () => recorded++))?.code).toBe("wrong_passphrase");
    expect(recorded, "a refused decision keeps the dialog open").toBe(0);
    expect(state.done).toBe("");

    expect(await state.decide(owed, "approve", manager.fingerprint, "right", "", () => recorded++)).toBeNull();
    expect(recorded).toBe(1);
    expect(state.done).toBe("Signed. 1 more role(s) must still approve.");
    expect(state.items?.map(keyOf), "a decision reloads the inbox").toEqual([keyOf({ ...owed, agreement: 8 })]);
    expect(pendingCount(), "and the header's count").toBe(1);
    expect(calls.filter((c) => c.cmd === "pending_approvals")).toHaveLength(2);
  });

  it("sends a rejection with its comment", async () => {
    const calls = serve({
      pending_approvals: () => [],
      list_identities: () => [manager],
      reject_version: () => ({ agreement: 7, version: 1, amendment: null, role: "service_manager", decision: "reject", status: "draft", in_force: null, missing_roles: [] }),
    });
    const state = new InboxState();
    await state.decide(owed, "reject", manager.fingerprint, "pw", "Wrong hours");
    expect(calls.find((c) => c.cmd === "reject_version")?.args).toEqual({
      id: 7,
      version: 1,
      identity: manager.fingerprint,
      passphrase: "pw",
      comment: "Wrong hours",
    });
    expect(state.done).toBe("Rejection signed.");
  });

  it("leaves amendments to their review", async () => {
    const calls = serve({});
    const state = new InboxState();
    const amendment: PendingApproval = { ...owed, what: { kind: "amendment", amendment: 1, version: 2, content_hash: "c".repeat(64) } };
    expect(await state.decide(amendment, "approve", manager.fingerprint, "pw", "")).toBeNull();
    expect(calls, "nothing is signed from the inbox for an amendment").toEqual([]);
  });
});
