//! `Library`: creating, listing, editing, archiving, freezing and reading agreements, and the
//! errors the API promises for unknown ids and forbidden transitions.

use pactum::canonical::{to_canonical, value_to_canonical};
use pactum::record::{AgreementId, ListQuery, SortKey, Status};
use pactum::{Error, Language};

use crate::support::*;

// ---------------------------------------------------------------- create

#[test]
fn create_from_each_template_stores_the_template_as_the_first_draft() {
    let fx = fixture();
    for t in TEMPLATES {
        let id = create(&fx.lib, t);
        let d = fx.lib.draft(id).expect("a new draft loads");
        let want = template(t);
        assert_eq!(
            d.agreement, want,
            "{t}: the draft must be exactly the template's agreement"
        );
        assert_eq!(d.revision, 1, "{t}: a new draft starts at revision 1");
        let s = &d.summary;
        assert_eq!(
            s.template, t,
            "{t}: the summary remembers which template it came from"
        );
        assert!(
            !s.uid.trim().is_empty(),
            "{t}: every agreement has a uid for exchange across databases"
        );
        assert_eq!(s.status, Status::Draft, "{t}: a new agreement is a draft");
        assert_eq!(s.current_version, None, "{t}: nothing is frozen yet");
        assert_eq!(
            s.title,
            want.title.trim(),
            "{t}: the list shows the template's title"
        );
        assert_eq!(
            s.customer, want.overview.customer.name,
            "{t}: the list shows the customer"
        );
        assert_eq!(
            s.provider, want.overview.provider.name,
            "{t}: the list shows the provider"
        );
        assert_eq!(
            s.language, want.language,
            "{t}: the list shows the agreement's language"
        );
        let report = pactum::check::check(&want);
        assert_eq!(
            s.completeness, report.completeness,
            "{t}: the list column is the checklist's completeness"
        );
        assert_eq!(
            s.open_errors,
            report.error_count(),
            "{t}: the list column counts error findings"
        );
        let now = pactum_stamp(&fx.clock);
        assert_eq!(
            s.created_at, now,
            "{t}: created_at comes from the library's clock"
        );
        assert_eq!(
            s.updated_at, now,
            "{t}: a new agreement was updated when it was created"
        );
    }
    assert_eq!(
        list_default(&fx.lib).len(),
        3,
        "every created agreement is listed"
    );
}

