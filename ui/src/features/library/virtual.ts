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

/**
 * The height of the list's viewport: the scroller's height, but never more than the window's.
 * Until the stylesheet has given the scroller its maximum height, the scroller is as tall as
 * all its rows (52 px × 10,000); trusting that would put every row in the DOM. A height of 0
 * (not laid out yet) falls back to the window's.
 */
export function viewportHeight(scrollerHeight: number, windowHeight: number): number {
  const window = windowHeight > 0 ? windowHeight : 600;
  return scrollerHeight > 0 ? Math.min(scrollerHeight, window) : window;
}
