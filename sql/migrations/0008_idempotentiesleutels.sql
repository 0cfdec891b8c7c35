-- Idempotency-Key (IETF httpapi draft "The Idempotency-Key HTTP Header
-- Field") of POST /api/v1/teamprofielen: per client and key, the
-- fingerprint of the first request's body and the answer it got, kept 24
-- hours. The record is written in the same transaction as the profile, so
-- a committed profile always has its record and a rolled-back one never
-- does: a retry with the same key after an unknown outcome gets the stored
-- answer, or (when nothing was stored) stores the profile now.

CREATE TABLE idempotentiesleutels (
    client_id    text NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    -- The key as the client sent it, without its quotes and escapes.
    sleutel      text NOT NULL CHECK (length(sleutel) BETWEEN 1 AND 255),
    -- SHA-256 (hex) of the request body, byte for byte.
    vingerafdruk text NOT NULL CHECK (vingerafdruk ~ '^[0-9a-f]{64}$'),
    aangemaakt   timestamptz NOT NULL DEFAULT now(),
    -- After this moment the record is ignored and may be purged.
    verloopt     timestamptz NOT NULL DEFAULT now() + interval '24 hours',
    -- The answer: status, the profile (no foreign key: the answer outlives
    -- a deleted profile), its ETag, Location and body. NULL only inside the
    -- transaction that claims the key, until it records the answer.
    status       smallint CHECK (status BETWEEN 200 AND 299),
    teamprofiel  uuid,
    etag         text,
    location     text,
    antwoord     text,
    PRIMARY KEY (client_id, sleutel),
    CHECK ((status IS NULL) = (antwoord IS NULL))
);

-- The purge deletes the oldest expired records first.
CREATE INDEX idempotentiesleutels_verloopt_idx ON idempotentiesleutels (verloopt);
