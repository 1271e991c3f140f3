//! Completeness checklist and consistency checks of an agreement.
//!
//! This module owns the two answers the editor shows next to a draft:
//!
//! - the **checklist**: for every section, the things an agreement has to settle, each with a
//!   stable id (`support_levels.priorities.targets`), the field path it concerns and whether it
//!   is settled yet. An empty agreement is simply an agreement whose checklist is open;
//! - the **consistency checks**: every check is listed in [`CHECKS`] with a stable kebab-case
//!   id and a fixed [`Severity`]. A check fires on contradictions (a more urgent priority with a
//!   slower target), dangling references (a RACI role that is not defined) and half-filled
//!   entries (a KPI without a target) — never on mere emptiness, which is the checklist's job.
//!
//! Invariants:
//! - pure functions of an [`Agreement`]: no I/O, no clock, no panics on any input;
//! - every item and every finding points at a field path as used in the interchange JSON,
//!   without the leading `$.agreement.` (e.g. `support_levels.priorities[1].resolution`), and
//!   the path's first segment is the section the item or finding belongs to;
//! - every message exists in German and English and names the concrete values involved;
//! - durations of different units are compared with [`Duration::nominal_minutes`] (a business
//!   day counts as eight working hours, a month as 30 days);
//! - findings are sorted by section, then by path (list indices compared as numbers);
//! - ids are compared exactly (the interchange validation keeps them to plain ASCII); names
//!   that stand in for a role or a party (a role title, a party name) are compared trimmed,
//!   lower-cased and in Unicode normal form C.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use chrono::{Months, NaiveDate};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::model::{
    Agreement, BusinessCalendar, Channel, Clock, ClockTime, Comparison, Day, Decimal, Duration,
    DurationUnit, FeedbackKind, Kpi, Language, OpeningHours, PartySide, Percent, PriorityTier,
    Renewal, Role, Section, Threshold,
};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Hint,
}

/// A consistency problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Finding {
    /// Stable id of the check, e.g. `priority-order`.
    pub check: String,
    pub severity: Severity,
    pub section: Section,
    /// Field path, e.g. `support_levels.priorities[1].resolution`.
    pub path: String,
    pub message_de: String,
    pub message_en: String,
}

impl Finding {
    pub fn message(&self, lang: Language) -> &str {
        lang.pick(&self.message_de, &self.message_en)
    }
}

/// One item of the completeness checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ChecklistItem {
    /// Stable id, e.g. `overview.customer`.
    pub id: String,
    pub section: Section,
    pub path: String,
    pub done: bool,
    pub label_de: String,
    pub label_en: String,
}

impl ChecklistItem {
    pub fn label(&self, lang: Language) -> &str {
        lang.pick(&self.label_de, &self.label_en)
    }
}

/// Completeness of one section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SectionScore {
    pub section: Section,
    pub done: u32,
    pub total: u32,
    pub errors: u32,
    pub warnings: u32,
}

/// Everything the checks say about one agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Report {
    pub items: Vec<ChecklistItem>,
    pub findings: Vec<Finding>,
    pub sections: Vec<SectionScore>,
    /// Share of checklist items done, 0–100, rounded down.
    pub completeness: u8,
}

impl Report {
    pub fn error_count(&self) -> u32 {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count() as u32
    }
}

// ---------------------------------------------------------------- catalogue

/// One consistency check as listed in the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CheckInfo {
    /// Stable kebab-case id; the `check` of every [`Finding`] the check produces.
    pub id: &'static str,
    /// The severity of every finding of this check.
    pub severity: Severity,
    /// What the check looks for, in one English sentence.
    pub description: &'static str,
}

impl CheckInfo {
    const fn new(id: &'static str, severity: Severity, description: &'static str) -> Self {
        CheckInfo {
            id,
            severity,
            description,
        }
    }
}

/// The catalogue entry of a check id.
pub fn check_info(id: &str) -> Option<&'static CheckInfo> {
    CHECKS.iter().find(|c| c.id == id)
}

const ERROR: Severity = Severity::Error;
const WARNING: Severity = Severity::Warning;
const HINT: Severity = Severity::Hint;

const TERM_END_BEFORE_START: CheckInfo = CheckInfo::new(
    "term-end-before-start",
    ERROR,
    "The fixed end date of the term lies before the effective date.",
);
const TERM_LENGTH_MISMATCH: CheckInfo = CheckInfo::new(
    "term-length-mismatch",
    WARNING,
    "Initial term in months and fixed end date are both given and do not agree.",
);
const NOTICE_LONGER_THAN_TERM: CheckInfo = CheckInfo::new(
    "notice-longer-than-term",
    WARNING,
    "The notice period is longer than the whole initial term.",
);
const RENEWAL_MONTHS_MISSING: CheckInfo = CheckInfo::new(
    "renewal-months-missing",
    ERROR,
    "Automatic renewal without a renewal period in months.",
);
const RENEWAL_MONTHS_UNUSED: CheckInfo = CheckInfo::new(
    "renewal-months-unused",
    HINT,
    "A renewal period is given although the agreement does not renew automatically.",
);
const TOUCHPOINT_TARGETS_MISSING: CheckInfo = CheckInfo::new(
    "touchpoint-targets-missing",
    HINT,
    "A touchpoint has no measurable target.",
);
const TOUCHPOINT_TARGET_INCOMPLETE: CheckInfo = CheckInfo::new(
    "touchpoint-target-incomplete",
    WARNING,
    "A touchpoint target has no name or no target value.",
);
const CALENDAR_UNKNOWN: CheckInfo = CheckInfo::new(
    "calendar-unknown",
    ERROR,
    "A clock (priority, channel or touchpoint hours) names a calendar that is not defined.",
);
const CALENDAR_ID_DUPLICATE: CheckInfo = CheckInfo::new(
    "calendar-id-duplicate",
    ERROR,
    "Two business-hours calendars have the same id.",
);
const CALENDAR_TIME_ZONE: CheckInfo = CheckInfo::new(
    "calendar-time-zone",
    ERROR,
    "A calendar's time zone is not an IANA time zone name.",
);
const CALENDAR_WEEK_EMPTY: CheckInfo = CheckInfo::new(
    "calendar-week-empty",
    ERROR,
    "A calendar has no valid opening hours, so a clock using it never runs.",
);
const CALENDAR_HOURS_INVERTED: CheckInfo = CheckInfo::new(
    "calendar-hours-inverted",
    ERROR,
    "An opening interval does not end after it starts.",
);
const CALENDAR_HOURS_OVERLAP: CheckInfo = CheckInfo::new(
    "calendar-hours-overlap",
    WARNING,
    "Two opening intervals of a calendar overlap on the same day.",
);
const PRIORITY_ID_MISSING: CheckInfo = CheckInfo::new(
    "priority-id-missing",
    WARNING,
    "A priority tier has no id, so channels, escalation and tiers cannot refer to it.",
);
const PRIORITY_ID_DUPLICATE: CheckInfo = CheckInfo::new(
    "priority-id-duplicate",
    ERROR,
    "Two priority tiers have the same id.",
);
const PRIORITY_TARGETS_MISSING: CheckInfo = CheckInfo::new(
    "priority-targets-missing",
    WARNING,
    "A priority tier lacks a first-response target, an update interval or a resolution target.",
);
const PRIORITY_ORDER: CheckInfo = CheckInfo::new(
    "priority-order",
    ERROR,
    "A less urgent priority has a faster target than a more urgent one (earlier in the list).",
);
const RESOLUTION_BEFORE_RESPONSE: CheckInfo = CheckInfo::new(
    "resolution-before-response",
    ERROR,
    "A priority's resolution target is shorter than its first-response target.",
);
const UPDATE_AFTER_RESOLUTION: CheckInfo = CheckInfo::new(
    "update-after-resolution",
    WARNING,
    "A priority's update interval is longer than its resolution target, so no update is ever due.",
);
const ESCALATION_NOBODY: CheckInfo = CheckInfo::new(
    "escalation-nobody",
    ERROR,
    "An escalation step names neither a role nor a contact.",
);
const ESCALATION_TRIGGER_MISSING: CheckInfo = CheckInfo::new(
    "escalation-trigger-missing",
    WARNING,
    "An escalation step does not say after how long it is triggered.",
);
const ESCALATION_AFTER_RESOLUTION: CheckInfo = CheckInfo::new(
    "escalation-after-resolution",
    WARNING,
    "An escalation step triggers only after the resolution target of a priority it applies to.",
);
const ESCALATION_PRIORITY_UNKNOWN: CheckInfo = CheckInfo::new(
    "escalation-priority-unknown",
    ERROR,
    "An escalation step refers to a priority id that is not defined.",
);
const ESCALATION_ORDER: CheckInfo = CheckInfo::new(
    "escalation-order",
    ERROR,
    "An escalation step triggers earlier than a preceding step for the same priorities.",
);
const ESCALATION_ROLE_UNKNOWN: CheckInfo = CheckInfo::new(
    "escalation-role-unknown",
    WARNING,
    "An escalation role written like a role id (lowercase, no spaces) matches no defined role.",
);
const SERVICE_TIER_PRIORITY_UNKNOWN: CheckInfo = CheckInfo::new(
    "service-tier-priority-unknown",
    ERROR,
    "A service tier includes a priority id that is not defined.",
);
const SERVICE_TIER_BILLING_MISSING: CheckInfo = CheckInfo::new(
    "service-tier-billing-missing",
    WARNING,
    "A service tier has a price but no billing period.",
);
const CHANNEL_PRIORITY_UNKNOWN: CheckInfo = CheckInfo::new(
    "channel-priority-unknown",
    ERROR,
    "A channel accepts a priority id that is not defined.",
);
const CRITICAL_CHANNEL_HOURS: CheckInfo = CheckInfo::new(
    "critical-channel-hours",
    WARNING,
    "A channel accepts the most urgent priority but is closed in \
    hours that priority's clock counts.",
);
const CHANNEL_RESPONSE_SLOWER: CheckInfo = CheckInfo::new(
    "channel-response-slower",
    WARNING,
    "A channel's response target is slower than the \
    first-response target of a priority it accepts.",
);
const DEPARTMENT_RESOLUTION_BEFORE_RESPONSE: CheckInfo = CheckInfo::new(
    "department-resolution-before-response",
    ERROR,
    "A department's resolution target is shorter than its response target.",
);
const DEPARTMENT_CEILING_BEFORE_RESPONSE: CheckInfo = CheckInfo::new(
    "department-ceiling-before-response",
    WARNING,
    "A department escalates to management before its own response target has passed.",
);
const KPI_ID_MISSING: CheckInfo = CheckInfo::new(
    "kpi-id-missing",
    WARNING,
    "A KPI has no id, so service credits cannot refer to it.",
);
const KPI_ID_DUPLICATE: CheckInfo =
    CheckInfo::new("kpi-id-duplicate", ERROR, "Two KPIs have the same id.");
const KPI_TARGET_MISSING: CheckInfo =
    CheckInfo::new("kpi-target-missing", ERROR, "A KPI has no target.");
const KPI_UNIT_MISSING: CheckInfo =
    CheckInfo::new("kpi-unit-missing", WARNING, "A KPI has no unit.");
const KPI_SOURCE_MISSING: CheckInfo = CheckInfo::new(
    "kpi-source-missing",
    WARNING,
    "A KPI does not say where its data comes from.",
);
const KPI_MINIMUM_STRICTER: CheckInfo = CheckInfo::new(
    "kpi-minimum-stricter",
    ERROR,
    "A KPI's minimum acceptable level is stricter than its target.",
);
const KPI_THRESHOLD_DIRECTION: CheckInfo = CheckInfo::new(
    "kpi-threshold-direction",
    ERROR,
    "A KPI's target and minimum point in opposite directions (>= against <=).",
);
const CREDIT_KPI_UNKNOWN: CheckInfo = CheckInfo::new(
    "credit-kpi-unknown",
    ERROR,
    "A service credit refers to a KPI id that is not defined.",
);
const CREDIT_INCOMPLETE: CheckInfo = CheckInfo::new(
    "credit-incomplete",
    ERROR,
    "A service credit has no breach level or no credit amount.",
);
const CREDIT_BREACH_MEETS_TARGET: CheckInfo = CheckInfo::new(
    "credit-breach-meets-target",
    ERROR,
    "A service credit would be triggered by values that meet the KPI's target.",
);
const CREDIT_ABOVE_CAP: CheckInfo = CheckInfo::new(
    "credit-above-cap",
    ERROR,
    "A single service credit is larger than the credit cap, so it can never be paid in full.",
);
const CREDIT_SUM_ABOVE_CAP: CheckInfo = CheckInfo::new(
    "credit-sum-above-cap",
    HINT,
    "The largest credits of all KPIs together exceed the credit cap, so the cap limits the payout.",
);
const CREDIT_CAP_MISSING: CheckInfo = CheckInfo::new(
    "credit-cap-missing",
    WARNING,
    "Service credits exist but no credit cap is set.",
);
const AVAILABILITY_TARGET_LOW: CheckInfo = CheckInfo::new(
    "availability-target-low",
    HINT,
    "The availability target is below 90 %, unusually low for a service agreement.",
);
const FEEDBACK_METHOD_INCOMPLETE: CheckInfo = CheckInfo::new(
    "feedback-method-incomplete",
    WARNING,
    "A feedback method has no target or no frequency.",
);
const COMPLAINT_TIME_LIMITS_MISSING: CheckInfo = CheckInfo::new(
    "complaint-time-limits-missing",
    WARNING,
    "The complaint procedure is described but lacks an acknowledgement or resolution time.",
);
const COMPLAINT_TIME_ORDER: CheckInfo = CheckInfo::new(
    "complaint-time-order",
    ERROR,
    "A complaint is acknowledged or investigated later than it must be resolved.",
);
const ROLE_ID_MISSING: CheckInfo = CheckInfo::new(
    "role-id-missing",
    WARNING,
    "A role has no id, so the RACI, escalation and owners cannot refer to it.",
);
const ROLE_ID_DUPLICATE: CheckInfo =
    CheckInfo::new("role-id-duplicate", ERROR, "Two roles have the same id.");
const RACI_ACCOUNTABLE: CheckInfo = CheckInfo::new(
    "raci-accountable",
    ERROR,
    "A RACI activity does not have exactly one accountable role (A).",
);
const RACI_RESPONSIBLE_MISSING: CheckInfo = CheckInfo::new(
    "raci-responsible-missing",
    ERROR,
    "A RACI activity has no responsible role (R).",
);
const RACI_LETTERS: CheckInfo = CheckInfo::new(
    "raci-letters",
    ERROR,
    "A RACI cell is empty, repeats a letter or holds letters other than R, A, C, I.",
);
const RACI_ROLE_UNKNOWN: CheckInfo = CheckInfo::new(
    "raci-role-unknown",
    ERROR,
    "A RACI cell names a role that is not defined under duties.",
);
const RACI_ROLE_REPEATED: CheckInfo = CheckInfo::new(
    "raci-role-repeated",
    WARNING,
    "A role appears twice in the same RACI activity.",
);
const ROLE_UNKNOWN: CheckInfo = CheckInfo::new(
    "role-unknown",
    ERROR,
    "An owner (department, complaints, training) or amendment \
    proposer/approver is not a defined role.",
);
const AMENDMENT_APPROVERS_ONE_SIDED: CheckInfo = CheckInfo::new(
    "amendment-approvers-one-sided",
    WARNING,
    "All roles that must approve a change belong to the same party.",
);

/// Every consistency check, in section order.
pub const CHECKS: &[CheckInfo] = &[
    TERM_END_BEFORE_START,
    TERM_LENGTH_MISMATCH,
    NOTICE_LONGER_THAN_TERM,
    RENEWAL_MONTHS_MISSING,
    RENEWAL_MONTHS_UNUSED,
    TOUCHPOINT_TARGETS_MISSING,
    TOUCHPOINT_TARGET_INCOMPLETE,
    CALENDAR_UNKNOWN,
    CALENDAR_ID_DUPLICATE,
    CALENDAR_TIME_ZONE,
    CALENDAR_WEEK_EMPTY,
    CALENDAR_HOURS_INVERTED,
    CALENDAR_HOURS_OVERLAP,
    PRIORITY_ID_MISSING,
    PRIORITY_ID_DUPLICATE,
    PRIORITY_TARGETS_MISSING,
    PRIORITY_ORDER,
    RESOLUTION_BEFORE_RESPONSE,
    UPDATE_AFTER_RESOLUTION,
    ESCALATION_NOBODY,
    ESCALATION_TRIGGER_MISSING,
    ESCALATION_AFTER_RESOLUTION,
    ESCALATION_PRIORITY_UNKNOWN,
    ESCALATION_ORDER,
    ESCALATION_ROLE_UNKNOWN,
    SERVICE_TIER_PRIORITY_UNKNOWN,
    SERVICE_TIER_BILLING_MISSING,
    CHANNEL_PRIORITY_UNKNOWN,
    CRITICAL_CHANNEL_HOURS,
    CHANNEL_RESPONSE_SLOWER,
    DEPARTMENT_RESOLUTION_BEFORE_RESPONSE,
    DEPARTMENT_CEILING_BEFORE_RESPONSE,
    KPI_ID_MISSING,
    KPI_ID_DUPLICATE,
    KPI_TARGET_MISSING,
    KPI_UNIT_MISSING,
    KPI_SOURCE_MISSING,
    KPI_MINIMUM_STRICTER,
    KPI_THRESHOLD_DIRECTION,
    CREDIT_KPI_UNKNOWN,
    CREDIT_INCOMPLETE,
    CREDIT_BREACH_MEETS_TARGET,
    CREDIT_ABOVE_CAP,
    CREDIT_SUM_ABOVE_CAP,
    CREDIT_CAP_MISSING,
    AVAILABILITY_TARGET_LOW,
    FEEDBACK_METHOD_INCOMPLETE,
    COMPLAINT_TIME_LIMITS_MISSING,
    COMPLAINT_TIME_ORDER,
    ROLE_ID_MISSING,
    ROLE_ID_DUPLICATE,
    RACI_ACCOUNTABLE,
    RACI_RESPONSIBLE_MISSING,
    RACI_LETTERS,
    RACI_ROLE_UNKNOWN,
    RACI_ROLE_REPEATED,
    ROLE_UNKNOWN,
    AMENDMENT_APPROVERS_ONE_SIDED,
];

