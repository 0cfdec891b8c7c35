#!/usr/bin/env node
// Contract test: the running service against its OpenAPI document.
//
//   node tests/contract/contract.mjs path/to/teamplotter openapi/openapi.yaml
//
// Starts `teamplotter serve` on free ports, on a migrated database of its own on the cluster
// of TEAMPLOTTER_DATABASE_URL (tests/lib/service.mjs; dropped at the end), then checks, one line
// per check:
//   - every example in the spec (of a media type, parameter or header, and a schema's own) is
//     valid against its schema and declares no field the schema lacks;
//   - the served /api/v1/openapi.json and /openapi.yaml are the given YAML file;
//   - `teamplotter routes` and the spec's paths and methods name the same operations, both ways
//     (/livez, /readyz, /metrics, the page and /docs are outside the spec; "/api/v1/" is the spec's "/", as a
//     client forms it from the server URL, and "/api/v1" is that root too);
//   - every documented GET, called with realistic values, answers a documented status with the
//     documented Content-Type, required headers and a body valid against the response schema
//     (ajv, OAS 3.0 converted to JSON Schema), and no properties the schema does not declare;
//     no example of its 200 shows a field the answer lacks;
//   - the documented error responses it can provoke: 400 (bad pageSize, unknown key), 404
//     (unknown code), 406 (Accept: application/xml), 304 (If-None-Match), 401 (teamprofielen
//     without referentie=true; operations that need a token, called without one);
//   - every other media type a GET documents for its 200 (the SVG chart, the CSV benchmarks),
//     asked for with Accept: its Content-Type, headers and body (the CSV header row is the one
//     in the spec's example; a CSV refuses page and pageSize with 400);
//   - with a token of a reading client of this run (teamprofielen.lezen, benchmarks.lezen, all
//     municipalities): every token-protected GET whose scopes the client has gets the checks
//     above; operations needing a scope it lacks answer a documented 403, with that token, and a
//     documented 401 without a token;
//   - every operation that documents 428 leaves its precondition headers optional (a gateway
//     that validates requests would otherwise refuse them before the service answers 428);
//   - the catalogue writes (PUT and DELETE on /rollen, /competenties, /rolfamilies and
//     /succesfactoren/{code}): 401 without a token and with a malformed one, 403 with the
//     reading token; and with a token of a client with catalogus.beheren: 428 without If-Match
//     (and for PUT without If-None-Match: *), 412 with a stale If-Match on an existing entry,
//     404 with If-Match on a code that names nothing, 400 for a body that breaks the schema
//     (naming the fields) and 415; the GET document of an entry is a valid PUT body;
//   - every request example of the spec, sent as a client sends it (token, If-Match with the
//     current ETag, or If-None-Match: * for a PUT that creates, to the address its response
//     example shows): it answers the status it documents (that of the response with an example
//     of the same name, else the operation's one 2xx) with a conforming body that shows what
//     that example shows. Catalogue changes are undone at once (DELETE 204, or the GET document
//     put back, 200); the profile of the POST example is the one the PUT example replaces;
//   - that profile: PUT and DELETE without If-Match (428) and with a stale one (412), DELETE
//     with its ETag (204), its audit trail (create, update, destroy), and after `teamplotter
//     audit erase` a trail that conforms, ends with the `erase` row and holds no content;
//   - a municipality's own benchmark as its own client reads it (teamprofielen.lezen for GM0855
//     only): 200 with `weergave: band`, conforming to the schema like every answer above;
//   - the catalogue versions: the root's catalogusVersie is the one version with huidig=true,
//     and the changes of the newest version that has any conform to the schema;
//   - the public POST operations (POST /gap-analyses): 400 (unknown query key; no body; a body
//     that breaks the request schema's oneOf, such as gemeente together with inwoners), 406 and
//     415;
//   - the server stops on SIGTERM with exit status 0.
// Ends with "N passed, N failed" and exits non-zero on any failure.
//
// The schemas come from the YAML file given on the command line (the source of truth); the
// first check proves the binary serves that same document.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

import { note, report, results } from '../lib/report.mjs';
import { startService } from '../lib/service.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const TOOLS = path.join(ROOT, 'tools');

const [binary, specFile] = process.argv.slice(2);
if (!binary || !specFile) {
  console.error('usage: node contract.mjs TEAMPLOTTER_BINARY OPENAPI_YAML');
  process.exit(2);
}
if (!process.env.TEAMPLOTTER_DATABASE_URL) {
  console.error('contract: TEAMPLOTTER_DATABASE_URL is not set (run through scripts/dev.sh test)');
  process.exit(2);
}

// --- npm tools (tools/package.json pins them) -------------------------------------------------

function toolsInstalled() {
  const pkg = JSON.parse(fs.readFileSync(path.join(TOOLS, 'package.json'), 'utf8'));
  const pins = pkg.devDependencies ?? {};
  return ['ajv', 'ajv-formats', 'yaml'].every((name) => {
    const file = path.join(TOOLS, 'node_modules', name, 'package.json');
    return fs.existsSync(file) && JSON.parse(fs.readFileSync(file, 'utf8')).version === pins[name];
  });
}

if (!toolsInstalled()) {
  console.log('contract: installing the pinned npm tools (npm ci --prefix tools)');
  const npm = spawnSync('npm', ['ci', '--prefix', TOOLS, '--no-audit', '--no-fund'], {
    stdio: 'inherit',
  });
  if (npm.status !== 0 || !toolsInstalled()) {
    console.error(
      'contract: tools/node_modules lacks ajv, ajv-formats and yaml at the versions pinned in ' +
        'tools/package.json, and `npm ci --prefix tools` could not install them ' +
        '(is npm installed and the npm registry reachable?)',
    );
    process.exit(2);
  }
}

const require = createRequire(path.join(TOOLS, 'package.json'));
const AjvModule = require('ajv');
const Ajv = AjvModule.default ?? AjvModule;
const formatsModule = require('ajv-formats');
const addFormats = formatsModule.default ?? formatsModule;
const YAML = require('yaml');

// --- the spec as JSON Schema -------------------------------------------------------------------

const specText = fs.readFileSync(specFile, 'utf8');
const spec = YAML.parse(specText);
const SPEC_ID = 'openapi.json';

// Keywords of the OAS 3.0 Schema Object that JSON Schema does not have.
const OAS_ONLY = new Set([
  'example', 'xml', 'externalDocs', 'discriminator', 'deprecated', 'nullable',
]);

