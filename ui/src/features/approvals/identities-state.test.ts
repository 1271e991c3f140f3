// The identities screen's state without a component: a failed load keeps its error, the form
// opens by itself while there is no own identity and closes once one is created, a card with
// another key of a known person waits for a decision, and every change reloads the list.
import { describe, expect, it } from "vitest";
import type { IdentityInfo, KeyConflict } from "../../ipc";
import { IdentitiesState } from "./identities.svelte";
import { lawyer, manager, refuse, serve } from "./fixtures";

const katrin: IdentityInfo = { ...lawyer, own: false, name: "Katrin Vogt" };
const person = (i: IdentityInfo) => ({
  name: i.name,
  organisation: i.organisation,
  role: i.role,
  email: i.email,
  fingerprint: i.fingerprint,
  fingerprint_display: i.fingerprint_display,
  own: i.own,
});
const other = { ...katrin, fingerprint: "9c446d89".repeat(8), fingerprint_display: "9C44 6D89 9C44 6D89" };
const conflict: KeyConflict = { known: person(katrin), new: person(other) };
const clash = (): never => {
  throw { code: "known_person_new_key", message: "already trusted with another key", problems: [], key_conflict: conflict };
};

describe("identities state", () => {
  it("keeps the error of a failed load", async () => {
    serve({ list_identities: () => refuse("storage", "database locked") });
    const state = new IdentitiesState();
    await state.load();
    expect(state.loadError?.code, "the screen shows the engine's refusal").toBe("storage");
    expect(state.identities, "nothing to list without an answer").toBeNull();
  });

  it("opens the form while there is no own identity and closes it once one is created", async () => {
    const list: IdentityInfo[] = [];
    const calls = serve({
      list_identities: () => list,
      create_identity: (args) => {
        if (args.passphrase === "taken") refuse("invalid_input", "name missing");
        list.push(manager);
        return manager;
      },
    });
    const state = new IdentitiesState();
    await state.load();
    expect(state.showForm, "nobody can sign yet: the form is offered right away").toBe(true);

    const profile = { name: manager.name, organisation: manager.organisation, role: manager.role, email: "" };
    expect(await state.create(profile, "taken")).toBe(false);
    expect(state.createError?.code, "the refusal stays by the form").toBe("invalid_input");
    expect(state.showForm).toBe(true);

    let cleared = 0;
    expect(await state.create(profile, "correct horse battery staple", () => cleared++)).toBe(true);
    expect(cleared, "the form's fields are cleared once").toBe(1);
    expect(state.createError).toBeNull();
    expect(state.showForm).toBe(false);
    expect(state.own.map((i) => i.fingerprint), "the list was reloaded").toEqual([manager.fingerprint]);
    expect(state.message).toContain(manager.name);
    expect(calls.filter((c) => c.cmd === "list_identities")).toHaveLength(2);
  });

  it("keeps a conflicting card for a decision and reloads after it", async () => {
    let list: IdentityInfo[] = [manager, katrin];
    const calls = serve({
      list_identities: () => list,
      import_identity_card: clash,
      import_identity_card_as_new_key: () => {
        list = [...list, other];
        return other;
      },
    });
    const state = new IdentitiesState();
    await state.load();
    await state.importCard();
    expect(state.conflict, "the card waits for the user's decision").toEqual(conflict);
    expect(state.actionError, "a conflict is not an error of the screen").toBeNull();

    await state.decide(conflict, "add");
    expect(state.conflict).toBeNull();
    expect(state.others.map((i) => i.fingerprint)).toEqual([katrin.fingerprint, other.fingerprint]);
    expect(calls.find((c) => c.cmd === "import_identity_card_as_new_key")?.args).toEqual({
      newFingerprint: other.fingerprint,
      knownFingerprint: katrin.fingerprint,
      decision: "add",
    });
  });

  it("shows the current conflict when the decision was stale", async () => {
    const newer: KeyConflict = { ...conflict, known: { ...conflict.known, name: "Katrin V." } };
    serve({
      list_identities: () => [manager, katrin],
      import_identity_card: clash,
      import_identity_card_as_new_key: () => {
        throw { code: "known_person_new_key", message: "changed", problems: [], key_conflict: newer };
      },
    });
    const state = new IdentitiesState();
    await state.load();
    await state.importCard();
    await state.decide(conflict, "replace");
    expect(state.conflict, "the dialog shows what the trust list says now").toEqual(newer);
    expect(state.conflictError?.code).toBe("known_person_new_key");
    state.dismissConflict();
    expect(state.conflict).toBeNull();
  });

  it("distrusts an identity, closing its dialog before the list is reloaded", async () => {
    let list: IdentityInfo[] = [manager, katrin];
    const calls = serve({
      list_identities: () => list,
      distrust_identity: () => {
        list = [manager, { ...katrin, trusted: false }];
        return list[1];
      },
    });
    const state = new IdentitiesState();
    await state.load();
    const order: string[] = [];
    await state.distrust(katrin, () => order.push(`answered after ${calls.length} calls`));
    expect(order, "the dialog closes once the engine answered, before the reload").toEqual(["answered after 2 calls"]);
    expect(state.others[0]?.trusted).toBe(false);
    expect(state.message).toContain("Katrin Vogt");
    expect(state.displayOf(katrin.fingerprint)).toBe(katrin.fingerprint_display);
    expect(state.displayOf("unknown"), "an unknown fingerprint is shown as it is").toBe("unknown");
  });
});
