//! The agreement model: typed sections of a customer-service agreement, in the order the
//! guided editor walks through them.
//!
//! This module owns the *shape* of an agreement and nothing else: no I/O, no storage, no
//! checks (see `crate::check`). Every struct is serde-serializable; missing fields default to
//! empty so that partial drafts load. References between sections use stable string ids
//! (a priority `P1`, a calendar `office`, a role `sdm`, a KPI `fcr`); which characters an id
//! may have is the interchange validation's rule (`crate::interchange`), not the model's.
//!
//! With the `specta` feature every type also has a TypeScript definition (the desktop shell
//! exports `Agreement` to the UI). Typed values — durations, percentages, thresholds, money,
//! times of day, dates — are their text form on the wire, so they are `string` there.

pub mod calendar;
pub mod clause;
pub mod field;
pub mod values;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use calendar::{BusinessCalendar, ClockTime, Day, Holiday, OpeningHours};
pub use values::{
    Cadence, Comparison, Decimal, Duration, DurationUnit, Money, Percent, Threshold, ValueError,
};

/// Language of an agreement's own text and generated labels (independent of the UI language).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default, PartialOrd, Ord,
)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    De,
    En,
}

impl Language {
    pub fn code(&self) -> &'static str {
        match self {
            Language::De => "de",
            Language::En => "en",
        }
    }
    /// Picks the German or English text.
    pub fn pick<'a>(&self, de: &'a str, en: &'a str) -> &'a str {
        match self {
            Language::De => de,
            Language::En => en,
        }
    }
}

impl std::str::FromStr for Language {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "de" | "deutsch" | "german" => Ok(Language::De),
            "en" | "english" | "englisch" => Ok(Language::En),
            other => Err(format!("unknown language \"{other}\" (use de or en)")),
        }
    }
}

/// The ten sections of an agreement, in editor order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Overview,
    ServiceStandards,
    SupportLevels,
    Channels,
    Departments,
    Metrics,
    Feedback,
    Duties,
    Training,
    Amendments,
}

impl Section {
    pub const ALL: [Section; 10] = [
        Section::Overview,
        Section::ServiceStandards,
        Section::SupportLevels,
        Section::Channels,
        Section::Departments,
        Section::Metrics,
        Section::Feedback,
        Section::Duties,
        Section::Training,
        Section::Amendments,
    ];

    /// The field name of the section in the agreement JSON, also the first segment of paths.
    pub fn key(&self) -> &'static str {
        match self {
            Section::Overview => "overview",
            Section::ServiceStandards => "service_standards",
            Section::SupportLevels => "support_levels",
            Section::Channels => "channels",
            Section::Departments => "departments",
            Section::Metrics => "metrics",
            Section::Feedback => "feedback",
            Section::Duties => "duties",
            Section::Training => "training",
            Section::Amendments => "amendments",
        }
    }

    pub fn title(&self, lang: Language) -> &'static str {
        let (de, en) = match self {
            Section::Overview => ("Überblick", "Overview"),
            Section::ServiceStandards => ("Servicestandards", "Service standards"),
            Section::SupportLevels => ("Supportlevel", "Support levels"),
            Section::Channels => ("Kommunikationskanäle", "Communication channels"),
            Section::Departments => ("Abteilungsstandards", "Department standards"),
            Section::Metrics => ("Kennzahlen und Berichte", "Metrics and reporting"),
            Section::Feedback => ("Kundenfeedback", "Customer feedback"),
            Section::Duties => (
                "Pflichten und Verantwortlichkeiten",
                "Duties and responsibilities",
            ),
            Section::Training => ("Schulung", "Training"),
            Section::Amendments => ("Änderungen", "Amendments"),
        };
        lang.pick(de, en)
    }

    /// The section a field path such as `support_levels.priorities[0].resolution` belongs to.
    pub fn of_path(path: &str) -> Option<Section> {
        let head = path.split(['.', '[']).next()?;
        Section::ALL.into_iter().find(|s| s.key() == head)
    }
}

