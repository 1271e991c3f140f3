-- Pactum schema, version 5.
-- Amendment metadata without the proposed content, for the same reason as version 4: the
-- columns after `content` (hash, time) could only be read by walking its overflow pages.
-- (IF NOT EXISTS: a development build briefly created this index in version 4.)

CREATE INDEX IF NOT EXISTS amendments_metadata ON amendments
    (agreement_id, number, base_version, target_version, content_hash, created_at, signature, proposal);
