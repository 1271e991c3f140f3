// State of the guided editor for one agreement: the draft (the generated `Agreement`, whose
// typed values are the text people type), the engine's check report, the section shown,
// autosave and the versions.
import {
  ipc,
  type Agreement,
  type CommandError,
  type Finding,
  type Language,
  type PriorityTier,
  type Report,
  type Section,
  type VersionInfo,
} from "../../ipc";
import { Autosave } from "./autosave.svelte";
import { dotted, problemPath, type Path } from "./paths";

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

/** Keys `K` of `T`: the compiler refuses a key the generated type lacks. */
type KeysOf<T, K extends keyof T> = K;
/** The target durations of a priority tier. */
export type DurationField = KeysOf<PriorityTier, "first_response" | "update_interval" | "resolution">;
/** The plain text fields of a priority tier. */
export type TierTextField = KeysOf<PriorityTier, "id" | "name" | "definition">;

/** Edits of the same field closer together than this are one undo step. */
export const UNDO_MERGE_MS = 1000;
/** Undo steps kept per editor session. */
export const UNDO_LIMIT = 200;

export class EditorState {
  readonly id: number;
  draft = $state<Agreement | null>(null);
  title = $state("");
  language = $state<Language>("en");
  report = $state<Report | null>(null);
  reportError = $state<CommandError | null>(null);
  loadError = $state<CommandError | null>(null);
  section = $state<Section>("overview");
  versions = $state<VersionInfo[]>([]);
  /** The draft's revision as last loaded or saved: every save is made over it, so a draft saved
   *  elsewhere in between (another window, the command line) is never overwritten. */
  revision = $state(0);
  /** Set while the newer draft is being loaded after a conflict. */
  reloading = $state(false);
  freezing = $state(false);
  freezeError = $state<CommandError | null>(null);
  /** Fields whose typed text the engine refused: dotted path → the text, kept out of the draft. */
  invalid = $state<Record<string, string>>({});
  /** Bumped on undo/redo so typed fields drop text they were holding back. */
  restored = $state(0);
  readonly autosave: Autosave;
  /** Typed fields whose text is waiting for the engine's check: run now to settle. */
  #checks = new Set<() => Promise<void>>();
  #undo = $state<string[]>([]);
  #redo = $state<string[]>([]);
  #lastKey = "";
  #lastAt = 0;

  constructor(id: number) {
    this.id = id;
    this.autosave = new Autosave(
      async () => {
        // Only an edit schedules a save, and every edit needs the loaded draft.
        const outcome = await ipc.saveDraft(this.id, $state.snapshot(this.draft) as Agreement, this.revision);
        if (outcome.ok) this.revision = outcome.value.revision;
        return outcome;
      },
      () => void this.refreshReport(),
    );
  }

  async load(): Promise<void> {
    this.loadError = null;
    const outcome = await ipc.getDraft(this.id);
    if (!outcome.ok) {
      this.loadError = outcome.error;
      return;
    }
    this.draft = outcome.value.agreement;
    this.revision = outcome.value.revision;
    this.title = outcome.value.summary.title;
    this.language = outcome.value.summary.language;
    await Promise.all([this.refreshReport(), this.refreshVersions()]);
  }

  /** After a conflict: replaces the draft shown with the newer stored one. What was typed here
   *  stays one undo step back, so nothing is lost: undoing brings it back (and saves it over
   *  the newer draft, as an edit of its own). */
  async reloadNewer(): Promise<void> {
    this.reloading = true;
    const outcome = await ipc.getDraft(this.id);
    this.reloading = false;
    if (!outcome.ok) {
      this.loadError = outcome.error;
      return;
    }
    this.#remember("reload", true);
    this.#suppress = false;
    this.draft = outcome.value.agreement;
    this.revision = outcome.value.revision;
    this.title = outcome.value.summary.title;
    this.language = outcome.value.summary.language;
    this.#lastKey = "";
    this.invalid = {};
    this.restored += 1;
    this.autosave.reset();
    await Promise.all([this.refreshReport(), this.refreshVersions()]);
  }