/// The engine's time stamp format (RFC 3339, milliseconds, `Z`).
fn pactum_stamp(clock: &TestClock) -> String {
    clock
        .now()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[test]
fn create_overrides_title_and_language_and_trims_the_title() {
    let fx = fixture();
    let id = fx
        .lib
        .create(GERMAN, Some("  Rahmenvertrag Nord  "), Some(Language::En))
        .expect("create");
    let d = fx.lib.draft(id).expect("draft");
    assert_eq!(
        d.agreement.title, "Rahmenvertrag Nord",
        "a title given at creation is trimmed"
    );
    assert_eq!(
        d.agreement.language,
        Language::En,
        "the language override wins over the template's"
    );
    assert_eq!(
        d.summary.language,
        Language::En,
        "the list shows the overridden language"
    );
}

#[test]
fn create_refuses_an_empty_title_and_an_unknown_template_and_stores_nothing() {
    let fx = fixture();
    let problems = invalid(fx.lib.create(GERMAN, Some("   "), None), "a blank title");
    problem_at(
        &problems,
        "$.agreement.title",
        "a blank title is refused at the title's path",
    );
    let err = fx.lib.create("no-such-template", None, None).unwrap_err();
    assert!(
        matches!(&err, Error::TemplateNotFound(t) if t == "no-such-template"),
        "unknown template: {err:?}"
    );
    assert_eq!(
        err.code(),
        "template_not_found",
        "the UI branches on this stable code"
    );
    assert_eq!(total_all(&fx.lib), 0, "a refused create writes nothing");
}

// ---------------------------------------------------------------- list

/// Three agreements that differ in every sortable column.
fn sortable(fx: &Fixture) -> Vec<AgreementId> {
    let mut ids = Vec::new();
    // Titles and customers differ in case so that a byte-order sort would give another order.
    for (title, customer) in [
        ("bravo", "Charlie AG"),
        ("Alpha", "delta GmbH"),
        ("charlie", "Bravo KG"),
    ] {
        fx.clock.advance_secs(60);
        let id = create_titled(&fx.lib, GERMAN, title);
        edit(&fx.lib, id, |a| {
            a.overview.customer.name = customer.to_string()
        });
        ids.push(id);
    }
    // Different completeness: remove checklist content from two of them.
    fx.clock.advance_secs(60);
    edit(&fx.lib, ids[0], |a| a.overview.purpose.clear());
    fx.clock.advance_secs(60);
    edit(&fx.lib, ids[2], |a| {
        a.overview.purpose.clear();
        a.overview.payment_terms.clear();
    });
    // Different error counts: resolution faster than first response is an error.
    fx.clock.advance_secs(60);
    edit(&fx.lib, ids[1], |a| set_top_resolution(a, "1 min"));
    // Different status: one in review.
    fx.clock.advance_secs(60);
    fx.lib.freeze(ids[2], "for review").expect("freeze");
    fx.lib.request_review(ids[2]).expect("request review");
    ids
}

#[test]
fn list_sorts_by_every_key_in_both_directions() {
    let fx = fixture();
    let ids = sortable(&fx);
    let keys = [
        SortKey::Title,
        SortKey::Customer,
        SortKey::Status,
        SortKey::UpdatedAt,
        SortKey::Completeness,
        SortKey::OpenErrors,
    ];
    for sort in keys {
        let page = |descending| {
            fx.lib
                .list(&ListQuery {
                    sort,
                    descending,
                    ..ListQuery::default()
                })
                .expect("list")
                .items
        };
        let asc = page(false);
        let desc = page(true);
        assert_eq!(asc.len(), ids.len(), "{sort:?}: every agreement is listed");
        let mut reversed = desc.clone();
        reversed.reverse();
        assert_eq!(
            asc, reversed,
            "{sort:?}: descending is exactly ascending reversed (ties broken by id)"
        );
        for w in asc.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            let ordered = match sort {
                SortKey::Title => a.title.to_lowercase() <= b.title.to_lowercase(),
                SortKey::Customer => a.customer.to_lowercase() <= b.customer.to_lowercase(),
                SortKey::Status => true, // grouping is checked below
                SortKey::UpdatedAt => a.updated_at <= b.updated_at,
                SortKey::Completeness => a.completeness <= b.completeness,
                SortKey::OpenErrors => a.open_errors <= b.open_errors,
            };
            assert!(
                ordered,
                "{sort:?}: {} must not come before {} ascending",
                a.title, b.title
            );
        }
        if sort == SortKey::Status {
            let statuses: Vec<Status> = asc.iter().map(|s| s.status).collect();
            let mut seen = Vec::new();
            for s in &statuses {
                if seen.last() != Some(s) {
                    assert!(
                        !seen.contains(s),
                        "status sort keeps each status together: {statuses:?}"
                    );
                    seen.push(*s);
                }
            }
        }
    }
    let titles: Vec<String> = fx
        .lib
        .list(&ListQuery {
            sort: SortKey::Title,
            descending: false,
            ..ListQuery::default()
        })
        .unwrap()
        .items
        .into_iter()
        .map(|s| s.title)
        .collect();
    assert_eq!(
        titles,
        ["Alpha", "bravo", "charlie"],
        "title sort ignores case"
    );
    let by_errors = fx
        .lib
        .list(&ListQuery {
            sort: SortKey::OpenErrors,
            ..ListQuery::default()
        })
        .unwrap();
    assert_eq!(
        by_errors.items[0].id, ids[1],
        "the agreement with an inconsistency has the most errors"
    );
    assert!(
        by_errors.items[0].open_errors > 0,
        "the inconsistency is counted as an open error"
    );
    let by_updated = fx.lib.list(&ListQuery::default()).unwrap();
    assert_eq!(
        by_updated.items[0].id, ids[2],
        "the default list shows the most recently changed first"
    );
}

