-- bench/sql/demo-members.sql: the members, shares and levels of the demo
-- profiles listed in the temporary table demo_p (uuid, gemeente, peildatum,
-- seed: the text their members' choices are hashed from,
-- n members), and the profiles themselves. Included by demo-profiles.sql and
-- history-profiles.sql inside their transaction; see demo-profiles.sql for
-- how the choices are made.

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
               hashtext(p.seed || ':' || s.i)::bigint & 2147483647 AS h,
               (SELECT count(*) FROM demo_rollen) AS nr
          FROM demo_p p CROSS JOIN LATERAL generate_series(0, p.n - 1) AS s(i)) m
 ORDER BY profiel, volgnummer;

INSERT INTO teamprofielen (uuid, gemeente, peildatum, herkomst, toelichting)
SELECT uuid, gemeente, peildatum, 'demo',
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

