// The library's search, "New agreement" dialog and row actions against a mocked backend.
import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import LibraryScreen from "./LibraryScreen.svelte";
import type { AgreementSummary, ListPage, SearchHit, TemplateInfo } from "../../ipc";
import { summary } from "../../test-support/fixtures";

const templateList: TemplateInfo[] = [
  { id: "it-support-de", language: "de", name: "IT-Support-SLA", description: "Service Desk und Vor-Ort-Support." },
  { id: "saas-support-en", language: "en", name: "SaaS support SLA", description: "Availability and support." },
];

type Call = { cmd: string; args: Record<string, unknown> };

/** A backend whose list answers with `page()`, recording every call. */
function serve(page: () => ListPage, answers: Record<string, (args: Record<string, unknown>) => unknown> = {}): Call[] {
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    const payload = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: payload });
    if (cmd === "list_agreements") return page();
    const answer = answers[cmd];
    if (answer) return answer(payload);
    throw new Error(`unexpected command ${cmd}`);
  });
  return calls;
}

describe("library search", () => {
  it("shows the engine's hits with the matches as <mark> elements", async () => {
    const hits: SearchHit[] = [
      { id: 4, title: "IT-Support Müller", customer: "Müller GmbH", status: "draft", snippet: "Die [Lösungszeit] für P1" },
    ];
    const calls = serve(() => ({ total: 0, items: [] }), { search_agreements: () => hits });
    render(LibraryScreen, { info: null });

    await fireEvent.input(screen.getByTestId("library-search"), { target: { value: "Lösungszeit" } });
    const hit = await screen.findByTestId("search-hit", {}, { timeout: 2000 });
    const snippet = within(hit).getByTestId("search-snippet");
    expect(snippet.textContent).toBe("Die Lösungszeit für P1");
    const marks = snippet.querySelectorAll("mark");
    expect(marks).toHaveLength(1);
    expect(marks[0]!.textContent).toBe("Lösungszeit");
    expect(calls.find((c) => c.cmd === "search_agreements")?.args).toEqual({ query: "Lösungszeit", limit: 50 });
    expect(screen.getByTestId("search-summary").textContent?.trim()).toBe("1 match for “Lösungszeit”");
  });

  it("renders markup in a snippet literally", async () => {
    const payload = "<script>window.pwned = 1</script> <img src=x onerror=alert(1)>";
    serve(() => ({ total: 0, items: [] }), {
      search_agreements: () => [
        { id: 1, title: "<b>bold</b>", customer: "", status: "draft", snippet: `[${payload}] after` },
      ],
    });
    render(LibraryScreen, { info: null });

    await fireEvent.input(screen.getByTestId("library-search"), { target: { value: "script" } });
    const snippet = await screen.findByTestId("search-snippet", {}, { timeout: 2000 });
    expect(snippet.textContent).toBe(`${payload} after`);
    expect(snippet.querySelector("mark")!.textContent).toBe(payload);
    expect(document.querySelector("script")).toBeNull();
    expect(document.querySelector("img")).toBeNull();
    expect(document.querySelector("b")).toBeNull();
    expect(screen.getByText("<b>bold</b>")).toBeTruthy();
  });

  it("says so when nothing matches and returns to the table when cleared", async () => {
    serve(() => ({ total: 1, items: [summary({})] }), { search_agreements: () => [] });
    render(LibraryScreen, { info: null });
    await screen.findByTestId("agreement-row");

    const input = screen.getByTestId("library-search");
    await fireEvent.input(input, { target: { value: "nothing" } });
    expect(await screen.findByText("Nothing matches “nothing”.", {}, { timeout: 2000 })).toBeTruthy();
    expect(screen.queryByTestId("agreement-row")).toBeNull();

    await fireEvent.input(input, { target: { value: "" } });
    expect(await screen.findByTestId("agreement-row")).toBeTruthy();
  });
});

describe("new agreement", () => {
  it("lists the templates, creates the chosen one with the title typed and opens it", async () => {
    const calls = serve(() => ({ total: 0, items: [] }), {
      templates: () => templateList,
      create_agreement: () => 9,
    });
    const onopen = vi.fn();
    render(LibraryScreen, { info: null, onopen });
    await screen.findByText("No agreements yet");

    await fireEvent.click(screen.getByTestId("new-agreement"));
    const dialog = await screen.findByRole("dialog");
    expect(await within(dialog).findByText("Service Desk und Vor-Ort-Support.")).toBeTruthy();
    expect(within(dialog).getByText("SaaS support SLA")).toBeTruthy();

    await fireEvent.click(within(dialog).getByRole("radio", { name: /SaaS support SLA/ }));
    await fireEvent.input(within(dialog).getByLabelText("Title"), { target: { value: "  Northwind  " } });
    await fireEvent.click(within(dialog).getByTestId("new-agreement-create"));

    await waitFor(() => expect(onopen).toHaveBeenCalledWith(9));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(calls.find((c) => c.cmd === "create_agreement")?.args).toEqual({
      template: "saas-support-en",
      title: "Northwind",
      language: null,
    });
  });

  it("keeps the dialog open and shows the engine's error when creating fails", async () => {
    serve(() => ({ total: 0, items: [] }), {
      templates: () => templateList,
      create_agreement: () => {
        throw { code: "template_not_found", message: 'there is no template "x"', problems: [] };
      },
    });
    render(LibraryScreen, { info: null });
    await fireEvent.click(await screen.findByTestId("new-agreement"));
    const dialog = await screen.findByRole("dialog");
    await within(dialog).findByText("IT-Support-SLA");
    await fireEvent.click(within(dialog).getByTestId("new-agreement-create"));
    expect(await within(dialog).findByText('there is no template "x"')).toBeTruthy();
    expect(screen.getByRole("dialog")).toBeTruthy();
  });
});

describe("row actions", () => {
  it("duplicates, archives and restores through the engine and reloads the list", async () => {
    let status: AgreementSummary["status"] = "draft";
    const calls = serve(() => ({ total: 1, items: [summary({ status })] }), {
      duplicate_agreement: () => 2,
      archive_agreement: () => {
        status = "archived";
        return status;
      },
      unarchive_agreement: () => {
        status = "draft";
        return status;
      },
    });
    render(LibraryScreen, { info: null });
    await screen.findByTestId("agreement-row");

    const duplicate = screen.getByRole("button", { name: "Duplicate “IT-Support Müller GmbH”" });
    await fireEvent.click(duplicate);
    await waitFor(() => expect(calls.filter((c) => c.cmd === "list_agreements")).toHaveLength(2));
    await waitFor(() => expect((duplicate as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(screen.getByRole("button", { name: "Archive “IT-Support Müller GmbH”" }));
    const restore = await screen.findByRole("button", { name: "Restore “IT-Support Müller GmbH” from the archive" });
    await fireEvent.click(restore);
    await screen.findByRole("button", { name: "Archive “IT-Support Müller GmbH”" });

    const actions = calls.filter((c) => c.cmd !== "list_agreements");
    expect(actions).toEqual([
      { cmd: "duplicate_agreement", args: { id: 1 } },
      { cmd: "archive_agreement", args: { id: 1 } },
      { cmd: "unarchive_agreement", args: { id: 1 } },
    ]);
    expect(calls.filter((c) => c.cmd === "list_agreements").length).toBeGreaterThanOrEqual(4);
  });
});
