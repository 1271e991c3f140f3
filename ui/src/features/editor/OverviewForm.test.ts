// The Overview form against a mocked backend: edits land in the saved draft at the right
// place, optional fields become null when emptied, contacts can be added and removed, and the
// engine's problems are shown at the field they name.
import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import EditorScreen from "./EditorScreen.svelte";
import type { Agreement, DraftView } from "../../ipc";
import { partial } from "./testing";

const draft: DraftView = {
  summary: {
    id: 8,
    uid: "5d2e9a70-1c4b-4f3e-a8d6-7b9c0e1f2a35",
    title: "Overview test",
    customer: "Northwind",
    provider: "Acme",
    language: "en",
    status: "draft",
    template: "saas-support-en",
    current_version: null,
    updated_at: "2025-03-14T09:30:00Z",
    created_at: "2025-03-01T08:00:00Z",
    completeness: 40,
    open_errors: 0,
  },
  revision: 1,
  agreement: partial({
    title: "Overview test",
    language: "en",
    overview: {
      provider: { name: "Acme", address: "", contacts: [{ name: "Olivia", function: "Head", email: "", phone: "" }] },
      customer: { name: "Northwind", address: "", contacts: [] },
      purpose: "",
      effective_date: "2027-02-01",
      term: { initial_months: 12, renewal: "automatic", renewal_months: 12, notice: "2 months" },
      payment_terms: "",
      review_cadence: "annual",
      clauses: "",
    },
  }),
};

function serve(refuse?: (saved: Agreement) => unknown): Agreement[] {
  const saves: Agreement[] = [];
  mockIPC((cmd, args) => {
    const payload = (args ?? {}) as { agreement?: Agreement };
    switch (cmd) {
      case "get_draft":
        return structuredClone(draft);
      case "list_versions":
        return [];
      case "check_agreement":
        return { items: [], sections: [], completeness: 50, findings: [] };
      case "parse_field": {
        const text = String((args as { text: string }).text);
        if (text.includes("monhts")) throw { code: "invalid_value", message: 'unknown unit "monhts"', problems: [] };
        return { canonical: text, display: text };
      }
      case "preview_clauses":
        return [];
      case "save_draft": {
        const problem = refuse?.(payload.agreement!);
        if (problem) throw problem;
        saves.push(payload.agreement!);
        return { changed: true, revision: saves.length + 1 };
      }
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
  return saves;
}

describe("overview form", () => {
  it("saves the fields where the engine expects them", async () => {
    const saves = serve();
    render(EditorScreen, { id: 8, onclose: () => {} });
    const form = await screen.findByTestId("overview-form");

    await fireEvent.input(within(form).getByLabelText("Agreement title"), { target: { value: "Renamed" } });
    await fireEvent.input(form.querySelector("#field-overview-provider-name")!, { target: { value: "Acme Ltd" } });
    await fireEvent.input(within(form).getByLabelText("Effective from"), { target: { value: "" } });
    await fireEvent.input(within(form).getByLabelText("Initial term (months)"), { target: { value: "24" } });
    await fireEvent.change(within(form).getByLabelText("Renewal"), { target: { value: "by_agreement" } });
    await fireEvent.change(within(form).getByLabelText("Review of the agreement"), { target: { value: "" } });

    await waitFor(() => expect(saves.length).toBeGreaterThan(0), { timeout: 3000 });
    const saved = saves.at(-1)!;
    expect(saved.title).toBe("Renamed");
    expect(saved.overview.provider.name).toBe("Acme Ltd");
    expect(saved.overview.effective_date).toBeNull();
    expect(saved.overview.term.initial_months).toBe(24);
    expect(saved.overview.term.renewal).toBe("by_agreement");
    expect(saved.overview.term.notice).toBe("2 months");
    expect(saved.overview.review_cadence).toBeNull();
    expect(screen.getByTestId("editor-title").textContent).toBe("Renamed");
  });

  it("adds and removes contacts", async () => {
    const saves = serve();
    render(EditorScreen, { id: 8, onclose: () => {} });
    await screen.findByTestId("overview-form");
    await fireEvent.click(screen.getByTestId("add-contact-customer"));
    const contact = screen.getByTestId("contact-customer");
    await fireEvent.input(within(contact).getByLabelText("Name"), { target: { value: "Priya" } });
    await fireEvent.click(screen.getByRole("button", { name: "Remove contact 1 of the Provider" }));
    expect(screen.queryAllByTestId("contact-provider")).toHaveLength(0);

    await waitFor(() => expect(saves.length).toBeGreaterThan(0), { timeout: 3000 });
    expect(saves.at(-1)!.overview.customer.contacts.map((c) => c.name)).toEqual(["Priya"]);
    expect(saves.at(-1)!.overview.provider.contacts).toEqual([]);
  });

  it("shows the engine's parse error at the notice period and keeps it out of the draft", async () => {
    const saves = serve();
    render(EditorScreen, { id: 8, onclose: () => {} });
    const form = await screen.findByTestId("overview-form");
    const notice = within(form).getByLabelText("Notice period") as HTMLInputElement;
    await fireEvent.input(notice, { target: { value: "2 monhts" } });
    const problem = await within(form).findByTestId("field-problem", {}, { timeout: 3000 });
    expect(problem.textContent, "the engine's message at the field").toBe('unknown unit "monhts"');
    expect(notice.getAttribute("aria-invalid"), "marked invalid").toBe("true");
    expect(notice.value, "the typed text stays").toBe("2 monhts");
    expect(saves.some((s) => s.overview.term.notice === "2 monhts"), "refused text is not saved").toBe(false);
  });

  it("shows the engine's refusal of a right-to-left override at the title field", async () => {
    // The engine refuses bidirectional controls in every text; the editor saves with paths
    // from `$`, so the problem arrives at `$.title` and belongs under the title field.
    const message =
      "the text contains the right-to-left control character U+202E (RIGHT-TO-LEFT OVERRIDE) at byte 8";
    const saves = serve((saved) =>
      saved.title.includes("\u202E")
        ? { code: "invalid_input", message: `$.title: ${message}`, problems: [{ path: "$.title", message }] }
        : undefined,
    );
    render(EditorScreen, { id: 8, onclose: () => {} });
    const form = await screen.findByTestId("overview-form");
    const title = within(form).getByLabelText("Agreement title") as HTMLInputElement;
    await fireEvent.input(title, { target: { value: "Vertrag \u202Egnirts" } });

    const problem = await within(form).findByTestId("field-problem", {}, { timeout: 3000 });
    expect(problem.textContent, "the engine's message, with the code point, under the title").toBe(message);
    expect(problem.closest(".field")?.contains(title), "the message belongs to the title field").toBe(true);
    expect(title.getAttribute("aria-invalid"), "the title is marked invalid").toBe("true");
    expect(title.value, "what was typed stays in the field to be corrected").toBe("Vertrag \u202Egnirts");
    expect(saves, "nothing was saved").toEqual([]);
  });
});
