//! Test fixtures shared by the sections' cases: small agreements written as JSON, a complete
//! and consistent one, and the helpers that run the checks on them.

use expect_test::Expect;
use serde_json::{json, Value};

use super::{check, Report};
use crate::model::Agreement;

pub(super) fn agreement(json: &Value) -> Agreement {
    serde_json::from_value(json.clone())
        .unwrap_or_else(|e| panic!("fixture must be a valid agreement ({e}):\n{json:#}"))
}

pub(super) fn report(json: &Value) -> Report {
    check(&agreement(json))
}

/// The ids of the checks that fire on an agreement given as JSON, in report order.
pub(super) fn check_ids(json: Value) -> Vec<String> {
    report(&json)
        .findings
        .into_iter()
        .map(|f| f.check)
        .collect()
}

/// Findings rendered one per block, for snapshots.
pub(super) fn render(json: Value) -> String {
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

pub(super) fn assert_findings(json: Value, expect: Expect) {
    expect.assert_eq(&render(json));
}

// ------------------------------------------------------------ fixture parts

pub(super) fn office() -> Value {
    calendar(
        "office",
        &["mon", "tue", "wed", "thu", "fri"],
        "08:00",
        "18:00",
    )
}

pub(super) fn calendar(id: &str, days: &[&str], from: &str, to: &str) -> Value {
    let weekly: Vec<Value> = days
        .iter()
        .map(|d| json!({"day": d, "from": from, "to": to}))
        .collect();
    json!({"id": id, "name": id, "time_zone": "Europe/Berlin", "weekly": weekly,
           "german_public_holidays": true})
}

pub(super) fn tier(id: &str, first_response: &str, update: &str, resolution: &str) -> Value {
    json!({"id": id, "name": id, "definition": "Defined", "examples": ["Example"],
           "first_response": first_response, "update_interval": update,
           "resolution": resolution})
}

pub(super) fn roles() -> Value {
    json!([
        {"id": "sdm", "title": "Service Delivery Manager", "party": "provider"},
        {"id": "lead", "title": "Support team lead", "party": "provider"},
        {"id": "it-lead", "title": "IT lead", "party": "customer"}
    ])
}

pub(super) fn kpi(id: &str) -> Value {
    json!({"id": id, "name": id, "unit": "%", "target": ">= 70", "data_source": "Ticket system"})
}

pub(super) fn availability() -> Value {
    json!({"id": "availability", "name": "Availability", "unit": "%", "target": ">= 99.5",
           "data_source": "Monitoring"})
}

/// A fully drafted, consistent agreement: every checklist item done, no finding.
pub(super) fn complete() -> Value {
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
pub(super) struct Case {
    pub(super) check: &'static str,
    pub(super) fires: Value,
    pub(super) fixed: Value,
}

pub(super) fn case(check: &'static str, fires: Value, fixed: Value) -> Case {
    Case {
        check,
        fires,
        fixed,
    }
}

/// The first priority tier most cases use.
pub(super) fn p1() -> Value {
    tier("P1", "30 min", "1 h", "4 h")
}
