// State of the guided editor for one agreement: the draft (the engine's JSON), the engine's
// check report, the section shown, autosave and the versions.
import {
  checkAgreement,
  freezeAgreement,
  getDraft,
  listVersions,
  saveDraft,
  type CommandError,
  type Finding,
  type Language,
  type Report,
  type Section,
  type VersionInfo,
} from "../../ipc";
import { Autosave } from "./autosave.svelte";

/** The ten sections in the order of the agreement. */
export const SECTIONS: readonly Section[] = [
  "overview",
  "service_standards",
  "support_levels",
  "channels",
  "departments",
  "metrics",
  "feedback",
  "duties",
  "training",
  "amendments",
];

/** A priority tier as the engine's JSON has it; durations are the text people type. */
export type PriorityTier = {
  id: string;
  name: string;
  definition: string;
  first_response: string | null;
  update_interval: string | null;
  resolution: string | null;
  [other: string]: unknown;
};

export type DurationField = "first_response" | "update_interval" | "resolution";
export type TierTextField = "id" | "name" | "definition";

/** The draft as the editor edits it: the engine's JSON, section by section. */
export type DraftJson = Record<string, unknown> & { title?: string; language?: Language };

export class EditorState {
  readonly id: number;
  draft = $state<DraftJson | null>(null);
  title = $state("");
  language = $state<Language>("en");
  report = $state<Report | null>(null);
  reportError = $state<CommandError | null>(null);
  loadError = $state<CommandError | null>(null);
  section = $state<Section>("overview");
  versions = $state<VersionInfo[]>([]);
  freezing = $state(false);
  freezeError = $state<CommandError | null>(null);
  readonly autosave: Autosave;

  constructor(id: number) {
    this.id = id;
    this.autosave = new Autosave(
      () => saveDraft(this.id, $state.snapshot(this.draft)),
      () => void this.refreshReport(),
    );
  }

  async load(): Promise<void> {
    this.loadError = null;
    const outcome = await getDraft(this.id);
    if (!outcome.ok) {
      this.loadError = outcome.error;
      return;
    }
    const agreement = outcome.value.agreement;
    this.draft = typeof agreement === "object" && agreement !== null ? (agreement as DraftJson) : {};
    this.title = outcome.value.summary.title;
    this.language = outcome.value.summary.language;
    await Promise.all([this.refreshReport(), this.refreshVersions()]);
  }

  async refreshReport(): Promise<void> {
    const outcome = await checkAgreement(this.id);
    if (outcome.ok) {
      this.report = outcome.value;
      this.reportError = null;
    } else {
      this.reportError = outcome.error;
    }
  }

  async refreshVersions(): Promise<void> {
    const outcome = await listVersions(this.id);
    if (outcome.ok) this.versions = outcome.value;
  }

  /** The clause text of a section. */
  clauses(section: Section): string {
    const part = this.draft?.[section];
    if (typeof part === "object" && part !== null && "clauses" in part) {
      const text = (part as { clauses: unknown }).clauses;
      return typeof text === "string" ? text : "";
    }
    return "";
  }

  setClauses(section: Section, text: string): void {
    if (!this.draft) return;
    const part = this.draft[section];
    const object = typeof part === "object" && part !== null ? (part as Record<string, unknown>) : {};
    this.draft[section] = { ...object, clauses: text };
    this.autosave.changed();
  }

  /** The value at `path` in the draft (`["overview", "provider", "name"]`), or undefined. */
  at(path: readonly (string | number)[]): unknown {
    let node: unknown = this.draft;
    for (const key of path) {
      if (typeof node !== "object" || node === null) return undefined;
      node = (node as Record<string | number, unknown>)[key];
    }
    return node;
  }

