//! The ids other sections refer to (priorities, roles, KPIs, calendars), collected once per
//! run, and how names that stand in for a role or a party are compared.

use std::collections::{HashMap, HashSet};

use unicode_normalization::UnicodeNormalization;

use super::filled;
use crate::model::{Agreement, BusinessCalendar, Kpi, Role};

/// Ids other sections refer to.
pub(super) struct Ids<'a> {
    pub(super) priorities: HashSet<&'a str>,
    pub(super) roles: HashMap<&'a str, &'a Role>,
    pub(super) role_titles: HashSet<String>,
    pub(super) kpis: HashMap<&'a str, &'a Kpi>,
    pub(super) calendars: HashMap<&'a str, &'a BusinessCalendar>,
}

impl<'a> Ids<'a> {
    pub(super) fn new(a: &'a Agreement) -> Self {
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

    pub(super) fn is_role(&self, id: &str) -> bool {
        filled(id) && self.roles.contains_key(id)
    }

    pub(super) fn is_priority(&self, id: &str) -> bool {
        self.priorities.contains(id)
    }
}

/// A name used as a key (a party, a role title), for comparing: trimmed, lower case and in
/// Unicode normal form C, so that "Müller" typed and "Müller" pasted in decomposed form match.
pub(super) fn name_key(text: &str) -> String {
    text.trim().to_lowercase().nfc().collect()
}
