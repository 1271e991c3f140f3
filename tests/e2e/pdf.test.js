// PDF preview and export in the real window: the preview shows the first pages as laid out by
// the engine, "Export PDF…" writes the file the (test-hooked) save dialog names and pdftotext
// finds the title in it, and the library's bulk export shows progress and writes one PDF per
// agreement shown. Run through scripts/test-e2e.sh (PACTUM_E2E_TESTS=pdf.test.js for this
// file alone).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { By, until } from "selenium-webdriver";
import { byTestId, cli, env, freshDb, openAgreement, openApp, quietQuit, shoot, waitForLibrary } from "./support.js";

const pdfText = (path) => execFileSync("pdftotext", ["-enc", "UTF-8", path, "-"], { encoding: "utf8" });
const squash = (s) => s.replace(/\s+/g, " ");

describe("PDF preview and export", function () {
  const titles = ["PDF Export Nordwind GmbH", "PDF Export Zweite AG", "PDF Export Dritte KG"];
  let db;
  let driver;

  before(function () {
    db = freshDb("pdf", [
      ["it-support-de", titles[0]],
      ["saas-support-en", titles[1]],
      ["it-support-de", titles[2]],
    ]);
    cli(db, "freeze", "3", "--note", "Erste Fassung");
  });

  after(async function () {
    await quietQuit(driver);
  });

  it("previews the first pages and exports the PDF to the path the save dialog names", async function () {
    driver = await openApp(db);
    await openAgreement(driver, titles[0]);
    await driver.findElement(byTestId("pdf-open")).click();
    await driver.wait(until.elementsLocated(byTestId("pdf-page")), 30_000);
    const pages = await driver.findElements(byTestId("pdf-page"));
    assert.equal(pages.length, 3, "the first three pages are shown");
    const firstPageText = await pages[0].findElements(By.css("text"));
    const words = (await Promise.all(firstPageText.map((t) => t.getAttribute("textContent")))).join(" ");
    assert.ok(squash(words).includes(titles[0]), `page 1 shows the title: ${words.slice(0, 300)}`);
    await shoot(driver, "pdf-preview.png");

    const path = env("PACTUM_TEST_DIALOG_PATH");
    await driver.findElement(byTestId("pdf-save")).click();
    const saved = await driver.wait(until.elementLocated(byTestId("pdf-saved")), 30_000);
    assert.ok((await saved.getText()).includes(path));
    assert.ok(readFileSync(path).subarray(0, 5).toString() === "%PDF-", "a PDF was written");
    assert.ok(squash(pdfText(path)).includes(titles[0]), "pdftotext finds the title");
    await driver.findElement(By.css('[data-testid="pdf-preview"] .actions .button:not(.primary)')).click();
  });

  it("exports every agreement shown into a folder with progress", async function () {
    const folder = dirname(env("PACTUM_TEST_DIALOG_PATH"));
    const before = new Set(readdirSync(folder));
    await driver.findElement(By.css(".bar .button")).click();
    await waitForLibrary(driver);
    // Records every count the progress display shows (the export is quick).
    await driver.executeScript(`
      window.__pdfCounts = [];
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid="bulk-pdf-count"]');
        if (el) window.__pdfCounts.push(el.textContent.trim());
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    `);
    await driver.findElement(byTestId("bulk-pdf")).click();
    const result = await driver.wait(until.elementLocated(byTestId("bulk-pdf-result")), 60_000);
    assert.equal(await result.getText(), "3 PDFs written to the folder you chose.");
    const counts = await driver.executeScript("return window.__pdfCounts");
    assert.ok(counts.some((c) => / of 3$/.test(c)), `progress was shown: ${JSON.stringify(counts)}`);
    const written = readdirSync(folder).filter((name) => !before.has(name) && name.endsWith(".pdf"));
    assert.equal(written.length, 3, `three PDFs: ${written}`);
    for (const title of titles) {
      const file = written.find((name) => name.startsWith(title.replace(/ /g, " ")));
      assert.ok(file, `a PDF named after ${title}: ${written}`);
      assert.ok(existsSync(join(folder, file)));
      assert.ok(squash(pdfText(join(folder, file))).includes(title));
    }
  });

  it("exports a frozen version from its read-only view", async function () {
    await driver.findElement(byTestId("bulk-pdf-close")).click();
    await openAgreement(driver, titles[2]);
    await driver.findElement(byTestId("open-version-1")).click();
    await driver.wait(until.elementLocated(byTestId("version-readonly")), 20_000);
    await driver.findElement(byTestId("pdf-open")).click();
    await driver.wait(until.elementsLocated(byTestId("pdf-page")), 30_000);
    await driver.findElement(byTestId("pdf-save")).click();
    await driver.wait(until.elementLocated(byTestId("pdf-saved")), 30_000);
    const text = squash(pdfText(env("PACTUM_TEST_DIALOG_PATH")));
    assert.ok(text.includes(titles[2]), "the title is in the PDF");
    assert.ok(text.includes("Version 1"), "the PDF is of version 1");
    assert.ok(!text.includes("ENTWURF"), "the frozen version is not marked as a draft");
  });
});
