-- What a benchmark reads of a team profile, kept beside it: the sum of its
-- members' fte, and per role the sum of its shares (each role once).
-- Computing these from teamleden and teamlid_rollen for every
-- municipality at once takes seconds at 100 000 profiles; read from here
-- it is one short row per profile. Derived data only: triggers keep it
-- equal to the member tables, whoever writes them (API, import, seed, SQL);
-- for a profile written with triggers off (session_replication_role =
-- replica) there is no row, and the reader computes its totals with
-- bezetting_totalen instead.
--
-- The sums are float8 additions in member order, then share order: the
-- additions the gap analysis makes with the members in hand, in the same
-- order, so that a benchmark's figures equal those of the profile's own
-- analysis to the last bit (numeric to float8 rounds as a JSON reader does).

CREATE TABLE teamprofiel_bezetting (
    profiel uuid PRIMARY KEY REFERENCES teamprofielen (uuid) ON DELETE CASCADE,
    -- "<total fte> <rol> <fte> <rol> <fte> ...": the roles by code, each
    -- once, the numbers as float8 text. Role codes are kebab-case (no
    -- spaces), so the service splits it on spaces: cheaper at 100 000
    -- profiles than reading a JSON document per profile.
    totalen text NOT NULL
);

-- The totals of those of `profielen` that exist, computed from the member
-- tables. Reals are written in their shortest exact form whatever the
-- session's setting.
CREATE FUNCTION bezetting_totalen(profielen uuid[]) RETURNS TABLE (profiel uuid, totalen text)
LANGUAGE sql STABLE SET extra_float_digits = 1 AS $$
    WITH x AS (SELECT DISTINCT p.uuid
                 FROM unnest(profielen) AS u(uuid) JOIN teamprofielen p ON p.uuid = u.uuid),
         t AS (SELECT l.profiel, sum(l.fte::float8 ORDER BY l.volgnummer) AS totaal
                 FROM teamleden l JOIN x ON x.uuid = l.profiel
                GROUP BY l.profiel),
         r AS (SELECT lr.profiel, lr.rol,
                      sum(lr.aandeel::float8 ORDER BY lr.volgnummer, lr.volgorde) AS fte
                 FROM teamlid_rollen lr JOIN x ON x.uuid = lr.profiel
                GROUP BY lr.profiel, lr.rol),
         rr AS (SELECT r.profiel,
                       string_agg(r.rol || ' ' || r.fte::text, ' ' ORDER BY r.rol COLLATE "C")
                         AS rollen
                  FROM r GROUP BY r.profiel)
    SELECT x.uuid, concat_ws(' ', coalesce(t.totaal, 0::float8)::text, rr.rollen)
      FROM x LEFT JOIN t ON t.profiel = x.uuid LEFT JOIN rr ON rr.profiel = x.uuid;
$$;

-- Recomputes the rows of `profielen` that still exist: a profile deleted
-- in the same transaction has none (its row went with it).
CREATE FUNCTION bezetting_bijwerken(profielen uuid[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO teamprofiel_bezetting (profiel, totalen)
    SELECT t.profiel, t.totalen FROM bezetting_totalen(profielen) AS t
    ON CONFLICT (profiel) DO UPDATE SET totalen = EXCLUDED.totalen;
$$;

-- After each statement on the member tables, once for the profiles it
-- touched. A share deleted because its member was (ON DELETE CASCADE runs
-- one statement per member) is left to the member table's trigger, which
-- fires once after all of them.
CREATE FUNCTION bezetting_na_leden() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bezetting_bijwerken(ARRAY(SELECT DISTINCT profiel FROM veranderd));
    RETURN NULL;
END
$$;

CREATE FUNCTION bezetting_na_rollen() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    profielen uuid[];
BEGIN
    profielen := ARRAY(SELECT DISTINCT v.profiel FROM veranderd v
                         JOIN teamleden l ON l.profiel = v.profiel
                                         AND l.volgnummer = v.volgnummer);
    IF cardinality(profielen) > 0 THEN
        PERFORM bezetting_bijwerken(profielen);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION bezetting_na_legen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bezetting_bijwerken(ARRAY(SELECT uuid FROM teamprofielen));
    RETURN NULL;
END
$$;

-- A profile without members has a row too: a total of 0, no roles.
CREATE FUNCTION bezetting_na_profiel() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO teamprofiel_bezetting (profiel, totalen)
    SELECT n.uuid, '0' FROM veranderd n
    ON CONFLICT (profiel) DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER teamprofielen_bezetting AFTER INSERT ON teamprofielen
    REFERENCING NEW TABLE AS veranderd FOR EACH STATEMENT EXECUTE FUNCTION bezetting_na_profiel();

-- Per member table: each kind of statement with the rows it changed (an
-- UPDATE twice, old rows and new, as a statement trigger names one table).
DO $$
DECLARE
    t text;
    f text;
BEGIN
    FOREACH t IN ARRAY ARRAY['teamleden', 'teamlid_rollen'] LOOP
        f := CASE t WHEN 'teamleden' THEN 'bezetting_na_leden' ELSE 'bezetting_na_rollen' END;
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS veranderd'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION %I()', t || '_bezetting_insert', t, f);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS veranderd'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION %I()', t || '_bezetting_update_oud', t, f);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS veranderd'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION %I()', t || '_bezetting_update_nieuw', t, f);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS veranderd'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION %I()', t || '_bezetting_delete', t, f);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION bezetting_na_legen()', t || '_bezetting_truncate', t);
    END LOOP;
END
$$;

SELECT bezetting_bijwerken(ARRAY(SELECT uuid FROM teamprofielen));
