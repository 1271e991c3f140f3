// End-to-end test of the signing workflow in the real window: two identities (a service manager
// and a legal reviewer) are created in Settings → Identities; an agreement made from a template
// is frozen, put up for approval and signed by both from the approvals inbox (one wrong
// passphrase first) so it comes into force with a green verification badge; then a target is
// changed in the editor, the draft is proposed as an amendment, the review shows the changed
// term, both approve, and version 2 is in force with version 1 superseded. Also exports and
// re-imports the signed history (and refuses a tampered copy). Saves
// docs/screenshots/amendment-review.png and timeline.png. Then the same across two databases
// ("machines"): the manager on A and the legal reviewer on B exchange identity cards and
// exchange files (history, answers, an amendment) through the app's import and export buttons;
// saves docs/screenshots/identities.png on B. Run through scripts/test-e2e.sh
// (PACTUM_E2E_TESTS=approval.test.js).
//
// The identities use the engine's production key-derivation parameters (Argon2id, 64 MiB):
// the engine offers no faster test setting to the app, so each signature takes a moment.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { By, Key, until } from "selenium-webdriver";
import { byTestId, env, freshDb, openApp, waitForLibrary, waitForSaveState } from "./support.js";

const title = "Approval Journey Northwind";
const manager = { name: "Maria Manager", organisation: "Example Cloud Ltd", role: "service_manager", passphrase: "maria signs carefully 1" };
const lawyer = { name: "Lena Legal", organisation: "Example Cloud Ltd", role: "legal_reviewer", passphrase: "lena reads every clause 2" };
const SIGNING = 60_000;

/** The WebDriver session of the test running now (each describe opens and quits its own). */
let driver;

const text = async (id) => (await driver.wait(until.elementLocated(byTestId(id)), 20_000)).getAttribute("textContent");

/** Enters `passphrase` in the open passphrase dialog (choosing `signer` when asked) and confirms. */
async function signInDialog(passphrase, signer = null) {
  const dialog = await driver.wait(until.elementLocated(byTestId("passphrase-dialog")), 20_000);
  if (signer !== null) {
    const select = await dialog.findElements(byTestId("signer-select"));
    if (select.length > 0) {
      await select[0].findElement(By.xpath(`.//option[contains(., "${signer}")]`)).click();
    }
  }
  const input = await dialog.findElement(byTestId("passphrase"));
  await input.clear();
  await input.sendKeys(passphrase);
  await dialog.findElement(byTestId("passphrase-confirm")).click();
  return dialog;
}

/** Saves a screenshot once two in a row agree: the webview sometimes hands out a frame painted
 *  before the last navigation. */
async function steadyShot(name) {
  await driver.executeScript(() => window.scrollTo(0, 0));
  // Make the webview paint the whole page again (a change of opacity, then back).
  await driver.executeAsyncScript((done) => {
    const root = document.documentElement;
    root.style.opacity = "0.99";
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        root.style.opacity = "";
        requestAnimationFrame(() => done());
      }),
    );
  });
  let previous = "";
  for (let attempt = 0; attempt < 10; attempt += 1) {
    await driver.sleep(300);
    const png = await driver.takeScreenshot();
    if (png === previous) break;
    previous = png;
  }
  writeFileSync(join(env("PACTUM_SCREENSHOTS"), name), Buffer.from(previous, "base64"));
}

async function waitGone(id, timeout = SIGNING) {
  await driver.wait(async () => (await driver.findElements(byTestId(id))).length === 0, timeout);
}

async function createIdentity(person) {
  const form = await driver.wait(until.elementLocated(byTestId("identity-form")), 20_000);
  await form.findElement(byTestId("identity-name-input")).sendKeys(person.name);
  await form.findElement(byTestId("identity-organisation")).sendKeys(person.organisation);
  await form.findElement(By.css(`[data-testid="identity-role"] option[value="${person.role}"]`)).click();
  await form.findElement(byTestId("identity-email")).sendKeys(`${person.name.split(" ")[0].toLowerCase()}@example.com`);
  await form.findElement(byTestId("identity-passphrase")).sendKeys(person.passphrase);
  await form.findElement(byTestId("identity-repeat")).sendKeys(person.passphrase);
  await form.findElement(byTestId("identity-create")).click();
  await waitGone("identity-form");
  await driver.wait(async () => {
    const names = await driver.findElements(byTestId("identity-name"));
    const texts = await Promise.all(names.map((n) => n.getAttribute("textContent")));
    return texts.includes(person.name);
  }, 20_000);
}

