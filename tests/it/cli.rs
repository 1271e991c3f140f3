//! The `pactum` binary end to end: every command on a temporary database, exit codes (0 ok,
//! 1 findings, 2 usage or input errors), errors on stderr, `--help` everywhere, `PACTUM_DB`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::support::*;

/// One CLI invocation's result.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    args: String,
}

impl Run {
    fn from(args: &[&str], out: Output) -> Run {
        Run {
            code: out
                .status
                .code()
                .expect("the CLI exits normally, not by a signal"),
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
            args: args.join(" "),
        }
    }

    /// Asserts exit code 0 and an empty stderr, returning stdout.
    fn ok(&self) -> &str {
        assert_eq!(
            self.code, 0,
            "`pactum {}` must succeed; stderr: {}",
            self.args, self.stderr
        );
        assert!(
            self.stderr.is_empty(),
            "`pactum {}` succeeded, so nothing goes to stderr: {}",
            self.args,
            self.stderr
        );
        &self.stdout
    }

    /// Asserts an exit code with the error on stderr and nothing on stdout.
    fn fails(&self, code: i32, why: &str) -> &str {
        assert_eq!(
            self.code, code,
            "`pactum {}` ({why}) exits {code}; stderr: {}",
            self.args, self.stderr
        );
        assert!(
            !self.stderr.trim().is_empty(),
            "`pactum {}` ({why}) explains itself on stderr",
            self.args
        );
        assert!(
            self.stdout.is_empty(),
            "`pactum {}` ({why}) prints no result: {}",
            self.args,
            self.stdout
        );
        &self.stderr
    }

    fn json(&self) -> Value {
        serde_json::from_str(self.ok())
            .unwrap_or_else(|e| panic!("`pactum {}` prints JSON: {e}", self.args))
    }

    fn id(&self) -> String {
        let id = self.ok().trim().to_string();
        assert!(
            id.parse::<i64>().is_ok_and(|n| n > 0),
            "`pactum {}` prints the new id: {id:?}",
            self.args
        );
        id
    }
}

/// The `pactum` binary with a clean environment: HOME in the temporary folder, no `PACTUM_DB`.
fn pactum(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pactum"));
    cmd.env_remove("PACTUM_DB")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("NO_COLOR", "1");
    cmd
}

/// A temporary database for CLI runs.
struct Cli {
    dir: TestDir,
}

impl Cli {
    fn new() -> Cli {
        Cli { dir: test_dir() }
    }

    fn db(&self) -> &Path {
        &self.dir.path
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.dir.path().join(name)
    }

    fn run(&self, args: &[&str]) -> Run {
        let mut full = vec!["--db", self.db().to_str().unwrap()];
        full.extend_from_slice(args);
        let out = pactum(self.dir.dir.path())
            .args(&full)
            .output()
            .expect("run pactum");
        Run::from(args, out)
    }
}

#[test]
fn templates_lists_every_built_in_template() {
    let cli = Cli::new();
    let out = cli.run(&["templates"]).ok().to_string();
    for t in TEMPLATES {
        assert!(
            out.lines().any(|l| l.starts_with(t)),
            "`templates` lists {t}:\n{out}"
        );
    }
}

