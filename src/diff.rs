//! Comparing two states of an agreement: a redline of the clause text and a table of changed
//! terms ("P1 Lösungszeit: 8 Std. → 4 Std.").
//!
//! Terms are the structured fields flattened into labelled leaves. List entries are keyed by
//! their stable id (a priority `P1`, a KPI `availability`) or their name, not their position,
//! so reordering a list is not reported as a change of every entry. Pure functions, no I/O.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;
use similar::{ChangeTag, TextDiff};

use crate::model::{Agreement, Duration, Language, Section};

/// Kind of a piece of redline text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Same,
    Inserted,
    Deleted,
}

/// A run of clause text that is unchanged, inserted or deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Chunk {
    pub kind: ChangeKind,
    pub text: String,
}

/// The redline of one section's clause text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SectionRedline {
    pub section: Section,
    pub title: String,
    pub chunks: Vec<Chunk>,
}

/// One structured term that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TermChange {
    pub section: Section,
    /// Stable key, e.g. `support_levels.priorities[P1].resolution`.
    pub key: String,
    /// Label in the comparison's language, e.g. `P1 › Lösungszeit`.
    pub label: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl TermChange {
    /// "P1 › resolution: 8 h → 4 h"
    pub fn line(&self) -> String {
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_string());
        format!(
            "{}: {} → {}",
            self.label,
            show(&self.before),
            show(&self.after)
        )
    }
}

/// Everything that differs between two agreements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Comparison {
    pub language: Language,
    /// Sections whose clause text changed, in section order.
    pub redlines: Vec<SectionRedline>,
    pub terms: Vec<TermChange>,
}

impl Comparison {
    pub fn is_empty(&self) -> bool {
        self.redlines.is_empty() && self.terms.is_empty()
    }

    /// A plain-text rendering: `[-deleted-]{+inserted+}` redlines, then the changed terms.
    pub fn to_text(&self) -> String {
        let lang = self.language;
        let mut out = String::new();
        for r in &self.redlines {
            out.push_str(&format!("## {}\n", r.title));
            for c in &r.chunks {
                match c.kind {
                    ChangeKind::Same => out.push_str(&c.text),
                    ChangeKind::Inserted => out.push_str(&format!("{{+{}+}}", c.text)),
                    ChangeKind::Deleted => out.push_str(&format!("[-{}-]", c.text)),
                }
            }
            if !out.ends_with('\n') {
                out.push('\n');
            }
            out.push('\n');
        }
        if !self.terms.is_empty() {
            out.push_str(&format!(
                "## {}\n",
                lang.pick("Geänderte Bedingungen", "Changed terms")
            ));
            for t in &self.terms {
                out.push_str(&format!("- {}\n", t.line()));
            }
        }
        if self.is_empty() {
            out.push_str(lang.pick("Keine Unterschiede.\n", "No differences.\n"));
        }
        out
    }
}

/// Compares `before` with `after`; labels and values are written in `lang`.
pub fn compare(before: &Agreement, after: &Agreement, lang: Language) -> Comparison {
    let mut redlines = Vec::new();
    for section in Section::ALL {
        let (a, b) = (before.clauses(section), after.clauses(section));
        if a != b {
            redlines.push(SectionRedline {
                section,
                title: section.title(lang).to_string(),
                chunks: redline(a, b),
            });
        }
    }
    let old = terms(before, lang);
    let new = terms(after, lang);
    let mut changes = Vec::new();
    for (key, (section, label, value)) in &old {
        match new.get(key) {
            Some((_, _, v)) if v == value => {}
            Some((_, _, v)) => changes.push(TermChange {
                section: *section,
                key: key.clone(),
                label: label.clone(),
                before: Some(value.clone()),
                after: Some(v.clone()),
            }),
            None => changes.push(TermChange {
                section: *section,
                key: key.clone(),
                label: label.clone(),
                before: Some(value.clone()),
                after: None,
            }),
        }
    }
    for (key, (section, label, value)) in &new {
        if !old.contains_key(key) {
            changes.push(TermChange {
                section: *section,
                key: key.clone(),
                label: label.clone(),
                before: None,
                after: Some(value.clone()),
            });
        }
    }
    changes.sort_by(|x, y| (x.section, &x.key).cmp(&(y.section, &y.key)));
    Comparison {
        language: lang,
        redlines,
        terms: changes,
    }
}

