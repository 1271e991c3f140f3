// State of Settings → Identities: this database's identities (own and trusted), whether the
// form for a new own identity is open (it opens by itself while there is none), the message
// and error of the last action, and a card refused because it claims a trusted person with
// another key (`known_person_new_key`) until the user decides what to do with it.
import { t } from "../../i18n/i18n.svelte";
import {
  ipc,
  type CommandError,
  type IdentityInfo,
  type KeyConflict,
  type KeyDecision,
  type NewIdentity,
} from "../../ipc";
import { fileName } from "./approvals";

export class IdentitiesState {
  /** Null until the first answer. */
  identities = $state<IdentityInfo[] | null>(null);
  loadError = $state<CommandError | null>(null);
  actionError = $state<CommandError | null>(null);
  /** What the last action did, in words ("" for nothing to say). */
  message = $state("");
  /** The form for a new own identity is shown. */
  showForm = $state(false);
  creating = $state(false);
  createError = $state<CommandError | null>(null);
  /** A card the engine refused because it claims a known person with another key. */
  conflict = $state<KeyConflict | null>(null);
  conflictError = $state<CommandError | null>(null);
  deciding = $state(false);

  readonly own = $derived((this.identities ?? []).filter((i) => i.own));
  readonly others = $derived((this.identities ?? []).filter((i) => !i.own));

  /** Loads the identities; opens the form while there is no own identity. */
  async load(): Promise<void> {
    this.loadError = null;
    const outcome = await ipc.listIdentities();
    if (outcome.ok) {
      this.identities = outcome.value;
      if (!outcome.value.some((i) => i.own)) this.showForm = true;
    } else {
      this.loadError = outcome.error;
    }
  }

  /** Creates an own identity sealed with `passphrase`; true when it was created. The form
   *  closes and the list is reloaded; `oncreated` runs before the reload. */
  async create(identity: NewIdentity, passphrase: string, oncreated: () => void = () => {}): Promise<boolean> {
    this.creating = true;
    this.createError = null;
    const outcome = await ipc.createIdentity(identity, passphrase);
    this.creating = false;
    if (!outcome.ok) {
      this.createError = outcome.error;
      return false;
    }
    this.message = t("approvals.identities.created", { name: outcome.value.name });
    oncreated();
    this.showForm = false;
    await this.load();
    return true;
  }

  async exportCard(identity: IdentityInfo): Promise<void> {
    this.actionError = null;
    this.message = "";
    const outcome = await ipc.exportIdentityCard(identity.fingerprint, fileName(identity.name, "identity-card"));
    if (!outcome.ok) this.actionError = outcome.error;
    else if (outcome.value !== null) this.message = t("approvals.identities.exported", { path: outcome.value });
  }

  /** Imports a card (the engine asks for the file); a card with another key of a known person
   *  becomes `conflict` for the user to decide on. */
  async importCard(): Promise<void> {
    this.actionError = null;
    this.message = "";
    const outcome = await ipc.importIdentityCard();
    if (!outcome.ok && outcome.error.code === "known_person_new_key" && outcome.error.key_conflict) {
      this.conflictError = null;
      this.conflict = outcome.error.key_conflict;
    } else if (!outcome.ok) this.actionError = outcome.error;
    else if (outcome.value !== null) {
      this.message = t("approvals.identities.imported", {
        name: outcome.value.name,
        fingerprint: outcome.value.fingerprint_display,
      });
      await this.load();
    }
  }

  /** Adds the conflicting card's key as a second key of the known person, or replaces it. */
  async decide(shown: KeyConflict, decision: KeyDecision): Promise<void> {
    if (this.deciding) return;
    this.deciding = true;
    this.conflictError = null;
    const outcome = await ipc.importIdentityCardAsNewKey(shown.new.fingerprint, shown.known.fingerprint, decision);
    this.deciding = false;
    if (!outcome.ok) {
      // The trust list changed since: show the current conflict instead of the stale one.
      if (outcome.error.code === "known_person_new_key" && outcome.error.key_conflict) {
        this.conflict = outcome.error.key_conflict;
      }
      this.conflictError = outcome.error;
      return;
    }
    this.conflict = null;
    this.message = t(decision === "replace" ? "approvals.identities.replacedKey" : "approvals.identities.addedKey", {
      name: outcome.value.name,
      fingerprint: outcome.value.fingerprint_display,
    });
    await this.load();
  }

  /** Leaves the conflicting card unimported. */
  dismissConflict(): void {
    this.conflict = null;
  }

  /** Stops trusting `identity`; `onanswered` runs once the engine has answered, before the
   *  reload. */
  async distrust(identity: IdentityInfo, onanswered: () => void = () => {}): Promise<void> {
    this.actionError = null;
    const outcome = await ipc.distrustIdentity(identity.fingerprint);
    onanswered();
    if (!outcome.ok) this.actionError = outcome.error;
    else this.message = t("approvals.identities.distrusted", { name: identity.name });
    await this.load();
  }

  /** The display form of a fingerprint in the list (the groups read aloud). */
  displayOf(fingerprint: string): string {
    const known = (this.identities ?? []).find((i) => i.fingerprint === fingerprint);
    return known ? known.fingerprint_display : fingerprint;
  }
}