/// A whole customer-service agreement: the content that is drafted, frozen and signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct Agreement {
    pub title: String,
    pub language: Language,
    pub overview: Overview,
    pub service_standards: ServiceStandards,
    pub support_levels: SupportLevels,
    pub channels: Channels,
    pub departments: Departments,
    pub metrics: Metrics,
    pub feedback: Feedback,
    pub duties: Duties,
    pub training: Training,
    pub amendments: Amendments,
}

impl Agreement {
    /// The free clause text of one section.
    pub fn clauses(&self, section: Section) -> &str {
        match section {
            Section::Overview => &self.overview.clauses,
            Section::ServiceStandards => &self.service_standards.clauses,
            Section::SupportLevels => &self.support_levels.clauses,
            Section::Channels => &self.channels.clauses,
            Section::Departments => &self.departments.clauses,
            Section::Metrics => &self.metrics.clauses,
            Section::Feedback => &self.feedback.clauses,
            Section::Duties => &self.duties.clauses,
            Section::Training => &self.training.clauses,
            Section::Amendments => &self.amendments.clauses,
        }
    }

    /// The calendar with the given id.
    pub fn calendar(&self, id: &str) -> Option<&BusinessCalendar> {
        self.support_levels.calendars.iter().find(|c| c.id == id)
    }
}

// ---------------------------------------------------------------- 0. Overview

/// A contact person of a party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    /// Function of the person, e.g. "Service Delivery Manager".
    pub function: String,
    pub email: String,
    pub phone: String,
}

/// One contracting party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct Party {
    pub name: String,
    pub address: String,
    pub contacts: Vec<Contact>,
}

/// A service the agreement covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct CoveredService {
    pub name: String,
    pub description: String,
}

/// What is in and out of scope, and what the agreement relies on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct Scope {
    pub services: Vec<CoveredService>,
    pub exclusions: Vec<String>,
    pub assumptions: Vec<String>,
    pub dependencies: Vec<String>,
}

/// How the agreement continues after its initial term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Renewal {
    /// Ends at the end of the term.
    #[default]
    None,
    /// Renews itself by `renewal_months` unless terminated with notice.
    Automatic,
    /// Continues only if both parties agree.
    ByAgreement,
}

/// Duration and end of the agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct Term {
    /// Initial term in months (alternative to `end_date`).
    pub initial_months: Option<u32>,
    /// Fixed end date (alternative to `initial_months`), `YYYY-MM-DD`.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub end_date: Option<NaiveDate>,
    pub renewal: Renewal,
    pub renewal_months: Option<u32>,
    /// Notice period for termination.
    pub notice: Option<Duration>,
}

/// Section 0: parties, scope, dates, payment, review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct Overview {
    pub provider: Party,
    pub customer: Party,
    /// One or two sentences on what the agreement is for.
    pub purpose: String,
    pub scope: Scope,
    /// `YYYY-MM-DD`.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub effective_date: Option<NaiveDate>,
    pub term: Term,
    /// Payment terms as agreed, e.g. "Monthly in advance, 30 days net".
    pub payment_terms: String,
    /// How often the agreement itself is reviewed.
    pub review_cadence: Option<Cadence>,
    pub clauses: String,
}

// ---------------------------------------------------------------- 1. Service standards

/// A way customers reach the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum TouchpointKind {
    #[default]
    Phone,
    Email,
    Chat,
    Portal,
    OnSite,
    SocialMedia,
    Store,
    Other,
}

impl TouchpointKind {
    pub fn label(&self, lang: Language) -> &'static str {
        let (de, en) = match self {
            TouchpointKind::Phone => ("Telefon", "Phone"),
            TouchpointKind::Email => ("E-Mail", "E-mail"),
            TouchpointKind::Chat => ("Chat", "Chat"),
            TouchpointKind::Portal => ("Portal", "Portal"),
            TouchpointKind::OnSite => ("Vor Ort", "On site"),
            TouchpointKind::SocialMedia => ("Soziale Medien", "Social media"),
            TouchpointKind::Store => ("Filiale", "Store"),
            TouchpointKind::Other => ("Sonstiges", "Other"),
        };
        lang.pick(de, en)
    }
}

