// The amendment review's state without a component: a failed load keeps its error, only the
// decisions owed on this very proposal count, a decision says what it did and reloads the
// review, and the redline PDF reports where it went or why it failed.
import { describe, expect, it } from "vitest";
import { ReviewState } from "./review.svelte";
import { amendment, lawyer, manager, refuse, serve, signature } from "./fixtures";

const hash = "c".repeat(64);
const draft = () => ({ summary: { title: "SaaS Support Northwind" }, revision: 1, agreement: {} });
const owes = (contentHash: string, number = 1) => ({
  agreement: 7,
  title: "x",
  what: { kind: "amendment", amendment: number, version: 2, content_hash: contentHash },
  role: "legal_reviewer",
  identity: lawyer.fingerprint,
  identity_name: lawyer.name,
});
const review = (extra = {}) => ({ summary: amendment(1, extra), comparison: { terms: [], redlines: [] }, proposed: {} });

describe("amendment review state", () => {
  it("keeps the error of a failed load", async () => {
    serve({
      get_draft: draft,
      amendment_review: () => refuse("amendment_not_found", "no amendment 1"),
      list_identities: () => [lawyer],
      pending_approvals: () => [],
    });
    const state = new ReviewState(7, 1, hash);
    await state.load();
    expect(state.error?.code, "the screen shows the engine's refusal").toBe("amendment_not_found");
    expect(state.review).toBeNull();
  });

  it("counts only the decisions owed on this proposal", async () => {
    serve({
      get_draft: draft,
      amendment_review: () => review(),
      list_identities: () => [manager, lawyer],
      pending_approvals: () => [owes("d".repeat(64)), owes(hash, 2)],
    });
    const other = new ReviewState(7, 1, hash);
    await other.load();
    expect(other.mine, "a concurrent proposal with the same number, or another amendment, is not this one").toEqual([]);

    const any = new ReviewState(7, 1, null);
    await any.load();
    expect(any.mine.map((i) => i.fingerprint), "without a content hash any proposal numbered 1 counts").toEqual([lawyer.fingerprint]);
    expect(any.title).toBe("SaaS Support Northwind");
  });

  it("says what an approval did and reloads the review", async () => {
    let approved = false;
    const calls = serve({
      get_draft: draft,
      amendment_review: () => review(approved ? { state: "enacted", decisions: [signature(lawyer, 2, { amendment: 1 })] } : {}),
      list_identities: () => [manager, lawyer],
      pending_approvals: () => (approved ? [] : [owes(hash)]),
      approve_amendment: (args) => {
        if (args.passphrase !== "right") refuse("wrong_passphrase");
        approved = true;
        return { agreement: 7, version: 2, amendment: 1, role: "legal_reviewer", decision: "approve", status: "in_force", in_force: 2, missing_roles: [] };
      },
    });
    const state = new ReviewState(7, 1, hash);
    await state.load();
    expect(state.mine).toHaveLength(1);

    let recorded = 0;
    expect((await state.decide("approve", lawyer.fingerprint, "wrong", "", () => recorded++))?.code).toBe("wrong_passphrase");
    expect(recorded, "a refused decision keeps the dialog open").toBe(0);
    expect(state.outcomeText).toBe("");

    const loads = calls.filter((c) => c.cmd === "amendment_review").length;
    expect(await state.decide("approve", lawyer.fingerprint, "right", "", () => recorded++)).toBeNull();
    expect(recorded).toBe(1);
    expect(state.outcomeText).toBe("Signed. Version 2 is now in force.");
    expect(calls.filter((c) => c.cmd === "amendment_review").length, "a decision reloads the review").toBe(loads + 1);
    expect(state.review?.summary.state).toBe("enacted");
    expect(state.mine, "nothing left to sign").toEqual([]);
  });

  it("sends a rejection with its comment and the proposal's hash", async () => {
    const calls = serve({
      get_draft: draft,
      amendment_review: () => review(),
      list_identities: () => [lawyer],
      pending_approvals: () => [],
      reject_amendment: () => ({ agreement: 7, version: 2, amendment: 1, role: "legal_reviewer", decision: "reject", status: "in_force", in_force: 1, missing_roles: [] }),
    });
    const state = new ReviewState(7, 1, hash);
    await state.decide("reject", lawyer.fingerprint, "pw", "Not now");
    expect(calls.find((c) => c.cmd === "reject_amendment")?.args).toEqual({
      id: 7,
      number: 1,
      contentHash: hash,
      identity: lawyer.fingerprint,
      passphrase: "pw",
      comment: "Not now",
    });
    expect(state.outcomeText).toBe("Rejection signed.");
  });

  it("remembers where the redline PDF went, or why it failed", async () => {
    let fail = true;
    const calls = serve({
      get_draft: draft,
      amendment_review: () => review(),
      list_identities: () => [lawyer],
      pending_approvals: () => [],
      export_amendment_redline_pdf: () => (fail ? refuse("io", "disk full") : "/tmp/redline.pdf"),
    });
    const state = new ReviewState(7, 1, hash);
    await state.load();
    await state.exportRedline();
    expect(state.redlineError?.code).toBe("io");
    fail = false;
    await state.exportRedline();
    expect(state.redlineError, "a new attempt clears the old error").toBeNull();
    expect(state.redlineSaved).toBe("/tmp/redline.pdf");
    expect(calls.find((c) => c.cmd === "export_amendment_redline_pdf")?.args.suggestedName).toBe(
      "saas-support-northwind-amendment-1-redline.pdf",
    );
  });
});
