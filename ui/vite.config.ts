// Vite builds the UI into ui/dist (Tauri's frontendDist) and serves it on :5173 for
// `tauri dev`; Vitest runs the component tests in jsdom with the same Svelte plugin.
import { defineConfig } from "vitest/config";
import type { Plugin } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";

/**
 * Adds `<link rel="preload">` for the built font files whose names match `pattern`, so that
 * WebKit fetches them with the stylesheet instead of when the first layout finds text that
 * needs them (src/fonts.css). The build fails if none matches: a renamed file must not
 * silently lose its preload.
 */
function preloadFonts(pattern: RegExp): Plugin {
  return {
    name: "pactum-preload-fonts",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(_html, context) {
        const files = Object.keys(context.bundle ?? {}).filter((file) => pattern.test(file));
        if (files.length === 0) throw new Error(`no built font matches ${pattern}`);
        return files.sort().map((file) => ({
          tag: "link",
          attrs: { rel: "preload", href: `/${file}`, as: "font", type: "font/woff2", crossorigin: "" },
          injectTo: "head" as const,
        }));
      },
    },
  };
}

export default defineConfig({
  // svelteTesting: resolve Svelte's browser build in tests and unmount components after each.
  // The UI typeface's Latin file, the only font the first frame needs.
  plugins: [svelte(), svelteTesting(), preloadFonts(/inter-latin-wght-normal-[\w-]+\.woff2$/)],
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
