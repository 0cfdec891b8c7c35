// Dredd hooks: every transaction Dredd makes from openapi/openapi.yaml (one per operation,
// status and media type) becomes a request that gets that status from the running service.
// Dredd builds each request from the examples (the first request example, every parameter's
// example); these hooks add what a real client adds: a token (or none, or one without the
// scope), the current ETag in If-Match (or none, or a stale one), If-None-Match for 304,
// throwaway data (profiles made and deleted here, catalogue entries added to be removed, rounds
// (peilingen) made under names of this run), and
// for each error status the request that provokes it. The environment holds the API's address
// (DREDD_API), the spec (DREDD_SPEC) and three clients (DREDD_CLIENTS, each its scopes and the
// Authorization header of a token): `alles` (every scope, every municipality), `alleenLezen`
// (teamprofielen.lezen) and `zonderLezen` (benchmarks.lezen), the last two for GM0363 only.
//
// Skipped, and only these: the 500, 503 and 504 of every operation (SKIP below): no request the
// spec allows causes them. (A 504 comes only when PostgreSQL does not confirm a COMMIT within its
// deadline; test_pool and test_teamprofielen_idempotency provoke it with a commit-time delay.)
//
// Where Dredd reads less of the spec than it says, the expectation is put right before Gavel
// validates (beforeEachValidation), never the answer: a Content-Type with the parameters the
// spec documents (`text/csv; charset=utf-8; header=present`) is that media type; a header the
// spec marks `required: false` may be absent; a text body (SVG, CSV, YAML) is held against the
// start of its example, which is shortened, instead of the whole of it.
const fs = require('fs');
const hooks = require('hooks');
const yaml = require('js-yaml');

const API = process.env.DREDD_API;
const BASE = new URL(API).pathname;
const spec = yaml.load(fs.readFileSync(process.env.DREDD_SPEC, 'utf8'));
const CLIENTS = JSON.parse(process.env.DREDD_CLIENTS);
const TOKENS = Object.fromEntries(Object.entries(CLIENTS).map(([k, c]) => [k, { Authorization: c.Authorization }]));
const STALE = '"00000000000000000000000000000000"';
const NOBODY = '00000000-0000-4000-8000-000000000000';
const SKIP = new Set([500, 503, 504]);
const state = {};

// --- the spec ----------------------------------------------------------------------------------

