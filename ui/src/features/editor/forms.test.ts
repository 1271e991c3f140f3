// Every section's form against a mocked engine: rows can be added, edited, reordered and
// removed with buttons, and each edit reaches the saved draft at the engine's path.
import { describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/svelte";
import { field, open, saved, serve, type Json } from "./testing";

const base = (): Json => ({
  title: "Forms",
  language: "en",
  support_levels: {
    calendars: [],
    priorities: [
      { id: "P1", name: "Critical", definition: "", examples: [], first_response: "30 min", update_interval: null, resolution: "4 h", clock: { kind: "always_on" } },
      { id: "P2", name: "High", definition: "", examples: [], first_response: "1 h", update_interval: null, resolution: "8 h", clock: { kind: "always_on" } },
    ],
    escalation: [],
    service_tiers: [],
    clauses: "",
  },
  duties: { roles: [{ id: "sdm", title: "Service delivery manager", party: "provider", person: "", contact: "" }], responsibilities: [], raci: [], clauses: "" },
});

/** Types into a plain field and returns it. */
async function type(path: string, value: string) {
  const input = field(path);
  await fireEvent.input(input, { target: { value } });
  return input;
}

describe("section forms", () => {
  // One row per list: the add button, a plain text field of the new row, and where it lands.
  const lists: { section: string; list: string; text: string; read: (d: Json) => unknown }[] = [
    { section: "service_standards", list: "service_standards-touchpoints", text: "service_standards.touchpoints[0].name", read: (d) => d.service_standards.touchpoints[0].name },
    { section: "support_levels", list: "support_levels-escalation", text: "support_levels.escalation[0].contact", read: (d) => d.support_levels.escalation[0].contact },
    { section: "support_levels", list: "support_levels-service_tiers", text: "support_levels.service_tiers[0].name", read: (d) => d.support_levels.service_tiers[0].name },
    { section: "support_levels", list: "support_levels-calendars", text: "support_levels.calendars[0].name", read: (d) => d.support_levels.calendars[0].name },
    { section: "channels", list: "channels-channels", text: "channels.channels[0].name", read: (d) => d.channels.channels[0].name },
    { section: "departments", list: "departments-departments", text: "departments.departments[0].name", read: (d) => d.departments.departments[0].name },
    { section: "metrics", list: "metrics-kpis", text: "metrics.kpis[0].name", read: (d) => d.metrics.kpis[0].name },
    { section: "metrics", list: "metrics-service_credits", text: "metrics.service_credits[0].kpi", read: (d) => d.metrics.service_credits[0].kpi },
    { section: "feedback", list: "feedback-methods", text: "feedback.methods[0].description", read: (d) => d.feedback.methods[0].description },
    { section: "duties", list: "duties-responsibilities", text: "duties.responsibilities[0].text", read: (d) => d.duties.responsibilities[0].text },
    { section: "training", list: "training-programmes", text: "training.programmes[0].topic", read: (d) => d.training.programmes[0].topic },
    { section: "overview", list: "overview-scope-services", text: "overview.scope.services[0].name", read: (d) => d.overview.scope.services[0].name },
  ];

  for (const entry of lists) {
    it(`${entry.section}: adds a row to ${entry.list} and saves what is typed into it`, async () => {
      const server = serve(base());
      await open(entry.section);
      await fireEvent.click(screen.getByTestId(`add-${entry.list}`));
      expect(screen.getAllByTestId(`row-${entry.list}`), "one new row").toHaveLength(1);
      await type(entry.text, "Typed <b>x</b>");
      const draft = await saved(server, (d) => { try { return entry.read(d) === "Typed <b>x</b>"; } catch { return false; } }, `${entry.text} reaches the draft`);
      expect(entry.read(draft)).toBe("Typed <b>x</b>");
    });
  }

  it("reorders and removes escalation steps with buttons", async () => {
    const start = base();
    start.support_levels.escalation = [
      { role: "sdm", contact: "Team lead", after: "2 h", priorities: [] },
      { role: "head", contact: "Head of service", after: "4 h", priorities: ["P1"] },
    ];
    const server = serve(start);
    await open("support_levels");
    const list = screen.getByTestId("list-support_levels-escalation");
    await fireEvent.click(within(list).getByRole("button", { name: "Move step 2 up" }));
    let draft = await saved(server, (d) => d.support_levels.escalation[0].contact === "Head of service", "the move is saved");
    expect(draft.support_levels.escalation.map((s: Json) => s.role), "the steps swapped places").toEqual(["head", "sdm"]);
    await fireEvent.click(within(list).getByRole("button", { name: "Remove step 1" }));
    draft = await saved(server, (d) => d.support_levels.escalation.length === 1, "the removal is saved");
    expect(draft.support_levels.escalation[0].role, "the other step is left").toBe("sdm");
  });

  it("ticks the priorities an escalation step applies to", async () => {
    const start = base();
    start.support_levels.escalation = [{ role: "sdm", contact: "", after: null, priorities: [] }];
    const server = serve(start);
    await open("support_levels");
    const list = within(screen.getByTestId("list-support_levels-escalation"));
    await fireEvent.click(list.getByLabelText("P2"));
    await fireEvent.click(list.getByLabelText("P1"));
    const draft = await saved(server, (d) => d.support_levels.escalation[0].priorities.length === 2, "both priorities saved");
    expect(draft.support_levels.escalation[0].priorities, "kept in the matrix's order").toEqual(["P1", "P2"]);
  });

  it("builds a calendar: Monday to Friday in one click, the German preset shown for a year", async () => {
    const server = serve(base());
    await open("support_levels");
    await fireEvent.click(screen.getByTestId("add-support_levels-calendars"));
    await type("support_levels.calendars[0].id", "office");
    await fireEvent.click(screen.getByRole("button", { name: "Add Monday to Friday, 08:00–18:00" }));
    const draft = await saved(server, (d) => d.support_levels.calendars[0]?.weekly?.length === 5, "five opening intervals saved");
    expect(draft.support_levels.calendars[0].weekly[0], "Monday first").toEqual({ day: "mon", from: "08:00", to: "18:00" });
    expect(draft.support_levels.calendars[0].german_public_holidays, "the preset is on for a new calendar").toBe(true);

    await fireEvent.input(screen.getByLabelText("Show the preset for"), { target: { value: "2026" } });
    await fireEvent.click(screen.getByTestId("show-preset"));
    const preset = await screen.findByTestId("preset-list");
    expect(preset.textContent, "the engine's holidays are listed").toContain("2026-10-03");

    // A new calendar becomes a choice for the priorities' clock.
    const clock = field<HTMLSelectElement>("support_levels.priorities[0].clock");
    await fireEvent.change(clock, { target: { value: "cal:office" } });
    const withClock = await saved(server, (d) => d.support_levels.priorities[0].clock.kind === "business_hours", "clock saved");
    expect(withClock.support_levels.priorities[0].clock, "the calendar id is stored").toEqual({ kind: "business_hours", calendar: "office" });
  });

  it("edits string lists: examples of a priority are added, typed and removed", async () => {
    const server = serve(base());
    await open("support_levels");
    await fireEvent.click(screen.getByTestId("add-f-support_levels-priorities-0-examples"));
    await type("support_levels.priorities[0].examples[0]", "Service down for everyone");
    let draft = await saved(server, (d) => d.support_levels.priorities[0].examples[0] === "Service down for everyone", "example saved");
    expect(draft.support_levels.priorities[0].examples).toHaveLength(1);
    await fireEvent.click(screen.getByTestId("add-f-support_levels-priorities-0-examples"));
    await type("support_levels.priorities[0].examples[1]", "Data loss");
    await fireEvent.click(screen.getByRole("button", { name: "Move entry 1 of Examples down" }));
    draft = await saved(server, (d) => d.support_levels.priorities[0].examples[0] === "Data loss", "the move is saved");
    expect(draft.support_levels.priorities[0].examples, "the entries swapped").toEqual(["Data loss", "Service down for everyone"]);
    await fireEvent.click(screen.getByRole("button", { name: "Remove entry 2 of Examples" }));
    await fireEvent.click(screen.getByRole("button", { name: "Remove entry 1 of Examples" }));
    draft = await saved(server, (d) => d.support_levels.priorities[0].examples.length === 0, "example removed");
    expect(draft.support_levels.priorities[0].examples).toEqual([]);
  });

  it("amendments: proposers and approvers as role ids, notice as a duration", async () => {
    const server = serve(base());
    await open("amendments");
    await fireEvent.click(screen.getByTestId("add-f-amendments-approvers"));
    await type("amendments.approvers[0]", "sdm");
    await type("amendments.notice", "1 month");
    const draft = await saved(server, (d) => d.amendments?.notice === "1 month" && d.amendments.approvers[0] === "sdm", "both saved");
    expect(draft.amendments.approvers).toEqual(["sdm"]);
  });

  it("metrics: optional choices store null when set back to 'not agreed'", async () => {
    const start = base();
    start.metrics = { kpis: [{ id: "fcr", name: "First contact resolution", definition: "", formula: "", unit: "%", target: ">= 70", minimum: null, window: "monthly", data_source: "", reporting: null, recipients: [] }], service_credits: [], reviews: {}, clauses: "" };
    const server = serve(start);
    await open("metrics");
    await fireEvent.change(field<HTMLSelectElement>("metrics.kpis[0].window"), { target: { value: "" } });
    const draft = await saved(server, (d) => d.metrics.kpis[0].window === null, "window cleared");
    expect(draft.metrics.kpis[0].target, "other fields untouched").toBe(">= 70");
  });

  it("every input of every form has a label", async () => {
    const start = base();
    start.support_levels.escalation = [{ role: "", contact: "", after: null, priorities: [] }];
    serve(start);
    await open("overview");
    for (const section of ["service_standards", "support_levels", "channels", "departments", "metrics", "feedback", "duties", "training", "amendments"]) {
      await fireEvent.click(screen.getByTestId(`step-${section}`));
      await waitFor(() => expect(screen.getByTestId("section-heading").textContent).not.toBe(""));
      for (const input of document.querySelectorAll<HTMLElement>(".main input, .main select, .main textarea")) {
        const labelled =
          input.getAttribute("aria-label") !== null ||
          (input.id !== "" && [...document.querySelectorAll("label")].some((l) => l.htmlFor === input.id));
        expect(labelled, `${section}: ${input.outerHTML.slice(0, 120)} has a label`).toBe(true);
      }
    }
  });
});
