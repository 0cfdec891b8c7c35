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
       DATE '2025-01-01' AS peildatum, g.code AS seed,
       greatest(2, least(60, round((3 + g.inwoners / 15000.0)
         * (0.7 + 0.6 * (hashtext(g.code)::bigint & 1023) / 1024.0))))::int AS n
  FROM gemeenten g
 WHERE NOT EXISTS (SELECT 1 FROM teamprofielen t
                    WHERE t.gemeente = g.code AND t.herkomst = 'demo');

\ir demo-members.sql

COMMIT;
ANALYZE teamprofielen;
ANALYZE teamleden;
ANALYZE teamlid_rollen;
ANALYZE teamlid_competenties;
ANALYZE teamprofiel_bezetting;
