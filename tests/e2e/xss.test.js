// The XSS corpus: markup, event handlers, javascript: URLs and template syntax typed into every
// kind of text field the editor has (title, parties, contacts, tiers, every form the sections
// offer, clause text). After a reload each shows literally, nothing was injected into the
// page, no alert opened and no command outside the editor's own ran. Fields whose engine type
// refuses such text (durations, dates, e-mail addresses, …) get their value back.
import assert from "node:assert/strict";
import { By, until } from "selenium-webdriver";
import { byTestId, freshDb, openAgreement, openApp, quietQuit, shoot, waitForLibrary } from "./support.js";

const CORPUS = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(2)>",
  "javascript:alert(3)",
  "{{7*7}}",
  "${7*7}",
  "</textarea><b>bold</b>",
  '"><svg onload=alert(4)>',
  "<a href=\"javascript:alert(5)\">link</a>",
];

const SECTIONS = [
  "overview",
  "service_standards",
  "support_levels",
  "channels",
  "departments",
  "metrics",
  "feedback",
  "duties",
  "training",
  "amendments",
];

/** Commands the editor and library may call while the corpus is typed and read back. */
const ALLOWED = new Set([
  "list_agreements",
  "database_info",
  "get_draft",
  "save_draft",
  "check_agreement",
  "list_versions",
  "freeze_agreement",
  "get_version",
  "parse_field",
  "preview_clauses",
  "german_holidays",
  // The amendments section's log, read from the signed history.
  "amendment_log",
  // Read-only look-ups of the approvals panel and the header's inbox count.
  "agreement_history",
  "list_identities",
  "pending_approvals",
  "plugin:event|listen",
  "plugin:event|unlisten",
]);