// OAS 3.0 schema → JSON Schema (draft-07): nullable becomes a type union (or anyOf with null),
// boolean exclusiveMinimum/Maximum become numbers, refs point into the registered spec.
function toJsonSchema(s) {
  if (Array.isArray(s)) return s.map(toJsonSchema);
  if (s === null || typeof s !== 'object') return s;
  const out = {};
  for (const [key, value] of Object.entries(s)) {
    if (OAS_ONLY.has(key)) continue;
    if (key === '$ref') {
      out.$ref = value.startsWith('#/') ? `${SPEC_ID}${value}` : value;
    } else if (key === 'properties' || key === 'patternProperties' || key === 'definitions') {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v)]));
    } else if (['items', 'additionalProperties', 'not', 'allOf', 'anyOf', 'oneOf'].includes(key)) {
      out[key] = toJsonSchema(value);
    } else {
      out[key] = value;
    }
  }
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']]) {
    if (typeof s[flag] === 'boolean') {
      if (s[flag] && typeof s[bound] === 'number') {
        out[flag] = s[bound];
        delete out[bound];
      } else {
        delete out[flag];
      }
    }
  }
  if (s.nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    } else {
      return { anyOf: [out, { type: 'null' }] };
    }
  }
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
const componentSchemas = Object.fromEntries(
  Object.entries(spec.components?.schemas ?? {}).map(([name, s]) => [name, toJsonSchema(s)]),
);
ajv.addSchema({ $id: SPEC_ID, components: { schemas: componentSchemas } });
const validators = new Map();

function validatorFor(schema) {
  const key = JSON.stringify(schema);
  if (!validators.has(key)) validators.set(key, ajv.compile(toJsonSchema(schema)));
  return validators.get(key);
}

// Follows a local $ref ("#/components/responses/X") in the spec.
function deref(node) {
  let n = node;
  for (let i = 0; n && n.$ref && i < 20; i++) {
    n = n.$ref
      .slice(2)
      .split('/')
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((o, p) => (o ? o[p] : undefined), spec);
  }
  return n;
}

// Properties a response has that its schema does not declare (the schemas leave
// additionalProperties open, so ajv alone would let undocumented fields through).
function undeclared(value, schema, where, out) {
  const s = deref(schema);
  if (!s || value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    if (s.items) value.forEach((v, i) => undeclared(v, s.items, `${where}[${i}]`, out));
    return out;
  }
  const props = {};
  let open = false;
  let extra = null;
  const collect = (sch) => {
    const d = deref(sch);
    if (!d) return;
    Object.assign(props, d.properties ?? {});
    if (d.additionalProperties === true) open = true;
    else if (d.additionalProperties && typeof d.additionalProperties === 'object') {
      extra = d.additionalProperties;
    }
    for (const sub of d.allOf ?? []) collect(sub);
  };
  collect(s);
  // A schema that declares no properties at all describes a free-form object.
  if (Object.keys(props).length === 0 && !extra) open = true;
  for (const [k, v] of Object.entries(value)) {
    if (props[k]) undeclared(v, props[k], `${where}.${k}`, out);
    else if (extra) undeclared(v, extra, `${where}.${k}`, out);
    else if (!open) out.push(`${where}.${k} is not in the schema`);
  }
  return out;
}

// --- the server ---------------------------------------------------------------------------------

let port = 0;
let svc = null;

function request(urlPath, headers = {}, method = 'GET', body = null) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: urlPath, method, headers, agent: false },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.setTimeout(30000, () => req.destroy(new Error(`timeout on ${urlPath}`)));
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

// --- checks -------------------------------------------------------------------------------------

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
// The page for people and the API reference (docs/pagina.md) are outside the spec too.
const OUTSIDE_SPEC = new Set(['/livez', '/readyz', '/metrics', '/', '/pagina/{bestand}', '/docs',
  '/docs/{bestand}']);
const BASE = new URL(spec.servers?.[0]?.url ?? 'http://x/api/v1').pathname.replace(/\/$/, '');

