// Closing the window never loses an edit. The shell holds every close request back and emits
// `pactum://close-requested` (src-tauri/src/closing.rs); here every screen with unsaved work
// has registered how to save it, all of it is saved, and the shell is told the window may go.
import { listen } from "@tauri-apps/api/event";
import { ipc } from "../../ipc";

type Save = () => Promise<void>;

const pending = new Set<Save>();

/** Registers how to save a screen's pending edits before the window closes; returns the undo. */
export function saveBeforeClose(save: Save): () => void {
  pending.add(save);
  return () => pending.delete(save);
}

/** Saves everything registered. A failing save is reported and does not stop the others. */
export async function saveAll(): Promise<void> {
  await Promise.all(
    [...pending].map((save) =>
      save().catch((reason: unknown) => console.error("pactum: saving before close failed", reason)),
    ),
  );
}

/** Listens for the shell's close requests for the lifetime of the page. */
export async function handleCloseRequests(): Promise<void> {
  await listen("pactum://close-requested", async () => {
    performance.mark("close-requested");
    await saveAll();
    // A failure needs no handling: the shell closes after its grace period anyway.
    await ipc.readyToClose();
  });
}
