// The message catalogues: both languages have exactly the same keys, no empty message, the
// same {placeholders}, every key the source code names exists, and every error code of the
// backend has a message in both.
import { describe, expect, it } from "vitest";
import { ERROR_CODES, type ErrorCode } from "../ipc";
import { catalogues, detectLocale, errorMessage, locales, setLocale, t, type Locale } from "./i18n.svelte";

const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message catalogues", () => {
  // en.ts defines the key type; every other catalogue is compared with it.
  const reference: Locale = "en";
  const others = locales.filter((locale) => locale !== reference);

  for (const locale of others) {
    it(`${locale} has exactly the keys of ${reference}`, () => {
      const expected = Object.keys(catalogues[reference]).sort();
      const actual = Object.keys(catalogues[locale]).sort();
      expect(actual.filter((k) => !expected.includes(k)), `keys only in ${locale}`).toEqual([]);
      expect(expected.filter((k) => !actual.includes(k)), `keys missing in ${locale}`).toEqual([]);
    });
  }

  for (const locale of locales) {
    it(`${locale} has no empty message and the reference's placeholders`, () => {
      for (const [key, message] of Object.entries(catalogues[locale])) {
        expect(message.trim(), `${locale}:${key}`).not.toBe("");
        const referenceMessage: string | undefined = catalogues[reference][key as keyof (typeof catalogues)["en"]];
        if (referenceMessage === undefined) continue; // reported by the key comparison
        expect(placeholders(message), `${locale}:${key}`).toEqual(placeholders(referenceMessage));
      }
    });
  }

  it("every statically named key exists", () => {
    const sources = import.meta.glob(["../**/*.svelte", "../**/*.ts", "!../**/*.test.ts", "!../i18n/*.ts"], {
      query: "?raw",
      import: "default",
      eager: true,
    }) as Record<string, string>;
    const used = new Set<string>();
    for (const source of Object.values(sources)) {
      for (const match of source.matchAll(/\bt\(\s*"([^"]+)"/g)) used.add(match[1]!);
    }
    expect(used.size).toBeGreaterThan(20);
    const known = Object.keys(catalogues.en);
    expect([...used].filter((key) => !known.includes(key))).toEqual([]);
  });

  it("has a message for every error code in every language", () => {
    // ERROR_CODES is generated from the Rust enum's list of all codes; this type is `true` only
    // when it names every member of the generated `ErrorCode` union as well.
    const listsEveryCode: [Exclude<ErrorCode, (typeof ERROR_CODES)[number]>] extends [never] ? true : false = true;
    expect(listsEveryCode).toBe(true);
    expect(ERROR_CODES.length, "the codes come from the bindings").toBeGreaterThan(20);
    for (const locale of locales) {
      const catalogue: Record<string, string | undefined> = catalogues[locale];
      const missing = ERROR_CODES.filter((code) => !catalogue[`error.codes.${code}`]?.trim());
      expect(missing, `error codes without a message in ${locale}`).toEqual([]);
    }
  });

  it("shows each error code's own message, in the chosen language", () => {
    setLocale("en");
    expect(errorMessage("busy")).toMatch(/another program/i);
    setLocale("de");
    expect(errorMessage("busy")).toMatch(/anderes Programm/);
    const messages = new Set(ERROR_CODES.map((code) => errorMessage(code)));
    expect(messages.size, "no two codes share one vague sentence").toBe(ERROR_CODES.length);
    setLocale("en");
  });

  it("substitutes placeholders and follows the chosen language", () => {
    setLocale("de");
    expect(t("library.count.other", { count: 3 })).toBe("3 Vereinbarungen");
    setLocale("en");
    expect(t("library.count.other", { count: 3 })).toBe("3 agreements");
  });

  it("picks German for German browser locales only", () => {
    expect(detectLocale("de-AT")).toBe("de");
    expect(detectLocale("de")).toBe("de");
    expect(detectLocale("en-GB")).toBe("en");
    expect(detectLocale("fr-FR")).toBe("en");
    expect(detectLocale(undefined)).toBe("en");
  });
});
