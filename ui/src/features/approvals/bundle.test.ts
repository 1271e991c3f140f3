// Exchange files without the buttons: an export says where it went, an import what it brought
// (and tells the screen to reload), a refused import keeps the engine's reasons, and a
// cancelled file dialog changes nothing.
import { describe, expect, it } from "vitest";
import type { ImportOutcome } from "../../ipc";
import { BundleState } from "./bundle.svelte";
import { manager, refuse, serve } from "./fixtures";
import type { ExportChoice } from "./approvals";

const choice: ExportChoice = { request: { kind: "history" }, label: "History", fileName: "northwind-history.json", testid: "bundle-export-history" };
const brought: ImportOutcome = {
  agreement: 7,
  kind: "answer",
  created: false,
  added_versions: 0,
  added_amendments: 0,
  added_signatures: 1,
  enacted: [1],
  status: "in_force",
  changed: true,
};

describe("bundle state", () => {
  it("exports signed by the chosen identity and says where the file went", async () => {
    const calls = serve({ export_bundle: (args) => (args.passphrase === "right" ? "/tmp/history.json" : refuse("wrong_passphrase")) });
    const state = new BundleState(7);
    let closed = 0;
    expect((await state.export(choice, manager.fingerprint, "wrong", () => closed++))?.code).toBe("wrong_passphrase");
    expect(closed, "a refused export keeps the dialog open").toBe(0);
    expect(await state.export(choice, manager.fingerprint, "right", () => closed++)).toBeNull();
    expect(closed).toBe(1);
    expect(state.exported).toBe("/tmp/history.json");
    expect(calls[1]?.args).toEqual({
      id: 7,
      request: { kind: "history" },
      identity: manager.fingerprint,
      passphrase: "right",
      suggestedName: "northwind-history.json",
    });
  });

  it("exports nothing without an agreement", async () => {
    const calls = serve({});
    expect(await new BundleState(null).export(choice, manager.fingerprint, "pw")).toBeNull();
    expect(calls).toEqual([]);
  });

  it("reports what an import brought and tells the screen, or keeps the engine's reasons", async () => {
    let answer: () => ImportOutcome | null = () => refuse("bundle_invalid", "signature does not match");
    serve({ import_bundle: () => answer() });
    const state = new BundleState(null);
    const told: ImportOutcome[] = [];

    await state.import((o) => told.push(o));
    expect(state.error?.code, "a tampered file is refused with its reason").toBe("bundle_invalid");
    expect(state.importing).toBe(false);
    expect(told).toEqual([]);

    answer = () => null;
    await state.import((o) => told.push(o));
    expect(state.error, "a new attempt clears the old error").toBeNull();
    expect(state.imported, "a cancelled dialog brings nothing").toBeNull();
    expect(told).toEqual([]);

    answer = () => brought;
    await state.import((o) => told.push(o));
    expect(state.imported).toEqual(brought);
    expect(told, "the screen reloads what the import changed").toEqual([brought]);
  });
});