function mediaType(header) {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

function paramsOf(pathItem, op) {
  const all = [...(pathItem.parameters ?? []), ...(op.parameters ?? [])].map(deref);
  return all;
}

// Whether an operation can be called without a token (security absent, empty, or with {}).
function isPublic(op) {
  const security = op.security ?? spec.security ?? [];
  return security.length === 0 || security.some((req) => Object.keys(req).length === 0);
}

function exampleOf(param) {
  if (param.example !== undefined) return param.example;
  if (param.schema?.example !== undefined) return param.schema.example;
  const ex = Object.values(param.examples ?? {})[0];
  return ex ? deref(ex).value : undefined;
}

// Checks one response against operation `op` of `specPath`; returns the list of problems.
function conformance(specPath, op, res, expectStatus, method = 'GET') {
  const problems = [];
  if (res.status !== expectStatus) problems.push(`status ${res.status}, expected ${expectStatus}`);
  const documented = op.responses?.[String(res.status)] ?? op.responses?.default;
  if (!documented) {
    problems.push(`status ${res.status} is not documented for ${method} ${specPath}`);
    return problems;
  }
  const resp = deref(documented);
  // API-Version on every response is the spec's version.
  if (res.headers['api-version'] !== spec.info.version) {
    problems.push(`API-Version is ${res.headers['api-version']}, spec says ${spec.info.version}`);
  }
  for (const [name, h] of Object.entries(resp.headers ?? {})) {
    const header = deref(h);
    const value = res.headers[name.toLowerCase()];
    if (value === undefined) {
      if (header.required) problems.push(`required header ${name} is missing`);
      continue;
    }
    if (header.schema) {
      const numeric = ['integer', 'number'].includes(deref(header.schema).type);
      const typed = numeric ? Number(value) : value;
      const v = validatorFor(header.schema);
      if (!v(typed)) problems.push(`header ${name}: ${ajv.errorsText(v.errors)}`);
    }
  }
  const content = resp.content;
  if (!content) {
    if (res.body.length !== 0) {
      problems.push(`a documented ${res.status} has no body, got ${res.body.length} bytes`);
    }
    return problems;
  }
  const type = mediaType(res.headers['content-type']);
  const media = content[type];
  if (!media) {
    const types = Object.keys(content).join(', ');
    problems.push(`Content-Type ${res.headers['content-type']} is not one of ${types}`);
    return problems;
  }
  let body = res.body.toString('utf8');
  if (type.endsWith('json')) {
    try {
      body = JSON.parse(body);
    } catch (e) {
      problems.push(`body is not JSON: ${e.message}`);
      return problems;
    }
  }
  if (media.schema) {
    const v = validatorFor(media.schema);
    if (!v(body)) {
      for (const e of v.errors.slice(0, 10)) {
        problems.push(`body${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
      }
    }
    undeclared(body, media.schema, 'body', problems);
  }
  return problems;
}

// `send` is {method, body} for anything but a plain GET.
async function call(label, specPath, op, urlPath, headers, expectStatus, extra, send = {}) {
  const method = send.method ?? 'GET';
  let res;
  try {
    res = await request(urlPath, headers, method, send.body ?? null);
  } catch (e) {
    report(label, [`request failed: ${e.message}`]);
    return null;
  }
  const problems = conformance(specPath, op, res, expectStatus, method);
  if (extra && problems.length === 0) extra(res, problems);
  report(label, problems);
  return res;
}

function queryString(pairs) {
  const enc = ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`;
  return pairs.length ? `?${pairs.map(enc).join('&')}` : '';
}

// JSON pointer of the first place where two documents differ.
function firstDifference(a, b, where) {
  if (isDeepStrictEqual(a, b)) return null;
  const objects = a && b && typeof a === 'object' && typeof b === 'object';
  if (objects && Array.isArray(a) === Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const token = String(k).replace(/~/g, '~0').replace(/\//g, '~1');
      const d = firstDifference(a[k], b[k], `${where}/${token}`);
      if (d) return d;
    }
  }
  return where;
}

function invalidNames(res) {
  try {
    return JSON.parse(res.body.toString('utf8')).invalidParams.map((p) => p.name);
  } catch {
    return [];
  }
}

// Query a call needs to be answered without a token.
const NEEDS = { '/teamprofielen': [['referentie', 'true']] };

// The clients of this run (in its own database): their scopes, and the Authorization header of
// a token (null when it could not be made). The first reads (every GET it may call is checked
// with its token too); the second manages the catalogue; the third writes profiles and reads
// their audit trails; the fourth is a municipality's own, which reads its benchmark without
// benchmarks.lezen.
const CLIENT_SCOPES = ['teamprofielen.lezen', 'benchmarks.lezen'];
let tokenHeaders = null;
const BEHEER_SCOPES = ['catalogus.beheren'];
let beheerHeaders = null;
const SCHRIJF_SCOPES = ['teamprofielen.lezen', 'teamprofielen.schrijven', 'audittrail.lezen'];
let schrijfHeaders = null;
const PEILING_SCOPES = ['peilingen.beheren', 'benchmarks.lezen'];
let peilingHeaders = null;
const EIGEN_SCOPES = ['teamprofielen.lezen'];
const EIGEN_GEMEENTE = 'GM0855';
let eigenHeaders = null;
const CLIENTS = [];
const STALE_ETAG = '"00000000000000000000000000000000"';

// The scopes of the security requirements of `op` that name a scheme (an empty requirement is
// the public alternative, left out).
function scopeSets(op) {
  return (op.security ?? spec.security ?? [])
    .filter((req) => Object.keys(req).length > 0)
    .map((req) => Object.values(req).flat());
}

// Whether the run's client meets one of the token requirements of `op`.
function clientMayCall(op) {
  return scopeSets(op).some((scopes) => scopes.every((s) => CLIENT_SCOPES.includes(s)));
}

function problemCode(res) {
  try {
    return JSON.parse(res.body.toString('utf8')).code;
  } catch {
    return undefined;
  }
}

function bearerChallenge(res, problems) {
  if (!/^Bearer\b/.test(res.headers['www-authenticate'] ?? '')) {
    problems.push(`WWW-Authenticate is ${res.headers['www-authenticate']}, expected Bearer`);
  }
}

// Every check of one documented GET operation; `auth` holds the Authorization header when the
// checks run with the run's token.
async function checkGet(specPath, item, op, profileUuid, auth = null) {
  const H = (extra = {}) => ({ ...(auth ?? {}), ...extra });
  const tag = auth ? ' (token)' : '';
  const params = paramsOf(item, op);
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const has = (name) => queryParams.some((p) => p.name === name);
  const documented = (status) => Boolean(op.responses?.[String(status)]);
  // The server URL's path plus the spec's path, as a client generated from the spec forms it
  // (the root is "/api/v1/").
  const fill = (values) =>
    BASE + specPath.replace(/\{([^}]+)\}/g, (_, n) => encodeURIComponent(values[n]));

  // Realistic path values (the spec's examples, a seeded uuid) and values that name nothing.
  const good = {};
  const unknown = {};
  for (const p of pathParams) {
    const schema = deref(p.schema) ?? {};
    const uuid = schema.format === 'uuid';
    good[p.name] = uuid ? profileUuid : exampleOf(p);
    if (uuid) unknown[p.name] = '00000000-0000-0000-0000-000000000000';
    else if ((schema.pattern ?? '').includes('GM')) unknown[p.name] = 'GM9999';
    else unknown[p.name] = 'bestaat-niet';
    if (good[p.name] === undefined || good[p.name] === null) {
      report(`GET ${specPath}: a value for {${p.name}}`, [`no example for ${p.name}`]);
    }
  }
  const needs = auth ? [] : NEEDS[specPath] ?? [];
  const base = fill(good);
  const happy = base + queryString(needs);
  const at = (extra) => base + queryString([...needs, ...extra]);

  // An operation only a token opens: without one it must answer a documented 401. With the
  // run's token it gets every check below, or a documented 403 when the client lacks the scope.
  if (!isPublic(op) && !auth) {
    if (documented(401)) {
      await call(`GET ${base} without a token → 401 conforms`, specPath, op, base, {}, 401,
        bearerChallenge);
    } else {
      report(`GET ${specPath} documents 401`, ['it needs a token but documents no 401']);
    }
    if (!tokenHeaders) {
      note(`GET ${specPath} needs a token: its other responses are not called here`);
    } else if (clientMayCall(op)) {
      await checkGet(specPath, item, op, profileUuid, tokenHeaders);
    } else {
      const lacking = scopeSets(op).map((s) => s.join('+')).join(' or ');
      if (documented(403)) {
        await call(`GET ${base} with a token lacking ${lacking} → 403 conforms`, specPath, op,
          base, tokenHeaders, 403);
      } else {
        report(`GET ${specPath} documents 403`, [`it needs ${lacking} but documents no 403`]);
      }
      note(`GET ${specPath} needs ${lacking}: its other responses are not called here`);
    }
    return;
  }

  // 200 with realistic values; its ETag serves the 304 below.
  const ok = await call(`GET ${happy}${tag} → 200 conforms, as its examples show`, specPath, op,
    happy, H(), 200, (res, problems) => {
      if (!/^"[^"]+"$/.test(res.headers.etag ?? '')) {
        problems.push(`ETag ${res.headers.etag} is not a strong entity tag`);
      }
      examplesMatchAnswer(op, res, null, problems);
    });

  // Every other media type of the 200 (the first one is the default), asked for with Accept.
  const types = Object.keys(deref(op.responses?.['200'])?.content ?? {});
  for (const type of types.slice(1)) {
    const media = deref(op.responses['200']).content[type];
    const accept = { Accept: type };
    const alt = await call(`GET ${happy}${tag} Accept: ${type} → 200 conforms`, specPath, op,
      happy, H(accept), 200, (res, problems) => {
        const text = res.body.toString('utf8');
        if (mediaType(res.headers['content-type']) !== type) return; // reported already
        if (type === 'image/svg+xml') standaloneSvg(text, problems);
        if (type === 'text/csv') {
          const example = media.example ?? Object.values(media.examples ?? {})[0]?.value;
          const header = text.split('\r\n')[0];
          if (!text.endsWith('\r\n')) problems.push('CSV lines do not end with CRLF');
          if (typeof example === 'string' && header !== example.split('\n')[0]) {
            problems.push(`the CSV header row is "${header}", the spec's example has ` +
              `"${example.split('\n')[0]}"`);
          }
          if (!/\bheader=present\b/.test(res.headers['content-type'] ?? '')) {
            problems.push(`Content-Type ${res.headers['content-type']} lacks header=present`);
          }
        }
        if (ok?.headers.etag && res.headers.etag === ok.headers.etag) {
          problems.push(`the ${type} representation has the ETag of the JSON one`);
        }
      });
    if (documented(304) && alt?.headers.etag) {
      await call(`GET ${happy}${tag} Accept: ${type} If-None-Match → 304 conforms`, specPath, op,
        happy, H({ ...accept, 'If-None-Match': alt.headers.etag }), 304);
    }
    // A CSV is the whole set: paging parameters are unknown keys there.
    if (type === 'text/csv' && has('page')) {
      const url = at([['page', '1']]);
      await call(`GET ${url}${tag} Accept: text/csv → 400 conforms`, specPath, op, url,
        H(accept), 400, (res, problems) => {
          if (!invalidNames(res).includes('page')) problems.push('invalidParams does not name page');
        });
    }
  }

  // Each documented query parameter with its example value.
  for (const p of queryParams) {
    if (['page', 'pageSize'].includes(p.name) || needs.some(([k]) => k === p.name)) continue;
    const value = exampleOf(p);
    if (value === undefined) {
      report(`GET ${specPath}?${p.name}: an example value`, [`no example for ${p.name}`]);
      continue;
    }
    const url = at([[p.name, String(value)]]);
    await call(`GET ${url}${tag} → 200 conforms`, specPath, op, url, H(), 200);
  }

  // A second page, so that next and previous are strings.
  if (has('page') && has('pageSize')) {
    const url = at([['pageSize', '1'], ['page', '2']]);
    await call(`GET ${url}${tag} → 200 conforms`, specPath, op, url, H(), 200, (res, problems) => {
      const body = JSON.parse(res.body.toString('utf8'));
      if (body.count >= 2 && typeof body.previous !== 'string') {
        problems.push('page 2 has no previous');
      }
    });
  }

  // 304 on the ETag of the 200.
  if (documented(304) && ok?.headers.etag) {
    const inm = H({ 'If-None-Match': ok.headers.etag });
    await call(`GET ${happy}${tag} If-None-Match → 304 conforms`, specPath, op, happy, inm, 304,
      (res, problems) => {
        if (res.headers.etag !== ok.headers.etag) {
          problems.push(`the 304 has ETag ${res.headers.etag}, the 200 had ${ok.headers.etag}`);
        }
      });
  }

  // 400: a bad pageSize with an unknown key, or an unknown key alone.
  if (documented(400)) {
    const bad = has('pageSize') ? [['pageSize', '0'], ['onbekend', '1']] : [['onbekend', '1']];
    const url = at(bad);
    await call(`GET ${url}${tag} → 400 conforms`, specPath, op, url, H(), 400, (res, problems) => {
      const names = invalidNames(res);
      for (const [name] of bad) {
        if (!names.includes(name)) problems.push(`invalidParams does not name ${name}`);
      }
    });
  }

  // 404: a code that names nothing.
  if (documented(404) && pathParams.length > 0) {
    const url = fill(unknown);
    await call(`GET ${url}${tag} → 404 conforms`, specPath, op, url, H(), 404);
  } else if (documented(404)) {
    note(`GET ${specPath} documents 404, which no request to it can give`);
  }

  // 406: a media type the API does not produce.
  if (documented(406)) {
    const xml = H({ Accept: 'application/xml' });
    await call(`GET ${happy}${tag} Accept: application/xml → 406 conforms`, specPath, op, happy,
      xml, 406);
  }

  // 401: a public operation that needs a filter to be answered without a token.
  if (documented(401) && needs.length > 0) {
    await call(`GET ${base} → 401 conforms`, specPath, op, base, {}, 401, bearerChallenge);
  }

  // A public operation that also takes a token: the same checks once more with the run's token
  // (without the filters an anonymous call needs).
  if (!auth && tokenHeaders && clientMayCall(op)) {
    await checkGet(specPath, item, op, profileUuid, tokenHeaders);
    return;
  }

  const untested = Object.keys(op.responses ?? {}).filter(
    (s) => ['403', '500', '503'].includes(s) || (s === '401' && needs.length === 0 && !auth),
  );
  if (untested.length) note(`GET ${specPath}${tag}: ${untested.join(', ')} not provoked here`);
}

// Whether `text` is a standalone SVG 1.1 document, as the charts are.
function standaloneSvg(text, problems) {
  if (!text.startsWith('<?xml') || !/<svg[\s>]/.test(text) || !text.trimEnd().endsWith('</svg>')) {
    problems.push('the body is not a standalone SVG document');
  }
  if (!/\bversion="1\.1"/.test(text)) problems.push('the SVG does not say version="1.1"');
}

// The request examples of an operation, as [name, value] pairs.
function requestExamples(op) {
  const media = deref(op.requestBody)?.content?.['application/json'];
  if (!media) return [];
  if (media.example !== undefined) return [['example', media.example]];
  return Object.entries(media.examples ?? {}).map(([name, ex]) => [name, deref(ex).value]);
}

// --- examples -----------------------------------------------------------------------------------

// The examples of a node that has them (a media type, parameter or header object): [name, value].
function examplesOf(node) {
  const out = [];
  if (node.example !== undefined) out.push(['example', node.example]);
  for (const [name, ex] of Object.entries(node.examples ?? {})) out.push([name, deref(ex).value]);
  return out;
}

// Every example in the spec, wherever it stands: those of a media type, parameter or header
// against its `schema`, and a schema's own `example` against that schema; JSON values must also
// declare only fields the schema has. One check per example.
function checkSpecExamples() {
  const schemaLike = (n) => ['type', '$ref', 'allOf', 'anyOf', 'oneOf', 'enum', 'properties']
    .some((k) => k in n);
  const visit = (node, pointer) => {
    if (Array.isArray(node)) {
      node.forEach((v, i) => visit(v, `${pointer}/${i}`));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const schema = node.schema ?? (schemaLike(node) && node.example !== undefined ? node : null);
    if (schema) {
      const own = schema === node ? [['example', node.example]] : examplesOf(node);
      for (const [name, value] of own) {
        const problems = [];
        const v = validatorFor(schema);
        if (!v(value)) {
          for (const e of v.errors.slice(0, 10)) problems.push(`${e.instancePath || '/'} ${e.message}`);
        }
        undeclared(value, schema, 'example', problems);
        report(`example ${name} of ${pointer} is valid against its schema`, problems);
      }
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'example' || key === 'examples') continue;
      visit(value, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    }
  };
  visit(spec, '#');
}

// The shape of a live value: the keys its objects have, those of every element of an array
// merged, so that an example can be held against it.
function shapeOf(value) {
  if (Array.isArray(value)) {
    const item = {};
    for (const v of value) mergeShape(item, shapeOf(v));
    return { item };
  }
  if (value !== null && typeof value === 'object') {
    return { keys: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)])) };
  }
  return {};
}

