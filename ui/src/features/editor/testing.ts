// A mocked backend for the editor's form tests: serves one draft, records every save, answers
// the field parser and the clause preview the way the engine does for the cases the tests use,
// and reports findings and checklist items computed from the last saved draft.
import { mockIPC } from "@tauri-apps/api/mocks";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import type { Agreement, ChecklistItem, DraftView, Finding } from "../../ipc";
import { summary } from "../../test-support/fixtures";
import EditorScreen from "./EditorScreen.svelte";

/** A JSON value of the draft, loosely typed for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export type Server = {
  saves: Json[];
  parses: { kind: string; text: string; language: string }[];
  /** The last saved draft (or the loaded one before any save). */
  last(): Json;
};

const DURATION = /^\d+(?:[.,]\d+)?\s*(?:min|minutes?|h|hours?|Std\.?|d|days?|Tage?|business days?|Arbeitstage?|weeks?|months?|Monate?)$/i;
const PERCENT = /^\d{1,3}(?:[.,]\d+)?\s*%?$/;
const THRESHOLD = /^(?:>=|<=|≥|≤)\s*\d+(?:[.,]\d+)?\s*%?$/;
const MONEY = /^(?:\d+(?:[.,]\d+)?\s*(?:EUR|USD|€))$/;
const TIME = /^(?:[01]?\d|2[0-4])(?::[0-5]\d)?$/;

/** The fake field parser: the same verdicts as the engine for the texts the tests type. */
export function fakeParse(kind: string, text: string): { canonical: string; display: string } | null {
  const t = text.trim();
  const ok = { duration: DURATION, percent: PERCENT, threshold: THRESHOLD, money: MONEY, time: TIME }[kind]?.test(t);
  return ok ? { canonical: t, display: t } : null;
}

/** `T` with every field optional, down to the leaves. */
export type DeepPartial<T> = T extends readonly (infer E)[]
  ? DeepPartial<E>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** An empty agreement as the engine serializes one (`Agreement::default()`): every field. */
export function blankAgreement(): Agreement {
  return {
    title: "",
    language: "de",
    overview: {
      provider: { name: "", address: "", contacts: [] },
      customer: { name: "", address: "", contacts: [] },
      purpose: "",
      scope: { services: [], exclusions: [], assumptions: [], dependencies: [] },
      effective_date: null,
      term: { initial_months: null, end_date: null, renewal: "none", renewal_months: null, notice: null },
      payment_terms: "",
      review_cadence: null,
      clauses: "",
    },
    service_standards: { touchpoints: [], clauses: "" },
    support_levels: { calendars: [], priorities: [], escalation: [], service_tiers: [], clauses: "" },
    channels: { channels: [], clauses: "" },
    departments: { departments: [], clauses: "" },
    metrics: {
      kpis: [],
      availability_target: null,
      service_credits: [],
      credit_cap: null,
      reviews: { cadence: null, participants: [], agenda: "" },
      clauses: "",
    },
    feedback: {
      methods: [],
      complaints: {
        submission: [],
        acknowledgement: null,
        investigation: null,
        resolution: null,
        escalation: "",
        owner: "",
      },
      improvement: "",
      clauses: "",
    },
    duties: { roles: [], responsibilities: [], raci: [], clauses: "" },
    training: { programmes: [], needs_assessment: "", evaluation: "", clauses: "" },
    amendments: { proposers: [], approvers: [], notice: null, clauses: "" },
  };
}

/** `base` with the fields of `part` written over it; objects are merged, lists replaced. */
function merged(base: unknown, part: unknown): unknown {
  if (typeof base !== "object" || base === null || Array.isArray(base)) return part === undefined ? base : part;
  if (typeof part !== "object" || part === null || Array.isArray(part)) return part === undefined ? base : part;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(part)) out[key] = merged(out[key], value);
  return out;
}

/** A draft as a test writes it — only the parts the test is about, named as the generated
 *  `Agreement` names them — with every other field as the engine sends it (empty). */
export function partial(agreement: DeepPartial<Agreement>): Agreement {
  return merged(blankAgreement(), agreement) as Agreement;
}

export function draftView(agreement: Json, language: "de" | "en" = "en"): DraftView {
  return { summary: summary({ id: 9, title: agreement.title ?? "Test", language }), revision: 1, agreement: partial(agreement) };
}

export function serve(
  agreement: Json,
  options: {
    findings?: (saved: Json) => Finding[];
    items?: (saved: Json) => ChecklistItem[];
  } = {},
): Server {
  const saves: Json[] = [];
  const parses: { kind: string; text: string; language: string }[] = [];
  const last = () => saves.at(-1) ?? agreement;
  mockIPC((cmd, args) => {
    const payload = (args ?? {}) as Record<string, Json>;
    switch (cmd) {
      case "get_draft":
        return draftView(structuredClone(agreement));
      case "list_versions":
        return [];
      case "check_agreement":
        return {
          items: options.items?.(last()) ?? [],
          sections: [],
          completeness: 50,
          findings: options.findings?.(last()) ?? [],
        };
      case "save_draft":
        saves.push(structuredClone(payload.agreement));
        return { changed: true, revision: saves.length + 1 };
      case "parse_field": {
        parses.push({ kind: payload.kind, text: payload.text, language: payload.language });
        const parsed = fakeParse(payload.kind, payload.text);
        if (parsed) return parsed;
        throw { code: "invalid_value", message: `"${payload.text}" is not a valid ${payload.kind}`, problems: [] };
      }
      case "preview_clauses":
        return String(payload.text)
          .split(/\n\s*\n/)
          .filter((p) => p.trim() !== "")
          .map((p) =>
            p.startsWith("- ")
              ? { kind: "bullets", items: p.split("\n").map((l) => [{ text: l.slice(2), bold: false, italic: false }]) }
              : { kind: "paragraph", spans: [{ text: p, bold: false, italic: false }] },
          );
      case "german_holidays":
        return [
          { date: `${payload.year}-01-01`, name: "Neujahr" },
          { date: `${payload.year}-10-03`, name: "Tag der Deutschen Einheit" },
        ];
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
  return { saves, parses, last };
}

/** Opens the editor on `section` and waits for its form. */
export async function open(section: string): Promise<void> {
  render(EditorScreen, { id: 9, onclose: () => {} });
  await fireEvent.click(await screen.findByTestId(`step-${section}`));
  await screen.findByTestId("section-heading");
}

/** The field with the engine path `path`. */
export function field<T extends HTMLElement = HTMLInputElement>(path: string): T {
  const element = document.querySelector<T>(`[data-path="${path}"]`);
  if (!element) throw new Error(`no field with data-path ${path}`);
  return element;
}

/** Waits until a save satisfies `predicate` (autosave waits for a quiet pause first). */
export async function saved(server: Server, predicate: (draft: Json) => boolean, why: string): Promise<Json> {
  await waitFor(() => expect_(server.saves.some(predicate), why), { timeout: 4000 });
  return [...server.saves].reverse().find(predicate);
}

function expect_(ok: boolean, why: string) {
  if (!ok) throw new Error(why);
}