// ---------------------------------------------------------------- entry point

/// Runs the checklist and every consistency check.
pub fn check(agreement: &Agreement) -> Report {
    let items = checklist(agreement);
    let ids = Ids::new(agreement);
    let mut out = Findings::default();

    check_term(agreement, &mut out);
    check_touchpoints(agreement, &mut out);
    check_clocks(agreement, &ids, &mut out);
    check_calendars(agreement, &mut out);
    check_priorities(agreement, &mut out);
    check_escalation(agreement, &ids, &mut out);
    check_service_tiers(agreement, &ids, &mut out);
    check_channels(agreement, &ids, &mut out);
    check_critical_channel_hours(agreement, &ids, &mut out);
    check_departments(agreement, &ids, &mut out);
    check_kpis(agreement, &mut out);
    check_credits(agreement, &ids, &mut out);
    check_feedback(agreement, &ids, &mut out);
    check_roles(agreement, &mut out);
    check_raci(agreement, &ids, &mut out);
    check_training(agreement, &ids, &mut out);
    check_amendments(agreement, &ids, &mut out);

    let mut findings = out.0;
    findings.sort_by(|a, b| {
        a.section
            .cmp(&b.section)
            .then_with(|| path_order(&a.path, &b.path))
    });

    let sections = Section::ALL
        .iter()
        .map(|&section| {
            let of_section = items.iter().filter(|i| i.section == section);
            let count = |severity| {
                findings
                    .iter()
                    .filter(|f| f.section == section && f.severity == severity)
                    .count() as u32
            };
            SectionScore {
                section,
                done: of_section.clone().filter(|i| i.done).count() as u32,
                total: of_section.count() as u32,
                errors: count(Severity::Error),
                warnings: count(Severity::Warning),
            }
        })
        .collect();
    let done = items.iter().filter(|i| i.done).count();
    let completeness = if items.is_empty() {
        0
    } else {
        (done * 100 / items.len()) as u8
    };
    Report {
        items,
        findings,
        sections,
        completeness,
    }
}

/// Orders field paths segment by segment, comparing list indices as numbers, so that
/// `priorities[2]` comes before `priorities[10]`.
fn path_order(a: &str, b: &str) -> Ordering {
    #[derive(PartialEq, Eq, PartialOrd, Ord)]
    enum Segment<'a> {
        Index(u64),
        Field(&'a str),
    }
    fn segments(path: &str) -> Vec<Segment<'_>> {
        path.split(['.', '[', ']'])
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().map_or(Segment::Field(s), Segment::Index))
            .collect()
    }
    segments(a).cmp(&segments(b))
}

// ---------------------------------------------------------------- checklist

/// Collects checklist items; the section is the first segment of the item id.
#[derive(Default)]
struct Checklist(Vec<ChecklistItem>);

impl Checklist {
    fn item(&mut self, id: &str, path: &str, done: bool, de: &str, en: &str) {
        self.0.push(ChecklistItem {
            id: id.to_string(),
            section: Section::of_path(id).unwrap_or(Section::Overview),
            path: path.to_string(),
            done,
            label_de: de.to_string(),
            label_en: en.to_string(),
        });
    }
}

fn filled(text: &str) -> bool {
    !text.trim().is_empty()
}

/// True when the list has entries and every entry passes.
fn each<T>(list: &[T], test: impl Fn(&T) -> bool) -> bool {
    !list.is_empty() && list.iter().all(test)
}

fn checklist(a: &Agreement) -> Vec<ChecklistItem> {
    let mut c = Checklist::default();

    let o = &a.overview;
    let reachable = |contacts: &[crate::model::Contact]| {
        contacts
            .iter()
            .any(|k| filled(&k.name) && (filled(&k.email) || filled(&k.phone)))
    };
    c.item(
        "overview.provider",
        "overview.provider.name",
        filled(&o.provider.name),
        "Anbieter benannt",
        "Provider named",
    );
    c.item(
        "overview.provider.contacts",
        "overview.provider.contacts",
        reachable(&o.provider.contacts),
        "Ansprechperson des Anbieters mit E-Mail oder Telefon",
        "Provider contact person with e-mail or phone",
    );
    c.item(
        "overview.customer",
        "overview.customer.name",
        filled(&o.customer.name),
        "Kunde benannt",
        "Customer named",
    );
    c.item(
        "overview.customer.contacts",
        "overview.customer.contacts",
        reachable(&o.customer.contacts),
        "Ansprechperson des Kunden mit E-Mail oder Telefon",
        "Customer contact person with e-mail or phone",
    );
    c.item(
        "overview.purpose",
        "overview.purpose",
        filled(&o.purpose),
        "Zweck der Vereinbarung beschrieben",
        "Purpose of the agreement stated",
    );
    c.item(
        "overview.scope.services",
        "overview.scope.services",
        o.scope.services.iter().any(|s| filled(&s.name)),
        "Mindestens eine abgedeckte Leistung",
        "At least one covered service",
    );
    c.item(
        "overview.scope.exclusions",
        "overview.scope.exclusions",
        o.scope.exclusions.iter().any(|s| filled(s)),
        "Ausschlüsse festgehalten",
        "Exclusions recorded",
    );
    c.item(
        "overview.scope.assumptions",
        "overview.scope.assumptions",
        o.scope
            .assumptions
            .iter()
            .chain(&o.scope.dependencies)
            .any(|s| filled(s)),
        "Annahmen oder Abhängigkeiten festgehalten",
        "Assumptions or dependencies recorded",
    );
    c.item(
        "overview.effective_date",
        "overview.effective_date",
        o.effective_date.is_some(),
        "Datum des Inkrafttretens",
        "Effective date",
    );
    c.item(
        "overview.term",
        "overview.term",
        o.term.initial_months.is_some_and(|m| m > 0) || o.term.end_date.is_some(),
        "Laufzeit in Monaten oder festes Enddatum",
        "Term in months or a fixed end date",
    );
    c.item(
        "overview.term.notice",
        "overview.term.notice",
        o.term.notice.is_some(),
        "Kündigungsfrist",
        "Notice period",
    );
    c.item(
        "overview.payment_terms",
        "overview.payment_terms",
        filled(&o.payment_terms),
        "Zahlungsbedingungen",
        "Payment terms",
    );
    c.item(
        "overview.review_cadence",
        "overview.review_cadence",
        o.review_cadence.is_some(),
        "Turnus für die Überprüfung der Vereinbarung",
        "How often the agreement is reviewed",
    );

    let touchpoints = &a.service_standards.touchpoints;
    c.item(
        "service_standards.touchpoints",
        "service_standards.touchpoints",
        !touchpoints.is_empty(),
        "Mindestens ein Kontaktpunkt mit Servicestandard",
        "At least one touchpoint with a service standard",
    );
    c.item(
        "service_standards.commitments",
        "service_standards.touchpoints",
        touchpoints
            .iter()
            .any(|t| t.commitments.iter().any(|s| filled(s))),
        "Qualitätszusagen in Worten",
        "Quality commitments in words",
    );
    c.item(
        "service_standards.targets",
        "service_standards.touchpoints",
        touchpoints
            .iter()
            .any(|t| t.targets.iter().any(|g| g.target.is_some())),
        "Messbare Ziele für die Kontaktpunkte",
        "Measurable targets for the touchpoints",
    );

    let levels = &a.support_levels;
    let tiers = &levels.priorities;
    c.item(
        "support_levels.priorities",
        "support_levels.priorities",
        !tiers.is_empty(),
        "Prioritäts- bzw. Schweregradstufen festgelegt",
        "Priority or severity tiers defined",
    );
    c.item(
        "support_levels.priorities.definitions",
        "support_levels.priorities",
        each(tiers, |t| filled(&t.name) && filled(&t.definition)),
        "Jede Stufe hat Namen und Definition",
        "Every tier has a name and a definition",
    );
    c.item(
        "support_levels.priorities.examples",
        "support_levels.priorities",
        each(tiers, |t| t.examples.iter().any(|s| filled(s))),
        "Jede Stufe hat Beispiele",
        "Every tier has examples",
    );
    c.item(
        "support_levels.priorities.targets",
        "support_levels.priorities",
        each(tiers, |t| {
            t.first_response.is_some() && t.update_interval.is_some() && t.resolution.is_some()
        }),
        "Jede Stufe hat Erstreaktion, Aktualisierungsintervall und Lösungszeit",
        "Every tier has first response, update interval and resolution targets",
    );
    c.item(
        "support_levels.calendars",
        "support_levels.calendars",
        !levels.calendars.is_empty() || each(tiers, |t| t.clock == Clock::AlwaysOn),
        "Servicezeiten: ein Geschäftszeitenkalender oder durchgehend 24/7",
        "Service hours: a business-hours calendar, or 24/7 throughout",
    );
    c.item(
        "support_levels.escalation",
        "support_levels.escalation",
        !levels.escalation.is_empty(),
        "Eskalationspfad festgelegt",
        "Escalation path defined",
    );

    let channels = &a.channels.channels;
    c.item(
        "channels.channels",
        "channels.channels",
        !channels.is_empty(),
        "Mindestens ein Kommunikationskanal",
        "At least one communication channel",
    );
    c.item(
        "channels.contacts",
        "channels.channels",
        each(channels, |ch| filled(&ch.contact)),
        "Jeder Kanal hat Adresse, Nummer oder URL",
        "Every channel has an address, number or URL",
    );
    c.item(
        "channels.response_targets",
        "channels.channels",
        each(channels, |ch| ch.response_target.is_some()),
        "Jeder Kanal hat eine Antwortzeit",
        "Every channel has a response target",
    );
    c.item(
        "channels.languages",
        "channels.channels",
        each(channels, |ch| ch.languages.iter().any(|s| filled(s))),
        "Jeder Kanal nennt seine Sprachen",
        "Every channel lists its languages",
    );
    c.item(
        "channels.teams",
        "channels.channels",
        each(channels, |ch| filled(&ch.team)),
        "Jeder Kanal hat ein zuständiges Team",
        "Every channel has a responsible team",
    );

    let departments = &a.departments.departments;
    c.item(
        "departments.departments",
        "departments.departments",
        !departments.is_empty(),
        "Mindestens eine Abteilung mit eigenen Standards",
        "At least one department with its own standards",
    );
    c.item(
        "departments.critical_services",
        "departments.departments",
        each(departments, |d| {
            d.critical_services.iter().any(|s| filled(s))
        }),
        "Jede Abteilung nennt ihre kritischen Leistungen",
        "Every department names its critical services",
    );
    c.item(
        "departments.targets",
        "departments.departments",
        each(departments, |d| {
            d.response_target.is_some() && d.resolution_target.is_some()
        }),
        "Jede Abteilung hat Reaktions- und Lösungsziel",
        "Every department has response and resolution targets",
    );
    c.item(
        "departments.satisfaction",
        "departments.departments",
        each(departments, |d| d.satisfaction_target.is_some()),
        "Jede Abteilung hat ein Zufriedenheitsziel",
        "Every department has a satisfaction target",
    );
    c.item(
        "departments.escalation_ceiling",
        "departments.departments",
        each(departments, |d| d.escalation_ceiling.is_some()),
        "Jede Abteilung hat eine Eskalationsobergrenze",
        "Every department has an escalation ceiling",
    );
    c.item(
        "departments.owners",
        "departments.departments",
        each(departments, |d| filled(&d.owner)),
        "Jede Abteilung hat eine verantwortliche Rolle",
        "Every department has an accountable role",
    );

    let m = &a.metrics;
    c.item(
        "metrics.kpis",
        "metrics.kpis",
        !m.kpis.is_empty(),
        "Kennzahlenkatalog angelegt",
        "KPI catalogue started",
    );
    c.item(
        "metrics.kpis.definitions",
        "metrics.kpis",
        each(&m.kpis, |k| filled(&k.definition) || filled(&k.formula)),
        "Jede Kennzahl ist definiert (Beschreibung oder Formel)",
        "Every KPI is defined (description or formula)",
    );
    c.item(
        "metrics.kpis.windows",
        "metrics.kpis",
        each(&m.kpis, |k| k.window.is_some()),
        "Jede Kennzahl hat einen Messzeitraum",
        "Every KPI has a measurement window",
    );
    c.item(
        "metrics.kpis.reporting",
        "metrics.kpis",
        each(&m.kpis, |k| {
            k.reporting.is_some() && k.recipients.iter().any(|s| filled(s))
        }),
        "Für jede Kennzahl: Berichtsturnus und Empfänger",
        "For every KPI: reporting frequency and recipients",
    );
    c.item(
        "metrics.availability_target",
        "metrics.availability_target",
        m.availability_target.is_some(),
        "Verfügbarkeitsziel",
        "Availability target",
    );
    c.item(
        "metrics.service_credits",
        "metrics.service_credits",
        !m.service_credits.is_empty(),
        "Gutschriften oder Vertragsstrafen bei Verfehlung",
        "Service credits or penalties on breach",
    );
    c.item(
        "metrics.reviews.cadence",
        "metrics.reviews.cadence",
        m.reviews.cadence.is_some(),
        "Turnus der Service-Review-Termine",
        "How often service reviews meet",
    );
    c.item(
        "metrics.reviews.participants",
        "metrics.reviews.participants",
        m.reviews.participants.iter().any(|s| filled(s)),
        "Teilnehmende der Service-Reviews",
        "Who takes part in service reviews",
    );

    let f = &a.feedback;
    let complaints = &f.complaints;
    c.item(
        "feedback.methods",
        "feedback.methods",
        !f.methods.is_empty(),
        "Mindestens eine Methode zur Feedback-Erhebung",
        "At least one way of collecting feedback",
    );
    c.item(
        "feedback.complaints.submission",
        "feedback.complaints.submission",
        complaints.submission.iter().any(|s| filled(s)),
        "Wege, eine Beschwerde einzureichen",
        "Ways to submit a complaint",
    );
    c.item(
        "feedback.complaints.time_limits",
        "feedback.complaints",
        complaints.acknowledgement.is_some() && complaints.resolution.is_some(),
        "Fristen für Eingangsbestätigung und Erledigung von Beschwerden",
        "Time limits to acknowledge and resolve complaints",
    );
    c.item(
        "feedback.complaints.escalation",
        "feedback.complaints.escalation",
        filled(&complaints.escalation),
        "Nächste Stelle bei ungelösten Beschwerden",
        "Where unresolved complaints go next",
    );
    c.item(
        "feedback.complaints.owner",
        "feedback.complaints.owner",
        filled(&complaints.owner),
        "Verantwortliche Rolle für das Beschwerdeverfahren",
        "Role responsible for the complaint procedure",
    );
    c.item(
        "feedback.improvement",
        "feedback.improvement",
        filled(&f.improvement),
        "Wie Feedback zu Verbesserungen führt",
        "How feedback leads to improvements",
    );

    let d = &a.duties;
    let side_role = |side| {
        d.roles
            .iter()
            .any(|r| r.party == side && (filled(&r.id) || filled(&r.title)))
    };
    let side_duty = |side| {
        d.responsibilities
            .iter()
            .any(|r| r.party == side && filled(&r.text))
    };
    c.item(
        "duties.roles.provider",
        "duties.roles",
        side_role(PartySide::Provider),
        "Rollen auf Anbieterseite",
        "Roles on the provider's side",
    );
    c.item(
        "duties.roles.customer",
        "duties.roles",
        side_role(PartySide::Customer),
        "Rollen auf Kundenseite",
        "Roles on the customer's side",
    );
    c.item(
        "duties.responsibilities.provider",
        "duties.responsibilities",
        side_duty(PartySide::Provider),
        "Pflichten des Anbieters",
        "Responsibilities of the provider",
    );
    c.item(
        "duties.responsibilities.customer",
        "duties.responsibilities",
        side_duty(PartySide::Customer),
        "Mitwirkungspflichten des Kunden",
        "Responsibilities of the customer",
    );
    c.item(
        "duties.raci",
        "duties.raci",
        !d.raci.is_empty(),
        "RACI-Matrix für die wichtigsten Tätigkeiten",
        "RACI matrix for the key activities",
    );

    let t = &a.training;
    c.item(
        "training.programmes",
        "training.programmes",
        !t.programmes.is_empty(),
        "Mindestens ein Schulungsprogramm",
        "At least one training programme",
    );
    c.item(
        "training.programmes.details",
        "training.programmes",
        each(&t.programmes, |p| {
            filled(&p.topic) && filled(&p.audience) && p.frequency.is_some() && filled(&p.owner)
        }),
        "Jedes Programm hat Thema, Zielgruppe, Turnus und Verantwortliche",
        "Every programme has topic, audience, frequency and owner",
    );
    c.item(
        "training.needs_assessment",
        "training.needs_assessment",
        filled(&t.needs_assessment),
        "Wie der Schulungsbedarf ermittelt wird",
        "How training needs are assessed",
    );
    c.item(
        "training.evaluation",
        "training.evaluation",
        filled(&t.evaluation),
        "Wie der Schulungserfolg bewertet wird",
        "How training effectiveness is evaluated",
    );

    let am = &a.amendments;
    c.item(
        "amendments.proposers",
        "amendments.proposers",
        am.proposers.iter().any(|s| filled(s)),
        "Wer Änderungen vorschlagen darf",
        "Who may propose changes",
    );
    c.item(
        "amendments.approvers",
        "amendments.approvers",
        am.approvers.iter().any(|s| filled(s)),
        "Wer Änderungen genehmigen muss",
        "Who must approve changes",
    );
    c.item(
        "amendments.notice",
        "amendments.notice",
        am.notice.is_some(),
        "Vorlauf, bevor eine Änderung wirksam wird",
        "Notice before a change takes effect",
    );

    c.0
}

// ---------------------------------------------------------------- findings and wording

/// Collects findings; severity comes from the catalogue entry, the section from the path.
#[derive(Default)]
struct Findings(Vec<Finding>);

impl Findings {
    fn emit(&mut self, check: &CheckInfo, path: String, message: impl Fn(Language) -> String) {
        self.0.push(Finding {
            check: check.id.to_string(),
            severity: check.severity,
            section: Section::of_path(&path).unwrap_or(Section::Overview),
            path,
            message_de: message(Language::De),
            message_en: message(Language::En),
        });
    }
}

/// The German or the English text.
fn say(lang: Language, de: String, en: String) -> String {
    match lang {
        Language::De => de,
        Language::En => en,
    }
}

