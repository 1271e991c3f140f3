// The RACI grid against a mocked engine: one column per role, cells write the engine's
// assignments (emptying a cell removes it), rows are added, reordered and removed, and the
// engine's RACI findings are shown at the row and cell and can be jumped to.
import { describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/svelte";
import type { Finding } from "../../ipc";
import { field, open, saved, serve, type Json } from "./testing";

const agreement = (): Json => ({
  title: "RACI",
  language: "en",
  duties: {
    roles: [
      { id: "sdm", title: "Service delivery manager", party: "provider", person: "", contact: "" },
      { id: "cust", title: "Customer IT lead", party: "customer", person: "", contact: "" },
    ],
    responsibilities: [],
    raci: [
      { activity: "Incident handling", assignments: [{ role: "sdm", letters: "RA" }] },
      { activity: "Change approval", assignments: [{ role: "cust", letters: "A" }, { role: "ghost", letters: "I" }] },
    ],
    clauses: "",
  },
});

const noAccountable = (d: Json): Finding[] =>
  d.duties.raci.flatMap((row: Json, i: number) =>
    row.assignments.some((a: Json) => a.letters.includes("A"))
      ? []
      : [{ check: "raci-accountable", severity: "error", section: "duties", path: `duties.raci[${i}]`, message_de: "kein A", message_en: `RACI "${row.activity}": no accountable role` }],
  );

describe("RACI grid", () => {
  it("shows one column per role, and undefined roles as flagged extra columns", async () => {
    serve(agreement());
    await open("duties");
    const grid = screen.getByTestId("raci");
    const headers = within(grid).getAllByRole("columnheader").map((h) => h.textContent?.trim());
    expect(headers, "activity, the two roles, the unknown role, actions").toEqual(["Activity", "sdm", "cust", "ghost (not defined)", "Row actions"]);
    expect((screen.getByTestId("raci-0-sdm") as HTMLInputElement).value).toBe("RA");
    expect((screen.getByTestId("raci-1-ghost") as HTMLInputElement).value).toBe("I");
  });

  it("writes letters upper-cased into the assignment, and removes it when the cell is emptied", async () => {
    const server = serve(agreement());
    await open("duties");
    await fireEvent.input(screen.getByTestId("raci-0-cust"), { target: { value: "ci" } });
    let draft = await saved(server, (d) => d.duties.raci[0].assignments.length === 2, "the new cell is saved");
    expect(draft.duties.raci[0].assignments[1], "a new assignment for the role").toEqual({ role: "cust", letters: "CI" });
    await fireEvent.input(screen.getByTestId("raci-0-sdm"), { target: { value: "" } });
    draft = await saved(server, (d) => d.duties.raci[0].assignments.length === 1, "the emptied cell is saved");
    expect(draft.duties.raci[0].assignments, "only the customer's cell is left").toEqual([{ role: "cust", letters: "CI" }]);
  });

  it("adds, reorders and removes activities", async () => {
    const server = serve(agreement());
    await open("duties");
    await fireEvent.click(screen.getByTestId("add-raci"));
    await fireEvent.input(field("duties.raci[2].activity"), { target: { value: "Reporting" } });
    await fireEvent.click(screen.getByRole("button", { name: "Move Reporting up" }));
    let draft = await saved(server, (d) => d.duties.raci[1]?.activity === "Reporting", "the move is saved");
    expect(draft.duties.raci.map((r: Json) => r.activity)).toEqual(["Incident handling", "Reporting", "Change approval"]);
    await fireEvent.click(screen.getByRole("button", { name: "Remove Incident handling" }));
    draft = await saved(server, (d) => d.duties.raci.length === 2 && d.duties.raci[0].activity === "Reporting", "the removal is saved");
    expect(screen.getAllByTestId("raci-row"), "two rows left").toHaveLength(2);
  });

  it("surfaces the engine's rule at the row and jumps there from the findings panel", async () => {
    serve(agreement(), { findings: noAccountable });
    await open("overview");
    // The loaded draft has an A in both rows: no finding yet. Remove the A of row 1.
    await fireEvent.click(screen.getByTestId("step-duties"));
    await fireEvent.input(screen.getByTestId("raci-1-cust"), { target: { value: "R" } });
    const finding = await screen.findByText('RACI "Change approval": no accountable role', { selector: "[data-testid=finding] span" }, { timeout: 4000 });
    const rowNote = within(screen.getAllByTestId("raci-row")[1]!).getByText('RACI "Change approval": no accountable role');
    expect(rowNote, "the finding is also shown in its row").toBeTruthy();
    await fireEvent.click(screen.getByTestId("step-overview"));
    await fireEvent.click(finding.closest("button")!);
    await waitFor(() => expect(document.activeElement, "the row's first field gets the focus").toBe(field("duties.raci[1].activity")));
  });
});
