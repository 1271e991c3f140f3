// Autosave of the editor: every edit marks the draft dirty; after a quiet pause the draft is
// saved through the engine. While a save runs, later edits wait for the next one. A failed
// save keeps the edit, shows the error and retries. A save refused because the draft was
// changed elsewhere (`draft_conflict`) is not retried: saving again would overwrite the other
// change, so the edit waits, unsaved, until the editor reloads the newer draft (`reset`).
// After each successful save `onsaved` runs (the editor refreshes its findings there).
import type { CommandError, ErrorCode, Outcome, SaveOutcome } from "../../ipc";

export const SAVE_DELAY_MS = 600;
export const RETRY_DELAY_MS = 3000;

export type SaveState = "saved" | "pending" | "saving" | "error" | "conflict";

/** The engine's code for a save over a draft that was saved elsewhere in between. */
export const DRAFT_CONFLICT: ErrorCode = "draft_conflict";

export class Autosave {
  state = $state<SaveState>("saved");
  error = $state<CommandError | null>(null);
  #save: () => Promise<Outcome<SaveOutcome>>;
  #onsaved: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #dirty = false;
  #running = false;
  #inflight: Promise<void> = Promise.resolve();

  constructor(save: () => Promise<Outcome<SaveOutcome>>, onsaved: () => void = () => {}) {
    this.#save = save;
    this.#onsaved = onsaved;
  }

  /** An edit happened: save after a quiet pause. */
  changed(): void {
    this.#dirty = true;
    // After a conflict the edit is kept but not saved: only `reset` (reloading) ends it.
    if (this.state === "conflict") return;
    if (!this.#running) this.state = "pending";
    this.#schedule(SAVE_DELAY_MS);
  }

  /** The editor replaced its draft with the stored one: nothing is unsaved any more. */
  reset(): void {
    clearTimeout(this.#timer);
    this.#dirty = false;
    this.error = null;
    this.state = this.#running ? "saving" : "saved";
  }

  /** Saves now if anything is unsaved (e.g. before leaving the editor or closing the window),
   *  also waiting for a save already running and saving the edits made meanwhile. Returns
   *  when everything is saved or a save failed; after a conflict it saves nothing. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    while (this.#dirty || this.#running) {
      if (this.state === "conflict") return;
      if (this.#running) await this.#inflight;
      else await this.#run();
      // (A method, not the property: the save above may have changed the state.)
      if (this.#stopped()) return;
    }
  }

  /** A save failed or conflicted: flushing goes no further. */
  #stopped(): boolean {
    return this.state === "error" || this.state === "conflict";
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }

  #schedule(delay: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#run(), delay);
  }

  #run(): Promise<void> {
    if (this.#running || !this.#dirty) return this.#inflight;
    this.#inflight = this.#saveOnce();
    return this.#inflight;
  }

  async #saveOnce(): Promise<void> {
    this.#running = true;
    this.#dirty = false;
    this.state = "saving";
    const outcome = await this.#save();
    this.#running = false;
    if (outcome.ok) {
      this.error = null;
      if (this.#dirty) {
        this.state = "pending";
        this.#schedule(SAVE_DELAY_MS);
      } else {
        this.state = "saved";
      }
      this.#onsaved();
    } else if (outcome.error.code === DRAFT_CONFLICT) {
      this.#dirty = true;
      this.error = outcome.error;
      this.state = "conflict";
      clearTimeout(this.#timer);
    } else {
      this.#dirty = true;
      this.error = outcome.error;
      this.state = "error";
      this.#schedule(RETRY_DELAY_MS);
    }
  }
}
