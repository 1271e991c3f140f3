// State of the library's full-text search: the text typed, the engine's hits for it, and
// whether a search is running. Typing waits briefly before asking the engine, and an answer to
// an older text is dropped.
import { ipc, type CommandError, type SearchHit } from "../../ipc";

export const SEARCH_LIMIT = 50;
export const SEARCH_DELAY_MS = 250;

export class SearchState {
  text = $state("");
  /** The text the shown hits belong to. */
  searched = $state("");
  hits = $state<SearchHit[] | null>(null);
  error = $state<CommandError | null>(null);
  searching = $state(false);
  #latest = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  get active(): boolean {
    return this.text.trim() !== "";
  }

  /** Records the typed text and searches after a short pause. */
  type(text: string): void {
    this.text = text;
    clearTimeout(this.#timer);
    if (!this.active) {
      this.clear();
      return;
    }
    this.#timer = setTimeout(() => void this.run(), SEARCH_DELAY_MS);
  }

  clear(): void {
    clearTimeout(this.#timer);
    this.#latest++;
    this.text = "";
    this.searched = "";
    this.hits = null;
    this.error = null;
    this.searching = false;
  }

  /** Searches for the current text now. */
  async run(): Promise<void> {
    const query = this.text.trim();
    if (query === "") return;
    const request = ++this.#latest;
    this.searching = true;
    const outcome = await ipc.searchAgreements(query, SEARCH_LIMIT);
    if (request !== this.#latest) return;
    this.searching = false;
    this.searched = query;
    if (outcome.ok) {
      this.hits = outcome.value;
      this.error = null;
    } else {
      this.hits = null;
      this.error = outcome.error;
    }
  }
}
