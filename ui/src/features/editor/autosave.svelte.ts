// Autosave of the editor: every edit marks the draft dirty; after a quiet pause the draft is
// saved through the engine. While a save runs, later edits wait for the next one. A failed
// save keeps the edit, shows the error and retries. After each successful save `onsaved` runs
// (the editor refreshes its findings there).
import type { CommandError, Outcome, SaveOutcome } from "../../ipc";

export const SAVE_DELAY_MS = 600;
export const RETRY_DELAY_MS = 3000;

export type SaveState = "saved" | "pending" | "saving" | "error";

export class Autosave {
  state = $state<SaveState>("saved");
  error = $state<CommandError | null>(null);
  #save: () => Promise<Outcome<SaveOutcome>>;
  #onsaved: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #dirty = false;
  #running = false;

  constructor(save: () => Promise<Outcome<SaveOutcome>>, onsaved: () => void = () => {}) {
    this.#save = save;
    this.#onsaved = onsaved;
  }

  /** An edit happened: save after a quiet pause. */
  changed(): void {
    this.#dirty = true;
    if (!this.#running) this.state = "pending";
    this.#schedule(SAVE_DELAY_MS);
  }

  /** Saves now if anything is unsaved (e.g. before leaving the editor). */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    if (this.#dirty && !this.#running) await this.#run();
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }

  #schedule(delay: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#run(), delay);
  }

  async #run(): Promise<void> {
    if (this.#running || !this.#dirty) return;
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
    } else {
      this.#dirty = true;
      this.error = outcome.error;
      this.state = "error";
      this.#schedule(RETRY_DELAY_MS);
    }
  }
}
