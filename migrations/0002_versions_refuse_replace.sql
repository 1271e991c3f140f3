-- Pactum schema, version 2.
-- `INSERT OR REPLACE` deletes a conflicting row without firing DELETE triggers (unless
-- recursive triggers are on), so it could overwrite a version despite the triggers of
-- version 1. Refuse any insert whose key already exists.

CREATE TRIGGER versions_are_immutable_replace BEFORE INSERT ON versions
WHEN EXISTS (SELECT 1 FROM versions WHERE agreement_id = NEW.agreement_id AND number = NEW.number)
BEGIN
    SELECT RAISE(ABORT, 'versions are immutable');
END;
