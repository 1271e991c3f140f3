// Summarises a template's agreement (the engine's JSON) for the New agreement dialog: which
// tiers, plans, channels, KPIs, roles and programmes it brings. Reads defensively: the JSON is
// `unknown` to the UI.
import type { MessageKey } from "../../i18n/i18n.svelte";

export type TemplateSummary = {
  parties: string;
  lists: { key: MessageKey; items: string[] }[];
};

function at(value: unknown, ...path: string[]): unknown {
  let node = value;
  for (const key of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function names(value: unknown, label: (item: Record<string, unknown>) => string): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((item): item is Record<string, unknown> => typeof item === "object" && item !== null)
    .map(label)
    .filter((name) => name !== "");
}

export function previewOf(agreement: unknown): TemplateSummary {
  const provider = text(at(agreement, "overview", "provider", "name"));
  const customer = text(at(agreement, "overview", "customer", "name"));
  const tier = (p: Record<string, unknown>) => {
    const resolution = text(p.resolution);
    const name = [text(p.id), text(p.name)].filter(Boolean).join(" ");
    return resolution ? `${name} (${resolution})` : name;
  };
  const lists: TemplateSummary["lists"] = [
    { key: "library.preview.priorities", items: names(at(agreement, "support_levels", "priorities"), tier) },
    { key: "library.preview.plans", items: names(at(agreement, "support_levels", "service_tiers"), (s) => text(s.name)) },
    { key: "library.preview.channels", items: names(at(agreement, "channels", "channels"), (c) => text(c.name)) },
    { key: "library.preview.kpis", items: names(at(agreement, "metrics", "kpis"), (k) => text(k.name)) },
    { key: "library.preview.roles", items: names(at(agreement, "duties", "roles"), (r) => text(r.title)) },
    { key: "library.preview.training", items: names(at(agreement, "training", "programmes"), (p) => text(p.topic)) },
  ];
  return {
    parties: [provider, customer].filter(Boolean).join(" → "),
    lists: lists.filter((list) => list.items.length > 0),
  };
}
