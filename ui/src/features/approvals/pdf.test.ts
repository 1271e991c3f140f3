// Signed PDF export from the history timeline, the redline PDF of an amendment, and the
// amendment log of section 9 — each against a mocked backend.
import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import type { CommandError } from "../../ipc";
import AmendmentLog from "../editor/AmendmentLog.svelte";
import HistoryScreen from "./HistoryScreen.svelte";
import { customer, history, lawyer, manager, serve, signature, verification, version } from "./fixtures";


const draft = () => ({ summary: { title: "Kundendienst Nord" }, revision: 1, agreement: {} });

describe("signed PDF from the history", () => {
  function backend(exportAnswer: (args: Record<string, unknown>) => unknown) {
    return serve({
      get_draft: draft,
      agreement_history: () =>
        history({
          status: "in_force",
          in_force: 1,
          versions: [version(1, "in_force", { signatures: [signature(manager, 1), signature(lawyer, 1)] })],
        }),
      // The lawyer approved but is someone else's identity (a card); the customer
      // representative is an own identity that did not approve version 1.
      list_identities: () => [manager, { ...lawyer, own: false }, { ...customer, own: true }],
      pending_approvals: () => [],
      verify_agreement: () => verification(),
      export_signed_pdf: exportAnswer,
    });
  }

  it("offers only own identities that approved the version, and sends the chosen one", async () => {
    const calls = backend(() => "/home/k/kundendienst-nord-v1-signed.pdf");
    render(HistoryScreen, { id: 3, onback: () => {} });
    await fireEvent.click(await screen.findByTestId("signed-pdf"));

    const dialog = await screen.findByRole("dialog");
    const text = dialog.textContent ?? "";
    expect(text, "the manager approved version 1 with an own key").toContain("Maria Manager");
    expect(
      text.includes("Lena Legal") || text.includes("Chris Customer"),
      "the lawyer's key is not here and the customer did not approve: neither may sign the PDF",
    ).toBe(false);

    await fireEvent.input(within(dialog).getByTestId("passphrase"), { target: { value: "secret" } });
    await fireEvent.click(within(dialog).getByTestId("passphrase-confirm"));
    const saved = await screen.findByTestId("signed-pdf-saved");
    expect(saved.textContent).toContain("kundendienst-nord-v1-signed.pdf");
    const call = calls.find((c) => c.cmd === "export_signed_pdf");
    expect(call?.args, "the manager's fingerprint, the version and a .pdf name go to the engine").toMatchObject({
      id: 3,
      version: 1,
      identity: manager.fingerprint,
      passphrase: "secret",
      suggestedName: "kundendienst-nord-v1-signed.pdf",
    });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });

  it("keeps the dialog open with the message when the passphrase is wrong", async () => {
    backend(() => {
      throw { code: "wrong_passphrase", message: "wrong", problems: [], key_conflict: null } satisfies CommandError;
    });
    render(HistoryScreen, { id: 3, onback: () => {} });
    await fireEvent.click(await screen.findByTestId("signed-pdf"));
    const dialog = await screen.findByRole("dialog");
    await fireEvent.input(within(dialog).getByTestId("passphrase"), { target: { value: "nope" } });
    await fireEvent.click(within(dialog).getByTestId("passphrase-confirm"));
    expect(await within(dialog).findByTestId("passphrase-problem")).toBeTruthy();
    expect(screen.queryByTestId("signed-pdf-saved"), "nothing was saved").toBeNull();
  });
});

describe("amendment log", () => {
  it("lists enacted amendments from the engine, hostile reasons as plain text", async () => {
    serve({
      amendment_log: () => [
        {
          amendment: 1,
          version: 2,
          reason: "<img src=x onerror=alert(1)> faster P1",
          proposed_at: "2026-11-27T06:00:00.000Z",
          in_force_since: "2026-11-27T07:00:00.000Z",
          approved_by: ["Maria Manager (service manager)", "Lena Legal (legal reviewer)"],
        },
      ],
    });
    render(AmendmentLog, { id: 9 });
    const rows = await screen.findAllByTestId("amendment-log-row");
    expect(rows).toHaveLength(1);
    expect(rows[0]!.textContent).toContain("<img src=x onerror=alert(1)> faster P1");
    expect(rows[0]!.querySelector("img"), "a reason is text, never markup").toBeNull();
    expect(rows[0]!.textContent).toContain("Lena Legal (legal reviewer)");
  });

  it("says so when nothing has come into force yet", async () => {
    serve({ amendment_log: () => [] });
    render(AmendmentLog, { id: 9 });
    expect(await screen.findByText(/No amendment has come into force yet|Bisher ist kein Nachtrag/)).toBeTruthy();
  });
});
