// Every save names the draft revision the editor last loaded or saved, so that the engine can
// refuse a save over a draft that was saved elsewhere in between.
import { describe, expect, it, vi } from "vitest";

const saves: { revision: number }[] = [];
vi.mock("../../ipc", async (original) => {
  const actual = await original<typeof import("../../ipc")>();
  return {
    ...actual,
    ipc: {
      ...actual.ipc,
      getDraft: async () => ({
        ok: true,
        value: { summary: { id: 4, title: "T", language: "en" }, revision: 7, agreement: { title: "T" } },
      }),
      checkAgreement: async () => ({ ok: true, value: { items: [], sections: [], completeness: 0, findings: [] } }),
      listVersions: async () => ({ ok: true, value: [] }),
      saveDraft: async (_id: number, _agreement: unknown, revision: number) => {
        saves.push({ revision });
        return { ok: true, value: { changed: true, revision: revision + 1 } };
      },
    },
  };
});

const { EditorState } = await import("./editor.svelte");

describe("the draft revision", () => {
  it("is the loaded one for the first save and the saved one for each save after", async () => {
    const editor = new EditorState(4);
    await editor.load();
    editor.setAt(["title"], "T1");
    await editor.flush();
    editor.setAt(["title"], "T2");
    await editor.flush();
    expect(saves.map((s) => s.revision), "each save is made over the revision the one before it wrote").toEqual([7, 8]);
    expect(editor.revision).toBe(9);
  });
});
