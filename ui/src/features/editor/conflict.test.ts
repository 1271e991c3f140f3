// A draft saved elsewhere while the editor has it open (another window, the command line):
// the editor saves over the revision it last saw, and when the engine answers
// `draft_conflict` it says so in the UI's language, keeps what was typed, never retries (that
// would overwrite the other change) and offers to load the newer draft.
import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import EditorScreen from "./EditorScreen.svelte";
import type { DraftView } from "../../ipc";
import { partial } from "./testing";
import { setLocale } from "../../i18n/i18n.svelte";
import { summary } from "../../test-support/fixtures";

const report = { items: [], sections: [], completeness: 50, findings: [] };

function draft(revision: number, clauses: string): DraftView {
  return {
    summary: summary({ id: 4, title: "Kundendienst Nord" }),
    revision,
    agreement: partial({ title: "Kundendienst Nord", language: "de", overview: { purpose: "Support", clauses } }),
  };
}

/** The stored draft is at revision 2 (saved by the command line) once the editor has loaded
 *  revision 1; every save over an older revision is refused as the engine refuses it. */
function serveConflict(): { saves: number; loads: number } {
  const counts = { saves: 0, loads: 0 };
  mockIPC((cmd) => {
    switch (cmd) {
      case "get_draft":
        counts.loads += 1;
        return counts.loads === 1 ? draft(1, "Alter Text") : draft(2, "Text von der Kommandozeile");
      case "check_agreement":
        return report;
      case "list_versions":
        return [];
      case "save_draft":
        counts.saves += 1;
        if (counts.loads === 1) {
          throw {
            code: "draft_conflict",
            message: "the draft of agreement 4 was changed elsewhere: it is at revision 2, not 1; reload it before saving",
            problems: [],
          };
        }
        return { changed: true, revision: 3 };
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
  return counts;
}

const clauses = () => screen.getByTestId("clauses") as HTMLTextAreaElement;

describe("a draft changed elsewhere", () => {
  it("is explained, keeps the typed text unsaved, and the newer draft loads on request", async () => {
    const counts = serveConflict();
    render(EditorScreen, { id: 4, onclose: () => {} });
    await fireEvent.input(await screen.findByTestId("clauses"), { target: { value: "Mein Text" } });

    const conflict = await screen.findByTestId("save-conflict", {}, { timeout: 3000 });
    expect(conflict.textContent, "the message says what happened").toContain("This draft was changed elsewhere");
    expect(conflict.textContent, "and where the other change came from").toContain(
      "in another window or on the command line",
    );
    expect(screen.getByTestId("save-state").textContent, "the save state does not claim it is retrying").toBe(
      "Not saved — changed elsewhere",
    );
    expect(clauses().value, "what was typed stays in the editor until the user decides").toBe("Mein Text");
    expect(counts.loads, "nothing is reloaded without asking").toBe(1);

    await fireEvent.click(screen.getByTestId("reload-newer"));
    await waitFor(() => expect(clauses().value, "the newer draft is shown").toBe("Text von der Kommandozeile"));
    expect(screen.queryByTestId("save-conflict"), "the conflict is resolved").toBeNull();
    expect(screen.getByTestId("save-state").textContent).toBe("Saved");
    expect(counts.saves, "the refused save was not retried over the other change").toBe(1);

    await fireEvent.click(screen.getByTestId("undo"));
    expect(clauses().value, "the typed text is one undo step back, not lost").toBe("Mein Text");
  });

  it("is explained in German when the UI is German", async () => {
    setLocale("de");
    serveConflict();
    render(EditorScreen, { id: 4, onclose: () => {} });
    await fireEvent.input(await screen.findByTestId("clauses"), { target: { value: "Mein Text" } });

    const conflict = await screen.findByTestId("save-conflict", {}, { timeout: 3000 });
    expect(conflict.textContent).toContain("Dieser Entwurf wurde anderswo geändert");
    expect(conflict.textContent).toContain("in einem anderen Fenster oder über die Kommandozeile");
    expect(screen.getByTestId("reload-newer").textContent).toBe("Neueren Entwurf laden");
  });
});
