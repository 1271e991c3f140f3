// Shared helpers of the end-to-end tests: starting the app in a WebDriver session, finding
// its process, screenshots, the save state, and closing the window like a window manager.
import { execFileSync, spawn } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Builder, By, Capabilities, until } from "selenium-webdriver";

export const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run this test through scripts/test-e2e.sh`);
  return value;
};

export const byTestId = (id) => By.css(`[data-testid="${id}"]`);
const here = dirname(fileURLToPath(import.meta.url));

/** Starts the app on the database at `db` in a new WebDriver session. The UI language is a
 *  remembered choice (stored in the database) that otherwise follows the system, so the tests
 *  choose English unless told to keep what is remembered. */
export async function openApp(db, { keepLanguage = false } = {}) {
  const capabilities = new Capabilities();
  capabilities.set("browserName", "wry");
  capabilities.set("tauri:options", { application: env("PACTUM_APP"), args: ["--db", db] });
  const driver = await new Builder().withCapabilities(capabilities).usingServer(env("PACTUM_DRIVER_URL")).build();
  if (!keepLanguage) {
    await driver.wait(until.elementLocated(byTestId("language-en")), 30_000).click();
  }
  return driver;
}

/** Ends a session whose app may already be gone. */
export async function quietQuit(driver) {
  try {
    await driver?.quit();
  } catch {
    // The app was killed or closed by the test.
  }
}

/** Saves a screenshot of the window under docs/screenshots/. */
export async function shoot(driver, name) {
  const png = await driver.takeScreenshot();
  writeFileSync(join(env("PACTUM_SCREENSHOTS"), name), Buffer.from(png, "base64"));
}

/** Pids of the app processes started with `--db db` (exact argument match). */
export function appPids(db) {
  const pids = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (args[0] === env("PACTUM_APP") && args.includes("--db") && args[args.indexOf("--db") + 1] === db) {
        pids.push(Number(entry));
      }
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

export function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resident memory (kB; all, and anonymous only) of `pid` and all its descendants, from /proc. */
export function treeRssKb(pid) {
  const children = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // gone
    }
  }
  const rss = (p, key) => {
    try {
      const match = readFileSync(`/proc/${p}/status`, "utf8").match(new RegExp(`${key}:\\s+(\\d+) kB`));
      return match ? Number(match[1]) : 0;
    } catch {
      return 0;
    }
  };
  const names = [];
  let total = 0;
  let anon = 0;
  const visit = (p) => {
    total += rss(p, "VmRSS");
    anon += rss(p, "RssAnon");
    try {
      names.push(readFileSync(`/proc/${p}/comm`, "utf8").trim());
    } catch {
      // gone
    }
    for (const child of children.get(p) ?? []) visit(child);
  };
  visit(pid);
  return { kb: total, anonKb: anon, processes: names };
}

/** Waits until the editor's save state is `state`. */
export async function waitForSaveState(driver, state, timeout = 15_000) {
  const element = await driver.wait(until.elementLocated(byTestId("save-state")), 10_000);
  await driver.wait(async () => (await element.getAttribute("data-state")) === state, timeout);
}

/** Starts watching the X display (window-shown.py) and resolves once it listens. `shown()` is
 *  the wall-clock time (ms since the epoch) the first window was shown since then, or null;
 *  `painted()` waits (up to `timeout` ms) for the time that window's pixels first showed text
 *  and returns it, or null; `stop()` ends the watcher. */
export async function watchWindowShown() {
  const child = spawn("python3", [join(here, "window-shown.py")], { stdio: ["ignore", "pipe", "inherit"] });
  const shown = [];
  let painted = null;
  let buffer = "";
  await new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`window-shown.py ended (exit ${code}) before it listened`)));
    child.stdout.on("data", (chunk) => {
      buffer += chunk;
      const lines = buffer.split("\n");
      buffer = lines.pop();
      for (const line of lines) {
        const [kind, time] = line.split(" ");
        if (kind === "ready") resolve();
        else if (kind === "shown") shown.push(Number(time));
        else if (kind === "painted") painted ??= Number(time);
      }
    });
  });
  return {
    shown: () => shown[0] ?? null,
    painted: async (timeout = 5_000) => {
      const until = Date.now() + timeout;
      while (painted === null && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      return painted;
    },
    stop: () => child.kill(),
  };
}

/** Sends the app's window a close request, as a window manager's close button would. */
export function requestClose(title = "Pactum") {
  execFileSync("python3", [join(here, "close-window.py"), title], { stdio: "inherit" });
}

/** Waits until the window shows the library table. */
export async function waitForLibrary(driver) {
  await driver.wait(until.elementsLocated(byTestId("agreement-row")), 30_000);
}

/** Opens the agreement titled `title` from the library (searching the table's rows in the DOM). */
export async function openAgreement(driver, title) {
  await waitForLibrary(driver);
  const buttons = await driver.findElements(byTestId("agreement-title"));
  for (const button of buttons) {
    if ((await button.getAttribute("textContent")) === title) {
      await button.click();
      await driver.wait(until.elementLocated(byTestId("step-overview")), 20_000);
      await driver.wait(until.elementLocated(By.css('[data-testid="findings"][data-ready="true"]')), 20_000);
      return;
    }
  }
  throw new Error(`no row titled ${JSON.stringify(title)} in the library`);
}

/** A new database under the test's work folder with one agreement per `[template, title]`. */
export function freshDb(name, agreements) {
  const db = join(env("PACTUM_E2E_WORK"), name, "pactum.db");
  for (const [template, title] of agreements) {
    execFileSync(env("PACTUM_CLI"), ["--db", db, "new", "--template", template, "--title", title], { stdio: "pipe" });
  }
  return db;
}

/** Runs the pactum CLI on `db` and returns its standard output. */
export function cli(db, ...args) {
  return execFileSync(env("PACTUM_CLI"), ["--db", db, ...args], { encoding: "utf8" });
}
