-- Read models for the public API: one row per resource with the JSON
-- document the API returns (field names as in DESIGN.md), plus the columns
-- the filters and the ordering need. Repos select from these views, so the
-- shape of a resource is defined once, here.

CREATE VIEW api_rolfamilies AS
SELECT f.code, f.volgorde,
       json_build_object(
         'code', f.code,
         'naam', f.naam,
         'omschrijving', f.omschrijving,
         'rollen', coalesce((SELECT json_agg(r.code ORDER BY r.volgorde)
                               FROM rollen r WHERE r.familie = f.code), '[]'::json)
       ) AS doc
  FROM rolfamilies f;

CREATE VIEW api_rollen AS
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
  FROM rollen r;

CREATE VIEW api_competenties AS
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
                              WHERE rc.competentie = c.code), '[]'::json)
       ) AS doc
  FROM competenties c;

CREATE VIEW api_succesfactoren AS
SELECT f.code, f.volgorde,
       json_build_object(
         'code', f.code,
         'naam', f.naam,
         'omschrijving', f.omschrijving,
         'herkomst', f.herkomst,
         'bronnen', coalesce((SELECT json_agg(b.bron ORDER BY b.volgorde)
                                FROM succesfactor_bronnen b
                               WHERE b.succesfactor = f.code), '[]'::json),
         'voorbeeldgemeenten', coalesce((SELECT json_agg(g.gemeente ORDER BY g.volgorde)
                                           FROM succesfactor_gemeenten g
                                          WHERE g.succesfactor = f.code), '[]'::json)
       ) AS doc
  FROM succesfactoren f;

CREATE VIEW api_gemeenten AS
SELECT g.code, g.provincie, g.grootteklasse, g.referentie,
       lower(unaccent(g.code || ' ' || g.naam)) AS zoektekst,
       json_build_object(
         'code', g.code,
         'naam', g.naam,
         'provincie', g.provincie,
         'inwoners', g.inwoners,
         'peildatum', g.peildatum,
         'grootteklasse', g.grootteklasse,
         'referentie', g.referentie,
         'herkomst', g.herkomst,
         'bronnen', coalesce((SELECT json_agg(b.bron ORDER BY b.volgorde)
                                FROM gemeente_bronnen b WHERE b.gemeente = g.code), '[]'::json)
       ) AS doc
  FROM gemeenten g;

CREATE VIEW api_succesverhalen AS
SELECT s.gemeente,
       json_build_object(
         'gemeente', s.gemeente,
         'naam', g.naam,
         'titel', s.titel,
         'samenvatting', s.samenvatting,
         'praktijken', coalesce((SELECT json_agg(p.tekst ORDER BY p.volgorde)
                                   FROM succesverhaal_praktijken p
                                  WHERE p.gemeente = s.gemeente), '[]'::json),
         'organisatie', s.organisatie,
         'herkomst', s.herkomst,
         'bronnen', coalesce((SELECT json_agg(b.bron ORDER BY b.volgorde)
                                FROM succesverhaal_bronnen b
                               WHERE b.gemeente = s.gemeente), '[]'::json),
         'kengetallen', coalesce((SELECT json_agg(json_build_object(
                                           'code', k.code,
                                           'naam', k.naam,
                                           'waarde', k.waarde,
                                           'eenheid', k.eenheid,
                                           'jaar', k.jaar,
                                           'herkomst', k.herkomst,
                                           'bron', k.bron,
                                           'opmerking', k.opmerking) ORDER BY k.volgorde)
                                    FROM kengetallen k
                                   WHERE k.gemeente = s.gemeente), '[]'::json)
       ) AS doc
  FROM succesverhalen s
  JOIN gemeenten g ON g.code = s.gemeente;

CREATE VIEW api_bronnen AS
SELECT b.id,
       json_build_object(
         'id', b.id,
         'url', b.url,
         'titel', b.titel,
         'uitgever', b.uitgever,
         'jaar', b.jaar,
         'soort', b.soort
       ) AS doc
  FROM bronnen b;

CREATE VIEW api_teamprofielen AS
SELECT p.uuid, p.gemeente, p.peildatum, p.referentie,
       json_build_object(
         'uuid', p.uuid,
         'gemeente', p.gemeente,
         'peildatum', p.peildatum,
         'herkomst', p.herkomst,
         'referentie', p.referentie,
         'toelichting', p.toelichting,
         'bronnen', coalesce((SELECT json_agg(b.bron ORDER BY b.volgorde)
                                FROM teamprofiel_bronnen b WHERE b.profiel = p.uuid), '[]'::json),
         'totaalFte', coalesce((SELECT sum(l.fte) FROM teamleden l WHERE l.profiel = p.uuid), 0),
         'leden', coalesce((SELECT json_agg(json_build_object(
                                     'label', l.label,
                                     'fte', l.fte,
                                     'rollen', coalesce((SELECT json_agg(json_build_object(
                                                                  'rol', lr.rol,
                                                                  'aandeel', lr.aandeel)
                                                                ORDER BY lr.volgorde)
                                                           FROM teamlid_rollen lr
                                                          WHERE lr.profiel = l.profiel
                                                            AND lr.volgnummer = l.volgnummer),
                                                        '[]'::json),
                                     'competenties', coalesce((SELECT json_agg(json_build_object(
                                                                        'code', lc.competentie,
                                                                        'niveau', lc.niveau)
                                                                      ORDER BY lc.volgorde)
                                                                 FROM teamlid_competenties lc
                                                                WHERE lc.profiel = l.profiel
                                                                  AND lc.volgnummer = l.volgnummer),
                                                              '[]'::json)
                                   ) ORDER BY l.volgnummer)
                              FROM teamleden l WHERE l.profiel = p.uuid), '[]'::json)
       ) AS doc
  FROM teamprofielen p;