function mergeShape(into, from) {
  if (from.keys) {
    into.keys ??= {};
    for (const [k, v] of Object.entries(from.keys)) mergeShape((into.keys[k] ??= {}), v);
  }
  if (from.item) mergeShape((into.item ??= {}), from.item);
}

// The fields an example shows that the live answer has nowhere (a field the service never
// sends); where the answer has null or no elements there is nothing to hold it against.
function shownButAbsent(example, shape, where, out) {
  if (Array.isArray(example)) {
    if (shape.item) example.forEach((v, i) => shownButAbsent(v, shape.item, `${where}[${i}]`, out));
    return out;
  }
  if (example === null || typeof example !== 'object' || !shape.keys) return out;
  for (const [k, v] of Object.entries(example)) {
    if (!(k in shape.keys)) out.push(`the example shows ${where}.${k}, the service sends none`);
    else shownButAbsent(v, shape.keys[k], `${where}.${k}`, out);
  }
  return out;
}

// The examples of response `status` of `op` for the answer's media type: the one named `name`
// when there is one, else all of them.
function responseExamples(op, status, type, name = null) {
  const media = deref(op.responses?.[String(status)])?.content?.[type];
  if (!media) return [];
  const all = examplesOf(media);
  const named = all.filter(([n]) => n === name);
  return named.length ? named : all;
}

