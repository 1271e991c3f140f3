// End-to-end test of the real Pactum window: tauri-driver starts the built app (custom
// protocol, the production front end) and WebKitWebDriver drives it. Run it through
// scripts/test-e2e.sh, which builds the app, prepares the databases, starts Xvfb and
// tauri-driver and sets the environment read here.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { Builder, By, Capabilities, until } from "selenium-webdriver";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run this test through scripts/test-e2e.sh`);
  return value;
};

const application = env("PACTUM_APP");
const driverUrl = env("PACTUM_DRIVER_URL");

/** Starts the app on the database at `db` in a new WebDriver session. */
async function openApp(db) {
  const capabilities = new Capabilities();
  capabilities.set("browserName", "wry");
  capabilities.set("tauri:options", { application, args: ["--db", db] });
  return new Builder().withCapabilities(capabilities).usingServer(driverUrl).build();
}

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
      const card = document.querySelector("table")?.closest("div");
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
