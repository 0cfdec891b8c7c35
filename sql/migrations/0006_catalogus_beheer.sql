-- Catalogue management: roles, competencies, role families, success
-- factors and success stories change through the API and through
-- `teamplotter import`; every change is a new catalogue version with the
-- list of what changed.
--
-- A role, competency or family that leaves the catalogue while something
-- still refers to it (a stored team profile, or a role that left earlier)
-- is marked `vervallen` instead of deleted: stored profiles and their
-- history stay whole, and the API no longer shows it.

ALTER TABLE rolfamilies  ADD COLUMN vervallen boolean NOT NULL DEFAULT false;
ALTER TABLE competenties ADD COLUMN vervallen boolean NOT NULL DEFAULT false;
ALTER TABLE rollen       ADD COLUMN vervallen boolean NOT NULL DEFAULT false;

-- An import reorders a whole list; positions are unique again at commit.
ALTER TABLE rolfamilies DROP CONSTRAINT rolfamilies_volgorde_key,
    ADD CONSTRAINT rolfamilies_volgorde_key UNIQUE (volgorde) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE competenties DROP CONSTRAINT competenties_volgorde_key,
    ADD CONSTRAINT competenties_volgorde_key UNIQUE (volgorde) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE rollen DROP CONSTRAINT rollen_volgorde_key,
    ADD CONSTRAINT rollen_volgorde_key UNIQUE (volgorde) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE succesfactoren DROP CONSTRAINT succesfactoren_volgorde_key,
    ADD CONSTRAINT succesfactoren_volgorde_key UNIQUE (volgorde) DEFERRABLE INITIALLY DEFERRED;

-- A version label is `basis` for an imported catalogue file and
-- `basis.volgnummer` for each change after it ("2026.1", "2026.1.1", ...).
ALTER TABLE catalogus_versies
    ADD COLUMN basis      text,
    ADD COLUMN volgnummer integer NOT NULL DEFAULT 0 CHECK (volgnummer >= 0),
    ADD COLUMN bron       text NOT NULL DEFAULT 'seed' CHECK (bron IN ('seed', 'import', 'api')),
    ADD COLUMN aantallen  json;
UPDATE catalogus_versies SET basis = versie;
ALTER TABLE catalogus_versies ALTER COLUMN basis SET NOT NULL;

-- The audit trail of the catalogue: one row per resource a version
-- changed, with the document before and after.
CREATE TABLE catalogus_wijzigingen (
    id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    versie bigint NOT NULL REFERENCES catalogus_versies (id),
    soort  text NOT NULL CHECK (soort IN ('niveau', 'rolfamilie', 'competentie', 'rol',
                                          'succesfactor', 'succesverhaal')),
    code   text NOT NULL,
    actie  text NOT NULL CHECK (actie IN ('create', 'update', 'destroy')),
    oud    json,
    nieuw  json,
    CHECK ((oud IS NULL) = (actie = 'create') AND (nieuw IS NULL) = (actie = 'destroy'))
);
CREATE INDEX catalogus_wijzigingen_versie_idx ON catalogus_wijzigingen (versie, id);

-- The read models leave out what has left the catalogue.
CREATE OR REPLACE VIEW api_rolfamilies AS
SELECT f.code, f.volgorde,
       json_build_object(
         'code', f.code,
         'naam', f.naam,
         'omschrijving', f.omschrijving,
         'rollen', coalesce((SELECT json_agg(r.code ORDER BY r.volgorde)
                               FROM rollen r WHERE r.familie = f.code AND NOT r.vervallen),
                            '[]'::json)
       ) AS doc
  FROM rolfamilies f
 WHERE NOT f.vervallen;

