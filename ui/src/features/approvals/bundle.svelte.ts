// State of the exchange files offered by a screen: where the last export went, what the last
// import brought, whether an import is under way, and why the last one was refused.
import { ipc, type CommandError, type ImportOutcome } from "../../ipc";
import type { ExportChoice } from "./approvals";

export class BundleState {
  /** The agreement to export from; `null` offers import only. */
  readonly id: number | null;
  exported = $state<string | null>(null);
  imported = $state<ImportOutcome | null>(null);
  error = $state<CommandError | null>(null);
  importing = $state(false);

  constructor(id: number | null) {
    this.id = id;
  }

  /** Exports `choice` signed by `identity`; the refusal is returned for the passphrase dialog.
   *  `ondone` runs once the file is written (or the save dialog cancelled). */
  async export(
    choice: ExportChoice,
    identity: string,
    passphrase: string,
    ondone: () => void = () => {},
  ): Promise<CommandError | null> {
    if (this.id === null) return null;
    const outcome = await ipc.exportBundle(this.id, choice.request, identity, passphrase, choice.fileName);
    if (!outcome.ok) return outcome.error;
    ondone();
    this.error = null;
    this.imported = null;
    this.exported = outcome.value;
    return null;
  }

  /** Imports a file the user picks (the engine checks everything first); calls `onimported`
   *  with what it brought, not when the user cancelled or the engine refused it. */
  async import(onimported: (outcome: ImportOutcome) => void = () => {}): Promise<void> {
    this.importing = true;
    this.error = null;
    this.exported = null;
    this.imported = null;
    const outcome = await ipc.importBundle();
    this.importing = false;
    if (!outcome.ok) {
      this.error = outcome.error;
      return;
    }
    if (outcome.value === null) return;
    this.imported = outcome.value;
    onimported(outcome.value);
  }
}