function deref(node) {
  let n = node;
  for (let i = 0; n && n.$ref && i < 20; i++) {
    n = n.$ref.slice(2).split('/').reduce((o, p) => o[p.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
  }
  return n;
}

function parse(t) {
  const [tmpl, , status, media] = t.name.split(' > ');
  const method = t.request.method;
  return { tmpl, status: Number(status), media, method, op: spec.paths[tmpl][method.toLowerCase()] };
}

function exampleNames(op, status) {
  const media = deref(op.responses?.[String(status)])?.content?.['application/json'];
  return media ? Object.keys(media.examples ?? { example: null }) : [];
}

function responseExample(op, status) {
  const media = deref(op.responses[String(status)]).content['application/json'];
  return media.example ?? deref(Object.values(media.examples)[0]).value;
}

// The request example that goes with the response of `status` (the one of the same name, as in
// the contract test), else the first.
function requestExample(op, status) {
  const media = deref(op.requestBody).content['application/json'];
  if (media.example !== undefined) return media.example;
  const name = exampleNames(op, status).find((n) => media.examples[n]) ?? Object.keys(media.examples)[0];
  return deref(media.examples[name]).value;
}

// The scope sets of which a token must meet one (the empty, public alternative left out).
function scopeSets(op) {
  return (op.security ?? spec.security ?? []).filter((req) => Object.keys(req).length > 0)
    .map((req) => Object.values(req).flat());
}

// A client whose token meets none of them; where both of the lesser clients meet one (the
// benchmark of a municipality), the one for another municipality (alleenLezen, GM0363).
function lacking(op) {
  const name = ['zonderLezen', 'alleenLezen'].find((c) =>
    !scopeSets(op).some((set) => set.every((s) => CLIENTS[c].scopes.includes(s))));
  return TOKENS[name ?? 'alleenLezen'];
}

// --- the service, for throwaway data -------------------------------------------------------------

async function call(method, path, { headers = {}, body } = {}) {
  const res = await fetch(API + path, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, etag: res.headers.get('etag'), json: text && /json/.test(res.headers.get('content-type')) ? JSON.parse(text) : null };
}

async function must(status, method, path, options) {
  const r = await call(method, path, options);
  if (r.status !== status) throw new Error(`${method} ${path} gave ${r.status}, not ${status}: ${JSON.stringify(r.json)}`);
  return r;
}

function team(gemeente, fte) {
  return {
    gemeente,
    peildatum: '2026-01-01',
    leden: [{ label: 'Webredactie 1', fte, rollen: [{ rol: 'webredacteur', aandeel: fte / 2 }, { rol: 'webcare-medewerker', aandeel: fte / 2 }],
      competenties: [{ code: 'schrijven-voor-het-web', niveau: 3 }] },
    { label: 'Adviseur dienstverlening', fte: 0.5, rollen: [{ rol: 'kanaalregisseur', aandeel: 0.3 }, { rol: 'verbinder', aandeel: 0.2 }] }],
  };
}

// A profile of this run (GM0855, the POST example's), with its ETag.
async function newProfile() {
  const r = await must(201, 'POST', '/teamprofielen', { headers: TOKENS.alles, body: requestExample(spec.paths['/teamprofielen'].post, 201) });
  return { uuid: r.json.uuid, etag: r.etag };
}

// A round of this run named `naam` (made up when not given), as of `peildatum`; its name.
let rounds = 0;
async function newPeiling(naam = `dredd-${process.pid}-${++rounds}`, peildatum = '2026-06-30') {
  await must(201, 'POST', '/peilingen', { headers: TOKENS.alles, body: { naam, peildatum } });
  return naam;
}

hooks.beforeAll((transactions, done) => {
  (async () => {
    // A profile made and deleted: its audit trail has a create and a destroy, as the example.
    const weg = await newProfile();
    await must(204, 'DELETE', `/teamprofielen/${weg.uuid}`, { headers: { ...TOKENS.alles, 'If-Match': weg.etag } });
    state.trail = weg.uuid;
    // Profiles in size class 5 (Hilversum, Zeist, Gooise Meren, Assen, Almelo and Veenendaal
    // beside three reference municipalities, which do not count), so that the benchmark of the
    // example has five others and quartiles to show.
    for (const [gemeente, fte] of [['GM0402', 1.4], ['GM0355', 1.0], ['GM1942', 1.2],
      ['GM0106', 1.1], ['GM0141', 1.3], ['GM0345', 0.9]]) {
      await must(201, 'POST', '/teamprofielen', { headers: TOKENS.alles, body: team(gemeente, fte) });
    }
    // The rounds the examples name ({naam} and ?met=), the one compared with first.
    const peiling = spec.components.parameters;
    await newPeiling(peiling.PeilingMet.example, '2026-03-31');
    await newPeiling(peiling.PeilingNaam.example, '2026-06-30');
  })().then(() => done(), (e) => {
    console.error(`dredd hooks: the throwaway data could not be made: ${e.message}`);
    process.exit(1);
  });
});

// --- each transaction ---------------------------------------------------------------------------

function pathValues(tmpl, uri) {
  const names = [...tmpl.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const re = new RegExp(`^${tmpl.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}|\{[^}]+\}/g, '([^/]+)')}$`);
  const m = re.exec(uri.split('?')[0]);
  return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
}

function setUri(t, tmpl, values, query) {
  const qs = query.toString();
  const path = tmpl.replace(/\{([^}]+)\}/g, (_, n) => encodeURIComponent(values[n]));
  t.request.uri = path + (qs ? `?${qs}` : '');
  t.fullPath = BASE + t.request.uri;
}

const UNKNOWN = { uuid: NOBODY, code: 'bestaat-niet', gemeentecode: 'GM9999', versie: 'bestaat-niet',
  naam: 'bestaat-niet' };
const SUBJECT = {
  // The benchmark's example is Hilversum's: ask for Hilversum's.
  '/gemeenten/{code}/benchmark': (ex) => ({ code: ex.gemeente }),
};
// A municipality whose reading is not public wherever the parameter's example (GM0855, a
// reference municipality) is: its 401 and 403 need one that is not a reference municipality.
const NOT_PUBLIC = { '/gemeenten/{code}/ontwikkeling': { code: 'GM0402' } };

async function prepare(t) {
  const { tmpl, status, media, method, op } = parse(t);
  if (SKIP.has(status)) {
    t.skip = true;
    return;
  }
  const h = t.request.headers;
  for (const k of ['If-Match', 'If-None-Match', 'Authorization', 'Accept', 'X-Audit-Toelichting',
    'Idempotency-Key']) delete h[k];
  // A key of its own for each POST that may store: the example's key would make the second one
  // a replay (or a 409) of the first.
  if (tmpl === '/teamprofielen' && method === 'POST') h['Idempotency-Key'] = `"dredd-${t.name.replace(/[^\x21-\x7e]/g, '')}-${Date.now()}"`;
  if (media && status < 300) h.Accept = media;
  if (status === 406) h.Accept = 'application/xml';
  const scopes = scopeSets(op).flat();
  if (scopes.length) Object.assign(h, TOKENS.alles);
  const values = pathValues(tmpl, t.request.uri);
  const query = new URLSearchParams(t.request.uri.split('?')[1] ?? '');
  const json = (body) => {
    t.request.body = JSON.stringify(body);
    h['Content-Type'] = 'application/json';
  };
  const profile = 'uuid' in values && tmpl !== '/teamprofielen/{uuid}/audittrail';
  const catalogue = scopes.includes('catalogus.beheren');
  const peiling = tmpl.startsWith('/peilingen');
  const ifMatch = (method === 'PUT' || method === 'DELETE') && !peiling;

  if ('uuid' in values && tmpl.endsWith('/audittrail')) values.uuid = state.trail;
  if (SUBJECT[tmpl] && status === 200) Object.assign(values, SUBJECT[tmpl](responseExample(op, 200)));
  if (media === 'text/csv') {
    query.delete('page');
    query.delete('pageSize');
  }

  switch (status) {
    case 200:
    case 201:
    case 204:
      if (peiling && method === 'DELETE') {
        values.naam = await newPeiling();
      } else if (peiling && method === 'POST') {
        // The example's round under a name of this run: a second run on the same database, or
        // the 409 below, must not find it there already.
        json({ ...requestExample(op, status), naam: `dredd-${process.pid}-post` });
        break;
      } else if (ifMatch && profile) {
        const p = await newProfile();
        values.uuid = p.uuid;
        h['If-Match'] = p.etag;
      } else if (method === 'PUT' && status === 201) {
        values.code = responseExample(op, 201).code;
        h['If-None-Match'] = '*';
      } else if (method === 'DELETE' && catalogue) {
        // An entry of this run, not in use: the PUT's example for adding, under a code of its own.
        const put = spec.paths[tmpl].put;
        values.code = `dredd-${tmpl.split('/')[1]}`;
        const made = await must(201, 'PUT', `/${tmpl.split('/')[1]}/${values.code}`, {
          headers: { ...TOKENS.alles, 'If-None-Match': '*' }, body: requestExample(put, 201) });
        h['If-Match'] = made.etag;
      } else if (ifMatch) {
        h['If-Match'] = (await must(200, 'GET', `/${tmpl.split('/')[1]}/${values.code}`)).etag;
      }
      if (op.requestBody) json(requestExample(op, status));
      break;
    case 304: {
      setUri(t, tmpl, values, query);
      const accept = h.Accept;
      const r = await must(200, 'GET', t.request.uri, { headers: { ...h, ...(accept ? { Accept: accept } : {}) } });
      h['If-None-Match'] = r.etag;
      break;
    }
    case 400:
      query.set('onbekend', '1');
      if (ifMatch) h['If-Match'] = STALE;
      break;
    case 401:
      delete h.Authorization;
      query.delete('referentie');
      Object.assign(values, NOT_PUBLIC[tmpl] ?? {});
      if (profile) values.uuid = (await newProfile()).uuid;
      break;
    case 403:
      Object.assign(h, lacking(op));
      Object.assign(values, NOT_PUBLIC[tmpl] ?? {});
      if ('uuid' in values && !tmpl.endsWith('/audittrail')) values.uuid = (await newProfile()).uuid;
      if (ifMatch) h['If-Match'] = STALE;
      break;
    case 404:
      for (const k of Object.keys(values)) values[k] = UNKNOWN[k];
      if (tmpl.startsWith('/gemeenten/')) values.code = 'GM9999';
      if (ifMatch) h['If-Match'] = STALE;
      if (catalogue && method === 'PUT') {
        const { code, ...withoutCode } = requestExample(op, 200);
        json(withoutCode);
      }
      break;
    case 406:
      break;
    case 409:
      if (tmpl === '/teamprofielen' && method === 'POST') {
        // An Idempotency-Key used a moment ago with another body.
        const key = `"dredd-${process.pid}-${Date.now()}"`;
        const body = requestExample(op, 201);
        await must(201, 'POST', '/teamprofielen', {
          headers: { ...TOKENS.alles, 'Idempotency-Key': key }, body: { ...body, peildatum: '2025-01-01' } });
        h['Idempotency-Key'] = key;
        json(body);
      } else if (tmpl === '/peilingen' && method === 'POST') {
        // A name that exists.
        json({ ...requestExample(op, 201), naam: await newPeiling() });
      } else {
        h['If-Match'] = (await must(200, 'GET', `/${tmpl.split('/')[1]}/${values.code}`)).etag;
      }
      break;
    case 412:
      if (profile) values.uuid = (await newProfile()).uuid;
      h['If-Match'] = STALE;
      if (catalogue && method === 'PUT') json(requestExample(op, 200));
      break;
    case 413:
      t.request.body = `{"x":"${'a'.repeat(1200000)}"}`;
      h['Content-Type'] = 'application/json';
      break;
    case 415:
      h['Content-Type'] = 'text/plain';
      if (ifMatch) h['If-Match'] = STALE;
      break;
    case 428:
      if (profile) values.uuid = (await newProfile()).uuid;
      break;
    default:
      throw new Error(`no request is made here for status ${status}`);
  }
  setUri(t, tmpl, values, query);
}

hooks.beforeEach((t, done) => {
  prepare(t).then(() => done(), (e) => {
    t.fail = `preparing the request failed: ${e.message}`;
    done();
  });
});

// --- expectations Dredd reads too narrowly ------------------------------------------------------

const mediaType = (v) => (v ?? '').split(';')[0].trim().toLowerCase();

hooks.beforeEachValidation((t) => {
  const { status, op } = parse(t);
  const expected = t.expected.headers ?? {};
  const actual = t.real.headers ?? {};
  const ct = Object.keys(expected).find((k) => k.toLowerCase() === 'content-type');
  if (ct && mediaType(expected[ct]) === mediaType(actual['content-type'])) expected[ct] = actual['content-type'];
  const documented = deref(op.responses[String(status)])?.headers ?? {};
  for (const [name, header] of Object.entries(documented)) {
    if (deref(header).required === false) {
      const key = Object.keys(expected).find((k) => k.toLowerCase() === name.toLowerCase());
      if (key && actual[name.toLowerCase()] === undefined) delete expected[key];
    }
  }
  // A text answer against the spec's example of its media type (Dredd reads `examples` of JSON
  // media types only, and would want the shortened example whole).
  const { media } = parse(t);
  const content = deref(op.responses[String(status)])?.content?.[media];
  if (media && !/json/.test(media) && content) {
    t.textExample = content.example ?? deref(Object.values(content.examples ?? {})[0])?.value ?? '';
    delete t.expected.body;
  }
});

hooks.afterEach((t) => {
  if (t.textExample === undefined || t.skip) return;
  const body = t.real?.body ?? '';
  const first = (s) => s.split(/\r?\n/)[0];
  if (first(body) !== first(t.textExample)) {
    t.fail = `the body starts "${first(body).slice(0, 80)}", its example "${first(t.textExample).slice(0, 80)}"`;
  } else if (/svg/.test(t.real.headers['content-type']) && !body.trimEnd().endsWith('</svg>')) {
    t.fail = 'the SVG document does not end with </svg>';
  }
});
