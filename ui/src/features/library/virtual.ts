// The arithmetic of the virtualised library table: which rows a scroll position shows.

/** Height of every body row in CSS pixels (the table's CSS keeps `td` at this height). */
export const ROW_HEIGHT = 52;

/** Rows `from`..`to` (exclusive) to render for a viewport, with `overscan` extra on each side. */
export function visibleRange(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  total: number,
  overscan: number,
): { from: number; to: number } {
  if (total <= 0) return { from: 0, to: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const count = Math.ceil(Math.max(0, viewport) / rowHeight) + 1;
  const from = Math.max(0, Math.min(first, total - 1) - overscan);
  const to = Math.min(total, first + count + overscan);
  return { from, to };
}
