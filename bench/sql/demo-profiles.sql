-- bench/sql/demo-profiles.sql: one synthetic team profile (herkomst 'demo')
-- for every municipality that has none yet. Benchmark data only: never part
-- of the seed, never run against a real database.
--
-- Deterministic: every "random" choice comes from a hash of the
-- municipality code and member number, so two runs on the same
-- municipalities produce the same profiles (and the same profile uuids).
-- Valid by construction, as the API would accept it: known role and
-- competency codes from the catalogue, 0.5 <= fte <= 1.2, role shares
-- summing exactly to fte, levels 1-4, unique labels.
--
-- The foreign-key triggers are skipped (session_replication_role =
-- replica, superuser only): they would double the time for the 100 000
-- municipalities of the scale mode and can find nothing here. That also
-- skips the snapshot triggers, which fire only for reference profiles, and
-- those that keep teamprofiel_bezetting: its rows are made at the end, at
-- once for all new profiles.
--
-- Run with: psql -v ON_ERROR_STOP=1 -f bench/sql/demo-profiles.sql
\set QUIET on
BEGIN;
SET LOCAL session_replication_role = replica;

CREATE TEMP TABLE demo_rollen ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY volgorde)::int - 1 AS idx, code FROM rollen;

-- Team size grows with the municipality: about 3 + inhabitants / 15 000
-- members (the seven reference teams: 6 members at 23 000 inhabitants, 25
-- at 358 000), +-30 %, between 2 and 60.
CREATE TEMP TABLE demo_p ON COMMIT DROP AS
SELECT md5('teamplotter-bench:' || g.code)::uuid AS uuid, g.code AS gemeente,
       greatest(2, least(60, round((3 + g.inwoners / 15000.0)
         * (0.7 + 0.6 * (hashtext(g.code)::bigint & 1023) / 1024.0))))::int AS n
  FROM gemeenten g
 WHERE NOT EXISTS (SELECT 1 FROM teamprofielen t
                    WHERE t.gemeente = g.code AND t.herkomst = 'demo');

-- One 31-bit hash per member, cut into its choices.
CREATE TEMP TABLE demo_l ON COMMIT DROP AS
SELECT profiel, volgnummer, label,
       round((5 + h % 8)::numeric / 10, 1) AS fte, -- 0.5 .. 1.2 fte
       ((h >> 3) % nr)::int AS r1,                -- first role
       (h >> 8) % 10 < 4 AS two,                  -- 40 % hold a second role
       ((h >> 12) % (nr - 1))::int AS r2off,      -- which one
       (1 + (h >> 17) % 3)::int AS ncomp,         -- 1-3 competencies
       h >> 20 AS lv                              -- their levels, 2 bits each
  FROM (SELECT p.uuid AS profiel, s.i AS volgnummer, 'Demo-lid ' || (s.i + 1) AS label,
               hashtext(p.gemeente || ':' || s.i)::bigint & 2147483647 AS h,
               (SELECT count(*) FROM demo_rollen) AS nr
          FROM demo_p p CROSS JOIN LATERAL generate_series(0, p.n - 1) AS s(i)) m
 ORDER BY profiel, volgnummer;

INSERT INTO teamprofielen (uuid, gemeente, peildatum, herkomst, toelichting)
SELECT uuid, gemeente, DATE '2025-01-01', 'demo',
       'Synthetisch profiel van bench/ (demo); geen echte gegevens.'
  FROM demo_p ORDER BY uuid;

INSERT INTO teamleden (profiel, volgnummer, label, fte)
SELECT profiel, volgnummer, label, fte FROM demo_l;

-- One role with the whole fte, or two different roles sharing it 60/40.
INSERT INTO teamlid_rollen (profiel, volgnummer, rol, aandeel, volgorde)
SELECT l.profiel, l.volgnummer, r.code,
       CASE WHEN l.two THEN round(l.fte * 0.6, 2) ELSE l.fte END, 0
  FROM demo_l l JOIN demo_rollen r ON r.idx = l.r1
UNION ALL
SELECT l.profiel, l.volgnummer, r.code, l.fte - round(l.fte * 0.6, 2), 1
  FROM demo_l l
  JOIN demo_rollen r ON r.idx = (l.r1 + 1 + l.r2off) % (SELECT count(*) FROM demo_rollen)
 WHERE l.two;

-- The first 1-3 competencies the catalogue requires for the member's first
-- role, each at a level of 1-4.
INSERT INTO teamlid_competenties (profiel, volgnummer, competentie, niveau, volgorde)
SELECT l.profiel, l.volgnummer, rc.competentie, 1 + ((l.lv >> (2 * rc.k)) & 3), rc.k
  FROM demo_l l
  JOIN demo_rollen r ON r.idx = l.r1
  JOIN LATERAL (SELECT competentie, (row_number() OVER (ORDER BY volgorde) - 1)::int AS k
                  FROM rol_competenties WHERE rol = r.code
                 ORDER BY volgorde LIMIT l.ncomp) rc ON true;

-- (\gset: the function's empty result is not printed)
SELECT bezetting_bijwerken(ARRAY(SELECT uuid FROM demo_p)) \gset

COMMIT;
ANALYZE teamprofielen;
ANALYZE teamleden;
ANALYZE teamlid_rollen;
ANALYZE teamlid_competenties;
ANALYZE teamprofiel_bezetting;