// Holds a live JSON answer against the examples of its status: `problems` gets each field an
// example shows and the service does not send.
function examplesMatchAnswer(op, res, name, problems) {
  const type = mediaType(res.headers['content-type']);
  if (!type.endsWith('json') || res.body.length === 0) return;
  const shape = shapeOf(JSON.parse(res.body.toString('utf8')));
  for (const [n, value] of responseExamples(op, res.status, type, name)) {
    shownButAbsent(value, shape, `body (example ${n})`, problems);
  }
}

// The status a request example documents: that of the response with an example of the same
// name, else the operation's only 2xx; null when neither says.
function documentedStatus(op, name) {
  const statuses = Object.keys(op.responses ?? {});
  const named = statuses.filter((s) => {
    const content = deref(op.responses[s])?.content ?? {};
    return Object.values(content).some((m) => Object.keys(m.examples ?? {}).includes(name));
  });
  if (named.length === 1) return Number(named[0]);
  const ok = statuses.filter((s) => /^2\d\d$/.test(s));
  return named.length === 0 && ok.length === 1 ? Number(ok[0]) : null;
}

// The run's client (its Authorization header) that meets one of the token requirements of `op`,
// or null.
function clientFor(op) {
  const client = CLIENTS.find((c) => c.headers &&
    scopeSets(op).some((set) => set.every((s) => c.scopes.includes(s))));
  return client?.headers ?? null;
}

// The profile the POST example of this run stored ({uuid, etag}); the PUT example replaces it.
let ownProfile = null;

// Every request example, sent as a client sends it (with the token, If-Match or
// If-None-Match: * it needs), answers the status it documents with a conforming body that shows
// what the example of that status shows. A catalogue change is undone at once (later checks
// expect the seeded catalogue): an entry made is deleted (204), one changed gets its GET
// document back (200).
async function checkRequestExamples() {
  for (const [specPath, item] of Object.entries(spec.paths)) {
    for (const method of ['post', 'put', 'patch'].filter((m) => item[m])) {
      const op = item[method];
      for (const [name, value] of requestExamples(op)) {
        await sendExample(specPath, item, method.toUpperCase(), op, name, value);
      }
    }
  }
}

async function sendExample(specPath, item, M, op, name, value) {
  const label = `${M} ${specPath} example ${name}`;
  const status = documentedStatus(op, name);
  const auth = isPublic(op) ? {} : clientFor(op);
  if (status === null || auth === null) {
    report(label, [status === null
      ? 'no response has an example of this name, and the operation has not exactly one 2xx'
      : 'no client of this run has the scopes it needs']);
    return;
  }
  // The path parameter's example; a PUT that creates (201) goes where its response example
  // says the new entry is; {uuid} is the run's own profile.
  let missing = null;
  const created = status === 201 && M === 'PUT'
    ? responseExamples(op, 201, 'application/json', name)[0]?.[1]
    : null;
  const url = BASE + specPath.replace(/\{([^}]+)\}/g, (_, n) => {
    if (n === 'uuid') {
      if (!ownProfile) missing = 'no profile of this run to replace';
      return ownProfile?.uuid;
    }
    const p = paramsOf(item, op).find((q) => q.in === 'path' && q.name === n);
    return encodeURIComponent(String(created?.[n] ?? exampleOf(p)));
  });
  if (missing) {
    report(label, [missing]);
    return;
  }
  const headers = { ...auth, 'Content-Type': 'application/json' };
  let before = null;
  if (op.responses?.['428']) {
    if (status === 201) {
      headers['If-None-Match'] = '*';
    } else {
      before = await request(url, auth);
      headers['If-Match'] = before.headers.etag;
    }
  }
  const res = await call(`${label}: ${M} ${url} → ${status} conforms, as its example shows`,
    specPath, op, url, headers, status, (r, problems) => examplesMatchAnswer(op, r, name, problems),
    { method: M, body: JSON.stringify(value) });
  // A POST answered 200 in another media type too (the chart of an anonymous analysis): the
  // same example with that type in Accept.
  if (res?.status === 200 && M === 'POST') {
    const types = Object.keys(deref(op.responses['200']).content ?? {});
    for (const type of types.slice(1)) {
      await call(`${label}: ${M} ${url} Accept: ${type} → 200 conforms`, specPath, op, url,
        { ...headers, Accept: type }, 200, (r, problems) => {
          if (type === 'image/svg+xml') standaloneSvg(r.body.toString('utf8'), problems);
        }, { method: M, body: JSON.stringify(value) });
    }
  }
  if (res?.status !== status || (status === 200 && M === 'POST')) return;

  if (M === 'POST' && specPath === '/teamprofielen') {
    ownProfile = { uuid: JSON.parse(res.body.toString('utf8')).uuid, etag: res.headers.etag };
  } else if (ownProfile && url.endsWith(ownProfile.uuid)) {
    ownProfile.etag = res.headers.etag;
  } else if (status === 201 && M === 'POST' && res.headers.location) {
    // A POST that made a resource: it goes again at its Location.
    const at = res.headers.location;
    const del = spec.paths[`${specPath}/{naam}`]?.delete;
    await call(`${label} undone: DELETE ${at} → 204 conforms`, specPath, del, at, auth, 204, null,
      { method: 'DELETE' });
  } else if (status === 201) {
    const del = item.delete;
    await call(`${label} undone: DELETE ${url} → 204 conforms`, specPath, del, url,
      { ...auth, 'If-Match': res.headers.etag }, 204, null, { method: 'DELETE' });
  } else if (before?.status === 200) {
    await call(`${label} undone: ${M} ${url} with the GET document → 200 conforms`, specPath, op,
      url, { ...headers, 'If-Match': res.headers.etag }, 200, null, { method: M, body: before.body });
  }
}

