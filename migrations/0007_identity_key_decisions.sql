-- Pactum schema, version 7: decisions to trust a further key for a known person.
-- A card that claims a trusted person (same name or e-mail) with another key is only trusted
-- after an explicit decision naming the key already trusted: `add` keeps both trusted,
-- `replace` distrusted the old one. Two trusted cards for one person without such a row
-- between them are reported by verification (see docs/signing.md).
CREATE TABLE identity_key_decisions (
    fingerprint       TEXT NOT NULL REFERENCES identity_cards (fingerprint),
    known_fingerprint TEXT NOT NULL REFERENCES identity_cards (fingerprint),
    decision          TEXT NOT NULL CHECK (decision IN ('add', 'replace')),
    decided_at        TEXT NOT NULL,
    PRIMARY KEY (fingerprint, known_fingerprint)
) WITHOUT ROWID;
