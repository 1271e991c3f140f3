// A card claiming a trusted person with another key (issue 10, item 3): the engine refuses the
// import with `known_person_new_key`; the identities screen shows both fingerprints side by side
// with a warning and asks for an explicit decision (add, replace or cancel) on that card.
import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { CommandError, IdentityInfo, KeyConflict } from "../../ipc";
import { setLocale } from "../../i18n/i18n.svelte";
import IdentitiesScreen from "./IdentitiesScreen.svelte";
import { lawyer, manager } from "./fixtures";

type Call = { cmd: string; args: Record<string, unknown> };

const katrin: IdentityInfo = {
  ...lawyer,
  own: false,
  name: "Katrin Vogt",
  organisation: "Beispiel GmbH",
  email: "katrin.vogt@example.com",
};

const fake: IdentityInfo = {
  ...katrin,
  fingerprint: "9c446d89".repeat(8),
  fingerprint_display: "9C44 6D89 9C44 6D89 9C44 6D89 9C44 6D89",
  public_key: "ee".repeat(32),
};

const person = (i: IdentityInfo) => ({
  name: i.name,
  organisation: i.organisation,
  role: i.role,
  email: i.email,
  fingerprint: i.fingerprint,
  fingerprint_display: i.fingerprint_display,
  own: i.own,
});

const conflict: KeyConflict = { known: person(katrin), new: person({ ...fake, own: false }) };

function refusal(c: KeyConflict): CommandError {
  return { code: "known_person_new_key", message: "already trusted with another key", problems: [], key_conflict: c };
}

/** The trust list with Katrin; the import refused with the conflict; the decision recorded. */
function backend(decide: (args: Record<string, unknown>) => IdentityInfo): Call[] {
  const calls: Call[] = [];
  let list: IdentityInfo[] = [manager, katrin];
  mockIPC((cmd, args) => {
    const payload = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: payload });
    if (cmd === "list_identities") return list;
    if (cmd === "import_identity_card") throw refusal(conflict);
    if (cmd === "import_identity_card_as_new_key") {
      const added = decide(payload);
      list = [...list, added];
      return added;
    }
    throw new Error(`unexpected command ${cmd}`);
  });
  return calls;
}

async function openDialog() {
  render(IdentitiesScreen, { onback: () => {} });
  await fireEvent.click(await screen.findByTestId("import-card"));
  return screen.findByTestId("key-conflict-dialog");
}

describe("second key for a known person", () => {
  it("shows both fingerprints side by side with a warning and adds the key only when asked", async () => {
    setLocale("en");
    const calls = backend(() => ({
      ...fake,
      key_decision: {
        known_fingerprint: katrin.fingerprint,
        known_fingerprint_display: katrin.fingerprint_display,
        decision: "add",
        decided_at: "2026-11-28T10:00:00.000Z",
      },
    }));
    const dialog = await openDialog();
    const known = within(dialog).getByTestId("conflict-known");
    const added = within(dialog).getByTestId("conflict-new");
    expect(within(known).getByTestId("conflict-fingerprint").textContent?.replace(/\s+/g, "")).toBe(
      katrin.fingerprint_display.replace(/ /g, ""),
    );
    expect(within(added).getByTestId("conflict-fingerprint").textContent?.replace(/\s+/g, "")).toBe(
      fake.fingerprint_display.replace(/ /g, ""),
    );
    expect(known.textContent).toContain("Katrin Vogt");
    expect(known.textContent).toContain("katrin.vogt@example.com");
    expect(within(dialog).getByRole("alert").textContent).toContain("impersonating Katrin Vogt");
    expect(calls.some((c) => c.cmd === "import_identity_card_as_new_key")).toBe(false);

    await fireEvent.click(within(dialog).getByTestId("conflict-add"));
    await waitFor(() => expect(screen.queryByTestId("key-conflict-dialog")).toBeNull());
    const decision = calls.find((c) => c.cmd === "import_identity_card_as_new_key");
    expect(decision?.args).toEqual({
      newFingerprint: fake.fingerprint,
      knownFingerprint: katrin.fingerprint,
      decision: "add",
    });
    expect((await screen.findByTestId("identities-message")).textContent).toContain("next to the old one");
    expect((await screen.findAllByTestId("second-key")).length).toBe(1);
  });

  it("replaces the old key, or does nothing on cancel; in German too", async () => {
    setLocale("de");
    const calls = backend(() => ({ ...fake }));
    let dialog = await openDialog();
    expect(within(dialog).getByTestId("conflict-add").textContent).toContain("zweiten Schlüssel");
    await fireEvent.click(within(dialog).getByTestId("conflict-cancel"));
    expect(screen.queryByTestId("key-conflict-dialog")).toBeNull();
    expect(calls.some((c) => c.cmd === "import_identity_card_as_new_key")).toBe(false);

    await fireEvent.click(screen.getByTestId("import-card"));
    dialog = await screen.findByTestId("key-conflict-dialog");
    await fireEvent.click(within(dialog).getByTestId("conflict-replace"));
    await waitFor(() => expect(screen.queryByTestId("key-conflict-dialog")).toBeNull());
    expect(calls.find((c) => c.cmd === "import_identity_card_as_new_key")?.args.decision).toBe("replace");
    setLocale("en");
  });

  it("shows the current conflict when the decision was stale", async () => {
    setLocale("en");
    const newer = { ...conflict, known: { ...conflict.known, fingerprint: "1234abcd".repeat(8), fingerprint_display: "1234 ABCD 1234 ABCD 1234 ABCD 1234 ABCD" } };
    backend(() => {
      throw refusal(newer);
    });
    const dialog = await openDialog();
    await fireEvent.click(within(dialog).getByTestId("conflict-add"));
    await waitFor(() =>
      expect(
        within(screen.getByTestId("conflict-known")).getByTestId("conflict-fingerprint").textContent?.replace(/\s+/g, ""),
      ).toBe("1234ABCD".repeat(4)),
    );
    expect(screen.getByTestId("key-conflict-dialog")).toBeTruthy();
  });

  it("warns on a trusted key that shares its person with another without a decision", async () => {
    setLocale("en");
    mockIPC((cmd) => {
      if (cmd === "list_identities")
        return [manager, { ...katrin, same_person_unconfirmed: [fake.fingerprint] }, { ...fake, same_person_unconfirmed: [katrin.fingerprint] }];
      throw new Error(`unexpected command ${cmd}`);
    });
    render(IdentitiesScreen, { onback: () => {} });
    const warnings = await screen.findAllByTestId("same-person");
    expect(warnings.length).toBe(2);
    expect(warnings[0]?.textContent).toContain(fake.fingerprint_display);
  });
});
