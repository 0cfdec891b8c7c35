-- Reference-set versions: every `teamplotter import referentieteams` that
-- changes the seven reference profiles records a version, with per
-- reference municipality the profile before and after, the way a catalogue
-- change records a catalogue version (0006). Analyses and benchmarks name
-- the version they used (`referentieVersie`). The reference set already in
-- the database is version one.

CREATE TABLE referentie_versies (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    versie       text NOT NULL UNIQUE CHECK (btrim(versie) <> ''),
    aangemaakt   timestamptz NOT NULL DEFAULT now(),
    bron         text NOT NULL CHECK (btrim(bron) <> ''),
    toelichting  text,
    samenvatting text NOT NULL,
    aantallen    json NOT NULL
);

-- One row per reference municipality a version changed, with its profile
-- (the document of api_teamprofielen) before and after.
CREATE TABLE referentie_wijzigingen (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    versie   bigint NOT NULL REFERENCES referentie_versies (id),
    gemeente text NOT NULL,
    actie    text NOT NULL CHECK (actie IN ('create', 'update', 'destroy')),
    oud      json,
    nieuw    json,
    CHECK ((oud IS NULL) = (actie = 'create') AND (nieuw IS NULL) = (actie = 'destroy'))
);
CREATE INDEX referentie_wijzigingen_versie_idx ON referentie_wijzigingen (versie, gemeente);

-- The snapshot holds the current version: a new one is a new snapshot
-- (an import also replaces profile rows, which bump it already).
CREATE TRIGGER referentie_versies_snapshot AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON referentie_versies FOR EACH STATEMENT EXECUTE FUNCTION snapshot_bump();

