-- Benchmark rounds (peilingen): the benchmark of all municipalities as of a
-- peildatum, computed once and stored, so that a round reads the same
-- forever, whatever profiles, catalogue or references change later. A
-- round and all its rows are written in one transaction; reading one never
-- recomputes anything.

ALTER TABLE clients DROP CONSTRAINT clients_scopes_check,
    ADD CONSTRAINT clients_scopes_check CHECK (scopes <@ ARRAY[
        'teamprofielen.lezen', 'teamprofielen.schrijven', 'benchmarks.lezen',
        'audittrail.lezen', 'catalogus.beheren', 'peilingen.beheren']::text[]);

CREATE TABLE peilingen (
    naam            text PRIMARY KEY CHECK (naam ~ '^[A-Za-z0-9._-]{1,40}$'),
    peildatum       date NOT NULL,
    toelichting     text CHECK (length(toelichting) <= 1000),
    aangemaakt      timestamptz NOT NULL DEFAULT now(),
    -- No foreign key: a round outlives the client that made it.
    client_id       text NOT NULL,
    methode_versie  integer NOT NULL,
    catalogus_versie text,
    referentie_versie text,
    aantal_gemeenten integer NOT NULL CHECK (aantal_gemeenten >= 0),
    -- Per size class the number of municipalities and the quartiles
    -- (docs/methode.md, "Peilingen"), as computed when the round was made.
    samenvatting    json NOT NULL,
    -- The CSV header line of the rows (with its CRLF), as it was then.
    csv_kop         text NOT NULL,
    -- What the analyses of the round read: the catalogue's roles and the
    -- reference teams, with their versions, as the service held them
    -- (never served whole): a development asked for with this round
    -- analyses every profile with them, years later.
    model           json NOT NULL
);

CREATE INDEX peilingen_aangemaakt_idx ON peilingen (aangemaakt DESC, naam);

CREATE TABLE peiling_rijen (
    peiling   text NOT NULL REFERENCES peilingen (naam) ON DELETE CASCADE,
    volgnummer integer NOT NULL,
    gemeente  text NOT NULL,
    -- The row exactly as GET /api/v1/benchmarks?peildatum= gave it, and its
    -- CSV line (with its CRLF).
    rij       text NOT NULL,
    csv       text NOT NULL,
    -- The core roles its gap analysis missed (ontbrekendeKernrollen), for
    -- comparing rounds.
    ontbrekende_kernrollen text[] NOT NULL,
    PRIMARY KEY (peiling, volgnummer),
    UNIQUE (peiling, gemeente)
);

-- Who removed which round and when, with the round's metadata.
CREATE TABLE peiling_verwijderingen (
    volgnummer   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    peiling      text NOT NULL,
    client_id    text NOT NULL,
    verwijderd   timestamptz NOT NULL DEFAULT now(),
    metadata     json NOT NULL
);

-- A round's document (without its rows), as the API serves it.
CREATE VIEW api_peilingen AS
SELECT p.naam, p.aangemaakt,
       json_build_object(
         'naam', p.naam,
         'peildatum', to_char(p.peildatum, 'YYYY-MM-DD'),
         'toelichting', p.toelichting,
         'aangemaakt', to_char(p.aangemaakt AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
         'client', p.client_id,
         'methodeVersie', p.methode_versie,
         'catalogusVersie', p.catalogus_versie,
         'referentieVersie', p.referentie_versie,
         'aantalGemeenten', p.aantal_gemeenten,
         'samenvatting', p.samenvatting
       ) AS doc
  FROM peilingen p;
