-- Pactum schema, version 3: signing.
-- Identities (own, with a passphrase-sealed private key) and the trust list of identity cards;
-- each agreement's approval policy; amendment proposals and signed statements (immutable, like
-- versions); checkpoints seen in exchange files. An agreement can only be marked in force when
-- signatures of every role its policy requires exist for its current version.

CREATE TABLE identity_cards (
    fingerprint  TEXT    PRIMARY KEY,
    public_key   TEXT    NOT NULL UNIQUE,
    name         TEXT    NOT NULL,
    organisation TEXT    NOT NULL,
    role         TEXT    NOT NULL
                 CHECK (role IN ('service_manager', 'legal_reviewer', 'customer_representative')),
    email        TEXT    NOT NULL,
    -- The signed card as JSON, exactly as exported and imported.
    card         TEXT    NOT NULL,
    own          INTEGER NOT NULL DEFAULT 0 CHECK (own IN (0, 1)),
    trusted      INTEGER NOT NULL DEFAULT 1 CHECK (trusted IN (0, 1)),
    added_at     TEXT    NOT NULL
) WITHOUT ROWID;

CREATE TABLE identity_keys (
    fingerprint TEXT PRIMARY KEY REFERENCES identity_cards (fingerprint),
    -- PACTUM-KEY record (hex): Argon2id parameters, salt, nonce, XChaCha20-Poly1305
    -- ciphertext, SHA-256 checksum. See docs/signing.md.
    sealed      TEXT NOT NULL,
    created_at  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE approval_policy (
    agreement_id INTEGER NOT NULL REFERENCES agreements (id),
    role         TEXT    NOT NULL
                 CHECK (role IN ('service_manager', 'legal_reviewer', 'customer_representative')),
    PRIMARY KEY (agreement_id, role)
) WITHOUT ROWID;

INSERT INTO approval_policy (agreement_id, role)
    SELECT id, 'service_manager' FROM agreements UNION ALL SELECT id, 'legal_reviewer' FROM agreements;

CREATE TRIGGER agreements_default_policy AFTER INSERT ON agreements
BEGIN
    INSERT INTO approval_policy (agreement_id, role)
        VALUES (NEW.id, 'service_manager'), (NEW.id, 'legal_reviewer');
END;

CREATE TABLE amendments (
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
    PRIMARY KEY (agreement_id, number)
) WITHOUT ROWID;

CREATE TABLE signatures (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    agreement_id INTEGER NOT NULL REFERENCES agreements (id),
    version      INTEGER NOT NULL,
    amendment    INTEGER,
    role         TEXT    NOT NULL,
    decision     TEXT    NOT NULL CHECK (decision IN ('approve', 'reject')),
    signer       TEXT    NOT NULL,
    signed_at    TEXT    NOT NULL,
    -- Canonical JSON of the statement, as signed (after the prefix pactum/approval/v1\n).
    statement    TEXT    NOT NULL,
    signature    TEXT    NOT NULL,
    added_at     TEXT    NOT NULL,
    UNIQUE (agreement_id, signature)
);

CREATE INDEX signatures_version ON signatures (agreement_id, version);

CREATE TRIGGER amendments_are_immutable_update BEFORE UPDATE ON amendments
BEGIN
    SELECT RAISE(ABORT, 'amendments are immutable');
END;

CREATE TRIGGER amendments_are_immutable_delete BEFORE DELETE ON amendments
BEGIN
    SELECT RAISE(ABORT, 'amendments are immutable');
END;

CREATE TRIGGER amendments_are_immutable_replace BEFORE INSERT ON amendments
WHEN EXISTS (SELECT 1 FROM amendments WHERE agreement_id = NEW.agreement_id AND number = NEW.number)
BEGIN
    SELECT RAISE(ABORT, 'amendments are immutable');
END;

CREATE TRIGGER signatures_are_immutable_update BEFORE UPDATE ON signatures
BEGIN
    SELECT RAISE(ABORT, 'signatures are immutable');
END;

CREATE TRIGGER signatures_are_immutable_delete BEFORE DELETE ON signatures
BEGIN
    SELECT RAISE(ABORT, 'signatures are immutable');
END;

-- "In force" only with the signatures the policy requires, for the current version.
CREATE TRIGGER in_force_needs_signatures BEFORE UPDATE OF status, current_version ON agreements
WHEN NEW.status = 'in_force' AND (
    NEW.current_version IS NULL
    OR NOT EXISTS (SELECT 1 FROM approval_policy WHERE agreement_id = NEW.id)
    OR EXISTS (
        SELECT 1 FROM approval_policy p
        WHERE p.agreement_id = NEW.id AND NOT EXISTS (
            SELECT 1 FROM signatures s
            WHERE s.agreement_id = NEW.id AND s.version = NEW.current_version
              AND s.role = p.role AND s.decision = 'approve')))
BEGIN
    SELECT RAISE(ABORT, 'an agreement comes into force only with the signatures its approval policy requires');
END;

CREATE TRIGGER in_force_needs_signatures_insert BEFORE INSERT ON agreements
WHEN NEW.status = 'in_force'
BEGIN
    SELECT RAISE(ABORT, 'an agreement comes into force only with the signatures its approval policy requires');
END;

CREATE TABLE checkpoints (
    agreement_uid TEXT    NOT NULL,
    -- The checkpoint's one-line text form (see docs/signing.md).
    text          TEXT    NOT NULL,
    versions      INTEGER NOT NULL,
    records       INTEGER NOT NULL,
    seen_at       TEXT    NOT NULL,
    PRIMARY KEY (agreement_uid, text)
) WITHOUT ROWID;