describe("signing workflow: two identities bring a version into force, then an amendment", function () {
  let oldTarget = "";
  let newTarget = "";

  before(async function () {
    driver = await openApp(freshDb("approval", [["it-support-de", "Other agreement"]]));
    await waitForLibrary(driver);
  });

  after(async function () {
    await driver?.quit();
    driver = undefined;
  });

  it("creates a service manager and a legal reviewer in Settings → Identities", async function () {
    await driver.findElement(byTestId("nav-identities")).click();
    await createIdentity(manager);
    await driver.findElement(byTestId("identity-new")).click();
    await createIdentity(lawyer);
    const own = await driver.findElements(byTestId("own-identity"));
    const roles = await Promise.all(own.map((o) => o.getAttribute("data-role")));
    assert.deepEqual(roles.sort(), ["legal_reviewer", "service_manager"]);
    assert.equal(own.length, 2);
    // Fingerprints are shown in eight groups of four for reading aloud.
    const groups = await own[0].findElements(By.css('[data-testid="fingerprint"] .group'));
    assert.equal(groups.length, 8);
    assert.match(await groups[0].getText(), /^[0-9A-F]{4}$/);

    // Exporting a card writes the public card where the (test-hooked) save dialog says.
    await own[0].findElement(byTestId("export-card")).click();
    await driver.wait(until.elementLocated(byTestId("identities-message")), 20_000);
    const card = JSON.parse(readFileSync(env("PACTUM_TEST_DIALOG_PATH"), "utf8"));
    assert.equal(card.format, "pactum-identity");
    assert.ok(!JSON.stringify(card).includes(manager.passphrase), "no passphrase in the card");
  });

  it("creates an agreement from a template, freezes it and requests approval", async function () {
    await driver.findElement(byTestId("nav-library")).click();
    await waitForLibrary(driver);
    await driver.findElement(byTestId("new-agreement")).click();
    const dialog = await driver.wait(until.elementLocated(By.css('[role="dialog"]')), 10_000);
    await driver.wait(until.elementLocated(By.css('input[value="saas-support-en"]')), 10_000).click();
    await dialog.findElement(byTestId("new-agreement-title")).sendKeys(title);
    await dialog.findElement(byTestId("new-agreement-create")).click();
    await driver.wait(async () => (await text("editor-title")) === title, 20_000);
    await driver.wait(until.elementLocated(By.css('[data-testid="findings"][data-ready="true"]')), 20_000);

    await driver.findElement(byTestId("freeze-note")).sendKeys("For signature");
    await driver.findElement(byTestId("freeze")).click();
    await driver.wait(until.elementLocated(byTestId("versions")), 20_000);
    const request = await driver.wait(until.elementLocated(By.css('[data-testid="approval-panel"] [data-testid="request-approval"]')), 20_000);
    await request.click();
    await driver.wait(until.elementLocated(By.css('[data-testid="approval-panel"][data-status="in_review"]')), 20_000);
  });

  it("signs as both roles from the approvals inbox; a wrong passphrase is refused first", async function () {
    await driver.findElement(byTestId("nav-inbox")).click();
    await driver.wait(async () => (await driver.findElements(byTestId("pending-item"))).length === 2, 20_000);

    for (const index of [0, 1]) {
      const items = await driver.findElements(byTestId("pending-item"));
      assert.equal(items.length, 2 - index);
      await items[0].findElement(byTestId("pending-review")).click();
      const summary = await driver.wait(until.elementLocated(byTestId("summary-title")), 20_000);
      assert.equal(await summary.getText(), title);
      await driver.findElement(byTestId("inbox-sign")).click();
      // Whose turn it is: the dialog names the signer.
      const who = await (await driver.wait(until.elementLocated(byTestId("signer")), 10_000)).getText();
      const signer = who.includes(manager.name) ? manager : lawyer;
      if (index === 0) {
        const dialog = await signInDialog("not the passphrase");
        const problem = await driver.wait(until.elementLocated(byTestId("passphrase-problem")), SIGNING);
        assert.match(await problem.getText(), /not right/);
        assert.equal(await dialog.findElement(byTestId("passphrase")).getAttribute("value"), "");
      }
      await signInDialog(signer.passphrase);
      await waitGone("passphrase-dialog");
      await driver.wait(until.elementLocated(byTestId("decision-outcome")), 20_000);
    }
    assert.match(await text("decision-outcome"), /Version 1 is now in force/);
    await driver.wait(until.elementLocated(byTestId("inbox-empty")), 20_000);
  });

  it("shows version 1 in force with both signers and a green badge in the history", async function () {
    await driver.findElement(byTestId("nav-library")).click();
    await waitForLibrary(driver);
    await driver.findElement(By.xpath(`//button[@data-testid="agreement-title" and text()="${title}"]`)).click();
    await driver.wait(until.elementLocated(By.css('[data-testid="approval-panel"][data-status="in_force"]')), 20_000);
    await driver.findElement(By.css('[data-testid="approval-panel"] [data-testid="open-history"]')).click();
    const item = await driver.wait(until.elementLocated(byTestId("timeline-item")), 20_000);
    assert.equal(await item.getAttribute("data-state"), "in_force");
    const roles = await Promise.all((await item.findElements(byTestId("signature"))).map((s) => s.getAttribute("data-role")));
    assert.deepEqual(roles.sort(), ["legal_reviewer", "service_manager"]);
    await driver.wait(until.elementLocated(By.css('[data-testid="verification-badge"][data-state="verified"]')), 20_000);
  });

  it("exports a PDF of version 1 carrying the manager's PAdES signature that pdfsig accepts", async function () {
    const item = await driver.wait(until.elementLocated(byTestId("timeline-item")), 20_000);
    await item.findElement(byTestId("signed-pdf")).click();
    await signInDialog(manager.passphrase, manager.name);
    await waitGone("passphrase-dialog", SIGNING);
    await driver.wait(until.elementLocated(byTestId("signed-pdf-saved")), 20_000);
    const pdf = env("PACTUM_TEST_DIALOG_PATH");
    assert.equal(readFileSync(pdf).subarray(0, 5).toString(), "%PDF-", "the hooked save path holds the PDF");
    const report = spawnSync("pdfsig", [pdf], { encoding: "utf8" });
    assert.match(report.stdout, /Signature is Valid\./, `pdfsig must accept the app's signature:\n${report.stdout}${report.stderr}`);
    assert.match(report.stdout, /Maria Manager/, "the certificate names the signer");
  });

  it("exports the signed history and importing it again changes nothing", async function () {
    await driver.findElement(byTestId("bundle-export-history")).click();
    await signInDialog(manager.passphrase, manager.name);
    await waitGone("passphrase-dialog");
    await driver.wait(until.elementLocated(byTestId("bundle-exported")), 20_000);
    const bundle = readFileSync(env("PACTUM_TEST_DIALOG_PATH"), "utf8");
    assert.match(bundle, /"kind":\s*"history"/);
    await driver.findElement(byTestId("bundle-import")).click();
    const imported = await driver.wait(until.elementLocated(byTestId("bundle-imported")), 20_000);
    assert.equal(await imported.getAttribute("data-changed"), "false");
  });

  it("refuses a tampered exchange file and says why", async function () {
    const path = env("PACTUM_TEST_DIALOG_PATH");
    const bundle = JSON.parse(readFileSync(path, "utf8"));
    bundle.versions[0].note = "Changed after signing";
    writeFileSync(path, JSON.stringify(bundle, null, 2));
    await driver.findElement(byTestId("bundle-import")).click();
    const error = await driver.wait(until.elementLocated(byTestId("bundle-error")), 20_000);
    const code = await error.findElement(byTestId("error-code")).getText();
    assert.match(code, /bundle_invalid|signature_invalid|verification_failed/);
    assert.ok((await error.getText()).length > 40, "the refusal says why");
    await driver.wait(until.elementLocated(By.css('[data-testid="verification-badge"][data-state="verified"]')), 20_000);
  });

  it("proposes the edited draft as an amendment; the review shows the changed term", async function () {
    // Back to the editor, change P1's resolution target.
    await driver.findElement(By.xpath("//button[contains(., '←')]")).click();
    await driver.wait(until.elementLocated(byTestId("step-support_levels")), 20_000).click();
    const resolution = await driver.wait(until.elementLocated(byTestId("tier-0-resolution")), 20_000);
    oldTarget = await resolution.getAttribute("value");
    newTarget = oldTarget === "2 h" ? "3 h" : "2 h";
    await resolution.clear();
    await resolution.sendKeys(newTarget, Key.TAB);
    await waitForSaveState(driver, "saved");

    await driver.findElement(byTestId("propose-amendment")).click();
    const dialog = await driver.wait(until.elementLocated(byTestId("propose-dialog")), 10_000);
    await dialog.findElement(byTestId("propose-reason")).sendKeys("Faster resolution for P1 incidents");
    await dialog.findElement(byTestId("propose-submit")).click();

    await driver.wait(until.elementLocated(byTestId("amendment-review")), 20_000);
    assert.equal(await text("amendment-reason"), "Faster resolution for P1 incidents");
    await driver.wait(until.elementLocated(byTestId("amendment-term")), 20_000);
    const rows = await driver.findElements(byTestId("amendment-term"));
    const texts = await Promise.all(rows.map((row) => row.getText()));
    assert.ok(
      texts.some((t) => t.includes(oldTarget) && t.includes(newTarget)),
      `a changed term ${oldTarget} → ${newTarget} in ${JSON.stringify(texts)}`,
    );
    // Redline and changed terms sit side by side.
    const layout = await driver.executeScript(() => {
      const a = document.querySelector('[data-testid="amendment-redline"]')?.getBoundingClientRect();
      const b = document.querySelector('[data-testid="amendment-terms"]')?.getBoundingClientRect();
      return a && b ? { sameRow: Math.abs(a.top - b.top) < 2, leftFirst: a.right <= b.left } : null;
    });
    assert.deepEqual(layout, { sameRow: true, leftFirst: true });
    await steadyShot("amendment-review.png");
  });

  it("both approve: version 2 comes into force and version 1 is superseded", async function () {
    await driver.findElement(byTestId("approve-amendment")).click();
    await signInDialog(manager.passphrase, manager.name);
    await waitGone("passphrase-dialog");
    await driver.wait(async () => /more role/.test(await text("decision-outcome")), 20_000);

    await driver.findElement(byTestId("approve-amendment")).click();
    await signInDialog(lawyer.passphrase, lawyer.name);
    await waitGone("passphrase-dialog");
    await driver.wait(async () => /Version 2 is now in force/.test(await text("decision-outcome")), 20_000);
    await driver.wait(until.elementLocated(By.css('[data-testid="amendment-state"][data-state="enacted"]')), 20_000);

    await driver.findElement(byTestId("open-history")).click();
    await driver.wait(async () => (await driver.findElements(byTestId("timeline-item"))).length === 2, 20_000);
    const items = await driver.findElements(byTestId("timeline-item"));
    const states = await Promise.all(items.map((i) => i.getAttribute("data-state")));
    assert.deepEqual(states, ["superseded", "in_force"]);
    assert.match(await items[1].getText(), /Faster resolution for P1 incidents/);
    await driver.wait(until.elementLocated(By.css('[data-testid="verification-badge"][data-state="verified"]')), 20_000);
    await steadyShot("timeline.png");
  });
});

