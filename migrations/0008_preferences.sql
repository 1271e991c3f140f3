-- Pactum schema, version 8: the user's display preferences (UI language, theme), kept in the
-- library's database so that a choice is as durable as any other saved change. A missing row
-- means "follow the system".
CREATE TABLE preferences (
    name  TEXT PRIMARY KEY CHECK (name IN ('language', 'theme')),
    value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 16)
) WITHOUT ROWID;
