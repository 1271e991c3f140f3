// A refused save's problems land at their fields: the engine reports a draft's problems at
// `$.` and the field's path (one validation, one convention), and every field finds its own
// through `paths.ts` — the title, a priority's resolution, a contact's e-mail.
import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { Problem } from "../../ipc";
import EditorScreen from "./EditorScreen.svelte";
import { at, dotted, problemPath } from "./paths";
import { draftView, field, partial } from "./testing";

const agreement = partial({
  title: "Problems test",
  language: "en",
  overview: {
    provider: { name: "Acme", address: "", contacts: [{ name: "Olivia", function: "", email: "olivia@", phone: "" }] },
    customer: { name: "Northwind", address: "", contacts: [] },
    purpose: "",
    clauses: "",
  },
  support_levels: {
    priorities: [
      {
        id: "P1",
        name: "Critical",
        definition: "",
        examples: [],
        first_response: "30 min",
        update_interval: null,
        resolution: "4 h",
        clock: { kind: "always_on" },
      },
    ],
    clauses: "",
  },
});

/** The three fields and the problems the mocked engine reports for them. */
const fields = {
  title: dotted(at("title")),
  email: dotted(at("overview", "provider", "contacts", 0, "email")),
  resolution: dotted(at("support_levels", "priorities", 0, "resolution")),
};
const problems: Problem[] = [
  { path: problemPath(fields.title), message: "an agreement needs a title" },
  { path: problemPath(fields.email), message: "the text contains the control character U+0007 at byte 7" },
  { path: problemPath(fields.resolution), message: "\"6000030 min\" is too long a duration" },
];

function serve(): { saves: number } {
  const calls = { saves: 0 };
  mockIPC((cmd) => {
    switch (cmd) {
      case "get_draft":
        return draftView(structuredClone(agreement));
      case "list_versions":
        return [];
      case "check_agreement":
        return { items: [], sections: [], completeness: 50, findings: [] };
      case "preview_clauses":
        return [];
      case "save_draft":
        calls.saves += 1;
        throw { code: "invalid_input", message: "the draft has problems", problems, key_conflict: null };
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
  return calls;
}

/** The message shown with the field at `path`, and whether the field is marked invalid. */
function shownAt(path: string): { message: string | undefined; invalid: string | null } {
  const input = field(path);
  const box = input.closest(".field");
  expect(box, `the field ${path} sits in a .field with its notes`).not.toBeNull();
  const problem = within(box as HTMLElement).queryByTestId("field-problem");
  return { message: problem?.textContent ?? undefined, invalid: input.getAttribute("aria-invalid") };
}

describe("problems of a refused save", () => {
  it("are shown at the title, a contact's e-mail and a priority's resolution", async () => {
    const calls = serve();
    render(EditorScreen, { id: 9, onclose: () => {} });
    const form = await screen.findByTestId("overview-form");
    await fireEvent.input(within(form).getByLabelText("Purpose"), { target: { value: "Support." } });
    await waitFor(() => expect(calls.saves, "the edit was saved and refused").toBeGreaterThan(0), { timeout: 3000 });
    await screen.findByTestId("save-problems");

    for (const [path, problem] of [
      [fields.title, problems[0]!],
      [fields.email, problems[1]!],
    ] as const) {
      await waitFor(() =>
        expect(shownAt(path), `the problem at ${problem.path} is shown at its field`).toEqual({
          message: problem.message,
          invalid: "true",
        }),
      );
    }

    await fireEvent.click(screen.getByTestId("step-support_levels"));
    await screen.findByTestId("priority-matrix");
    expect(shownAt(fields.resolution), "the resolution's problem is shown at the resolution").toEqual({
      message: problems[2]!.message,
      invalid: "true",
    });
  });
});
