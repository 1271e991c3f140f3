//! Section 3, channels: how customers reach the provider, and whether a channel keeps the
//! promises of the priorities it accepts.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::wording::{channel_label, hours_text, listing, quoted, say, tier_label};
use super::{each, filled, longer, CheckInfo, Findings, Ids, Part, Requirement, ERROR, WARNING};
use crate::model::{
    Agreement, BusinessCalendar, Channel, Clock, ClockTime, Day, Duration, OpeningHours,
    PriorityTier, Section,
};

/// What this section adds to the catalogue, the consistency run and the checklist.
pub(super) const PART: Part = Part {
    section: Section::Channels,
    checks: &[
        CHANNEL_PRIORITY_UNKNOWN,
        CRITICAL_CHANNEL_HOURS,
        CHANNEL_RESPONSE_SLOWER,
    ],
    passes: &[check_channels, check_critical_channel_hours],
    requirements: REQUIREMENTS,
    #[cfg(test)]
    cases: tests::cases,
};

// ---------------------------------------------------------------- checklist

const REQUIREMENTS: &[Requirement] = &[
    Requirement::new(
        "channels.channels",
        "channels.channels",
        |a| !a.channels.channels.is_empty(),
        "Mindestens ein Kommunikationskanal",
        "At least one communication channel",
    ),
    Requirement::new(
        "channels.contacts",
        "channels.channels",
        |a| each(&a.channels.channels, |ch| filled(&ch.contact)),
        "Jeder Kanal hat Adresse, Nummer oder URL",
        "Every channel has an address, number or URL",
    ),
    Requirement::new(
        "channels.response_targets",
        "channels.channels",
        |a| each(&a.channels.channels, |ch| ch.response_target.is_some()),
        "Jeder Kanal hat eine Antwortzeit",
        "Every channel has a response target",
    ),
    Requirement::new(
        "channels.languages",
        "channels.channels",
        |a| {
            each(&a.channels.channels, |ch| {
                ch.languages.iter().any(|s| filled(s))
            })
        },
        "Jeder Kanal nennt seine Sprachen",
        "Every channel lists its languages",
    ),
    Requirement::new(
        "channels.teams",
        "channels.channels",
        |a| each(&a.channels.channels, |ch| filled(&ch.team)),
        "Jeder Kanal hat ein zuständiges Team",
        "Every channel has a responsible team",
    ),
];

// ---------------------------------------------------------------- checks

const CHANNEL_PRIORITY_UNKNOWN: CheckInfo = CheckInfo::new(
    "channel-priority-unknown",
    ERROR,
    "A channel accepts a priority id that is not defined.",
);
const CHANNEL_RESPONSE_SLOWER: CheckInfo = CheckInfo::new(
    "channel-response-slower",
    WARNING,
    "A channel's response target is slower than the \
    first-response target of a priority it accepts.",
);

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

const CRITICAL_CHANNEL_HOURS: CheckInfo = CheckInfo::new(
    "critical-channel-hours",
    WARNING,
    "A channel accepts the most urgent priority but is closed in \
    hours that priority's clock counts.",
);

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

#[cfg(test)]
mod tests {
    use expect_test::expect;
    use serde_json::{json, Value};

    use crate::check::fixtures::*;

    /// One case per check of this section.
    pub(super) fn cases() -> Vec<Case> {
        vec![
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
        ]
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
}
