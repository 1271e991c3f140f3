// The findings panel lists open checklist items next to findings, grouped by section; clicking
// either opens the section and focuses the field (or the nearest row or list) it names.
import { describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/svelte";
import { field, open, serve, type Json } from "./testing";
import { isUndoKey, parentPath } from "./navigation";

const agreement = (): Json => ({
  title: "Navigation",
  language: "en",
  metrics: {
    kpis: [{ id: "fcr", name: "FCR", definition: "", formula: "", unit: "%", target: null, minimum: null, window: null, data_source: "", reporting: null, recipients: [] }],
    service_credits: [],
    reviews: {},
    clauses: "",
  },
});

describe("findings navigation", () => {
  it("lists open checklist items by section and jumps to the list they name", async () => {
    serve(agreement(), {
      items: () => [
        { id: "training.programmes", section: "training", path: "training.programmes", done: false, label_de: "Schulungen", label_en: "Training programmes" },
        { id: "metrics.kpis", section: "metrics", path: "metrics.kpis", done: true, label_de: "KPIs", label_en: "KPIs defined" },
      ],
    });
    await open("overview");
    const panel = screen.getByTestId("findings");
    const items = await within(panel).findAllByTestId("checklist-item");
    expect(items.map((i) => i.textContent), "only open items are listed").toEqual([expect.stringContaining("Training programmes")]);
    await fireEvent.click(items[0]!);
    expect(screen.getByTestId("section-heading").textContent).toBe("Training");
    await waitFor(() => expect(document.activeElement, "the list's add button gets the focus").toBe(screen.getByTestId("add-training-programmes")));
  });

  it("focuses the exact field of a finding", async () => {
    serve(agreement(), {
      findings: () => [
        { check: "kpi-target-missing", severity: "warning", section: "metrics", path: "metrics.kpis[0].target", message_de: "Ziel fehlt", message_en: "FCR has no target" },
      ],
    });
    await open("overview");
    await fireEvent.click(await screen.findByTestId("finding"));
    await waitFor(() => expect(document.activeElement, "the KPI's target field").toBe(field("metrics.kpis[0].target")));
    expect(within(field("metrics.kpis[0].target").parentElement!).getByTestId("field-finding").textContent).toBe("FCR has no target");
  });

  it("knows the undo keys and parent paths", () => {
    const key = (init: KeyboardEventInit) => new KeyboardEvent("keydown", init);
    expect(isUndoKey(key({ key: "z", ctrlKey: true }))).toBe("undo");
    expect(isUndoKey(key({ key: "Z", ctrlKey: true, shiftKey: true }))).toBe("redo");
    expect(isUndoKey(key({ key: "y", metaKey: true }))).toBe("redo");
    expect(isUndoKey(key({ key: "z" })), "plain z types a letter").toBeNull();
    expect(parentPath("duties.raci[1].assignments[0].letters")).toBe("duties.raci[1].assignments[0]");
    expect(parentPath("duties.raci[1]")).toBe("duties.raci");
    expect(parentPath("duties")).toBeNull();
  });
});

describe("findings about a whole row", () => {
  it("focus the row's first field, not its buttons", async () => {
    serve(agreement(), {
      findings: () => [
        { check: "kpi-incomplete", severity: "warning", section: "metrics", path: "metrics.kpis[0]", message_de: "KPI unvollständig", message_en: "KPI incomplete" },
      ],
    });
    await open("overview");
    await fireEvent.click(await screen.findByTestId("finding"));
    await waitFor(() => expect(document.activeElement, "the KPI's id field").toBe(field("metrics.kpis[0].id")));
  });
});
