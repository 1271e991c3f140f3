// Saving before the window closes, and the remembered language and theme.
import { afterEach, describe, expect, it, vi } from "vitest";
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
  afterEach(() => {
    localStorage.clear();
    chooseLocale("en");
    chooseTheme("system");
  });

  it("remembers the language and the theme", () => {
    chooseLocale("de");
    chooseTheme("dark");
    expect(document.documentElement.dataset.theme).toBe("dark");
    chooseLocale("en");
    localStorage.setItem("pactum.locale", "de");
    applyPreferences();
    expect(currentLocale()).toBe("de");
    expect(currentTheme()).toBe("dark");
    chooseTheme("system");
    expect(document.documentElement.dataset.theme).toBeUndefined();
  });
});
