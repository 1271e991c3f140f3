// End-to-end test of the real Pactum window: tauri-driver starts the built app (custom
// protocol, the production front end) and WebKitWebDriver drives it. Run it through
// scripts/test-e2e.sh, which builds the app, prepares the databases, starts Xvfb and
// tauri-driver and sets the environment read here.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { By, Key, until } from "selenium-webdriver";
import { openApp } from "./support.js";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run this test through scripts/test-e2e.sh`);
  return value;
};

const byTestId = (id) => By.css(`[data-testid="${id}"]`);

describe("library window with two agreements", function () {
  let driver;

  before(async function () {
    driver = await openApp(env("PACTUM_E2E_DB"));
  });

  after(async function () {
    await driver?.quit();
  });

  it("shows both agreements in the table", async function () {
    await driver.wait(until.elementsLocated(byTestId("agreement-row")), 30_000);
    const cells = await driver.findElements(byTestId("agreement-title"));
    const titles = await Promise.all(cells.map((cell) => cell.getAttribute("textContent")));
    const expected = JSON.parse(env("PACTUM_E2E_TITLES"));
    assert.deepEqual([...titles].sort(), [...expected].sort());
    for (const cell of cells) assert.ok(await cell.isDisplayed(), "title cell is visible");
    assert.equal(await driver.getTitle(), "Pactum");
  });

  it("names the open database in the footer", async function () {
    const path = await driver.wait(until.elementLocated(byTestId("database-path")), 10_000);
    assert.equal(await path.getAttribute("textContent"), env("PACTUM_E2E_DB"));
    const layout = await driver.executeScript(() => ({
      viewport: [window.innerWidth, window.innerHeight],
      footerBottom: document.querySelector("footer")?.getBoundingClientRect().bottom,
    }));
    assert.ok(layout.footerBottom <= layout.viewport[1], `footer inside the window: ${JSON.stringify(layout)}`);
  });

  it("applies the styles under the strict CSP", async function () {
    // The stylesheet is a file ('self'); the completeness bars are sized through the CSSOM.
    const styled = await driver.executeScript(() => {
      const card = document.querySelector('[data-testid="library-scroller"]')?.parentElement;
      const fills = [...document.querySelectorAll('[role="meter"] span span')];
      return {
        radius: card ? getComputedStyle(card).borderTopLeftRadius : "",
        widths: fills.map((fill) => fill.getBoundingClientRect().width),
        values: [...document.querySelectorAll('[role="meter"]')].map((m) => Number(m.getAttribute("aria-valuenow"))),
      };
    });
    assert.equal(styled.radius, "10px");
    styled.values.forEach((value, i) => assert.equal(styled.widths[i] > 0, value > 0, `bar ${i}`));
  });

  it("saves a screenshot of the window", async function () {
    const png = await driver.takeScreenshot();
    writeFileSync(env("PACTUM_SCREENSHOT"), Buffer.from(png, "base64"));
  });
});

describe("library window on a damaged database", function () {
  let driver;

  before(async function () {
    driver = await openApp(env("PACTUM_E2E_DAMAGED_DB"));
  });

  after(async function () {
    await driver?.quit();
  });

  it("says that the file was moved aside and shows the empty library", async function () {
    const notice = await driver.wait(until.elementLocated(byTestId("moved-aside")), 30_000);
    assert.match(await notice.getText(), /\.db/);
    await driver.wait(until.elementLocated(By.css("h2")), 10_000);
    assert.equal(await driver.findElements(byTestId("agreement-row")).then((rows) => rows.length), 0);
  });
});

describe("library window on a database that cannot be opened", function () {
  let driver;

  before(async function () {
    driver = await openApp(env("PACTUM_E2E_UNOPENABLE_DB"));
  });

  after(async function () {
    await driver?.quit();
  });

  it("shows the engine's error instead of failing", async function () {
    const code = await driver.wait(until.elementLocated(byTestId("error-code")), 30_000);
    assert.equal(await code.getText(), "io");
    const message = await driver.findElement(byTestId("error-message")).getText();
    assert.match(message, /cannot create the folder/);
  });
});

describe("editor journey: new agreement from a template, edit, freeze", function () {
  let driver;
  const screenshots = dirname(env("PACTUM_SCREENSHOT"));
  const title = "E2E Journey Contoso";

  const shoot = async (name) => {
    const png = await driver.takeScreenshot();
    writeFileSync(join(screenshots, name), Buffer.from(png, "base64"));
  };

  before(async function () {
    driver = await openApp(env("PACTUM_E2E_DB"));
  });

  after(async function () {
    await driver?.quit();
  });

  it("creates an agreement from a template in the New agreement dialog and opens it", async function () {
    const button = await driver.wait(until.elementLocated(byTestId("new-agreement")), 30_000);
    await driver.wait(until.elementsLocated(byTestId("agreement-row")), 30_000);
    await button.click();
    const dialog = await driver.wait(until.elementLocated(By.css('[role="dialog"]')), 10_000);
    const template = await driver.wait(until.elementLocated(By.css('input[value="saas-support-en"]')), 10_000);
    await template.click();
    const titleInput = await dialog.findElement(byTestId("new-agreement-title"));
    await titleInput.sendKeys(title);
    await driver.wait(async () => (await titleInput.getAttribute("value")) === title, 5_000);
    await driver.sleep(300);
    await shoot("library-new-agreement.png");
    await dialog.findElement(byTestId("new-agreement-create")).click();

    let shown = "";
    await driver.wait(async () => {
      const headings = await driver.findElements(byTestId("editor-title"));
      shown = headings.length > 0 ? await headings[0].getAttribute("textContent") : "";
      return shown === title;
    }, 20_000).catch(() => assert.fail(`editor title is ${JSON.stringify(shown)}, expected ${JSON.stringify(title)}`));
    await driver.wait(until.elementLocated(byTestId("step-overview")), 10_000);
    await driver.wait(until.elementLocated(By.css('[data-testid="findings"][data-ready="true"]')), 10_000);
    await shoot("editor-overview.png");
  });

  it("opens the section of a finding and autosaves clause text through the engine", async function () {
    const findings = await driver.findElements(byTestId("finding"));
    if (findings.length > 0) {
      const section = await driver.executeScript(
        () => document.querySelector('[data-testid="finding"]')?.closest("ul")?.previousElementSibling?.textContent,
      );
      await findings[0].click();
      const heading = await driver.findElement(byTestId("section-heading"));
      assert.equal(await heading.getText(), section);
    }
    await driver.findElement(byTestId("step-support_levels")).click();
    const clauses = await driver.findElement(byTestId("clauses"));
    await clauses.sendKeys(Key.END, Key.ENTER, Key.ENTER, "Severity 1 is worked on around the clock. <script>alert(1)</script>");
    const state = await driver.findElement(byTestId("save-state"));
    await driver.wait(async () => (await state.getAttribute("data-state")) === "saved", 15_000);
    assert.equal(await driver.executeScript(() => document.querySelectorAll("script:not([src])").length), 0);
    await shoot("editor-support-levels.png");
  });

  it("shows the priority-order finding when P1 is resolved more slowly than P2, and clears it when fixed", async function () {
    const orderFinding = By.css('[data-testid="finding"][data-check="priority-order"]');
    assert.equal((await driver.findElements(orderFinding)).length, 0, "no priority-order finding at first");
    const resolution = await driver.findElement(byTestId("tier-0-resolution"));
    const original = await resolution.getAttribute("value");
    await resolution.clear();
    await resolution.sendKeys("20 h");
    await driver.wait(until.elementLocated(orderFinding), 15_000).catch(async (err) => {
      await shoot("editor-finding-failed.png");
      throw err;
    });
    const fieldNote = await driver.wait(until.elementLocated(byTestId("field-finding")), 5_000);
    assert.match(await fieldNote.getText(), /S1|S2/);
    await driver.findElement(orderFinding).click();
    const focused = await driver.executeScript(() => document.activeElement?.getAttribute("data-path"));
    assert.equal(focused, "support_levels.priorities[1].resolution", "the finding focuses the field it names");
    await driver.executeScript(() => document.querySelector('[data-testid="findings"]')?.scrollIntoView());
    await shoot("editor-finding.png");

    await resolution.clear();
    await resolution.sendKeys(original);
    await driver.wait(async () => (await driver.findElements(orderFinding)).length === 0, 15_000);
    const state = await driver.findElement(byTestId("save-state"));
    await driver.wait(async () => (await state.getAttribute("data-state")) === "saved", 15_000);
  });

  it("keeps the saved text when the agreement is opened again", async function () {
    await driver.findElement(By.xpath("//button[contains(., '←')]")).click();
    const cell = await driver.wait(until.elementLocated(By.xpath(`//button[@data-testid="agreement-title" and text()="${title}"]`)), 20_000);
    await cell.click();
    await driver.wait(until.elementLocated(byTestId("step-support_levels")), 20_000).click();
    const clauses = await driver.findElement(byTestId("clauses"));
    assert.match(await clauses.getAttribute("value"), /Severity 1 is worked on around the clock\. <script>alert\(1\)<\/script>$/);
  });

  it("freezes a version with a note and lists it", async function () {
    await driver.findElement(byTestId("freeze-note")).sendKeys("Signed by both parties");
    await driver.findElement(byTestId("freeze")).click();
    const versions = await driver.wait(until.elementLocated(byTestId("versions")), 20_000);
    assert.match(await versions.getText(), /Signed by both parties/);
    await shoot("editor-versions.png");
  });

  it("compares version 1 with the draft after a target changed", async function () {
    const resolution = await driver.findElement(byTestId("tier-0-resolution"));
    const before = await resolution.getAttribute("value");
    const after = before === "2 h" ? "3 h" : "2 h";
    await resolution.clear();
    await resolution.sendKeys(after, Key.TAB);
    // The duration is checked by the engine before it enters the draft.
    await driver.wait(async () => (await resolution.getAttribute("data-state")) === "valid", 10_000);
    const clauses = await driver.findElement(byTestId("clauses"));
    await clauses.sendKeys(Key.END, " Response times count in business hours.");
    // Straight to the comparison: leaving the editor saves the edit first.
    await driver.findElement(byTestId("compare-version-1")).click();
    await driver.wait(until.elementLocated(byTestId("compare-terms")), 20_000);
    const rows = await driver.findElements(byTestId("term-change"));
    const texts = await Promise.all(rows.map((row) => row.getText()));
    const changed = texts.find((text) => text.includes(before) && text.includes(after));
    assert.ok(changed, `a changed term ${before} → ${after} in ${JSON.stringify(texts)}`);
    assert.match(changed, /›/);
    // Both marks exist and are more than colour: underline and strike-through.
    const marks = await driver.executeScript(() => ({
      ins: getComputedStyle(document.querySelector('[data-testid="compare-terms"] ins')).textDecorationLine,
      del: getComputedStyle(document.querySelector('[data-testid="compare-terms"] del')).textDecorationLine,
    }));
    assert.deepEqual(marks, { ins: "underline", del: "line-through" });
    const redline = await driver.findElement(byTestId("redline-support_levels"));
    const inserted = await Promise.all((await redline.findElements(By.css("ins"))).map((e) => e.getText()));
    assert.match(inserted.join(" "), /business hours/, "the added sentence is marked as inserted");
    assert.match(await redline.getText(), /Response times count in business hours\./);
    await driver.sleep(300);
    await shoot("compare.png");
  });

  it("opens version 1 read-only: text only, no inputs", async function () {
    await driver.findElement(By.xpath("//button[contains(., '←')]")).click();
    await driver.wait(until.elementLocated(byTestId("open-version-1")), 20_000).click();
    const view = await driver.wait(until.elementLocated(byTestId("version-view")), 20_000);
    await driver.wait(until.elementLocated(byTestId("version-section-amendments")), 20_000);
    assert.equal((await view.findElements(By.css("input, textarea, select, [contenteditable]"))).length, 0);
    assert.match(await driver.findElement(byTestId("version-readonly")).getText(), /Signed by both parties/);
    const clauses = await driver.findElement(byTestId("version-clauses-support_levels")).getText();
    assert.match(clauses, /Severity 1 is worked on around the clock\. <script>alert\(1\)<\/script>/);
    await driver.sleep(300);
    await shoot("version-readonly.png");
  });

  it("takes a screenshot of every editor section", async function () {
    await driver.findElement(By.xpath("//button[contains(., '←')]")).click();
    const sections = [
      "overview", "service_standards", "support_levels", "channels", "departments",
      "metrics", "feedback", "duties", "training", "amendments",
    ];
    for (const section of sections) {
      await driver.wait(until.elementLocated(byTestId(`step-${section}`)), 20_000).click();
      await driver.wait(async () => (await driver.findElement(byTestId("section-heading")).getAttribute("textContent")) !== "", 5_000);
      await driver.executeScript(() => window.scrollTo(0, 0));
      await driver.sleep(150);
      await shoot(`editor-${section.replace(/_/g, "-")}.png`);
    }
  });

  it("switches to the dark theme and back", async function () {
    await driver.findElement(byTestId("step-support_levels")).click();
    await driver.findElement(byTestId("theme-dark")).click();
    const background = await driver.executeScript(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(background, "rgb(15, 21, 28)");
    await driver.sleep(150);
    await shoot("editor-dark.png");
    await driver.findElement(By.xpath("//button[contains(., '←')]")).click();
    await driver.wait(until.elementsLocated(byTestId("agreement-row")), 20_000);
    await driver.sleep(150);
    await shoot("library-dark.png");
    await driver.findElement(byTestId("theme-system")).click();
    assert.equal(await driver.executeScript(() => document.documentElement.dataset.theme ?? "system"), "system");
  });
});
