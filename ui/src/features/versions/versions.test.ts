// The read-only version view and the compare view against a mocked backend.
import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import CompareView from "./CompareView.svelte";
import VersionView from "./VersionView.svelte";
import type { Comparison, VersionInfo } from "../../ipc";

const info: VersionInfo = {
  agreement: 1,
  number: 1,
  hash: "a".repeat(64),
  previous_hash: null,
  note: "<b>note</b>",
  created_at: "2025-03-14T09:30:00Z",
};

describe("read-only version", () => {
  it("renders every section's terms and clause text as text, with no inputs", async () => {
    mockIPC((cmd) => {
      if (cmd === "get_version")
        return {
          info,
          agreement: {
            title: "<img src=x onerror=alert(1)>",
            overview: { purpose: "{{7*7}}", provider: { name: "Acme" }, clauses: "<script>alert(1)</script>" },
            support_levels: { priorities: [{ id: "P1", resolution: "4 h" }], clauses: "" },
          },
        };
      throw new Error(`unexpected ${cmd}`);
    });
    const { container } = render(VersionView, { id: 1, number: 1, onback: () => {}, oncompare: () => {} });
    await screen.findByTestId("version-readonly");
    expect(screen.getByTestId("version-title").textContent).toBe("<img src=x onerror=alert(1)>");
    expect(screen.getByTestId("version-clauses-overview").textContent).toBe("<script>alert(1)</script>");
    expect(screen.getByText("{{7*7}}")).toBeTruthy();
    expect(screen.getByText("4 h")).toBeTruthy();
    expect(screen.getByTestId("version-readonly").textContent).toContain("“<b>note</b>”");
    expect(container.querySelectorAll("input, textarea, select, [contenteditable]")).toHaveLength(0);
    expect(container.querySelector("img, script, b")).toBeNull();
    expect(screen.getAllByRole("heading", { level: 2 })).toHaveLength(10);
  });
});

describe("compare view", () => {
  it("marks insertions and deletions and lists the changed terms", async () => {
    const comparison: Comparison = {
      language: "de",
      redlines: [
        {
          section: "support_levels",
          title: "Support-Level",
          chunks: [
            { kind: "same", text: "Die Lösungszeit beträgt " },
            { kind: "deleted", text: "acht" },
            { kind: "inserted", text: "<i>vier</i>" },
            { kind: "same", text: " Stunden." },
          ],
        },
      ],
      terms: [
        { section: "support_levels", key: "support_levels.priorities[P1].resolution", label: "P1 › Lösungszeit", before: "8 Std.", after: "4 Std." },
        { section: "channels", key: "channels.channels[Chat].name", label: "Chat", before: null, after: "Chat" },
      ],
    };
    const calls: unknown[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "list_versions") return [info, { ...info, number: 2 }];
      if (cmd === "compare_versions") return comparison;
      throw new Error(`unexpected ${cmd}`);
    });
    const { container } = render(CompareView, { id: 1, from: 1, to: null, onback: () => {} });
    const rows = await screen.findAllByTestId("term-change");
    expect(rows[0]!.textContent).toContain("P1 › Lösungszeit");
    expect(rows[0]!.querySelector("del")!.textContent).toBe("8 Std.");
    expect(rows[0]!.querySelector("ins")!.textContent).toBe("4 Std.");
    expect(rows[1]!.textContent).toContain("—");
    const redline = screen.getByTestId("redline-support_levels");
    expect(redline.querySelector("del")!.textContent).toBe("acht");
    expect(redline.querySelector("ins")!.textContent).toBe("<i>vier</i>");
    expect(container.querySelector("i")).toBeNull();
    expect(calls).toContainEqual({ cmd: "compare_versions", args: { id: 1, from: 1, to: null } });
  });
});
