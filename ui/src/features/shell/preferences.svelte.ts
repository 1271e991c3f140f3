// The user's display preferences: the UI language (default: the system locale) and the theme
// (default: follow the system). The engine keeps them in the library's database
// (src/preferences.rs), so a choice is durable as soon as the call answers; the shell hands
// the stored ones to the page with the first frame, and main.ts applies them before the first
// render. Without a shell (the front end alone in a browser, unit tests) the webview's local
// storage stands in.
import { firstFrame } from "../../ipc/first-frame";
import { ipc, type Preferences } from "../../ipc";
import { currentLocale, detectLocale, setLocale, type Locale } from "../../i18n/i18n.svelte";

export type Theme = "system" | "light" | "dark";
export const themes: readonly Theme[] = ["system", "light", "dark"];

const LOCALE_KEY = "pactum.locale";
const THEME_KEY = "pactum.theme";

const state = $state<{ theme: Theme; language: Locale | null }>({ theme: "system", language: null });

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage unavailable: the choice lasts for this session.
  }
}

function applyTheme(theme: Theme): void {
  state.theme = theme;
  const root = document.documentElement;
  if (theme === "system") delete root.dataset.theme;
  else root.dataset.theme = theme;
}

function asLocale(value: string | null | undefined): Locale | null {
  return value === "de" || value === "en" ? value : null;
}

function asTheme(value: string | null | undefined): Theme {
  return value === "light" || value === "dark" ? value : "system";
}

/** Applies the stored language and theme (or the system's). */
export function applyPreferences(): void {
  const frame = firstFrame();
  // With a shell, the database is the one record of the choice (null: it could not be read).
  const saved = frame ? frame.preferences : null;
  const language = frame ? asLocale(saved?.language) : asLocale(stored(LOCALE_KEY));
  const theme = frame ? asTheme(saved?.theme) : asTheme(stored(THEME_KEY));
  state.language = language;
  setLocale(language ?? detectLocale(navigator.language));
  applyTheme(theme);
}

/** Writes both preferences through the engine. When it has answered, the root element's
 *  `data-preferences-saved` names what is stored (the end-to-end test waits for it). */
async function persist(): Promise<void> {
  const preferences: Preferences = {
    language: state.language,
    theme: state.theme === "system" ? null : state.theme,
  };
  const outcome = await ipc.setPreferences(preferences);
  if (outcome.ok) {
    document.documentElement.dataset.preferencesSaved = `${outcome.value.language ?? "system"} ${outcome.value.theme ?? "system"}`;
  } else if (outcome.error.code !== "ipc") {
    // The choice still holds for this session; the next start follows what was stored.
    console.error("the display preferences could not be stored:", outcome.error.message);
  }
}

export function chooseLocale(locale: Locale): Promise<void> {
  setLocale(locale);
  state.language = locale;
  store(LOCALE_KEY, locale);
  return persist();
}

export function chooseTheme(theme: Theme): Promise<void> {
  applyTheme(theme);
  store(THEME_KEY, theme);
  return persist();
}

export function currentTheme(): Theme {
  return state.theme;
}

export { currentLocale };
