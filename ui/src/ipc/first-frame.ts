// The library's first page and the open database, as the shell hands them to the window when
// it creates it (src-tauri/src/first_frame.rs, an initialization script that sets one global).
// The library paints these rows at once instead of waiting for the first IPC round trip of a
// fresh process, then refreshes them over IPC. Absent in the browser, in unit tests and when
// the shell could not read the library: callers then simply ask over IPC.
import type { FirstFrame_Serialize as FirstFrame } from "./bindings";

declare global {
  interface Window {
    __PACTUM_FIRST_FRAME__?: FirstFrame;
  }
}

/** The frame the shell handed over, or null. */
export function firstFrame(): FirstFrame | null {
  return (typeof window !== "undefined" && window.__PACTUM_FIRST_FRAME__) || null;
}
