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
//! Layout: one file per section (`overview.rs` … `amendments.rs`). Each declares its `Part`:
//! the section's checks (id, severity, description), the passes that emit their findings with
//! both messages, its checklist requirements, and — in its tests — one case per check. This
//! file assembles the catalogue and the report from `PARTS`, so adding a check touches only
//! its section's file. `wording.rs` says values and names in German and English, `ids.rs`
//! collects the ids sections refer to.
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

use serde::Serialize;

use crate::model::{Agreement, Duration, Language, Section};

use ids::Ids;

mod amendments;
mod channels;
mod departments;
mod duties;
mod feedback;
mod ids;
mod metrics;
mod overview;
mod service_standards;
mod support_levels;
mod training;
mod wording;

#[cfg(test)]
mod fixtures;

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

const ERROR: Severity = Severity::Error;
const WARNING: Severity = Severity::Warning;
const HINT: Severity = Severity::Hint;

/// One pass over the agreement that emits the findings of some of its file's checks. A pass
/// may serve several checks that look at the same entries.
type Pass = fn(&Agreement, &Ids, &mut Findings);

/// What one section's file contributes: its checks, the passes that emit their findings, its
/// checklist requirements and, in tests, one case per check.
struct Part {
    section: Section,
    /// In catalogue order.
    checks: &'static [CheckInfo],
    /// Run in this order; findings on the same path keep it.
    passes: &'static [Pass],
    requirements: &'static [Requirement],
    #[cfg(test)]
    cases: fn() -> Vec<fixtures::Case>,
}

/// The sections' parts, in section order: the order of the catalogue, of the checklist and of
/// the passes.
const PARTS: &[Part] = &[
    overview::PART,
    service_standards::PART,
    support_levels::PART,
    channels::PART,
    departments::PART,
    metrics::PART,
    feedback::PART,
    duties::PART,
    training::PART,
    amendments::PART,
];

/// Every consistency check, in section order.
pub const CHECKS: &[CheckInfo] = &catalogue::<{ check_count() }>();

const fn check_count() -> usize {
    let mut count = 0;
    let mut p = 0;
    while p < PARTS.len() {
        count += PARTS[p].checks.len();
        p += 1;
    }
    count
}

/// The checks of all parts, one after the other.
const fn catalogue<const N: usize>() -> [CheckInfo; N] {
    let mut all = [CheckInfo::new("", Severity::Hint, ""); N];
    let mut n = 0;
    let mut p = 0;
    while p < PARTS.len() {
        let mut c = 0;
        while c < PARTS[p].checks.len() {
            all[n] = PARTS[p].checks[c];
            n += 1;
            c += 1;
        }
        p += 1;
    }
    all
}

/// The catalogue entry of a check id.
pub fn check_info(id: &str) -> Option<&'static CheckInfo> {
    CHECKS.iter().find(|c| c.id == id)
}

/// One item of the checklist as a section's file declares it. Its id starts with the key of
/// that section.
struct Requirement {
    id: &'static str,
    path: &'static str,
    settled: fn(&Agreement) -> bool,
    label_de: &'static str,
    label_en: &'static str,
}

impl Requirement {
    const fn new(
        id: &'static str,
        path: &'static str,
        settled: fn(&Agreement) -> bool,
        label_de: &'static str,
        label_en: &'static str,
    ) -> Self {
        Requirement {
            id,
            path,
            settled,
            label_de,
            label_en,
        }
    }

    fn item(&self, section: Section, a: &Agreement) -> ChecklistItem {
        ChecklistItem {
            id: self.id.to_string(),
            section,
            path: self.path.to_string(),
            done: (self.settled)(a),
            label_de: self.label_de.to_string(),
            label_en: self.label_en.to_string(),
        }
    }
}

/// Whether the text holds more than white space.
fn filled(text: &str) -> bool {
    !text.trim().is_empty()
}

/// Whether `a` is the longer duration, compared in nominal minutes.
fn longer(a: &Duration, b: &Duration) -> bool {
    a.nominal_minutes() > b.nominal_minutes()
}

/// True when the list has entries and every entry passes.
fn each<T>(list: &[T], test: impl Fn(&T) -> bool) -> bool {
    !list.is_empty() && list.iter().all(test)
}

// ---------------------------------------------------------------- entry point

/// Runs the checklist and every consistency check.
pub fn check(agreement: &Agreement) -> Report {
    let items: Vec<ChecklistItem> = PARTS
        .iter()
        .flat_map(|part| {
            part.requirements
                .iter()
                .map(|r| r.item(part.section, agreement))
        })
        .collect();
    let ids = Ids::new(agreement);
    let mut out = Findings::default();
    for pass in PARTS.iter().flat_map(|part| part.passes) {
        pass(agreement, &ids, &mut out);
    }

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

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use chrono::NaiveDate;
    use expect_test::expect;
    use serde_json::{json, Value};

    use super::fixtures::*;
    use super::*;
    use crate::model::{
        BusinessCalendar, Channel, Clock, ClockTime, Day, Decimal, DurationUnit, EscalationStep,
        Holiday, OpeningHours, Percent, PriorityTier, RaciActivity, RaciAssignment, ServiceCredit,
    };

    /// The cases of every section, in catalogue order.
    fn cases() -> Vec<Case> {
        PARTS.iter().flat_map(|part| (part.cases)()).collect()
    }

    // ------------------------------------------------------------ catalogue

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

    #[test]
    fn each_section_holds_its_own_checks_and_their_cases() {
        let order: Vec<Section> = PARTS.iter().map(|part| part.section).collect();
        assert_eq!(
            order,
            Section::ALL.to_vec(),
            "one part per section, in section order, so the catalogue and the checklist follow the editor"
        );
        for part in PARTS {
            let mut covered: Vec<&str> = (part.cases)().iter().map(|c| c.check).collect();
            covered.sort_unstable();
            let mut expected: Vec<&str> = part.checks.iter().map(|c| c.id).collect();
            expected.sort_unstable();
            assert_eq!(
                covered,
                expected,
                "{}: the cases next to the checks must cover exactly that file's checks",
                part.section.key()
            );
            for r in part.requirements {
                assert_eq!(
                    Section::of_path(r.id),
                    Some(part.section),
                    "checklist item {} is declared in the file of its section",
                    r.id
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