#[test]
fn list_filters_by_status_and_pages_with_a_total() {
    let fx = fixture();
    let mut ids = Vec::new();
    for i in 0..5 {
        fx.clock.advance_secs(1);
        ids.push(create_titled(&fx.lib, GERMAN, &format!("Vertrag {i}")));
    }
    fx.lib.freeze(ids[3], "").expect("freeze");
    fx.lib.request_review(ids[3]).expect("review");

    let in_review = fx
        .lib
        .list(&ListQuery {
            status: Some(Status::InReview),
            ..ListQuery::default()
        })
        .unwrap();
    assert_eq!(in_review.total, 1, "only one agreement is in review");
    assert_eq!(
        in_review.items[0].id, ids[3],
        "the status filter returns the agreement in review"
    );
    let drafts = fx
        .lib
        .list(&ListQuery {
            status: Some(Status::Draft),
            ..ListQuery::default()
        })
        .unwrap();
    assert_eq!(drafts.total, 4, "the other four are drafts");
    assert!(
        drafts.items.iter().all(|s| s.status == Status::Draft),
        "the filter returns only drafts"
    );

    let mut seen = Vec::new();
    for offset in [0, 2, 4] {
        let page = fx
            .lib
            .list(&ListQuery {
                sort: SortKey::Title,
                descending: false,
                limit: 2,
                offset,
                ..ListQuery::default()
            })
            .unwrap();
        assert_eq!(
            page.total, 5,
            "the total counts every match, not just the page"
        );
        assert_eq!(
            page.items.len(),
            if offset == 4 { 1 } else { 2 },
            "page at offset {offset}"
        );
        seen.extend(page.items.into_iter().map(|s| s.id));
    }
    assert_eq!(
        seen, ids,
        "the pages together list every agreement once, in title order"
    );
    let past_end = fx
        .lib
        .list(&ListQuery {
            offset: 50,
            ..ListQuery::default()
        })
        .unwrap();
    assert!(past_end.items.is_empty(), "a page past the end is empty");
    assert_eq!(past_end.total, 5, "and still reports the total");

    for limit in [0, 1001] {
        let problems = invalid(
            fx.lib.list(&ListQuery {
                limit,
                ..ListQuery::default()
            }),
            "bad page size",
        );
        problem_at(&problems, "limit", "the page size problem names the limit");
    }
}

// ---------------------------------------------------------------- archive

#[test]
fn archived_agreements_are_hidden_by_default_and_shown_with_the_filter() {
    let fx = fixture();
    let keep = create_titled(&fx.lib, GERMAN, "Bleibt");
    let gone = create_titled(&fx.lib, GERMAN, "Archiviert");
    assert_eq!(
        fx.lib.archive(gone).unwrap(),
        Status::Archived,
        "archive reports the new status"
    );
    let default = fx.lib.list(&ListQuery::default()).unwrap();
    assert_eq!(
        default.total, 1,
        "the default list does not count archived agreements"
    );
    assert_eq!(
        default.items[0].id, keep,
        "the default list hides the archived agreement"
    );
    let archived = fx
        .lib
        .list(&ListQuery {
            status: Some(Status::Archived),
            ..ListQuery::default()
        })
        .unwrap();
    assert_eq!(
        archived.items.iter().map(|s| s.id).collect::<Vec<_>>(),
        [gone],
        "the filter shows it"
    );
    assert_eq!(
        fx.lib.archive(gone).unwrap(),
        Status::Archived,
        "archiving twice is harmless"
    );

    let err = fx.lib.freeze(gone, "").unwrap_err();
    assert_eq!(
        err.code(),
        "not_allowed",
        "an archived agreement cannot be frozen: {err}"
    );
    let mut a = draft(&fx.lib, gone);
    a.title.push_str(" geändert");
    let err = fx.lib.save_draft(gone, &a).unwrap_err();
    assert_eq!(
        err.code(),
        "not_allowed",
        "an archived agreement cannot be edited: {err}"
    );
    assert_eq!(
        fx.lib.draft(gone).unwrap().revision,
        1,
        "the refused edit wrote nothing"
    );
}

#[test]
fn unarchive_restores_the_previous_status() {
    let fx = fixture();
    let plain = create(&fx.lib, GERMAN);
    let reviewed = create(&fx.lib, GERMAN);
    fx.lib.freeze(reviewed, "").unwrap();
    fx.lib.request_review(reviewed).unwrap();
    for (id, before) in [(plain, Status::Draft), (reviewed, Status::InReview)] {
        fx.lib.archive(id).unwrap();
        assert_eq!(
            fx.lib.unarchive(id).unwrap(),
            before,
            "unarchive returns to {before}"
        );
        assert_eq!(
            fx.lib.summary(id).unwrap().status,
            before,
            "the stored status is {before} again"
        );
        // A second round trip must work the same way (the remembered status is reset).
        fx.lib.archive(id).unwrap();
        assert_eq!(
            fx.lib.unarchive(id).unwrap(),
            before,
            "a second archive round trip also restores {before}"
        );
    }
    let err = fx.lib.unarchive(plain).unwrap_err();
    assert_eq!(
        err.code(),
        "not_allowed",
        "unarchiving an agreement that is not archived is refused: {err}"
    );
}