// Injected into the page: records every IPC command and every alert/confirm/prompt. Tauri's
// `invoke` cannot be replaced (its property is not configurable), so the probe sits one level
// lower, on `fetch`, which Tauri's IPC uses for every command (`ipc://localhost/<command>`),
// and on the postMessage fallback. The test also checks that the probe saw the editor's own
// saves, so a probe that saw nothing cannot pass.
const PROBE = () => {
  const probe = { commands: [], dialogs: 0 };
  const record = (url) => {
    const match = String(url).match(/^(?:ipc:\/\/localhost|http:\/\/ipc\.localhost)\/([^?#]+)/);
    if (match) probe.commands.push(decodeURIComponent(match[1]));
  };
  const fetch = window.fetch.bind(window);
  window.fetch = (input, init) => {
    record(typeof input === "string" ? input : input.url);
    return fetch(input, init);
  };
  if (window.ipc && typeof window.ipc.postMessage === "function") {
    const post = window.ipc.postMessage.bind(window.ipc);
    try {
      window.ipc.postMessage = (data) => {
        try {
          probe.commands.push(JSON.parse(data).cmd);
        } catch {
          probe.commands.push("(unreadable postMessage)");
        }
        return post(data);
      };
    } catch {
      // Not replaceable: the custom protocol is what Linux uses anyway.
    }
  }
  for (const name of ["alert", "confirm", "prompt"]) {
    window[name] = () => {
      probe.dialogs += 1;
    };
  }
  window.__pactumProbe = probe;
  return "installed";
};

const INJECTED = () => ({
  inlineScripts: document.querySelectorAll("script:not([src])").length,
  images: document.querySelectorAll('img[src="x"]').length,
  svgs: document.querySelectorAll("svg[onload]").length,
  bold: [...document.querySelectorAll("b")].filter((b) => b.textContent === "bold").length,
  links: document.querySelectorAll('a[href^="javascript:"]').length,
  handlers: [...document.querySelectorAll("*")].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
});

/** One field per kind: tag, type, value kind and the engine path with list indices removed.
 *  Fields of the same kind in other rows of a list render through the same code. */
async function kindOf(field) {
  const [tag, type, kind, path, testid] = await Promise.all([
    field.getTagName(),
    field.getAttribute("type"),
    field.getAttribute("data-kind"),
    field.getAttribute("data-path"),
    field.getAttribute("data-testid"),
  ]);
  const where = (path ?? testid ?? "").replace(/\[\d+\]/g, "[]").replace(/-\d+-/g, "-#-");
  return where ? `${tag}|${type}|${kind}|${where}` : null;
}

/** Text fields of the section shown, in document order (what a user can type into). */
async function textFields(driver) {
  return driver.findElements(
    By.css(
      '[aria-labelledby="section-heading"] input:not([type]), [aria-labelledby="section-heading"] input[type="text"], ' +
        '[aria-labelledby="section-heading"] input[type="email"], [aria-labelledby="section-heading"] input[type="url"], ' +
        '[aria-labelledby="section-heading"] input[type="tel"], [aria-labelledby="section-heading"] textarea',
    ),
  );
}

async function settle(driver) {
  const state = await driver.findElement(byTestId("save-state"));
  await driver.wait(async () => ["saved", "error"].includes(await state.getAttribute("data-state")), 20_000);
  await driver.sleep(50);
  return state.getAttribute("data-state");
}

/** The JSON path of a field as the engine reports problems (`$.` + data-path or the tier's). */
async function pathOf(field) {
  const path = await field.getAttribute("data-path");
  if (path) return `$.${path}`;
  const testid = (await field.getAttribute("data-testid")) ?? "";
  const tier = testid.match(/^tier-(\d+)-(\w+)$/);
  if (tier) return `$.support_levels.priorities[${tier[1]}].${tier[2]}`;
  if (testid === "clauses") return null;
  return null;
}

describe("XSS corpus in every kind of text field", function () {
  this.timeout(600_000);
  const title = CORPUS[1];
  let db;
  let driver;
  /** section → [{ index, payload }] of fields that kept a payload. */
  const kept = new Map();

  before(async function () {
    db = freshDb("xss", [["it-support-de", title]]);
    driver = await openApp(db);
    await waitForLibrary(driver);
    assert.equal(await driver.executeScript(PROBE), "installed");
  });

  after(async function () {
    await quietQuit(driver);
  });

  it("shows the payload title literally in the library", async function () {
    const cell = await driver.findElement(byTestId("agreement-title"));
    assert.equal(await cell.getAttribute("textContent"), title);
    assert.equal(await cell.getAttribute("innerHTML"), "&lt;img src=x onerror=alert(2)&gt;");
  });

  it("accepts the corpus in each section's text fields or refuses it at the field", async function () {
    await openAgreement(driver, title);
    let n = 0;
    const skipped = [];
    const kinds = new Set();
    for (const section of SECTIONS) {
      await driver.findElement(byTestId(`step-${section}`)).click();
      await driver.wait(until.elementLocated(byTestId("clauses")), 10_000);
      const fields = await textFields(driver);
      const typed = [];
      for (const [index, field] of fields.entries()) {
        if (!(await field.isDisplayed()) || !(await field.isEnabled())) continue;
        if ((await field.getAttribute("readonly")) !== null) continue;
        // Code cells (RACI letters, at most 6 characters) are not free text.
        const maxLength = Number((await field.getAttribute("maxlength")) ?? "0");
        if (maxLength > 0 && maxLength <= 6) continue;
        const kind = await kindOf(field);
        if (kind !== null) {
          if (kinds.has(kind)) continue;
          kinds.add(kind);
        }
        const payload = CORPUS[n % CORPUS.length];
        const original = await field.getAttribute("value");
        try {
          await field.clear();
          await field.sendKeys(payload);
        } catch (err) {
          // Covered by another element (e.g. a sticky bar) at this scroll position: skip it.
          if (err.name !== "ElementNotInteractableError") throw err;
          skipped.push(`${section}[${index}]`);
          continue;
        }
        n++;
        // A field may shape what is typed (upper case, a length limit): expect what it shows.
        const shown = await field.getAttribute("value");
        typed.push({ index, id: await field.getAttribute("id"), payload: shown, original, path: await pathOf(field) });
      }
      // Typed fields (durations, percentages, …) hold back what the engine cannot parse: give
      // those their value back.
      await driver.sleep(800);
      const now = await textFields(driver);
      for (const entry of typed) {
        const field = entry.id ? await driver.findElement(By.id(entry.id)) : now[entry.index];
        await driver.wait(async () => (await field.getAttribute("data-state")) !== "checking", 10_000);
        if ((await field.getAttribute("data-state")) === "invalid") {
          await field.clear();
          if (entry.original) await field.sendKeys(entry.original);
          entry.refused = true;
        }
      }
      let state = await settle(driver);
      if (state === "error") {
        // The engine refused some typed values (durations, dates, addresses…): give those back.
        const refused = await Promise.all(
          (await driver.findElements(By.css('[data-testid="save-problems"] code'))).map((c) => c.getText()),
        );
        const fresh = await textFields(driver);
        for (const entry of typed) {
          if (entry.path && refused.some((p) => p === entry.path || p.startsWith(`${entry.path}[`) || p.startsWith(`${entry.path}.`))) {
            const field = entry.id ? await driver.findElement(By.id(entry.id)) : fresh[entry.index];
            await field.clear();
            if (entry.original) await field.sendKeys(entry.original);
            entry.refused = true;
          }
        }
        state = await settle(driver);
        if (state === "error") {
          const problems = await driver.findElement(byTestId("save-problems")).getText();
          assert.fail(`section ${section}: still refused after restoring: ${problems}`);
        }
      }
      kept.set(section, typed.filter((entry) => !entry.refused));
    }
    const total = [...kept.values()].reduce((sum, list) => sum + list.length, 0);
    assert.ok(total >= 10, `the corpus went into ${total} fields`);
    assert.ok(skipped.length <= 3, `fields WebDriver could not type into: ${skipped}`);
    console.log(
      `      corpus kept in ${total} fields (not interactable: ${skipped.length ? skipped : "none"}): ` +
        [...kept].map(([section, list]) => `${section} ${list.length}`).join(", "),
    );
  });

  it("shows every payload literally after reopening, with nothing injected", async function () {
    await driver.findElement(By.xpath("//button[contains(., '←')]")).click();
    await waitForLibrary(driver);
    // The title itself now holds a payload: open the library's only agreement.
    await driver.findElement(byTestId("agreement-title")).click();
    await driver.wait(until.elementLocated(By.css('[data-testid="findings"][data-ready="true"]')), 20_000);
    for (const section of SECTIONS) {
      await driver.findElement(byTestId(`step-${section}`)).click();
      await driver.wait(until.elementLocated(byTestId("clauses")), 10_000);
      const fields = await textFields(driver);
      for (const entry of kept.get(section) ?? []) {
        // By id where the field has one: a payload in a role's id reshapes the RACI grid, so
        // positions after it move.
        const field = entry.id ? await driver.findElement(By.id(entry.id)) : fields[entry.index];
        assert.equal(await field.getAttribute("value"), entry.payload, `${section} field ${entry.id ?? entry.index}`);
      }
      assert.deepEqual(await driver.executeScript(INJECTED), {
        inlineScripts: 0, images: 0, svgs: 0, bold: 0, links: 0, handlers: 0,
      }, section);
    }
    await driver.findElement(byTestId("step-overview")).click();
  });

  it("renders the payloads as text in a frozen version too", async function () {
    await driver.findElement(byTestId("freeze-note")).sendKeys(CORPUS[0]);
    await driver.findElement(byTestId("freeze")).click();
    await driver.wait(until.elementLocated(byTestId("open-version-1")), 20_000).click();
    const view = await driver.wait(until.elementLocated(byTestId("version-readonly")), 20_000);
    assert.ok((await view.getText()).includes(CORPUS[0]), "the note shows literally");
    const text = await driver.findElement(byTestId("version-view")).getText();
    assert.ok(text.includes(CORPUS[1]), "the title shows literally");
    assert.equal((await driver.findElements(By.css('[data-testid="version-view"] input, [data-testid="version-view"] textarea'))).length, 0);
    assert.deepEqual(await driver.executeScript(INJECTED), {
      inlineScripts: 0, images: 0, svgs: 0, bold: 0, links: 0, handlers: 0,
    });
    await shoot(driver, "xss-version.png");
  });

  it("ran no command outside the editor's own and opened no dialog", async function () {
    const probe = await driver.executeScript(() => window.__pactumProbe);
    assert.equal(probe.dialogs, 0, "no alert, confirm or prompt");
    const unexpected = probe.commands.filter((cmd) => !ALLOWED.has(cmd));
    assert.deepEqual(unexpected, [], `unexpected commands: ${unexpected.join(", ")}`);
    assert.ok(probe.commands.includes("save_draft"), "the probe saw the editor's saves");
    let alertOpen = true;
    try {
      await driver.switchTo().alert();
    } catch {
      alertOpen = false;
    }
    assert.equal(alertOpen, false, "no native alert is open");
  });
});