// The run's own profile after the examples: PUT and DELETE without If-Match (428) and with a
// stale one (412) change nothing; DELETE with its ETag is 204; its audit trail then holds the
// create, update and destroy rows, and after `teamplotter audit erase` conforms with no content
// and ends with the `erase` row.
async function checkOwnProfile() {
  if (!ownProfile) {
    report('the run\'s own profile (POST /teamprofielen example)', ['none was stored']);
    return;
  }
  const specPath = '/teamprofielen/{uuid}';
  const item = spec.paths[specPath];
  const url = `${BASE}/teamprofielen/${ownProfile.uuid}`;
  const auth = clientFor(item.delete);
  const body = JSON.stringify(requestExamples(item.put)[0]?.[1] ?? {});
  const problemIs = (code) => (res, problems) => {
    if (problemCode(res) !== code) problems.push(`problem code ${problemCode(res)}, expected ${code}`);
  };
  for (const [M, op] of [['PUT', item.put], ['DELETE', item.delete]]) {
    const json = M === 'PUT' ? { 'Content-Type': 'application/json' } : {};
    const send = { method: M, body: M === 'PUT' ? body : null };
    await call(`${M} ${url} without If-Match → 428 conforms`, specPath, op, url,
      { ...auth, ...json }, 428, problemIs('precondition-required'), send);
    await call(`${M} ${url} with a stale If-Match → 412 conforms`, specPath, op, url,
      { ...auth, ...json, 'If-Match': STALE_ETAG }, 412, problemIs('precondition-failed'), send);
  }
  await call(`DELETE ${url} with its ETag → 204 conforms`, specPath, item.delete, url,
    { ...auth, 'If-Match': ownProfile.etag }, 204, null, { method: 'DELETE' });

  const trailPath = '/teamprofielen/{uuid}/audittrail';
  const trailOp = spec.paths[trailPath].get;
  const trail = `${url}/audittrail`;
  const trailAuth = clientFor(trailOp);
  await call(`GET ${trail} → 200 conforms, as its examples show`, trailPath, trailOp, trail,
    trailAuth, 200, (res, problems) => {
      const acties = JSON.parse(res.body.toString('utf8')).results.map((r) => r.actie);
      if (acties.join() !== 'create,update,destroy') problems.push(`the actions are ${acties}`);
      examplesMatchAnswer(trailOp, res, null, problems);
    });
  try {
    svc.run(['audit', 'erase', ownProfile.uuid]);
  } catch (e) {
    report(`teamplotter audit erase ${ownProfile.uuid}`, [String(e.stderr ?? e.message).trim()]);
    return;
  }
  await call(`GET ${trail} after teamplotter audit erase → 200 conforms`, trailPath, trailOp,
    trail, trailAuth, 200, (res, problems) => {
      const rows = JSON.parse(res.body.toString('utf8')).results;
      if (rows.at(-1)?.actie !== 'erase') problems.push('the last row is not the erasure');
      if (rows.some((r) => r.oud !== null || r.nieuw !== null || r.toelichting !== null)) {
        problems.push('a row still has content');
      }
    });
}

// Checks of an operation with a body (POST, PUT, DELETE) besides its examples: without a token
// (401), with a token that lacks the scope (403), the errors of the catalogue writes and of the
// public POST.
async function checkWrite(specPath, item, method, op, profileUuid) {
  const M = method.toUpperCase();
  const pathParams = paramsOf(item, op).filter((p) => p.in === 'path');
  const fillPath = (unknown) =>
    BASE +
    specPath.replace(/\{([^}]+)\}/g, (_, name) => {
      if (name === 'uuid') return profileUuid ?? '00000000-0000-0000-0000-000000000000';
      const p = pathParams.find((q) => q.name === name);
      return encodeURIComponent(unknown ? 'bestaat-niet' : String(p ? exampleOf(p) : name));
    });
  const url = fillPath(false);
  const documented = (status) => Boolean(op.responses?.[String(status)]);
  const examples = requestExamples(op);
  const json = { 'Content-Type': 'application/json' };
  const firstBody = examples.length ? JSON.stringify(examples[0][1]) : null;
  const send = (body) => ({ method: M, body });

  // A gateway that validates requests against the spec must let through a request without the
  // precondition the service answers 428 to.
  if (documented(428)) {
    const required = paramsOf(item, op)
      .filter((p) => p.in === 'header' && /^if-(none-)?match$/i.test(p.name) && p.required)
      .map((p) => p.name);
    report(`${M} ${specPath}: the precondition headers of its 428 are optional`, required.length
      ? [`${required.join(', ')} is required, so a validating gateway refuses the request ` +
        'before the service can answer 428']
      : []);
  }

  if (!isPublic(op)) {
    if (documented(401)) {
      await call(`${M} ${url} without a token → 401 conforms`, specPath, op, url,
        firstBody ? json : {}, 401, bearerChallenge, send(firstBody));
    } else {
      report(`${M} ${specPath} documents 401`, ['it needs a token but documents no 401']);
    }
    if (tokenHeaders && !clientMayCall(op)) {
      const lacking = scopeSets(op).map((s) => s.join('+')).join(' or ');
      await call(`${M} ${url} with a token lacking ${lacking} → 403 conforms`, specPath, op, url,
        { ...tokenHeaders, ...(firstBody ? json : {}) }, 403, null, send(firstBody));
    }
    if (scopeSets(op).some((set) => set.includes('catalogus.beheren'))) {
      await checkCatalogusWrite(specPath, M, op, url, fillPath(true), firstBody);
      return;
    }
    note(`${M} ${specPath} needs a token: its other responses are not called here`);
    return;
  }

  if (documented(400)) {
    const q = `${url}?onbekend=1`;
    await call(`${M} ${q} → 400 conforms`, specPath, op, q, json, 400, (res, problems) => {
      if (!invalidNames(res).includes('onbekend')) problems.push('invalidParams does not name onbekend');
    }, send(firstBody));
    await call(`${M} ${url} without a body → 400 conforms`, specPath, op, url, json, 400,
      (res, problems) => {
        if (!invalidNames(res).includes('body')) problems.push('invalidParams does not name body');
      }, send(null));
    // A body that meets every alternative of the schema's oneOf (all examples merged) meets
    // more than one, which the API must refuse.
    const schema = deref(deref(op.requestBody)?.content?.['application/json']?.schema);
    if (schema?.oneOf && examples.length > 1) {
      const merged = Object.assign({}, ...examples.map(([, v]) => v));
      await call(`${M} ${url} with every alternative of oneOf → 400 conforms`, specPath, op, url,
        json, 400, (res, problems) => {
          const v = validatorFor(schema);
          if (v(merged)) problems.push('the merged body is valid against the schema');
          if (invalidNames(res).length === 0) problems.push('invalidParams is empty');
        }, send(JSON.stringify(merged)));
    }
  }
  if (documented(415) && firstBody) {
    await call(`${M} ${url} Content-Type: text/plain → 415 conforms`, specPath, op, url,
      { 'Content-Type': 'text/plain' }, 415, null, send(firstBody));
  }
  if (documented(406) && firstBody) {
    await call(`${M} ${url} Accept: application/xml → 406 conforms`, specPath, op, url,
      { ...json, Accept: 'application/xml' }, 406, null, send(firstBody));
  }
  const untested = Object.keys(op.responses ?? {}).filter((s) => ['413', '500', '503'].includes(s));
  if (untested.length) note(`${M} ${specPath}: ${untested.join(', ')} not provoked here`);
}