fn quoted(text: &str, lang: Language) -> String {
    match lang {
        Language::De => format!("„{text}“"),
        Language::En => format!("\"{text}\""),
    }
}

fn date(d: NaiveDate, lang: Language) -> String {
    match lang {
        Language::De => d.format("%d.%m.%Y").to_string(),
        Language::En => d.format("%Y-%m-%d").to_string(),
    }
}

/// How many names a message lists before it says "and N more".
const LISTED: usize = 5;

/// "a, b, c and 2 more": the first [`LISTED`] of `names`, out of `total` (which may be larger
/// than `names`, so callers need not format names that are never shown).
fn listing(names: &[String], total: usize, lang: Language) -> String {
    let mut text = names
        .iter()
        .take(LISTED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let shown = names.len().min(LISTED);
    if total > shown {
        let more = total - shown;
        text.push_str(&say(
            lang,
            format!(" und {more} weitere"),
            format!(" and {more} more"),
        ));
    }
    text
}

/// The first non-blank text, or `#n` (1-based) for an entry without a name.
fn label(texts: &[&str], index: usize) -> String {
    texts
        .iter()
        .map(|t| t.trim())
        .find(|t| !t.is_empty())
        .map_or_else(|| format!("#{}", index + 1), str::to_string)
}

fn tier_label(i: usize, t: &PriorityTier) -> String {
    label(&[&t.id, &t.name], i)
}

fn channel_label(i: usize, ch: &Channel, lang: Language) -> String {
    label(&[&ch.name, ch.kind.label(lang)], i)
}

fn longer(a: &Duration, b: &Duration) -> bool {
    a.nominal_minutes() > b.nominal_minutes()
}

/// Ids other sections refer to.
struct Ids<'a> {
    priorities: HashSet<&'a str>,
    roles: HashMap<&'a str, &'a Role>,
    role_titles: HashSet<String>,
    kpis: HashMap<&'a str, &'a Kpi>,
    calendars: HashMap<&'a str, &'a BusinessCalendar>,
}

impl<'a> Ids<'a> {
    fn new(a: &'a Agreement) -> Self {
        let mut roles = HashMap::new();
        for r in &a.duties.roles {
            roles.entry(r.id.as_str()).or_insert(r);
        }
        let mut kpis = HashMap::new();
        for k in &a.metrics.kpis {
            kpis.entry(k.id.as_str()).or_insert(k);
        }
        let mut calendars = HashMap::new();
        for c in &a.support_levels.calendars {
            calendars.entry(c.id.as_str()).or_insert(c);
        }
        Ids {
            priorities: a
                .support_levels
                .priorities
                .iter()
                .map(|t| t.id.as_str())
                .filter(|id| filled(id))
                .collect(),
            roles,
            role_titles: a
                .duties
                .roles
                .iter()
                .map(|r| name_key(&r.title))
                .filter(|t| !t.is_empty())
                .collect(),
            kpis,
            calendars,
        }
    }

    fn is_role(&self, id: &str) -> bool {
        filled(id) && self.roles.contains_key(id)
    }

    fn is_priority(&self, id: &str) -> bool {
        self.priorities.contains(id)
    }
}

/// Reports an owner field that names no defined role; an empty owner is the checklist's job.
fn check_owner(ids: &Ids, owner: &str, path: String, what: (&str, &str), out: &mut Findings) {
    if !filled(owner) || ids.is_role(owner) {
        return;
    }
    out.emit(&ROLE_UNKNOWN, path, |l| {
        let o = quoted(owner, l);
        say(
            l,
            format!(
                "{}: {o} ist keine unter den Pflichten definierte Rolle.",
                what.0
            ),
            format!("{}: {o} is not a role defined under duties.", what.1),
        )
    });
}

// ---------------------------------------------------------------- 0. Overview

fn check_term(a: &Agreement, out: &mut Findings) {
    let o = &a.overview;
    let term = &o.term;

    if let (Some(start), Some(end)) = (o.effective_date, term.end_date) {
        if start > end {
            out.emit(
                &TERM_END_BEFORE_START,
                "overview.term.end_date".into(),
                |l| {
                    say(
                        l,
                        format!(
                            "Die Laufzeit endet am {}, vor dem Inkrafttreten am {}.",
                            date(end, l),
                            date(start, l)
                        ),
                        format!(
                            "The term ends on {}, before the agreement takes effect on {}.",
                            date(end, l),
                            date(start, l)
                        ),
                    )
                },
            );
        } else if let Some(months) = term.initial_months {
            if let Some(expected) = start.checked_add_months(Months::new(months)) {
                let last_day = expected.pred_opt();
                if end != expected && Some(end) != last_day {
                    let shown = last_day.unwrap_or(expected);
                    let length = Duration::new(months, DurationUnit::Months);
                    out.emit(
                        &TERM_LENGTH_MISMATCH,
                        "overview.term.end_date".into(),
                        |l| {
                            say(
                                l,
                                format!(
                                    "Eine Laufzeit über {} ab {} endet am {}, als Enddatum \
                                    steht aber der {}.",
                                    length.display(l),
                                    date(start, l),
                                    date(shown, l),
                                    date(end, l)
                                ),
                                format!(
                                    "A term of {} from {} ends on {}, but the end date says {}.",
                                    length.display(l),
                                    date(start, l),
                                    date(shown, l),
                                    date(end, l)
                                ),
                            )
                        },
                    );
                }
            }
        }
    }

    if let Some(notice) = term.notice {
        let term_length = match (term.initial_months, o.effective_date, term.end_date) {
            (Some(months), _, _) => Some(Duration::new(months, DurationUnit::Months)),
            (None, Some(start), Some(end)) if end > start => {
                let days = (end - start).num_days();
                Some(Duration::new(
                    u32::try_from(days).unwrap_or(u32::MAX),
                    DurationUnit::Days,
                ))
            }
            _ => None,
        };
        if let Some(length) = term_length {
            if longer(&notice, &length) {
                out.emit(
                    &NOTICE_LONGER_THAN_TERM,
                    "overview.term.notice".into(),
                    |l| {
                        say(
                            l,
                            format!(
                                "Die Kündigungsfrist ({}) ist länger als die Laufzeit ({}).",
                                notice.display(l),
                                length.display(l)
                            ),
                            format!(
                                "The notice period ({}) is longer than the term ({}).",
                                notice.display(l),
                                length.display(l)
                            ),
                        )
                    },
                );
            }
        }
    }

    match (term.renewal, term.renewal_months) {
        (Renewal::Automatic, None | Some(0)) => {
            out.emit(
                &RENEWAL_MONTHS_MISSING,
                "overview.term.renewal_months".into(),
                |l| {
                    say(
                        l,
                        "Die Vereinbarung verlängert sich automatisch, aber um wie \
                        viele Monate, ist nicht angegeben."
                            .into(),
                        "The agreement renews automatically, but the renewal period \
                        in months is missing."
                            .into(),
                    )
                },
            );
        }
        (Renewal::None | Renewal::ByAgreement, Some(months)) => {
            let period = Duration::new(months, DurationUnit::Months);
            out.emit(
                &RENEWAL_MONTHS_UNUSED,
                "overview.term.renewal_months".into(),
                |l| {
                    say(
                        l,
                        format!(
                            "Eine Verlängerung um {} ist angegeben, die Vereinbarung \
                            verlängert sich aber nicht automatisch.",
                            period.display(l)
                        ),
                        format!(
                            "A renewal period of {} is given, but the agreement does not \
                            renew automatically.",
                            period.display(l)
                        ),
                    )
                },
            );
        }
        _ => {}
    }
}

// ---------------------------------------------------------------- 1. Service standards

fn check_touchpoints(a: &Agreement, out: &mut Findings) {
    for (i, tp) in a.service_standards.touchpoints.iter().enumerate() {
        let base = format!("service_standards.touchpoints[{i}]");
        let name = |l| label(&[&tp.name, tp.kind.label(l)], i);
        if tp.targets.is_empty() {
            out.emit(
                &TOUCHPOINT_TARGETS_MISSING,
                format!("{base}.targets"),
                |l| {
                    say(
                        l,
                        format!("Kontaktpunkt {} hat kein messbares Ziel.", name(l)),
                        format!("Touchpoint {} has no measurable target.", name(l)),
                    )
                },
            );
        }
        for (j, target) in tp.targets.iter().enumerate() {
            let (field, de, en) = if target.target.is_none() {
                ("target", "keinen Zielwert", "no target value")
            } else if !filled(&target.name) {
                ("name", "keinen Namen", "no name")
            } else {
                continue;
            };
            let what = |l| quoted(&label(&[&target.name], j), l);
            out.emit(
                &TOUCHPOINT_TARGET_INCOMPLETE,
                format!("{base}.targets[{j}].{field}"),
                |l| {
                    say(
                        l,
                        format!("Ziel {} von Kontaktpunkt {} hat {de}.", what(l), name(l)),
                        format!("Target {} of touchpoint {} has {en}.", what(l), name(l)),
                    )
                },
            );
        }
    }
}

// ---------------------------------------------------------------- 2. Support levels

/// Clocks that name a calendar must name one that exists.
fn check_clocks(a: &Agreement, ids: &Ids, out: &mut Findings) {
    for (i, tp) in a.service_standards.touchpoints.iter().enumerate() {
        let path = format!("service_standards.touchpoints[{i}].hours");
        check_clock(ids, &tp.hours, path, out, |l| {
            let n = label(&[&tp.name, tp.kind.label(l)], i);
            say(l, format!("Kontaktpunkt {n}"), format!("Touchpoint {n}"))
        });
    }
    for (i, t) in a.support_levels.priorities.iter().enumerate() {
        let path = format!("support_levels.priorities[{i}].clock");
        let n = tier_label(i, t);
        check_clock(ids, &t.clock, path, out, |l| {
            say(l, format!("Priorität {n}"), format!("Priority {n}"))
        });
    }
    for (i, ch) in a.channels.channels.iter().enumerate() {
        let path = format!("channels.channels[{i}].hours");
        check_clock(ids, &ch.hours, path, out, |l| {
            let n = channel_label(i, ch, l);
            say(l, format!("Kanal {n}"), format!("Channel {n}"))
        });
    }
}

fn check_clock(
    ids: &Ids,
    clock: &Clock,
    path: String,
    out: &mut Findings,
    owner: impl Fn(Language) -> String,
) {
    let Clock::BusinessHours { calendar } = clock else {
        return;
    };
    if ids.calendars.contains_key(calendar.as_str()) {
        return;
    }
    out.emit(&CALENDAR_UNKNOWN, format!("{path}.calendar"), |l| {
        let c = quoted(calendar, l);
        say(
            l,
            format!(
                "{} richtet sich nach dem Kalender {c}, der nicht angelegt ist.",
                owner(l)
            ),
            format!(
                "{} follows the calendar {c}, which is not defined.",
                owner(l)
            ),
        )
    });
}

fn hours_text(o: &OpeningHours, lang: Language) -> String {
    format!("{} {}–{}", o.day.label(lang), o.from, o.to)
}

fn check_calendars(a: &Agreement, out: &mut Findings) {
    let mut seen = HashSet::new();
    for (i, cal) in a.support_levels.calendars.iter().enumerate() {
        let base = format!("support_levels.calendars[{i}]");
        let name = label(&[&cal.id, &cal.name], i);
        if filled(&cal.id) && !seen.insert(cal.id.as_str()) {
            out.emit(&CALENDAR_ID_DUPLICATE, format!("{base}.id"), |l| {
                let id = quoted(&cal.id, l);
                say(
                    l,
                    format!("Die Kalender-ID {id} ist bereits vergeben."),
                    format!("The calendar id {id} is already used by another calendar."),
                )
            });
        }
        if cal.tz().is_none() {
            out.emit(&CALENDAR_TIME_ZONE, format!("{base}.time_zone"), |l| {
                let tz = quoted(&cal.time_zone, l);
                say(
                    l,
                    format!(
                        "Kalender {name}: {tz} ist keine IANA-Zeitzone (z. B. „Europe/Berlin“)."
                    ),
                    format!(
                        "Calendar {name}: {tz} is not an IANA time zone (e.g. \"Europe/Berlin\")."
                    ),
                )
            });
        }
        if !cal.weekly.iter().any(|o| o.from < o.to) {
            out.emit(&CALENDAR_WEEK_EMPTY, format!("{base}.weekly"), |l| {
                say(
                    l,
                    format!(
                        "Kalender {name} hat keine gültigen Öffnungszeiten; eine Uhr \
                        nach diesem Kalender läuft nie."
                    ),
                    format!(
                        "Calendar {name} has no valid opening hours; a clock \
                        following it never runs."
                    ),
                )
            });
        }
        for (j, o) in cal.weekly.iter().enumerate() {
            if o.from >= o.to {
                out.emit(
                    &CALENDAR_HOURS_INVERTED,
                    format!("{base}.weekly[{j}]"),
                    |l| {
                        let h = hours_text(o, l);
                        say(
                            l,
                            format!(
                                "Kalender {name}: Das Intervall {h} endet nicht nach \
                                seinem Beginn."
                            ),
                            format!(
                                "Calendar {name}: the interval {h} does not end after it starts."
                            ),
                        )
                    },
                );
            }
        }
        for day in Day::ALL {
            let mut intervals: Vec<(usize, &OpeningHours)> = cal
                .weekly
                .iter()
                .enumerate()
                .filter(|(_, o)| o.day == day && o.from < o.to)
                .collect();
            intervals.sort_by_key(|(j, o)| (o.from, *j));
            let mut furthest: Option<&OpeningHours> = None;
            for (j, o) in intervals {
                if let Some(prev) = furthest {
                    if o.from < prev.to {
                        out.emit(
                            &CALENDAR_HOURS_OVERLAP,
                            format!("{base}.weekly[{j}]"),
                            |l| {
                                let (a, b) = (hours_text(o, l), hours_text(prev, l));
                                say(
                                    l,
                                    format!("Kalender {name}: {a} überschneidet sich mit {b}."),
                                    format!("Calendar {name}: {a} overlaps {b}."),
                                )
                            },
                        );
                    }
                }
                if furthest.is_none_or(|prev| o.to > prev.to) {
                    furthest = Some(o);
                }
            }
        }
    }
}

/// The three time targets of a priority tier.
#[derive(Clone, Copy)]
enum Target {
    FirstResponse,
    UpdateInterval,
    Resolution,
}

impl Target {
    const ALL: [Target; 3] = [
        Target::FirstResponse,
        Target::UpdateInterval,
        Target::Resolution,
    ];

    fn of(self, t: &PriorityTier) -> Option<Duration> {
        match self {
            Target::FirstResponse => t.first_response,
            Target::UpdateInterval => t.update_interval,
            Target::Resolution => t.resolution,
        }
    }
    fn field(self) -> &'static str {
        match self {
            Target::FirstResponse => "first_response",
            Target::UpdateInterval => "update_interval",
            Target::Resolution => "resolution",
        }
    }
    fn name(self, lang: Language) -> &'static str {
        match (self, lang) {
            (Target::FirstResponse, Language::De) => "Erstreaktionszeit",
            (Target::UpdateInterval, Language::De) => "Aktualisierungsintervall",
            (Target::Resolution, Language::De) => "Lösungszeit",
            (Target::FirstResponse, Language::En) => "first-response target",
            (Target::UpdateInterval, Language::En) => "update interval",
            (Target::Resolution, Language::En) => "resolution target",
        }
    }
    /// "a faster resolution target" and its German counterpart.
    fn faster(self, lang: Language) -> &'static str {
        match (self, lang) {
            (Target::FirstResponse, Language::De) => "eine schnellere Erstreaktionszeit",
            (Target::UpdateInterval, Language::De) => "ein kürzeres Aktualisierungsintervall",
            (Target::Resolution, Language::De) => "eine schnellere Lösungszeit",
            (Target::FirstResponse, Language::En) => "a faster first-response target",
            (Target::UpdateInterval, Language::En) => "a shorter update interval",
            (Target::Resolution, Language::En) => "a faster resolution target",
        }
    }
}

fn check_priorities(a: &Agreement, out: &mut Findings) {
    let tiers = &a.support_levels.priorities;
    let mut seen = HashSet::new();
    for (i, t) in tiers.iter().enumerate() {
        let base = format!("support_levels.priorities[{i}]");
        let name = tier_label(i, t);
        if !filled(&t.id) {
            out.emit(&PRIORITY_ID_MISSING, format!("{base}.id"), |l| {
                say(
                    l,
                    format!(
                        "Priorität {name} hat keine ID (z. B. „P1“); Kanäle und \
                        Eskalation können sie nicht nennen."
                    ),
                    format!(
                        "Priority {name} has no id (e.g. \"P1\"); channels and \
                        escalation cannot refer to it."
                    ),
                )
            });
        } else if !seen.insert(t.id.as_str()) {
            out.emit(&PRIORITY_ID_DUPLICATE, format!("{base}.id"), |l| {
                let id = quoted(&t.id, l);
                say(
                    l,
                    format!("Die Prioritäts-ID {id} ist bereits vergeben."),
                    format!("The priority id {id} is already used by another tier."),
                )
            });
        }

        let missing: Vec<Target> = Target::ALL
            .into_iter()
            .filter(|k| k.of(t).is_none())
            .collect();
        if let Some(first) = missing.first() {
            out.emit(
                &PRIORITY_TARGETS_MISSING,
                format!("{base}.{}", first.field()),
                |l| {
                    let names: Vec<String> =
                        missing.iter().map(|k| k.name(l).to_string()).collect();
                    say(
                        l,
                        format!("Priorität {name} – noch offen: {}.", names.join(", ")),
                        format!("Priority {name} – still open: {}.", names.join(", ")),
                    )
                },
            );
        }
        if let (Some(response), Some(resolution)) = (t.first_response, t.resolution) {
            if longer(&response, &resolution) {
                out.emit(
                    &RESOLUTION_BEFORE_RESPONSE,
                    format!("{base}.resolution"),
                    |l| {
                        say(
                            l,
                            format!(
                                "Priorität {name}: Die Lösungszeit ({}) ist kürzer als die \
                                Erstreaktionszeit ({}).",
                                resolution.display(l),
                                response.display(l)
                            ),
                            format!(
                                "Priority {name}: the resolution target ({}) is shorter than \
                                the first-response target ({}).",
                                resolution.display(l),
                                response.display(l)
                            ),
                        )
                    },
                );
            }
        }
        if let (Some(update), Some(resolution)) = (t.update_interval, t.resolution) {
            if longer(&update, &resolution) {
                out.emit(
                    &UPDATE_AFTER_RESOLUTION,
                    format!("{base}.update_interval"),
                    |l| {
                        say(
                            l,
                            format!(
                                "Priorität {name}: Das Aktualisierungsintervall ({}) ist \
                                länger als die Lösungszeit ({}); ein Zwischenstand wäre \
                                nie fällig.",
                                update.display(l),
                                resolution.display(l)
                            ),
                            format!(
                                "Priority {name}: the update interval ({}) is longer than \
                                the resolution target ({}), so no update would ever be due.",
                                update.display(l),
                                resolution.display(l)
                            ),
                        )
                    },
                );
            }
        }
    }

    // A tier must not promise anything faster than every more urgent tier before it does.
    for kind in Target::ALL {
        let mut slowest: Option<(usize, Duration)> = None;
        for (j, t) in tiers.iter().enumerate() {
            let Some(value) = kind.of(t) else { continue };
            if let Some((i, urgent)) = slowest {
                if longer(&urgent, &value) {
                    let (less, more) = (tier_label(j, t), tier_label(i, &tiers[i]));
                    out.emit(
                        &PRIORITY_ORDER,
                        format!("support_levels.priorities[{j}].{}", kind.field()),
                        |l| {
                            say(
                                l,
                                format!(
                                    "{less} hat {} ({}) als die dringendere Priorität {more} ({}).",
                                    kind.faster(l),
                                    value.display(l),
                                    urgent.display(l)
                                ),
                                format!(
                                    "{less} has {} ({}) than the more urgent {more} ({}).",
                                    kind.faster(l),
                                    value.display(l),
                                    urgent.display(l)
                                ),
                            )
                        },
                    );
                }
            }
            if slowest.is_none_or(|(_, urgent)| longer(&value, &urgent)) {
                slowest = Some((j, value));
            }
        }
    }
}

