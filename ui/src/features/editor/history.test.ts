// Undo and redo across forms: Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y and the toolbar buttons; quick
// typing in one field is one step; every undo and redo is autosaved.
import { describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor } from "@testing-library/svelte";
import { field, open, saved, serve, type Json } from "./testing";

const agreement = (): Json => ({
  title: "History",
  language: "en",
  overview: { purpose: "Original purpose", clauses: "" },
  support_levels: { escalation: [], priorities: [], clauses: "" },
  channels: { channels: [], clauses: "" },
});

describe("undo and redo", () => {
  it("undoes an edit with Ctrl+Z and redoes it with Ctrl+Shift+Z, saving each step", async () => {
    const server = serve(agreement());
    await open("overview");
    const purpose = field<HTMLTextAreaElement>("overview.purpose");
    await fireEvent.input(purpose, { target: { value: "New" } });
    await fireEvent.input(purpose, { target: { value: "New purpose" } });
    await saved(server, (d) => d.overview.purpose === "New purpose", "the edit is saved");
    expect((screen.getByTestId("undo") as HTMLButtonElement).disabled, "undo is offered").toBe(false);

    await fireEvent.keyDown(window, { key: "z", ctrlKey: true });
    await waitFor(() => expect(field<HTMLTextAreaElement>("overview.purpose").value, "quick typing is one step").toBe("Original purpose"));
    await saved(server, (d) => d.overview.purpose === "Original purpose", "the undo is autosaved");

    await fireEvent.keyDown(window, { key: "Z", ctrlKey: true, shiftKey: true });
    await waitFor(() => expect(field<HTMLTextAreaElement>("overview.purpose").value).toBe("New purpose"));
    await fireEvent.keyDown(window, { key: "z", ctrlKey: true });
    await fireEvent.keyDown(window, { key: "y", ctrlKey: true });
    await waitFor(() => expect(field<HTMLTextAreaElement>("overview.purpose").value, "Ctrl+Y redoes too").toBe("New purpose"));
  });

  it("undoes adding a row in another section with the toolbar button", async () => {
    const server = serve(agreement());
    await open("channels");
    await fireEvent.click(screen.getByTestId("add-channels-channels"));
    expect(screen.getAllByTestId("row-channels-channels")).toHaveLength(1);
    await fireEvent.click(screen.getByTestId("undo"));
    expect(screen.queryAllByTestId("row-channels-channels"), "the added row is gone").toHaveLength(0);
    await saved(server, (d) => d.channels.channels.length === 0, "the undo is saved");
    await fireEvent.click(screen.getByTestId("redo"));
    expect(screen.getAllByTestId("row-channels-channels"), "redo brings it back").toHaveLength(1);
    expect((screen.getByTestId("redo") as HTMLButtonElement).disabled, "nothing more to redo").toBe(true);
  });

  it("drops text a typed field held back when the draft is restored", async () => {
    serve(agreement());
    await open("support_levels");
    await fireEvent.click(screen.getByTestId("add-support_levels-escalation"));
    const after = field("support_levels.escalation[0].after");
    await fireEvent.input(after, { target: { value: "soon" } });
    await waitFor(() => expect(after.getAttribute("aria-invalid")).toBe("true"));
    await fireEvent.click(screen.getByTestId("undo"));
    await waitFor(() => expect(screen.queryAllByTestId("row-support_levels-escalation"), "the row is undone").toHaveLength(0));
    expect(screen.queryByTestId("held-fields"), "nothing is held back after the undo").toBeNull();
  });
});

describe("held-back text", () => {
  it("survives switching sections and the toolbar marker jumps to it", async () => {
    const server = serve(agreement());
    await open("support_levels");
    await fireEvent.click(screen.getByTestId("add-support_levels-escalation"));
    await fireEvent.input(field("support_levels.escalation[0].after"), { target: { value: "soon" } });
    await waitFor(() => expect(field("support_levels.escalation[0].after").getAttribute("aria-invalid")).toBe("true"));
    await fireEvent.click(screen.getByTestId("step-channels"));
    expect(screen.getByTestId("held-fields").textContent, "the toolbar still counts it").toContain("1");
    await fireEvent.click(screen.getByTestId("held-fields"));
    await waitFor(() => expect(document.activeElement, "the held field is focused").toBe(field("support_levels.escalation[0].after")));
    expect(field("support_levels.escalation[0].after").value, "the typed text is still there").toBe("soon");
    await waitFor(() => expect(field("support_levels.escalation[0].after").getAttribute("aria-invalid"), "and still marked").toBe("true"));
    expect(server.saves.every((d) => d.support_levels.escalation[0]?.after !== "soon"), "never saved").toBe(true);
  });
});