// ---------------------------------------------------------------- duplicate

#[test]
fn duplicate_copies_the_draft_under_a_new_title() {
    let fx = fixture();
    for t in TEMPLATES {
        let id = create(&fx.lib, t);
        fx.lib.freeze(id, "").unwrap();
        let copy = fx.lib.duplicate(id).expect("duplicate");
        assert_ne!(copy, id, "a duplicate is a new agreement");
        let (orig, dup) = (draft(&fx.lib, id), draft(&fx.lib, copy));
        let suffix = orig.language.pick("Kopie", "copy");
        assert_eq!(
            dup.title,
            format!("{} ({suffix})", orig.title),
            "{t}: the copy is titled in its language"
        );
        assert_eq!(
            pactum::Agreement {
                title: orig.title.clone(),
                ..dup.clone()
            },
            orig,
            "{t}: only the title differs"
        );
        let s = fx.lib.summary(copy).unwrap();
        assert_eq!(
            (s.status, s.current_version),
            (Status::Draft, None),
            "{t}: the copy is a fresh draft"
        );
        assert_eq!(s.template, t, "{t}: the copy keeps the template id");
        assert_ne!(
            s.uid,
            fx.lib.summary(id).unwrap().uid,
            "{t}: the copy is a different agreement across databases"
        );
        assert!(
            fx.lib.versions(copy).unwrap().is_empty(),
            "{t}: versions are not copied"
        );
    }
}

// ---------------------------------------------------------------- drafts

#[test]
fn saving_an_unchanged_draft_writes_nothing() {
    let fx = fixture();
    let id = create(&fx.lib, GERMAN);
    let before = fx.lib.draft(id).unwrap();
    fx.clock.advance_secs(3600);
    let outcome = fx.lib.save_draft(id, &before.agreement).expect("save");
    assert!(
        !outcome.changed,
        "an unchanged draft is reported as unchanged"
    );
    assert_eq!(
        outcome.revision, before.revision,
        "an unchanged save does not count as a revision"
    );
    let after = fx.lib.draft(id).unwrap();
    assert_eq!(
        after.revision, before.revision,
        "the stored revision is unchanged"
    );
    assert_eq!(
        after.summary.updated_at, before.summary.updated_at,
        "updated_at is unchanged: nothing was written"
    );

    let r = edit(&fx.lib, id, |a| a.overview.purpose.push_str(" Ergänzt."));
    assert_eq!(
        r,
        before.revision + 1,
        "a changed save increments the revision by one"
    );
    let s = fx.lib.summary(id).unwrap();
    assert_eq!(
        s.updated_at,
        pactum_stamp(&fx.clock),
        "a changed save records the clock's time"
    );
}

#[test]
fn save_draft_validates_before_writing() {
    let fx = fixture();
    let id = create(&fx.lib, GERMAN);
    let mut a = draft(&fx.lib, id);
    a.title = " \t ".into();
    let problems = invalid(fx.lib.save_draft(id, &a), "blank title");
    problem_at(&problems, "$.agreement.title", "a blank title is named");
    let mut a = draft(&fx.lib, id);
    a.overview.purpose = "x".repeat(pactum::interchange::MAX_FIELD_BYTES + 1);
    let problems = invalid(fx.lib.save_draft(id, &a), "too long a purpose");
    problem_at(
        &problems,
        "$.agreement.overview.purpose",
        "the over-long field is named",
    );
    assert_eq!(
        fx.lib.draft(id).unwrap().revision,
        1,
        "refused saves write nothing"
    );
}

// ---------------------------------------------------------------- versions

