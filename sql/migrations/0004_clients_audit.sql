-- API clients (ZGW style: a shared secret per client signs its HS256
-- tokens, so the secret itself must be kept; it is never listed or logged)
-- and the audit trail of team-profile changes.

CREATE TABLE clients (
    id          text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9._-]{1,64}$'),
    secret      text NOT NULL CHECK (length(secret) >= 32),
    scopes      text[] NOT NULL CHECK (scopes <@ ARRAY[
                    'teamprofielen.lezen', 'teamprofielen.schrijven', 'benchmarks.lezen',
                    'audittrail.lezen', 'catalogus.beheren']::text[]),
    -- Municipality codes the client may act for; alle_gemeenten for VNG's '*'.
    gemeenten   text[] NOT NULL DEFAULT '{}'
                CHECK (array_position(gemeenten, NULL) IS NULL),
    alle_gemeenten boolean NOT NULL DEFAULT false,
    ingetrokken boolean NOT NULL DEFAULT false,
    aangemaakt  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audittrail (
    uuid         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- No foreign key: the trail outlives a deleted profile.
    profiel      uuid NOT NULL,
    gemeente     text NOT NULL REFERENCES gemeenten (code),
    client_id    text NOT NULL,
    actie        text NOT NULL CHECK (actie IN ('create', 'update', 'destroy')),
    resultaat    smallint NOT NULL CHECK (resultaat BETWEEN 100 AND 599),
    toelichting  text CHECK (length(toelichting) <= 1000),
    aanmaakdatum timestamptz NOT NULL DEFAULT clock_timestamp(),
    volgnummer   bigint GENERATED ALWAYS AS IDENTITY,
    oud          json,
    nieuw        json
);
CREATE INDEX audittrail_profiel_idx ON audittrail (profiel, volgnummer);