/// Whether an escalation role is written like a role id rather than a function title.
fn looks_like_id(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn check_escalation(a: &Agreement, ids: &Ids, out: &mut Findings) {
    let tiers = &a.support_levels.priorities;
    // Latest trigger so far: of any step, of steps for all priorities, per priority id.
    let mut latest_any: Option<(usize, Duration)> = None;
    let mut latest_all: Option<(usize, Duration)> = None;
    let mut latest_by_tier: HashMap<&str, (usize, Duration)> = HashMap::new();
    // The later of two triggers; on a tie the earlier step, so messages do not depend on the
    // iteration order of the priority set.
    let later = |a: Option<(usize, Duration)>, b: Option<(usize, Duration)>| match (a, b) {
        (Some(x), Some(y)) => Some(std::cmp::max_by_key(x, y, |(i, d)| {
            (d.nominal_minutes(), std::cmp::Reverse(*i))
        })),
        (x, y) => x.or(y),
    };

    for (i, step) in a.support_levels.escalation.iter().enumerate() {
        let base = format!("support_levels.escalation[{i}]");
        let who = [step.role.trim(), step.contact.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let step_name = |l, n: usize| {
            let who = if who.is_empty() || n != i {
                String::new()
            } else {
                format!(" ({who})")
            };
            say(
                l,
                format!("Eskalationsstufe {}{who}", n + 1),
                format!("Escalation step {}{who}", n + 1),
            )
        };

        if !filled(&step.role) && !filled(&step.contact) {
            out.emit(&ESCALATION_NOBODY, format!("{base}.role"), |l| {
                say(
                    l,
                    format!(
                        "{} nennt weder Rolle noch Ansprechpartner.",
                        step_name(l, i)
                    ),
                    format!("{} names neither a role nor a contact.", step_name(l, i)),
                )
            });
        }
        let role = step.role.trim();
        if looks_like_id(role) && !ids.is_role(role) && !ids.role_titles.contains(role) {
            out.emit(&ESCALATION_ROLE_UNKNOWN, format!("{base}.role"), |l| {
                let r = quoted(role, l);
                say(
                    l,
                    format!(
                        "{}: {r} sieht wie eine Rollen-ID aus, ist aber unter den \
                        Pflichten nicht definiert.",
                        step_name(l, i)
                    ),
                    format!(
                        "{}: {r} looks like a role id but is not defined under duties.",
                        step_name(l, i)
                    ),
                )
            });
        }
        for (k, p) in step.priorities.iter().enumerate() {
            if !ids.is_priority(p) {
                out.emit(
                    &ESCALATION_PRIORITY_UNKNOWN,
                    format!("{base}.priorities[{k}]"),
                    |l| {
                        let p = quoted(p, l);
                        say(
                            l,
                            format!(
                                "{} gilt für die Priorität {p}, die es nicht gibt.",
                                step_name(l, i)
                            ),
                            format!(
                                "{} applies to the priority {p}, which does not exist.",
                                step_name(l, i)
                            ),
                        )
                    },
                );
            }
        }

        let Some(after) = step.after else {
            out.emit(&ESCALATION_TRIGGER_MISSING, format!("{base}.after"), |l| {
                say(
                    l,
                    format!(
                        "{} sagt nicht, nach welcher Zeit eskaliert wird.",
                        step_name(l, i)
                    ),
                    format!(
                        "{} does not say after how long it is triggered.",
                        step_name(l, i)
                    ),
                )
            });
            continue;
        };

        let scope: HashSet<&str> = step.priorities.iter().map(String::as_str).collect();
        let applies = |t: &PriorityTier| scope.is_empty() || scope.contains(t.id.as_str());
        let overdue =
            |t: &PriorityTier| applies(t) && t.resolution.is_some_and(|r| longer(&after, &r));
        let late_count = tiers.iter().filter(|t| overdue(t)).count();
        if late_count > 0 {
            out.emit(&ESCALATION_AFTER_RESOLUTION, format!("{base}.after"), |l| {
                let late: Vec<String> = tiers
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| overdue(t))
                    .take(LISTED)
                    .map(|(j, t)| {
                        let resolution = t.resolution.map(|r| r.display(l)).unwrap_or_default();
                        format!("{} ({resolution})", tier_label(j, t))
                    })
                    .collect();
                say(
                    l,
                    format!(
                        "{} greift erst nach {}, später als die Lösungszeit von {}.",
                        step_name(l, i),
                        after.display(l),
                        listing(&late, late_count, l)
                    ),
                    format!(
                        "{} triggers after {}, later than the resolution target of {}.",
                        step_name(l, i),
                        after.display(l),
                        listing(&late, late_count, l)
                    ),
                )
            });
        }

        let earlier = if scope.is_empty() {
            latest_any
        } else {
            scope.iter().fold(latest_all, |acc, p| {
                later(acc, latest_by_tier.get(p).copied())
            })
        };
        if let Some((k, before)) = earlier {
            if longer(&before, &after) {
                out.emit(&ESCALATION_ORDER, format!("{base}.after"), |l| {
                    say(
                        l,
                        format!(
                            "{} greift nach {}, früher als die vorangehende {} (nach {}).",
                            step_name(l, i),
                            after.display(l),
                            step_name(l, k),
                            before.display(l)
                        ),
                        format!(
                            "{} triggers after {}, earlier than the preceding {} (after {}).",
                            step_name(l, i),
                            after.display(l),
                            step_name(l, k).to_lowercase(),
                            before.display(l)
                        ),
                    )
                });
            }
        }
        let this = Some((i, after));
        latest_any = later(latest_any, this);
        if scope.is_empty() {
            latest_all = later(latest_all, this);
        } else {
            for p in scope {
                let entry = latest_by_tier.get(p).copied();
                if let Some(v) = later(entry, this) {
                    latest_by_tier.insert(p, v);
                }
            }
        }
    }
}

fn check_service_tiers(a: &Agreement, ids: &Ids, out: &mut Findings) {
    for (i, st) in a.support_levels.service_tiers.iter().enumerate() {
        let base = format!("support_levels.service_tiers[{i}]");
        let name = label(&[&st.name], i);
        for (k, p) in st.priorities.iter().enumerate() {
            if !ids.is_priority(p) {
                out.emit(
                    &SERVICE_TIER_PRIORITY_UNKNOWN,
                    format!("{base}.priorities[{k}]"),
                    |l| {
                        let p = quoted(p, l);
                        say(
                            l,
                            format!(
                                "Servicepaket {name} enthält die Priorität {p}, die es nicht gibt."
                            ),
                            format!(
                                "Service tier {name} includes the priority {p}, which does \
                                not exist."
                            ),
                        )
                    },
                );
            }
        }
        if let (Some(price), None) = (&st.price, st.billing) {
            out.emit(
                &SERVICE_TIER_BILLING_MISSING,
                format!("{base}.billing"),
                |l| {
                    let p = price.display(l);
                    say(
                        l,
                        format!(
                            "Servicepaket {name} kostet {p}, aber der Abrechnungszeitraum fehlt."
                        ),
                        format!(
                            "Service tier {name} costs {p}, but the billing period is missing."
                        ),
                    )
                },
            );
        }
    }
}

// ---------------------------------------------------------------- 3. Channels

/// Whether a channel takes tickets of this tier (an empty `accepts` takes all).
fn accepts(ch: &Channel, t: &PriorityTier) -> bool {
    ch.accepts.is_empty() || (filled(&t.id) && ch.accepts.contains(&t.id))
}

/// The tier with the shortest first-response target among those `pick` selects.
fn fastest_response(
    tiers: &[PriorityTier],
    pick: impl Fn(&PriorityTier) -> bool,
) -> Option<(usize, &PriorityTier, Duration)> {
    tiers
        .iter()
        .enumerate()
        .filter(|(_, t)| pick(t))
        .filter_map(|(j, t)| t.first_response.map(|d| (j, t, d)))
        .min_by_key(|(j, _, d)| (d.nominal_minutes(), *j))
}

fn check_channels(a: &Agreement, ids: &Ids, out: &mut Findings) {
    let tiers = &a.support_levels.priorities;
    let fastest_of_all = fastest_response(tiers, |_| true);
    for (i, ch) in a.channels.channels.iter().enumerate() {
        let base = format!("channels.channels[{i}]");
        for (k, p) in ch.accepts.iter().enumerate() {
            if !ids.is_priority(p) {
                out.emit(
                    &CHANNEL_PRIORITY_UNKNOWN,
                    format!("{base}.accepts[{k}]"),
                    |l| {
                        let p = quoted(p, l);
                        let n = channel_label(i, ch, l);
                        say(
                            l,
                            format!("Kanal {n} nimmt die Priorität {p} an, die es nicht gibt."),
                            format!("Channel {n} accepts the priority {p}, which does not exist."),
                        )
                    },
                );
            }
        }
        let Some(response) = ch.response_target else {
            continue;
        };
        let fastest = if ch.accepts.is_empty() {
            fastest_of_all
        } else {
            let accepted: HashSet<&str> = ch.accepts.iter().map(String::as_str).collect();
            fastest_response(tiers, |t| filled(&t.id) && accepted.contains(t.id.as_str()))
        };
        let Some((j, tier, promised)) = fastest else {
            continue;
        };
        if longer(&response, &promised) {
            out.emit(
                &CHANNEL_RESPONSE_SLOWER,
                format!("{base}.response_target"),
                |l| {
                    let n = channel_label(i, ch, l);
                    let t = tier_label(j, tier);
                    say(
                        l,
                        format!(
                            "Kanal {n} sagt eine Antwort in {} zu, nimmt aber {t} an, \
                            dessen Erstreaktion in {} fällig ist.",
                            response.display(l),
                            promised.display(l)
                        ),
                        format!(
                            "Channel {n} promises a response within {}, but accepts {t}, \
                            whose first response is due within {}.",
                            response.display(l),
                            promised.display(l)
                        ),
                    )
                },
            );
        }
    }
}

/// Hours the critical tier's clock counts but a channel is closed.
struct CoverageGap {
    weekly: Vec<OpeningHours>,
    /// The channel closes on holidays on which the tier's clock keeps running.
    holidays: bool,
}

fn open_around_the_clock() -> BusinessCalendar {
    BusinessCalendar {
        time_zone: "UTC".into(),
        weekly: Day::ALL
            .into_iter()
            .map(|day| OpeningHours {
                day,
                from: ClockTime::MIDNIGHT,
                to: ClockTime::END_OF_DAY,
            })
            .collect(),
        ..BusinessCalendar::default()
    }
}

/// `promised` is the tier's calendar, or `None` for a tier that runs 24/7.
fn coverage_gap(promised: Option<&BusinessCalendar>, staffed: &BusinessCalendar) -> CoverageGap {
    match promised {
        None => {
            // Around the clock in any zone: compare in the channel's own local time.
            let local = BusinessCalendar {
                time_zone: "UTC".into(),
                ..staffed.clone()
            };
            CoverageGap {
                weekly: open_around_the_clock().uncovered_by(&local),
                holidays: staffed.german_public_holidays || !staffed.holidays.is_empty(),
            }
        }
        Some(tier) => {
            let open_on = |d: NaiveDate| {
                use chrono::Datelike;
                let day = Day::from_weekday(d.weekday());
                tier.weekly.iter().any(|o| o.day == day && o.from < o.to)
            };
            CoverageGap {
                weekly: tier.uncovered_by(staffed),
                holidays: (staffed.german_public_holidays && !tier.german_public_holidays)
                    || staffed
                        .holidays
                        .iter()
                        .any(|h| !tier.is_holiday(h.date) && open_on(h.date)),
            }
        }
    }
}

fn check_critical_channel_hours(a: &Agreement, ids: &Ids, out: &mut Findings) {
    let Some(critical) = a.support_levels.priorities.first() else {
        return;
    };
    let promised = match &critical.clock {
        Clock::AlwaysOn => None,
        Clock::BusinessHours { calendar } => match ids.calendars.get(calendar.as_str()) {
            Some(c) => Some(*c),
            None => return, // reported by calendar-unknown
        },
    };
    let tier = tier_label(0, critical);
    let mut gaps: HashMap<&str, CoverageGap> = HashMap::new();
    for (i, ch) in a.channels.channels.iter().enumerate() {
        if !accepts(ch, critical) {
            continue;
        }
        let Clock::BusinessHours { calendar } = &ch.hours else {
            continue;
        };
        let Some(staffed) = ids.calendars.get(calendar.as_str()) else {
            continue;
        };
        let gap = gaps
            .entry(calendar.as_str())
            .or_insert_with(|| coverage_gap(promised, staffed));
        if gap.weekly.is_empty() && !gap.holidays {
            continue;
        }
        let minutes: u32 = gap
            .weekly
            .iter()
            .map(|o| u32::from(o.to.0.saturating_sub(o.from.0)))
            .sum();
        let per_week = if minutes.is_multiple_of(60) {
            Duration::hours(minutes / 60)
        } else {
            Duration::minutes(minutes)
        };
        out.emit(
            &CRITICAL_CHANNEL_HOURS,
            format!("channels.channels[{i}].hours"),
            |l| {
                let n = channel_label(i, ch, l);
                let slots: Vec<String> = gap.weekly.iter().map(|o| hours_text(o, l)).collect();
                let weekly = if slots.is_empty() {
                    String::new()
                } else {
                    say(
                        l,
                        format!(
                            " {} pro Woche unbesetzt ({})",
                            per_week.display(l),
                            listing(&slots, slots.len(), l)
                        ),
                        format!(
                            " {} a week unstaffed ({})",
                            per_week.display(l),
                            listing(&slots, slots.len(), l)
                        ),
                    )
                };
                let holidays = match (gap.holidays, slots.is_empty()) {
                    (false, _) => String::new(),
                    (true, true) => say(
                        l,
                        " an Feiertagen geschlossen".into(),
                        " closed on holidays".into(),
                    ),
                    (true, false) => say(
                        l,
                        "; außerdem an Feiertagen geschlossen".into(),
                        "; also closed on holidays".into(),
                    ),
                };
                say(
                    l,
                    format!(
                        "Kanal {n} nimmt {tier}-Tickets an, ist aber nicht zu allen \
                        Zeiten besetzt, in denen die Uhr von {tier} \
                        läuft:{weekly}{holidays}."
                    ),
                    format!(
                        "Channel {n} accepts {tier} tickets but is not staffed in \
                        all hours {tier}'s clock counts:{weekly}{holidays}."
                    ),
                )
            },
        );
    }
}

// ---------------------------------------------------------------- 4. Departments

fn check_departments(a: &Agreement, ids: &Ids, out: &mut Findings) {
    for (i, d) in a.departments.departments.iter().enumerate() {
        let base = format!("departments.departments[{i}]");
        let name = label(&[&d.name], i);
        if let (Some(response), Some(resolution)) = (d.response_target, d.resolution_target) {
            if longer(&response, &resolution) {
                out.emit(
                    &DEPARTMENT_RESOLUTION_BEFORE_RESPONSE,
                    format!("{base}.resolution_target"),
                    |l| {
                        say(
                            l,
                            format!(
                                "Abteilung {name}: Das Lösungsziel ({}) ist kürzer als das \
                                Reaktionsziel ({}).",
                                resolution.display(l),
                                response.display(l)
                            ),
                            format!(
                                "Department {name}: the resolution target ({}) is shorter \
                                than the response target ({}).",
                                resolution.display(l),
                                response.display(l)
                            ),
                        )
                    },
                );
            }
        }
        if let (Some(response), Some(ceiling)) = (d.response_target, d.escalation_ceiling) {
            if longer(&response, &ceiling) {
                out.emit(
                    &DEPARTMENT_CEILING_BEFORE_RESPONSE,
                    format!("{base}.escalation_ceiling"),
                    |l| {
                        say(
                            l,
                            format!(
                                "Abteilung {name}: Fälle gehen nach {} an die Leitung, noch \
                                vor dem Reaktionsziel ({}).",
                                ceiling.display(l),
                                response.display(l)
                            ),
                            format!(
                                "Department {name}: cases go to management after {}, before \
                                the response target ({}) has even passed.",
                                ceiling.display(l),
                                response.display(l)
                            ),
                        )
                    },
                );
            }
        }
        let (de, en) = (
            format!("Verantwortlich für Abteilung {name}"),
            format!("Owner of department {name}"),
        );
        check_owner(ids, &d.owner, format!("{base}.owner"), (&de, &en), out);
    }
}

// ---------------------------------------------------------------- 5. Metrics

fn check_kpis(a: &Agreement, out: &mut Findings) {
    let mut seen = HashSet::new();
    for (i, k) in a.metrics.kpis.iter().enumerate() {
        let base = format!("metrics.kpis[{i}]");
        let name = label(&[&k.id, &k.name], i);
        if !filled(&k.id) {
            out.emit(&KPI_ID_MISSING, format!("{base}.id"), |l| {
                say(
                    l,
                    format!(
                        "Kennzahl {name} hat keine ID; Gutschriften können sich \
                        nicht auf sie beziehen."
                    ),
                    format!("KPI {name} has no id; service credits cannot refer to it."),
                )
            });
        } else if !seen.insert(k.id.as_str()) {
            out.emit(&KPI_ID_DUPLICATE, format!("{base}.id"), |l| {
                let id = quoted(&k.id, l);
                say(
                    l,
                    format!("Die Kennzahl-ID {id} ist bereits vergeben."),
                    format!("The KPI id {id} is already used by another KPI."),
                )
            });
        }
        if k.target.is_none() {
            out.emit(&KPI_TARGET_MISSING, format!("{base}.target"), |l| {
                say(
                    l,
                    format!("Kennzahl {name} hat keinen Zielwert."),
                    format!("KPI {name} has no target."),
                )
            });
        }
        if !filled(&k.unit) {
            out.emit(&KPI_UNIT_MISSING, format!("{base}.unit"), |l| {
                say(
                    l,
                    format!("Kennzahl {name} hat keine Einheit."),
                    format!("KPI {name} has no unit."),
                )
            });
        }
        if !filled(&k.data_source) {
            out.emit(&KPI_SOURCE_MISSING, format!("{base}.data_source"), |l| {
                say(
                    l,
                    format!("Kennzahl {name}: Die Datenquelle der Messung fehlt."),
                    format!("KPI {name} does not say where its data comes from."),
                )
            });
        }
        if let (Some(target), Some(minimum)) = (k.target, k.minimum) {
            match minimum.is_at_least_as_strict_as(&target) {
                None => out.emit(&KPI_THRESHOLD_DIRECTION, format!("{base}.minimum"), |l| {
                    say(
                        l,
                        format!(
                            "Kennzahl {name}: Zielwert ({}) und Mindestwert ({}) zeigen \
                            in entgegengesetzte Richtungen.",
                            target.display(l),
                            minimum.display(l)
                        ),
                        format!(
                            "KPI {name}: the target ({}) and the minimum ({}) point in \
                            opposite directions.",
                            target.display(l),
                            minimum.display(l)
                        ),
                    )
                }),
                Some(true) if minimum.value != target.value => {
                    out.emit(&KPI_MINIMUM_STRICTER, format!("{base}.minimum"), |l| {
                        say(
                            l,
                            format!(
                                "Kennzahl {name}: Der Mindestwert ({}) ist strenger als der \
                                Zielwert ({}).",
                                minimum.display(l),
                                target.display(l)
                            ),
                            format!(
                                "KPI {name}: the minimum acceptable level ({}) is stricter \
                                than the target ({}).",
                                minimum.display(l),
                                target.display(l)
                            ),
                        )
                    })
                }
                _ => {}
            }
        }
    }
}

/// Whether a breach condition also holds for values that meet the target.
fn breach_meets_target(breach: &Threshold, target: &Threshold) -> bool {
    match target.comparison {
        Comparison::AtLeast => {
            breach.comparison != Comparison::AtMost || breach.value >= target.value
        }
        Comparison::AtMost => {
            breach.comparison != Comparison::AtLeast || breach.value <= target.value
        }
    }
}

fn check_credits(a: &Agreement, ids: &Ids, out: &mut Findings) {
    let m = &a.metrics;
    let mut largest: HashMap<&str, Decimal> = HashMap::new();
    for (i, c) in m.service_credits.iter().enumerate() {
        let base = format!("metrics.service_credits[{i}]");
        let n = i + 1;
        let kpi = ids.kpis.get(c.kpi.as_str()).filter(|_| filled(&c.kpi));
        if kpi.is_none() {
            out.emit(&CREDIT_KPI_UNKNOWN, format!("{base}.kpi"), |l| {
                if filled(&c.kpi) {
                    let k = quoted(&c.kpi, l);
                    say(
                        l,
                        format!(
                            "Gutschrift {n} bezieht sich auf die Kennzahl {k}, die es nicht gibt."
                        ),
                        format!("Service credit {n} refers to the KPI {k}, which does not exist."),
                    )
                } else {
                    say(
                        l,
                        format!("Gutschrift {n} nennt keine Kennzahl."),
                        format!("Service credit {n} names no KPI."),
                    )
                }
            });
        }
        let what = label(&[&c.kpi], i);
        let missing = match (c.breach.is_none(), c.credit.is_none()) {
            (true, true) => Some((
                "breach",
                "Es fehlen Auslöseschwelle und Höhe",
                "a breach level and an amount",
            )),
            (true, false) => Some(("breach", "Es fehlt die Auslöseschwelle", "a breach level")),
            (false, true) => Some(("credit", "Es fehlt die Höhe", "an amount")),
            (false, false) => None,
        };
        if let Some((field, de, en)) = missing {
            out.emit(&CREDIT_INCOMPLETE, format!("{base}.{field}"), |l| {
                say(
                    l,
                    format!("Gutschrift {n} ({what}): {de}."),
                    format!("Service credit {n} ({what}) lacks {en}."),
                )
            });
        }
        if let (Some(breach), Some(target)) = (c.breach, kpi.and_then(|k| k.target)) {
            if breach_meets_target(&breach, &target) {
                out.emit(&CREDIT_BREACH_MEETS_TARGET, format!("{base}.breach"), |l| {
                    say(
                        l,
                        format!(
                            "Gutschrift {n} ({what}) wird bei {} fällig; das schließt \
                            Werte ein, die den Zielwert {} erfüllen.",
                            breach.display(l),
                            target.display(l)
                        ),
                        format!(
                            "Service credit {n} ({what}) is due at {}, which includes \
                            values that meet the target {}.",
                            breach.display(l),
                            target.display(l)
                        ),
                    )
                });
            }
        }
        if let Some(credit) = c.credit {
            let entry = largest.entry(c.kpi.as_str()).or_insert(credit.0);
            *entry = (*entry).max(credit.0);
            if let Some(cap) = m.credit_cap.filter(|cap| credit > *cap) {
                out.emit(&CREDIT_ABOVE_CAP, format!("{base}.credit"), |l| {
                    say(
                        l,
                        format!(
                            "Gutschrift {n} ({what}) beträgt {}, mehr als die Obergrenze \
                            von {}; sie kann nie voll gewährt werden.",
                            credit.display(l),
                            cap.display(l)
                        ),
                        format!(
                            "Service credit {n} ({what}) is {}, more than the cap of {}, \
                            so it can never be paid in full.",
                            credit.display(l),
                            cap.display(l)
                        ),
                    )
                });
            }
        }
    }
    match m.credit_cap {
        Some(cap) => {
            let total = Percent(Decimal(
                largest
                    .values()
                    .fold(0i64, |sum, d| sum.saturating_add(d.0)),
            ));
            if total > cap && largest.len() > 1 {
                out.emit(&CREDIT_SUM_ABOVE_CAP, "metrics.credit_cap".into(), |l| {
                    say(
                        l,
                        format!(
                            "Die höchsten Gutschriften aller Kennzahlen ergeben zusammen \
                            {}, mehr als die Obergrenze von {}; die Obergrenze begrenzt \
                            die Auszahlung.",
                            total.display(l),
                            cap.display(l)
                        ),
                        format!(
                            "The largest credits of all KPIs add up to {}, more than the \
                            cap of {}; the cap limits the payout.",
                            total.display(l),
                            cap.display(l)
                        ),
                    )
                });
            }
        }
        None if !m.service_credits.is_empty() => {
            out.emit(&CREDIT_CAP_MISSING, "metrics.credit_cap".into(), |l| {
                let n = m.service_credits.len();
                say(
                    l,
                    format!("Es gibt {n} Gutschrift(en), aber keine Obergrenze pro Monat."),
                    format!("There are {n} service credit(s) but no monthly cap."),
                )
            });
        }
        None => {}
    }
    if let Some(target) = m
        .availability_target
        .filter(|t| t.0 < Decimal::from_int(90))
    {
        out.emit(
            &AVAILABILITY_TARGET_LOW,
            "metrics.availability_target".into(),
            |l| {
                say(
                    l,
                    format!(
                        "Ein Verfügbarkeitsziel von {} ist ungewöhnlich niedrig (unter 90 %).",
                        target.display(l)
                    ),
                    format!(
                        "An availability target of {} is unusually low (below 90 %).",
                        target.display(l)
                    ),
                )
            },
        );
    }
}

// ---------------------------------------------------------------- 6. Feedback

fn feedback_kind(kind: FeedbackKind, lang: Language) -> &'static str {
    match (kind, lang) {
        (FeedbackKind::Csat, _) => "CSAT",
        (FeedbackKind::Nps, _) => "NPS",
        (FeedbackKind::Ces, _) => "CES",
        (FeedbackKind::Reviews, Language::De) => "Bewertungen",
        (FeedbackKind::Reviews, Language::En) => "reviews",
        (FeedbackKind::Interview, Language::De) => "Interviews",
        (FeedbackKind::Interview, Language::En) => "interviews",
        (FeedbackKind::Other, Language::De) => "Sonstige",
        (FeedbackKind::Other, Language::En) => "other",
    }
}

