-- The audit trail and personal data (AVG). Member labels are meant to name
-- functions, but a name can slip in, and the trail kept every version of a
-- profile for good. From here on:
--
-- - rows older than TEAMPLOTTER_AUDIT_RETENTION_DAYS are purged, oldest
--   first and a bounded batch per statement; the index finds them without
--   reading the whole table;
-- - `teamplotter audit erase UUID` clears what one profile's rows hold (the
--   profile before and after, the note) and records that with a row of its
--   own, action `erase`, which holds no content itself.

ALTER TABLE audittrail DROP CONSTRAINT audittrail_actie_check,
    ADD CONSTRAINT audittrail_actie_check
        CHECK (actie IN ('create', 'update', 'destroy', 'erase')),
    ADD CONSTRAINT audittrail_erase_zonder_inhoud
        CHECK (actie <> 'erase' OR (oud IS NULL AND nieuw IS NULL AND toelichting IS NULL));

CREATE INDEX audittrail_aanmaakdatum_idx ON audittrail (aanmaakdatum);
