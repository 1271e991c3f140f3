// The template preview's summary of a template's agreement.
import { describe, expect, it } from "vitest";
import { previewOf } from "./preview";

describe("template preview", () => {
  it("lists tiers with their resolution, plans, channels, KPIs, roles and training", () => {
    const summary = previewOf({
      overview: { provider: { name: "Acme IT" }, customer: { name: "Müller GmbH" } },
      support_levels: {
        priorities: [
          { id: "P1", name: "Kritisch", resolution: "4 h" },
          { id: "P2", name: "Hoch", resolution: null },
        ],
        service_tiers: [{ name: "Basis" }, { name: "Premium" }],
      },
      channels: { channels: [{ name: "Hotline" }] },
      metrics: { kpis: [{ name: "Verfügbarkeit" }] },
      duties: { roles: [{ title: "Service Delivery Manager" }] },
      training: { programmes: [] },
    });
    expect(summary.parties).toBe("Acme IT → Müller GmbH");
    expect(summary.lists).toEqual([
      { key: "library.preview.priorities", items: ["P1 Kritisch (4 h)", "P2 Hoch"] },
      { key: "library.preview.plans", items: ["Basis", "Premium"] },
      { key: "library.preview.channels", items: ["Hotline"] },
      { key: "library.preview.kpis", items: ["Verfügbarkeit"] },
      { key: "library.preview.roles", items: ["Service Delivery Manager"] },
    ]);
  });

  it("reads anything without failing", () => {
    expect(previewOf(null)).toEqual({ parties: "", lists: [] });
    expect(previewOf({ support_levels: { priorities: "nope" } })).toEqual({ parties: "", lists: [] });
  });
});