CREATE VIEW api_referentieversies AS
SELECT v.id, v.versie,
       json_build_object(
         'versie', v.versie,
         'nummer', v.id,
         'aangemaakt', to_char(v.aangemaakt AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
         'bron', v.bron,
         'toelichting', v.toelichting,
         'samenvatting', v.samenvatting,
         'aantallen', v.aantallen,
         'huidig', v.id = (SELECT max(id) FROM referentie_versies)
       ) AS doc
  FROM referentie_versies v;

-- A version with what it changed, oldest municipality code first.
CREATE VIEW api_referentieversie AS
SELECT v.id, v.versie,
       (v.doc::jsonb || jsonb_build_object('wijzigingen', coalesce(
           (SELECT jsonb_agg(jsonb_build_object('gemeente', w.gemeente, 'actie', w.actie,
                                                'oud', w.oud, 'nieuw', w.nieuw)
                             ORDER BY w.gemeente COLLATE "C")
              FROM referentie_wijzigingen w WHERE w.versie = v.id), '[]'::jsonb)))::json AS doc
  FROM api_referentieversies v;

-- The reference set as the API shows it: {gemeente: profile document}.
CREATE FUNCTION referenties_stand() RETURNS json LANGUAGE sql STABLE AS $$
    SELECT coalesce(json_object_agg(gemeente, doc ORDER BY gemeente COLLATE "C"), '{}')
      FROM api_teamprofielen WHERE referentie
$$;

-- Opens an import: one writer at a time, and the set before it.
CREATE FUNCTION referenties_begin() RETURNS json LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE referentie_versies IN SHARE ROW EXCLUSIVE MODE;
    RETURN referenties_stand();
END
$$;

-- A free version name: `p_basis` itself when `p_eigen` (a name the file
-- gave) and free, else the first free `p_basis.N` from N = 1.
CREATE FUNCTION referentie_versienaam(p_basis text, p_eigen boolean) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_eigen AND NOT EXISTS (SELECT 1 FROM referentie_versies WHERE versie = p_basis)
                THEN p_basis
                ELSE (SELECT p_basis || '.' || n FROM generate_series(1, 1000000) n
                       WHERE NOT EXISTS (SELECT 1 FROM referentie_versies
                                          WHERE versie = p_basis || '.' || n)
                       ORDER BY n LIMIT 1) END
$$;

-- Records the difference between `voor` and the current set as a new
-- version, when there is one: named `p_versie` (or the date of today in
-- UTC, `YYYY-MM-DD.N`; see referentie_versienaam), from `p_bron`. Returns
-- the new version's document with its changes, or NULL when nothing
-- changed.
CREATE FUNCTION referenties_vastleggen(voor json, p_versie text, p_bron text, p_toelichting text)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    diff     json;
    nieuw_id bigint;
BEGIN
    WITH oud AS (SELECT key AS gemeente, value AS doc FROM json_each(voor)),
         na AS (SELECT key AS gemeente, value AS doc FROM json_each(referenties_stand()))
    SELECT json_agg(json_build_object(
               'gemeente', coalesce(o.gemeente, n.gemeente),
               'actie', CASE WHEN o.doc IS NULL THEN 'create'
                             WHEN n.doc IS NULL THEN 'destroy' ELSE 'update' END,
               'oud', o.doc, 'nieuw', n.doc)
           ORDER BY coalesce(o.gemeente, n.gemeente) COLLATE "C")
      INTO diff
      FROM oud o FULL JOIN na n ON n.gemeente = o.gemeente
     WHERE o.doc::jsonb IS DISTINCT FROM n.doc::jsonb;
    IF diff IS NULL THEN
        RETURN NULL;
    END IF;

    INSERT INTO referentie_versies (versie, bron, toelichting, samenvatting, aantallen)
    SELECT referentie_versienaam(coalesce(p_versie, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD')),
                                 p_versie IS NOT NULL),
           p_bron, p_toelichting,
           (SELECT string_agg(g.wat || ': ' || g.codes, '; ' ORDER BY g.volgorde)
              FROM (SELECT CASE d->>'actie' WHEN 'create' THEN 'toegevoegd'
                                            WHEN 'update' THEN 'gewijzigd'
                                            ELSE 'verwijderd' END AS wat,
                           CASE d->>'actie' WHEN 'create' THEN 0
                                            WHEN 'update' THEN 1 ELSE 2 END AS volgorde,
                           string_agg(d->>'gemeente', ', ' ORDER BY d->>'gemeente' COLLATE "C")
                               AS codes
                      FROM json_array_elements(diff) d
                     GROUP BY 1, 2) g),
           (SELECT json_build_object(
                       'profielen', (SELECT count(*) FROM teamprofielen WHERE referentie),
                       'toegevoegd', count(*) FILTER (WHERE d->>'actie' = 'create'),
                       'gewijzigd', count(*) FILTER (WHERE d->>'actie' = 'update'),
                       'verwijderd', count(*) FILTER (WHERE d->>'actie' = 'destroy'))
              FROM json_array_elements(diff) d)
    RETURNING id INTO nieuw_id;

    INSERT INTO referentie_wijzigingen (versie, gemeente, actie, oud, nieuw)
    SELECT nieuw_id, d->>'gemeente', d->>'actie',
           CASE WHEN json_typeof(d->'oud') <> 'null' THEN d->'oud' END,
           CASE WHEN json_typeof(d->'nieuw') <> 'null' THEN d->'nieuw' END
      FROM json_array_elements(diff) d;

    RETURN (SELECT doc FROM api_referentieversie WHERE id = nieuw_id);
END
$$;

-- Version one: the reference set the database holds now. That is the
-- data pack's (version 2026.1, as 0002 seeded it) unless an import
-- replaced it before versions were kept; then it is named after the day
-- of that import.
WITH stand AS (SELECT bool_or(client_id = 'import') AS geimporteerd, max(aangemaakt) AS sinds
                 FROM teamprofielen WHERE referentie)
INSERT INTO referentie_versies (versie, aangemaakt, bron, toelichting, samenvatting, aantallen)
SELECT CASE WHEN s.geimporteerd THEN to_char(s.sinds AT TIME ZONE 'UTC', 'YYYY-MM-DD') || '.1'
            ELSE '2026.1' END,
       coalesce(s.sinds, now()),
       CASE WHEN s.geimporteerd THEN 'import' ELSE 'seed' END,
       NULL,
       'Eerste referentieset: de referentieteams die de database bij deze versie al had',
       json_build_object('profielen', (SELECT count(*) FROM teamprofielen WHERE referentie),
                         'toegevoegd', (SELECT count(*) FROM teamprofielen WHERE referentie),
                         'gewijzigd', 0, 'verwijderd', 0)
  FROM stand s;

INSERT INTO referentie_wijzigingen (versie, gemeente, actie, oud, nieuw)
SELECT (SELECT max(id) FROM referentie_versies), s.key, 'create', NULL, s.value
  FROM json_each(referenties_stand()) s;
