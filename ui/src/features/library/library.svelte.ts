// State of the library screen: the list query (filter, sort, page) it sends to the engine and
// what came back. The engine filters, sorts and pages; this only remembers what was asked and
// drops answers to questions that are no longer current.
import { listAgreements, type CommandError, type ListPage, type ListQuery, type SortKey, type Status } from "../../ipc";

export const PAGE_SIZE = 50;

/** Columns whose natural first order is "largest/newest first". */
const DESCENDING_FIRST: readonly SortKey[] = ["updated_at", "completeness", "open_errors"];

export class LibraryState {
  query = $state<ListQuery>({ status: null, sort: "updated_at", descending: true, limit: PAGE_SIZE, offset: 0 });
  page = $state<ListPage | null>(null);
  error = $state<CommandError | null>(null);
  loading = $state(false);
  #latest = 0;

  async load(): Promise<void> {
    const request = ++this.#latest;
    this.loading = true;
    const outcome = await listAgreements({ ...this.query });
    if (request !== this.#latest) return;
    this.loading = false;
    if (outcome.ok) {
      this.page = outcome.value;
      this.error = null;
    } else {
      this.error = outcome.error;
    }
  }

  sortBy(key: SortKey): Promise<void> {
    const descending = this.query.sort === key ? !this.query.descending : DESCENDING_FIRST.includes(key);
    this.query = { ...this.query, sort: key, descending, offset: 0 };
    return this.load();
  }

  showStatus(status: Status | null): Promise<void> {
    this.query = { ...this.query, status, offset: 0 };
    return this.load();
  }

  get hasPrevious(): boolean {
    return this.query.offset > 0;
  }

  get hasNext(): boolean {
    return this.page !== null && this.query.offset + this.page.items.length < this.page.total;
  }

  turnPage(direction: 1 | -1): Promise<void> {
    const offset = Math.max(0, this.query.offset + direction * this.query.limit);
    this.query = { ...this.query, offset };
    return this.load();
  }
}