fn check_feedback(a: &Agreement, ids: &Ids, out: &mut Findings) {
    let f = &a.feedback;
    for (i, method) in f.methods.iter().enumerate() {
        let missing = match (method.target.is_none(), method.frequency.is_none()) {
            (true, true) => Some((
                "target",
                "Es fehlen Zielwert und Turnus",
                "no target and no frequency",
            )),
            (true, false) => Some(("target", "Es fehlt ein Zielwert", "no target")),
            (false, true) => Some(("frequency", "Es fehlt der Turnus", "no frequency")),
            (false, false) => None,
        };
        let Some((field, de, en)) = missing else {
            continue;
        };
        let name = |l| label(&[&method.description, feedback_kind(method.kind, l)], i);
        out.emit(
            &FEEDBACK_METHOD_INCOMPLETE,
            format!("feedback.methods[{i}].{field}"),
            |l| {
                say(
                    l,
                    format!("Feedback-Methode {}: {de}.", name(l)),
                    format!("Feedback method {} has {en}.", name(l)),
                )
            },
        );
    }

    let c = &f.complaints;
    let described = c.submission.iter().any(|s| filled(s))
        || c.acknowledgement.is_some()
        || c.investigation.is_some()
        || c.resolution.is_some()
        || filled(&c.escalation)
        || filled(&c.owner);
    if described {
        let missing = match (c.acknowledgement.is_none(), c.resolution.is_none()) {
            (true, true) => Some((
                "acknowledgement",
                "fehlen die Fristen für Eingangsbestätigung und Erledigung",
                "no time limit to acknowledge or to resolve a complaint",
            )),
            (true, false) => Some((
                "acknowledgement",
                "fehlt die Frist für die Eingangsbestätigung",
                "no time limit to acknowledge a complaint",
            )),
            (false, true) => Some((
                "resolution",
                "fehlt die Frist für die Erledigung",
                "no time limit to resolve a complaint",
            )),
            (false, false) => None,
        };
        if let Some((field, de, en)) = missing {
            out.emit(
                &COMPLAINT_TIME_LIMITS_MISSING,
                format!("feedback.complaints.{field}"),
                |l| {
                    say(
                        l,
                        format!("Im Beschwerdeverfahren {de}."),
                        format!("The complaint procedure has {en}."),
                    )
                },
            );
        }
    }
    if let Some(resolution) = c.resolution {
        let steps = [
            (
                "acknowledgement",
                c.acknowledgement,
                "Die Eingangsbestätigung",
                "The acknowledgement",
            ),
            (
                "investigation",
                c.investigation,
                "Die Untersuchung",
                "The investigation",
            ),
        ];
        for (field, value, de, en) in steps {
            let Some(value) = value.filter(|v| longer(v, &resolution)) else {
                continue;
            };
            out.emit(
                &COMPLAINT_TIME_ORDER,
                format!("feedback.complaints.{field}"),
                |l| {
                    say(
                        l,
                        format!(
                            "{de} einer Beschwerde ({}) dauert länger als ihre Erledigung ({}).",
                            value.display(l),
                            resolution.display(l)
                        ),
                        format!(
                            "{en} of a complaint ({}) takes longer than its resolution ({}).",
                            value.display(l),
                            resolution.display(l)
                        ),
                    )
                },
            );
        }
    }
    check_owner(
        ids,
        &c.owner,
        "feedback.complaints.owner".into(),
        ("Verantwortlich für Beschwerden", "Owner of complaints"),
        out,
    );
}

// ---------------------------------------------------------------- 7. Duties

fn check_roles(a: &Agreement, out: &mut Findings) {
    let mut seen = HashSet::new();
    for (i, r) in a.duties.roles.iter().enumerate() {
        let path = format!("duties.roles[{i}].id");
        if !filled(&r.id) {
            let name = label(&[&r.title, &r.person], i);
            out.emit(&ROLE_ID_MISSING, path, |l| {
                say(
                    l,
                    format!(
                        "Rolle {name} hat keine ID; RACI, Eskalation und \
                        Verantwortliche können sie nicht nennen."
                    ),
                    format!(
                        "Role {name} has no id; the RACI, escalation and owners \
                        cannot refer to it."
                    ),
                )
            });
        } else if !seen.insert(r.id.as_str()) {
            out.emit(&ROLE_ID_DUPLICATE, path, |l| {
                let id = quoted(&r.id, l);
                say(
                    l,
                    format!("Die Rollen-ID {id} ist bereits vergeben."),
                    format!("The role id {id} is already used by another role."),
                )
            });
        }
    }
}

/// The RACI letters of a cell, upper-cased; other characters and repeats are reported.
struct RaciCell {
    letters: Vec<char>,
    invalid: Vec<char>,
    repeated: bool,
}

fn parse_raci(text: &str) -> RaciCell {
    let mut cell = RaciCell {
        letters: Vec::new(),
        invalid: Vec::new(),
        repeated: false,
    };
    for c in text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, ',' | '/' | '+'))
    {
        let upper = c.to_ascii_uppercase();
        if !matches!(upper, 'R' | 'A' | 'C' | 'I') {
            cell.invalid.push(c);
        } else if cell.letters.contains(&upper) {
            cell.repeated = true;
        } else {
            cell.letters.push(upper);
        }
    }
    cell
}

fn check_raci(a: &Agreement, ids: &Ids, out: &mut Findings) {
    for (i, activity) in a.duties.raci.iter().enumerate() {
        let base = format!("duties.raci[{i}]");
        let name = label(&[&activity.activity], i);
        let mut accountable: Vec<String> = Vec::new();
        let mut responsible = 0usize;
        let mut seen = HashSet::new();
        for (j, cell) in activity.assignments.iter().enumerate() {
            let path = format!("{base}.assignments[{j}]");
            let role = cell.role.trim();
            if !ids.is_role(role) {
                out.emit(&RACI_ROLE_UNKNOWN, format!("{path}.role"), |l| {
                    if role.is_empty() {
                        say(
                            l,
                            format!("RACI „{name}“: Eine Zuordnung nennt keine Rolle."),
                            format!("RACI \"{name}\": an assignment names no role."),
                        )
                    } else {
                        let r = quoted(role, l);
                        say(
                            l,
                            format!(
                                "RACI „{name}“: {r} ist keine unter den Pflichten \
                                definierte Rolle."
                            ),
                            format!("RACI \"{name}\": {r} is not a role defined under duties."),
                        )
                    }
                });
            } else if !seen.insert(role) {
                out.emit(&RACI_ROLE_REPEATED, format!("{path}.role"), |l| {
                    let r = quoted(role, l);
                    say(
                        l,
                        format!(
                            "RACI „{name}“: Die Rolle {r} kommt mehrfach vor; fassen Sie \
                            ihre Buchstaben zusammen."
                        ),
                        format!(
                            "RACI \"{name}\": the role {r} appears more than once; \
                            combine its letters."
                        ),
                    )
                });
            }
            let letters = parse_raci(&cell.letters);
            if letters.letters.contains(&'A') {
                accountable.push(label(&[role], j));
            }
            if letters.letters.contains(&'R') {
                responsible += 1;
            }
            let problem = if !letters.invalid.is_empty() {
                let bad: String = letters.invalid.iter().collect();
                Some((
                    format!("enthält ungültige Zeichen ({bad}); erlaubt sind R, A, C, I"),
                    format!("holds invalid characters ({bad}); only R, A, C, I are allowed"),
                ))
            } else if letters.letters.is_empty() {
                Some(("ist leer".to_string(), "is empty".to_string()))
            } else if letters.repeated {
                Some((
                    "wiederholt einen Buchstaben".to_string(),
                    "repeats a letter".to_string(),
                ))
            } else {
                None
            };
            if let Some((de, en)) = problem {
                let who = label(&[role], j);
                out.emit(&RACI_LETTERS, format!("{path}.letters"), |l| {
                    let text = quoted(&cell.letters, l);
                    say(
                        l,
                        format!("RACI „{name}“, Rolle {who}: {text} {de}."),
                        format!("RACI \"{name}\", role {who}: {text} {en}."),
                    )
                });
            }
        }
        if accountable.len() != 1 {
            out.emit(&RACI_ACCOUNTABLE, base.clone(), |l| {
                if accountable.is_empty() {
                    say(
                        l,
                        format!(
                            "RACI „{name}“: Keine Rolle trägt die Verantwortung (A); \
                            genau eine muss es sein."
                        ),
                        format!(
                            "RACI \"{name}\": no role is accountable (A); exactly one must be."
                        ),
                    )
                } else {
                    say(
                        l,
                        format!(
                            "RACI „{name}“: Mehrere Rollen tragen die Verantwortung (A): \
                            {}; genau eine muss es sein.",
                            listing(&accountable, accountable.len(), l)
                        ),
                        format!(
                            "RACI \"{name}\": several roles are accountable (A): {}; \
                            exactly one must be.",
                            listing(&accountable, accountable.len(), l)
                        ),
                    )
                }
            });
        }
        if responsible == 0 {
            out.emit(&RACI_RESPONSIBLE_MISSING, base, |l| {
                say(
                    l,
                    format!("RACI „{name}“: Keine Rolle führt die Tätigkeit aus (R)."),
                    format!("RACI \"{name}\": no role is responsible for doing the work (R)."),
                )
            });
        }
    }
}