#[test]
fn a_whole_agreement_life_cycle_works_end_to_end() {
    let cli = Cli::new();
    let id = cli
        .run(&["new", "--template", GERMAN, "--title", "CLI Rahmenvertrag"])
        .id();
    let other = cli
        .run(&["new", "--template", "saas-support-en", "--lang", "en"])
        .id();

    let list = cli.run(&["list"]).ok().to_string();
    assert!(
        list.contains("CLI Rahmenvertrag"),
        "`list` shows the new agreement:\n{list}"
    );
    assert!(
        list.contains("2 of 2 agreements"),
        "`list` states the count:\n{list}"
    );
    let json = cli
        .run(&["list", "--json", "--sort", "title", "--asc"])
        .json();
    assert_eq!(json["total"], 2, "`list --json` reports the total");
    assert_eq!(
        json["items"][0]["title"], "CLI Rahmenvertrag",
        "sorted by title ascending"
    );
    let page = cli
        .run(&["list", "--json", "--limit", "1", "--offset", "1"])
        .json();
    assert_eq!(
        page["items"].as_array().unwrap().len(),
        1,
        "`--limit 1` gives one row"
    );

    let show = cli.run(&["show", &id]).ok().to_string();
    assert!(
        show.starts_with("CLI Rahmenvertrag"),
        "`show` starts with the title:\n{show}"
    );
    assert!(
        show.contains("revision 1"),
        "`show` states the revision:\n{show}"
    );
    let shown = cli.run(&["show", &id, "--json"]).json();
    assert_eq!(
        shown["agreement"]["title"], "CLI Rahmenvertrag",
        "`show --json` prints the draft"
    );
    assert_eq!(shown["revision"], 1);

    // export -o, edit the file, update, import
    let file = cli.file("export.json");
    cli.run(&["export", &id, "-o", file.to_str().unwrap()]).ok();
    let mut v: Value =
        serde_json::from_slice(&read(&file)).expect("`export -o` writes the interchange JSON");
    assert_eq!(v["format"], "pactum-agreement");
    let stdout_export = cli.run(&["export", &id]).ok().to_string();
    assert_eq!(
        stdout_export.as_bytes(),
        read(&file),
        "`export` without -o prints the same file to stdout"
    );
    v["agreement"]["support_levels"]["priorities"][0]["resolution"] = Value::from("8 h");
    let edited = cli.file("edited.json");
    std::fs::write(&edited, v.to_string()).unwrap();
    let updated = cli
        .run(&["update", &id, edited.to_str().unwrap()])
        .ok()
        .to_string();
    assert_eq!(
        updated.trim(),
        "saved revision 2",
        "`update` reports the new revision"
    );
    let again = cli
        .run(&["update", &id, edited.to_str().unwrap()])
        .ok()
        .to_string();
    assert!(
        again.starts_with("unchanged"),
        "`update` with the same file changes nothing: {again}"
    );
    let imported = cli.run(&["import", file.to_str().unwrap()]).id();
    assert_ne!(imported, id, "`import` creates a new agreement");

    // freeze, versions, diff
    let v1 = cli
        .run(&["freeze", &id, "--note", "erste Fassung"])
        .ok()
        .to_string();
    assert!(
        v1.starts_with("version 1 "),
        "`freeze` prints the version number and hash: {v1}"
    );
    let hash1 = v1.split_whitespace().nth(2).expect("a hash").to_string();
    assert_eq!(hash1.len(), 64, "the hash is a hex SHA-256");
    v["agreement"]["support_levels"]["priorities"][0]["resolution"] = Value::from("4 h");
    std::fs::write(&edited, v.to_string()).unwrap();
    cli.run(&["update", &id, edited.to_str().unwrap()]).ok();
    assert!(
        cli.run(&["freeze", &id]).ok().starts_with("version 2 "),
        "a second freeze is version 2"
    );
    let versions = cli.run(&["versions", &id]).ok().to_string();
    assert_eq!(
        versions.lines().count(),
        2,
        "`versions` lists both:\n{versions}"
    );
    assert!(
        versions.contains("erste Fassung") && versions.contains(&hash1[..16]),
        "with note and hash:\n{versions}"
    );
    let vjson = cli.run(&["versions", &id, "--json"]).json();
    assert_eq!(
        vjson[1]["previous_hash"],
        hash1.as_str(),
        "`versions --json` shows the hash chain"
    );
    let diff = cli.run(&["diff", &id, "1", "2"]).ok().to_string();
    assert!(
        diff.contains("8 Std. → 4 Std."),
        "`diff` shows the changed term in German:\n{diff}"
    );
    let djson = cli.run(&["diff", &id, "1", "2", "--json"]).json();
    assert_eq!(
        djson["terms"].as_array().unwrap().len(),
        1,
        "`diff --json` lists one changed term"
    );

    // search
    let hits = cli.run(&["search", "Rahmenvertrag"]).ok().to_string();
    assert!(
        hits.contains("[Rahmenvertrag"),
        "`search` prints marked snippets:\n{hits}"
    );
    let hjson = cli.run(&["search", "Rahmenvertrag", "--json"]).json();
    assert!(
        hjson
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["id"].as_i64() == id.parse().ok()),
        "the agreement is a hit"
    );

    // duplicate, archive, unarchive
    let copy = cli.run(&["duplicate", &id]).id();
    let copy_json = cli.run(&["show", &copy, "--json"]).json();
    assert_eq!(
        copy_json["agreement"]["title"], "CLI Rahmenvertrag (Kopie)",
        "`duplicate` titles the copy"
    );
    assert_eq!(
        cli.run(&["archive", &other]).ok().trim(),
        "archived",
        "`archive` prints the new status"
    );
    let list = cli.run(&["list", "--json"]).json();
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["id"].as_i64() != other.parse().ok()),
        "archived is hidden"
    );
    let archived = cli.run(&["list", "--json", "--status", "archived"]).json();
    assert_eq!(archived["total"], 1, "`--status archived` shows it");
    assert_eq!(
        cli.run(&["unarchive", &other]).ok().trim(),
        "draft",
        "`unarchive` restores the draft status"
    );
}

