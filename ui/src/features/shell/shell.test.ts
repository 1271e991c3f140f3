// Saving before the window closes, and the remembered language and theme.
import { afterEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { FirstFrame_Serialize as FirstFrame } from "../../ipc/bindings";
import { saveAll, saveBeforeClose } from "./closing";
import { applyPreferences, chooseLocale, chooseTheme, currentTheme } from "./preferences.svelte";
import { currentLocale } from "../../i18n/i18n.svelte";

describe("saving before close", () => {
  it("runs every registered save, also when one fails, and forgets unregistered ones", async () => {
    const ran: string[] = [];
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const undoA = saveBeforeClose(async () => void ran.push("a"));
    const undoB = saveBeforeClose(() => Promise.reject(new Error("disk full")));
    const undoC = saveBeforeClose(async () => void ran.push("c"));
    undoC();
    await saveAll();
    expect(ran).toEqual(["a"]);
    expect(logged).toHaveBeenCalledOnce();
    logged.mockRestore();
    undoA();
    undoB();
  });
});

describe("preferences", () => {
  afterEach(async () => {
    delete window.__PACTUM_FIRST_FRAME__;
    clearMocks();
    localStorage.clear();
    await chooseLocale("en");
    await chooseTheme("system");
    delete document.documentElement.dataset.preferencesSaved;
  });

  function frameWith(preferences: FirstFrame["preferences"]): FirstFrame {
    return {
      query: { status: null, sort: "updated_at", descending: true, limit: 100, offset: 0 },
      page: null,
      database: { path: "/tmp/library.db", moved_aside: null, permissions_tightened: null },
      preferences,
    } as FirstFrame;
  }

  it("applies the preferences stored in the database over anything in local storage", () => {
    localStorage.setItem("pactum.locale", "en");
    localStorage.setItem("pactum.theme", "light");
    window.__PACTUM_FIRST_FRAME__ = frameWith({ language: "de", theme: "dark" });
    applyPreferences();
    expect(currentLocale(), "the database is the record of the choice in the app").toBe("de");
    expect(currentTheme()).toBe("dark");
    expect(document.documentElement.dataset.theme).toBe("dark");
  });

  it("follows the system when the database holds no choice", () => {
    localStorage.setItem("pactum.locale", "de");
    window.__PACTUM_FIRST_FRAME__ = frameWith({ language: null, theme: null });
    applyPreferences();
    expect(currentLocale(), "jsdom's navigator language is English").toBe("en");
    expect(currentTheme()).toBe("system");
  });

  it("stores a choice through the engine and marks the root when it is stored", async () => {
    const sent: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== "set_preferences") throw new Error(`unexpected command ${cmd}`);
      const preferences = (args as { preferences: unknown }).preferences;
      sent.push(preferences);
      return preferences;
    });
    await chooseTheme("dark");
    await chooseLocale("de");
    expect(sent, "every choice writes both preferences, 'system' as null").toEqual([
      { language: "en", theme: "dark" },
      { language: "de", theme: "dark" },
    ]);
    expect(document.documentElement.dataset.preferencesSaved).toBe("de dark");
  });

  it("remembers the language and the theme without a shell (local storage)", async () => {
    await chooseLocale("de");
    await chooseTheme("dark");
    expect(document.documentElement.dataset.theme).toBe("dark");
    await chooseLocale("en");
    localStorage.setItem("pactum.locale", "de");
    applyPreferences();
    expect(currentLocale()).toBe("de");
    expect(currentTheme()).toBe("dark");
    await chooseTheme("system");
    expect(document.documentElement.dataset.theme).toBeUndefined();
  });
});