// ---------------------------------------------------------------- 8. Training

fn check_training(a: &Agreement, ids: &Ids, out: &mut Findings) {
    for (i, p) in a.training.programmes.iter().enumerate() {
        let name = label(&[&p.topic], i);
        let (de, en) = (
            format!("Verantwortlich für Schulung {name}"),
            format!("Owner of training {name}"),
        );
        check_owner(
            ids,
            &p.owner,
            format!("training.programmes[{i}].owner"),
            (&de, &en),
            out,
        );
    }
}

// ---------------------------------------------------------------- 9. Amendments

/// A name used as a key (a party, a role title), for comparing: trimmed, lower case and in
/// Unicode normal form C, so that "Müller" typed and "Müller" pasted in decomposed form match.
fn name_key(text: &str) -> String {
    text.trim().to_lowercase().nfc().collect()
}

/// Proposers may be named as a party instead of a role.
fn is_party(text: &str, a: &Agreement) -> bool {
    let t = name_key(text);
    let words = [
        "provider",
        "customer",
        "anbieter",
        "kunde",
        "auftraggeber",
        "auftragnehmer",
    ];
    words.contains(&t.as_str())
        || [&a.overview.provider.name, &a.overview.customer.name]
            .iter()
            .any(|n| filled(n) && name_key(n) == t)
}

