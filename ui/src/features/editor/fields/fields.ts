// Helpers shared by the form fields: whether a field has something to say, and the notes id.
import type { EditorState } from "../editor.svelte";

/** Whether the notes of a field are shown (so aria-describedby may point at them). */
export function hasNotes(editor: EditorState, path: string, problem: string | null = null): boolean {
  return problem !== null || editor.problemAt(path) !== null || editor.findingsAt(path).length > 0;
}

/** Whether a field is marked invalid: a refused save or typed text the engine refused. */
export function isInvalid(editor: EditorState, path: string, problem: string | null = null): boolean {
  return problem !== null || editor.problemAt(path) !== null;
}

export type Option = { value: string; label: string };

/** Quiet time after the last keystroke before the engine is asked about a typed value. */
export const PARSE_DELAY_MS = 250;
