//! Section 2, support levels: business-hours calendars, priority tiers and their targets,
//! the escalation path and the commercial service tiers.

use std::collections::{HashMap, HashSet};

use super::wording::{channel_label, hours_text, label, listing, quoted, say, tier_label, LISTED};
use super::{each, filled, longer, CheckInfo, Findings, Ids, Part, Requirement, ERROR, WARNING};
use crate::model::{
    Agreement, Clock, Day, Duration, Language, OpeningHours, PriorityTier, Section,
};

/// What this section adds to the catalogue, the consistency run and the checklist.
pub(super) const PART: Part = Part {
    section: Section::SupportLevels,
    checks: &[
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
    ],
    passes: &[
        check_clocks,
        check_calendars,
        check_priorities,
        check_escalation,
        check_service_tiers,
    ],
    requirements: REQUIREMENTS,
    #[cfg(test)]
    cases: tests::cases,
};

// ---------------------------------------------------------------- checklist

const REQUIREMENTS: &[Requirement] = &[
    Requirement::new(
        "support_levels.priorities",
        "support_levels.priorities",
        |a| !a.support_levels.priorities.is_empty(),
        "Prioritäts- bzw. Schweregradstufen festgelegt",
        "Priority or severity tiers defined",
    ),
    Requirement::new(
        "support_levels.priorities.definitions",
        "support_levels.priorities",
        |a| {
            each(&a.support_levels.priorities, |t| {
                filled(&t.name) && filled(&t.definition)
            })
        },
        "Jede Stufe hat Namen und Definition",
        "Every tier has a name and a definition",
    ),
    Requirement::new(
        "support_levels.priorities.examples",
        "support_levels.priorities",
        |a| {
            each(&a.support_levels.priorities, |t| {
                t.examples.iter().any(|s| filled(s))
            })
        },
        "Jede Stufe hat Beispiele",
        "Every tier has examples",
    ),
    Requirement::new(
        "support_levels.priorities.targets",
        "support_levels.priorities",
        |a| {
            each(&a.support_levels.priorities, |t| {
                t.first_response.is_some() && t.update_interval.is_some() && t.resolution.is_some()
            })
        },
        "Jede Stufe hat Erstreaktion, Aktualisierungsintervall und Lösungszeit",
        "Every tier has first response, update interval and resolution targets",
    ),
    Requirement::new(
        "support_levels.calendars",
        "support_levels.calendars",
        |a| {
            !a.support_levels.calendars.is_empty()
                || each(&a.support_levels.priorities, |t| t.clock == Clock::AlwaysOn)
        },
        "Servicezeiten: ein Geschäftszeitenkalender oder durchgehend 24/7",
        "Service hours: a business-hours calendar, or 24/7 throughout",
    ),
    Requirement::new(
        "support_levels.escalation",
        "support_levels.escalation",
        |a| !a.support_levels.escalation.is_empty(),
        "Eskalationspfad festgelegt",
        "Escalation path defined",
    ),
];

// ---------------------------------------------------------------- checks

const CALENDAR_UNKNOWN: CheckInfo = CheckInfo::new(
    "calendar-unknown",
    ERROR,
    "A clock (priority, channel or touchpoint hours) names a calendar that is not defined.",
);

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

fn check_calendars(a: &Agreement, _ids: &Ids, out: &mut Findings) {
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

fn check_priorities(a: &Agreement, _ids: &Ids, out: &mut Findings) {
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

#[cfg(test)]
mod tests {
    use expect_test::expect;
    use serde_json::{json, Value};

    use crate::check::fixtures::*;

    /// One case per check of this section.
    pub(super) fn cases() -> Vec<Case> {
        vec![
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
        ]
    }

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
}
