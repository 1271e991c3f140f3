// The priority matrix against a mocked backend: durations go to the engine as typed, its
// parse errors appear at the field, its findings at the field they name; add, remove, reorder.
import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import EditorScreen from "./EditorScreen.svelte";
import type { Agreement, DraftView, PriorityTier, Report } from "../../ipc";
import { partial } from "./testing";

const tier = (id: string, resolution: string): PriorityTier => ({
  id,
  name: `${id} name`,
  definition: "",
  examples: [],
  first_response: "30 min",
  update_interval: null,
  resolution,
  clock: { kind: "always_on" },
});

const draft: DraftView = {
  summary: {
    id: 5,
    uid: "5d2e9a70-1c4b-4f3e-a8d6-7b9c0e1f2a34",
    title: "SaaS support",
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
  agreement: partial({ title: "SaaS support", language: "en", support_levels: { priorities: [tier("S1", "4 h"), tier("S2", "8 h")], clauses: "" } }),
};

type Saved = Agreement;

function serve(check: (saved: Saved | null) => Report["findings"], refuse?: (saved: Saved) => unknown): Saved[] {
  const saves: Saved[] = [];
  mockIPC((cmd, args) => {
    const payload = (args ?? {}) as { agreement?: Saved };
    switch (cmd) {
      case "get_draft":
        return draft;
      case "list_versions":
        return [];
      case "check_agreement":
        return { items: [], sections: [], completeness: 50, findings: check(saves.at(-1) ?? null) };
      case "parse_field": {
        const text = String((args as { text: string }).text);
        if (text.includes("hours-ish")) throw { code: "invalid_value", message: 'unknown unit "hours-ish"', problems: [] };
        return { canonical: text, display: text };
      }
      case "preview_clauses":
        return [];
      case "save_draft": {
        const saved = payload.agreement!;
        if (refuse) {
          const problem = refuse(saved);
          if (problem) throw problem;
        }
        saves.push(saved);
        return { changed: true, revision: saves.length + 1 };
      }
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
  return saves;
}

async function openSupportLevels() {
  render(EditorScreen, { id: 5, onclose: () => {} });
  await fireEvent.click(await screen.findByTestId("step-support_levels"));
  return screen.findByTestId("priority-matrix");
}

describe("priority matrix", () => {
  it("saves a duration as typed and shows the engine's finding at the field it names", async () => {
    const saves = serve((saved) =>
      saved && saved.support_levels.priorities[0]!.resolution === "2 d"
        ? [
            {
              check: "priority-order",
              severity: "error",
              section: "support_levels",
              path: "support_levels.priorities[0].resolution",
              message_de: "S1 langsamer als S2",
              message_en: "S1 is resolved more slowly than S2",
            },
          ]
        : [],
    );
    await openSupportLevels();
    const resolution = screen.getByTestId("tier-0-resolution") as HTMLInputElement;
    expect(resolution.value).toBe("4 h");
    await fireEvent.input(resolution, { target: { value: "2 d" } });

    const note = await screen.findByTestId("field-finding", {}, { timeout: 3000 });
    expect(note.textContent).toBe("S1 is resolved more slowly than S2");
    expect(saves.at(-1)!.support_levels.priorities.map((p) => p.resolution)).toEqual(["2 d", "8 h"]);

    await fireEvent.click(screen.getByTestId("step-overview"));
    await fireEvent.click(screen.getByTestId("finding"));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("tier-0-resolution")));
    expect(screen.getByTestId("section-heading").textContent).toBe("Support levels");

    await fireEvent.input(screen.getByTestId("tier-0-resolution"), { target: { value: "2 h" } });
    await waitFor(() => expect(screen.queryByTestId("field-finding")).toBeNull(), { timeout: 3000 });
  });

  it("shows the engine's parse error next to the duration field, keeps the text and saves nothing wrong", async () => {
    const saves = serve(() => []);
    await openSupportLevels();
    const field = screen.getByTestId("tier-1-resolution") as HTMLInputElement;
    await fireEvent.input(field, { target: { value: "8 hours-ish" } });
    const problem = await screen.findByTestId("field-problem", {}, { timeout: 3000 });
    expect(problem.textContent, "the engine's message at the field").toBe('unknown unit "hours-ish"');
    expect(field.getAttribute("aria-invalid"), "marked invalid").toBe("true");
    expect(field.getAttribute("aria-describedby"), "message linked").toBe("f-support_levels-priorities-1-resolution-note");
    expect(field.value, "the typed text stays").toBe("8 hours-ish");
    expect(saves.some((s) => s.support_levels.priorities[1]!.resolution === "8 hours-ish"), "refused text is not saved").toBe(false);
    expect(screen.getByTestId("save-state").getAttribute("data-state"), "autosave is not stuck in error").not.toBe("error");
  });

  it("adds, reorders and removes tiers", async () => {
    const saves = serve(() => []);
    const matrix = await openSupportLevels();
    await fireEvent.click(within(matrix).getByTestId("add-tier"));
    expect(within(matrix).getAllByTestId("tier")).toHaveLength(3);
    expect((screen.getByTestId("tier-2-id") as HTMLInputElement).value).toBe("P3");

    await fireEvent.click(within(matrix).getByRole("button", { name: "Move S2 up" }));
    expect((screen.getByTestId("tier-0-id") as HTMLInputElement).value).toBe("S2");

    await fireEvent.click(within(matrix).getByRole("button", { name: "Remove priority P3" }));
    expect(within(matrix).getAllByTestId("tier")).toHaveLength(2);

    await waitFor(() => expect(saves.length).toBeGreaterThan(0), { timeout: 3000 });
    expect(saves.at(-1)!.support_levels.priorities.map((p) => p.id)).toEqual(["S2", "S1"]);
  });
});
