//! Typed values that users write as short text: durations ("4 h", "1 Arbeitstag"),
//! percentages ("99,9 %"), decimal thresholds (">= 4.5"), money ("49.00 EUR") and cadences.
//!
//! Every value serializes as one canonical text form (English, dot decimals), so the canonical
//! JSON of an agreement contains no floating-point numbers. Parsing accepts German and English
//! spellings. Parse errors carry the offending text; callers add the field path.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Language;

/// Why a piece of text is not a valid value. The message is English and German so every
/// front end can show it in the agreement's or the UI's language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{en}")]
pub struct ValueError {
    pub en: String,
    pub de: String,
}

impl ValueError {
    fn new(en: String, de: String) -> Self {
        Self { en, de }
    }
}

/// Serializes a value as its canonical text and parses it back; for TypeScript (the `specta`
/// feature) the value is a `string`, which is what crosses the wire. The UI may send text that
/// does not parse: the engine then reports it at the field's path.
macro_rules! text_serde {
    ($ty:ty) => {
        #[cfg(feature = "specta")]
        impl specta::Type for $ty {
            fn definition(types: &mut specta::Types) -> specta::datatype::DataType {
                <String as specta::Type>::definition(types)
            }
        }
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                text.parse()
                    .map_err(|e: ValueError| serde::de::Error::custom(e.en))
            }
        }
    };
}

/// Unit of a [`Duration`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DurationUnit {
    Minutes,
    Hours,
    /// Calendar days.
    Days,
    /// Days on which the applicable business-hours calendar is open.
    BusinessDays,
    Weeks,
    Months,
}

/// A time span with the unit the user chose. `4 h` stays `4 h`; it is not normalised to minutes,
/// because the unit is part of what the parties agreed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Duration {
    pub amount: u32,
    pub unit: DurationUnit,
}

/// Working minutes in one business day, used only to compare durations of different units.
pub const NOMINAL_BUSINESS_DAY_MINUTES: u64 = 8 * 60;

impl Duration {
    pub const fn new(amount: u32, unit: DurationUnit) -> Self {
        Self { amount, unit }
    }
    pub const fn minutes(amount: u32) -> Self {
        Self::new(amount, DurationUnit::Minutes)
    }
    pub const fn hours(amount: u32) -> Self {
        Self::new(amount, DurationUnit::Hours)
    }

    /// Length in minutes for comparisons: a business day counts as
    /// [`NOMINAL_BUSINESS_DAY_MINUTES`] working minutes, a month as 30 days.
    pub fn nominal_minutes(&self) -> u64 {
        let per = match self.unit {
            DurationUnit::Minutes => 1,
            DurationUnit::Hours => 60,
            DurationUnit::Days => 24 * 60,
            DurationUnit::BusinessDays => NOMINAL_BUSINESS_DAY_MINUTES,
            DurationUnit::Weeks => 7 * 24 * 60,
            DurationUnit::Months => 30 * 24 * 60,
        };
        u64::from(self.amount) * per
    }

    /// The text a user of the given language would write, e.g. `4 Std.` or `2 Arbeitstage`.
    pub fn display(&self, lang: Language) -> String {
        let n = self.amount;
        let one = n == 1;
        let unit = match (lang, self.unit) {
            (Language::En, DurationUnit::Minutes) => "min",
            (Language::En, DurationUnit::Hours) => "h",
            (Language::En, DurationUnit::Days) => {
                if one {
                    "day"
                } else {
                    "days"
                }
            }
            (Language::En, DurationUnit::BusinessDays) => {
                if one {
                    "business day"
                } else {
                    "business days"
                }
            }
            (Language::En, DurationUnit::Weeks) => {
                if one {
                    "week"
                } else {
                    "weeks"
                }
            }
            (Language::En, DurationUnit::Months) => {
                if one {
                    "month"
                } else {
                    "months"
                }
            }
            (Language::De, DurationUnit::Minutes) => "Min.",
            (Language::De, DurationUnit::Hours) => "Std.",
            (Language::De, DurationUnit::Days) => {
                if one {
                    "Tag"
                } else {
                    "Tage"
                }
            }
            (Language::De, DurationUnit::BusinessDays) => {
                if one {
                    "Arbeitstag"
                } else {
                    "Arbeitstage"
                }
            }
            (Language::De, DurationUnit::Weeks) => {
                if one {
                    "Woche"
                } else {
                    "Wochen"
                }
            }
            (Language::De, DurationUnit::Months) => {
                if one {
                    "Monat"
                } else {
                    "Monate"
                }
            }
        };
        format!("{n} {unit}")
    }
}

impl fmt::Display for Duration {
    /// The canonical (stored) form: `30 min`, `4 h`, `1 business day`, `3 days`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display(Language::En))
    }
}