  async refreshReport(): Promise<void> {
    const outcome = await ipc.checkAgreement(this.id);
    if (outcome.ok) {
      this.report = outcome.value;
      this.reportError = null;
    } else {
      this.reportError = outcome.error;
    }
  }

  async refreshVersions(): Promise<void> {
    const outcome = await ipc.listVersions(this.id);
    if (outcome.ok) this.versions = outcome.value;
  }

  /** The clause text of a section. */
  clauses(section: Section): string {
    return this.draft?.[section].clauses ?? "";
  }

  setClauses(section: Section, text: string): void {
    if (!this.draft) return;
    this.#remember(`${section}.clauses`);
    this.draft[section].clauses = text;
    this.autosave.changed();
  }

  /** The value at `path` in the draft (`["overview", "provider", "name"]`), or undefined. */
  at(path: Path): unknown {
    let node: unknown = this.draft;
    for (const key of path) {
      if (typeof node !== "object" || node === null) return undefined;
      node = (node as Record<string | number, unknown>)[key];
    }
    return node;
  }

  /** Sets the value at `path`, creating missing objects on the way, and schedules a save. */
  setAt(path: Path, value: unknown): void {
    if (!this.draft || path.length === 0) return;
    this.#remember(dotted(path));
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
  text(path: Path): string {
    const value = this.at(path);
    return typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
  }

  /** The list at `path`; empty when unset. */
  list<T>(path: Path): T[] {
    const value = this.at(path);
    return Array.isArray(value) ? (value as T[]) : [];
  }

  /** The priority tiers of the support levels, most urgent first. */
  priorities(): PriorityTier[] {
    return this.draft?.support_levels.priorities ?? [];
  }

  #editPriorities(key: string, edit: (tiers: PriorityTier[]) => PriorityTier[], step = false): void {
    if (!this.draft) return;
    this.#remember(`support_levels.priorities:${key}`, step);
    this.#suppress = false;
    this.draft.support_levels = { ...this.draft.support_levels, priorities: edit([...this.priorities()]) };
    this.autosave.changed();
  }

