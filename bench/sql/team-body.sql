-- bench/sql/team-body.sql: the body of POST /api/v1/gap-analyses for the
-- load test: a team of :members members for :gemeente, built from the
-- catalogue so that it is always valid. Each member holds one or two roles
-- (shares summing to its fte) and up to four of the competencies its first
-- role requires. 20 members come to about 6 KB.
--
-- Run with: psql -X -At -v members=20 -v gemeente=GM0772 -f bench/sql/team-body.sql
WITH r AS (SELECT row_number() OVER (ORDER BY volgorde)::int - 1 AS idx, code FROM rollen),
     nr AS (SELECT count(*)::int AS n FROM r),
     m AS (SELECT i, (5 + (i * 3) % 8)::numeric / 10 AS fte,
                  i % nr.n AS r1, (i + 7) % nr.n AS r2, i % 3 <> 0 AS two
             FROM generate_series(0, :members - 1) AS s(i), nr)
SELECT json_build_object(
  'gemeente', :'gemeente',
  'peildatum', '2026-01-01',
  'leden', json_agg(json_build_object(
    'label', format('Teamlid %s (%s)', m.i + 1, r1.code),
    'fte', m.fte::float8,
    'rollen', CASE WHEN m.two
      THEN json_build_array(json_build_object('rol', r1.code, 'aandeel', round(m.fte * 0.6, 2)::float8),
                            json_build_object('rol', r2.code, 'aandeel', (m.fte - round(m.fte * 0.6, 2))::float8))
      ELSE json_build_array(json_build_object('rol', r1.code, 'aandeel', m.fte::float8)) END,
    'competenties', (SELECT coalesce(json_agg(json_build_object(
                              'code', rc.competentie, 'niveau', 1 + (m.i + rc.volgorde) % 4)
                              ORDER BY rc.volgorde), '[]'::json)
                       FROM (SELECT competentie, volgorde FROM rol_competenties
                              WHERE rol = r1.code ORDER BY volgorde LIMIT 4) rc)
  ) ORDER BY m.i))
  FROM m JOIN r r1 ON r1.idx = m.r1 JOIN r r2 ON r2.idx = m.r2;
