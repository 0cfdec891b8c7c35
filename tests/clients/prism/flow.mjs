// Prism as a validating proxy in front of the service (`prism proxy --errors`), with the traffic
// of a municipal front-end, an analyst and the catalogue manager going through it: browsing
// with filters, paging and search, 304s, gap analyses, a team profile created, replaced and
// deleted (with 412 and 428 on the way), its analysis as JSON and SVG, its audit trail, the
// benchmark, the bulk benchmarks as JSON and CSV, two rounds (peilingen) made, read, compared
// and one removed, catalogue versions and writes, and every
// documented error status a request the spec allows can get. Prism checks each request and each
// answer against openapi/openapi.yaml; the step fails on any violation it reports (in its log,
// or as an answer of its own instead of the service's), and on any answer that is not the
// expected status.
//
// Not provoked here: 415 (a body whose media type the spec does not list is a request
// violation by definition: Prism answers 422 itself and the service never sees it; the contract
// test and Dredd provoke it), 500 and 503 (no request the spec allows causes them).
import { spawn } from 'node:child_process';
import path from 'node:path';

import { freePort } from '../../lib/service.mjs';

const STALE = '"00000000000000000000000000000000"';
const PRISM_ERROR = 'https://stoplight.io/prism/errors#';

export default async function prismFlow({ SPEC, BIN, binary, report, startService }) {
  const svc = await startService(binary, { name: 'clients_prism' });
  let prism = null;
  const prismLog = [];
  try {
    const gemeente = 'GM0855';
    const eigen = svc.client('prism-gemeente', ['teamprofielen.lezen', 'teamprofielen.schrijven',
      'audittrail.lezen'], gemeente);
    const vng = svc.client('prism-vng', ['teamprofielen.lezen', 'benchmarks.lezen'], '*');
    const lezer = svc.client('prism-lezer', ['teamprofielen.lezen'], gemeente);
    const beheer = svc.client('prism-beheer', ['catalogus.beheren']);
    const analist = svc.client('prism-analist', ['peilingen.beheren', 'benchmarks.lezen']);

    const port = await freePort();
    prism = spawn(path.join(BIN, 'prism'), ['proxy', SPEC, `${svc.origin}/api/v1`, '--errors',
      '-p', String(port), '-h', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const ended = new Promise((resolve) => prism.on('exit', resolve));
    process.on('exit', () => prism.exitCode === null && prism.kill('SIGKILL'));
    let listening = false;
    const onData = (d) => {
      prismLog.push(d.toString());
      if (/Prism is listening/.test(d.toString())) listening = true;
    };
    prism.stdout.on('data', onData);
    prism.stderr.on('data', onData);
    for (let i = 0; i < 600 && !listening && prism.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    report(`prism proxy --errors listens on ${port}, in front of ${svc.origin}/api/v1`,
      listening ? [] : [`it did not start:\n${prismLog.join('')}`]);
    if (!listening) return;

    const base = `http://127.0.0.1:${port}`;
    const answers = [];
    // One request through Prism; `status` is the one expected. Returns the response with its
    // body read (`text`, and `json` when it is JSON).
    async function send(label, status, urlPath, { method = 'GET', headers = {}, body } = {}) {
      const init = { method, headers: { ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        init.headers['Content-Type'] ??= 'application/json';
      }
      const res = await fetch(base + urlPath, init);
      const text = await res.text();
      let json = null;
      if (/json/.test(res.headers.get('content-type') ?? '') && text) json = JSON.parse(text);
      const problems = [];
      if (typeof json?.type === 'string' && json.type.startsWith(PRISM_ERROR)) {
        problems.push(`Prism answered ${res.status} itself: ${json.title}`);
        for (const v of json.validation ?? []) {
          problems.push(`  ${(v.location ?? []).join('.')}: ${v.message}`);
        }
      } else if (res.status !== status) {
        problems.push(`status ${res.status}, expected ${status}: ${text.slice(0, 300)}`);
      }
      report(`${label}: ${method} ${urlPath} → ${status}`, problems);
      answers.push(res.status);
      return { status: res.status, headers: res.headers, text, json };
    }
    const etagOf = (r) => r.headers.get('etag');
    const bearer = (h) => ({ ...h, 'Content-Type': 'application/json' });

    // --- browsing, as anyone ---
    const root = await send('the root', 200, '/');
    await send('the root, unchanged', 304, '/', { headers: { 'If-None-Match': etagOf(root) } });
    await send('role families', 200, '/rolfamilies');
    await send('core roles', 200, '/rollen?kernrol=true');
    await send('roles of a family, searched', 200, '/rollen?familie=regie-en-strategie&zoek=verbind');
    const rol = await send('one role', 200, '/rollen/verbinder');
    await send('one role, unchanged', 304, '/rollen/verbinder', { headers: { 'If-None-Match': etagOf(rol) } });
    await send('competencies, searched, second page', 200, '/competenties?zoek=web&page=2&pageSize=3');
    await send('one competency', 200, '/competenties/webanalyse');
    await send('success factors', 200, '/succesfactoren');
    await send('one success factor', 200, '/succesfactoren/sturen-op-data');
    await send('municipalities of a province and size class', 200,
      '/gemeenten?provincie=Noord-Brabant&grootteklasse=7&page=1&pageSize=10');
    await send('municipalities, searched', 200, '/gemeenten?zoek=fryske');
    await send('the reference municipalities', 200, '/gemeenten?referentie=true');
    await send('one municipality', 200, `/gemeenten/${gemeente}`);
    await send('success stories', 200, '/succesverhalen');
    await send('one success story', 200, `/succesverhalen/${gemeente}`);
    await send('sources, a later page', 200, '/bronnen?page=2&pageSize=5');
    const referenties = await send('reference profiles', 200, '/teamprofielen?referentie=true&peildatumVanaf=2019-01-01');
    const ref = referenties.json.results[0].uuid;
    await send('one reference profile', 200, `/teamprofielen/${ref}`);
    await send('its analysis', 200, `/teamprofielen/${ref}/gap-analyse`);
    await send('its chart', 200, `/teamprofielen/${ref}/gap-analyse`, { headers: { Accept: 'image/svg+xml' } });
    await send('a reference municipality\'s development', 200, `/gemeenten/${referenties.json.results[0].gemeente}/ontwikkeling`);
    await send('the spec as JSON', 200, '/openapi.json');
    await send('the spec as YAML', 200, '/openapi.yaml');

    // --- the anonymous teamplotter ---
    const lid = (label, fte, rollen) => ({ label, fte, rollen, competenties: [{ code: 'schrijven-voor-het-web', niveau: 3 }] });
    const leden = [lid('Webredactie 1', 0.8, [{ rol: 'webredacteur', aandeel: 0.6 }, { rol: 'webcare-medewerker', aandeel: 0.2 }]),
      lid('Adviseur dienstverlening', 0.5, [{ rol: 'kanaalregisseur', aandeel: 0.3 }, { rol: 'verbinder', aandeel: 0.2 }])];
    await send('a gap analysis', 200, '/gap-analyses', { method: 'POST', body: { gemeente: 'GM0797', peildatum: '2026-01-01', leden } });
    await send('a what-if analysis', 200, '/gap-analyses', { method: 'POST', body: { inwoners: 45000, leden } });

    // --- errors a request the spec allows can get ---
    await send('an unknown query parameter', 400, '/rollen?onbekend=1');
    await send('a team that breaks the rules', 400, '/gap-analyses', { method: 'POST',
      body: { gemeente: 'GM9999', leden: [lid('A', 0.5, [{ rol: 'bestaat-niet', aandeel: 0.2 }])] } });
    await send('profiles without a token or referentie=true', 401, '/teamprofielen');
    await send('benchmarks with a token that is no token', 401, '/benchmarks', { headers: { Authorization: 'Bearer x.y.z' } });
    await send('writing a profile without the scope', 403, '/teamprofielen', { method: 'POST', headers: bearer(lezer),
      body: { gemeente, peildatum: '2026-01-01', leden } });
    await send('a role that does not exist', 404, '/rollen/bestaat-niet');
    await send('a profile that does not exist', 404, '/teamprofielen/00000000-0000-4000-8000-000000000000');
    await send('a media type the API does not make', 406, '/rollen', { headers: { Accept: 'application/xml' } });
    // Larger than the service takes (1 MiB), and still what the spec allows.
    const groot = { inwoners: 45000, leden: Array.from({ length: 500 }, (_, i) => ({ label: `Lid ${i}`, fte: 0.5,
      rollen: [{ rol: 'webredacteur', aandeel: 0.5 }],
      competenties: Array.from({ length: 60 }, () => ({ code: 'schrijven-voor-het-web', niveau: 3 })) })) };
    await send('a body over the limit', 413, '/gap-analyses', { method: 'POST', body: groot });

    // --- a municipality's own team profile ---
    const profiel = { gemeente, peildatum: '2026-01-01', leden };
    const gemaakt = await send('its profile stored', 201, '/teamprofielen', { method: 'POST',
      headers: { ...bearer(eigen), 'X-Audit-Toelichting': 'Eerste opgave.' }, body: profiel });
    const uuid = gemaakt.json?.uuid;
    const url = `/teamprofielen/${uuid}`;
    await send('its profile read', 200, url, { headers: eigen });
    await send('its profiles listed', 200, `/teamprofielen?gemeente=${gemeente}&referentie=false`, { headers: eigen });
    const anders = { ...profiel, toelichting: 'Webredactie 1 werkt voortaan voltijds.', leden: [lid('Webredactie 1', 1.0,
      [{ rol: 'webredacteur', aandeel: 0.8 }, { rol: 'webcare-medewerker', aandeel: 0.2 }]), leden[1]] };
    await send('replaced without If-Match', 428, url, { method: 'PUT', headers: bearer(eigen), body: anders });
    await send('replaced with a stale If-Match', 412, url, { method: 'PUT',
      headers: { ...bearer(eigen), 'If-Match': STALE }, body: anders });
    const vervangen = await send('replaced with its ETag', 200, url, { method: 'PUT',
      headers: { ...bearer(eigen), 'If-Match': etagOf(gemaakt) }, body: anders });
    await send('its analysis as JSON', 200, `${url}/gap-analyse`, { headers: eigen });
    const svg = await send('its analysis as a chart', 200, `${url}/gap-analyse`, { headers: { ...eigen, Accept: 'image/svg+xml' } });
    await send('its chart, unchanged', 304, `${url}/gap-analyse`, { headers: { ...eigen, Accept: 'image/svg+xml',
      'If-None-Match': etagOf(svg) } });
    await send('its audit trail', 200, `${url}/audittrail`, { headers: eigen });
    await send('its benchmark, as its own client sees it', 200, `/gemeenten/${gemeente}/benchmark`, { headers: eigen });
    await send('its benchmark, as VNG sees it', 200, `/gemeenten/${gemeente}/benchmark`, { headers: vng });
    await send('all benchmarks, a page', 200, '/benchmarks?page=1&pageSize=5', { headers: vng });
    await send('all benchmarks as CSV', 200, '/benchmarks', { headers: { ...vng, Accept: 'text/csv' } });
    await send('its development', 200, `/gemeenten/${gemeente}/ontwikkeling`, { headers: eigen });
    await send('its development as CSV', 200, `/gemeenten/${gemeente}/ontwikkeling?vanaf=2019-01-01`,
      { headers: { ...eigen, Accept: 'text/csv' } });
    await send('its development as a chart', 200, `/gemeenten/${gemeente}/ontwikkeling`,
      { headers: { ...vng, Accept: 'image/svg+xml' } });
    await send('its development, vanaf after tot', 400, `/gemeenten/${gemeente}/ontwikkeling?vanaf=2025-01-01&tot=2024-01-01`,
      { headers: eigen });
    await send('another municipality\'s development', 403, '/gemeenten/GM0402/ontwikkeling', { headers: eigen });
    await send('deleted without If-Match', 428, url, { method: 'DELETE', headers: eigen });
    await send('deleted with its ETag', 204, url, { method: 'DELETE', headers: { ...eigen, 'If-Match': etagOf(vervangen) } });
    await send('its audit trail after the delete', 200, `${url}/audittrail`, { headers: eigen });

    // --- rounds (peilingen), under names of this run ---
    const q1 = `prism-${process.pid}-q1`;
    const q2 = `prism-${process.pid}-q2`;
    await send('a round made', 201, '/peilingen', { method: 'POST', headers: analist,
      body: { naam: q1, peildatum: '2026-03-31', toelichting: 'Eerste kwartaal.' } });
    await send('the next round made', 201, '/peilingen', { method: 'POST', headers: analist,
      body: { naam: q2, peildatum: '2026-06-30' } });
    await send('a round of that name again', 409, '/peilingen', { method: 'POST', headers: analist,
      body: { naam: q2, peildatum: '2026-06-30' } });
    await send('the rounds', 200, '/peilingen?pageSize=5', { headers: vng });
    await send('one round', 200, `/peilingen/${q2}`, { headers: vng });
    await send('its results, a page', 200, `/peilingen/${q2}/resultaten?pageSize=5`, { headers: vng });
    await send('its results as CSV', 200, `/peilingen/${q2}/resultaten`, { headers: { ...vng, Accept: 'text/csv' } });
    await send('compared with the round before', 200, `/peilingen/${q2}/vergelijking`, { headers: vng });
    await send('compared as CSV', 200, `/peilingen/${q1}/vergelijking?met=${q2}`, { headers: { ...vng, Accept: 'text/csv' } });
    await send('a round removed', 204, `/peilingen/${q1}`, { method: 'DELETE', headers: analist });
    await send('the removed round', 404, `/peilingen/${q1}`, { headers: vng });

    // --- the catalogue ---
    const familie = { naam: 'Data en AI', omschrijving: 'Rollen die gegevens en AI verantwoord inzetten.' };
    const nieuw = await send('a role family added', 201, '/rolfamilies/data-en-ai', { method: 'PUT',
      headers: { ...bearer(beheer), 'If-None-Match': '*', 'X-Audit-Toelichting': 'Nieuwe familie.' }, body: familie });
    await send('added again', 412, '/rolfamilies/data-en-ai', { method: 'PUT',
      headers: { ...bearer(beheer), 'If-None-Match': '*' }, body: familie });
    await send('changed without If-Match', 428, '/rolfamilies/data-en-ai', { method: 'PUT', headers: bearer(beheer), body: familie });
    const gewijzigd = await send('changed with its ETag', 200, '/rolfamilies/data-en-ai', { method: 'PUT',
      headers: { ...bearer(beheer), 'If-Match': etagOf(nieuw) },
      body: { ...familie, omschrijving: 'Rollen die gegevens, algoritmen en AI verantwoord inzetten.' } });
    await send('a competency still in use', 409, '/competenties/webanalyse', { method: 'DELETE',
      headers: { ...beheer, 'If-Match': etagOf(await send('the competency', 200, '/competenties/webanalyse')) } });
    await send('removed without If-Match', 428, '/rolfamilies/data-en-ai', { method: 'DELETE', headers: beheer });
    await send('removed with its ETag', 204, '/rolfamilies/data-en-ai', { method: 'DELETE',
      headers: { ...beheer, 'If-Match': etagOf(gewijzigd) } });
    const versies = await send('catalogue versions', 200, '/catalogusversies?pageSize=5');
    const versie = encodeURIComponent(versies.json.results[0].versie);
    await send('the newest version', 200, `/catalogusversies/${versie}`);
    await send('what it changed', 200, `/catalogusversies/${versie}/wijzigingen`);

    const documented = new Set(answers);
    const missing = [200, 201, 204, 304, 400, 401, 403, 404, 406, 409, 412, 413, 428]
      .filter((s) => !documented.has(s));
    report('every status the flow means to show came through Prism', missing.length ? [`missing: ${missing}`] : []);

    // Prism's own account: no violation and no request it answered itself.
    await new Promise((r) => setTimeout(r, 200));
    const bad = prismLog.join('').split('\n').filter((l) => /✖|Violation|VIOLATION|warning/i.test(l));
    report(`Prism reports no violation for ${answers.length} requests`, bad.slice(0, 20));
    prism.kill('SIGTERM');
    await ended;
  } finally {
    if (prism && prism.exitCode === null) prism.kill('SIGKILL');
    const stopped = await svc.stop();
    report('the server stops on SIGTERM with exit status 0', stopped?.code === 0 ? [] : [JSON.stringify(stopped)]);
  }
}