#[test]
fn freeze_stores_canonical_json_whose_sha256_is_the_hash() {
    let fx = fixture();
    for t in TEMPLATES {
        let id = create(&fx.lib, t);
        let d = draft(&fx.lib, id);
        let v1 = fx.lib.freeze(id, "  erste Fassung ").expect("freeze");
        assert_eq!(
            (v1.number, v1.previous_hash.as_deref()),
            (1, None),
            "{t}: the first version has no predecessor"
        );
        assert_eq!(v1.note, "erste Fassung", "{t}: the note is stored trimmed");
        let content = fx.lib.version_content(id, 1).unwrap();
        assert_eq!(
            sha256(content.as_bytes()),
            v1.hash,
            "{t}: the hash is the SHA-256 of the stored bytes"
        );
        assert_eq!(
            content,
            to_canonical(&d).unwrap(),
            "{t}: the stored bytes are the draft's canonical JSON"
        );
        let reparsed: serde_json::Value =
            serde_json::from_str(&content).expect("stored content is JSON");
        assert_eq!(
            value_to_canonical(&reparsed).unwrap(),
            content,
            "{t}: the stored form is already canonical"
        );
        assert!(
            !content.contains("\n  "),
            "{t}: canonical JSON has no pretty-printing"
        );
        let v = fx.lib.version(id, 1).expect("version 1 reads back");
        assert_eq!(
            v.agreement, d,
            "{t}: the version's content is the frozen draft"
        );
        assert_eq!(
            v.info, v1,
            "{t}: version() returns the metadata freeze() returned"
        );
        assert_eq!(
            fx.lib.summary(id).unwrap().current_version,
            Some(1),
            "{t}: the summary shows version 1"
        );

        edit(&fx.lib, id, |a| set_top_resolution(a, "2 h"));
        let v2 = fx.lib.freeze(id, "").expect("second freeze");
        assert_eq!(v2.number, 2, "{t}: versions are numbered consecutively");
        assert_eq!(
            v2.previous_hash.as_deref(),
            Some(v1.hash.as_str()),
            "{t}: v2 names v1's hash"
        );
        assert_ne!(
            v2.hash, v1.hash,
            "{t}: different content has a different hash"
        );
        assert_eq!(
            fx.lib.versions(id).unwrap(),
            [v1.clone(), v2.clone()],
            "{t}: versions() lists both in order"
        );
    }
}

#[test]
fn freezing_an_unchanged_draft_again_is_refused() {
    let fx = fixture();
    let id = create(&fx.lib, GERMAN);
    let v1 = fx.lib.freeze(id, "").unwrap();
    let err = fx.lib.freeze(id, "again").unwrap_err();
    assert!(
        matches!(err, Error::NotAllowed(_)),
        "a second freeze of the same draft is refused: {err:?}"
    );
    assert_eq!(
        fx.lib.versions(id).unwrap(),
        [v1],
        "the refused freeze wrote no version"
    );
    let problems = invalid(fx.lib.freeze(id, &"n".repeat(20_000)), "too long a note");
    problem_at(
        &problems,
        "note",
        "an over-long note is refused before anything happens",
    );
}

#[test]
fn a_version_note_with_control_characters_is_refused() {
    let fx = fixture();
    let id = create(&fx.lib, GERMAN);
    for note in ["a\0b", "\u{1b}[31mrot", "\u{7}"] {
        let problems = invalid(fx.lib.freeze(id, note), &format!("note {note:?}"));
        let p = problem_at(&problems, "note", "the note is named");
        assert!(
            p.message.contains("control character"),
            "the message says why: {}",
            p.message
        );
    }
    assert!(
        fx.lib.versions(id).unwrap().is_empty(),
        "no refused freeze wrote a version"
    );
    let v = fx
        .lib
        .freeze(id, "Zeile 1\n\tZeile 2")
        .expect("line breaks and tabs are ordinary text");
    assert_eq!(v.note, "Zeile 1\n\tZeile 2", "kept exactly");
}

#[test]
fn versions_cannot_be_updated_or_deleted_even_with_raw_sql() {
    let fx = fixture();
    let id = create(&fx.lib, GERMAN);
    let v1 = fx.lib.freeze(id, "").unwrap();
    let before = fx.lib.version_content(id, 1).unwrap();

    let conn = raw(fx.path());
    for sql in [
        "UPDATE versions SET content = 'tampered'",
        "UPDATE versions SET hash = 'x', note = 'y' WHERE number = 1",
        "DELETE FROM versions",
        "DELETE FROM versions WHERE number = 1",
    ] {
        let err = conn.execute(sql, []).expect_err(sql);
        assert!(
            err.to_string().contains("immutable"),
            "{sql}: the schema's trigger aborts it: {err}"
        );
    }
    drop(conn);
    assert_eq!(
        fx.lib.version_content(id, 1).unwrap(),
        before,
        "the stored bytes are unchanged"
    );
    assert_eq!(
        fx.lib.version(id, 1).unwrap().info,
        v1,
        "the metadata is unchanged"
    );
}