// The errors of the catalogue writes, with requests that cannot change the catalogue: a stale
// If-Match (the entry exists) or an If-Match on a code that names nothing, never
// If-None-Match: *. `url` names the spec's example entry, `missing` a code that names nothing.
async function checkCatalogusWrite(specPath, M, op, url, missing, firstBody) {
  const json = { 'Content-Type': 'application/json' };
  const send = (body) => ({ method: M, body });
  const documented = (status) => Boolean(op.responses?.[String(status)]);
  const needs = (status) => {
    if (documented(status)) return true;
    report(`${M} ${specPath} documents ${status}`, [`it does not document ${status}`]);
    return false;
  };
  const problemIs = (code) => (res, problems) => {
    if (problemCode(res) !== code) problems.push(`problem code ${problemCode(res)}, expected ${code}`);
  };

  if (needs(401)) {
    await call(`${M} ${url} with a malformed token → 401 conforms`, specPath, op, url,
      { Authorization: 'Bearer x.y.z', ...(firstBody ? json : {}) }, 401, bearerChallenge,
      send(firstBody));
  }
  if (M === 'PUT' && needs(415)) {
    await call(`${M} ${url} Content-Type: text/plain → 415 conforms`, specPath, op, url,
      { ...(beheerHeaders ?? {}), 'Content-Type': 'text/plain' }, 415, null, send(firstBody));
  }
  if (!beheerHeaders) {
    note(`${M} ${specPath}: no catalogus.beheren client, 400/404/412/428 not called here`);
    return;
  }
  const H = (extra = {}) => ({ ...beheerHeaders, ...(M === 'PUT' ? json : {}), ...extra });

  // 428: neither If-Match nor (for PUT) If-None-Match: *; checked before the body and the entry.
  if (needs(428)) {
    await call(`${M} ${url} without If-Match → 428 conforms`, specPath, op, url, H(), 428,
      problemIs('precondition-required'), send(firstBody));
  }

  if (M === 'DELETE') {
    const exists = (await request(url)).status === 200;
    if (!exists) {
      note(`DELETE ${specPath}: GET ${url} does not give 200; 412 not called here`);
    } else if (needs(412)) {
      await call(`DELETE ${url} with a stale If-Match → 412 conforms`, specPath, op, url,
        H({ 'If-Match': STALE_ETAG }), 412, problemIs('precondition-failed'), send(null));
    }
    if (needs(404)) {
      await call(`DELETE ${missing} with If-Match → 404 conforms`, specPath, op, missing,
        H({ 'If-Match': STALE_ETAG }), 404, problemIs('not-found'), send(null));
    }
    if (needs(400)) {
      const q = `${url}?onbekend=1`;
      await call(`DELETE ${q} → 400 conforms`, specPath, op, q, H({ 'If-Match': STALE_ETAG }), 400,
        (res, problems) => {
          if (!invalidNames(res).includes('onbekend')) problems.push('invalidParams does not name onbekend');
        }, send(null));
    }
    return;
  }

  // PUT: the entry as GET gives it is a valid body (read-only fields included).
  const current = await request(url);
  if (current.status !== 200) {
    note(`PUT ${specPath}: GET ${url} gave ${current.status}; 400/404/412 not called here`);
    return;
  }
  const doc = JSON.parse(current.body.toString('utf8'));
  const schema = deref(op.requestBody)?.content?.['application/json']?.schema;
  {
    const problems = [];
    const v = validatorFor(schema);
    if (!v(doc)) {
      for (const e of v.errors.slice(0, 10)) problems.push(`GET document${e.instancePath} ${e.message}`);
    }
    report(`the GET document of ${url} is valid against the PUT body schema`, problems);
  }
  if (needs(412)) {
    await call(`PUT ${url} with the GET document and a stale If-Match → 412 conforms`, specPath, op,
      url, H({ 'If-Match': STALE_ETAG }), 412, problemIs('precondition-failed'),
      send(JSON.stringify(doc)));
  }
  if (needs(404)) {
    const { code, ...withoutCode } = doc;
    await call(`PUT ${missing} with If-Match and a valid body without code → 404 conforms`, specPath,
      op, missing, H({ 'If-Match': STALE_ETAG }), 404, problemIs('not-found'),
      send(JSON.stringify(withoutCode)));
  }
  if (needs(400)) {
    // A body that breaks the schema: a code that is not the path's, an unknown field and, for a
    // role with competencies, a level out of range. It is checked before the (stale) If-Match.
    const bad = { ...doc, code: 'iets-anders', onbekendVeld: 1 };
    const expect = ['code', 'onbekendVeld'];
    if (Array.isArray(doc.competenties) && doc.competenties.length > 0) {
      bad.competenties = doc.competenties.map((c, i) => (i === 0 ? { ...c, niveau: 9 } : c));
      expect.push('competenties.0.niveau');
    }
    await call(`PUT ${url} with an invalid body → 400 conforms`, specPath, op, url,
      H({ 'If-Match': STALE_ETAG }), 400, (res, problems) => {
        const names = invalidNames(res);
        for (const name of expect) {
          if (!names.includes(name)) problems.push(`invalidParams does not name ${name}`);
        }
        if (validatorFor(schema)(bad)) problems.push('the invalid body is valid against the schema');
      }, send(JSON.stringify(bad)));
    await call(`PUT ${url} without a body → 400 conforms`, specPath, op, url,
      H({ 'If-Match': STALE_ETAG }), 400, (res, problems) => {
        if (!invalidNames(res).includes('body')) problems.push('invalidParams does not name body');
      }, send(null));
  }
}

// The catalogue versions: the root names the current one, and the changes of the newest version
// that changed anything conform to the schema (the seed's version has none).
// Makes client `id` with `scopes` (and `more` arguments) and returns the Authorization header of
// a token of it, or null when that failed.
function makeClient(id, scopes, gemeenten) {
  try {
    const headers = svc.client(id, scopes, gemeenten);
    report(`client ${id} made, with a token`, []);
    return headers;
  } catch (e) {
    report(`client ${id} made, with a token`, [String(e.stderr ?? e.message).trim()]);
    return null;
  }
}

// The rounds the spec's examples name ({naam} and ?met= of /peilingen), made with the command
// line before any GET, the one compared with first.
function makeExampleRounds() {
  const naam = spec.components.parameters.PeilingNaam.example;
  const met = spec.components.parameters.PeilingMet.example;
  for (const [name, datum] of [[met, '2026-03-31'], [naam, '2026-06-30']]) {
    try {
      svc.run(['peiling', 'maak', name, '--peildatum', datum]);
      report(`peiling ${name} made with \`teamplotter peiling maak\``, []);
    } catch (e) {
      report(`peiling ${name} made with \`teamplotter peiling maak\``,
        [String(e.stderr ?? e.message).trim()]);
    }
  }
}

// The benchmark of a municipality as its own client reads it: the banded view, conforming to the
// same schema.
async function checkOwnBenchmark() {
  const specPath = '/gemeenten/{code}/benchmark';
  const op = spec.paths[specPath]?.get;
  if (!op || !eigenHeaders) {
    report(`GET ${specPath} as the municipality's own client`, ['no such operation, or no client']);
    return;
  }
  const url = `${BASE}/gemeenten/${EIGEN_GEMEENTE}/benchmark`;
  await call(`GET ${url} (own client) → 200 conforms, weergave band`, specPath, op, url,
    eigenHeaders, 200, (res, problems) => {
      const positie = JSON.parse(res.body.toString('utf8')).positie ?? {};
      if (positie.weergave !== 'band') problems.push(`weergave is ${positie.weergave}`);
      for (const k of ['groepsgrootte', 'ftePer10000Percentiel', 'dekkingPercentiel']) {
        if (positie[k] !== null) problems.push(`${k} is ${positie[k]}, not null`);
      }
    });
}