  /** Sets the value at `path`, creating missing objects on the way, and schedules a save. */
  setAt(path: readonly (string | number)[], value: unknown): void {
    if (!this.draft || path.length === 0) return;
    let node = this.draft as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (typeof next !== "object" || next === null) node[key] = {};
      node = node[key] as Record<string | number, unknown>;
    }
    node[path[path.length - 1]!] = value;
    if (path.length === 1 && path[0] === "title" && typeof value === "string") this.title = value;
    this.autosave.changed();
  }

  /** The text at `path`; empty when unset. */
  text(path: readonly (string | number)[]): string {
    const value = this.at(path);
    return typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
  }

  /** The list at `path`; empty when unset. */
  list<T>(path: readonly (string | number)[]): T[] {
    const value = this.at(path);
    return Array.isArray(value) ? (value as T[]) : [];
  }

  /** The priority tiers of the support levels, most urgent first. */
  priorities(): PriorityTier[] {
    const levels = this.draft?.support_levels;
    if (typeof levels === "object" && levels !== null && Array.isArray((levels as { priorities?: unknown }).priorities)) {
      return (levels as { priorities: PriorityTier[] }).priorities;
    }
    return [];
  }

  #editPriorities(edit: (tiers: PriorityTier[]) => PriorityTier[]): void {
    if (!this.draft) return;
    const levels = this.draft.support_levels;
    const object = typeof levels === "object" && levels !== null ? (levels as Record<string, unknown>) : {};
    this.draft.support_levels = { ...object, priorities: edit([...this.priorities()]) };
    this.autosave.changed();
  }

  setTierText(index: number, field: TierTextField, value: string): void {
    this.#editPriorities((tiers) => tiers.map((tier, i) => (i === index ? { ...tier, [field]: value } : tier)));
  }

  /** Sets a duration as typed; an empty field means "not set". The engine parses it on save. */
  setTierDuration(index: number, field: DurationField, value: string): void {
    const duration = value.trim() === "" ? null : value;
    this.#editPriorities((tiers) => tiers.map((tier, i) => (i === index ? { ...tier, [field]: duration } : tier)));
  }

  addPriority(): void {
    this.#editPriorities((tiers) => [
      ...tiers,
      {
        id: `P${tiers.length + 1}`,
        name: "",
        definition: "",
        examples: [],
        first_response: null,
        update_interval: null,
        resolution: null,
        clock: { kind: "always_on" },
      },
    ]);
  }

  removePriority(index: number): void {
    this.#editPriorities((tiers) => tiers.filter((_, i) => i !== index));
  }

  movePriority(index: number, direction: 1 | -1): void {
    this.#editPriorities((tiers) => {
      const target = index + direction;
      const a = tiers[index];
      const b = tiers[target];
      if (!a || !b) return tiers;
      tiers[index] = b;
      tiers[target] = a;
      return tiers;
    });
  }

  /** What the engine said about a field at the last refused save (path `$.…`), if anything. */
  problemAt(path: string): string | null {
    const problem = this.autosave.error?.problems.find((p) => p.path === `$.${path}`);
    return problem ? problem.message : null;
  }

  /** Findings of the engine's checks that point at a field. */
  findingsAt(path: string): Finding[] {
    return (this.report?.findings ?? []).filter((f) => f.path === path);
  }

  /** Findings of one section, errors first. */
  findingsOf(section: Section): Finding[] {
    const order = { error: 0, warning: 1, hint: 2 } as const;
    return (this.report?.findings ?? [])
      .filter((f) => f.section === section)
      .sort((a, b) => order[a.severity] - order[b.severity]);
  }

  /** The message of a finding in the agreement's language. */
  message(finding: Finding): string {
    return this.language === "de" ? finding.message_de : finding.message_en;
  }

  score(section: Section): { done: number; total: number } {
    const score = this.report?.sections.find((s) => s.section === section);
    return { done: score?.done ?? 0, total: score?.total ?? 0 };
  }

  get index(): number {
    return SECTIONS.indexOf(this.section);
  }

  go(section: Section): void {
    this.section = section;
  }

  step(direction: 1 | -1): void {
    const next = SECTIONS[this.index + direction];
    if (next) this.section = next;
  }

  async freeze(note: string): Promise<boolean> {
    this.freezing = true;
    this.freezeError = null;
    await this.autosave.flush();
    const outcome = await freezeAgreement(this.id, note);
    this.freezing = false;
    if (!outcome.ok) {
      this.freezeError = outcome.error;
      return false;
    }
    await Promise.all([this.refreshVersions(), this.refreshReport()]);
    return true;
  }
}
