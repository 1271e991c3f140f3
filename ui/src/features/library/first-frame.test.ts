// The library's first rows from the window's first frame (the shell's initialization script):
// shown before any IPC answer, then refreshed over IPC, and loaded afresh when they changed.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { ListPage, ListQuery } from "../../ipc";
import type { FirstFrame_Serialize as FirstFrame } from "../../ipc/bindings";
import { summary } from "../../test-support/fixtures";

const framePage: ListPage = { total: 120, items: Array.from({ length: 100 }, (_, i) => summary({ id: i + 1 })) };

function frame(page: ListPage | null, query: Partial<ListQuery> = {}): FirstFrame {
  return {
    query: { status: null, sort: "updated_at", descending: true, limit: 100, offset: 0, ...query },
    page,
    database: { path: "/tmp/library.db", moved_aside: null, permissions_tightened: null },
    preferences: { language: null, theme: null },
  } as FirstFrame;
}

/** A fresh copy of the library module (its "frame already shown" flag is per page load). */
async function freshLibrary() {
  vi.resetModules();
  return import("./library.svelte");
}

describe("first frame", () => {
  let queries: ListQuery[];
  let answer: (query: ListQuery) => ListPage;

  beforeEach(() => {
    queries = [];
    answer = (query) => ({ total: 120, items: framePage.items.slice(query.offset, query.offset + query.limit) });
    mockIPC((cmd, args) => {
      if (cmd !== "list_agreements") throw new Error(`unexpected command ${cmd}`);
      const query = (args as { query: ListQuery }).query;
      queries.push(query);
      return answer(query);
    });
  });
  afterEach(() => {
    delete window.__PACTUM_FIRST_FRAME__;
  });

  it("shows the frame's rows before any answer and asks nothing before the main script runs", async () => {
    window.__PACTUM_FIRST_FRAME__ = frame(framePage);
    const { LibraryState, prefetchFirstRows } = await freshLibrary();
    prefetchFirstRows();
    expect(queries, "with the rows in the frame, nothing is prefetched over IPC").toHaveLength(0);
    const library = new LibraryState();
    const loading = library.load();
    expect(library.total, "the rows are there synchronously, without an IPC round trip").toBe(120);
    expect(library.rows[99]?.id).toBe(100);
    expect(library.rows[100]).toBeUndefined();
    await loading;
    await vi.waitFor(() => expect(queries).toHaveLength(1));
    expect(queries[0], "the shown rows are refreshed with the same question").toMatchObject({ offset: 0, limit: 100, sort: "updated_at" });
    library.ensure(0, 60);
    expect(queries, "rows the frame covered are not asked for again").toHaveLength(1);
    library.ensure(90, 110);
    await vi.waitFor(() => expect(queries).toHaveLength(2));
    expect(queries[1]).toMatchObject({ offset: 100, limit: 50 });
  });

  it("loads the list afresh when the refresh differs from the frame (a reloaded page)", async () => {
    window.__PACTUM_FIRST_FRAME__ = frame(framePage);
    answer = (query) => ({ total: 3, items: [summary({ id: 7, title: "Changed since" })].slice(0, query.limit) });
    const { LibraryState } = await freshLibrary();
    const library = new LibraryState();
    await library.load();
    expect(library.total).toBe(120);
    await vi.waitFor(() => expect(library.total, "the fresh answer replaces the stale frame").toBe(3));
    expect(library.rows[0]?.title).toBe("Changed since");
  });

  it("uses the frame only once: a second load asks the engine", async () => {
    window.__PACTUM_FIRST_FRAME__ = frame(framePage);
    const { LibraryState } = await freshLibrary();
    await new LibraryState().load();
    const again = new LibraryState();
    await again.load();
    expect(queries.some((q) => q.limit === 50), "the second load went over IPC").toBe(true);
  });

  it("ignores a frame that answers another question or has no page", async () => {
    window.__PACTUM_FIRST_FRAME__ = frame(framePage, { sort: "title" });
    let { LibraryState } = await freshLibrary();
    let library = new LibraryState();
    await library.load();
    expect(queries[0], "a frame in another order is not shown").toMatchObject({ sort: "updated_at", limit: 50 });

    window.__PACTUM_FIRST_FRAME__ = frame(null);
    queries.length = 0;
    ({ LibraryState } = await freshLibrary());
    library = new LibraryState();
    await library.load();
    expect(queries).toHaveLength(1);
    expect(library.total).toBe(120);
  });
});
