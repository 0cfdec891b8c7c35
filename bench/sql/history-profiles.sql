-- bench/sql/history-profiles.sql: :n more demo profiles (herkomst 'demo')
-- for municipality :gemeente, one a month back from 2025-01-01, for the
-- development of one municipality over time. Deterministic, like
-- demo-profiles.sql, whose members these are made the same way.
--
-- Run with: psql -v ON_ERROR_STOP=1 -v gemeente=GM0363 -v n=50 -f bench/sql/history-profiles.sql
\set QUIET on
BEGIN;
SET LOCAL session_replication_role = replica;

CREATE TEMP TABLE demo_rollen ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY volgorde)::int - 1 AS idx, code FROM rollen;

-- The team grows by a member every half year, from 4.
CREATE TEMP TABLE demo_p ON COMMIT DROP AS
SELECT md5('teamplotter-bench-history:' || g.code || ':' || k)::uuid AS uuid, g.code AS gemeente,
       (DATE '2025-01-01' - make_interval(months => k + 1))::date AS peildatum,
       g.code || '#' || k AS seed, greatest(4, 4 + (:n - k) / 6) AS n
  FROM gemeenten g CROSS JOIN generate_series(0, :n - 1) AS s(k)
 WHERE g.code = :'gemeente'
   AND NOT EXISTS (SELECT 1 FROM teamprofielen t
                    WHERE t.uuid = md5('teamplotter-bench-history:' || g.code || ':' || k)::uuid);

\ir demo-members.sql

COMMIT;
ANALYZE teamprofielen;
ANALYZE teamleden;
ANALYZE teamlid_rollen;
ANALYZE teamlid_competenties;
ANALYZE teamprofiel_bezetting;
