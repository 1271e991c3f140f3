// The user's display preferences, kept in the webview's local storage: the UI language
// (default: the system locale) and the theme (default: follow the system). Applied before the
// first render by main.ts.
import { currentLocale, detectLocale, setLocale, type Locale } from "../../i18n/i18n.svelte";

export type Theme = "system" | "light" | "dark";
export const themes: readonly Theme[] = ["system", "light", "dark"];

const LOCALE_KEY = "pactum.locale";
const THEME_KEY = "pactum.theme";

const state = $state<{ theme: Theme }>({ theme: "system" });

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

/** Applies the stored language and theme (or the system's). */
export function applyPreferences(): void {
  const locale = stored(LOCALE_KEY);
  setLocale(locale === "de" || locale === "en" ? locale : detectLocale(navigator.language));
  const theme = stored(THEME_KEY);
  applyTheme(theme === "light" || theme === "dark" ? theme : "system");
}

export function chooseLocale(locale: Locale): void {
  setLocale(locale);
  store(LOCALE_KEY, locale);
}

export function chooseTheme(theme: Theme): void {
  applyTheme(theme);
  store(THEME_KEY, theme);
}

export function currentTheme(): Theme {
  return state.theme;
}

export { currentLocale };
