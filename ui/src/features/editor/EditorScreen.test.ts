// The editor against a mocked backend: the stepper with completeness and findings, findings
// navigation, autosave through save_draft (findings refresh after it) and save problems.
import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import EditorScreen from "./EditorScreen.svelte";
import type { Agreement, DraftView, Report, SectionScore } from "../../ipc";
import { SECTIONS } from "./editor.svelte";
import { partial } from "./testing";
import { summary } from "../../test-support/fixtures";

const draft: DraftView = {
  summary: summary({ id: 3, open_errors: 1 }),
  revision: 1,
  agreement: partial({
    title: "IT-Support Müller GmbH",
    language: "de",
    overview: { purpose: "Support", clauses: "Überblick <script>x</script>" },
    support_levels: { priorities: [], clauses: "" },
  }),
};

function report(withFinding: boolean): Report {
  const sections: SectionScore[] = SECTIONS.map((section) => ({ section, done: 1, total: 3, errors: 0, warnings: 0 }));
  return {
    items: [],
    sections,
    completeness: 33,
    findings: withFinding
      ? [
          {
            check: "priority-order",
            severity: "error",
            section: "support_levels",
            path: "support_levels.priorities[1].resolution",
            message_de: "P1 wird langsamer gelöst als P2.",
            message_en: "P1 is resolved more slowly than P2.",
          },
        ]
      : [],
  };
}

type Call = { cmd: string; args: Record<string, unknown> };

function serve(options: { save?: (args: Record<string, unknown>) => unknown } = {}): Call[] {
  const calls: Call[] = [];
  let saved = false;
  mockIPC((cmd, args) => {
    const payload = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: payload });
    switch (cmd) {
      case "get_draft":
        return draft;
      case "check_agreement":
        return report(!saved);
      case "list_versions":
        return [];
      case "save_draft": {
        const answer = options.save ? options.save(payload) : { changed: true, revision: 2 };
        saved = true;
        return answer;
      }
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
  return calls;
}

describe("editor", () => {
  it("shows the ten sections with their progress and the findings count", async () => {
    serve();
    render(EditorScreen, { id: 3, onclose: () => {} });
    const step = await screen.findByTestId("step-support_levels");
    expect(step.textContent).toContain("Support levels");
    await waitFor(() => expect(step.textContent).toContain("1 of 3 done"));
    expect(step.textContent).toContain("findings: 1");
    expect(screen.getAllByRole("listitem").length).toBeGreaterThanOrEqual(10);
    expect(screen.getByTestId("section-heading").textContent).toBe("Overview");
    expect((screen.getByTestId("clauses") as HTMLTextAreaElement).value).toBe("Überblick <script>x</script>");
  });

  it("shows findings in the agreement's language and opens their section on click", async () => {
    serve();
    render(EditorScreen, { id: 3, onclose: () => {} });
    const finding = await screen.findByTestId("finding");
    expect(finding.textContent).toContain("P1 wird langsamer gelöst als P2.");
    expect(within(screen.getByTestId("findings")).getByText("Support levels")).toBeTruthy();

    await fireEvent.click(finding);
    expect(screen.getByTestId("section-heading").textContent).toBe("Support levels");
    // The named tier does not exist: the nearest enclosing list (the priorities) gets the focus.
    expect(document.activeElement, "the priority list's add button").toBe(screen.getByTestId("add-tier"));
  });

  it("moves through the sections with next and previous", async () => {
    serve();
    render(EditorScreen, { id: 3, onclose: () => {} });
    await screen.findByTestId("section-heading");
    expect((screen.getByRole("button", { name: /Previous section/ }) as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(screen.getByRole("button", { name: /Next section/ }));
    expect(screen.getByTestId("section-heading").textContent).toBe("Service standards");
    await fireEvent.click(screen.getByRole("button", { name: /Previous section/ }));
    expect(screen.getByTestId("section-heading").textContent).toBe("Overview");
  });

  it("autosaves an edit, shows Saved and refreshes the findings", async () => {
    const calls = serve();
    render(EditorScreen, { id: 3, onclose: () => {} });
    const clauses = await screen.findByTestId("clauses");
    await fireEvent.input(clauses, { target: { value: "Neuer Text" } });
    expect(screen.getByTestId("save-state").textContent).toBe("Unsaved changes");

    await waitFor(() => expect(screen.getByTestId("save-state").textContent).toBe("Saved"), { timeout: 3000 });
    const save = calls.find((c) => c.cmd === "save_draft");
    expect(save?.args.id).toBe(3);
    const agreement = save?.args.agreement as Agreement;
    expect(agreement.overview).toEqual({ ...draft.agreement.overview, purpose: "Support", clauses: "Neuer Text" });
    await waitFor(() => expect(screen.queryByTestId("finding")).toBeNull());
    expect(calls.filter((c) => c.cmd === "check_agreement").length).toBe(2);
  });

  it("keeps the edit and shows the engine's problems with their paths when a save is refused", async () => {
    serve({
      save: () => {
        throw {
          code: "invalid_input",
          message: "invalid input",
          problems: [{ path: "$.overview.clauses", message: "text is longer than 100000 characters" }],
        };
      },
    });
    render(EditorScreen, { id: 3, onclose: () => {} });
    const clauses = await screen.findByTestId("clauses");
    await fireEvent.input(clauses, { target: { value: "zu lang" } });

    const problems = await screen.findByTestId("save-problems", {}, { timeout: 3000 });
    expect(problems.textContent).toContain("$.overview.clauses");
    expect(problems.textContent).toContain("text is longer than 100000 characters");
    expect(screen.getByTestId("save-state").textContent).toBe("Not saved — retrying");
    expect((screen.getByTestId("clauses") as HTMLTextAreaElement).value).toBe("zu lang");
  });
});