#[test]
fn check_exits_1_when_an_error_finding_exists() {
    let cli = Cli::new();
    let id = cli.run(&["new", "--template", GERMAN]).id();
    let clean = cli.run(&["check", &id]);
    clean.ok();
    let report = cli.run(&["check", &id, "--json"]).json();
    assert!(
        report["completeness"].is_u64(),
        "`check --json` prints the report"
    );

    // Resolution faster than first response is an error-severity inconsistency.
    let file = cli.file("bad.json");
    cli.run(&["export", &id, "-o", file.to_str().unwrap()]).ok();
    let mut v: Value = serde_json::from_slice(&read(&file)).unwrap();
    v["agreement"]["support_levels"]["priorities"][0]["first_response"] = Value::from("2 h");
    v["agreement"]["support_levels"]["priorities"][0]["resolution"] = Value::from("1 h");
    std::fs::write(&file, v.to_string()).unwrap();
    cli.run(&["update", &id, file.to_str().unwrap()]).ok();

    let text = cli.run(&["check", &id]);
    assert_eq!(
        text.code, 1,
        "`check` exits 1 with an error finding; stdout:\n{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("resolution-before-response"),
        "the finding names its check:\n{}",
        text.stdout
    );
    let json = cli.run(&["check", &id, "--json"]);
    assert_eq!(json.code, 1, "`check --json` exits 1 as well");
    let report: Value =
        serde_json::from_str(&json.stdout).expect("the JSON report is printed before exiting 1");
    let findings = report["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["check"] == "resolution-before-response" && f["severity"] == "error"),
        "the report lists the error finding: {findings:#?}"
    );
}

#[test]
fn usage_and_input_errors_exit_2_on_stderr() {
    let cli = Cli::new();
    let id = cli.run(&["new", "--template", GERMAN]).id();
    let bad = cli.file("bad.json");
    std::fs::write(&bad, br#"{"format":"pactum-agreement","version":1,"agreement":{"metrics":{"availability_target":"x"}}}"#)
        .unwrap();
    let missing = cli.file("missing.json");
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("unknown command", vec!["frobnicate"]),
        ("no command", vec![]),
        ("bad id", vec!["show", "abc"]),
        ("negative id", vec!["show", "-3"]),
        ("zero id", vec!["show", "0"]),
        ("unknown id", vec!["show", "999"]),
        ("unknown version", vec!["diff", &id, "1", "2"]),
        ("unknown template", vec!["new", "--template", "nope"]),
        ("bad status", vec!["list", "--status", "gone"]),
        ("bad sort", vec!["list", "--sort", "colour"]),
        ("bad limit", vec!["list", "--limit", "0"]),
        ("missing file", vec!["import", missing.to_str().unwrap()]),
        ("invalid import", vec!["import", bad.to_str().unwrap()]),
        ("invalid update", vec!["update", &id, bad.to_str().unwrap()]),
        ("unknown flag", vec!["list", "--colour"]),
        ("freeze twice", vec!["freeze", &id]),
    ];
    cli.run(&["freeze", &id]).ok();
    for (why, args) in cases {
        cli.run(&args).fails(2, why);
    }
    let err = cli.run(&["import", bad.to_str().unwrap()]);
    assert!(
        err.stderr
            .contains("$.agreement.metrics.availability_target"),
        "the problem's path is shown: {}",
        err.stderr
    );
    assert_eq!(
        total_all(&open(cli.db(), &TestClock::new()).library),
        1,
        "no failed command created anything"
    );
}

