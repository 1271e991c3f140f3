-- Pactum schema, version 4.
-- Version metadata without the content. The signing workflow reads every version's number and
-- hash often (on each signature, import and verification); in the table these columns come
-- after the large content column, so SQLite had to walk each version's overflow pages to reach
-- them. A covering index answers those reads from small index pages.

CREATE INDEX versions_metadata ON versions (agreement_id, number, hash, previous_hash, note, created_at);

