// The screens besides the library, each loaded the first time it is needed: the library's
// first paint then parses and runs only the code the library needs. `preloadScreens` fetches
// them all once the library shows, so opening one later does not wait.
const once = <T>(load: () => Promise<T>) => {
  let loading: Promise<T> | null = null;
  return () => (loading ??= load());
};

export const screens = {
  editor: once(() => import("./features/editor/EditorScreen.svelte")),
  version: once(() => import("./features/versions/VersionView.svelte")),
  compare: once(() => import("./features/versions/CompareView.svelte")),
  inbox: once(() => import("./features/approvals/ApprovalsInbox.svelte")),
  identities: once(() => import("./features/approvals/IdentitiesScreen.svelte")),
  history: once(() => import("./features/approvals/HistoryScreen.svelte")),
  amendment: once(() => import("./features/approvals/AmendmentReview.svelte")),
};

/** Loads every screen in the background. */
export function preloadScreens(): void {
  for (const load of Object.values(screens)) void load();
}
