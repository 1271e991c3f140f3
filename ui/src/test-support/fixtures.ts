// Fixtures shared by the UI unit tests: one realistic library row that each test varies.
import type { AgreementSummary } from "../ipc";

/** A draft of the German IT-support template; `overrides` change single fields. */
export function summary(overrides: Partial<AgreementSummary> = {}): AgreementSummary {
  return {
    id: 1,
    uid: "0b7f4c1e-8f9e-4a51-9d3c-2f1a6e0c9b11",
    title: "IT-Support Müller GmbH",
    customer: "Müller GmbH",
    provider: "Acme IT",
    language: "de",
    status: "draft",
    template: "it-support-de",
    current_version: null,
    updated_at: "2025-03-14T09:30:00Z",
    created_at: "2025-03-01T08:00:00Z",
    completeness: 40,
    open_errors: 2,
    ...overrides,
  };
}