/// When something is available or when a clock runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Clock {
    /// Around the clock, every day.
    #[default]
    AlwaysOn,
    /// Only while the named business-hours calendar is open.
    BusinessHours { calendar: String },
}

/// A measurable target of a touchpoint, e.g. "answered within 60 s: >= 80 %".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct TouchpointTarget {
    pub name: String,
    pub unit: String,
    pub target: Option<Threshold>,
}

/// Section 1 entry: the standard for one touchpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct Touchpoint {
    pub kind: TouchpointKind,
    pub name: String,
    pub hours: Clock,
    /// Quality commitments in words ("friendly greeting with name", "one contact person").
    pub commitments: Vec<String>,
    pub targets: Vec<TouchpointTarget>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct ServiceStandards {
    pub touchpoints: Vec<Touchpoint>,
    pub clauses: String,
}

// ---------------------------------------------------------------- 2. Support levels

/// A priority/severity tier. Tiers are ordered from the most to the least urgent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct PriorityTier {
    /// Short stable id, e.g. `P1`.
    pub id: String,
    pub name: String,
    pub definition: String,
    pub examples: Vec<String>,
    pub first_response: Option<Duration>,
    pub update_interval: Option<Duration>,
    pub resolution: Option<Duration>,
    /// Which hours count towards the targets.
    pub clock: Clock,
}

/// One step of the escalation path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct EscalationStep {
    /// Role id from the duties section (or a free function title).
    pub role: String,
    /// Named person or team reached at this step.
    pub contact: String,
    /// Escalate when the ticket is this old without resolution.
    pub after: Option<Duration>,
    /// Priority ids this step applies to; empty means all.
    pub priorities: Vec<String>,
}

/// An optional commercial service tier (Basic, Premium …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct ServiceTier {
    pub name: String,
    pub description: String,
    /// Price per `billing` period.
    pub price: Option<Money>,
    pub billing: Option<Cadence>,
    /// Priority ids included in this tier; empty means all.
    pub priorities: Vec<String>,
}

/// Section 2: priorities, calendars, escalation, service tiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct SupportLevels {
    pub calendars: Vec<BusinessCalendar>,
    pub priorities: Vec<PriorityTier>,
    pub escalation: Vec<EscalationStep>,
    pub service_tiers: Vec<ServiceTier>,
    pub clauses: String,
}

// ---------------------------------------------------------------- 3. Channels

/// A communication channel customers use to raise requests.
///
/// Named `CommunicationChannel` in TypeScript (a struct's serde name is not part of its JSON),
/// where `Channel` is Tauri's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename = "CommunicationChannel", default, deny_unknown_fields)]
pub struct Channel {
    pub kind: TouchpointKind,
    pub name: String,
    /// Address, number or URL.
    pub contact: String,
    pub hours: Clock,
    /// Languages offered, e.g. `de`, `en`.
    pub languages: Vec<String>,
    /// Priority ids accepted on this channel; empty means all.
    pub accepts: Vec<String>,
    pub response_target: Option<Duration>,
    pub team: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct Channels {
    pub channels: Vec<Channel>,
    pub clauses: String,
}

// ---------------------------------------------------------------- 4. Department standards

/// Service standards of one department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct Department {
    pub name: String,
    pub critical_services: Vec<String>,
    pub response_target: Option<Duration>,
    pub resolution_target: Option<Duration>,
    pub satisfaction_target: Option<Percent>,
    /// Longest time before an open case goes to management.
    pub escalation_ceiling: Option<Duration>,
    /// Role id accountable for the department's standards.
    pub owner: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct Departments {
    pub departments: Vec<Department>,
    pub clauses: String,
}

// ---------------------------------------------------------------- 5. Metrics and reporting

/// A key performance indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct Kpi {
    /// Stable id referenced by service credits, e.g. `availability`.
    pub id: String,
    pub name: String,
    pub definition: String,
    pub formula: String,
    pub unit: String,
    pub target: Option<Threshold>,
    /// Lowest acceptable level; below it the agreement is breached.
    pub minimum: Option<Threshold>,
    pub window: Option<Cadence>,
    pub data_source: String,
    pub reporting: Option<Cadence>,
    pub recipients: Vec<String>,
}

