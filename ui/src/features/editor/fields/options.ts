// The choices of the enumerated fields, labelled in the UI language. Call inside a template or
// $derived so the labels follow a language switch.
import { t, type MessageKey } from "../../../i18n/i18n.svelte";
import type { Option } from "./fields";

const make = (values: readonly string[], prefix: string): Option[] =>
  values.map((value) => ({ value, label: t(`${prefix}.${value}` as MessageKey) }));

export const CADENCES = ["continuous", "daily", "weekly", "monthly", "quarterly", "semiannual", "annual", "on_event"] as const;
export const TOUCHPOINTS = ["phone", "email", "chat", "portal", "on_site", "social_media", "store", "other"] as const;
export const FEEDBACK_KINDS = ["csat", "nps", "ces", "reviews", "interview", "other"] as const;
export const FORMATS = ["classroom", "workshop", "e_learning", "webinar", "on_the_job", "coaching"] as const;
export const SIDES = ["provider", "customer"] as const;
export const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** Cadences with "not agreed" (null) first. */
export const cadenceOptions = (): Option[] => [
  { value: "", label: t("editor.overview.cadence.none") },
  ...make(CADENCES, "editor.overview.cadence"),
];
export const touchpointOptions = (): Option[] => make(TOUCHPOINTS, "forms.touchpoint");
export const feedbackOptions = (): Option[] => make(FEEDBACK_KINDS, "forms.feedback_kind");
export const formatOptions = (): Option[] => make(FORMATS, "forms.format");
export const sideOptions = (): Option[] => make(SIDES, "forms.side");
export const dayOptions = (): Option[] => make(DAYS, "forms.day");
