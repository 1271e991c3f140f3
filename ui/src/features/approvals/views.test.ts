// The signing views against a mocked backend: the passphrase dialog's error branches (by code),
// its focus trap and Escape; the verification badge's states; the history timeline's order and
// signing from it; creating an identity; an amendment's review side by side.
import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import type { CommandError, IdentityInfo } from "../../ipc";
import AmendmentReview from "./AmendmentReview.svelte";
import ApprovalsInbox from "./ApprovalsInbox.svelte";
import ProposeAmendmentDialog from "./ProposeAmendmentDialog.svelte";
import HistoryScreen from "./HistoryScreen.svelte";
import IdentitiesScreen from "./IdentitiesScreen.svelte";
import PassphraseDialog from "./PassphraseDialog.svelte";
import VerificationBadge from "./VerificationBadge.svelte";
import { amendment, history, lawyer, manager, refuse, serve, signature, verification, version } from "./fixtures";

describe("passphrase dialog", () => {
  function open(onsubmit: (identity: string, passphrase: string, comment: string) => Promise<CommandError | null>) {
    const oncancel = vi.fn();
    render(PassphraseDialog, {
      title: "Sign version 1",
      confirmLabel: "Sign",
      identities: [manager],
      onsubmit,
      oncancel,
    });
    return { oncancel, input: screen.getByTestId("passphrase") as HTMLInputElement };
  }

  it("says a wrong passphrase is wrong, clears the field and lets the user try again", async () => {
    const attempts: string[] = [];
    const onsubmit = vi.fn(async (_identity: string, passphrase: string): Promise<CommandError | null> => {
      attempts.push(passphrase);
      return passphrase === "right one" ? null : { code: "wrong_passphrase", message: "no", problems: [], key_conflict: null };
    });
    const { input } = open(onsubmit);
    expect(document.activeElement).toBe(input);

    await fireEvent.input(input, { target: { value: "wrong one" } });
    await fireEvent.click(screen.getByTestId("passphrase-confirm"));
    const problem = await screen.findByTestId("passphrase-problem");
    expect(problem.textContent).toContain("That passphrase is not right");
    expect(input.value).toBe("");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(input);
    expect((screen.getByTestId("passphrase-confirm") as HTMLButtonElement).disabled).toBe(true);

    await fireEvent.input(input, { target: { value: "right one" } });
    await fireEvent.click(screen.getByTestId("passphrase-confirm"));
    await waitFor(() => expect(onsubmit).toHaveBeenCalledTimes(2));
    expect(attempts).toEqual(["wrong one", "right one"]);
    expect(onsubmit.mock.calls[0]![0]).toBe(manager.fingerprint);
    expect(input.value).toBe("");
  });

  it("tells a damaged key apart from a wrong passphrase", async () => {
    const { input } = open(async () => ({ code: "key_damaged", message: "the sealed key fails its check", problems: [], key_conflict: null }));
    await fireEvent.input(input, { target: { value: "whatever1" } });
    await fireEvent.click(screen.getByTestId("passphrase-confirm"));
    const problem = await screen.findByTestId("passphrase-problem");
    expect(problem.textContent).toContain("damaged");
    expect(problem.textContent).not.toContain("not right");
  });

  it("shows any other refusal with its code", async () => {
    const { input } = open(async () => ({ code: "not_allowed", message: "already signed", problems: [], key_conflict: null }));
    await fireEvent.input(input, { target: { value: "whatever1" } });
    await fireEvent.click(screen.getByTestId("passphrase-confirm"));
    expect((await screen.findByTestId("error-code")).textContent).toBe("not_allowed");
    expect(screen.queryByTestId("passphrase-problem")).toBeNull();
  });

  it("cancels on Escape and keeps Tab inside the dialog", async () => {
    const { oncancel, input } = open(async () => null);
    const dialog = screen.getByRole("dialog");
    const cancel = screen.getByTestId("passphrase-cancel");
    cancel.focus();
    // The confirm button is disabled (no passphrase yet): Cancel is the last focusable element.
    await fireEvent.keyDown(dialog, { key: "Tab" });
    expect(document.activeElement).toBe(input);
    await fireEvent.keyDown(dialog, { key: "Tab", shiftKey: true });
    expect(document.activeElement).toBe(cancel);
    await fireEvent.keyDown(dialog, { key: "Escape" });
    expect(oncancel).toHaveBeenCalledOnce();
  });

  it("needs a comment for a rejection", async () => {
    const onsubmit = vi.fn(async () => null);
    render(PassphraseDialog, {
      title: "Reject",
      confirmLabel: "Reject",
      identities: [manager],
      comment: "required",
      onsubmit,
      oncancel: () => {},
    });
    await fireEvent.input(screen.getByTestId("passphrase"), { target: { value: "secret123" } });
    expect((screen.getByTestId("passphrase-confirm") as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.input(screen.getByTestId("decision-comment"), { target: { value: "  P1 too slow  " } });
    await fireEvent.click(screen.getByTestId("passphrase-confirm"));
    await waitFor(() => expect(onsubmit).toHaveBeenCalledWith(manager.fingerprint, "secret123", "P1 too slow"));
  });
});

describe("verification badge", () => {
  it("is green when verified", () => {
    render(VerificationBadge, { verification: verification() });
    const badge = screen.getByTestId("verification-badge");
    expect(badge.dataset.state).toBe("verified");
    expect(badge.textContent).toContain("Verified");
  });

  it("is red with every finding in words", () => {
    render(VerificationBadge, {
      verification: verification({
        ok: false,
        findings: [
          { code: "signature_invalid", version: 1, amendment: null, signature: 2, field: null, message: "bad" },
          { code: "history_cut_off", version: null, amendment: null, signature: null, field: null, message: "cut" },
        ],
      }),
    });
    const badge = screen.getByTestId("verification-badge");
    expect(badge.dataset.state).toBe("failed");
    expect(badge.textContent).toContain("2 problem(s)");
    const items = within(screen.getByTestId("verification-findings")).getAllByRole("listitem");
    expect(items.map((i) => i.dataset.code)).toEqual(["signature_invalid", "history_cut_off"]);
    expect(items[0]!.textContent).toBe(
      "Version 1, signature 2: the signature does not match what it claims to sign (forged or damaged)",
    );
  });

  it("says when it is still checking or could not check", () => {
    const { unmount } = render(VerificationBadge, { verification: null });
    expect(screen.getByTestId("verification-badge").dataset.state).toBe("checking");
    unmount();
    render(VerificationBadge, { verification: null, error: { code: "corrupt", message: "x", problems: [], key_conflict: null } });
    expect(screen.getByTestId("verification-badge").dataset.state).toBe("error");
  });
});

describe("history screen", () => {
  const draft = () => ({ summary: { title: "SaaS Support Northwind" }, revision: 1, agreement: {} });

  it("shows versions and amendments in order with signers and the badge", async () => {
    serve({
      get_draft: draft,
      agreement_history: () =>
        history({
          status: "in_force",
          in_force: 2,
          versions: [
            version(1, "superseded", { signatures: [signature(manager, 1), signature(lawyer, 1)] }),
            version(2, "in_force", { amendment: 1, signatures: [signature(manager, 2, { amendment: 1 })] }),
          ],
          amendments: [amendment(1, { state: "enacted", missing_roles: [] }), amendment(2, { base_version: 2, target_version: 3 })],
        }),
      list_identities: () => [manager, lawyer],
      pending_approvals: () => [],
      verify_agreement: () => verification(),
    });
    render(HistoryScreen, { id: 7, onback: () => {} });

    const items = await screen.findAllByTestId("timeline-item");
    expect(items.map((i) => `${i.dataset.kind}:${i.dataset.state}`)).toEqual([
      "version:superseded",
      "version:in_force",
      "amendment:in_review",
    ]);
    expect(within(items[0]!).getAllByTestId("signature").map((s) => s.dataset.role)).toEqual([
      "service_manager",
      "legal_reviewer",
    ]);
    expect(items[0]!.textContent).toContain("3F2A 9C01");
    expect(items[1]!.textContent).toContain("Faster P1 resolution");
    expect(screen.getByTestId("history-title").textContent).toBe("SaaS Support Northwind");
    await waitFor(() => expect(screen.getByTestId("verification-badge").dataset.state).toBe("verified"));
    // Someone signed: the policy is fixed.
    expect((screen.getByTestId("policy-legal_reviewer") as HTMLInputElement).disabled).toBe(true);
  });

  it("signs the version under review as the identity the engine says still owes it", async () => {
    let signed = false;
    const calls = serve({
      get_draft: draft,
      agreement_history: () =>
        history({
          status: signed ? "in_force" : "in_review",
          in_force: signed ? 1 : null,
          versions: [version(1, signed ? "in_force" : "pending")],
        }),
      list_identities: () => [manager, lawyer],
      pending_approvals: () =>
        signed
          ? []
          : [{ agreement: 7, title: "x", what: { kind: "version", version: 1 }, role: "legal_reviewer", identity: lawyer.fingerprint, identity_name: lawyer.name }],
      verify_agreement: () => verification(),
      sign_version: (args) => {
        if (args.passphrase !== "lena's secret") refuse("wrong_passphrase");
        signed = true;
        return { agreement: 7, version: 1, amendment: null, role: "legal_reviewer", decision: "approve", status: "in_force", in_force: 1, missing_roles: [] };
      },
    });
    render(HistoryScreen, { id: 7, onback: () => {} });

    await fireEvent.click(await screen.findByTestId("sign-version"));
    const dialog = screen.getByTestId("passphrase-dialog");
    expect(within(dialog).getByTestId("signer").textContent).toContain("Lena Legal");
    await fireEvent.input(within(dialog).getByTestId("passphrase"), { target: { value: "oops" } });
    await fireEvent.click(within(dialog).getByTestId("passphrase-confirm"));
    await within(dialog).findByTestId("passphrase-problem");
    await fireEvent.input(within(dialog).getByTestId("passphrase"), { target: { value: "lena's secret" } });
    await fireEvent.click(within(dialog).getByTestId("passphrase-confirm"));

    await waitFor(() => expect(screen.queryByTestId("passphrase-dialog")).toBeNull());
    const item = await screen.findByTestId("timeline-item");
    await waitFor(() => expect(item.dataset.state).toBe("in_force"));
    const signs = calls.filter((c) => c.cmd === "sign_version").map((c) => c.args);
    expect(signs).toEqual([
      { id: 7, version: 1, identity: lawyer.fingerprint, passphrase: "oops" },
      { id: 7, version: 1, identity: lawyer.fingerprint, passphrase: "lena's secret" },
    ]);
  });

  it("requests approval and edits the policy before anyone signed", async () => {
    let status: "draft" | "in_review" = "draft";
    const calls = serve({
      get_draft: draft,
      agreement_history: () => history({ status, versions: [version(1, "pending")] }),
      list_identities: () => [],
      pending_approvals: () => [],
      verify_agreement: () => verification({ in_force: null, signatures: 0 }),
      set_approval_policy: (args) => ({ required: args.roles }),
      request_approval: () => {
        status = "in_review";
        return { agreement: 7, version: 1, content_hash: "1", required: [], status: "in_review" };
      },
    });
    render(HistoryScreen, { id: 7, onback: () => {} });

    const customerRole = (await screen.findByTestId("policy-customer_representative")) as HTMLInputElement;
    expect(customerRole.disabled).toBe(false);
    await fireEvent.click(customerRole);
    await fireEvent.click(screen.getByTestId("policy-save"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "set_approval_policy")).toBe(true));
    expect(calls.find((c) => c.cmd === "set_approval_policy")?.args).toEqual({
      id: 7,
      roles: ["service_manager", "legal_reviewer", "customer_representative"],
    });

    await fireEvent.click(screen.getByTestId("request-approval"));
    await waitFor(() => expect(screen.getByTestId("timeline-item").dataset.state).toBe("in_review"));
    expect(screen.queryByTestId("request-approval")).toBeNull();
  });
});

describe("identities screen", () => {
  it("creates an identity only when both passphrases match, and forgets the passphrase", async () => {
    const created: IdentityInfo[] = [];
    const calls = serve({
      list_identities: () => created,
      create_identity: (args) => {
        const identity = { ...manager, name: (args.identity as { name: string }).name };
        created.push(identity);
        return identity;
      },
    });
    render(IdentitiesScreen, { onback: () => {} });

    const form = await screen.findByTestId("identity-form");
    await fireEvent.input(within(form).getByTestId("identity-name-input"), { target: { value: " Maria Manager " } });
    await fireEvent.input(within(form).getByTestId("identity-organisation"), { target: { value: "Example Cloud Ltd" } });
    await fireEvent.change(within(form).getByTestId("identity-role"), { target: { value: "service_manager" } });
    await fireEvent.input(within(form).getByTestId("identity-passphrase"), { target: { value: "short" } });
    expect(within(form).getByTestId("passphrase-strength").dataset.strength).toBe("short");
    await fireEvent.input(within(form).getByTestId("identity-passphrase"), { target: { value: "correct horse battery staple" } });
    expect(within(form).getByTestId("passphrase-strength").dataset.strength).toBe("strong");
    await fireEvent.input(within(form).getByTestId("identity-repeat"), { target: { value: "correct horse battery stable" } });
    expect(within(form).getByRole("alert").textContent).toContain("differ");
    expect((within(form).getByTestId("identity-create") as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.input(within(form).getByTestId("identity-repeat"), { target: { value: "correct horse battery staple" } });
    await fireEvent.click(within(form).getByTestId("identity-create"));

    const own = await screen.findByTestId("own-identity");
    expect(within(own).getByTestId("identity-name").textContent).toBe("Maria Manager");
    expect(within(own).getAllByTestId("fingerprint")[0]!.querySelectorAll(".group")).toHaveLength(8);
    expect(calls.find((c) => c.cmd === "create_identity")?.args).toEqual({
      identity: { name: "Maria Manager", organisation: "Example Cloud Ltd", role: "service_manager", email: "" },
      passphrase: "correct horse battery staple",
    });
    // The form is gone and nothing on the page holds the passphrase any more.
    expect(screen.queryByTestId("identity-form")).toBeNull();
    for (const input of document.querySelectorAll("input")) expect(input.value).not.toContain("horse");
  });
});

describe("amendment review", () => {
  it("shows the reason, the redline and the changed terms side by side, and approves", async () => {
    let approved = false;
    const calls = serve({
      get_draft: () => ({ summary: { title: "SaaS Support Northwind" }, revision: 1, agreement: {} }),
      amendment_review: () => ({
        summary: amendment(1, approved ? { state: "enacted", decisions: [signature(lawyer, 2, { amendment: 1 })] } : {}),
        comparison: {
          terms: [{ section: "support_levels", key: "support_levels.P1.resolution", label: "P1 › Resolution", before: "8 h", after: "4 h" }],
          redlines: [
            {
              section: "support_levels",
              title: "Support levels",
              chunks: [
                { kind: "same", text: "Resolved within " },
                { kind: "deleted", text: "eight" },
                { kind: "inserted", text: "four" },
                { kind: "same", text: " hours." },
              ],
            },
          ],
        },
        proposed: {},
      }),
      list_identities: () => [manager, lawyer],
      pending_approvals: () =>
        approved
          ? []
          : [{ agreement: 7, title: "x", what: { kind: "amendment", amendment: 1, version: 2, content_hash: "c".repeat(64) }, role: "legal_reviewer", identity: lawyer.fingerprint, identity_name: lawyer.name }],
      approve_amendment: () => {
        approved = true;
        return { agreement: 7, version: 2, amendment: 1, role: "legal_reviewer", decision: "approve", status: "in_force", in_force: 2, missing_roles: [] };
      },
    });
    render(AmendmentReview, { id: 7, number: 1, contentHash: "c".repeat(64), onback: () => {} });

    expect((await screen.findByTestId("amendment-reason")).textContent).toBe("Faster P1 resolution");
    const redline = screen.getByTestId("amendment-redline");
    expect(redline.querySelector(".redline del")?.textContent).toBe("eight");
    expect(redline.querySelector(".redline ins")?.textContent).toBe("four");
    const term = within(screen.getByTestId("amendment-terms")).getByTestId("amendment-term");
    expect(term.textContent).toContain("P1 › Resolution");
    expect(term.textContent).toContain("8 h");
    expect(term.textContent).toContain("4 h");

    await fireEvent.click(screen.getByTestId("approve-amendment"));
    await fireEvent.input(screen.getByTestId("passphrase"), { target: { value: "lena's secret" } });
    await fireEvent.click(screen.getByTestId("passphrase-confirm"));
    expect((await screen.findByTestId("decision-outcome")).textContent).toBe("Signed. Version 2 is now in force.");
    await waitFor(() => expect(screen.getByTestId("amendment-state").dataset.state).toBe("enacted"));
    expect(
      calls.find((c) => c.cmd === "approve_amendment")?.args,
      "the approval names the proposal by its content hash too (concurrent ones can share a number)",
    ).toEqual({
      id: 7,
      number: 1,
      contentHash: "c".repeat(64),
      identity: lawyer.fingerprint,
      passphrase: "lena's secret",
    });
  });
});

describe("approvals inbox", () => {
  it("lists what waits, shows a version's summary and signs it", async () => {
    let waiting = true;
    const calls = serve({
      pending_approvals: () =>
        waiting
          ? [{ agreement: 7, title: "SaaS Support Northwind", what: { kind: "version", version: 1 }, role: "service_manager", identity: manager.fingerprint, identity_name: manager.name }]
          : [],
      list_identities: () => [manager, lawyer],
      get_version: () => ({
        info: version(1, "pending").info,
        agreement: { title: "SaaS Support Northwind", overview: { customer: { name: "Northwind Traders" }, term: { initial_months: 12 } } },
      }),
      sign_version: () => {
        waiting = false;
        return { agreement: 7, version: 1, amendment: null, role: "service_manager", decision: "approve", status: "in_review", in_force: null, missing_roles: ["legal_reviewer"] };
      },
    });
    render(ApprovalsInbox, { onamendment: () => {}, onhistory: () => {}, onidentities: () => {} });

    const item = await screen.findByTestId("pending-item");
    expect(item.textContent).toContain("Version 1 for approval");
    expect(item.textContent).toContain("as Maria Manager, Service manager");
    await fireEvent.click(within(item).getByTestId("pending-review"));
    const summary = await screen.findByTestId("version-summary");
    expect(summary.textContent).toContain("Northwind Traders");
    expect(summary.textContent).toContain("12 months");
    await fireEvent.click(screen.getByTestId("inbox-sign"));
    await fireEvent.input(screen.getByTestId("passphrase"), { target: { value: "maria's secret" } });
    await fireEvent.click(screen.getByTestId("passphrase-confirm"));
    expect((await screen.findByTestId("decision-outcome")).textContent).toBe("Signed. 1 more role(s) must still approve.");
    await screen.findByTestId("inbox-empty");
    expect(calls.find((c) => c.cmd === "sign_version")?.args).toEqual({
      id: 7,
      version: 1,
      identity: manager.fingerprint,
      passphrase: "maria's secret",
    });
  });

  it("asks for an identity first when there is none", async () => {
    serve({ pending_approvals: () => [], list_identities: () => [] });
    const onidentities = vi.fn();
    render(ApprovalsInbox, { onamendment: () => {}, onhistory: () => {}, onidentities });
    await fireEvent.click(await screen.findByRole("button", { name: "Create identity" }));
    expect(onidentities).toHaveBeenCalledOnce();
  });
});

describe("propose amendment", () => {
  it("needs a reason, saves the editor first and proposes unsigned by default", async () => {
    const order: string[] = [];
    const calls = serve({
      propose_amendment: () => {
        order.push("propose");
        return amendment(1);
      },
    });
    const onproposed = vi.fn();
    render(ProposeAmendmentDialog, {
      id: 7,
      identities: [manager],
      inForce: 1,
      before: async () => {
        order.push("flush");
      },
      onproposed,
      oncancel: () => {},
    });
    const submit = screen.getByTestId("propose-submit") as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId("propose-reason"), { target: { value: "Faster P1" } });
    await fireEvent.click(submit);
    await waitFor(() => expect(onproposed).toHaveBeenCalledOnce());
    expect(order).toEqual(["flush", "propose"]);
    expect(calls[0]?.args).toEqual({ id: 7, reason: "Faster P1", proposer: null, passphrase: null });
  });

  it("signs the proposal when an identity is chosen, and says so when the passphrase is wrong", async () => {
    serve({ propose_amendment: () => refuse("wrong_passphrase") });
    render(ProposeAmendmentDialog, { id: 7, identities: [manager], inForce: 1, onproposed: () => {}, oncancel: () => {} });
    await fireEvent.input(screen.getByTestId("propose-reason"), { target: { value: "Faster P1" } });
    await fireEvent.change(screen.getByTestId("propose-signer"), { target: { value: manager.fingerprint } });
    const submit = screen.getByTestId("propose-submit") as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId("propose-passphrase"), { target: { value: "nope" } });
    await fireEvent.click(submit);
    expect((await screen.findByTestId("passphrase-problem")).textContent).toContain("not right");
    expect((screen.getByTestId("propose-passphrase") as HTMLInputElement).value).toBe("");
  });
});
