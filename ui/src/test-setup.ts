// Vitest setup: English UI for predictable assertions, and a clean Tauri IPC mock per test.
import { afterEach, beforeEach } from "vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import { setLocale } from "./i18n/i18n.svelte";

beforeEach(() => setLocale("en"));
afterEach(() => {
  clearMocks();
});
