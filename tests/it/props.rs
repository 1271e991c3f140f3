//! Property tests: durations print and parse back, canonical JSON is a faithful and
//! order-independent encoding, and no mutation of an interchange file makes an import panic or
//! write half an agreement. Case counts are modest so the suite stays fast in a debug build.

use std::collections::BTreeSet;

use pactum::canonical::{sha256_hex, to_canonical, value_to_canonical};
use pactum::model::{Duration, DurationUnit};
use pactum::{Error, Language};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value};

use crate::support::*;

fn unit() -> impl Strategy<Value = DurationUnit> {
    prop_oneof![
        Just(DurationUnit::Minutes),
        Just(DurationUnit::Hours),
        Just(DurationUnit::Days),
        Just(DurationUnit::BusinessDays),
        Just(DurationUnit::Weeks),
        Just(DurationUnit::Months),
    ]
}

proptest! {
    #![proptest_config(Config::with_cases(256))]

    /// The stored form and both display forms parse back to the same duration.
    #[test]
    fn durations_print_and_parse_back(amount in prop_oneof![0u32..=100, 0u32..=1_000_000], unit in unit()) {
        let d = Duration::new(amount, unit);
        let canonical = d.to_string();
        prop_assert_eq!(canonical.parse::<Duration>(), Ok(d), "canonical text {:?}", canonical);
        for lang in [Language::De, Language::En] {
            let shown = d.display(lang);
            prop_assert_eq!(shown.parse::<Duration>(), Ok(d), "{:?} display {:?}", lang, shown);
        }
        let json = serde_json::to_string(&d).unwrap();
        prop_assert_eq!(serde_json::from_str::<Duration>(&json).unwrap(), d, "JSON {}", json);
    }
}

/// Arbitrary JSON without floating-point numbers.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        "[\\x00-\\x1f\"\\\\/\u{7f}-\u{a0}\u{2028}\u{2029}\u{d7ff}\u{e000}\u{fffd}-\u{ffff}\u{10000}-\u{10ffff}]{0,8}"
            .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<String, Value>>())),
        ]
    })
}

/// JSON text of `v` with every object's keys in an order given by `seed` and whitespace
/// sprinkled in: the same value, written differently.
fn scrambled(v: &Value, seed: u64) -> String {
    match v {
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .enumerate()
                .map(|(i, x)| scrambled(x, seed ^ i as u64))
                .collect();
            format!("[ {} ]", parts.join(" ,\n"))
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            // A deterministic shuffle: sort by a hash of (seed, key).
            keys.sort_by_key(|k| sha256_hex(format!("{seed}:{k}").as_bytes()));
            let parts: Vec<String> = keys
                .into_iter()
                .map(|k| {
                    format!(
                        "{} :\t{}",
                        serde_json::to_string(k).unwrap(),
                        scrambled(&map[k], seed.rotate_left(7))
                    )
                })
                .collect();
            format!("{{\n{}\n}}", parts.join(" , "))
        }
        other => serde_json::to_string(other).unwrap(),
    }
}