/// Word-level redline of two texts, with neighbouring runs of the same kind merged.
pub fn redline(before: &str, after: &str) -> Vec<Chunk> {
    let diff = TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .timeout(std::time::Duration::from_millis(200))
        .diff_words(before, after);
    let mut chunks: Vec<Chunk> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => ChangeKind::Same,
            ChangeTag::Insert => ChangeKind::Inserted,
            ChangeTag::Delete => ChangeKind::Deleted,
        };
        match chunks.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(change.value()),
            _ => chunks.push(Chunk {
                kind,
                text: change.value().to_string(),
            }),
        }
    }
    chunks
}

/// The structured terms of an agreement: stable key → (section, label, displayed value).
/// Clause text is left out; it belongs to the redline.
pub fn terms(agreement: &Agreement, lang: Language) -> BTreeMap<String, (Section, String, String)> {
    let value = serde_json::to_value(agreement).expect("the model always serializes");
    let mut out = BTreeMap::new();
    if let Value::Object(map) = value {
        for section in Section::ALL {
            if let Some(v) = map.get(section.key()) {
                flatten(
                    v,
                    section.key(),
                    &[section.title(lang).to_string()],
                    section,
                    lang,
                    &mut out,
                );
            }
        }
        for key in ["title", "language"] {
            if let Some(v) = map.get(key) {
                let label = field_label(key, lang).to_string();
                flatten(v, key, &[label], Section::Overview, lang, &mut out);
            }
        }
    }
    out
}

fn flatten(
    v: &Value,
    key: &str,
    label: &[String],
    section: Section,
    lang: Language,
    out: &mut BTreeMap<String, (Section, String, String)>,
) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                if k == "clauses" {
                    continue;
                }
                let mut l = label.to_vec();
                l.push(field_label(k, lang).to_string());
                flatten(child, &format!("{key}.{k}"), &l, section, lang, out);
            }
        }
        Value::Array(items) if items.iter().all(|i| !i.is_object()) => {
            let shown: Vec<String> = items.iter().filter_map(|i| display_leaf(i, lang)).collect();
            if !shown.is_empty() {
                out.insert(
                    key.to_string(),
                    (section, label.join(" › "), shown.join("; ")),
                );
            }
        }
        Value::Array(items) => {
            let mut seen: BTreeMap<String, usize> = BTreeMap::new();
            for (i, item) in items.iter().enumerate() {
                let name = entry_name(item).unwrap_or_else(|| format!("#{}", i + 1));
                let n = seen.entry(name.clone()).or_insert(0);
                *n += 1;
                let name = if *n > 1 {
                    format!("{name} ({n})")
                } else {
                    name
                };
                let mut l = label.to_vec();
                l.push(name.clone());
                flatten(item, &format!("{key}[{name}]"), &l, section, lang, out);
            }
        }
        leaf => {
            if let Some(shown) = display_leaf(leaf, lang) {
                out.insert(key.to_string(), (section, label.join(" › "), shown));
            }
        }
    }
}

/// The name that identifies a list entry across versions.
fn entry_name(item: &Value) -> Option<String> {
    let map = item.as_object()?;
    for field in [
        "id", "name", "activity", "topic", "role", "kpi", "date", "text", "day",
    ] {
        if let Some(Value::String(s)) = map.get(field) {
            if !s.trim().is_empty() {
                let mut s: String = s.trim().chars().take(40).collect();
                if field == "day" {
                    if let Some(Value::String(from)) = map.get("from") {
                        s = format!("{s} {from}");
                    }
                }
                return Some(s);
            }
        }
    }
    None
}

fn display_leaf(v: &Value, lang: Language) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(match s.parse::<Duration>() {
            Ok(d) if d.to_string() == *s => d.display(lang),
            _ => s.clone(),
        }),
        Value::Bool(b) => Some(
            lang.pick(
                if *b { "ja" } else { "nein" },
                if *b { "yes" } else { "no" },
            )
            .to_string(),
        ),
        other => Some(other.to_string()),
    }
}

