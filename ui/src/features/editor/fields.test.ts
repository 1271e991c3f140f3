// Typed fields (durations, percentages, targets, money, times) against a mocked engine: the
// engine is asked while typing; valid text is saved, refused text stays in the field marked
// invalid with the engine's message linked by aria-describedby, and is kept out of the draft
// so autosave goes on saving everything else.
import { describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor } from "@testing-library/svelte";
import { saveAll } from "../shell/closing";
import { field, open, saved, serve, type Json } from "./testing";

const agreement = (): Json => ({
  title: "Typed",
  language: "en",
  support_levels: {
    priorities: [{ id: "P1", name: "", definition: "", examples: [], first_response: "30 min", update_interval: null, resolution: "4 h", clock: { kind: "always_on" } }],
    escalation: [{ role: "sdm", contact: "", after: null, priorities: [] }],
    clauses: "",
  },
  feedback: { methods: [], complaints: {}, improvement: "", clauses: "" },
});

describe("typed fields", () => {
  it("saves a duration as typed once the engine accepts it", async () => {
    const server = serve(agreement());
    await open("support_levels");
    await fireEvent.input(field("support_levels.escalation[0].after"), { target: { value: "1 Arbeitstag" } });
    const draft = await saved(server, (d) => d.support_levels.escalation[0].after === "1 Arbeitstag", "a valid duration is saved");
    expect(draft.support_levels.escalation[0].after).toBe("1 Arbeitstag");
    expect(server.parses, "the engine was asked about the duration").toContainEqual({ kind: "duration", text: "1 Arbeitstag", language: "en" });
  });

  it("keeps refused text in the field, says why, and does not write it to the draft", async () => {
    const server = serve(agreement());
    await open("support_levels");
    const after = field("support_levels.escalation[0].after");
    await fireEvent.input(after, { target: { value: "four hours" } });
    await waitFor(() => expect(after.getAttribute("aria-invalid"), "marked invalid").toBe("true"));
    const note = document.getElementById(after.getAttribute("aria-describedby") ?? "");
    expect(note?.textContent, "the engine's message is linked to the field").toContain('"four hours" is not a valid duration');
    expect(after.value, "the typed text stays").toBe("four hours");
    expect(screen.getByTestId("held-fields").textContent, "the toolbar says a field is held back").toContain("1");

    // Other edits still save; the refused text is not in them.
    await fireEvent.input(field("support_levels.escalation[0].contact"), { target: { value: "Duty manager" } });
    const draft = await saved(server, (d) => d.support_levels.escalation[0].contact === "Duty manager", "the other edit is saved");
    expect(draft.support_levels.escalation[0].after, "refused text never reaches the draft").toBeNull();
    expect(screen.getByTestId("save-state").dataset.state, "autosave is not in error").not.toBe("error");

    await fireEvent.input(after, { target: { value: "4 h" } });
    await waitFor(() => expect(after.getAttribute("aria-invalid")).toBe("false"));
    await saved(server, (d) => d.support_levels.escalation[0].after === "4 h", "the corrected duration is saved");
    expect(screen.queryByTestId("held-fields"), "nothing held back any more").toBeNull();
  });

  it("an emptied field means 'not set' without asking the engine", async () => {
    const server = serve(agreement());
    await open("support_levels");
    await fireEvent.input(screen.getByTestId("tier-0-resolution"), { target: { value: "" } });
    await saved(server, (d) => d.support_levels.priorities[0].resolution === null, "emptied duration saved as null");
    expect(server.parses, "no parse for an empty field").toEqual([]);
  });

  it("checks targets, percentages and money with their own kind", async () => {
    const server = serve(agreement());
    await open("feedback");
    await fireEvent.click(screen.getByTestId("add-feedback-methods"));
    const target = field("feedback.methods[0].target");
    await fireEvent.input(target, { target: { value: "95" } });
    await waitFor(() => expect(target.getAttribute("aria-invalid"), "a target needs >= or <=").toBe("true"));
    await fireEvent.input(target, { target: { value: ">= 4.5" } });
    await saved(server, (d) => d.feedback.methods[0]?.target === ">= 4.5", "a valid target is saved");
    expect(server.parses.map((p) => p.kind), "asked as a threshold").toContain("threshold");
  });

  it("shows the engine message in the UI language it was asked in", async () => {
    const server = serve(agreement());
    const { setLocale } = await import("../../i18n/i18n.svelte");
    setLocale("de");
    await open("support_levels");
    await fireEvent.input(field("support_levels.escalation[0].after"), { target: { value: "bald" } });
    await waitFor(() => expect(server.parses.length).toBeGreaterThan(0));
    expect(server.parses[0]!.language, "the engine is asked for a German message").toBe("de");
    expect(field("support_levels.escalation[0].after").getAttribute("placeholder"), "placeholder in German").toBe("z. B. 4 h");
  });

  it("asks about money and percentages with their own kind", async () => {
    const server = serve(agreement());
    await open("support_levels");
    await fireEvent.click(screen.getByTestId("add-support_levels-service_tiers"));
    await fireEvent.input(field("support_levels.service_tiers[0].price"), { target: { value: "49.00 EUR" } });
    await saved(server, (d) => d.support_levels.service_tiers?.[0]?.price === "49.00 EUR", "the price is saved");
    await fireEvent.click(screen.getByTestId("step-departments"));
    await fireEvent.click(screen.getByTestId("add-departments-departments"));
    const satisfaction = field("departments.departments[0].satisfaction_target");
    await fireEvent.input(satisfaction, { target: { value: "lots" } });
    await waitFor(() => expect(satisfaction.getAttribute("aria-invalid"), "not a percentage").toBe("true"));
    await fireEvent.input(satisfaction, { target: { value: "90 %" } });
    await saved(server, (d) => d.departments?.departments?.[0]?.satisfaction_target === "90 %", "the percentage is saved");
    expect(new Set(server.parses.map((p) => p.kind)), "each field asked with its kind").toEqual(new Set(["money", "percent"]));
  });

  it("saves text typed just before the window closes, without waiting for the typing pause", async () => {
    const server = serve(agreement());
    await open("support_levels");
    await fireEvent.input(field("support_levels.escalation[0].after"), { target: { value: "2 h" } });
    // What the close request runs (features/shell/closing.ts), at once after the keystroke.
    await saveAll();
    expect(
      server.last().support_levels.escalation[0].after,
      "the close flush checks the pending text and saves it before the window may go",
    ).toBe("2 h");
  });

  it("keeps text typed just before switching to another section", async () => {
    const server = serve(agreement());
    await open("support_levels");
    await fireEvent.input(field("support_levels.escalation[0].after"), { target: { value: "3 h" } });
    await fireEvent.click(screen.getByTestId("step-channels"));
    await screen.findByTestId("section-heading");
    expect(document.querySelector('[data-path="support_levels.escalation[0].after"]'), "the field is gone").toBeNull();
    await saved(server, (d) => d.support_levels.escalation[0].after === "3 h", "the unmounted field's pending text is still checked and saved");
  });
});