#[test]
fn insert_or_replace_cannot_overwrite_a_version() {
    let fx = fixture();
    let id = create(&fx.lib, GERMAN);
    let v1 = fx.lib.freeze(id, "").unwrap();
    let conn = raw(fx.path());
    // REPLACE deletes the conflicting row without firing DELETE triggers (recursive triggers are
    // off by default), so the schema needs its own guard against it.
    let result = conn.execute(
        "INSERT OR REPLACE INTO versions (agreement_id, number, content, hash, previous_hash, note, created_at)
         VALUES (?1, 1, '{}', 'forged', NULL, '', 'now')",
        [id.0],
    );
    let err = result.expect_err("replacing version 1 through INSERT OR REPLACE must be refused");
    assert!(
        err.to_string().contains("immutable"),
        "the schema's trigger refuses it: {err}"
    );
    drop(conn);
    assert_eq!(
        fx.lib.version(id, 1).unwrap().info,
        v1,
        "version 1 is unchanged"
    );
}

#[test]
fn a_version_whose_stored_bytes_were_altered_is_reported_as_corrupt() {
    let fx = fixture();
    let id = create(&fx.lib, GERMAN);
    fx.lib.freeze(id, "").unwrap();
    edit(&fx.lib, id, |a| {
        a.overview.purpose.push_str(" Zweite Fassung.")
    });
    fx.lib.freeze(id, "").unwrap();

    let conn = raw(fx.path());
    conn.execute_batch(
        "DROP TRIGGER versions_are_immutable_update;
         DROP TRIGGER versions_are_immutable_delete;",
    )
    .expect("the test removes the guard to simulate tampering");
    let changed = conn
        .execute(
            "UPDATE versions SET content = replace(content, 'Service', 'Servus') WHERE agreement_id = ?1 AND number = 1",
            [id.0],
        )
        .unwrap();
    assert_eq!(changed, 1, "the tampering touched version 1");
    drop(conn);

    let err = fx.lib.version(id, 1).unwrap_err();
    assert!(
        matches!(err, Error::Corrupt(_)),
        "altered bytes are detected: {err:?}"
    );
    assert_eq!(err.code(), "corrupt", "the UI branches on the stable code");
    assert!(
        !err.is_input_error(),
        "damaged storage is not the caller's fault"
    );
    assert!(
        err.to_string().contains("does not match its hash"),
        "the message says why: {err}"
    );
    let diff = fx.lib.diff(id, 1, 2).unwrap_err();
    assert_eq!(
        diff.code(),
        "corrupt",
        "comparing with a damaged version reports it too"
    );
    fx.lib
        .version(id, 2)
        .expect("the untouched version 2 still reads");

    // Altering the hash column instead of the content is detected the same way.
    let conn = raw(fx.path());
    conn.execute(
        "UPDATE versions SET hash = ?2 WHERE agreement_id = ?1 AND number = 2",
        rusqlite::params![id.0, "0".repeat(64)],
    )
    .unwrap();
    drop(conn);
    assert_eq!(
        fx.lib.version(id, 2).unwrap_err().code(),
        "corrupt",
        "a replaced hash no longer matches the bytes"
    );
}

// ---------------------------------------------------------------- errors and status

#[test]
fn unknown_ids_give_not_found_errors_with_stable_codes() {
    let fx = fixture();
    let known = create(&fx.lib, GERMAN);
    fx.lib.freeze(known, "").unwrap();
    let missing = AgreementId(4242);
    let a = template(GERMAN);
    let results: Vec<(&str, Error)> = vec![
        ("draft", fx.lib.draft(missing).unwrap_err()),
        ("summary", fx.lib.summary(missing).unwrap_err()),
        ("save_draft", fx.lib.save_draft(missing, &a).unwrap_err()),
        ("check", fx.lib.check(missing).unwrap_err()),
        ("duplicate", fx.lib.duplicate(missing).unwrap_err()),
        ("archive", fx.lib.archive(missing).unwrap_err()),
        ("unarchive", fx.lib.unarchive(missing).unwrap_err()),
        (
            "request_review",
            fx.lib.request_review(missing).unwrap_err(),
        ),
        ("freeze", fx.lib.freeze(missing, "").unwrap_err()),
        ("versions", fx.lib.versions(missing).unwrap_err()),
        ("export", fx.lib.export(missing).unwrap_err()),
        (
            "update_from_json",
            fx.lib
                .update_from_json(missing, fx.lib.export(known).unwrap().as_bytes(), None)
                .unwrap_err(),
        ),
    ];
    for (op, err) in results {
        assert!(
            matches!(err, Error::AgreementNotFound(4242)),
            "{op}: expected AgreementNotFound(4242), got {err:?}"
        );
        assert_eq!(err.code(), "agreement_not_found", "{op}: stable code");
        assert!(
            err.is_input_error(),
            "{op}: an unknown id is the caller's error"
        );
    }
    let results: Vec<(&str, Error)> = vec![
        ("version", fx.lib.version(known, 7).unwrap_err()),
        (
            "version_content",
            fx.lib.version_content(known, 7).unwrap_err(),
        ),
        ("diff", fx.lib.diff(known, 1, 7).unwrap_err()),
        ("diff_draft", fx.lib.diff_draft(known, 7).unwrap_err()),
    ];
    for (op, err) in results {
        assert!(
            matches!(err, Error::VersionNotFound { agreement, version: 7 } if agreement == known.0),
            "{op}: expected VersionNotFound, got {err:?}"
        );
        assert_eq!(err.code(), "version_not_found", "{op}: stable code");
        assert!(
            err.is_input_error(),
            "{op}: an unknown version is the caller's error"
        );
    }
    assert!(
        matches!(
            fx.lib.version(missing, 1).unwrap_err(),
            Error::VersionNotFound { .. } | Error::AgreementNotFound(_)
        ),
        "a version of an unknown agreement is not found"
    );
}