fn duration_unit(word: &str) -> Option<DurationUnit> {
    use DurationUnit::*;
    let w = word.trim().trim_end_matches('.').to_lowercase();
    Some(match w.as_str() {
        "m" | "min" | "mins" | "minute" | "minutes" | "minute(n)" | "minuten" => Minutes,
        "h" | "hr" | "hrs" | "hour" | "hours" | "std" | "stunde" | "stunden" => Hours,
        "d" | "day" | "days" | "tag" | "tage" | "tagen" | "kalendertag" | "kalendertage"
        | "calendar day" | "calendar days" => Days,
        "bd" | "business day" | "business days" | "working day" | "working days" | "wt" | "at"
        | "arbeitstag" | "arbeitstage" | "arbeitstagen" | "werktag" | "werktage" | "werktagen" => {
            BusinessDays
        }
        "w" | "wk" | "week" | "weeks" | "woche" | "wochen" => Weeks,
        "mo" | "month" | "months" | "monat" | "monate" | "monaten" => Months,
        _ => return None,
    })
}

impl FromStr for Duration {
    type Err = ValueError;
    fn from_str(text: &str) -> Result<Self, ValueError> {
        let t = text.trim();
        let bad = || {
            ValueError::new(
                format!("\"{text}\" is not a duration; write e.g. \"30 min\", \"4 h\" or \"1 business day\""),
                format!("„{text}“ ist keine Dauer; schreiben Sie z. B. „30 min“, „4 h“ oder „1 Arbeitstag“"),
            )
        };
        let split = t
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
            .unwrap_or(t.len());
        let (num, rest) = t.split_at(split);
        if num.is_empty() || rest.trim().is_empty() {
            return Err(bad());
        }
        let unit = duration_unit(rest).ok_or_else(bad)?;
        let num = num.replace(',', ".");
        if let Some((whole, frac)) = num.split_once('.') {
            // "1.5 h" is accepted and becomes 90 min; other fractions are not exact in their unit.
            if unit != DurationUnit::Hours || frac.is_empty() || whole.is_empty() {
                return Err(bad());
            }
            let whole: u32 = whole.parse().map_err(|_| bad())?;
            let frac_minutes = format!("0.{frac}").parse::<f64>().map_err(|_| bad())? * 60.0;
            if (frac_minutes - frac_minutes.round()).abs() > 1e-9 {
                return Err(bad());
            }
            let minutes = whole
                .checked_mul(60)
                .and_then(|m| m.checked_add(frac_minutes.round() as u32))
                .ok_or_else(bad)?;
            return Ok(Duration::minutes(minutes));
        }
        let amount: u32 = num.parse().map_err(|_| bad())?;
        if amount > 1_000_000 {
            return Err(ValueError::new(
                format!("\"{text}\" is too long a duration"),
                format!("„{text}“ ist als Dauer zu lang"),
            ));
        }
        Ok(Duration::new(amount, unit))
    }
}
text_serde!(Duration);

/// A fixed-point decimal with three places (`4.5`, `99.95`), stored as thousandths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Decimal(pub i64);

impl Decimal {
    pub const SCALE: i64 = 1000;
    pub const fn from_int(n: i64) -> Self {
        Decimal(n * Self::SCALE)
    }
    /// Formats with the decimal separator of the language (`99,9` in German).
    pub fn display(&self, lang: Language) -> String {
        let s = self.to_string();
        match lang {
            Language::De => s.replace('.', ","),
            Language::En => s,
        }
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let neg = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let whole = abs / Self::SCALE as u64;
        let frac = abs % Self::SCALE as u64;
        if neg {
            f.write_str("-")?;
        }
        if frac == 0 {
            write!(f, "{whole}")
        } else {
            let s = format!("{frac:03}");
            write!(f, "{whole}.{}", s.trim_end_matches('0'))
        }
    }
}

