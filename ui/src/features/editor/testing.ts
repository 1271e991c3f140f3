// A mocked backend for the editor's form tests: serves one draft, records every save, answers
// the field parser and the clause preview the way the engine does for the cases the tests use,
// and reports findings and checklist items computed from the last saved draft.
import { mockIPC } from "@tauri-apps/api/mocks";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import type { ChecklistItem, DraftView, Finding } from "../../ipc";
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

export function draftView(agreement: Json, language: "de" | "en" = "en"): DraftView {
  return { summary: summary({ id: 9, title: agreement.title ?? "Test", language }), revision: 1, agreement };
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
