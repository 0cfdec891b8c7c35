// A municipal front-end as a typed client of the Teamplotter API: types generated from
// openapi/openapi.yaml by openapi-typescript (./api.d.ts), requests by openapi-fetch, checked with
// `tsc --strict`. It lists the core roles, looks up its municipality, runs a gap analysis and
// reads its statuses, stores its own team profile with a token, replaces it (If-Match, and 428
// and 412 when that is missing or stale), reads the profile's analysis and chart and its own
// benchmark, and deletes the profile again. `run` returns one line per step and throws on the
// first answer that is not what the spec promises.
import createClient from 'openapi-fetch';

import type { components, paths } from './api.js';

type Schemas = components['schemas'];

// The media types a client picks from each answer: JSON (errors are problem+json), or the chart.
type Json = 'application/json' | 'application/problem+json';
type Svg = 'image/svg+xml' | 'application/problem+json';

function expect(ok: boolean, what: string): asserts ok {
  if (!ok) throw new Error(what);
}

export async function run(baseUrl: string, token: string, gemeente: string): Promise<string[]> {
  const api = createClient<paths, Json>({ baseUrl });
  const charts = createClient<paths, Svg>({ baseUrl });
  const auth = { Authorization: `Bearer ${token}` };
  const steps: string[] = [];

  // The root, where the spec puts it: the server URL plus "/".
  const root = await api.GET('/');
  expect(root.data !== undefined, `GET / gave ${root.response.status}`);
  const catalogus: string = root.data.catalogusVersie;
  steps.push(`root ${root.response.url}: API ${root.data.apiVersie}, catalogue ${catalogus}`);

  // The core roles, with where the choice comes from (a Herkomst, or null).
  const kern = await api.GET('/rollen', { params: { query: { kernrol: true, pageSize: 100 } } });
  expect(kern.data !== undefined, `GET /rollen?kernrol=true gave ${kern.response.status}`);
  const bronnen: (Schemas['Herkomst'] | null)[] = kern.data.results.map((r) => r.kernrolBron);
  expect(kern.data.results.every((r) => r.kernrol) && bronnen.every((b) => b !== null),
    'a core role without kernrol or kernrolBron');
  steps.push(`core roles: ${kern.data.results.map((r) => r.naam).join(', ')}`);

  // Its municipality, found by name and read by code.
  const gevonden = await api.GET('/gemeenten', { params: { query: { zoek: 'tilburg' } } });
  expect(gevonden.data !== undefined, `GET /gemeenten?zoek=tilburg gave ${gevonden.response.status}`);
  const code = gevonden.data.results.find((g) => g.code === gemeente)?.code;
  expect(code !== undefined, `${gemeente} is not found by zoek=tilburg`);
  const detail = await api.GET('/gemeenten/{code}', { params: { path: { code } } });
  expect(detail.data !== undefined, `GET /gemeenten/${code} gave ${detail.response.status}`);
  const inwoners: number = detail.data.inwoners;
  steps.push(`municipality ${detail.data.naam} (${code}): ${inwoners} inhabitants`);

  // An anonymous analysis of a team, and a what-if for the same team.
  const leden: Schemas['TeamlidInvoer'][] = [
    {
      label: 'Webredactie 1',
      fte: 0.8,
      rollen: [{ rol: 'webredacteur', aandeel: 0.6 }, { rol: 'webcare-medewerker', aandeel: 0.2 }],
      competenties: [{ code: 'schrijven-voor-het-web', niveau: 3 }],
    },
  ];
  const analyse = await api.POST('/gap-analyses', { body: { gemeente: code, leden } });
  expect(analyse.data !== undefined, `POST /gap-analyses gave ${analyse.response.status}`);
  const statussen = new Map<Schemas['GapAnalyseRol']['status'], number>();
  for (const rol of analyse.data.rollen) statussen.set(rol.status, (statussen.get(rol.status) ?? 0) + 1);
  expect((statussen.get('ontbreekt') ?? 0) > 0, 'a one-member team misses no role');
  steps.push(`analysis: ${[...statussen].map(([s, n]) => `${n} ${s}`).join(', ')}; missing core roles ` +
    `${analyse.data.samenvatting.ontbrekendeKernrollen.join(', ')}`);
  // The analysis names the reference set it used: the current one of /referentieversies.
  const referentieVersie: string = analyse.data.referentieVersie;
  const versies = await api.GET('/referentieversies', { params: { query: { pageSize: 1 } } });
  const nieuwste = versies.data?.results[0];
  expect(nieuwste !== undefined && nieuwste.versie === referentieVersie && nieuwste.huidig,
    `the analysis names reference set ${referentieVersie}, /referentieversies ${nieuwste?.versie}`);
  steps.push(`reference set ${referentieVersie} (${nieuwste.aantallen.profielen} profiles), ` +
    `catalogue ${analyse.data.catalogusVersie}`);
  const watAls = await api.POST('/gap-analyses', { body: { inwoners, leden } });
  expect(watAls.data !== undefined && watAls.data.gemeente === null,
    `POST /gap-analyses (inwoners) gave ${watAls.response.status}`);
  steps.push(`what-if for ${inwoners} inhabitants: expected ${watAls.data.samenvatting.verwachtFte} fte`);

  // Its own profile: stored with the token, then replaced with the ETag it got.
  const profiel: Schemas['TeamprofielInvoer'] = { gemeente: code, peildatum: '2026-01-01', leden };
  const opgeslagen = await api.POST('/teamprofielen', {
    body: profiel,
    params: { header: { 'X-Audit-Toelichting': 'Eerste opgave via de getypeerde client.' } },
    headers: auth,
  });
  expect(opgeslagen.data !== undefined && opgeslagen.response.status === 201,
    `POST /teamprofielen gave ${opgeslagen.response.status}`);
  const uuid: string = opgeslagen.data.uuid;
  const etag = opgeslagen.response.headers.get('ETag');
  expect(etag !== null, 'POST /teamprofielen gave no ETag');
  steps.push(`profile ${uuid} stored (${opgeslagen.response.headers.get('Location')})`);

  const voltijds: Schemas['TeamprofielInvoer'] = {
    ...profiel,
    toelichting: 'Webredactie 1 werkt voortaan voltijds.',
    leden: [{ ...leden[0], fte: 1.0, rollen: [{ rol: 'webredacteur', aandeel: 0.8 }, { rol: 'webcare-medewerker', aandeel: 0.2 }] }],
  };
  const pad = { path: { uuid } };
  const zonder = await api.PUT('/teamprofielen/{uuid}', { params: pad, body: voltijds, headers: auth });
  expect(zonder.error?.code === 'precondition-required' && zonder.response.status === 428,
    `PUT without If-Match gave ${zonder.response.status}`);
  const verouderd = await api.PUT('/teamprofielen/{uuid}', {
    params: { ...pad, header: { 'If-Match': '"00000000000000000000000000000000"' } },
    body: voltijds,
    headers: auth,
  });
  expect(verouderd.error?.code === 'precondition-failed' && verouderd.response.status === 412,
    `PUT with a stale If-Match gave ${verouderd.response.status}`);
  const vervangen = await api.PUT('/teamprofielen/{uuid}', {
    params: { ...pad, header: { 'If-Match': etag } },
    body: voltijds,
    headers: auth,
  });
  expect(vervangen.data !== undefined, `PUT with its ETag gave ${vervangen.response.status}`);
  const totaal: number = vervangen.data.totaalFte;
  const nieuweEtag = vervangen.response.headers.get('ETag');
  expect(nieuweEtag !== null && nieuweEtag !== etag, 'PUT gave no new ETag');
  steps.push(`profile replaced: ${totaal} fte; 428 without If-Match, 412 with a stale one`);

  // The analysis of the stored profile, as JSON and as the chart: two media types of one 200.
  const json = await api.GET('/teamprofielen/{uuid}/gap-analyse', { params: pad, headers: auth });
  expect(json.data !== undefined, `GET gap-analyse gave ${json.response.status}`);
  const capaciteit: number | null = json.data.samenvatting.capaciteit;
  const grafiek = await charts.GET('/teamprofielen/{uuid}/gap-analyse', {
    params: pad,
    headers: { ...auth, Accept: 'image/svg+xml' },
    parseAs: 'text',
  });
  expect(grafiek.data !== undefined, `GET gap-analyse (SVG) gave ${grafiek.response.status}`);
  const svg: string = grafiek.data;
  expect(grafiek.response.headers.get('Content-Type')?.startsWith('image/svg+xml') === true &&
    svg.startsWith('<?xml') && svg.includes('<svg'), 'the chart is not an SVG document');
  steps.push(`analysis of the profile: capacity ${capaciteit}; chart ${svg.length} bytes of SVG`);

  // Its own benchmark: a municipality's own client sees bands, not ranks.
  const benchmark = await api.GET('/gemeenten/{code}/benchmark', { params: { path: { code } }, headers: auth });
  expect(benchmark.data !== undefined, `GET benchmark gave ${benchmark.response.status}`);
  const weergave: 'exact' | 'band' = benchmark.data.positie.weergave;
  expect(weergave === 'band', `the own client sees weergave ${weergave}`);
  steps.push(`benchmark: ${benchmark.data.totaalFte} fte, view ${weergave}, ` +
    `fte/10 000 band ${benchmark.data.positie.ftePer10000Band ?? 'none'}`);

  // And gone again.
  const weg = await api.DELETE('/teamprofielen/{uuid}', {
    params: { ...pad, header: { 'If-Match': nieuweEtag } },
    headers: auth,
  });
  expect(weg.response.status === 204, `DELETE gave ${weg.response.status}`);
  const nogDaar = await api.GET('/teamprofielen/{uuid}', { params: pad, headers: auth });
  expect(nogDaar.error?.code === 'not-found', `GET after DELETE gave ${nogDaar.response.status}`);
  steps.push('profile deleted: 204, then 404');
  return steps;
}
