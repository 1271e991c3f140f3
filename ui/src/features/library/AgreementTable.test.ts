// The virtualised table in the DOM: however tall the scroller claims to be, only the rows a
// window can show are rendered, and a size change of the scroller is followed.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/svelte";
import AgreementTable from "./AgreementTable.svelte";
import type { AgreementSummary } from "../../ipc";
import { summary } from "../../test-support/fixtures";
import { resizeObservers } from "../../test-support/resize-observer";

const TOTAL = 10_000;
const rows: AgreementSummary[] = Array.from({ length: TOTAL }, (_, i) => summary({ id: i + 1 }));

/** The height jsdom reports for the scroller (it lays nothing out); other elements report 0. */
let scrollerHeight = 0;
const originalInnerHeight = window.innerHeight;

beforeEach(() => {
  Object.defineProperty(HTMLElement.prototype, "clientHeight", {
    configurable: true,
    get(this: HTMLElement) {
      return this.dataset.testid === "library-scroller" ? scrollerHeight : 0;
    },
  });
  Object.defineProperty(window, "innerHeight", { configurable: true, value: 800 });
});

afterEach(() => {
  // The override shadows jsdom's getter on Element.prototype; removing it restores that.
  delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
  Object.defineProperty(window, "innerHeight", { configurable: true, value: originalInnerHeight });
});

function renderTable() {
  render(AgreementTable, {
    rows,
    total: TOTAL,
    query: { status: null, sort: "updated_at", descending: true },
    onsort: () => {},
    onopen: () => {},
    onduplicate: () => {},
    onarchive: () => {},
    onunarchive: () => {},
  });
}

describe("agreement table", () => {
  it("renders no more rows than the window can show while the scroller is as tall as every row", async () => {
    // Before the stylesheet gives the scroller its maximum height, it is as tall as its sizer.
    scrollerHeight = TOTAL * 52;
    renderTable();
    // An 800 px window shows at most 16 rows, plus one partly shown and 8 overscan below.
    await waitFor(() => expect(screen.getAllByTestId("agreement-row").length).toBeGreaterThan(17));
    const count = screen.getAllByTestId("agreement-row").length;
    expect(count, `${count} rows rendered: the viewport must be capped at the window's height`).toBeLessThanOrEqual(
      17 + 8,
    );
  });

  it("follows the scroller when its size changes", async () => {
    scrollerHeight = 800;
    renderTable();
    await waitFor(() => expect(screen.getAllByTestId("agreement-row")).toHaveLength(17 + 8));

    // The stylesheet (or a smaller window) makes the scroller 260 px tall: 5 rows, 1 partly, 8 overscan.
    scrollerHeight = 260;
    resizeObservers.fire();
    await waitFor(() =>
      expect(
        screen.getAllByTestId("agreement-row"),
        "a ResizeObserver on the scroller must re-measure the viewport",
      ).toHaveLength(6 + 8),
    );
  });
});