#[test]
fn help_works_for_every_subcommand() {
    let cli = Cli::new();
    let top = cli.run(&["--help"]).ok().to_string();
    let commands: Vec<String> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    for expected in [
        "templates",
        "new",
        "list",
        "show",
        "export",
        "import",
        "update",
        "check",
        "freeze",
        "versions",
        "diff",
        "search",
        "duplicate",
        "archive",
        "unarchive",
    ] {
        assert!(
            commands.iter().any(|c| c == expected),
            "`--help` lists {expected}: {commands:?}"
        );
    }
    for c in &commands {
        let help = cli.run(&[c, "--help"]).ok().to_string();
        assert!(
            help.contains("Usage:") && help.contains(c.as_str()),
            "`{c} --help` shows its usage:\n{help}"
        );
        cli.run(&["help", c]).ok();
    }
    assert!(
        cli.run(&["--version"]).ok().starts_with("pactum "),
        "`--version` prints the name and version"
    );
    assert!(
        !cli.db().exists(),
        "asking for help does not create a database"
    );
}

#[test]
fn pactum_db_env_replaces_the_db_option() {
    let cli = Cli::new();
    let env_db = cli.file("from-env.db");
    let run = |args: &[&str]| {
        let out = pactum(cli.dir.dir.path())
            .env("PACTUM_DB", &env_db)
            .args(args)
            .output()
            .unwrap();
        Run::from(args, out)
    };
    let id = run(&["new", "--template", GERMAN, "--title", "Über Umgebung"]).id();
    assert!(
        env_db.exists(),
        "PACTUM_DB names the database file that is created"
    );
    let list = run(&["list", "--json"]).json();
    assert_eq!(
        list["items"][0]["title"], "Über Umgebung",
        "later commands read the same database"
    );
    assert_eq!(list["items"][0]["id"].to_string(), id);
    let opened = open(&env_db, &TestClock::new());
    assert_eq!(
        total_all(&opened.library),
        1,
        "the library sees what the CLI wrote"
    );
    // --db wins over the environment.
    let out = pactum(cli.dir.dir.path())
        .env("PACTUM_DB", &env_db)
        .args(["--db", cli.db().to_str().unwrap(), "list", "--json"])
        .output()
        .unwrap();
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list["total"], 0, "--db takes precedence over PACTUM_DB");
}

#[test]
fn an_unusable_database_is_reported_on_stderr_and_kept() {
    let cli = Cli::new();
    std::fs::write(cli.db(), b"not a database").unwrap();
    let run = cli.run(&["list"]);
    assert_eq!(
        run.code, 0,
        "the CLI carries on with a fresh database: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("moved to"),
        "stderr says where the unusable file went: {}",
        run.stderr
    );
    let moved = cli.dir.moved_aside_files();
    assert_eq!(moved.len(), 1, "the file was moved aside, not deleted");
    assert_eq!(read(&moved[0]), b"not a database", "with its bytes intact");
}

