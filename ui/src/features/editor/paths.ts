// How a field of the draft is named, in one place: as keys from the agreement
// (`["overview", "provider", "contacts", 0, "email"]`, checked by the compiler against the
// generated `Agreement` when written with `at`), as the engine's dotted path
// (`overview.provider.contacts[0].email`: the `data-path` of the field's input and the `path`
// of a check's finding), and as the path of a refused save's problem (`$.` and the dotted
// path: the engine reports a draft's problems from `$`, its `interchange::DRAFT_PATH`). The
// forms, the findings panel and the save problems all name fields through this module.
import type { Agreement, Section } from "../../ipc";

/** One less than the index: how many more levels a path may go down. */
type Fewer = [never, 0, 1, 2, 3, 4, 5, 6, 7];

/** Every path of keys into `T` (not empty), at most `D` + 1 keys long (the model is 7 deep). */
export type PathIn<T, D extends number = 7> = [D] extends [never]
  ? never
  : T extends readonly (infer E)[]
    ? readonly [number] | readonly [number, ...PathIn<NonNullable<E>, Fewer[D]>]
    : T extends object
      ? { [K in keyof T & string]: readonly [K] | readonly [K, ...PathIn<NonNullable<T[K]>, Fewer[D]>] }[keyof T & string]
      : never;

/** A path of keys to a field of the agreement, checked against the generated `Agreement`. */
export type FieldPath = PathIn<Agreement>;

/** A path of keys into the draft; rows of a list extend their list's path. */
export type Path = readonly (string | number)[];

/** The path of keys to a field of the agreement; the compiler refuses a key the model lacks. */
export function at<const P extends FieldPath>(...keys: P): P {
  return keys;
}

/** The engine's path of a field: `["overview", "contacts", 0, "name"]` → `overview.contacts[0].name`. */
export function dotted(path: Path): string {
  return path
    .map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`))
    .join("")
    .slice(1);
}

/** The DOM id of a field: `f-` and the keys joined with dashes. */
export function fieldId(path: Path): string {
  return `f-${path.join("-")}`;
}

/** The root of a draft in the paths of a refused save's problems (the engine's `DRAFT_PATH`). */
export const DRAFT_ROOT = "$";

/** The path of a refused save's problem about the field at `field` (a dotted path). */
export function problemPath(field: string): string {
  return `${DRAFT_ROOT}.${field}`;
}

/** The dotted path of the field a save problem names, or null for the draft as a whole. */
export function problemField(path: string): string | null {
  return path.startsWith(`${DRAFT_ROOT}.`) ? path.slice(DRAFT_ROOT.length + 1) : null;
}

/** The section a dotted path belongs to (`support_levels.priorities[0]` → `support_levels`). */
export function sectionOf(field: string, sections: readonly Section[]): Section | null {
  const head = field.split(/[.[]/, 1)[0];
  return sections.find((s) => s === head) ?? null;
}

/** The dotted path of a section's clause text. */
export function clausesPath(section: Section): string {
  return dotted([section, "clauses"]);
}
