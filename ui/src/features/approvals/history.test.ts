// The history screen's state without a component: what a failed load keeps, that every
// action reloads the history, and which identities may sign or add a PDF signature.
import { describe, expect, it } from "vitest";
import { HistoryState } from "./history.svelte";
import { pendingCount } from "./pending.svelte";
import { history, lawyer, manager, refuse, serve, signature, verification, version } from "./fixtures";

const draft = () => ({ summary: { title: "SaaS Support Northwind" }, revision: 1, agreement: {} });
const owed = { agreement: 7, title: "x", what: { kind: "version", version: 1 }, role: "legal_reviewer", identity: lawyer.fingerprint, identity_name: lawyer.name };

/** Resolves once the background verification after a load has answered. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("history state", () => {
  it("keeps the error of a failed load and shows no history", async () => {
    serve({
      get_draft: draft,
      agreement_history: () => refuse("agreement_not_found", "no agreement 7"),
      list_identities: () => [manager],
      pending_approvals: () => [],
    });
    const state = new HistoryState(7);
    await state.load();
    expect(state.loadError?.code, "the screen shows the engine's refusal").toBe("agreement_not_found");
    expect(state.history, "nothing to show without a history").toBeNull();
    expect(state.title, "the title comes from the draft even when the history fails").toBe("SaaS Support Northwind");
  });

  it("loads the history, the decisions owed here and the verification", async () => {
    serve({
      get_draft: draft,
      agreement_history: () => history({ status: "in_review", versions: [version(1, "pending")] }),
      list_identities: () => [manager, lawyer],
      pending_approvals: () => [owed, { ...owed, agreement: 9 }],
      verify_agreement: () => verification(),
    });
    const state = new HistoryState(7);
    await state.load();
    await settled();
    expect(state.loadError).toBeNull();
    expect(state.items.map((i) => i.state)).toEqual(["in_review"]);
    expect(state.pending, "only decisions on this agreement").toHaveLength(1);
    expect(pendingCount(), "the header counts decisions on every agreement").toBe(2);
    expect(state.signersFor(1).map((i) => i.fingerprint), "the identity the engine says still owes it").toEqual([lawyer.fingerprint]);
    expect(state.policyDraft, "the draft policy starts as the stored one").toEqual(["service_manager", "legal_reviewer"]);
    expect(state.verification?.ok, "verified in the background after the load").toBe(true);
  });

  it("reloads the history after a decision and reports a refused one", async () => {
    let signed = false;
    const calls = serve({
      get_draft: draft,
      agreement_history: () => history({ status: signed ? "in_force" : "in_review", versions: [version(1, signed ? "in_force" : "pending")] }),
      list_identities: () => [manager, lawyer],
      pending_approvals: () => (signed ? [] : [owed]),
      verify_agreement: () => verification(),
      sign_version: (args) => {
        if (args.passphrase !== "right") refuse("wrong_passphrase");
        signed = true;
        return { agreement: 7, version: 1, amendment: null, role: "legal_reviewer", decision: "approve", status: "in_force", in_force: 1, missing_roles: [] };
      },
    });
    const state = new HistoryState(7);
    await state.load();

    let recorded = 0;
    const wrong = await state.decide(1, "approve", lawyer.fingerprint, "wrong", "", () => recorded++);
    expect(wrong?.code, "the dialog shows the refusal").toBe("wrong_passphrase");
    expect(recorded, "a refused decision keeps the dialog open").toBe(0);

    const loadsBefore = calls.filter((c) => c.cmd === "agreement_history").length;
    expect(await state.decide(1, "approve", lawyer.fingerprint, "right", "", () => recorded++)).toBeNull();
    expect(recorded).toBe(1);
    expect(calls.filter((c) => c.cmd === "agreement_history").length, "a decision reloads the history").toBe(loadsBefore + 1);
    expect(state.items.map((i) => i.state)).toEqual(["in_force"]);
    expect(state.signersFor(1), "nobody owes a decision any more").toEqual([]);
  });

  it("sends a rejection with its comment", async () => {
    const calls = serve({
      get_draft: draft,
      agreement_history: () => history({ versions: [version(1, "pending")] }),
      list_identities: () => [lawyer],
      pending_approvals: () => [owed],
      verify_agreement: () => verification(),
      reject_version: () => ({ agreement: 7, version: 1, amendment: null, role: "legal_reviewer", decision: "reject", status: "draft", in_force: null, missing_roles: [] }),
    });
    const state = new HistoryState(7);
    await state.decide(1, "reject", lawyer.fingerprint, "pw", "Too slow");
    expect(calls.find((c) => c.cmd === "reject_version")?.args).toEqual({
      id: 7,
      version: 1,
      identity: lawyer.fingerprint,
      passphrase: "pw",
      comment: "Too slow",
    });
  });

  it("keeps a refused request or policy as the action error, and reloads either way", async () => {
    const calls = serve({
      get_draft: draft,
      agreement_history: () => history(),
      list_identities: () => [manager],
      pending_approvals: () => [],
      verify_agreement: () => verification(),
      request_approval: () => refuse("not_allowed", "the draft has errors"),
      set_approval_policy: () => ({ required: ["service_manager"] }),
    });
    const state = new HistoryState(7);
    await state.requestApproval();
    expect(state.actionError?.code, "the refusal stays on screen").toBe("not_allowed");
    expect(state.requesting).toBe(false);
    expect(calls.filter((c) => c.cmd === "agreement_history")).toHaveLength(1);

    await state.load();
    state.togglePolicy("legal_reviewer", false);
    expect(state.policyChanged).toBe(true);
    await state.savePolicy();
    expect(state.actionError, "a saved policy clears the last error").toBeNull();
    expect(calls.find((c) => c.cmd === "set_approval_policy")?.args).toEqual({ id: 7, roles: ["service_manager"] });
    expect(state.policyDraft, "the reload resets the draft to the stored policy").toEqual(["service_manager", "legal_reviewer"]);
  });

  it("offers the signed PDF to own approvers and remembers where it was saved", async () => {
    const calls = serve({
      get_draft: draft,
      agreement_history: () => history({ status: "in_force", versions: [version(1, "in_force", { signatures: [signature(manager, 1), signature(lawyer, 1)] })] }),
      list_identities: () => [manager, { ...lawyer, own: false }],
      pending_approvals: () => [],
      verify_agreement: () => verification(),
      export_signed_pdf: (args) => (args.passphrase === "right" ? "/tmp/signed.pdf" : refuse("wrong_passphrase")),
    });
    const state = new HistoryState(7);
    await state.load();
    expect(state.approversFor(1).map((i) => i.fingerprint), "only own identities that approved").toEqual([manager.fingerprint]);

    expect((await state.exportSignedPdf(1, manager.fingerprint, "wrong"))?.code).toBe("wrong_passphrase");
    expect(state.savedPdf).toBeNull();
    expect(await state.exportSignedPdf(1, manager.fingerprint, "right")).toBeNull();
    expect(state.savedPdf).toBe("/tmp/signed.pdf");
    expect(calls.find((c) => c.cmd === "export_signed_pdf")?.args.suggestedName).toBe("saas-support-northwind-v1-signed.pdf");
  });
});