#[cfg(unix)]
#[test]
fn a_world_readable_database_is_made_private_and_reported_on_stderr() {
    use std::os::unix::fs::PermissionsExt;
    let cli = Cli::new();
    cli.run(&["new", "--template", GERMAN]).id();
    std::fs::set_permissions(cli.db(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = cli.run(&["list"]);
    assert_eq!(run.code, 0, "the CLI carries on: {}", run.stderr);
    assert!(
        run.stderr.contains("other local users could read") && run.stderr.contains("0600"),
        "stderr says the database was readable by others and is private now: {}",
        run.stderr
    );
    let mode = std::fs::metadata(cli.db()).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the database is readable by its owner only");
}

#[test]
fn update_with_a_stale_expected_revision_is_refused_and_a_review_can_be_withdrawn() {
    let cli = Cli::new();
    let id = cli.run(&["new", "--template", GERMAN]).id();
    let file = cli.file("draft.json");
    let path = file.to_str().unwrap();
    cli.run(&["export", &id, "-o", path]).ok();
    let mut v: Value = serde_json::from_slice(&read(&file)).unwrap();
    v["agreement"]["overview"]["purpose"] = Value::from("Geändert in der Datei.");
    std::fs::write(&file, v.to_string()).unwrap();
    let saved = cli
        .run(&["update", &id, path, "--expect-revision", "1"])
        .ok()
        .to_string();
    assert!(
        saved.contains("saved revision 2"),
        "the update over revision 1 saves revision 2: {saved}"
    );

    v["agreement"]["overview"]["purpose"] = Value::from("Noch einmal geändert.");
    std::fs::write(&file, v.to_string()).unwrap();
    let stderr = cli
        .run(&["update", &id, path, "--expect-revision", "1"])
        .fails(2, "the draft is at revision 2, not 1")
        .to_string();
    assert!(
        stderr.contains("changed elsewhere") && stderr.contains("revision 2"),
        "the refusal says the draft was changed elsewhere and where it stands: {stderr}"
    );
    let shown = cli.run(&["show", &id, "--json"]).json();
    assert_eq!(
        (
            shown["revision"].as_u64(),
            shown["agreement"]["overview"]["purpose"].as_str()
        ),
        (Some(2), Some("Geändert in der Datei.")),
        "the refused update wrote nothing"
    );

    cli.run(&["freeze", &id]).ok();
    cli.run(&["request-approval", &id]).ok();
    let stderr = cli
        .run(&["freeze", &id])
        .fails(2, "version 1 is in review")
        .to_string();
    assert!(
        stderr.contains("withdraw"),
        "the refusal names the way out: {stderr}"
    );
    let out = cli.run(&["withdraw-review", &id]).ok().to_string();
    assert!(
        out.contains("draft"),
        "`withdraw-review` says the agreement is a draft again: {out}"
    );
    assert!(
        cli.run(&["update", &id, path])
            .ok()
            .contains("saved revision 3"),
        "after withdrawing, the draft can be edited again"
    );
    assert!(
        cli.run(&["freeze", &id]).ok().starts_with("version 2 "),
        "and frozen as version 2"
    );
}

#[test]
fn a_title_with_a_right_to_left_override_is_refused_by_new_and_import() {
    // The terminal would print the override raw and reorder what follows it, the PDF would not:
    // the engine refuses the title instead of letting the two disagree.
    let cli = Cli::new();
    let title = "Vertrag \u{202E}gnirts";
    let err = cli
        .run(&["new", "--template", GERMAN, "--title", title])
        .fails(2, "a title with U+202E is an input error")
        .to_string();
    assert!(
        err.contains("$.agreement.title")
            && err.contains("contains the right-to-left control character U+202E"),
        "`new` names the field and the code point: {err}"
    );

    let id = cli.run(&["new", "--template", GERMAN]).id();
    let file = cli.file("rlo.json");
    cli.run(&["export", &id, "-o", file.to_str().unwrap()]).ok();
    let mut v: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    v["agreement"]["title"] = Value::String(title.into());
    std::fs::write(&file, v.to_string()).unwrap();
    let err = cli
        .run(&["import", file.to_str().unwrap()])
        .fails(2, "an imported title with U+202E is an input error")
        .to_string();
    assert!(
        err.contains("$.agreement.title")
            && err.contains("contains the right-to-left control character U+202E"),
        "`import` names the field and the code point: {err}"
    );
    assert_eq!(
        total_all(&open(cli.db(), &TestClock::new()).library),
        1,
        "neither refused command created an agreement"
    );
}