#[test]
fn review_needs_a_frozen_version_and_locks_the_draft() {
    let fx = fixture();
    let id = create(&fx.lib, GERMAN);
    let err = fx.lib.request_review(id).unwrap_err();
    assert_eq!(
        err.code(),
        "not_allowed",
        "draft → in_review needs a frozen version: {err}"
    );
    assert_eq!(
        fx.lib.summary(id).unwrap().status,
        Status::Draft,
        "the refused transition changed nothing"
    );

    fx.lib.freeze(id, "").unwrap();
    assert_eq!(
        fx.lib.request_review(id).unwrap(),
        Status::InReview,
        "with a version the review can start"
    );
    let mut a = draft(&fx.lib, id);
    a.overview.purpose.push_str(" Geändert.");
    let err = fx.lib.save_draft(id, &a).unwrap_err();
    assert_eq!(
        err.code(),
        "not_allowed",
        "a draft in review cannot be edited: {err}"
    );
    let unchanged = draft(&fx.lib, id);
    let outcome = fx
        .lib
        .save_draft(id, &unchanged)
        .expect("an unchanged save is not an edit");
    assert!(
        !outcome.changed,
        "saving the unchanged draft in review writes nothing"
    );
}

#[test]
fn nothing_in_the_api_puts_an_agreement_in_force() {
    let fx = fixture();
    let id = create(&fx.lib, GERMAN);
    let mut statuses = vec![fx.lib.summary(id).unwrap().status];
    fx.lib.freeze(id, "").unwrap();
    statuses.push(fx.lib.request_review(id).unwrap());
    statuses.push(fx.lib.request_review(id).unwrap());
    statuses.push(fx.lib.archive(id).unwrap());
    statuses.push(fx.lib.unarchive(id).unwrap());
    statuses.push(fx.lib.archive(id).unwrap());
    statuses.push(fx.lib.unarchive(id).unwrap());
    assert!(
        !statuses.contains(&Status::InForce),
        "no call reached in_force: {statuses:?}"
    );
    let in_force = fx
        .lib
        .list(&ListQuery {
            status: Some(Status::InForce),
            ..ListQuery::default()
        })
        .unwrap();
    assert_eq!(
        in_force.total, 0,
        "no agreement is in force without signatures"
    );
    let conn = raw(fx.path());
    let to_in_force: i64 = conn
        .query_row(
            "SELECT count(*) FROM status_changes WHERE to_status = 'in_force'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        to_in_force, 0,
        "the status history has no change into in_force"
    );
    let changes: i64 = conn
        .query_row("SELECT count(*) FROM status_changes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        changes, 5,
        "each real status change (not the repeated review request) is recorded"
    );
}

