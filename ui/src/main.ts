// Mounts the app into index.html after applying the stored (or the system's) language and theme.
// The marks `app-script` and `app-mounted` time the start (read by the e2e benchmark). The
// library's first rows came with the window or are requested before mounting.
import { mount } from "svelte";
import App from "./App.svelte";
import { prefetchFirstRows } from "./features/library/library.svelte";
import { applyPreferences } from "./features/shell/preferences.svelte";
import { formatDate, formatNumber, formatPercent, formatTime } from "./i18n/i18n.svelte";
import { preloadScreens } from "./screens";
import "./fonts.css";
import "./app.css";

performance.mark("app-script");
applyPreferences();
// Unless the window came with them (the shell's first frame), the library's first rows are
// requested now; while the engine answers, the date and number formatters are made (the first
// one loads locale data) and the app is mounted.
prefetchFirstRows();
const now = new Date().toISOString();
formatDate(now);
formatTime(now);
formatNumber(1);
formatPercent(1);
const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");
const app = mount(App, { target });
performance.mark("app-mounted");
// The other screens were left out of the first paint; they load once the library has painted.
new PerformanceObserver((marks, observer) => {
  if (marks.getEntriesByName("library-painted").length === 0) return;
  observer.disconnect();
  preloadScreens();
}).observe({ type: "mark" });
export default app;