// ---------------------------------------------------------------- two machines

/** What the test-hooked file dialogs read and write. */
const dialogFile = () => env("PACTUM_TEST_DIALOG_PATH");

/** Clicks `testid` (an export) and returns what was written to the dialog's file. */
async function exportFile(testid, passphrase = null) {
  writeFileSync(dialogFile(), "");
  await driver.wait(until.elementLocated(byTestId(testid)), 20_000).click();
  if (passphrase !== null) {
    await signInDialog(passphrase);
    await waitGone("passphrase-dialog");
  }
  await driver.wait(() => readFileSync(dialogFile(), "utf8") !== "", 20_000);
  return readFileSync(dialogFile(), "utf8");
}

/** Offers `content` to the next open dialog and clicks `testid` (an import). */
async function importFile(testid, content) {
  writeFileSync(dialogFile(), content);
  await driver.findElement(byTestId(testid)).click();
}

async function onMachine(db) {
  await driver?.quit();
  driver = await openApp(db);
  await waitForLibrary(driver);
}

async function openHistoryOf(agreementTitle) {
  await driver.findElement(byTestId("nav-library")).click();
  await waitForLibrary(driver);
  await driver.findElement(By.xpath(`//button[@data-testid="agreement-title" and text()="${agreementTitle}"]`)).click();
  await driver.wait(until.elementLocated(By.css('[data-testid="approval-panel"][data-status]')), 20_000);
  await driver.findElement(By.css('[data-testid="approval-panel"] [data-testid="open-history"]')).click();
  await driver.wait(until.elementLocated(byTestId("timeline")), 20_000);
}

