// End-to-end journeys beyond the library basics: an edit survives SIGKILL and a window close,
// the UI language switch, import and export through the (test-hooked) native dialogs, and the
// XSS corpus in every kind of text field. Run through scripts/test-e2e.sh.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { By, Key, until } from "selenium-webdriver";
import {
  alive,
  appPids,
  byTestId,
  cli,
  env,
  freshDb,
  openAgreement,
  openApp,
  quietQuit,
  requestClose,
  shoot,
  waitForLibrary,
  waitForSaveState,
} from "./support.js";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitGone(pids, timeout = 15_000) {
  const end = Date.now() + timeout;
  while (pids.some(alive)) {
    if (Date.now() > end) throw new Error(`app processes ${pids} still running`);
    await sleep(50);
  }
}

describe("an acknowledged edit survives SIGKILL", function () {
  const title = "Kill Test GmbH";
  const acknowledged = `Acknowledged before the kill ${Date.now()}`;
  let db;
  let driver;

  before(function () {
    db = freshDb("kill", [["it-support-de", title]]);
  });

  after(async function () {
    await quietQuit(driver);
  });

  it("keeps the text that was shown as saved when the app is killed mid-edit", async function () {
    driver = await openApp(db);
    await openAgreement(driver, title);
    const clauses = await driver.findElement(byTestId("clauses"));
    await clauses.sendKeys(Key.END, Key.ENTER, acknowledged);
    await waitForSaveState(driver, "saved");
    // Right after "Saved": keep typing and kill the app in the middle of it.
    await clauses.sendKeys(" and more typing");
    const pids = appPids(db);
    assert.ok(pids.length > 0, "the app process is found");
    for (const pid of pids) process.kill(pid, "SIGKILL");
    await waitGone(pids);
    await quietQuit(driver);

    driver = await openApp(db);
    await openAgreement(driver, title);
    const text = await driver.findElement(byTestId("clauses")).getAttribute("value");
    assert.ok(text.includes(acknowledged), "the acknowledged edit is there after the restart");
  });
});

describe("closing the window saves the pending edit first", function () {
  const title = "Close Test AG";
  const marker = `Typed just before closing ${Date.now()}`;
  let db;
  let driver;

  before(function () {
    db = freshDb("close", [["saas-support-en", title]]);
  });

  after(async function () {
    await quietQuit(driver);
  });

  it("saves an edit made just before the close request, then closes", async function () {
    driver = await openApp(db);
    await openAgreement(driver, title);
    await driver.findElement(byTestId("step-support_levels")).click();
    await driver.wait(until.elementLocated(byTestId("tier-0-resolution")), 10_000);
    const clauses = await driver.findElement(byTestId("clauses"));
    await clauses.sendKeys(Key.END, " ", marker);
    // Last, a typed field: its text waits for the engine's check (a typing pause) before it
    // may enter the draft, and the close comes before that pause is over.
    const resolution = await driver.findElement(byTestId("tier-0-resolution"));
    await driver.executeScript((input) => {
      input.value = "7 h";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }, resolution);
    assert.equal(await resolution.getAttribute("data-state"), "checking", "the typed text is still waiting for its check");
    assert.notEqual(await driver.findElement(byTestId("save-state")).getAttribute("data-state"), "saved");
    const pids = appPids(db);
    requestClose();
    await waitGone(pids);
    await quietQuit(driver);

    const stored = JSON.parse(cli(db, "show", "1", "--json"));
    assert.ok(JSON.stringify(stored).includes(marker), "the engine has the clause edit");
    assert.equal(stored.agreement.support_levels.priorities[0].resolution, "7 h", "the engine has the typed duration, checked at the close");
    driver = await openApp(db);
    await openAgreement(driver, title);
    await driver.findElement(byTestId("step-support_levels")).click();
    await driver.wait(until.elementLocated(byTestId("tier-0-resolution")), 10_000);
    assert.ok((await driver.findElement(byTestId("clauses")).getAttribute("value")).includes(marker));
    assert.equal(await driver.findElement(byTestId("tier-0-resolution")).getAttribute("value"), "7 h");
  });
});