  setTierText(index: number, field: TierTextField, value: string): void {
    this.#editPriorities(`${index}.${field}`, (tiers) =>
      tiers.map((tier, i) => (i === index ? { ...tier, [field]: value } : tier)),
    );
  }

  /** Sets a duration as typed; an empty field means "not set". The engine parses it on save. */
  setTierDuration(index: number, field: DurationField, value: string): void {
    const duration = value.trim() === "" ? null : value;
    this.#editPriorities(`${index}.${field}`, (tiers) =>
      tiers.map((tier, i) => (i === index ? { ...tier, [field]: duration } : tier)),
    );
  }

  addPriority(): void {
    this.#editPriorities("add", (tiers) => [
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
    ], true);
  }

  removePriority(index: number): void {
    this.#editPriorities("remove", (tiers) => tiers.filter((_, i) => i !== index), true);
  }

  movePriority(index: number, direction: 1 | -1): void {
    this.#editPriorities("move", (tiers) => {
      const target = index + direction;
      const a = tiers[index];
      const b = tiers[target];
      if (!a || !b) return tiers;
      tiers[index] = b;
      tiers[target] = a;
      return tiers;
    }, true);
  }

  // ------------------------------------------------------------ lists

  /** Appends `item` to the list at `path`. */
  addItem(path: Path, item: unknown): void {
    this.#remember(`add:${dotted(path)}`, true);
    this.setAt(path, [...this.list(path), item]);
  }

  removeItem(path: Path, index: number): void {
    this.#remember(`remove:${dotted(path)}`, true);
    this.setAt(
      path,
      this.list(path).filter((_, i) => i !== index),
    );
  }

  /** Moves item `index` one place up (-1) or down (1). */
  moveItem(path: Path, index: number, direction: 1 | -1): void {
    const items = [...this.list(path)];
    const target = index + direction;
    if (index < 0 || target < 0 || index >= items.length || target >= items.length) return;
    this.#remember(`move:${dotted(path)}`, true);
    [items[index], items[target]] = [items[target], items[index]];
    this.setAt(path, items);
  }

  // ------------------------------------------------------------ undo and redo

  get canUndo(): boolean {
    return this.#undo.length > 0;
  }

  get canRedo(): boolean {
    return this.#redo.length > 0;
  }

  /** Keeps the draft as it is before an edit as one undo step; quick edits of one field merge. */
  #remember(key: string, force = false): void {
    if (!this.draft) return;
    const now = Date.now();
    const merge = !force && key === this.#lastKey && now - this.#lastAt < UNDO_MERGE_MS;
    this.#lastAt = now;
    if (force) {
      // The setAt that follows belongs to this step.
      this.#lastKey = `forced:${key}`;
      this.#undo = [...this.#undo, JSON.stringify($state.snapshot(this.draft))].slice(-UNDO_LIMIT);
      this.#redo = [];
      this.#suppress = true;
      return;
    }
    if (this.#suppress) {
      this.#suppress = false;
      return;
    }
    this.#lastKey = key;
    if (merge) return;
    this.#undo = [...this.#undo, JSON.stringify($state.snapshot(this.draft))].slice(-UNDO_LIMIT);
    this.#redo = [];
  }
  #suppress = false;

  /** Goes back one edit; the restored draft is autosaved like any edit. */
  undo(): void {
    const previous = this.#undo.at(-1);
    if (previous === undefined || !this.draft) return;
    this.#redo = [...this.#redo, JSON.stringify($state.snapshot(this.draft))];
    this.#undo = this.#undo.slice(0, -1);
    this.#restore(previous);
  }

  redo(): void {
    const next = this.#redo.at(-1);
    if (next === undefined || !this.draft) return;
    this.#undo = [...this.#undo, JSON.stringify($state.snapshot(this.draft))];
    this.#redo = this.#redo.slice(0, -1);
    this.#restore(next);
  }

  #restore(json: string): void {
    this.draft = JSON.parse(json) as Agreement;
    if (typeof this.draft.title === "string") this.title = this.draft.title;
    this.#lastKey = "";
    this.invalid = {};
    this.restored += 1;
    this.autosave.changed();
  }

  /** Saves everything typed so far: text in typed fields still waiting for its check is
   *  checked now (and enters the draft when valid), then the draft is saved. Used before the
   *  window closes, before leaving the editor and before anything that reads the stored draft. */
  async flush(): Promise<void> {
    await Promise.all([...this.#checks].map((check) => check()));
    await this.autosave.flush();
  }

  // ------------------------------------------------------------ typed fields

  /** Registers a typed field's pending check (see `flush`); returns the undo. */
  holdCheck(check: () => Promise<void>): () => void {
    this.#checks.add(check);
    return () => this.#checks.delete(check);
  }

  /** Marks the typed text of a field as refused (kept in the field, not in the draft), or clears it. */
  setInvalid(path: string, text: string | null): void {
    if (text === null) {
      if (path in this.invalid) {
        const { [path]: _, ...rest } = this.invalid;
        this.invalid = rest;
      }
    } else if (this.invalid[path] !== text) {
      this.invalid = { ...this.invalid, [path]: text };
    }
  }

  /** What the engine said about the field at `path` (dotted) at the last refused save. */
  problemAt(path: string): string | null {
    const problem = this.autosave.error?.problems.find((p) => p.path === problemPath(path));
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
    await this.flush();
    if (this.autosave.state === "conflict" && this.autosave.error) {
      // Freezing now would freeze the other draft, not the one shown here.
      this.freezing = false;
      this.freezeError = this.autosave.error;
      return false;
    }
    const outcome = await ipc.freezeAgreement(this.id, note);
    this.freezing = false;
    if (!outcome.ok) {
      this.freezeError = outcome.error;
      return false;
    }
    await Promise.all([this.refreshVersions(), this.refreshReport()]);
    return true;
  }
}
