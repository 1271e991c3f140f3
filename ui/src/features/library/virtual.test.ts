// The virtualised table's arithmetic and the chunked loading of library rows.
import { describe, expect, it } from "vitest";
import { mockIPC } from "@tauri-apps/api/mocks";
import { visibleRange } from "./virtual";
import { CHUNK_SIZE, LibraryState } from "./library.svelte";
import type { ListQuery } from "../../ipc";
import { summary } from "../../test-support/fixtures";

describe("visible range", () => {
  it("covers the viewport plus the overscan, clamped to the list", () => {
    expect(visibleRange(0, 520, 52, 10_000, 8)).toEqual({ from: 0, to: 19 });
    expect(visibleRange(52 * 5000, 520, 52, 10_000, 8)).toEqual({ from: 4992, to: 5019 });
    expect(visibleRange(52 * 9_999, 520, 52, 10_000, 8)).toEqual({ from: 9991, to: 10_000 });
    expect(visibleRange(0, 520, 52, 0, 8)).toEqual({ from: 0, to: 0 });
    expect(visibleRange(0, 520, 52, 3, 8)).toEqual({ from: 0, to: 3 });
  });
});

describe("library rows in chunks", () => {
  function serve(total: number): ListQuery[] {
    const queries: ListQuery[] = [];
    mockIPC((_cmd, args) => {
      const query = (args as { query: ListQuery }).query;
      queries.push(query);
      const count = Math.max(0, Math.min(query.limit, total - query.offset));
      return { total, items: Array.from({ length: count }, (_, i) => summary({ id: query.offset + i + 1 })) };
    });
    return queries;
  }

  it("loads the first chunk, then only the chunks asked for, once each", async () => {
    const queries = serve(10_000);
    const library = new LibraryState();
    await library.load();
    expect(library.total).toBe(10_000);
    expect(library.rows.length).toBe(10_000);
    expect(library.rows[0]?.id).toBe(1);
    expect(library.rows[CHUNK_SIZE]).toBeUndefined();

    library.ensure(5_000, 5_030);
    library.ensure(5_010, 5_040);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(queries.map((q) => q.offset)).toEqual([0, 5_000]);
    expect(library.rows[5_020]?.id).toBe(5_021);
  });

  it("starts over when the order changes", async () => {
    const queries = serve(300);
    const library = new LibraryState();
    await library.load();
    await library.sortBy("title");
    expect(queries.at(-1)).toMatchObject({ sort: "title", descending: false, offset: 0, limit: CHUNK_SIZE });
    await library.showStatus("draft");
    expect(queries.at(-1)).toMatchObject({ status: "draft", sort: "title", offset: 0 });
  });
});