proptest! {
    #![proptest_config(Config::with_cases(256))]

    /// Parsing the canonical text gives the value back, and canonicalising is idempotent.
    #[test]
    fn canonical_json_parses_back_to_the_same_value(v in json_value()) {
        let text = value_to_canonical(&v).expect("no floats, so a canonical form exists");
        let back: Value = serde_json::from_str(&text).expect("canonical JSON is JSON");
        prop_assert_eq!(&back, &v);
        prop_assert_eq!(value_to_canonical(&back).unwrap(), text.clone(), "canonical of canonical");
        prop_assert_eq!(to_canonical(&v).unwrap(), text, "both entry points agree");
    }

    /// Key order and whitespace of the input do not change the canonical bytes or the hash.
    #[test]
    fn canonical_hash_ignores_key_order(v in json_value(), seed in any::<u64>()) {
        let text = scrambled(&v, seed);
        let reparsed: Value = serde_json::from_str(&text).expect("the scrambled text is JSON");
        let a = value_to_canonical(&v).unwrap();
        let b = value_to_canonical(&reparsed).unwrap();
        prop_assert_eq!(sha256_hex(a.as_bytes()), sha256_hex(b.as_bytes()), "{} vs {}", a, b);
    }

    /// Object keys come out sorted by UTF-16 code units (RFC 8785), not by UTF-8 bytes.
    #[test]
    fn canonical_keys_are_sorted_by_utf16(keys in prop::collection::btree_set(any::<String>(), 0..12)) {
        let object: Map<String, Value> = keys.iter().map(|k| (k.clone(), Value::Null)).collect();
        let text = value_to_canonical(&Value::Object(object)).unwrap();
        let mut expected: Vec<&String> = keys.iter().collect();
        expected.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
        let want = format!(
            "{{{}}}",
            expected.iter().map(|k| format!("{}:null", serde_json::to_string(k).unwrap())).collect::<Vec<_>>().join(",")
        );
        prop_assert_eq!(text, want);
    }
}

/// One way to damage an interchange file.
#[derive(Debug, Clone)]
enum Mutation {
    FlipBytes(Vec<(Index, u8)>),
    Truncate(Index),
    InsertBytes(Index, Vec<u8>),
    ReplaceField(Index, Value),
    RemoveField(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        prop::collection::vec((any::<Index>(), 1u8..=255), 1..8).prop_map(Mutation::FlipBytes),
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(i, b)| Mutation::InsertBytes(i, b)),
        (any::<Index>(), json_value()).prop_map(|(i, v)| Mutation::ReplaceField(i, v)),
        (any::<Index>(), typed_looking()).prop_map(|(i, v)| Mutation::ReplaceField(i, v)),
        any::<Index>().prop_map(Mutation::RemoveField),
    ]
}

/// Strings that look like the model's typed values, so that replacements are often valid.
fn typed_looking() -> impl Strategy<Value = Value> {
    prop_oneof![
        "[0-9]{1,8} (min|h|days|business days|weeks|months|Std\\.|Arbeitstage)",
        "[<>]= ?[0-9]{1,14}([.,][0-9]{0,4})?",
        "[0-9]{1,3}([.,][0-9]{1,4})? ?%",
        "[0-9]{1,12}[.,][0-9]{2} [A-Z]{3}",
        "20[0-9]{2}-[01][0-9]-[0-3][0-9]",
        "[0-2][0-9]:[0-6][0-9]",
        "(monthly|quarterly|annual|on_event|daily|weekly|always_on|business_hours|phone|email|de|en)",
    ]
    .prop_map(Value::String)
}

/// Every node of a JSON value, as JSON pointers (the root excluded).
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        _ => {}
    }
}

fn apply(base: &[u8], base_value: &Value, all: &[String], m: &Mutation) -> Vec<u8> {
    match m {
        Mutation::FlipBytes(flips) => {
            let mut b = base.to_vec();
            for (i, x) in flips {
                let at = i.index(b.len());
                b[at] ^= x;
            }
            b
        }
        Mutation::Truncate(i) => base[..i.index(base.len())].to_vec(),
        Mutation::InsertBytes(i, bytes) => {
            let mut b = base.to_vec();
            let at = i.index(b.len());
            b.splice(at..at, bytes.iter().copied());
            b
        }
        Mutation::ReplaceField(i, new) => {
            let mut v = base_value.clone();
            *v.pointer_mut(&all[i.index(all.len())]).unwrap() = new.clone();
            serde_json::to_vec_pretty(&v).unwrap()
        }
        Mutation::RemoveField(i) => {
            let mut v = base_value.clone();
            let p = &all[i.index(all.len())];
            let (parent, last) = p.rsplit_once('/').unwrap();
            match v.pointer_mut(parent).unwrap() {
                Value::Object(map) => {
                    map.remove(&last.replace("~1", "/").replace("~0", "~"));
                }
                Value::Array(items) => {
                    items.remove(last.parse::<usize>().unwrap());
                }
                _ => unreachable!("a pointer's parent is a container"),
            }
            serde_json::to_vec_pretty(&v).unwrap()
        }
    }
}