async function checkCatalogusVersies() {
  const specPath = '/catalogusversies/{versie}/wijzigingen';
  const op = spec.paths[specPath]?.get;
  if (!op) return;
  const root = JSON.parse((await request(BASE)).body.toString('utf8'));
  const list = JSON.parse((await request(`${BASE}/catalogusversies?pageSize=100`)).body.toString('utf8'));
  const current = list.results.filter((v) => v.huidig);
  const problems = [];
  if (current.length !== 1) problems.push(`${current.length} versions have huidig=true`);
  else if (current[0].versie !== root.catalogusVersie) {
    problems.push(`the root says ${root.catalogusVersie}, the current version is ${current[0].versie}`);
  }
  if (list.count <= 100 && list.results.length > 0 && list.results[0] !== current[0]) {
    problems.push('the newest version (the first) is not the current one');
  }
  report('GET / catalogusVersie is the one catalogue version with huidig=true', problems);
  const changed = list.results.find((v) => v.aantallen.toegevoegd + v.aantallen.gewijzigd +
    v.aantallen.verwijderd > 0);
  if (!changed) {
    note(`${specPath}: no version with changes in this database; only the empty list was checked`);
    return;
  }
  const url = `${BASE}/catalogusversies/${encodeURIComponent(changed.versie)}/wijzigingen?pageSize=100`;
  await call(`GET ${url} → 200 conforms`, specPath, op, url, {}, 200, (res, problems) => {
    const body = JSON.parse(res.body.toString('utf8'));
    const { toegevoegd, gewijzigd, verwijderd } = changed.aantallen;
    if (body.count !== toegevoegd + gewijzigd + verwijderd) {
      problems.push(`count ${body.count}, the version's aantallen add up to ` +
        `${toegevoegd + gewijzigd + verwijderd}`);
    }
  });
}

// --- main ---------------------------------------------------------------------------------------

const started = Date.now();
try {
  svc = await startService(binary, { name: 'contract' });
  port = svc.port;
} catch (e) {
  console.error(`contract: ${e.message}`);
  process.exit(1);
}
let stopped = false;
try {
  checkSpecExamples();

  // The served spec is the given file.
  {
    const json = await request(`${BASE}/openapi.json`);
    const problems = [];
    let served = null;
    try {
      served = JSON.parse(json.body.toString('utf8'));
    } catch (e) {
      problems.push(`openapi.json is not JSON: ${e.message}`);
    }
    if (served && !isDeepStrictEqual(served, spec)) {
      problems.push(`the served openapi.json is not ${specFile}: first difference at ` +
        `${firstDifference(served, spec, '#')}`);
    }
    report(`served ${BASE}/openapi.json equals ${specFile}`, problems);
    const yaml = await request(`${BASE}/openapi.yaml`);
    report(`served ${BASE}/openapi.yaml is ${specFile} byte for byte`,
      yaml.body.toString('utf8') === specText ? [] : ['the served YAML differs from the file']);
  }

  // Routes of the binary versus the spec, both ways.
  {
    const routes = svc.run(['routes'])
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    if (routes.length === 0) report('`teamplotter routes` prints the route table', ['nothing']);
    const routed = new Set();
    for (const line of routes) {
      const [method, route] = line.split(/\s+/);
      if (OUTSIDE_SPEC.has(route)) continue;
      let specPath = null;
      if (route === BASE) specPath = '/'; // the root also without the slash
      else if (route === `${BASE}/`) specPath = '/';
      else if (route.startsWith(`${BASE}/`)) specPath = route.slice(BASE.length);
      routed.add(`${method.toUpperCase()} ${specPath ?? route}`);
      const documented = specPath !== null && spec.paths[specPath]?.[method.toLowerCase()];
      report(`route ${method} ${route} is documented`, documented ? [] : [
        `${method} ${route} is served, but the spec has no ${method} ${specPath ?? route}`,
      ]);
    }
    for (const [specPath, item] of Object.entries(spec.paths)) {
      for (const method of METHODS.filter((m) => item[m])) {
        const key = `${method.toUpperCase()} ${specPath}`;
        const route = `${method.toUpperCase()} ${BASE}${specPath}`;
        report(`documented ${key} is routed`, routed.has(key) ? [] : [
          `${key} is in the spec, but \`teamplotter routes\` has no ${route}`,
        ]);
      }
    }
  }

  // A reference profile's uuid for {uuid} (the spec's example names no seeded profile).
  let profileUuid = null;
  try {
    const r = await request(`${BASE}/teamprofielen?referentie=true&pageSize=1`);
    profileUuid = JSON.parse(r.body.toString('utf8')).results[0].uuid;
  } catch {
    profileUuid = null;
  }

  // The clients of this run, for the token-protected operations.
  const pid = process.pid;
  tokenHeaders = makeClient(`contract-${pid}`, CLIENT_SCOPES, '*');
  beheerHeaders = makeClient(`contract-${pid}-beheer`, BEHEER_SCOPES, null);
  schrijfHeaders = makeClient(`contract-${pid}-schrijf`, SCHRIJF_SCOPES, '*');
  eigenHeaders = makeClient(`contract-${pid}-eigen`, EIGEN_SCOPES, EIGEN_GEMEENTE);
  peilingHeaders = makeClient(`contract-${pid}-peiling`, PEILING_SCOPES, null);
  CLIENTS.push({ scopes: CLIENT_SCOPES, headers: tokenHeaders },
    { scopes: BEHEER_SCOPES, headers: beheerHeaders },
    { scopes: SCHRIJF_SCOPES, headers: schrijfHeaders },
    { scopes: PEILING_SCOPES, headers: peilingHeaders });
  makeExampleRounds();

  for (const [specPath, item] of Object.entries(spec.paths)) {
    if (item.get) await checkGet(specPath, item, item.get, profileUuid);
    for (const method of ['post', 'put', 'delete', 'patch'].filter((m) => item[m])) {
      await checkWrite(specPath, item, method, item[method], profileUuid);
    }
  }
  await checkRequestExamples();
  await checkOwnProfile();
  await checkCatalogusVersies();
  await checkOwnBenchmark();
} catch (e) {
  report('the contract test runs to the end', [String(e?.stack ?? e)]);
} finally {
  // Graceful stop: SIGTERM, exit status 0; the run's database goes with it.
  let result = null;
  try {
    result = await svc.stop();
    stopped = true;
  } catch (e) {
    note(`could not drop the run's database: ${e.message}`);
  }
  const problems = [];
  if (result === null) problems.push('still running 30 s after SIGTERM');
  else if (result.code !== 0) problems.push(`exit status ${result.code} (signal ${result.signal})`);
  report('server stops on SIGTERM with exit status 0', problems);
  if (results().failed > 0) console.log(`--- server log ---\n${svc.log.join('')}--- end of server log ---`);
}

console.log(`contract: ${((Date.now() - started) / 1000).toFixed(1)} s`);
const { passed, failed } = results();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && stopped ? 0 : 1);
