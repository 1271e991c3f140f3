// State of the library screen: the list query (filter, sort) it sends to the engine and the
// rows that came back. The engine filters and sorts; rows are fetched in chunks as the
// virtualised table scrolls to them, so 10,000 agreements cost one small query to show and
// memory only for what was seen. Answers to questions that are no longer current are dropped.
// The very first rows come with the window (the shell's first frame) when it has them, and
// are refreshed over IPC right after they are shown.
import {
  ipc,
  type AgreementSummary,
  type CommandError,
  type ListPage,
  type ListQuery,
  type SortKey,
  type Status,
} from "../../ipc";
import { firstFrame } from "../../ipc/first-frame";

/** Rows fetched per engine call (more than a tall window shows). */
export const CHUNK_SIZE = 50;

/** Columns whose natural first order is "largest/newest first". */
const DESCENDING_FIRST: readonly SortKey[] = ["updated_at", "completeness", "open_errors"];

export type Order = { status: Status | null; sort: SortKey; descending: boolean };

const DEFAULT_ORDER: Order = { status: null, sort: "updated_at", descending: true };

const isDefaultOrder = (q: Order): boolean =>
  q.status === DEFAULT_ORDER.status && q.sort === DEFAULT_ORDER.sort && q.descending === DEFAULT_ORDER.descending;

let prefetched: ReturnType<typeof ipc.listAgreements> | null = null;
let frameTaken = false;

/** The first page the shell handed to the window, if it answers the library's first question
 *  (default order, from the top). */
function framePage(): ListPage | null {
  const frame = firstFrame();
  return frame?.page && isDefaultOrder(frame.query) && frame.query.offset === 0 ? frame.page : null;
}

/** The first frame's page, once per page load. */
function takeFramePage(): ListPage | null {
  const page = frameTaken ? null : framePage();
  if (page) frameTaken = true;
  return page;
}

/** Asks the engine for the library's first rows before the UI is even mounted (main.ts), so
 *  the answer is on its way while the page builds; the first `load` picks it up. Not needed
 *  when the window came with its first page. */
export function prefetchFirstRows(): void {
  if (framePage()) return;
  performance.mark("library-list-sent");
  prefetched = ipc.listAgreements({ ...DEFAULT_ORDER, limit: CHUNK_SIZE, offset: 0 });
}

export class LibraryState {
  query = $state<Order>({ ...DEFAULT_ORDER });
  /** Rows matching the filter; null until the first answer. */
  total = $state<number | null>(null);
  /** Row `i` of the sorted list, or undefined while its chunk is not loaded. */
  rows = $state.raw<(AgreementSummary | undefined)[]>([]);
  error = $state<CommandError | null>(null);
  loading = $state(false);
  #generation = 0;
  #requested = new Set<number>();

  /** Forgets every row and loads the first chunk for the current query. */
  async load(): Promise<void> {
    const generation = ++this.#generation;
    this.#requested = new Set([0]);
    const framePage = generation === 1 && isDefaultOrder(this.query) ? takeFramePage() : null;
    if (framePage) {
      this.#show(framePage);
      void this.#refresh(framePage, generation);
      return;
    }
    this.loading = true;
    const early = prefetched;
    prefetched = null;
    const useEarly = early !== null && generation === 1 && isDefaultOrder(this.query);
    const outcome = await (useEarly ? early : this.#fetch(0));
    if (useEarly) performance.mark("library-list-received");
    if (generation !== this.#generation) return;
    this.loading = false;
    if (outcome.ok) this.#show(outcome.value);
    else this.error = outcome.error;
  }

  /** Shows `page` as the top of the list; chunks it covers entirely count as loaded. */
  #show(page: ListPage): void {
    const rows = new Array<AgreementSummary | undefined>(page.total);
    page.items.forEach((item, i) => (rows[i] = item));
    for (let chunk = 0; chunk * CHUNK_SIZE < page.total; chunk++) {
      if (Math.min((chunk + 1) * CHUNK_SIZE, page.total) > page.items.length) break;
      this.#requested.add(chunk);
    }
    this.loading = false;
    this.total = page.total;
    this.rows = rows;
    this.error = null;
  }

  /** Asks the engine again for rows first shown from the window's first frame, and loads the
   *  list afresh if they changed since (a reloaded page gets the frame of the app's start). */
  async #refresh(shown: ListPage, generation: number): Promise<void> {
    const outcome = await ipc.listAgreements({ ...this.query, limit: Math.max(1, shown.items.length), offset: 0 });
    if (generation !== this.#generation) return;
    if (!outcome.ok) this.error = outcome.error;
    else if (JSON.stringify(outcome.value) !== JSON.stringify(shown)) await this.load();
  }

  /** Makes sure rows `from`..`to` (exclusive) are loaded or on their way. */
  ensure(from: number, to: number): void {
    if (this.total === null) return;
    const last = Math.min(to, this.total) - 1;
    for (let chunk = Math.floor(Math.max(0, from) / CHUNK_SIZE); chunk * CHUNK_SIZE <= last; chunk++) {
      if (this.#requested.has(chunk)) continue;
      this.#requested.add(chunk);
      void this.#loadChunk(chunk, this.#generation);
    }
  }

  async #loadChunk(chunk: number, generation: number): Promise<void> {
    const outcome = await this.#fetch(chunk);
    if (generation !== this.#generation) return;
    if (!outcome.ok) {
      this.#requested.delete(chunk);
      this.error = outcome.error;
      return;
    }
    const rows = [...this.rows];
    outcome.value.items.forEach((item, i) => (rows[chunk * CHUNK_SIZE + i] = item));
    this.rows = rows;
  }

  #fetch(chunk: number) {
    const query: ListQuery = { ...this.query, limit: CHUNK_SIZE, offset: chunk * CHUNK_SIZE };
    return ipc.listAgreements(query);
  }

  sortBy(key: SortKey): Promise<void> {
    const descending = this.query.sort === key ? !this.query.descending : DESCENDING_FIRST.includes(key);
    this.query = { ...this.query, sort: key, descending };
    return this.load();
  }

  showStatus(status: Status | null): Promise<void> {
    this.query = { ...this.query, status };
    return this.load();
  }
}
