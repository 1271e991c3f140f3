// Keyboard and focus helpers of the editor: which keys undo and redo, and finding the field a
// finding or checklist item names.

/** "undo" for Ctrl+Z (⌘Z), "redo" for Ctrl+Shift+Z and Ctrl+Y, otherwise null. */
export function isUndoKey(event: KeyboardEvent): "undo" | "redo" | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  const key = event.key.toLowerCase();
  if (key === "z") return event.shiftKey ? "redo" : "undo";
  if (key === "y" && !event.shiftKey) return "redo";
  return null;
}

/** The path one level up: `a.b[2].c` → `a.b[2]` → `a.b` → `a`; null at the top. */
export function parentPath(path: string): string | null {
  const cut = Math.max(path.lastIndexOf("."), path.lastIndexOf("["));
  return cut > 0 ? path.slice(0, cut) : null;
}

const FIELDS = "input, select, textarea";
const FOCUSABLE = `${FIELDS}, button:not([disabled])`;

/** Focuses the element whose `data-path` (or `data-alias`) is `path`, or failing that the
 *  nearest element of an enclosing path; a row or list gets its first control focused.
 *  Returns whether something got the focus. */
export function focusPath(root: ParentNode, path: string): boolean {
  for (let current: string | null = path; current !== null; current = parentPath(current)) {
    const target = current;
    const element = [...root.querySelectorAll<HTMLElement>("[data-path], [data-alias]")].find(
      (e) => e.dataset.path === target || e.dataset.alias === target,
    );
    if (!element) continue;
    // A row or list: its first field, else its first button (e.g. "Add …" of an empty list).
    const control = element.matches(FOCUSABLE)
      ? element
      : (element.querySelector<HTMLElement>(FIELDS) ?? element.querySelector<HTMLElement>(FOCUSABLE));
    (control ?? element).focus();
    (control ?? element).scrollIntoView?.({ block: "center" });
    return true;
  }
  return false;
}
