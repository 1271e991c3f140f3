// The library screen against a mocked backend (mockIPC): rows from list_agreements, the empty
// and error states, the moved-aside notice, and that sorting asks the engine.
import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import LibraryScreen from "./LibraryScreen.svelte";
import type { DatabaseInfo, ListPage, ListQuery } from "../../ipc";
import { summary } from "../../test-support/fixtures";

const twoRows: ListPage = {
  total: 2,
  items: [
    summary({ id: 1 }),
    summary({
      id: 2,
      uid: "5d2e9a70-1c4b-4f3e-a8d6-7b9c0e1f2a34",
      title: "SaaS support for Northwind",
      customer: "Northwind Ltd",
      language: "en",
      status: "in_force",
      current_version: 3,
      completeness: 100,
      open_errors: 0,
    }),
  ],
};

/** Answers list_agreements with `page` and records every query the screen sent. */
function serveList(page: ListPage): ListQuery[] {
  const queries: ListQuery[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "list_agreements") {
      queries.push((args as { query: ListQuery }).query);
      return page;
    }
    throw new Error(`unexpected command ${cmd}`);
  });
  return queries;
}

describe("library screen", () => {
  it("renders one row per agreement from list_agreements", async () => {
    const queries = serveList(twoRows);
    render(LibraryScreen, { info: null });

    const rows = await screen.findAllByTestId("agreement-row");
    expect(rows).toHaveLength(2);
    expect(queries[0]).toEqual({ status: null, sort: "updated_at", descending: true, limit: 50, offset: 0 });

    const first = within(rows[0]!);
    expect(first.getByText("IT-Support Müller GmbH")).toBeTruthy();
    expect(first.getByText("Müller GmbH")).toBeTruthy();
    expect(first.getByText("Draft")).toBeTruthy();
    expect(first.getByText("None yet")).toBeTruthy();
    expect(first.getByText("2")).toBeTruthy();

    const second = within(rows[1]!);
    expect(second.getByText("SaaS support for Northwind")).toBeTruthy();
    expect(second.getByText("In force")).toBeTruthy();
    expect(second.getByText("Version 3")).toBeTruthy();
    expect(second.getByText("None")).toBeTruthy();
    expect(second.getByText("100%")).toBeTruthy();

    expect(screen.getByTestId("agreement-count").textContent).toBe("2 agreements");
  });

  it("renders titles as text, never as markup", async () => {
    serveList({ total: 1, items: [summary({ title: "<img src=x onerror=alert(1)>" })] });
    render(LibraryScreen, { info: null });
    expect(await screen.findByText("<img src=x onerror=alert(1)>")).toBeTruthy();
    expect(document.querySelector("img")).toBeNull();
  });

  it("asks the engine for another order when a column header is clicked", async () => {
    const queries = serveList(twoRows);
    render(LibraryScreen, { info: null });
    await screen.findAllByTestId("agreement-row");

    await fireEvent.click(screen.getByRole("button", { name: /^Agreement/ }));
    await screen.findAllByTestId("agreement-row");
    expect(queries.at(-1)).toMatchObject({ sort: "title", descending: false, offset: 0 });
  });

  it("shows the empty state when there are no agreements", async () => {
    serveList({ total: 0, items: [] });
    render(LibraryScreen, { info: null });
    expect(await screen.findByText("No agreements yet")).toBeTruthy();
    expect(screen.queryByRole("table")).toBeNull();
  });

  it("shows the engine's error code and message when listing fails", async () => {
    mockIPC(() => {
      throw { code: "schema_too_new", message: "the database /x.db has schema version 9" };
    });
    render(LibraryScreen, { info: null });

    expect(await screen.findByRole("alert")).toBeTruthy();
    expect(screen.getByText("The library could not be loaded")).toBeTruthy();
    expect(screen.getByText(/written by a newer version of Pactum/)).toBeTruthy();
    expect(screen.getByTestId("error-code").textContent).toBe("schema_too_new");
    expect(screen.getByTestId("error-message").textContent).toBe("the database /x.db has schema version 9");
  });

  it("reports a failure of the IPC itself with the code ipc", async () => {
    mockIPC(() => {
      throw "command list_agreements not allowed by ACL";
    });
    render(LibraryScreen, { info: null });
    expect((await screen.findByTestId("error-code")).textContent).toBe("ipc");
    expect(screen.getByText("command list_agreements not allowed by ACL")).toBeTruthy();
  });

  it("tells the user when the database was readable by others and is private now", async () => {
    serveList({ total: 0, items: [] });
    const info: DatabaseInfo = {
      path: "/home/a/.local/share/pactum/pactum.db",
      moved_aside: null,
      permissions_tightened: {
        files: [{ path: "/home/a/.local/share/pactum/pactum.db", mode_before: 0o644, mode_after: 0o600 }],
      },
    };
    render(LibraryScreen, { info });

    const notice = await screen.findByTestId("permissions-tightened");
    expect(
      within(notice).getByText("/home/a/.local/share/pactum/pactum.db: mode 0644 → 0600"),
      "the notice names the file and both modes, as the command line does",
    ).toBeTruthy();
    expect(within(notice).getByText(/new passphrase/)).toBeTruthy();
    await fireEvent.click(within(notice).getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByTestId("permissions-tightened")).toBeNull();
  });

  it("tells the user when a damaged database was moved aside", async () => {
    serveList({ total: 0, items: [] });
    const info: DatabaseInfo = {
      path: "/home/a/.local/share/pactum/pactum.db",
      moved_aside: {
        original: "/home/a/.local/share/pactum/pactum.db",
        moved_to: "/home/a/.local/share/pactum/pactum.db.corrupt-1",
        reason: "file is not a database",
      },
      permissions_tightened: null,
    };
    render(LibraryScreen, { info });

    const notice = await screen.findByTestId("moved-aside");
    expect(within(notice).getByText(/pactum\.db\.corrupt-1/)).toBeTruthy();
    expect(within(notice).getByText("Reason: file is not a database")).toBeTruthy();
    await fireEvent.click(within(notice).getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByTestId("moved-aside")).toBeNull();
  });
});