#[test]
fn a_draft_is_only_saved_if_it_can_be_read_back() {
    use pactum::model::{ClockTime, Decimal, Duration, DurationUnit, Percent};
    // Typed values built in Rust (the desktop shell, a future importer) can lie outside what
    // their text form accepts. Such a draft must be refused with the field's path, or else be
    // stored so that it reads back: a saved draft that no longer loads would lose the work.
    let fx = fixture();
    let id = create(&fx.lib, GERMAN);
    type Change = Box<dyn Fn(&mut pactum::Agreement)>;
    let cases: Vec<(&str, Change)> = vec![
        (
            "$.agreement.support_levels.priorities[0].resolution",
            Box::new(|a| {
                a.support_levels.priorities[0].resolution =
                    Some(Duration::new(5_000_000, DurationUnit::Minutes))
            }),
        ),
        (
            "$.agreement.metrics.availability_target",
            Box::new(|a| a.metrics.availability_target = Some(Percent(Decimal::from_int(250)))),
        ),
        (
            "$.agreement.support_levels.calendars[0].weekly[0].to",
            Box::new(|a| a.support_levels.calendars[0].weekly[0].to = ClockTime(25 * 60)),
        ),
    ];
    for (path, change) in cases {
        let mut a = draft(&fx.lib, id);
        change(&mut a);
        match fx.lib.save_draft(id, &a) {
            Err(Error::Invalid(problems)) => {
                problem_at(
                    &problems,
                    path,
                    "an out-of-range value is refused at its path",
                );
            }
            Ok(_) => {
                let back = fx
                    .lib
                    .draft(id)
                    .unwrap_or_else(|e| panic!("{path}: the saved draft no longer loads: {e}"));
                assert_eq!(
                    back.agreement, a,
                    "{path}: a saved draft reads back exactly"
                );
            }
            Err(other) => panic!("{path}: unexpected error {other:?}"),
        }
    }
}

#[test]
fn a_save_over_a_stale_revision_is_a_draft_conflict_and_writes_nothing() {
    let fx = fixture();
    let id = create(&fx.lib, GERMAN);
    // The app and the command line both read revision 1.
    let cli = open(fx.path(), &fx.clock).library;
    let read = fx.lib.draft(id).unwrap();
    assert_eq!(read.revision, 1);
    let mut from_cli = read.agreement.clone();
    from_cli.overview.purpose = "Von der Kommandozeile.".into();
    let saved = cli
        .save_draft_expecting(id, &from_cli, Some(1))
        .expect("the first save over revision 1 is no conflict");
    assert_eq!(saved.revision, 2, "the command line's save is revision 2");

    let saved_at = fx.lib.summary(id).unwrap().updated_at;
    fx.clock.advance_secs(60);
    let mut from_app = read.agreement.clone();
    from_app.overview.purpose = "Aus dem Fenster.".into();
    let err = fx
        .lib
        .save_draft_expecting(id, &from_app, Some(1))
        .unwrap_err();
    assert_eq!(
        err.code(),
        "draft_conflict",
        "the app saved over revision 1, but the draft is at revision 2 now: {err}"
    );
    assert!(
        matches!(
            err,
            Error::DraftConflict { agreement, expected: 1, actual: 2 } if agreement == id.0
        ),
        "the conflict names the agreement and both revisions: {err:?}"
    );
    let stored = fx.lib.draft(id).unwrap();
    assert_eq!(
        (stored.revision, stored.agreement.overview.purpose.as_str()),
        (2, "Von der Kommandozeile."),
        "the refused save wrote nothing: the command line's change is kept"
    );
    assert_eq!(
        stored.summary.updated_at, saved_at,
        "the refused save did not touch the agreement row"
    );
    let err = fx
        .lib
        .update_from_json(
            id,
            fx.lib
                .export(id)
                .unwrap()
                .replace("Kommandozeile", "Datei")
                .as_bytes(),
            Some(1),
        )
        .unwrap_err();
    assert_eq!(
        err.code(),
        "draft_conflict",
        "an update from a file over a stale revision conflicts too"
    );

    let same = fx
        .lib
        .save_draft_expecting(id, &from_cli, Some(1))
        .expect("saving exactly what is stored overwrites nothing, so it is no conflict");
    assert_eq!(
        (same.changed, same.revision),
        (false, 2),
        "an unchanged save writes nothing and reports the stored revision"
    );
    let after = fx
        .lib
        .save_draft_expecting(id, &from_app, Some(2))
        .expect("a save over the current revision goes through");
    assert_eq!(after.revision, 3, "the save over revision 2 is revision 3");
    let err = fx
        .lib
        .save_draft_value(id, serde_json::to_value(&from_cli).unwrap(), Some(2))
        .unwrap_err();
    assert_eq!(
        err.code(),
        "draft_conflict",
        "the JSON save of the desktop app checks the revision too"
    );
}