/// Human label of a model field in the agreement's language.
pub fn field_label(key: &str, lang: Language) -> &str {
    let (de, en) = match key {
        "title" => ("Titel", "Title"),
        "language" => ("Sprache", "Language"),
        "provider" => ("Anbieter", "Provider"),
        "customer" => ("Kunde", "Customer"),
        "purpose" => ("Zweck", "Purpose"),
        "scope" => ("Umfang", "Scope"),
        "services" => ("Leistungen", "Services"),
        "exclusions" => ("Ausschlüsse", "Exclusions"),
        "assumptions" => ("Annahmen", "Assumptions"),
        "dependencies" => ("Abhängigkeiten", "Dependencies"),
        "effective_date" => ("Beginn", "Effective date"),
        "term" => ("Laufzeit", "Term"),
        "initial_months" => ("Erstlaufzeit (Monate)", "Initial term (months)"),
        "end_date" => ("Enddatum", "End date"),
        "renewal" => ("Verlängerung", "Renewal"),
        "renewal_months" => ("Verlängerung (Monate)", "Renewal (months)"),
        "notice" => ("Frist", "Notice"),
        "payment_terms" => ("Zahlungsbedingungen", "Payment terms"),
        "review_cadence" => ("Überprüfung", "Review cadence"),
        "address" => ("Anschrift", "Address"),
        "contacts" => ("Kontakte", "Contacts"),
        "function" => ("Funktion", "Function"),
        "email" => ("E-Mail", "E-mail"),
        "phone" => ("Telefon", "Phone"),
        "touchpoints" => ("Kontaktpunkte", "Touchpoints"),
        "kind" => ("Art", "Kind"),
        "hours" => ("Servicezeiten", "Hours"),
        "calendar" => ("Kalender", "Calendar"),
        "commitments" => ("Zusagen", "Commitments"),
        "targets" => ("Ziele", "Targets"),
        "target" => ("Zielwert", "Target"),
        "unit" => ("Einheit", "Unit"),
        "calendars" => ("Kalender", "Calendars"),
        "time_zone" => ("Zeitzone", "Time zone"),
        "weekly" => ("Wochenzeiten", "Weekly hours"),
        "from" => ("von", "from"),
        "to" => ("bis", "to"),
        "holidays" => ("Feiertage", "Holidays"),
        "german_public_holidays" => ("Bundesweite Feiertage", "German public holidays"),
        "priorities" => ("Prioritäten", "Priorities"),
        "definition" => ("Definition", "Definition"),
        "examples" => ("Beispiele", "Examples"),
        "first_response" => ("Reaktionszeit", "first response"),
        "update_interval" => ("Aktualisierungsintervall", "update interval"),
        "resolution" => ("Lösungszeit", "resolution"),
        "clock" => ("Zeitbasis", "Clock"),
        "escalation" => ("Eskalation", "Escalation"),
        "after" => ("nach", "after"),
        "service_tiers" => ("Servicestufen", "Service tiers"),
        "price" => ("Preis", "Price"),
        "billing" => ("Abrechnung", "Billing"),
        "channels" => ("Kanäle", "Channels"),
        "contact" => ("Kontakt", "Contact"),
        "languages" => ("Sprachen", "Languages"),
        "accepts" => ("Akzeptierte Prioritäten", "Accepted priorities"),
        "response_target" => ("Antwortziel", "Response target"),
        "team" => ("Team", "Team"),
        "departments" => ("Abteilungen", "Departments"),
        "critical_services" => ("Kritische Leistungen", "Critical services"),
        "resolution_target" => ("Lösungsziel", "Resolution target"),
        "satisfaction_target" => ("Zufriedenheitsziel", "Satisfaction target"),
        "escalation_ceiling" => ("Eskalationsgrenze", "Escalation ceiling"),
        "owner" => ("Verantwortlich", "Owner"),
        "kpis" => ("Kennzahlen", "KPIs"),
        "formula" => ("Formel", "Formula"),
        "minimum" => ("Mindestwert", "Minimum"),
        "window" => ("Messzeitraum", "Window"),
        "data_source" => ("Datenquelle", "Data source"),
        "reporting" => ("Berichtsturnus", "Reporting"),
        "recipients" => ("Empfänger", "Recipients"),
        "availability_target" => ("Verfügbarkeitsziel", "Availability target"),
        "service_credits" => ("Servicegutschriften", "Service credits"),
        "kpi" => ("Kennzahl", "KPI"),
        "breach" => ("Verletzung bei", "Breach at"),
        "credit" => ("Gutschrift", "Credit"),
        "credit_cap" => ("Gutschriftenobergrenze", "Credit cap"),
        "reviews" => ("Review-Termine", "Review meetings"),
        "cadence" => ("Turnus", "Cadence"),
        "participants" => ("Teilnehmende", "Participants"),
        "agenda" => ("Agenda", "Agenda"),
        "methods" => ("Methoden", "Methods"),
        "description" => ("Beschreibung", "Description"),
        "frequency" => ("Häufigkeit", "Frequency"),
        "complaints" => ("Beschwerdeverfahren", "Complaint procedure"),
        "submission" => ("Einreichung", "Submission"),
        "acknowledgement" => ("Eingangsbestätigung", "Acknowledgement"),
        "investigation" => ("Prüfung", "Investigation"),
        "improvement" => ("Verbesserung", "Improvement"),
        "roles" => ("Rollen", "Roles"),
        "party" => ("Partei", "Party"),
        "person" => ("Person", "Person"),
        "responsibilities" => ("Pflichten", "Responsibilities"),
        "text" => ("Text", "Text"),
        "raci" => ("RACI", "RACI"),
        "activity" => ("Aktivität", "Activity"),
        "assignments" => ("Zuordnungen", "Assignments"),
        "role" => ("Rolle", "Role"),
        "letters" => ("RACI", "RACI"),
        "programmes" => ("Programme", "Programmes"),
        "topic" => ("Thema", "Topic"),
        "audience" => ("Zielgruppe", "Audience"),
        "format" => ("Format", "Format"),
        "needs_assessment" => ("Bedarfsermittlung", "Needs assessment"),
        "evaluation" => ("Wirksamkeitsprüfung", "Evaluation"),
        "proposers" => ("Antragsberechtigt", "Who may propose"),
        "approvers" => ("Genehmigende", "Approvers"),
        "date" => ("Datum", "Date"),
        "id" => ("Kennung", "Id"),
        "name" => ("Name", "Name"),
        other => return other,
    };
    lang.pick(de, en)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PriorityTier, SupportLevels};

    fn with_p1(resolution: &str, clauses: &str) -> Agreement {
        Agreement {
            support_levels: SupportLevels {
                priorities: vec![PriorityTier {
                    id: "P1".into(),
                    name: "Kritisch".into(),
                    resolution: Some(resolution.parse().unwrap()),
                    ..Default::default()
                }],
                clauses: clauses.into(),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn changed_target_is_one_term_line() {
        let c = compare(&with_p1("8 h", "a"), &with_p1("4 h", "a"), Language::De);
        assert!(c.redlines.is_empty(), "clauses are equal");
        let lines: Vec<String> = c.terms.iter().map(TermChange::line).collect();
        assert_eq!(
            lines,
            ["Supportlevel › Prioritäten › P1 › Lösungszeit: 8 Std. → 4 Std."]
        );
        let c = compare(&with_p1("8 h", "a"), &with_p1("4 h", "a"), Language::En);
        assert_eq!(
            c.terms[0].line(),
            "Support levels › Priorities › P1 › resolution: 8 h → 4 h"
        );
    }

    #[test]
    fn reordering_a_list_is_not_a_change() {
        let mut a = with_p1("8 h", "");
        a.support_levels.priorities.push(PriorityTier {
            id: "P2".into(),
            ..Default::default()
        });
        let mut b = a.clone();
        b.support_levels.priorities.reverse();
        assert!(compare(&a, &b, Language::En).terms.is_empty());
    }

    #[test]
    fn redline_marks_words() {
        let chunks = redline(
            "Die Frist beträgt acht Stunden.",
            "Die Frist beträgt vier Stunden.",
        );
        let text = Comparison {
            language: Language::De,
            redlines: vec![SectionRedline {
                section: Section::Overview,
                title: "x".into(),
                chunks,
            }],
            terms: vec![],
        }
        .to_text();
        assert!(text.contains("[-acht-]{+vier+}"), "{text}");
    }
}