impl FromStr for Decimal {
    type Err = ValueError;
    fn from_str(text: &str) -> Result<Self, ValueError> {
        let bad = || {
            ValueError::new(
                format!("\"{text}\" is not a number (at most three decimal places)"),
                format!("„{text}“ ist keine Zahl (höchstens drei Nachkommastellen)"),
            )
        };
        let t = text.trim().replace(',', ".");
        let (neg, t) = match t.strip_prefix('-') {
            Some(r) => (true, r.to_string()),
            None => (false, t),
        };
        let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || whole.len() > 12 {
            return Err(bad());
        }
        if frac.len() > 3
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || (t.contains('.') && frac.is_empty())
        {
            return Err(bad());
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let frac: i64 = if frac.is_empty() {
            0
        } else {
            format!("{frac:0<3}").parse().map_err(|_| bad())?
        };
        let v = whole * Self::SCALE + frac;
        Ok(Decimal(if neg { -v } else { v }))
    }
}
text_serde!(Decimal);

/// A percentage between 0 and 100 with up to three decimals (`99.95 %`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percent(pub Decimal);

impl Percent {
    pub fn display(&self, lang: Language) -> String {
        format!("{} %", self.0.display(lang))
    }
}
impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} %", self.0)
    }
}
impl FromStr for Percent {
    type Err = ValueError;
    fn from_str(text: &str) -> Result<Self, ValueError> {
        let t = text.trim().trim_end_matches('%').trim();
        let d: Decimal = t.parse().map_err(|_| {
            ValueError::new(
                format!("\"{text}\" is not a percentage; write e.g. \"99.9 %\""),
                format!("„{text}“ ist kein Prozentwert; schreiben Sie z. B. „99,9 %“"),
            )
        })?;
        if d.0 < 0 || d > Decimal::from_int(100) {
            return Err(ValueError::new(
                format!("\"{text}\" is not between 0 % and 100 %"),
                format!("„{text}“ liegt nicht zwischen 0 % und 100 %"),
            ));
        }
        Ok(Percent(d))
    }
}
text_serde!(Percent);

/// Direction of a target: the measured value must be at least or at most the bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Comparison {
    AtLeast,
    AtMost,
}

/// A KPI bound such as `>= 95` or `<= 4`; the unit lives on the KPI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Threshold {
    pub comparison: Comparison,
    pub value: Decimal,
}

impl Threshold {
    pub fn display(&self, lang: Language) -> String {
        let op = match self.comparison {
            Comparison::AtLeast => "≥",
            Comparison::AtMost => "≤",
        };
        format!("{op} {}", self.value.display(lang))
    }
    /// True when `self` asks for at least as much as `other` (same direction required).
    pub fn is_at_least_as_strict_as(&self, other: &Threshold) -> Option<bool> {
        if self.comparison != other.comparison {
            return None;
        }
        Some(match self.comparison {
            Comparison::AtLeast => self.value >= other.value,
            Comparison::AtMost => self.value <= other.value,
        })
    }
}
impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = match self.comparison {
            Comparison::AtLeast => ">=",
            Comparison::AtMost => "<=",
        };
        write!(f, "{op} {}", self.value)
    }
}
impl FromStr for Threshold {
    type Err = ValueError;
    fn from_str(text: &str) -> Result<Self, ValueError> {
        let t = text.trim();
        let (comparison, rest) = if let Some(r) =
            t.strip_prefix(">=").or_else(|| t.strip_prefix('≥'))
        {
            (Comparison::AtLeast, r)
        } else if let Some(r) = t.strip_prefix("<=").or_else(|| t.strip_prefix('≤')) {
            (Comparison::AtMost, r)
        } else {
            return Err(ValueError::new(
                format!("\"{text}\" is not a target; start with \">=\" or \"<=\", e.g. \">= 95\""),
                format!(
                    "„{text}“ ist kein Zielwert; beginnen Sie mit „>=“ oder „<=“, z. B. „>= 95“"
                ),
            ));
        };
        let rest = rest.trim().trim_end_matches('%').trim();
        Ok(Threshold {
            comparison,
            value: rest.parse()?,
        })
    }
}
text_serde!(Threshold);

/// An amount of money in minor units (cents) with an ISO 4217 currency code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Money {
    pub cents: i64,
    pub currency: String,
}

impl Money {
    pub fn display(&self, lang: Language) -> String {
        let whole = self.cents / 100;
        let frac = (self.cents % 100).abs();
        match lang {
            Language::De => {
                let w = group_thousands(whole, '.');
                format!("{w},{frac:02} {}", self.currency)
            }
            Language::En => {
                let w = group_thousands(whole, ',');
                format!("{} {w}.{frac:02}", self.currency)
            }
        }
    }
}

