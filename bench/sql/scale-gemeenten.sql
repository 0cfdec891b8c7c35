-- bench/sql/scale-gemeenten.sql: :n synthetic municipalities (herkomst
-- 'demo'), for the scale mode of bench/run.sh. ONLY for the benchmark's own
-- throwaway database: it relaxes the CBS code check of gemeenten.code from
-- ^GM[0-9]{4}$ (at most 10 000 codes) to ^GM[0-9]{4,6}$, so that codes
-- GM100000, GM100001, ... fit. Run bench/sql/demo-profiles.sql afterwards
-- to give each one a profile.
--
-- Their sizes follow the real distribution: each takes the inhabitants of
-- a real municipality (picked by a hash of its code) times 0.85-1.15, so
-- the CBS size classes hold about the same shares as among the 355.
--
-- Run with: psql -v ON_ERROR_STOP=1 -v n=100000 -f bench/sql/scale-gemeenten.sql
\set QUIET on
SET client_min_messages = warning;
BEGIN;

CREATE FUNCTION pg_temp.h01(text) RETURNS float8 LANGUAGE sql IMMUTABLE AS
  $$ SELECT (hashtext($1)::bigint & 2147483647) / 2147483648.0 $$;

ALTER TABLE gemeenten DROP CONSTRAINT IF EXISTS gemeenten_code_check;
ALTER TABLE gemeenten DROP CONSTRAINT IF EXISTS gemeenten_code_bench_check;
ALTER TABLE gemeenten ADD CONSTRAINT gemeenten_code_bench_check
  CHECK (code ~ '^GM[0-9]{4,6}$');

CREATE TEMP TABLE real_sizes ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY code)::int - 1 AS idx, inwoners
  FROM gemeenten WHERE herkomst <> 'demo';

INSERT INTO gemeenten (code, naam, provincie, inwoners, peildatum, herkomst)
SELECT s.code,
       'Demogemeente ' || s.i,
       (ARRAY['Groningen', 'Friesland', 'Drenthe', 'Overijssel', 'Flevoland', 'Gelderland',
              'Utrecht', 'Noord-Holland', 'Zuid-Holland', 'Zeeland', 'Noord-Brabant',
              'Limburg'])[1 + s.i % 12],
       greatest(500, round(r.inwoners * (0.85 + 0.3 * pg_temp.h01(s.code || ':inw'))))::int,
       DATE '2020-01-01', 'demo'
  FROM (SELECT i, 'GM' || (100000 + i) AS code FROM generate_series(0, :n - 1) AS g(i)) s
  JOIN real_sizes r
    ON r.idx = floor(pg_temp.h01(s.code || ':src') * (SELECT count(*) FROM real_sizes))::int
ON CONFLICT (code) DO NOTHING;

COMMIT;
ANALYZE gemeenten;
