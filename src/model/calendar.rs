//! Business-hours calendars: an IANA time zone, weekly opening hours and holidays, with a
//! preset for the German nationwide public holidays of any year.
//!
//! A calendar answers "is support open at this instant?" and "does calendar A cover every hour
//! calendar B is open?" — the questions the consistency checks and (later) SLA reports ask.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Timelike, Utc, Weekday};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::values::ValueError;
use super::Language;

/// A time of day as minutes after midnight; `24:00` is allowed as a closing time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime(pub u16);

impl ClockTime {
    pub const MIDNIGHT: ClockTime = ClockTime(0);
    pub const END_OF_DAY: ClockTime = ClockTime(24 * 60);
    pub fn hm(h: u16, m: u16) -> Self {
        ClockTime(h * 60 + m)
    }
}
impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}
impl FromStr for ClockTime {
    type Err = ValueError;
    fn from_str(text: &str) -> Result<Self, ValueError> {
        let bad = || ValueError {
            en: format!("\"{text}\" is not a time of day; write e.g. \"08:00\""),
            de: format!("„{text}“ ist keine Uhrzeit; schreiben Sie z. B. „08:00“"),
        };
        let t = text.trim().trim_end_matches(" Uhr");
        let (h, m) = t
            .split_once(':')
            .or_else(|| t.split_once('.'))
            .unwrap_or((t, "00"));
        let h: u16 = h.trim().parse().map_err(|_| bad())?;
        let m: u16 = m.trim().parse().map_err(|_| bad())?;
        if m >= 60 || h > 24 || (h == 24 && m != 0) {
            return Err(bad());
        }
        Ok(ClockTime::hm(h, m))
    }
}
/// A `string` in TypeScript (the `specta` feature), as it is on the wire.
#[cfg(feature = "specta")]
impl specta::Type for ClockTime {
    fn definition(types: &mut specta::Types) -> specta::datatype::DataType {
        <String as specta::Type>::definition(types)
    }
}
impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(|e: ValueError| serde::de::Error::custom(e.en))
    }
}

/// Day of the week, serialized as `mon` … `sun`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Day {
    pub const ALL: [Day; 7] = [
        Day::Mon,
        Day::Tue,
        Day::Wed,
        Day::Thu,
        Day::Fri,
        Day::Sat,
        Day::Sun,
    ];
    pub fn from_weekday(w: Weekday) -> Day {
        Day::ALL[w.num_days_from_monday() as usize]
    }
    pub fn label(&self, lang: Language) -> &'static str {
        let i = *self as usize;
        match lang {
            Language::De => ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"][i],
            Language::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
        }
    }
}

/// One opening interval on one weekday, `from` inclusive, `to` exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct OpeningHours {
    pub day: Day,
    pub from: ClockTime,
    pub to: ClockTime,
}

/// A named closed day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    /// `YYYY-MM-DD`.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub date: NaiveDate,
    pub name: String,
}

/// A business-hours calendar referenced by id from support tiers, channels and touchpoints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, deny_unknown_fields)]
pub struct BusinessCalendar {
    /// Stable reference, e.g. `office`; unique within the agreement.
    pub id: String,
    pub name: String,
    /// IANA time zone such as `Europe/Berlin`.
    pub time_zone: String,
    pub weekly: Vec<OpeningHours>,
    /// Closed days in addition to the preset.
    pub holidays: Vec<Holiday>,
    /// Also closed on the German nationwide public holidays of every year.
    pub german_public_holidays: bool,
}

impl BusinessCalendar {
    /// The parsed time zone, or `None` when `time_zone` is not an IANA name.
    pub fn tz(&self) -> Option<chrono_tz::Tz> {
        self.time_zone.parse().ok()
    }