fn group_thousands(n: i64, sep: char) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.cents < 0 { "-" } else { "" };
        let abs = self.cents.unsigned_abs();
        write!(f, "{sign}{}.{:02} {}", abs / 100, abs % 100, self.currency)
    }
}
impl FromStr for Money {
    type Err = ValueError;
    fn from_str(text: &str) -> Result<Self, ValueError> {
        let bad = || {
            ValueError::new(
                format!("\"{text}\" is not an amount of money; write e.g. \"49.00 EUR\""),
                format!("„{text}“ ist kein Geldbetrag; schreiben Sie z. B. „49,00 EUR“"),
            )
        };
        let t = text.trim();
        let (num, cur) = if let Some(r) = t.strip_suffix('€') {
            (r, "EUR".to_string())
        } else if let Some(r) = t.strip_prefix('€') {
            (r, "EUR".to_string())
        } else if let Some(r) = t.strip_prefix('$') {
            (r, "USD".to_string())
        } else if let Some(r) = t.strip_prefix('£') {
            (r, "GBP".to_string())
        } else {
            let parts: Vec<&str> = t.split_whitespace().collect();
            match parts.as_slice() {
                [a, b] if b.len() == 3 && b.chars().all(|c| c.is_ascii_alphabetic()) => {
                    (*a, b.to_uppercase())
                }
                [a, b] if a.len() == 3 && a.chars().all(|c| c.is_ascii_alphabetic()) => {
                    (*b, a.to_uppercase())
                }
                _ => return Err(bad()),
            }
        };
        let num = num.trim();
        // Accept "1.234,50" (German) and "1,234.50" (English) as well as plain "49.5".
        let normalized = match (num.rfind(','), num.rfind('.')) {
            (Some(c), Some(d)) if c > d => num.replace('.', "").replace(',', "."),
            (Some(_), Some(_)) => num.replace(',', ""),
            (Some(_), None) => num.replace(',', "."),
            _ => num.to_string(),
        };
        let d: Decimal = normalized.parse().map_err(|_| bad())?;
        if d.0 % 10 != 0 {
            return Err(bad());
        }
        Ok(Money {
            cents: d.0 / 10,
            currency: cur,
        })
    }
}
text_serde!(Money);

/// How often something happens (reports, reviews, surveys, training).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    Continuous,
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    Semiannual,
    Annual,
    OnEvent,
}

impl Cadence {
    pub const ALL: [Cadence; 8] = [
        Cadence::Continuous,
        Cadence::Daily,
        Cadence::Weekly,
        Cadence::Monthly,
        Cadence::Quarterly,
        Cadence::Semiannual,
        Cadence::Annual,
        Cadence::OnEvent,
    ];
    pub fn label(&self, lang: Language) -> &'static str {
        use Cadence::*;
        match (lang, self) {
            (Language::En, Continuous) => "continuous",
            (Language::En, Daily) => "daily",
            (Language::En, Weekly) => "weekly",
            (Language::En, Monthly) => "monthly",
            (Language::En, Quarterly) => "quarterly",
            (Language::En, Semiannual) => "every six months",
            (Language::En, Annual) => "annually",
            (Language::En, OnEvent) => "on occasion",
            (Language::De, Continuous) => "laufend",
            (Language::De, Daily) => "täglich",
            (Language::De, Weekly) => "wöchentlich",
            (Language::De, Monthly) => "monatlich",
            (Language::De, Quarterly) => "vierteljährlich",
            (Language::De, Semiannual) => "halbjährlich",
            (Language::De, Annual) => "jährlich",
            (Language::De, OnEvent) => "anlassbezogen",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_in_both_languages() {
        let cases = [
            ("30 min", Duration::minutes(30)),
            ("4 h", Duration::hours(4)),
            ("4h", Duration::hours(4)),
            ("4 Std.", Duration::hours(4)),
            ("1 Arbeitstag", Duration::new(1, DurationUnit::BusinessDays)),
            (
                "2 business days",
                Duration::new(2, DurationUnit::BusinessDays),
            ),
            ("1,5 h", Duration::minutes(90)),
            ("3 Monate", Duration::new(3, DurationUnit::Months)),
        ];
        for (text, want) in cases {
            assert_eq!(text.parse::<Duration>(), Ok(want), "parsing {text:?}");
        }
        for bad in ["", "4", "h", "four hours", "-1 h", "1.3333 h", "2.5 days"] {
            assert!(bad.parse::<Duration>().is_err(), "{bad:?} must be rejected");
        }
    }

    #[test]
    fn canonical_text_round_trips() {
        for text in [
            "30 min",
            "4 h",
            "1 business day",
            "3 days",
            "1 week",
            "6 months",
        ] {
            let d: Duration = text.parse().unwrap();
            assert_eq!(d.to_string(), text);
        }
        assert_eq!("99,95 %".parse::<Percent>().unwrap().to_string(), "99.95 %");
        assert_eq!("≥ 4,5".parse::<Threshold>().unwrap().to_string(), ">= 4.5");
        assert_eq!(
            "1.234,50 €".parse::<Money>().unwrap().to_string(),
            "1234.50 EUR"
        );
        assert_eq!("EUR 49".parse::<Money>().unwrap().to_string(), "49.00 EUR");
        assert!("101 %".parse::<Percent>().is_err());
    }

    #[test]
    fn display_follows_language() {
        let d = Duration::new(2, DurationUnit::BusinessDays);
        assert_eq!(d.display(Language::De), "2 Arbeitstage");
        assert_eq!(d.display(Language::En), "2 business days");
        let m: Money = "1234.5 EUR".parse().unwrap();
        assert_eq!(m.display(Language::De), "1.234,50 EUR");
    }
}