CREATE OR REPLACE VIEW api_rollen AS
SELECT r.code, r.volgorde, r.familie, r.kernrol,
       lower(unaccent(r.code || ' ' || r.naam || ' ' || r.omschrijving || ' ' ||
             coalesce((SELECT string_agg(s.synoniem, ' ') FROM rol_synoniemen s
                        WHERE s.rol = r.code), ''))) AS zoektekst,
       json_build_object(
         'code', r.code,
         'naam', r.naam,
         'familie', r.familie,
         'omschrijving', r.omschrijving,
         'kernrol', r.kernrol,
         'kernrolBron', r.kernrol_bron,
         'herkomst', r.herkomst,
         'bronnen', coalesce((SELECT json_agg(b.bron ORDER BY b.volgorde)
                                FROM rol_bronnen b WHERE b.rol = r.code), '[]'::json),
         'synoniemen', coalesce((SELECT json_agg(s.synoniem ORDER BY s.volgorde)
                                   FROM rol_synoniemen s WHERE s.rol = r.code), '[]'::json),
         'taken', coalesce((SELECT json_agg(t.omschrijving ORDER BY t.volgorde)
                              FROM rol_taken t WHERE t.rol = r.code), '[]'::json),
         'competenties', coalesce((SELECT json_agg(json_build_object(
                                            'code', rc.competentie,
                                            'naam', c.naam,
                                            'niveau', rc.niveau,
                                            'essentieel', rc.essentieel) ORDER BY rc.volgorde)
                                     FROM rol_competenties rc
                                     JOIN competenties c ON c.code = rc.competentie
                                    WHERE rc.rol = r.code), '[]'::json),
         'richtFteMinimum', r.richt_fte_minimum
       ) AS doc
  FROM rollen r
 WHERE NOT r.vervallen;

CREATE OR REPLACE VIEW api_competenties AS
SELECT c.code, c.volgorde,
       lower(unaccent(c.code || ' ' || c.naam || ' ' || c.omschrijving)) AS zoektekst,
       json_build_object(
         'code', c.code,
         'naam', c.naam,
         'omschrijving', c.omschrijving,
         'soort', c.soort,
         'rollen', coalesce((SELECT json_agg(json_build_object(
                                      'rol', rc.rol,
                                      'niveau', rc.niveau,
                                      'essentieel', rc.essentieel) ORDER BY r.volgorde)
                               FROM rol_competenties rc
                               JOIN rollen r ON r.code = rc.rol
                              WHERE rc.competentie = c.code AND NOT r.vervallen), '[]'::json)
       ) AS doc
  FROM competenties c
 WHERE NOT c.vervallen;

CREATE VIEW api_niveaus AS
SELECT n.niveau,
       json_build_object('niveau', n.niveau, 'code', n.code, 'naam', n.naam,
                         'omschrijving', n.omschrijving) AS doc
  FROM niveaus n;

CREATE VIEW api_catalogusversies AS
SELECT v.id, v.versie,
       json_build_object(
         'versie', v.versie,
         'nummer', v.id,
         'aangemaakt', to_char(v.aangemaakt AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
         'clientId', v.client_id,
         'bron', v.bron,
         'toelichting', v.toelichting,
         'samenvatting', v.samenvatting,
         'aantallen', coalesce(v.aantallen,
                               json_build_object('toegevoegd', 0, 'gewijzigd', 0, 'verwijderd', 0)),
         'huidig', v.id = (SELECT max(id) FROM catalogus_versies)
       ) AS doc
  FROM catalogus_versies v;

CREATE VIEW api_catalogus_wijzigingen AS
SELECT w.id, w.versie,
       json_build_object('soort', w.soort, 'code', w.code, 'actie', w.actie,
                         'oud', w.oud, 'nieuw', w.nieuw) AS doc
  FROM catalogus_wijzigingen w;

-- Everything a catalogue version covers, as the API shows it:
-- {"rol": {code: document}, "competentie": {...}, ...}. The roles listed
-- under a family or competency are left out: they follow from the roles,
-- and a new role would otherwise show as a change of each of them.
CREATE FUNCTION catalogus_stand() RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'niveau', (SELECT coalesce(json_object_agg(niveau, doc ORDER BY niveau), '{}') FROM api_niveaus),
        'rolfamilie', (SELECT coalesce(json_object_agg(code, json_build_object(
                                  'code', code, 'naam', doc->'naam',
                                  'omschrijving', doc->'omschrijving') ORDER BY code), '{}')
                         FROM api_rolfamilies),
        'competentie', (SELECT coalesce(json_object_agg(code, json_build_object(
                                   'code', code, 'naam', doc->'naam',
                                   'omschrijving', doc->'omschrijving', 'soort', doc->'soort')
                                 ORDER BY code),
                                 '{}')
                          FROM api_competenties),
        'rol', (SELECT coalesce(json_object_agg(code, doc ORDER BY code), '{}') FROM api_rollen),
        'succesfactor', (SELECT coalesce(json_object_agg(code, doc ORDER BY code), '{}')
                           FROM api_succesfactoren),
        'succesverhaal', (SELECT coalesce(json_object_agg(gemeente, doc ORDER BY gemeente), '{}')
                            FROM api_succesverhalen))