    /// Whether `date` is a holiday of this calendar (own list or preset).
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.iter().any(|h| h.date == date)
            || (self.german_public_holidays
                && german_public_holidays(date.year())
                    .iter()
                    .any(|h| h.date == date))
    }

    /// Whether the calendar is open at a local wall-clock time (ignoring holidays).
    pub fn is_open_weekly(&self, day: Day, minute: u16) -> bool {
        self.weekly
            .iter()
            .any(|o| o.day == day && o.from.0 <= minute && minute < o.to.0)
    }

    /// Whether support is open at the instant `at`; `None` when the time zone is invalid.
    pub fn is_open_at(&self, at: DateTime<Utc>) -> Option<bool> {
        let tz = self.tz()?;
        let local = tz.from_utc_datetime(&at.naive_utc());
        if self.is_holiday(local.date_naive()) {
            return Some(false);
        }
        let minute = (local.hour() * 60 + local.minute()) as u16;
        Some(self.is_open_weekly(Day::from_weekday(local.weekday()), minute))
    }

    /// Open minutes in a normal week (overlapping intervals counted once).
    pub fn weekly_minutes(&self) -> u32 {
        let mut total = 0;
        for day in Day::ALL {
            total += (0..24 * 60)
                .filter(|&m| self.is_open_weekly(day, m))
                .count() as u32;
        }
        total
    }

    /// The weekly slots (day, minute) in which `self` is open but `other` is not, as ranges for
    /// messages. Time zones are compared by their current UTC offsets at a reference date.
    pub fn uncovered_by(&self, other: &BusinessCalendar) -> Vec<OpeningHours> {
        let (Some(a), Some(b)) = (self.tz(), other.tz()) else {
            return Vec::new();
        };
        let reference = NaiveDate::from_ymd_opt(2024, 1, 8).expect("valid date"); // a Monday
        let offset = |tz: chrono_tz::Tz| {
            use chrono::Offset;
            tz.offset_from_utc_date(&reference).fix().local_minus_utc() / 60
        };
        let shift = offset(b) - offset(a); // minutes to add to a's local time to get b's
        let mut gaps = Vec::new();
        for (di, day) in Day::ALL.iter().enumerate() {
            let mut start: Option<u16> = None;
            for m in 0..=24 * 60u16 {
                let uncovered = m < 24 * 60 && self.is_open_weekly(*day, m) && {
                    let week_minute =
                        (di as i32 * 1440 + i32::from(m) + shift).rem_euclid(7 * 1440);
                    let od = Day::ALL[(week_minute / 1440) as usize];
                    !other.is_open_weekly(od, (week_minute % 1440) as u16)
                };
                match (uncovered, start) {
                    (true, None) => start = Some(m),
                    (false, Some(s)) => {
                        gaps.push(OpeningHours {
                            day: *day,
                            from: ClockTime(s),
                            to: ClockTime(m),
                        });
                        start = None;
                    }
                    _ => {}
                }
            }
        }
        gaps
    }
}

/// Easter Sunday (Gregorian calendar, anonymous Gregorian algorithm).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("Easter is a valid date")
}

/// The nine public holidays observed in every German state, for `year`.
pub fn german_public_holidays(year: i32) -> Vec<Holiday> {
    let easter = easter_sunday(year);
    let d = |m, day| NaiveDate::from_ymd_opt(year, m, day).expect("fixed holiday is valid");
    let rel = |days: i64| easter + chrono::Duration::days(days);
    let h = |date, name: &str| Holiday {
        date,
        name: name.to_string(),
    };
    vec![
        h(d(1, 1), "Neujahr"),
        h(rel(-2), "Karfreitag"),
        h(rel(1), "Ostermontag"),
        h(d(5, 1), "Tag der Arbeit"),
        h(rel(39), "Christi Himmelfahrt"),
        h(rel(50), "Pfingstmontag"),
        h(d(10, 3), "Tag der Deutschen Einheit"),
        h(d(12, 25), "1. Weihnachtstag"),
        h(d(12, 26), "2. Weihnachtstag"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office() -> BusinessCalendar {
        BusinessCalendar {
            id: "office".into(),
            name: "Office".into(),
            time_zone: "Europe/Berlin".into(),
            weekly: [Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri]
                .into_iter()
                .map(|day| OpeningHours {
                    day,
                    from: ClockTime::hm(8, 0),
                    to: ClockTime::hm(18, 0),
                })
                .collect(),
            holidays: vec![],
            german_public_holidays: true,
        }
    }

    #[test]
    fn easter_dates_are_known() {
        assert_eq!(
            easter_sunday(2024),
            NaiveDate::from_ymd_opt(2024, 3, 31).unwrap()
        );
        assert_eq!(
            easter_sunday(2025),
            NaiveDate::from_ymd_opt(2025, 4, 20).unwrap()
        );
        assert_eq!(
            easter_sunday(2026),
            NaiveDate::from_ymd_opt(2026, 4, 5).unwrap()
        );
        assert_eq!(
            easter_sunday(2000),
            NaiveDate::from_ymd_opt(2000, 4, 23).unwrap()
        );
    }

    #[test]
    fn german_preset_closes_the_calendar() {
        let cal = office();
        // 2026-04-03 is Good Friday: 10:00 Berlin = 08:00 UTC.
        let good_friday = Utc.with_ymd_and_hms(2026, 4, 3, 8, 0, 0).unwrap();
        assert_eq!(
            cal.is_open_at(good_friday),
            Some(false),
            "Karfreitag is a national holiday"
        );
        let thursday = Utc.with_ymd_and_hms(2026, 4, 2, 8, 0, 0).unwrap();
        assert_eq!(cal.is_open_at(thursday), Some(true));
        let evening = Utc.with_ymd_and_hms(2026, 4, 2, 17, 0, 0).unwrap(); // 19:00 CEST
        assert_eq!(cal.is_open_at(evening), Some(false));
        assert_eq!(german_public_holidays(2026).len(), 9);
    }

    #[test]
    fn coverage_gaps_are_reported() {
        let cal = office();
        let mut short = office();
        for o in &mut short.weekly {
            o.to = ClockTime::hm(16, 0);
        }
        let gaps = cal.uncovered_by(&short);
        assert_eq!(gaps.len(), 5, "each weekday misses 16:00-18:00");
        assert_eq!(gaps[0].from, ClockTime::hm(16, 0));
        assert!(cal.uncovered_by(&cal).is_empty());
        assert_eq!(cal.weekly_minutes(), 5 * 600);
    }
}
