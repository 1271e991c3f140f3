//! Section 5, metrics: the KPI catalogue, the availability target and the service credits.

use std::collections::{HashMap, HashSet};

use super::wording::{label, quoted, say};
use super::{each, filled, CheckInfo, Findings, Ids, Part, Requirement, ERROR, HINT, WARNING};
use crate::model::{Agreement, Comparison, Decimal, Percent, Section, Threshold};

/// What this section adds to the catalogue, the consistency run and the checklist.
pub(super) const PART: Part = Part {
    section: Section::Metrics,
    checks: &[
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
    ],
    passes: &[check_kpis, check_credits],
    requirements: REQUIREMENTS,
    #[cfg(test)]
    cases: tests::cases,
};

// ---------------------------------------------------------------- checklist

const REQUIREMENTS: &[Requirement] = &[
    Requirement::new(
        "metrics.kpis",
        "metrics.kpis",
        |a| !a.metrics.kpis.is_empty(),
        "Kennzahlenkatalog angelegt",
        "KPI catalogue started",
    ),
    Requirement::new(
        "metrics.kpis.definitions",
        "metrics.kpis",
        |a| {
            each(&a.metrics.kpis, |k| {
                filled(&k.definition) || filled(&k.formula)
            })
        },
        "Jede Kennzahl ist definiert (Beschreibung oder Formel)",
        "Every KPI is defined (description or formula)",
    ),
    Requirement::new(
        "metrics.kpis.windows",
        "metrics.kpis",
        |a| each(&a.metrics.kpis, |k| k.window.is_some()),
        "Jede Kennzahl hat einen Messzeitraum",
        "Every KPI has a measurement window",
    ),
    Requirement::new(
        "metrics.kpis.reporting",
        "metrics.kpis",
        |a| {
            each(&a.metrics.kpis, |k| {
                k.reporting.is_some() && k.recipients.iter().any(|s| filled(s))
            })
        },
        "Für jede Kennzahl: Berichtsturnus und Empfänger",
        "For every KPI: reporting frequency and recipients",
    ),
    Requirement::new(
        "metrics.availability_target",
        "metrics.availability_target",
        |a| a.metrics.availability_target.is_some(),
        "Verfügbarkeitsziel",
        "Availability target",
    ),
    Requirement::new(
        "metrics.service_credits",
        "metrics.service_credits",
        |a| !a.metrics.service_credits.is_empty(),
        "Gutschriften oder Vertragsstrafen bei Verfehlung",
        "Service credits or penalties on breach",
    ),
    Requirement::new(
        "metrics.reviews.cadence",
        "metrics.reviews.cadence",
        |a| a.metrics.reviews.cadence.is_some(),
        "Turnus der Service-Review-Termine",
        "How often service reviews meet",
    ),
    Requirement::new(
        "metrics.reviews.participants",
        "metrics.reviews.participants",
        |a| a.metrics.reviews.participants.iter().any(|s| filled(s)),
        "Teilnehmende der Service-Reviews",
        "Who takes part in service reviews",
    ),
];

// ---------------------------------------------------------------- checks

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

fn check_kpis(a: &Agreement, _ids: &Ids, out: &mut Findings) {
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

#[cfg(test)]
mod tests {
    use expect_test::expect;
    use serde_json::json;

    use crate::check::fixtures::*;

    /// One case per check of this section.
    pub(super) fn cases() -> Vec<Case> {
        vec![
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
        ]
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
}
