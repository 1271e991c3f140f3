-- Pactum schema, version 1.
-- Agreements keep one mutable draft (canonical JSON) and denormalised columns for the library
-- list; versions are immutable, enforced by triggers; agreement_fts indexes titles, parties and
-- clause text.

PRAGMA application_id = 1346454356; -- 'PACT'

CREATE TABLE agreements (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Identifies the agreement across databases (exchange files, signatures); never changes.
    uid                   TEXT    NOT NULL UNIQUE,
    title                 TEXT    NOT NULL,
    customer              TEXT    NOT NULL,
    provider              TEXT    NOT NULL,
    language              TEXT    NOT NULL CHECK (language IN ('de', 'en')),
    status                TEXT    NOT NULL DEFAULT 'draft'
                          CHECK (status IN ('draft', 'in_review', 'in_force', 'superseded', 'archived')),
    status_before_archive TEXT,
    template              TEXT    NOT NULL DEFAULT '',
    draft                 TEXT    NOT NULL,
    draft_hash            TEXT    NOT NULL,
    revision              INTEGER NOT NULL DEFAULT 1,
    current_version       INTEGER,
    completeness          INTEGER NOT NULL DEFAULT 0,
    open_errors           INTEGER NOT NULL DEFAULT 0,
    created_at            TEXT    NOT NULL,
    updated_at            TEXT    NOT NULL
);

CREATE INDEX agreements_updated ON agreements (updated_at);
CREATE INDEX agreements_status ON agreements (status, updated_at);
CREATE INDEX agreements_title ON agreements (title COLLATE NOCASE);
CREATE INDEX agreements_customer ON agreements (customer COLLATE NOCASE);

CREATE TABLE versions (
    agreement_id  INTEGER NOT NULL REFERENCES agreements (id),
    number        INTEGER NOT NULL CHECK (number > 0),
    content       TEXT    NOT NULL,
    hash          TEXT    NOT NULL,
    previous_hash TEXT,
    note          TEXT    NOT NULL DEFAULT '',
    created_at    TEXT    NOT NULL,
    PRIMARY KEY (agreement_id, number)
) WITHOUT ROWID;

CREATE TRIGGER versions_are_immutable_update BEFORE UPDATE ON versions
BEGIN
    SELECT RAISE(ABORT, 'versions are immutable');
END;

CREATE TRIGGER versions_are_immutable_delete BEFORE DELETE ON versions
BEGIN
    SELECT RAISE(ABORT, 'versions are immutable');
END;

-- Status history: every status change with its time, for the life cycle and later audits.
CREATE TABLE status_changes (
    agreement_id INTEGER NOT NULL REFERENCES agreements (id),
    at           TEXT    NOT NULL,
    from_status  TEXT    NOT NULL,
    to_status    TEXT    NOT NULL
);

CREATE VIRTUAL TABLE agreement_fts USING fts5 (
    title, parties, body,
    tokenize = 'unicode61 remove_diacritics 2'
);