$$;

-- Opens a catalogue change: one writer at a time, and the state before it.
CREATE FUNCTION catalogus_begin() RETURNS json LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE catalogus_versies IN SHARE ROW EXCLUSIVE MODE;
    RETURN catalogus_stand();
END
$$;

-- Closes a catalogue change opened with catalogus_begin(): compares the
-- state with `voor`, and when anything differs records a new version with
-- one row per changed resource. `p_versie` names the version (an imported
-- catalogue file, with its scale's source); NULL numbers it after the
-- current one. Returns the new
-- version's document, or NULL when nothing changed.
CREATE FUNCTION catalogus_vastleggen(voor json, p_client text, p_toelichting text, p_bron text,
                                     p_versie text, p_schaal_bron text)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    diff   json;
    vorige catalogus_versies%ROWTYPE;
    nieuw_id bigint;
BEGIN
    WITH oud AS (SELECT s.key AS soort, c.key AS code, c.value AS doc
                   FROM json_each(voor) s, json_each(s.value) c),
         na AS (SELECT s.key AS soort, c.key AS code, c.value AS doc
                  FROM json_each(catalogus_stand()) s, json_each(s.value) c)
    SELECT json_agg(json_build_object(
               'soort', coalesce(o.soort, n.soort), 'code', coalesce(o.code, n.code),
               'actie', CASE WHEN o.doc IS NULL THEN 'create'
                             WHEN n.doc IS NULL THEN 'destroy' ELSE 'update' END,
               'oud', o.doc, 'nieuw', n.doc)
           ORDER BY coalesce(o.soort, n.soort), coalesce(o.code, n.code))
      INTO diff
      FROM oud o FULL JOIN na n ON n.soort = o.soort AND n.code = o.code
     WHERE o.doc::jsonb IS DISTINCT FROM n.doc::jsonb;
    IF diff IS NULL THEN
        RETURN NULL;
    END IF;

    SELECT * INTO vorige FROM catalogus_versies ORDER BY id DESC LIMIT 1;
    INSERT INTO catalogus_versies (versie, toelichting, schaal_bron, client_id, basis, volgnummer,
                                   bron, samenvatting, aantallen)
    SELECT coalesce(p_versie, vorige.basis || '.' || (vorige.volgnummer + 1)),
           p_toelichting, coalesce(p_schaal_bron, vorige.schaal_bron), p_client,
           coalesce(p_versie, vorige.basis),
           CASE WHEN p_versie IS NULL THEN vorige.volgnummer + 1 ELSE 0 END,
           p_bron,
           (SELECT string_agg(g.soort || ' ' || g.wat || ': ' ||
                              CASE WHEN g.n <= 5 THEN g.codes
                                   ELSE g.n || ' (' || g.eerste || ', …)' END,
                              '; ' ORDER BY g.volgorde, g.soort)
              FROM (SELECT d->>'soort' AS soort,
                           CASE d->>'actie' WHEN 'create' THEN 'toegevoegd'
                                            WHEN 'update' THEN 'gewijzigd'
                                            ELSE 'verwijderd' END AS wat,
                           CASE d->>'actie' WHEN 'create' THEN 0
                                            WHEN 'update' THEN 1 ELSE 2 END AS volgorde,
                           count(*) AS n,
                           string_agg(d->>'code', ', ' ORDER BY d->>'code') AS codes,
                           array_to_string((array_agg(d->>'code' ORDER BY d->>'code'))[1:3], ', ')
                               AS eerste
                      FROM json_array_elements(diff) d
                     GROUP BY 1, 2, 3) g),
           (SELECT json_build_object(
                       'toegevoegd', count(*) FILTER (WHERE d->>'actie' = 'create'),
                       'gewijzigd', count(*) FILTER (WHERE d->>'actie' = 'update'),
                       'verwijderd', count(*) FILTER (WHERE d->>'actie' = 'destroy'))
              FROM json_array_elements(diff) d)
    RETURNING id INTO nieuw_id;

    INSERT INTO catalogus_wijzigingen (versie, soort, code, actie, oud, nieuw)
    SELECT nieuw_id, d->>'soort', d->>'code', d->>'actie',
           CASE WHEN json_typeof(d->'oud') <> 'null' THEN d->'oud' END,
           CASE WHEN json_typeof(d->'nieuw') <> 'null' THEN d->'nieuw' END
      FROM json_array_elements(diff) WITH ORDINALITY AS x(d, ord)
     ORDER BY x.ord;

    RETURN (SELECT doc FROM api_catalogusversies WHERE id = nieuw_id);
END
$$;

-- --- Writes, shared by the API and the import ------------------------------
-- Each takes a validated document in the API's shape; `p_volgorde` NULL
-- keeps the position of an existing entry and appends a new one.

CREATE FUNCTION catalogus_positie(p_huidig integer, p_volgorde integer, p_max integer)
RETURNS integer LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(p_volgorde, p_huidig, coalesce(p_max + 1, 0))
$$;

CREATE FUNCTION rolfamilie_opslaan(d json, p_volgorde integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO rolfamilies AS f (code, naam, omschrijving, volgorde)
    VALUES (d->>'code', d->>'naam', d->>'omschrijving',
            catalogus_positie((SELECT volgorde FROM rolfamilies WHERE code = d->>'code'),
                              p_volgorde, (SELECT max(volgorde) FROM rolfamilies)))
    ON CONFLICT (code) DO UPDATE
        SET naam = EXCLUDED.naam, omschrijving = EXCLUDED.omschrijving,
            volgorde = EXCLUDED.volgorde, vervallen = false;
END
$$;

CREATE FUNCTION competentie_opslaan(d json, p_volgorde integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO competenties (code, naam, omschrijving, soort, volgorde)
    VALUES (d->>'code', d->>'naam', d->>'omschrijving', d->>'soort',
            catalogus_positie((SELECT volgorde FROM competenties WHERE code = d->>'code'),
                              p_volgorde, (SELECT max(volgorde) FROM competenties)))
    ON CONFLICT (code) DO UPDATE
        SET naam = EXCLUDED.naam, omschrijving = EXCLUDED.omschrijving,
            soort = EXCLUDED.soort, volgorde = EXCLUDED.volgorde, vervallen = false;
END
$$;

CREATE FUNCTION rol_opslaan(d json, p_volgorde integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    c text := d->>'code';
BEGIN
    INSERT INTO rollen (code, naam, familie, omschrijving, kernrol, kernrol_bron, herkomst,
                        richt_fte_minimum, volgorde)
    VALUES (c, d->>'naam', d->>'familie', d->>'omschrijving', (d->>'kernrol')::boolean,
            d->>'kernrolBron', d->>'herkomst', (d->>'richtFteMinimum')::numeric,
            catalogus_positie((SELECT volgorde FROM rollen WHERE code = c),
                              p_volgorde, (SELECT max(volgorde) FROM rollen)))
    ON CONFLICT (code) DO UPDATE
        SET naam = EXCLUDED.naam, familie = EXCLUDED.familie,
            omschrijving = EXCLUDED.omschrijving, kernrol = EXCLUDED.kernrol,
            kernrol_bron = EXCLUDED.kernrol_bron, herkomst = EXCLUDED.herkomst,
            richt_fte_minimum = EXCLUDED.richt_fte_minimum, volgorde = EXCLUDED.volgorde,
            vervallen = false;
    DELETE FROM rol_bronnen WHERE rol = c;
    DELETE FROM rol_synoniemen WHERE rol = c;
    DELETE FROM rol_taken WHERE rol = c;
    DELETE FROM rol_competenties WHERE rol = c;
    INSERT INTO rol_bronnen (rol, bron, volgorde)
    SELECT c, b.v, b.ord - 1
      FROM json_array_elements_text(coalesce(d->'bronnen', '[]')) WITH ORDINALITY AS b(v, ord);
    INSERT INTO rol_synoniemen (rol, volgorde, synoniem)
    SELECT c, s.ord - 1, s.v
      FROM json_array_elements_text(coalesce(d->'synoniemen', '[]')) WITH ORDINALITY AS s(v, ord);
    INSERT INTO rol_taken (rol, volgorde, omschrijving)
    SELECT c, t.ord - 1, t.v
      FROM json_array_elements_text(coalesce(d->'taken', '[]')) WITH ORDINALITY AS t(v, ord);
    INSERT INTO rol_competenties (rol, competentie, niveau, essentieel, volgorde)
    SELECT c, x.v->>'code', (x.v->>'niveau')::smallint, (x.v->>'essentieel')::boolean, x.ord - 1
      FROM json_array_elements(coalesce(d->'competenties', '[]')) WITH ORDINALITY AS x(v, ord);
END
$$;

CREATE FUNCTION succesfactor_opslaan(d json, p_volgorde integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    c text := d->>'code';
BEGIN
    INSERT INTO succesfactoren (code, naam, omschrijving, herkomst, volgorde)
    VALUES (c, d->>'naam', d->>'omschrijving', d->>'herkomst',
            catalogus_positie((SELECT volgorde FROM succesfactoren WHERE code = c),
                              p_volgorde, (SELECT max(volgorde) FROM succesfactoren)))
    ON CONFLICT (code) DO UPDATE
        SET naam = EXCLUDED.naam, omschrijving = EXCLUDED.omschrijving,
            herkomst = EXCLUDED.herkomst, volgorde = EXCLUDED.volgorde;
    DELETE FROM succesfactor_bronnen WHERE succesfactor = c;
    DELETE FROM succesfactor_gemeenten WHERE succesfactor = c;
    INSERT INTO succesfactor_bronnen (succesfactor, bron, volgorde)
    SELECT c, b.v, b.ord - 1
      FROM json_array_elements_text(coalesce(d->'bronnen', '[]')) WITH ORDINALITY AS b(v, ord);
    INSERT INTO succesfactor_gemeenten (succesfactor, gemeente, volgorde)
    SELECT c, g.v, g.ord - 1
      FROM json_array_elements_text(coalesce(d->'voorbeeldgemeenten', '[]'))
           WITH ORDINALITY AS g(v, ord);
END
$$;

CREATE FUNCTION succesverhaal_opslaan(d json) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    g text := d->>'gemeente';
BEGIN
    INSERT INTO succesverhalen (gemeente, titel, samenvatting, organisatie, herkomst)
    VALUES (g, d->>'titel', d->>'samenvatting', d->>'organisatie', d->>'herkomst')
    ON CONFLICT (gemeente) DO UPDATE
        SET titel = EXCLUDED.titel, samenvatting = EXCLUDED.samenvatting,
            organisatie = EXCLUDED.organisatie, herkomst = EXCLUDED.herkomst;
    DELETE FROM succesverhaal_praktijken WHERE gemeente = g;
    DELETE FROM succesverhaal_bronnen WHERE gemeente = g;
    DELETE FROM kengetallen WHERE gemeente = g;
    INSERT INTO succesverhaal_praktijken (gemeente, volgorde, tekst)
    SELECT g, p.ord - 1, p.v
      FROM json_array_elements_text(coalesce(d->'praktijken', '[]')) WITH ORDINALITY AS p(v, ord);
    INSERT INTO succesverhaal_bronnen (gemeente, bron, volgorde)
    SELECT g, b.v, b.ord - 1
      FROM json_array_elements_text(coalesce(d->'bronnen', '[]')) WITH ORDINALITY AS b(v, ord);
    INSERT INTO kengetallen (gemeente, volgorde, code, naam, waarde, eenheid, jaar, herkomst,
                             bron, opmerking)
    SELECT g, k.ord - 1, k.v->>'code', k.v->>'naam', (k.v->>'waarde')::numeric, k.v->>'eenheid',
           k.v->>'jaar', k.v->>'herkomst', k.v->>'bron', k.v->>'opmerking'
      FROM json_array_elements(coalesce(d->'kengetallen', '[]')) WITH ORDINALITY AS k(v, ord);
END
$$;

CREATE FUNCTION niveau_opslaan(d json) RETURNS void LANGUAGE sql AS $$
    UPDATE niveaus SET code = d->>'code', naam = d->>'naam', omschrijving = d->>'omschrijving'
     WHERE niveau = (d->>'niveau')::smallint
$$;

-- What still refers to a catalogue entry, as {"teamprofielen": n,
-- "rollen": [codes of current roles]}: an entry in use cannot be deleted.
CREATE FUNCTION catalogus_gebruik(p_soort text, p_code text) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'teamprofielen', CASE p_soort
            WHEN 'rol' THEN (SELECT count(DISTINCT profiel) FROM teamlid_rollen WHERE rol = p_code)
            WHEN 'competentie' THEN (SELECT count(DISTINCT profiel) FROM teamlid_competenties
                                      WHERE competentie = p_code)
            ELSE 0 END,
        'rollen', coalesce(CASE p_soort
            WHEN 'competentie' THEN (SELECT json_agg(r.code ORDER BY r.volgorde)
                                       FROM rol_competenties rc JOIN rollen r ON r.code = rc.rol
                                      WHERE rc.competentie = p_code AND NOT r.vervallen)
            WHEN 'rolfamilie' THEN (SELECT json_agg(r.code ORDER BY r.volgorde) FROM rollen r
                                     WHERE r.familie = p_code AND NOT r.vervallen)
            END, '[]'::json))
$$;

-- Takes roles, competencies or families out of the catalogue: deleted when
-- nothing refers to them any more, else marked vervallen. `codes` is a
-- JSON array; returns how many were marked vervallen.
CREATE FUNCTION catalogus_uitfaseren(p_soort text, codes json) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    weg text[] := ARRAY(SELECT json_array_elements_text(codes));
    n integer;
BEGIN
    IF p_soort = 'rol' THEN
        DELETE FROM rollen r WHERE r.code = ANY (weg)
           AND NOT EXISTS (SELECT 1 FROM teamlid_rollen t WHERE t.rol = r.code);
        UPDATE rollen SET vervallen = true WHERE code = ANY (weg);
    ELSIF p_soort = 'competentie' THEN
        DELETE FROM competenties c WHERE c.code = ANY (weg)
           AND NOT EXISTS (SELECT 1 FROM teamlid_competenties t WHERE t.competentie = c.code)
           AND NOT EXISTS (SELECT 1 FROM rol_competenties rc WHERE rc.competentie = c.code);
        UPDATE competenties SET vervallen = true WHERE code = ANY (weg);
    ELSIF p_soort = 'rolfamilie' THEN
        DELETE FROM rolfamilies f WHERE f.code = ANY (weg)
           AND NOT EXISTS (SELECT 1 FROM rollen r WHERE r.familie = f.code);
        UPDATE rolfamilies SET vervallen = true WHERE code = ANY (weg);
    ELSE
        RAISE EXCEPTION 'unknown catalogue kind %', p_soort;
    END IF;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

-- Retired entries keep positions after every current one, in their old
-- order, so that positions stay unique.
CREATE FUNCTION catalogus_hernummer_vervallen() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE rollen r SET volgorde = x.pos
      FROM (SELECT code, (SELECT count(*) FROM rollen WHERE NOT vervallen)
                         + row_number() OVER (ORDER BY volgorde) - 1 AS pos
              FROM rollen WHERE vervallen) x
     WHERE r.code = x.code;
    UPDATE competenties c SET volgorde = x.pos
      FROM (SELECT code, (SELECT count(*) FROM competenties WHERE NOT vervallen)
                         + row_number() OVER (ORDER BY volgorde) - 1 AS pos
              FROM competenties WHERE vervallen) x
     WHERE c.code = x.code;
    UPDATE rolfamilies f SET volgorde = x.pos
      FROM (SELECT code, (SELECT count(*) FROM rolfamilies WHERE NOT vervallen)
                         + row_number() OVER (ORDER BY volgorde) - 1 AS pos
              FROM rolfamilies WHERE vervallen) x
     WHERE f.code = x.code;
END
$$;
