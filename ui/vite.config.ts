// Vite builds the UI into ui/dist (Tauri's frontendDist) and serves it on :5173 for
// `tauri dev`; Vitest runs the component tests in jsdom with the same Svelte plugin.
import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";

export default defineConfig({
  // svelteTesting: resolve Svelte's browser build in tests and unmount components after each.
  plugins: [svelte(), svelteTesting()],
  clearScreen: false,
  // ../icons holds the app icon that the header shows too.
  server: { port: 5173, strictPort: true, fs: { allow: [".", "../icons"] } },
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    // Keep every asset a file: the window's CSP forbids inline data for scripts and styles.
    assetsInlineLimit: 0,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/test-setup.ts"],
  },
});
