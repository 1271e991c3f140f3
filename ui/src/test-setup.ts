// Vitest setup: English UI for predictable assertions, a clean Tauri IPC mock per test, and
// a ResizeObserver (jsdom has none) that tests fire by hand with `resizeObservers.fire()`.
import { afterEach, beforeEach } from "vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import { setLocale } from "./i18n/i18n.svelte";
import { resizeObservers } from "./test-support/resize-observer";

globalThis.ResizeObserver = resizeObservers.Observer;

beforeEach(() => setLocale("en"));
afterEach(() => {
  clearMocks();
  resizeObservers.clear();
});