fn check_amendments(a: &Agreement, ids: &Ids, out: &mut Findings) {
    let am = &a.amendments;
    for (k, p) in am.proposers.iter().enumerate() {
        if ids.is_role(p) || is_party(p, a) {
            continue;
        }
        out.emit(&ROLE_UNKNOWN, format!("amendments.proposers[{k}]"), |l| {
            let p = quoted(p, l);
            say(
                l,
                format!(
                    "Wer Änderungen vorschlagen darf: {p} ist weder eine \
                    definierte Rolle noch eine Vertragspartei."
                ),
                format!("Who may propose changes: {p} is neither a defined role nor a party."),
            )
        });
    }
    let mut sides = HashSet::new();
    let mut all_known = true;
    for (k, r) in am.approvers.iter().enumerate() {
        match ids.roles.get(r.as_str()).filter(|_| filled(r)) {
            Some(role) => {
                sides.insert(role.party);
            }
            None => {
                all_known = false;
                out.emit(&ROLE_UNKNOWN, format!("amendments.approvers[{k}]"), |l| {
                    let r = quoted(r, l);
                    say(
                        l,
                        format!(
                            "Wer Änderungen genehmigen muss: {r} ist keine unter den \
                            Pflichten definierte Rolle."
                        ),
                        format!(
                            "Who must approve changes: {r} is not a role defined under duties."
                        ),
                    )
                });
            }
        }
    }
    if all_known && sides.len() == 1 {
        let side = sides.into_iter().next().unwrap_or_default();
        out.emit(
            &AMENDMENT_APPROVERS_ONE_SIDED,
            "amendments.approvers".into(),
            |l| {
                let (party, other) = match side {
                    PartySide::Provider => (
                        say(l, "dem Anbieter".into(), "the provider".into()),
                        say(l, "der Kunde".into(), "the customer".into()),
                    ),
                    PartySide::Customer => (
                        say(l, "dem Kunden".into(), "the customer".into()),
                        say(l, "der Anbieter".into(), "the provider".into()),
                    ),
                };
                say(
                    l,
                    format!(
                        "Alle Genehmigenden einer Änderung gehören zu {party}; \
                        {other} muss nicht zustimmen."
                    ),
                    format!(
                        "Everyone who must approve a change belongs to {party}; \
                        {other} has no say."
                    ),
                )
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};
    use serde_json::{json, Value};

    use super::*;
    use crate::model::{EscalationStep, Holiday, RaciActivity, RaciAssignment, ServiceCredit};

    #[test]
    fn a_party_named_in_another_unicode_normal_form_is_the_same_party() {
        // "Müller" typed on a keyboard is NFC; pasted from a PDF or a Mac it is often NFD.
        let a = agreement(&json!({
            "overview": {"customer": {"name": "M\u{00FC}ller GmbH"}},
            "amendments": {"proposers": ["Mu\u{0308}ller GmbH"], "approvers": []}
        }));
        let report = check(&a);
        let unknown: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.path == "amendments.proposers[0]")
            .collect();
        assert!(
            unknown.is_empty(),
            "the proposer is the customer, only in decomposed form: {unknown:?}"
        );
    }

    fn agreement(json: &Value) -> Agreement {
        serde_json::from_value(json.clone())
            .unwrap_or_else(|e| panic!("fixture must be a valid agreement ({e}):\n{json:#}"))
    }

    fn report(json: &Value) -> Report {
        check(&agreement(json))
    }

    /// The ids of the checks that fire on an agreement given as JSON, in report order.
    fn check_ids(json: Value) -> Vec<String> {
        report(&json)
            .findings
            .into_iter()
            .map(|f| f.check)
            .collect()
    }

    /// Findings rendered one per block, for snapshots.
    fn render(json: Value) -> String {
        report(&json)
            .findings
            .iter()
            .map(|f| {
                format!(
                    "{:?} {} @ {}\n  de: {}\n  en: {}\n",
                    f.severity, f.check, f.path, f.message_de, f.message_en
                )
            })
            .collect()
    }

    fn assert_findings(json: Value, expect: Expect) {
        expect.assert_eq(&render(json));
    }

    // ------------------------------------------------------------ fixture parts

    fn office() -> Value {
        calendar(
            "office",
            &["mon", "tue", "wed", "thu", "fri"],
            "08:00",
            "18:00",
        )
    }

    fn calendar(id: &str, days: &[&str], from: &str, to: &str) -> Value {
        let weekly: Vec<Value> = days
            .iter()
            .map(|d| json!({"day": d, "from": from, "to": to}))
            .collect();
        json!({"id": id, "name": id, "time_zone": "Europe/Berlin", "weekly": weekly,
               "german_public_holidays": true})
    }

    fn tier(id: &str, first_response: &str, update: &str, resolution: &str) -> Value {
        json!({"id": id, "name": id, "definition": "Defined", "examples": ["Example"],
               "first_response": first_response, "update_interval": update,
               "resolution": resolution})
    }

    fn roles() -> Value {
        json!([
            {"id": "sdm", "title": "Service Delivery Manager", "party": "provider"},
            {"id": "lead", "title": "Support team lead", "party": "provider"},
            {"id": "it-lead", "title": "IT lead", "party": "customer"}
        ])
    }

    fn kpi(id: &str) -> Value {
        json!({"id": id, "name": id, "unit": "%", "target": ">= 70", "data_source": "Ticket system"})
    }

    fn availability() -> Value {
        json!({"id": "availability", "name": "Availability", "unit": "%", "target": ">= 99.5",
               "data_source": "Monitoring"})
    }

    /// A fully drafted, consistent agreement: every checklist item done, no finding.
    fn complete() -> Value {
        json!({
            "title": "Support agreement",
            "language": "en",
            "overview": {
                "provider": {"name": "Acme Service GmbH", "address": "Hauptstr. 1, Berlin",
                    "contacts": [{"name": "Jana Roth", "function": "Service Delivery Manager",
                                  "email": "jana.roth@acme.example"}]},
                "customer": {"name": "Beta AG",
                    "contacts": [{"name": "Olaf Kern", "function": "IT lead", "phone": "+49 30 1"}]},
                "purpose": "Support for the customer's ERP users.",
                "scope": {"services": [{"name": "Helpdesk", "description": "First and second level"}],
                          "exclusions": ["Hardware repair"],
                          "assumptions": ["Remote access is available"]},
                "effective_date": "2025-01-01",
                "term": {"initial_months": 12, "end_date": "2025-12-31", "renewal": "automatic",
                         "renewal_months": 12, "notice": "3 months"},
                "payment_terms": "Monthly in advance, 30 days net",
                "review_cadence": "annual"
            },
            "service_standards": {"touchpoints": [{
                "kind": "phone", "name": "Hotline",
                "hours": {"kind": "business_hours", "calendar": "office"},
                "commitments": ["Callers are greeted by name"],
                "targets": [{"name": "Answered within 60 s", "unit": "%", "target": ">= 80"}]
            }]},
            "support_levels": {
                "calendars": [office()],
                "priorities": [
                    {"id": "P1", "name": "Critical", "definition": "Production is down",
                     "examples": ["No user can log in"], "first_response": "30 min",
                     "update_interval": "1 h", "resolution": "4 h",
                     "clock": {"kind": "business_hours", "calendar": "office"}},
                    tier("P2", "1 h", "2 h", "8 h"),
                    tier("P3", "4 h", "1 business day", "5 business days")
                ],
                "escalation": [
                    {"role": "lead", "contact": "Support team lead", "after": "2 h", "priorities": ["P1"]},
                    {"role": "sdm", "contact": "Jana Roth", "after": "3 h", "priorities": ["P1"]}
                ],
                "service_tiers": [{"name": "Premium", "price": "490.00 EUR", "billing": "monthly",
                                   "priorities": ["P1", "P2", "P3"]}]
            },
            "channels": {"channels": [
                {"kind": "phone", "name": "Hotline", "contact": "+49 30 123456",
                 "hours": {"kind": "business_hours", "calendar": "office"},
                 "languages": ["de", "en"], "response_target": "15 min", "team": "Service desk"},
                {"kind": "email", "name": "E-mail", "contact": "help@acme.example",
                 "languages": ["de"], "accepts": ["P2", "P3"], "response_target": "1 h",
                 "team": "Service desk"}
            ]},
            "departments": {"departments": [{
                "name": "Service desk", "critical_services": ["Login"], "response_target": "1 h",
                "resolution_target": "1 business day", "satisfaction_target": "90 %",
                "escalation_ceiling": "2 business days", "owner": "lead"
            }]},
            "metrics": {
                "kpis": [
                    {"id": "availability", "name": "Availability", "definition": "Share of service time up",
                     "formula": "uptime / scheduled time", "unit": "%", "target": ">= 99.5",
                     "minimum": ">= 99", "window": "monthly", "data_source": "Monitoring",
                     "reporting": "monthly", "recipients": ["IT lead"]},
                    {"id": "fcr", "name": "First contact resolution", "definition": "Solved in the first contact",
                     "unit": "%", "target": ">= 70", "minimum": ">= 60", "window": "monthly",
                     "data_source": "Ticket system", "reporting": "quarterly", "recipients": ["IT lead"]}
                ],
                "availability_target": "99.5 %",
                "service_credits": [
                    {"kpi": "availability", "breach": "<= 99.4", "credit": "5 %"},
                    {"kpi": "availability", "breach": "<= 98.9", "credit": "10 %"}
                ],
                "credit_cap": "15 %",
                "reviews": {"cadence": "quarterly", "participants": ["sdm", "it-lead"], "agenda": "KPIs"}
            },
            "feedback": {
                "methods": [{"kind": "csat", "description": "Survey after each ticket",
                             "frequency": "continuous", "target": ">= 4.2"}],
                "complaints": {"submission": ["complaints@acme.example"],
                               "acknowledgement": "1 business day", "investigation": "5 business days",
                               "resolution": "10 business days", "escalation": "Managing director",
                               "owner": "sdm"},
                "improvement": "Findings go into the quarterly review."
            },
            "duties": {
                "roles": roles(),
                "responsibilities": [{"party": "provider", "text": "Runs the service desk"},
                                     {"party": "customer", "text": "Names key users"}],
                "raci": [{"activity": "Incident handling", "assignments": [
                    {"role": "lead", "letters": "R"}, {"role": "sdm", "letters": "A"},
                    {"role": "it-lead", "letters": "I"}]}]
            },
            "training": {
                "programmes": [{"topic": "Product updates", "audience": "Service desk",
                                "format": "workshop", "frequency": "quarterly", "owner": "lead"}],
                "needs_assessment": "Yearly skills survey",
                "evaluation": "Quiz and CSAT trend after each programme"
            },
            "amendments": {"proposers": ["sdm", "customer"], "approvers": ["sdm", "it-lead"],
                           "notice": "1 month"}
        })
    }

    // ------------------------------------------------------------ one case per check

    /// An agreement on which `check` fires, and the same agreement with the problem fixed.
    struct Case {
        check: &'static str,
        fires: Value,
        fixed: Value,
    }

    fn case(check: &'static str, fires: Value, fixed: Value) -> Case {
        Case {
            check,
            fires,
            fixed,
        }
    }

    fn cases() -> Vec<Case> {
        let p1 = || tier("P1", "30 min", "1 h", "4 h");
        vec![
            case(
                "term-end-before-start",
                json!({"overview": {"effective_date": "2025-06-01", "term": {"end_date": "2025-05-31"}}}),
                json!({"overview": {"effective_date": "2025-06-01", "term": {"end_date": "2026-05-31"}}}),
            ),
            case(
                "term-length-mismatch",
                json!({"overview": {"effective_date": "2025-01-01",
                                    "term": {"initial_months": 12, "end_date": "2025-06-30"}}}),
                json!({"overview": {"effective_date": "2025-01-01",
                                    "term": {"initial_months": 12, "end_date": "2026-01-01"}}}),
            ),
            case(
                "notice-longer-than-term",
                json!({"overview": {"term": {"initial_months": 3, "notice": "6 months"}}}),
                json!({"overview": {"term": {"initial_months": 3, "notice": "1 month"}}}),
            ),
            case(
                "renewal-months-missing",
                json!({"overview": {"term": {"renewal": "automatic"}}}),
                json!({"overview": {"term": {"renewal": "automatic", "renewal_months": 12}}}),
            ),
            case(
                "renewal-months-unused",
                json!({"overview": {"term": {"renewal": "by_agreement", "renewal_months": 12}}}),
                json!({"overview": {"term": {"renewal": "by_agreement"}}}),
            ),
            case(
                "touchpoint-targets-missing",
                json!({"service_standards": {"touchpoints": [{"kind": "phone", "name": "Hotline"}]}}),
                json!({"service_standards": {"touchpoints": [{"kind": "phone", "name": "Hotline",
                    "targets": [{"name": "Answered within 60 s", "unit": "%", "target": ">= 80"}]}]}}),
            ),
            case(
                "touchpoint-target-incomplete",
                json!({"service_standards": {"touchpoints": [{"name": "Hotline",
                    "targets": [{"name": "Answered within 60 s", "unit": "%"}]}]}}),
                json!({"service_standards": {"touchpoints": [{"name": "Hotline",
                    "targets": [{"name": "Answered within 60 s", "unit": "%", "target": ">= 80"}]}]}}),
            ),
            case(
                "calendar-unknown",
                json!({"support_levels": {"priorities": [
                    {"id": "P1", "clock": {"kind": "business_hours", "calendar": "office"}}]}}),
                json!({"support_levels": {"calendars": [office()], "priorities": [
                    {"id": "P1", "clock": {"kind": "business_hours", "calendar": "office"}}]}}),
            ),
            case(
                "calendar-id-duplicate",
                json!({"support_levels": {"calendars": [office(), office()]}}),
                json!({"support_levels": {"calendars": [
                    office(), calendar("weekend", &["sat", "sun"], "10:00", "14:00")]}}),
            ),
            case(
                "calendar-time-zone",
                json!({"support_levels": {"calendars": [{"id": "office", "time_zone": "Europe/Berlinn",
                    "weekly": [{"day": "mon", "from": "08:00", "to": "18:00"}]}]}}),
                json!({"support_levels": {"calendars": [{"id": "office", "time_zone": "Europe/Berlin",
                    "weekly": [{"day": "mon", "from": "08:00", "to": "18:00"}]}]}}),
            ),
            case(
                "calendar-week-empty",
                json!({"support_levels": {"calendars": [
                    {"id": "office", "time_zone": "Europe/Berlin", "weekly": []}]}}),
                json!({"support_levels": {"calendars": [office()]}}),
            ),
            case(
                "calendar-hours-inverted",
                json!({"support_levels": {"calendars": [{"id": "office", "time_zone": "Europe/Berlin",
                    "weekly": [{"day": "mon", "from": "18:00", "to": "08:00"}]}]}}),
                json!({"support_levels": {"calendars": [{"id": "office", "time_zone": "Europe/Berlin",
                    "weekly": [{"day": "mon", "from": "08:00", "to": "18:00"}]}]}}),
            ),
            case(
                "calendar-hours-overlap",
                json!({"support_levels": {"calendars": [{"id": "office", "time_zone": "Europe/Berlin",
                    "weekly": [{"day": "mon", "from": "08:00", "to": "12:00"},
                               {"day": "mon", "from": "11:00", "to": "14:00"}]}]}}),
                json!({"support_levels": {"calendars": [{"id": "office", "time_zone": "Europe/Berlin",
                    "weekly": [{"day": "mon", "from": "08:00", "to": "12:00"},
                               {"day": "mon", "from": "12:00", "to": "14:00"}]}]}}),
            ),
            case(
                "priority-id-missing",
                json!({"support_levels": {"priorities": [{"name": "Critical"}]}}),
                json!({"support_levels": {"priorities": [{"id": "P1", "name": "Critical"}]}}),
            ),
            case(
                "priority-id-duplicate",
                json!({"support_levels": {"priorities": [{"id": "P1"}, {"id": "P1"}]}}),
                json!({"support_levels": {"priorities": [{"id": "P1"}, {"id": "P2"}]}}),
            ),
            case(
                "priority-targets-missing",
                json!({"support_levels": {"priorities": [{"id": "P1", "first_response": "30 min"}]}}),
                json!({"support_levels": {"priorities": [p1()]}}),
            ),
            case(
                "priority-order",
                json!({"support_levels": {"priorities": [
                    tier("P1", "30 min", "1 h", "8 h"), tier("P2", "1 h", "2 h", "4 h")]}}),
                json!({"support_levels": {"priorities": [
                    tier("P1", "30 min", "1 h", "4 h"), tier("P2", "1 h", "2 h", "8 h")]}}),
            ),
            case(
                "resolution-before-response",
                json!({"support_levels": {"priorities": [tier("P1", "2 h", "30 min", "1 h")]}}),
                json!({"support_levels": {"priorities": [tier("P1", "30 min", "30 min", "1 h")]}}),
            ),
            case(
                "update-after-resolution",
                json!({"support_levels": {"priorities": [tier("P1", "30 min", "8 h", "4 h")]}}),
                json!({"support_levels": {"priorities": [p1()]}}),
            ),
            case(
                "escalation-nobody",
                json!({"support_levels": {"escalation": [{"after": "1 h"}]}}),
                json!({"support_levels": {"escalation": [{"contact": "Support team lead", "after": "1 h"}]}}),
            ),
            case(
                "escalation-trigger-missing",
                json!({"support_levels": {"escalation": [{"contact": "Support team lead"}]}}),
                json!({"support_levels": {"escalation": [{"contact": "Support team lead", "after": "1 h"}]}}),
            ),
            case(
                "escalation-after-resolution",
                json!({"support_levels": {"priorities": [p1()], "escalation": [
                    {"contact": "Support team lead", "after": "8 h", "priorities": ["P1"]}]}}),
                json!({"support_levels": {"priorities": [p1()], "escalation": [
                    {"contact": "Support team lead", "after": "2 h", "priorities": ["P1"]}]}}),
            ),
            case(
                "escalation-priority-unknown",
                json!({"support_levels": {"priorities": [p1()], "escalation": [
                    {"contact": "Support team lead", "after": "1 h", "priorities": ["P9"]}]}}),
                json!({"support_levels": {"priorities": [p1()], "escalation": [
                    {"contact": "Support team lead", "after": "1 h", "priorities": ["P1"]}]}}),
            ),
            case(
                "escalation-order",
                json!({"support_levels": {"escalation": [
                    {"contact": "Support team lead", "after": "4 h"},
                    {"contact": "Head of support", "after": "2 h"}]}}),
                json!({"support_levels": {"escalation": [
                    {"contact": "Support team lead", "after": "2 h"},
                    {"contact": "Head of support", "after": "4 h"}]}}),
            ),
            case(
                "escalation-role-unknown",
                json!({"duties": {"roles": roles()},
                       "support_levels": {"escalation": [{"role": "sdmm", "after": "1 h"}]}}),
                json!({"duties": {"roles": roles()},
                       "support_levels": {"escalation": [{"role": "sdm", "after": "1 h"}]}}),
            ),
            case(
                "service-tier-priority-unknown",
                json!({"support_levels": {"priorities": [p1()],
                       "service_tiers": [{"name": "Premium", "priorities": ["P9"]}]}}),
                json!({"support_levels": {"priorities": [p1()],
                       "service_tiers": [{"name": "Premium", "priorities": ["P1"]}]}}),
            ),
            case(
                "service-tier-billing-missing",
                json!({"support_levels": {"service_tiers": [{"name": "Premium", "price": "490.00 EUR"}]}}),
                json!({"support_levels": {"service_tiers": [
                    {"name": "Premium", "price": "490.00 EUR", "billing": "monthly"}]}}),
            ),
            case(
                "channel-priority-unknown",
                json!({"support_levels": {"priorities": [p1()]},
                       "channels": {"channels": [{"name": "Hotline", "accepts": ["P9"]}]}}),
                json!({"support_levels": {"priorities": [p1()]},
                       "channels": {"channels": [{"name": "Hotline", "accepts": ["P1"]}]}}),
            ),
            case(
                "critical-channel-hours",
                json!({"support_levels": {"calendars": [office()], "priorities": [p1()]},
                       "channels": {"channels": [{"kind": "email", "name": "E-mail",
                           "hours": {"kind": "business_hours", "calendar": "office"}}]}}),
                json!({"support_levels": {"calendars": [office()], "priorities": [
                           {"id": "P1", "clock": {"kind": "business_hours", "calendar": "office"}}]},
                       "channels": {"channels": [{"kind": "email", "name": "E-mail",
                           "hours": {"kind": "business_hours", "calendar": "office"}}]}}),
            ),
            case(
                "channel-response-slower",
                json!({"support_levels": {"priorities": [p1()]},
                       "channels": {"channels": [{"name": "E-mail", "response_target": "1 business day"}]}}),
                json!({"support_levels": {"priorities": [p1()]},
                       "channels": {"channels": [{"name": "E-mail", "response_target": "15 min"}]}}),
            ),
            case(
                "department-resolution-before-response",
                json!({"departments": {"departments": [
                    {"name": "Billing", "response_target": "4 h", "resolution_target": "1 h"}]}}),
                json!({"departments": {"departments": [
                    {"name": "Billing", "response_target": "4 h", "resolution_target": "2 business days"}]}}),
            ),
            case(
                "department-ceiling-before-response",
                json!({"departments": {"departments": [
                    {"name": "Billing", "response_target": "4 h", "escalation_ceiling": "1 h"}]}}),
                json!({"departments": {"departments": [
                    {"name": "Billing", "response_target": "4 h", "escalation_ceiling": "3 business days"}]}}),
            ),
            case(
                "kpi-id-missing",
                json!({"metrics": {"kpis": [{"name": "FCR", "unit": "%", "target": ">= 70",
                                             "data_source": "Ticket system"}]}}),
                json!({"metrics": {"kpis": [kpi("fcr")]}}),
            ),
            case(
                "kpi-id-duplicate",
                json!({"metrics": {"kpis": [kpi("fcr"), kpi("fcr")]}}),
                json!({"metrics": {"kpis": [kpi("fcr"), kpi("reopened")]}}),
            ),
            case(
                "kpi-target-missing",
                json!({"metrics": {"kpis": [{"id": "fcr", "unit": "%", "data_source": "Ticket system"}]}}),
                json!({"metrics": {"kpis": [kpi("fcr")]}}),
            ),
            case(
                "kpi-unit-missing",
                json!({"metrics": {"kpis": [{"id": "fcr", "target": ">= 70", "data_source": "Ticket system"}]}}),
                json!({"metrics": {"kpis": [kpi("fcr")]}}),
            ),
            case(
                "kpi-source-missing",
                json!({"metrics": {"kpis": [{"id": "fcr", "unit": "%", "target": ">= 70"}]}}),
                json!({"metrics": {"kpis": [kpi("fcr")]}}),
            ),
            case(
                "kpi-minimum-stricter",
                json!({"metrics": {"kpis": [{"id": "fcr", "unit": "%", "target": ">= 95",
                                             "minimum": ">= 97", "data_source": "Tickets"}]}}),
                json!({"metrics": {"kpis": [{"id": "fcr", "unit": "%", "target": ">= 95",
                                             "minimum": ">= 90", "data_source": "Tickets"}]}}),
            ),
            case(
                "kpi-threshold-direction",
                json!({"metrics": {"kpis": [{"id": "fcr", "unit": "%", "target": ">= 95",
                                             "minimum": "<= 90", "data_source": "Tickets"}]}}),
                json!({"metrics": {"kpis": [{"id": "fcr", "unit": "%", "target": ">= 95",
                                             "minimum": ">= 90", "data_source": "Tickets"}]}}),
            ),
            case(
                "credit-kpi-unknown",
                json!({"metrics": {"kpis": [availability()], "credit_cap": "20 %", "service_credits": [
                    {"kpi": "uptime", "breach": "<= 99.4", "credit": "5 %"}]}}),
                json!({"metrics": {"kpis": [availability()], "credit_cap": "20 %", "service_credits": [
                    {"kpi": "availability", "breach": "<= 99.4", "credit": "5 %"}]}}),
            ),
            case(
                "credit-incomplete",
                json!({"metrics": {"kpis": [availability()], "credit_cap": "20 %", "service_credits": [
                    {"kpi": "availability", "credit": "5 %"}]}}),
                json!({"metrics": {"kpis": [availability()], "credit_cap": "20 %", "service_credits": [
                    {"kpi": "availability", "breach": "<= 99.4", "credit": "5 %"}]}}),
            ),
            case(
                "credit-breach-meets-target",
                json!({"metrics": {"kpis": [availability()], "credit_cap": "20 %", "service_credits": [
                    {"kpi": "availability", "breach": "<= 99.7", "credit": "5 %"}]}}),
                json!({"metrics": {"kpis": [availability()], "credit_cap": "20 %", "service_credits": [
                    {"kpi": "availability", "breach": "<= 99.4", "credit": "5 %"}]}}),
            ),
            case(
                "credit-above-cap",
                json!({"metrics": {"kpis": [availability()], "credit_cap": "20 %", "service_credits": [
                    {"kpi": "availability", "breach": "<= 99.4", "credit": "30 %"}]}}),
                json!({"metrics": {"kpis": [availability()], "credit_cap": "20 %", "service_credits": [
                    {"kpi": "availability", "breach": "<= 99.4", "credit": "10 %"}]}}),
            ),
            case(
                "credit-sum-above-cap",
                json!({"metrics": {"kpis": [availability(), kpi("fcr")], "credit_cap": "20 %",
                    "service_credits": [{"kpi": "availability", "breach": "<= 99.4", "credit": "15 %"},
                                        {"kpi": "fcr", "breach": "<= 69", "credit": "10 %"}]}}),
                json!({"metrics": {"kpis": [availability(), kpi("fcr")], "credit_cap": "25 %",
                    "service_credits": [{"kpi": "availability", "breach": "<= 99.4", "credit": "15 %"},
                                        {"kpi": "fcr", "breach": "<= 69", "credit": "10 %"}]}}),
            ),
            case(
                "credit-cap-missing",
                json!({"metrics": {"kpis": [availability()], "service_credits": [
                    {"kpi": "availability", "breach": "<= 99.4", "credit": "5 %"}]}}),
                json!({"metrics": {"kpis": [availability()], "credit_cap": "20 %", "service_credits": [
                    {"kpi": "availability", "breach": "<= 99.4", "credit": "5 %"}]}}),
            ),
            case(
                "availability-target-low",
                json!({"metrics": {"availability_target": "85 %"}}),
                json!({"metrics": {"availability_target": "99.5 %"}}),
            ),
            case(
                "feedback-method-incomplete",
                json!({"feedback": {"methods": [{"kind": "csat"}]}}),
                json!({"feedback": {"methods": [{"kind": "csat", "frequency": "monthly", "target": ">= 4.2"}]}}),
            ),
            case(
                "complaint-time-limits-missing",
                json!({"feedback": {"complaints": {"submission": ["complaints@acme.example"]}}}),
                json!({"feedback": {"complaints": {"submission": ["complaints@acme.example"],
                    "acknowledgement": "1 business day", "resolution": "10 business days"}}}),
            ),
            case(
                "complaint-time-order",
                json!({"feedback": {"complaints": {"acknowledgement": "5 business days",
                                                   "resolution": "2 business days"}}}),
                json!({"feedback": {"complaints": {"acknowledgement": "1 business day",
                                                   "resolution": "2 business days"}}}),
            ),
            case(
                "role-id-missing",
                json!({"duties": {"roles": [{"title": "Service Delivery Manager"}]}}),
                json!({"duties": {"roles": [{"id": "sdm", "title": "Service Delivery Manager"}]}}),
            ),
            case(
                "role-id-duplicate",
                json!({"duties": {"roles": [{"id": "sdm"}, {"id": "sdm"}]}}),
                json!({"duties": {"roles": [{"id": "sdm"}, {"id": "lead"}]}}),
            ),
            case(
                "raci-accountable",
                json!({"duties": {"roles": roles(), "raci": [{"activity": "Incident handling",
                    "assignments": [{"role": "lead", "letters": "R"}]}]}}),
                json!({"duties": {"roles": roles(), "raci": [{"activity": "Incident handling",
                    "assignments": [{"role": "lead", "letters": "R"}, {"role": "sdm", "letters": "A"}]}]}}),
            ),
            case(
                "raci-responsible-missing",
                json!({"duties": {"roles": roles(), "raci": [{"activity": "Incident handling",
                    "assignments": [{"role": "sdm", "letters": "A"}]}]}}),
                json!({"duties": {"roles": roles(), "raci": [{"activity": "Incident handling",
                    "assignments": [{"role": "sdm", "letters": "RA"}]}]}}),
            ),
            case(
                "raci-letters",
                json!({"duties": {"roles": roles(), "raci": [{"activity": "Incident handling",
                    "assignments": [{"role": "sdm", "letters": "RAX"}]}]}}),
                json!({"duties": {"roles": roles(), "raci": [{"activity": "Incident handling",
                    "assignments": [{"role": "sdm", "letters": "RA"}]}]}}),
            ),
            case(
                "raci-role-unknown",
                json!({"duties": {"roles": roles(), "raci": [{"activity": "Incident handling",
                    "assignments": [{"role": "ghost", "letters": "RA"}]}]}}),
                json!({"duties": {"roles": roles(), "raci": [{"activity": "Incident handling",
                    "assignments": [{"role": "sdm", "letters": "RA"}]}]}}),
            ),
            case(
                "raci-role-repeated",
                json!({"duties": {"roles": roles(), "raci": [{"activity": "Incident handling",
                    "assignments": [{"role": "sdm", "letters": "R"}, {"role": "sdm", "letters": "A"}]}]}}),
                json!({"duties": {"roles": roles(), "raci": [{"activity": "Incident handling",
                    "assignments": [{"role": "sdm", "letters": "RA"}]}]}}),
            ),
            case(
                "role-unknown",
                json!({"duties": {"roles": roles()},
                       "departments": {"departments": [{"name": "Billing", "owner": "ghost"}]}}),
                json!({"duties": {"roles": roles()},
                       "departments": {"departments": [{"name": "Billing", "owner": "sdm"}]}}),
            ),
            case(
                "amendment-approvers-one-sided",
                json!({"duties": {"roles": roles()}, "amendments": {"approvers": ["sdm", "lead"]}}),
                json!({"duties": {"roles": roles()}, "amendments": {"approvers": ["sdm", "it-lead"]}}),
            ),
        ]
    }

    #[test]
    fn every_check_fires_on_its_case_and_not_once_fixed() {
        for case in cases() {
            let fired = check_ids(case.fires.clone());
            assert!(
                fired.iter().any(|id| id == case.check),
                "{} must fire on its faulty fixture, but only {fired:?} fired:\n{:#}",
                case.check,
                case.fires
            );
            let after_fix = check_ids(case.fixed.clone());
            assert!(
                !after_fix.iter().any(|id| id == case.check),
                "{} must not fire once the fixture is fixed, but it did:\n{:#}",
                case.check,
                case.fixed
            );
        }
    }

    #[test]
    fn every_catalogued_check_has_a_case() {
        let covered: HashSet<&str> = cases().iter().map(|c| c.check).collect();
        for info in CHECKS {
            assert!(
                covered.contains(info.id),
                "check {} has no fixture proving it fires",
                info.id
            );
        }
        assert_eq!(
            covered.len(),
            cases().len(),
            "each check should have exactly one case"
        );
    }

    #[test]
    fn catalogue_ids_are_unique_kebab_case() {
        let mut seen = HashSet::new();
        for info in CHECKS {
            assert!(seen.insert(info.id), "{} is catalogued twice", info.id);
            let kebab = info.id.split('-').all(|w| {
                !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            });
            assert!(kebab, "{} is not kebab-case", info.id);
            assert!(
                info.description.ends_with('.'),
                "{}: describe the check in a sentence",
                info.id
            );
            assert_eq!(check_info(info.id), Some(info));
        }
        assert!(
            CHECKS.len() >= 24,
            "the product asks for at least 24 checks"
        );
    }

    #[test]
    fn findings_use_catalogued_ids_severities_and_sections() {
        let mut fixtures: Vec<Value> = cases()
            .into_iter()
            .flat_map(|c| [c.fires, c.fixed])
            .collect();
        fixtures.push(complete());
        fixtures.push(json!({}));
        for json in fixtures {
            for f in report(&json).findings {
                let info = check_info(&f.check)
                    .unwrap_or_else(|| panic!("finding {} is not in the catalogue", f.check));
                assert_eq!(
                    f.severity, info.severity,
                    "{} must always have its catalogued severity",
                    f.check
                );
                assert_eq!(
                    Section::of_path(&f.path),
                    Some(f.section),
                    "{}: the path {} must start with its section",
                    f.check,
                    f.path
                );
                assert!(
                    !f.message_de.is_empty() && !f.message_en.is_empty(),
                    "{}: both messages are needed",
                    f.check
                );
                assert_ne!(
                    f.message_de, f.message_en,
                    "{}: the German message must be German",
                    f.check
                );
            }
        }
    }

    // ------------------------------------------------------------ report as a whole

    #[test]
    fn an_empty_agreement_has_an_open_checklist_and_no_findings() {
        let r = check(&Agreement::default());
        assert!(
            r.findings.is_empty(),
            "emptiness is the checklist's job, not a finding: {:?}",
            r.findings
        );
        assert_eq!(r.completeness, 0, "nothing is drafted yet");
        assert!(
            r.items.iter().all(|i| !i.done),
            "no item can be done in an empty agreement"
        );
        let order: Vec<Section> = r.sections.iter().map(|s| s.section).collect();
        assert_eq!(
            order,
            Section::ALL.to_vec(),
            "one score per section, in editor order"
        );
        assert!(
            r.sections.iter().all(|s| s.total > 0),
            "every section has checklist items"
        );
    }

    #[test]
    fn a_complete_agreement_is_complete_and_consistent() {
        let r = report(&complete());
        let open: Vec<&str> = r
            .items
            .iter()
            .filter(|i| !i.done)
            .map(|i| i.id.as_str())
            .collect();
        assert!(
            open.is_empty(),
            "the complete fixture leaves items open: {open:?}"
        );
        assert_eq!(r.completeness, 100);
        assert_eq!(
            render(complete()),
            "",
            "the complete fixture must be consistent"
        );
    }

    #[test]
    fn checklist_items_per_section() {
        let r = check(&Agreement::default());
        let mut seen = HashSet::new();
        for item in &r.items {
            assert!(
                seen.insert(item.id.as_str()),
                "checklist id {} is used twice",
                item.id
            );
            let key = item.section.key();
            assert!(
                item.id.starts_with(key) && item.path.starts_with(key),
                "{} must live in {key}",
                item.id
            );
            assert!(!item.label_de.is_empty() && !item.label_en.is_empty());
        }
        let counts: Vec<String> = r
            .sections
            .iter()
            .map(|s| format!("{}: {}", s.section.key(), s.total))
            .collect();
        expect![[r#"
            overview: 13
            service_standards: 3
            support_levels: 6
            channels: 5
            departments: 6
            metrics: 8
            feedback: 6
            duties: 5
            training: 4
            amendments: 3"#]]
        .assert_eq(&counts.join("\n"));
    }

    #[test]
    fn completeness_is_rounded_down_and_scores_follow_sections() {
        let r = report(&json!({
            "overview": {"provider": {"name": "Acme"}},
            "support_levels": {"priorities": [tier("P1", "30 min", "1 h", "8 h"), tier("P2", "1 h", "2 h", "4 h")]},
            "duties": {"roles": [{"id": "sdm"}, {"id": "sdm"}]}
        }));
        let done = r.items.iter().filter(|i| i.done).count();
        assert_eq!(
            usize::from(r.completeness),
            done * 100 / r.items.len(),
            "floor(100 * done / total)"
        );
        let score = |s: Section| r.sections.iter().find(|x| x.section == s).cloned();
        let levels = score(Section::SupportLevels).expect("support levels are scored");
        assert_eq!(
            (levels.errors, levels.warnings),
            (1, 0),
            "the priority-order error counts for support levels"
        );
        let duties = score(Section::Duties).expect("duties are scored");
        assert_eq!(duties.errors, 1, "the duplicate role id counts for duties");
        let overview = score(Section::Overview).expect("overview is scored");
        assert_eq!((overview.done, overview.errors), (1, 0));
    }

    #[test]
    fn findings_are_sorted_by_section_then_path_with_numeric_indices() {
        let mut priorities: Vec<Value> = (1..=11).map(|n| json!({"id": format!("P{n}")})).collect();
        priorities[2] = json!({"id": "P1"});
        priorities[10] = json!({"id": "P2"});
        let r = report(&json!({
            "duties": {"roles": [{"id": "x"}, {"id": "x"}]},
            "support_levels": {"priorities": priorities},
            "overview": {"term": {"renewal": "automatic"}}
        }));
        let paths: Vec<(&str, &str)> = r
            .findings
            .iter()
            .map(|f| (f.check.as_str(), f.path.as_str()))
            .collect();
        let dup_paths: Vec<&str> = paths
            .iter()
            .filter(|(c, _)| *c == "priority-id-duplicate")
            .map(|(_, p)| *p)
            .collect();
        assert_eq!(
            dup_paths,
            [
                "support_levels.priorities[2].id",
                "support_levels.priorities[10].id"
            ],
            "[2] before [10]"
        );
        assert_eq!(
            r.findings.first().map(|f| f.section),
            Some(Section::Overview),
            "overview findings come first"
        );
        assert_eq!(
            r.findings.last().map(|f| f.section),
            Some(Section::Duties),
            "duties come after support levels"
        );
    }

    // ------------------------------------------------------------ messages

    #[test]
    fn priority_order_names_both_tiers_and_their_targets() {
        assert_findings(
            json!({"language": "en", "support_levels": {"priorities": [
                tier("P1", "30 min", "1 h", "8 h"),
                tier("P2", "1 h", "30 min", "4 h"),
                tier("P3", "20 min", "4 h", "2 business days")
            ]}}),
            expect![[r#"
                Error priority-order @ support_levels.priorities[1].resolution
                  de: P2 hat eine schnellere Lösungszeit (4 Std.) als die dringendere Priorität P1 (8 Std.).
                  en: P2 has a faster resolution target (4 h) than the more urgent P1 (8 h).
                Error priority-order @ support_levels.priorities[1].update_interval
                  de: P2 hat ein kürzeres Aktualisierungsintervall (30 Min.) als die dringendere Priorität P1 (1 Std.).
                  en: P2 has a shorter update interval (30 min) than the more urgent P1 (1 h).
                Error priority-order @ support_levels.priorities[2].first_response
                  de: P3 hat eine schnellere Erstreaktionszeit (20 Min.) als die dringendere Priorität P2 (1 Std.).
                  en: P3 has a faster first-response target (20 min) than the more urgent P2 (1 h).
            "#]],
        );
    }

    #[test]
    fn escalation_messages_name_the_step_and_the_tiers() {
        assert_findings(
            json!({"support_levels": {
                "priorities": [tier("P1", "30 min", "1 h", "4 h"), tier("P2", "1 h", "2 h", "8 h")],
                "escalation": [
                    {"role": "lead", "after": "6 h"},
                    {"contact": "Head of support", "after": "2 h", "priorities": ["P2", "P7"]}
                ]
            }, "duties": {"roles": roles()}}),
            expect![[r#"
                Warning escalation-after-resolution @ support_levels.escalation[0].after
                  de: Eskalationsstufe 1 (lead) greift erst nach 6 Std., später als die Lösungszeit von P1 (4 Std.).
                  en: Escalation step 1 (lead) triggers after 6 h, later than the resolution target of P1 (4 h).
                Error escalation-order @ support_levels.escalation[1].after
                  de: Eskalationsstufe 2 (Head of support) greift nach 2 Std., früher als die vorangehende Eskalationsstufe 1 (nach 6 Std.).
                  en: Escalation step 2 (Head of support) triggers after 2 h, earlier than the preceding escalation step 1 (after 6 h).
                Error escalation-priority-unknown @ support_levels.escalation[1].priorities[1]
                  de: Eskalationsstufe 2 (Head of support) gilt für die Priorität „P7“, die es nicht gibt.
                  en: Escalation step 2 (Head of support) applies to the priority "P7", which does not exist.
            "#]],
        );
    }

    #[test]
    fn credit_and_kpi_messages_show_values_in_each_language() {
        assert_findings(
            json!({"metrics": {
                "kpis": [{"id": "availability", "unit": "%", "target": ">= 99.9", "minimum": ">= 99.95",
                          "data_source": "Monitoring"}],
                "service_credits": [{"kpi": "availability", "breach": ">= 99", "credit": "25.5 %"}],
                "credit_cap": "20 %"
            }}),
            expect![[r#"
                Error kpi-minimum-stricter @ metrics.kpis[0].minimum
                  de: Kennzahl availability: Der Mindestwert (≥ 99,95) ist strenger als der Zielwert (≥ 99,9).
                  en: KPI availability: the minimum acceptable level (≥ 99.95) is stricter than the target (≥ 99.9).
                Error credit-breach-meets-target @ metrics.service_credits[0].breach
                  de: Gutschrift 1 (availability) wird bei ≥ 99 fällig; das schließt Werte ein, die den Zielwert ≥ 99,9 erfüllen.
                  en: Service credit 1 (availability) is due at ≥ 99, which includes values that meet the target ≥ 99.9.
                Error credit-above-cap @ metrics.service_credits[0].credit
                  de: Gutschrift 1 (availability) beträgt 25,5 %, mehr als die Obergrenze von 20 %; sie kann nie voll gewährt werden.
                  en: Service credit 1 (availability) is 25.5 %, more than the cap of 20 %, so it can never be paid in full.
            "#]],
        );
    }

    // ------------------------------------------------------------ decisions worth pinning down

    #[test]
    fn escalation_role_may_be_a_function_title() {
        let step = |role: &str| {
            json!({"duties": {"roles": roles()},
                   "support_levels": {"escalation": [{"role": role, "after": "1 h"}]}})
        };
        let fires =
            |role: &str| check_ids(step(role)).contains(&"escalation-role-unknown".to_string());
        assert!(
            !fires("Head of Support"),
            "a free function title is allowed"
        );
        assert!(
            !fires("Geschäftsführung"),
            "a German title with capitals is a title"
        );
        assert!(!fires("it-lead"), "a defined role id is fine");
        assert!(
            fires("head-of-support"),
            "an undefined id-like name is probably a typo of a role id"
        );
    }

    #[test]
    fn escalation_order_compares_only_steps_for_the_same_priorities() {
        let ids = |steps: Value| {
            check_ids(json!({"support_levels": {
                "priorities": [tier("P1", "15 min", "30 min", "8 h"), tier("P3", "4 h", "8 h", "5 days")],
                "escalation": steps
            }}))
            .into_iter()
            .filter(|c| c == "escalation-order")
            .count()
        };
        let p1_then_p3 = json!([{"contact": "a", "after": "4 h", "priorities": ["P1"]},
                                {"contact": "b", "after": "1 h", "priorities": ["P3"]}]);
        assert_eq!(
            ids(p1_then_p3),
            0,
            "steps for different priorities do not form one path"
        );
        let then_all = json!([{"contact": "a", "after": "4 h", "priorities": ["P1"]},
                              {"contact": "b", "after": "2 h"}]);
        assert_eq!(
            ids(then_all),
            1,
            "a step for all priorities follows the P1 step"
        );
        let parallel = json!([{"contact": "a", "after": "2 h"}, {"contact": "b", "after": "2 h"}]);
        assert_eq!(
            ids(parallel),
            0,
            "two steps at the same time notify in parallel"
        );
        let mixed_units =
            json!([{"contact": "a", "after": "1 business day"}, {"contact": "b", "after": "4 h"}]);
        assert_eq!(
            ids(mixed_units),
            1,
            "1 business day counts as 8 h, later than 4 h"
        );
    }

    #[test]
    fn role_unknown_covers_every_owner_and_the_amendment_procedure() {
        let r = report(&json!({
            "overview": {"customer": {"name": "Beta AG"}},
            "duties": {"roles": roles()},
            "departments": {"departments": [{"name": "Billing", "owner": "ghost"}, {"name": "Ops"}]},
            "feedback": {"complaints": {"owner": "nobody", "acknowledgement": "1 day", "resolution": "5 days"}},
            "training": {"programmes": [{"topic": "CRM", "owner": "trainer"}]},
            "amendments": {"proposers": ["customer", "Beta AG", "sdm", "stranger"],
                           "approvers": ["sdm", "it-lead", "legal"]}
        }));
        let paths: Vec<&str> = r
            .findings
            .iter()
            .filter(|f| f.check == "role-unknown")
            .map(|f| f.path.as_str())
            .collect();
        assert_eq!(
            paths,
            [
                "departments.departments[0].owner",
                "feedback.complaints.owner",
                "training.programmes[0].owner",
                "amendments.approvers[2]",
                "amendments.proposers[3]",
            ],
            "an empty owner is left to the checklist; parties may propose changes"
        );
    }

    #[test]
    fn critical_channel_hours_follow_the_clocks() {
        let all_days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let mut around_the_clock_with_holidays = calendar("always", &all_days, "00:00", "24:00");
        around_the_clock_with_holidays["time_zone"] = json!("Europe/London");
        let p1_with = |clock: Value| {
            let mut p1 = tier("P1", "30 min", "1 h", "4 h");
            p1["clock"] = clock;
            p1
        };
        let fixture = |tier_clock: Value, channel: Value| {
            json!({
                "support_levels": {
                    "calendars": [office(), calendar("late", &["mon", "tue", "wed", "thu", "fri"], "08:00", "20:00"),
                                  around_the_clock_with_holidays],
                    "priorities": [p1_with(tier_clock), tier("P2", "1 h", "2 h", "8 h")]
                },
                "channels": {"channels": [channel]}
            })
        };
        let fires = |tier_clock: Value, channel: Value| {
            check_ids(fixture(tier_clock, channel)).contains(&"critical-channel-hours".to_string())
        };
        let office_hours = json!({"kind": "business_hours", "calendar": "office"});
        let late_hours = json!({"kind": "business_hours", "calendar": "late"});
        let always_cal = json!({"kind": "business_hours", "calendar": "always"});
        let on = json!({"kind": "always_on"});
        let channel = |hours: &Value, accepts: Value| json!({"name": "Chat", "hours": hours, "accepts": accepts});

        assert!(
            fires(on.clone(), channel(&office_hours, json!([]))),
            "24/7 P1 against an office-hours channel"
        );
        assert!(
            !fires(on.clone(), channel(&office_hours, json!(["P2"]))),
            "the channel does not take P1"
        );
        assert!(
            !fires(on.clone(), channel(&on, json!(["P1"]))),
            "a 24/7 channel covers a 24/7 tier"
        );
        assert!(
            fires(late_hours.clone(), channel(&office_hours, json!(["P1"]))),
            "P1 counts until 20:00, the channel closes at 18:00"
        );
        assert!(
            !fires(office_hours.clone(), channel(&late_hours, json!([]))),
            "a channel open longer than the tier's hours covers it"
        );
        assert!(
            fires(on.clone(), channel(&always_cal, json!([]))),
            "a 24/7 calendar that closes on holidays leaves a gap for a 24/7 tier"
        );
        assert!(
            !fires(
                json!({"kind": "business_hours", "calendar": "nowhere"}),
                channel(&office_hours, json!([]))
            ),
            "an unknown tier calendar is reported by calendar-unknown only"
        );

        assert_findings(
            fixture(on, channel(&office_hours, json!([]))),
            expect![[r#"
                Warning critical-channel-hours @ channels.channels[0].hours
                  de: Kanal Chat nimmt P1-Tickets an, ist aber nicht zu allen Zeiten besetzt, in denen die Uhr von P1 läuft: 118 Std. pro Woche unbesetzt (Mo 00:00–08:00, Mo 18:00–24:00, Di 00:00–08:00, Di 18:00–24:00, Mi 00:00–08:00 und 7 weitere); außerdem an Feiertagen geschlossen.
                  en: Channel Chat accepts P1 tickets but is not staffed in all hours P1's clock counts: 118 h a week unstaffed (Mon 00:00–08:00, Mon 18:00–24:00, Tue 00:00–08:00, Tue 18:00–24:00, Wed 00:00–08:00 and 7 more); also closed on holidays.
            "#]],
        );
    }

    #[test]
    fn term_accepts_an_end_date_on_the_last_day_of_the_term() {
        for end in ["2025-12-31", "2026-01-01"] {
            let ids = check_ids(json!({"overview": {"effective_date": "2025-01-01",
                "term": {"initial_months": 12, "end_date": end}}}));
            assert!(
                ids.is_empty(),
                "12 months from 2025-01-01 may end on {end}: {ids:?}"
            );
        }
    }

    #[test]
    fn raci_letters_accept_lowercase_and_separators() {
        let ids = |letters: &str| {
            check_ids(
                json!({"duties": {"roles": roles(), "raci": [{"activity": "Release",
                "assignments": [{"role": "sdm", "letters": letters}]}]}}),
            )
        };
        assert!(
            ids("r, a").is_empty(),
            "\"r, a\" means R and A: {:?}",
            ids("r, a")
        );
        assert!(
            ids("").contains(&"raci-letters".to_string()),
            "an empty cell is reported"
        );
        assert!(
            ids("RR A").contains(&"raci-letters".to_string()),
            "a repeated letter is reported"
        );
        let two_a = check_ids(
            json!({"duties": {"roles": roles(), "raci": [{"activity": "Release",
            "assignments": [{"role": "sdm", "letters": "RA"}, {"role": "lead", "letters": "A"}]}]}}),
        );
        assert_eq!(
            two_a,
            ["raci-accountable"],
            "two accountable roles are one finding on the activity"
        );
    }

    #[test]
    fn checks_survive_large_and_odd_input() {
        let mut a = agreement(&complete());
        let huge = Duration::new(u32::MAX, DurationUnit::Months);
        for n in 0..2_000u32 {
            let d = Duration::new(
                n % 97,
                if n % 2 == 0 {
                    DurationUnit::Hours
                } else {
                    DurationUnit::BusinessDays
                },
            );
            a.support_levels.priorities.push(PriorityTier {
                id: format!("X{}", n % 500),
                first_response: Some(if n % 7 == 0 { huge } else { d }),
                update_interval: Some(d),
                resolution: (n % 3 != 0).then_some(Duration::minutes(n)),
                clock: Clock::BusinessHours {
                    calendar: format!("cal{}", n % 5),
                },
                ..PriorityTier::default()
            });
            a.support_levels.escalation.push(EscalationStep {
                role: if n % 2 == 0 {
                    "ghost".into()
                } else {
                    String::new()
                },
                after: (n % 5 != 0).then_some(Duration::minutes(10_000 - n)),
                priorities: if n % 3 == 0 {
                    Vec::new()
                } else {
                    vec![format!("X{}", n % 700), String::new()]
                },
                ..EscalationStep::default()
            });
            a.metrics.service_credits.push(ServiceCredit {
                kpi: format!("k{}", n % 50),
                breach: None,
                credit: Some(Percent(Decimal::from_int(100))),
            });
            a.duties.raci.push(RaciActivity {
                activity: String::new(),
                assignments: vec![
                    RaciAssignment {
                        role: "sdm".into(),
                        letters: "AAAAÄ🙂".into()
                    };
                    3
                ],
            });
        }
        let mut cal = a.support_levels.calendars[0].clone();
        cal.weekly.extend((0..500u16).map(|m| OpeningHours {
            day: Day::ALL[usize::from(m % 7)],
            from: ClockTime(m * 3 % 1441),
            to: ClockTime(m * 7 % 1441),
        }));
        cal.holidays.push(Holiday {
            date: NaiveDate::MAX,
            name: "end of time".into(),
        });
        a.support_levels.calendars.push(BusinessCalendar {
            id: "cal1".into(),
            ..cal
        });
        a.channels.channels.extend((0..300).map(|n| Channel {
            hours: Clock::BusinessHours {
                calendar: if n % 2 == 0 {
                    "cal1".into()
                } else {
                    "office".into()
                },
            },
            response_target: Some(huge),
            ..Channel::default()
        }));
        a.overview.effective_date = Some(NaiveDate::MAX);
        a.overview.term.initial_months = Some(u32::MAX);
        a.overview.term.end_date = Some(NaiveDate::MIN);
        a.overview.term.notice = Some(huge);
        a.metrics.credit_cap = Some(Percent(Decimal(0)));

        let r = check(&a);
        assert!(
            r.error_count() > 0,
            "a broken agreement of this size must still be reported"
        );
        assert!(r.completeness <= 100);
        for f in &r.findings {
            assert!(
                f.message_en.len() < 2_000,
                "{} message grows with the input: {}",
                f.check,
                f.message_en.len()
            );
        }
    }
}
