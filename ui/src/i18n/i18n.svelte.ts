// The UI's language: which catalogue is active (from navigator.language at start, switchable
// in the header), message lookup with {placeholder} substitution, and the locale-aware
// formatting of dates, numbers and percentages. Every text the UI shows goes through `t`.
import type { ErrorCode } from "../ipc";
import { de } from "./de";
import { en, type Catalogue, type MessageKey } from "./en";

export type Locale = "de" | "en";
export type { MessageKey };

export const catalogues: Record<Locale, Catalogue> = { de, en };
export const locales: readonly Locale[] = ["de", "en"];

/** German for any German browser locale (de, de-AT, de-CH, …), English otherwise. */
export function detectLocale(language: string | undefined): Locale {
  return language?.toLowerCase().startsWith("de") ? "de" : "en";
}

const state = $state<{ locale: Locale }>({
  locale: detectLocale(typeof navigator === "undefined" ? undefined : navigator.language),
});

export function currentLocale(): Locale {
  return state.locale;
}

export function setLocale(locale: Locale): void {
  state.locale = locale;
  if (typeof document !== "undefined") document.documentElement.lang = locale;
}

/** The message `key` in the active language, with each `{name}` replaced by `params.name`. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = catalogues[state.locale][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** The sentence for an error code in the active language. Every code of the generated union has
 *  one: the key's type fails `npm run check` for a code missing in en.ts, and i18n.test.ts
 *  walks `ERROR_CODES` through both catalogues. */
export function errorMessage(code: ErrorCode): string {
  const key: MessageKey = `error.codes.${code}`;
  return t(key);
}

/** "1 agreement" / "3 agreements" in the active language. */
export function countAgreements(count: number): string {
  return count === 1 ? t("library.count.one") : t("library.count.other", { count: formatNumber(count) });
}

// Intl formatters are slow to construct (tens of microseconds each in WebKit, and the library
// formats several values per row): one per locale and style, made on first use.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function formatter<T extends Intl.NumberFormat | Intl.DateTimeFormat>(style: string, make: () => T): T {
  const key = `${state.locale}/${style}`;
  let made = formatters.get(key) as T | undefined;
  if (!made) {
    made = make();
    formatters.set(key, made);
  }
  return made;
}

export function formatNumber(value: number): string {
  return formatter("number", () => new Intl.NumberFormat(state.locale)).format(value);
}

export function formatPercent(value: number): string {
  return formatter(
    "percent",
    () => new Intl.NumberFormat(state.locale, { style: "percent", maximumFractionDigits: 0 }),
  ).format(value / 100);
}

/** The local date of an RFC 3339 time ("Mar 14, 2025" / "14.03.2025"); the raw text if it does not parse. */
export function formatDate(rfc3339: string): string {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return rfc3339;
  return formatter("date", () => new Intl.DateTimeFormat(state.locale, { dateStyle: "medium" })).format(date);
}

/** The local time of day of an RFC 3339 time ("9:30 AM" / "09:30"); empty if it does not parse. */
export function formatTime(rfc3339: string): string {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return "";
  return formatter("time", () => new Intl.DateTimeFormat(state.locale, { timeStyle: "short" })).format(date);
}
