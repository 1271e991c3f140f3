// State of the library screen: the list query (filter, sort) it sends to the engine and the
// rows that came back. The engine filters and sorts; rows are fetched in chunks as the
// virtualised table scrolls to them, so 10,000 agreements cost one small query to show and
// memory only for what was seen. Answers to questions that are no longer current are dropped.
import { listAgreements, type AgreementSummary, type CommandError, type ListQuery, type SortKey, type Status } from "../../ipc";

/** Rows fetched per engine call (more than a tall window shows). */
export const CHUNK_SIZE = 50;

/** Columns whose natural first order is "largest/newest first". */
const DESCENDING_FIRST: readonly SortKey[] = ["updated_at", "completeness", "open_errors"];

export type Order = { status: Status | null; sort: SortKey; descending: boolean };

const DEFAULT_ORDER: Order = { status: null, sort: "updated_at", descending: true };

let prefetched: ReturnType<typeof listAgreements> | null = null;

/** Asks the engine for the library's first rows before the UI is even mounted (main.ts), so
 *  the answer is on its way while the page builds; the first `load` picks it up. */
export function prefetchFirstRows(): void {
  performance.mark("library-list-sent");
  prefetched = listAgreements({ ...DEFAULT_ORDER, limit: CHUNK_SIZE, offset: 0 });
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
    this.loading = true;
    const early = prefetched;
    prefetched = null;
    const useEarly = early !== null && generation === 1 && this.#isDefaultOrder();
    const outcome = await (useEarly ? early : this.#fetch(0));
    if (useEarly) performance.mark("library-list-received");
    if (generation !== this.#generation) return;
    this.loading = false;
    if (outcome.ok) {
      const rows = new Array<AgreementSummary | undefined>(outcome.value.total);
      outcome.value.items.forEach((item, i) => (rows[i] = item));
      this.total = outcome.value.total;
      this.rows = rows;
      this.error = null;
    } else {
      this.error = outcome.error;
    }
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

  #isDefaultOrder(): boolean {
    const q = this.query;
    return q.status === DEFAULT_ORDER.status && q.sort === DEFAULT_ORDER.sort && q.descending === DEFAULT_ORDER.descending;
  }

  #fetch(chunk: number) {
    const query: ListQuery = { ...this.query, limit: CHUNK_SIZE, offset: chunk * CHUNK_SIZE };
    return listAgreements(query);
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
