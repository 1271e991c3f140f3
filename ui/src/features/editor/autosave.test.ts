// The autosave state machine: debounce, saving, saved, error with retry, edits during a save.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Outcome, SaveOutcome } from "../../ipc";
import { Autosave, RETRY_DELAY_MS, SAVE_DELAY_MS } from "./autosave.svelte";

const ok: Outcome<SaveOutcome> = { ok: true, value: { changed: true, revision: 2 } };
const failed: Outcome<SaveOutcome> = {
  ok: false,
  error: { code: "storage", message: "database is locked", problems: [], key_conflict: null },
};

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("autosave", () => {
  it("waits for a quiet pause, then saves once and reports saved", async () => {
    const save = vi.fn(async () => ok);
    const saved = vi.fn();
    const autosave = new Autosave(save, saved);

    autosave.changed();
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS - 100);
    autosave.changed();
    expect(autosave.state).toBe("pending");
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS - 100);
    expect(save).not.toHaveBeenCalled();

    await vi.advanceTimersByTimeAsync(100);
    expect(save).toHaveBeenCalledTimes(1);
    expect(autosave.state).toBe("saved");
    expect(saved).toHaveBeenCalledTimes(1);
  });

  it("shows saving while the engine works", async () => {
    let finish: (o: Outcome<SaveOutcome>) => void = () => {};
    const autosave = new Autosave(() => new Promise((resolve) => (finish = resolve)));
    autosave.changed();
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(autosave.state).toBe("saving");
    finish(ok);
    await vi.advanceTimersByTimeAsync(0);
    expect(autosave.state).toBe("saved");
  });

  it("keeps the edit after a failure and retries until it is saved", async () => {
    const save = vi.fn<() => Promise<Outcome<SaveOutcome>>>().mockResolvedValueOnce(failed).mockResolvedValue(ok);
    const autosave = new Autosave(save);
    autosave.changed();
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(autosave.state).toBe("error");
    expect(autosave.error?.message).toBe("database is locked");

    await vi.advanceTimersByTimeAsync(RETRY_DELAY_MS);
    expect(save).toHaveBeenCalledTimes(2);
    expect(autosave.state).toBe("saved");
    expect(autosave.error).toBeNull();
  });

  it("saves an edit made during a save afterwards", async () => {
    let finish: (o: Outcome<SaveOutcome>) => void = () => {};
    const save = vi.fn(() => new Promise<Outcome<SaveOutcome>>((resolve) => (finish = resolve)));
    const autosave = new Autosave(save);
    autosave.changed();
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    autosave.changed();
    finish(ok);
    await vi.advanceTimersByTimeAsync(0);
    expect(autosave.state).toBe("pending");
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(save).toHaveBeenCalledTimes(2);
    finish(ok);
    await vi.advanceTimersByTimeAsync(0);
    expect(autosave.state).toBe("saved");
  });

  it("flush saves at once", async () => {
    const save = vi.fn(async () => ok);
    const autosave = new Autosave(save);
    autosave.changed();
    await autosave.flush();
    expect(save).toHaveBeenCalledTimes(1);
    expect(autosave.state).toBe("saved");
  });
});

describe("autosave after a conflict", () => {
  const conflict: Outcome<SaveOutcome> = {
    ok: false,
    error: { code: "draft_conflict", message: "changed elsewhere", problems: [] },
  };

  it("does not retry a save the engine refused as a conflict, and a reset ends it", async () => {
    const save = vi.fn(async () => conflict);
    const autosave = new Autosave(save);
    autosave.changed();
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(autosave.state, "a conflict is its own state, not a retrying error").toBe("conflict");
    autosave.changed();
    await vi.advanceTimersByTimeAsync(RETRY_DELAY_MS * 3);
    await autosave.flush();
    expect(save, "saving again would overwrite the other change, so it is never retried").toHaveBeenCalledTimes(1);

    autosave.reset();
    expect(autosave.state, "after reloading, nothing is unsaved").toBe("saved");
    expect(autosave.error).toBeNull();
  });
});