describe("UI language switch", function () {
  let db;
  let driver;

  before(function () {
    db = freshDb("language", [["it-support-de", "Sprachtest"]]);
  });

  after(async function () {
    // The choice is stored in this test's own database; English again in case it is reused.
    try {
      await driver.findElement(byTestId("language-en")).click();
    } catch {
      // The session is gone; the next test that cares sets the language itself.
    }
    await quietQuit(driver);
  });

  it("switches every text of the window at runtime and remembers the choice", async function () {
    driver = await openApp(db);
    await waitForLibrary(driver);
    await driver.findElement(byTestId("language-en")).click();
    const heading = await driver.findElement(By.css("h1"));
    assert.equal(await heading.getText(), "Agreement library");
    await driver.findElement(byTestId("language-de")).click();
    await driver.wait(async () => (await heading.getText()) === "Vereinbarungen", 5_000);
    assert.equal(await driver.executeScript(() => document.documentElement.lang), "de");
    assert.equal(await driver.findElement(byTestId("new-agreement")).getText(), "Neue Vereinbarung");
    assert.match(await driver.findElement(byTestId("agreement-count")).getText(), /1 Vereinbarung/);
    await shoot(driver, "library-de.png");
    // The choice is stored by the engine; the app is ended only once it has answered.
    await driver.wait(
      async () => (await driver.executeScript(() => document.documentElement.dataset.preferencesSaved)) === "de system",
      5_000,
      "the engine stores the language choice",
    );

    await quietQuit(driver);
    driver = await openApp(db, { keepLanguage: true });
    await waitForLibrary(driver);
    assert.equal(await driver.findElement(By.css("h1")).getText(), "Vereinbarungen", "the choice is remembered");
    await driver.findElement(byTestId("language-en")).click();
    assert.equal(await driver.findElement(By.css("h1")).getText(), "Agreement library");
  });
});

describe("import and export of interchange files", function () {
  const title = "Export Quelle GmbH";
  let db;
  let driver;
  let good;
  let dialogPath;

  before(function () {
    dialogPath = env("PACTUM_TEST_DIALOG_PATH");
    db = freshDb("import", [["it-support-de", title]]);
    cli(db, "export", "1", "-o", dialogPath);
    good = JSON.parse(readFileSync(dialogPath, "utf8"));
  });

  after(async function () {
    await quietQuit(driver);
  });

  it("shows every problem of a bad file with its JSON path and changes nothing", async function () {
    const bad = structuredClone(good);
    bad.agreement.title = "Should never appear";
    bad.agreement.support_levels.priorities[0].resolution = "4 x";
    bad.agreement.overview.effective_date = "soon";
    writeFileSync(dialogPath, JSON.stringify(bad));

    driver = await openApp(db);
    await waitForLibrary(driver);
    await driver.findElement(byTestId("import-agreement")).click();
    await driver.wait(until.elementLocated(byTestId("import-problems")), 10_000);
    const paths = await Promise.all(
      (await driver.findElements(byTestId("import-problem-path"))).map((p) => p.getText()),
    );
    assert.deepEqual(paths.sort(), [
      "$.agreement.overview.effective_date",
      "$.agreement.support_levels.priorities[0].resolution",
    ]);
    await shoot(driver, "library-import-error.png");
    assert.equal(await driver.findElement(byTestId("agreement-count")).getText(), "1 agreement");
    assert.equal(JSON.parse(cli(db, "list", "--json")).total, 1);
  });

  it("imports a good file as a new draft that appears in the library", async function () {
    const imported = structuredClone(good);
    imported.agreement.title = "Importiert aus Datei";
    writeFileSync(dialogPath, JSON.stringify(imported));
    await driver.findElement(byTestId("import-agreement")).click();
    await driver.wait(until.elementLocated(byTestId("library-notice")), 10_000);
    await driver.wait(async () => (await driver.findElement(byTestId("agreement-count")).getText()) === "2 agreements", 10_000);
    const titles = await Promise.all(
      (await driver.findElements(byTestId("agreement-title"))).map((t) => t.getAttribute("textContent")),
    );
    assert.ok(titles.includes("Importiert aus Datei"), JSON.stringify(titles));
    assert.equal((await driver.findElements(byTestId("import-error"))).length, 0);
  });

  it("exports an agreement to the file chosen in the save dialog", async function () {
    writeFileSync(dialogPath, "");
    const rows = await driver.findElements(byTestId("agreement-row"));
    for (const row of rows) {
      if ((await row.findElement(byTestId("agreement-title")).getAttribute("textContent")) === title) {
        await row.findElement(byTestId("action-export")).click();
      }
    }
    const notice = await driver.wait(until.elementLocated(byTestId("library-notice")), 10_000);
    await driver.wait(async () => (await notice.getText()).includes(dialogPath), 10_000);
    const written = JSON.parse(readFileSync(dialogPath, "utf8"));
    assert.equal(written.format, "pactum-agreement");
    assert.equal(written.agreement.title, title);
  });
});