/// Mutated interchange files never panic the import: each either imports a valid agreement
/// (which exports and imports again unchanged) or is refused as invalid or too large, and a
/// refused import writes nothing.
#[test]
fn mutated_interchange_files_import_cleanly_or_not_at_all() {
    let fx = fixture();
    let base = fx
        .lib
        .export(create(&fx.lib, "saas-support-en"))
        .unwrap()
        .into_bytes();
    let base_value: Value = serde_json::from_slice(&base).unwrap();
    let mut all = Vec::new();
    pointers(&base_value, String::new(), &mut all);
    let outcomes = std::cell::RefCell::new(BTreeSet::new());
    let mut runner = TestRunner::new(Config {
        cases: 192,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&mutation(), |m| {
            let bytes = apply(&base, &base_value, &all, &m);
            let before = total_all(&fx.lib);
            match fx.lib.import(&bytes) {
                Ok(id) => {
                    outcomes.borrow_mut().insert("imported");
                    prop_assert_eq!(total_all(&fx.lib), before + 1, "one agreement was added");
                    let a = draft(&fx.lib, id);
                    prop_assert!(
                        pactum::interchange::validate(&a).is_ok(),
                        "an imported agreement is valid"
                    );
                    let again = fx.lib.export(id).unwrap();
                    prop_assert_eq!(
                        pactum::interchange::from_json(again.as_bytes()).unwrap(),
                        a,
                        "it exports and parses back unchanged"
                    );
                }
                Err(Error::Invalid(problems)) => {
                    outcomes.borrow_mut().insert("invalid");
                    prop_assert!(
                        !problems.is_empty(),
                        "an invalid file names at least one problem"
                    );
                    for p in &problems {
                        prop_assert!(
                            p.path.starts_with('$'),
                            "problem paths are JSON paths: {:?}",
                            p
                        );
                        prop_assert!(
                            !p.message.trim().is_empty(),
                            "every problem says what is wrong: {:?}",
                            p
                        );
                    }
                    prop_assert_eq!(
                        total_all(&fx.lib),
                        before,
                        "a refused import writes nothing"
                    );
                }
                Err(Error::TooLarge { .. }) => {
                    outcomes.borrow_mut().insert("too large");
                    prop_assert_eq!(
                        total_all(&fx.lib),
                        before,
                        "a refused import writes nothing"
                    );
                }
                Err(other) => prop_assert!(
                    false,
                    "only Invalid or TooLarge may refuse a file, got {:?}",
                    other
                ),
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let outcomes = outcomes.into_inner();
    assert!(
        outcomes.contains("imported") && outcomes.contains("invalid"),
        "both outcomes occurred: {outcomes:?}"
    );
}

/// Whatever a person types into the search box is text, never an error.
#[test]
fn any_search_text_is_answered_without_error() {
    let fx = fixture();
    create(&fx.lib, GERMAN);
    create(&fx.lib, "saas-support-en");
    let query = prop_oneof![
        any::<String>(),
        "[\"*()\\-+:^{}\\[\\]a-zA-ZäöüÄÖÜß0-9 ]{0,40}",
        "(NEAR|AND|OR|NOT|\"|\\*|\\(|\\)|-|:|\\^|[a-z]{1,6}| )*",
    ];
    let mut runner = TestRunner::new(Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&query, |q| {
            match fx.lib.search(&q, 20) {
                Ok(hits) => prop_assert!(hits.len() <= 20, "the limit is respected"),
                Err(e) => prop_assert!(false, "{:?} must not fail: {}", q, e),
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}