describe("two machines: the manager on A, the legal reviewer on B, exchanging files", function () {
  const shared = "Two Machines Contoso";
  let a;
  let b;

  before(function () {
    a = freshDb("machine-a", [["it-support-de", "Only on A"]]);
    b = freshDb("machine-b", [["it-support-de", "Only on B"]]);
  });

  after(async function () {
    await driver?.quit();
    driver = undefined;
  });

  it("each creates an identity and imports the other's card", async function () {
    await onMachine(a);
    await driver.findElement(byTestId("nav-identities")).click();
    await createIdentity(manager);
    const cardA = await exportFile("export-card");

    await onMachine(b);
    await driver.findElement(byTestId("nav-identities")).click();
    await createIdentity(lawyer);
    const cardB = await exportFile("export-card");
    await importFile("import-card", cardA);
    const trusted = await driver.wait(until.elementLocated(byTestId("trusted-identity")), 20_000);
    assert.match(await trusted.getText(), new RegExp(manager.name));
    assert.equal(await trusted.getAttribute("data-trusted"), "true");
    await steadyShot("identities.png");

    await onMachine(a);
    await driver.findElement(byTestId("nav-identities")).click();
    await driver.wait(until.elementLocated(byTestId("own-identity")), 20_000);
    await importFile("import-card", cardB);
    await driver.wait(until.elementLocated(byTestId("trusted-identity")), 20_000);
  });

  it("A freezes, requests approval, signs and exports the history; B signs it into force", async function () {
    await driver.findElement(byTestId("nav-library")).click();
    await waitForLibrary(driver);
    await driver.findElement(byTestId("new-agreement")).click();
    const dialog = await driver.wait(until.elementLocated(By.css('[role="dialog"]')), 10_000);
    await driver.wait(until.elementLocated(By.css('input[value="saas-support-en"]')), 10_000).click();
    await dialog.findElement(byTestId("new-agreement-title")).sendKeys(shared);
    await dialog.findElement(byTestId("new-agreement-create")).click();
    await driver.wait(async () => (await text("editor-title")) === shared, 20_000);
    await driver.findElement(byTestId("freeze-note")).sendKeys("For both parties");
    await driver.findElement(byTestId("freeze")).click();
    await driver.wait(until.elementLocated(By.css('[data-testid="approval-panel"] [data-testid="request-approval"]')), 20_000).click();
    await driver.wait(until.elementLocated(By.css('[data-testid="approval-panel"][data-status="in_review"]')), 20_000);

    await driver.findElement(byTestId("nav-inbox")).click();
    await driver.wait(until.elementLocated(byTestId("pending-review")), 20_000).click();
    await driver.wait(until.elementLocated(byTestId("inbox-sign")), 20_000).click();
    await signInDialog(manager.passphrase);
    await waitGone("passphrase-dialog");
    assert.match(await text("decision-outcome"), /1 more role/);

    await openHistoryOf(shared);
    const history = await exportFile("bundle-export-history", manager.passphrase);

    // B: the history arrives in the inbox; the legal reviewer signs it into force.
    await onMachine(b);
    await driver.findElement(byTestId("nav-inbox")).click();
    await importFile("bundle-import", history);
    const imported = await driver.wait(until.elementLocated(byTestId("bundle-imported")), 20_000);
    assert.equal(await imported.getAttribute("data-changed"), "true");
    const item = await driver.wait(until.elementLocated(byTestId("pending-item")), 20_000);
    assert.equal(await item.findElement(byTestId("pending-title")).getText(), shared);
    await item.findElement(byTestId("pending-review")).click();
    await driver.wait(until.elementLocated(byTestId("inbox-sign")), 20_000).click();
    await signInDialog(lawyer.passphrase);
    await waitGone("passphrase-dialog");
    assert.match(await text("decision-outcome"), /Version 1 is now in force/);
  });

  it("B's answer brings version 1 into force on A, verified on both", async function () {
    await openHistoryOf(shared);
    await driver.wait(until.elementLocated(By.css('[data-testid="verification-badge"][data-state="verified"]')), 20_000);
    const answer = await exportFile("bundle-export-answer", lawyer.passphrase);

    await onMachine(a);
    await openHistoryOf(shared);
    assert.equal(await driver.findElement(byTestId("timeline-item")).getAttribute("data-state"), "in_review");
    await importFile("bundle-import", answer);
    const imported = await driver.wait(until.elementLocated(byTestId("bundle-imported")), 20_000);
    assert.match(await imported.getText(), /In force now: version 1/);
    await driver.wait(async () => (await driver.findElement(byTestId("timeline-item")).getAttribute("data-state")) === "in_force", 20_000);
    await driver.wait(until.elementLocated(By.css('[data-testid="verification-badge"][data-state="verified"]')), 20_000);
    const roles = await Promise.all(
      (await driver.findElements(byTestId("signature"))).map((s) => s.getAttribute("data-role")),
    );
    assert.deepEqual(roles.sort(), ["legal_reviewer", "service_manager"]);
  });

  it("an amendment proposed and approved on A is approved on B and comes into force on both", async function () {
    // A: change a target, propose (signed by the manager) and approve.
    await driver.findElement(By.xpath("//button[contains(., '←')]")).click();
    await driver.wait(until.elementLocated(byTestId("step-support_levels")), 20_000).click();
    const resolution = await driver.wait(until.elementLocated(byTestId("tier-0-resolution")), 20_000);
    const target = (await resolution.getAttribute("value")) === "2 h" ? "3 h" : "2 h";
    await resolution.clear();
    await resolution.sendKeys(target, Key.TAB);
    await waitForSaveState(driver, "saved");
    await driver.findElement(byTestId("propose-amendment")).click();
    const dialog = await driver.wait(until.elementLocated(byTestId("propose-dialog")), 10_000);
    await dialog.findElement(byTestId("propose-reason")).sendKeys("Faster P1 resolution, agreed by phone");
    await dialog.findElement(By.xpath(`.//select[@data-testid="propose-signer"]/option[contains(., "${manager.name}")]`)).click();
    await dialog.findElement(byTestId("propose-passphrase")).sendKeys(manager.passphrase);
    await dialog.findElement(byTestId("propose-submit")).click();
    await driver.wait(until.elementLocated(byTestId("approve-amendment")), SIGNING).click();
    await signInDialog(manager.passphrase);
    await waitGone("passphrase-dialog");
    const proposal = await exportFile("bundle-export-amendment", manager.passphrase);

    // B: review the proposal from the inbox and approve it; version 2 is in force on B.
    await onMachine(b);
    await driver.findElement(byTestId("nav-inbox")).click();
    await importFile("bundle-import", proposal);
    await driver.wait(until.elementLocated(By.css('[data-testid="pending-item"][data-kind="amendment"]')), 20_000);
    await driver.findElement(byTestId("pending-review")).click();
    const term = await driver.wait(until.elementLocated(byTestId("amendment-term")), 20_000);
    assert.match(await term.getText(), new RegExp(target));
    assert.match(await text("amendment-reason"), /agreed by phone/);
    await driver.findElement(byTestId("approve-amendment")).click();
    await signInDialog(lawyer.passphrase);
    await waitGone("passphrase-dialog");
    assert.match(await text("decision-outcome"), /Version 2 is now in force/);
    const answer = await exportFile("bundle-export-amendment-answer", lawyer.passphrase);

    // A: the answer enacts version 2; importing it twice changes nothing.
    await onMachine(a);
    await openHistoryOf(shared);
    await importFile("bundle-import", answer);
    assert.match(await (await driver.wait(until.elementLocated(byTestId("bundle-imported")), 20_000)).getText(), /version 2/);
    await driver.wait(async () => (await driver.findElements(byTestId("timeline-item"))).length === 2, 20_000);
    const states = await Promise.all((await driver.findElements(byTestId("timeline-item"))).map((i) => i.getAttribute("data-state")));
    assert.deepEqual(states, ["superseded", "in_force"]);
    await driver.wait(until.elementLocated(By.css('[data-testid="verification-badge"][data-state="verified"]')), 20_000);
    await importFile("bundle-import", answer);
    await driver.wait(
      async () => {
        const shown = await driver.findElements(byTestId("bundle-imported"));
        return shown.length === 1 && (await shown[0].getAttribute("data-changed")) === "false";
      },
      20_000,
    );
  });
});
