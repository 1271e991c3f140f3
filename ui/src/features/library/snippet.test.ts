// Splitting the engine's `[match]` snippets into plain and marked parts.
import { describe, expect, it } from "vitest";
import { parseSnippet } from "./snippet";

describe("parseSnippet", () => {
  it("splits plain and marked parts in order", () => {
    expect(parseSnippet("Die [Lösungszeit] für [P1] beträgt")).toEqual([
      { text: "Die ", marked: false },
      { text: "Lösungszeit", marked: true },
      { text: " für ", marked: false },
      { text: "P1", marked: true },
      { text: " beträgt", marked: false },
    ]);
  });

  it("keeps an unclosed bracket as plain text", () => {
    expect(parseSnippet("a [b")).toEqual([{ text: "a [b", marked: false }]);
  });

  it("returns nothing for an empty snippet and drops empty marks", () => {
    expect(parseSnippet("")).toEqual([]);
    expect(parseSnippet("x[]y")).toEqual([{ text: "xy", marked: false }]);
  });
});