/// A credit the customer receives when a KPI falls below a level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct ServiceCredit {
    /// Id of the KPI this credit refers to.
    pub kpi: String,
    /// Level that triggers the credit, e.g. `< 99.5` as a threshold `<= 99.49`.
    pub breach: Option<Threshold>,
    /// Credit as a share of the monthly fee.
    pub credit: Option<Percent>,
}

/// Regular service review meetings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct ReviewMeetings {
    pub cadence: Option<Cadence>,
    pub participants: Vec<String>,
    pub agenda: String,
}

/// Section 5: KPI catalogue, availability, credits, reviews.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct Metrics {
    pub kpis: Vec<Kpi>,
    pub availability_target: Option<Percent>,
    pub service_credits: Vec<ServiceCredit>,
    /// Highest total credit per month.
    pub credit_cap: Option<Percent>,
    pub reviews: ReviewMeetings,
    pub clauses: String,
}

// ---------------------------------------------------------------- 6. Customer feedback

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum FeedbackKind {
    #[default]
    Csat,
    Nps,
    Ces,
    Reviews,
    Interview,
    Other,
}

/// One way feedback is collected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct FeedbackMethod {
    pub kind: FeedbackKind,
    pub description: String,
    pub frequency: Option<Cadence>,
    pub target: Option<Threshold>,
}

/// How complaints are submitted and handled, with time limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct ComplaintProcedure {
    pub submission: Vec<String>,
    pub acknowledgement: Option<Duration>,
    pub investigation: Option<Duration>,
    pub resolution: Option<Duration>,
    /// Who handles a complaint the customer is not satisfied with.
    pub escalation: String,
    /// Role id responsible for the procedure.
    pub owner: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct Feedback {
    pub methods: Vec<FeedbackMethod>,
    pub complaints: ComplaintProcedure,
    /// How feedback leads to improvements.
    pub improvement: String,
    pub clauses: String,
}

// ---------------------------------------------------------------- 7. Duties

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum PartySide {
    #[default]
    Provider,
    Customer,
}

/// A role in the agreement, referenced by id from RACI, escalation and owners.
///
/// Named `DutyRole` in TypeScript (a struct's serde name is not part of its JSON), where
/// `Role` is the approval role of `crate::signing`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename = "DutyRole", default, deny_unknown_fields)]
pub struct Role {
    pub id: String,
    pub title: String,
    pub party: PartySide,
    pub person: String,
    pub contact: String,
}

/// A responsibility of one party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct Responsibility {
    pub party: PartySide,
    pub text: String,
}

/// One RACI cell: a role with some of the letters R, A, C, I (stored as e.g. `"RA"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct RaciAssignment {
    pub role: String,
    pub letters: String,
}

/// One activity row of the RACI matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct RaciActivity {
    pub activity: String,
    pub assignments: Vec<RaciAssignment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct Duties {
    pub roles: Vec<Role>,
    pub responsibilities: Vec<Responsibility>,
    pub raci: Vec<RaciActivity>,
    pub clauses: String,
}

impl Duties {
    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }
}

// ---------------------------------------------------------------- 8. Training

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum TrainingFormat {
    #[default]
    Classroom,
    Workshop,
    ELearning,
    Webinar,
    OnTheJob,
    Coaching,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct TrainingProgramme {
    pub topic: String,
    pub audience: String,
    pub format: TrainingFormat,
    pub frequency: Option<Cadence>,
    /// Role id responsible for the programme.
    pub owner: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct Training {
    pub programmes: Vec<TrainingProgramme>,
    pub needs_assessment: String,
    pub evaluation: String,
    pub clauses: String,
}

// ---------------------------------------------------------------- 9. Amendments

/// How the agreement may be changed. The amendment log itself is derived from the signed
/// history, not stored in the content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct Amendments {
    /// Role ids (or parties) that may propose a change.
    pub proposers: Vec<String>,
    /// Role ids that must approve a change.
    pub approvers: Vec<String>,
    /// Notice before a change takes effect.
    pub notice: Option<Duration>,
    pub clauses: String,
}
