// The pure helpers of the signing views: timeline order and states, the policy and request
// rules the screens show, passphrase hints and errors, findings in words.
import { describe, expect, it } from "vitest";
import { setLocale } from "../../i18n/i18n.svelte";
import {
  canRequestApproval,
  fileName,
  findingText,
  passphraseProblem,
  passphraseStrength,
  policyEditable,
  signers,
  timeline,
} from "./approvals";
import { amendment, customer, history, lawyer, manager, signature, version } from "./fixtures";

describe("timeline", () => {
  it("orders versions and amendments oldest first, an enacted amendment with its version", () => {
    const h = history({
      status: "in_force",
      in_force: 2,
      versions: [
        version(2, "in_force", { amendment: 1, signatures: [signature(manager, 2, { amendment: 1 })] }),
        version(1, "superseded", { signatures: [signature(manager, 1), signature(lawyer, 1)] }),
      ],
      amendments: [
        amendment(3, { base_version: 2, target_version: 3, state: "open" }),
        amendment(1, { state: "enacted", missing_roles: [] }),
        amendment(2, { state: "superseded", base_version: 1, target_version: 2 }),
      ],
    });
    const items = timeline(h);
    expect(items.map((i) => `${i.key.split(":")[0]}:${i.state}`)).toEqual([
      "v1:superseded",
      "a2:superseded",
      "v2:in_force",
      "a3:in_review",
    ]);
    const v2 = items[2]!;
    expect(v2.kind === "version" && v2.amendment?.number).toBe(1);
  });

  it("keeps two concurrent proposals with one number apart", () => {
    const h = history({
      status: "in_force",
      in_force: 1,
      versions: [version(1, "in_force")],
      amendments: [
        amendment(1, { content_hash: "a".repeat(64), state: "open" }),
        amendment(1, { content_hash: "b".repeat(64), state: "open" }),
      ],
    });
    const keys = timeline(h).map((i) => i.key);
    expect(new Set(keys).size, "every item of the timeline has its own key, as Svelte's keyed list needs").toBe(
      keys.length,
    );
    expect(keys.filter((k) => k.startsWith("a1:"))).toHaveLength(2);
  });

  it("calls the newest pending version 'in review' only while approval is requested", () => {
    const versions = [version(1, "unapproved"), version(2, "pending")];
    expect(timeline(history({ status: "in_review", versions })).map((i) => i.state)).toEqual(["unapproved", "in_review"]);
    expect(timeline(history({ status: "draft", versions })).map((i) => i.state)).toEqual(["unapproved", "draft"]);
  });

  it("offers a request only for a frozen, undecided version of a draft", () => {
    expect(canRequestApproval(history())).toBe(false);
    expect(canRequestApproval(history({ versions: [version(1, "pending")] }))).toBe(true);
    expect(canRequestApproval(history({ status: "in_review", versions: [version(1, "pending")] }))).toBe(false);
    expect(canRequestApproval(history({ versions: [version(1, "rejected")] }))).toBe(false);
  });

  it("lets the policy change only before the first signature", () => {
    expect(policyEditable(history({ versions: [version(1, "pending")] }))).toBe(true);
    expect(
      policyEditable(history({ status: "in_review", versions: [version(1, "pending", { signatures: [signature(manager, 1)] })] })),
    ).toBe(false);
    expect(policyEditable(history({ status: "in_force", in_force: 1, versions: [version(1, "in_force")] }))).toBe(false);
  });

  it("finds the own identities a policy lets sign", () => {
    expect(signers([manager, lawyer, customer], ["legal_reviewer", "customer_representative"])).toEqual([lawyer]);
  });
});

describe("passphrases", () => {
  it("branches on the error code, not the message", () => {
    expect(passphraseProblem({ code: "wrong_passphrase", message: "x", problems: [], key_conflict: null })).toEqual({
      key: "approvals.passphrase.wrong",
      retry: true,
    });
    expect(passphraseProblem({ code: "key_damaged", message: "wrong passphrase?", problems: [], key_conflict: null })).toEqual({
      key: "approvals.passphrase.damaged",
      retry: false,
    });
    expect(passphraseProblem({ code: "not_allowed", message: "wrong_passphrase", problems: [], key_conflict: null })).toBeNull();
  });

  it("hints at strength by length and variety", () => {
    expect(passphraseStrength("")).toBe("short");
    expect(passphraseStrength("abc1234")).toBe("short");
    expect(passphraseStrength("abcdefgh")).toBe("weak");
    expect(passphraseStrength("abcdefgh1!")).toBe("fair");
    expect(passphraseStrength("correct horse battery staple")).toBe("strong");
  });
});

describe("findings in words", () => {
  it("says what and where in the UI language", () => {
    const finding = {
      code: "content_hash_mismatch" as const,
      version: 2,
      amendment: null,
      signature: null,
      field: "content",
      message: "version 2: stored content hashes to …",
    };
    expect(findingText(finding)).toBe("Version 2, field content: the stored content was changed after it was frozen");
    setLocale("de");
    expect(findingText(finding)).toBe("Version 2, Feld content: der gespeicherte Inhalt wurde nach dem Einfrieren verändert");
  });
});

describe("file names", () => {
  it("keeps letters and digits of the title", () => {
    expect(fileName("Kundendienst Müller 2025", "history")).toBe("kundendienst-muller-2025-history.json");
    expect(fileName("…", "answer")).toBe("pactum-answer.json");
  });
});
