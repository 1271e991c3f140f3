-- Pactum schema, version 6: concurrent amendments.
-- Two people can propose an amendment to the same version in force on two machines before
-- either has seen the other's; both then carry the next free number. An amendment is
-- therefore identified by its number together with the hash of the content it proposes (what
-- every signed decision on it names), so both can be stored, decided on and exchanged. The
-- table is rebuilt with that key; its immutability triggers and covering index come back
-- unchanged but for the key.

CREATE TABLE amendments_keyed (
    agreement_id   INTEGER NOT NULL REFERENCES agreements (id),
    number         INTEGER NOT NULL CHECK (number > 0),
    base_version   INTEGER NOT NULL,
    target_version INTEGER NOT NULL,
    -- Canonical JSON of the proposal, as signed by the proposer (if any).
    proposal       TEXT    NOT NULL,
    signature      TEXT,
    content        TEXT    NOT NULL,
    content_hash   TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    PRIMARY KEY (agreement_id, number, content_hash)
) WITHOUT ROWID;

INSERT INTO amendments_keyed
    SELECT agreement_id, number, base_version, target_version, proposal, signature, content,
           content_hash, created_at
    FROM amendments;

DROP TABLE amendments;
ALTER TABLE amendments_keyed RENAME TO amendments;

CREATE TRIGGER amendments_are_immutable_update BEFORE UPDATE ON amendments
BEGIN
    SELECT RAISE(ABORT, 'amendments are immutable');
END;

CREATE TRIGGER amendments_are_immutable_delete BEFORE DELETE ON amendments
BEGIN
    SELECT RAISE(ABORT, 'amendments are immutable');
END;

CREATE TRIGGER amendments_are_immutable_replace BEFORE INSERT ON amendments
WHEN EXISTS (SELECT 1 FROM amendments WHERE agreement_id = NEW.agreement_id
             AND number = NEW.number AND content_hash = NEW.content_hash)
BEGIN
    SELECT RAISE(ABORT, 'amendments are immutable');
END;

CREATE INDEX amendments_metadata ON amendments
    (agreement_id, number, base_version, target_version, content_hash, created_at, signature, proposal);
