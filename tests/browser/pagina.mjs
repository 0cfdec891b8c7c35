#!/usr/bin/env node
// The page for people (GET /, docs/pagina.md) as a person uses it, in Debian's Chromium driven
// by puppeteer-core, against `teamplotter serve` on a database of its own:
//   - search and pick a municipality, add three members with roles and levels, and see the
//     chart change; the statuses in the table are those POST /api/v1/gap-analyses gives for
//     the same team (asked here from Node.js);
//   - a validation error is shown at its field (aria-invalid, the API's reason);
//   - the team exported as JSON and as CSV, and both imported again, give the same analysis;
//     a CSV with bad rows names every one;
//   - a reference profile opens read-only, with its success story, sources and chart;
//   - the report (print view) renders on one printed page, with the chart;
//   - axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa) finds 0 violations in every state: empty,
//     a filled team, errors shown, the report, a reference profile; /docs too;
//   - keyboard alone (Tab, Enter, Space and typing) picks a municipality, adds a member with a
//     role (chosen by typing its name in the select) and sees the plot, opens the report and a
//     reference profile; every focusable element is reached by Tab and shows a visible focus;
//   - /docs renders the reference from the served spec with the pinned Redoc bundle;
//   - the browser reports no Content-Security-Policy violation on any page, and the page's
//     first load transfers less than 100 KB.
// Screenshots of each state go to the output folder (TEAMPLOTTER_TEST_OUTPUT, else
// build/test-output/pagina); TEAMPLOTTER_UPDATE_EXAMPLE=1 also writes docs/pagina-voorbeeld.png,
// the README's picture of the page. Ends with "N passed, N failed"; exits non-zero on any failure.
//
//   node tests/browser/pagina.mjs path/to/teamplotter     (TEAMPLOTTER_DATABASE_URL set)

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

import puppeteer from 'puppeteer-core';

import { csvToLeden, teamToCsv } from '../../web/pagina/bestand.js';
import { report, note, results } from '../lib/report.mjs';
import { startService } from '../lib/service.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');
const binary = process.argv[2] ?? path.join(root, 'build/teamplotter');
const CHROMIUM = process.env.TEAMPLOTTER_CHROMIUM ?? '/usr/bin/chromium';
const OUT = process.env.TEAMPLOTTER_TEST_OUTPUT ?? path.join(root, 'build/test-output/pagina');
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const FIRST_LOAD_LIMIT = 100 * 1024;

if (!process.env.TEAMPLOTTER_DATABASE_URL) {
  console.error('pagina: TEAMPLOTTER_DATABASE_URL is not set (run through scripts/dev.sh test)');
  process.exit(2);
}
if (!fs.existsSync(CHROMIUM)) {
  console.error(`pagina: ${CHROMIUM} is missing (apt-get install chromium)`);
  process.exit(2);
}
fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// --- the browser -----------------------------------------------------------------------------

const svc = await startService(binary, { name: 'pagina' });
const base = svc.origin;
const browser = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--lang=nl-NL'],
});
console.log(`browser: ${await browser.version()}`);

// Every CSP violation any page reports, from its console and from the DOM event.
const cspViolations = [];

async function openPage(url = `${base}/`) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => cspViolations.push(`${page.url()}: script error ${e.message}`));
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: OUT });
  await page.goto(url, { waitUntil: 'networkidle0' });
  return page;
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
}

// axe-core in the page (evaluated through DevTools, so the page's CSP stays as it is).
async function axe(page, state) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  }, AXE_TAGS);
  report(`axe-core (${AXE_TAGS.join(', ')}): 0 violations, ${state}`, found);
}

async function text(page, selector) {
  return page.$eval(selector, (e) => e.textContent.trim());
}

// Waits until the plot says it is up to date (or the API asked for a correction).
async function settled(page) {
  await sleep(400);
  await page.waitForFunction(() => {
    const s = document.getElementById('analyse-status').textContent;
    return s.startsWith('Bijgewerkt') || s.startsWith('De plot wacht');
  }, { timeout: 15000 });
}

async function chartSvg(page) {
  return page.$eval('#grafiek', (e) => e.innerHTML);
}

// The rows of the table behind the chart: role name -> status.
async function statuses(page) {
  return page.$$eval('#rollen-tabel tbody tr', (rows) => Object.fromEntries(rows.map((r) => {
    const cells = [...r.children].map((c) => c.textContent.trim());
    return [cells[0], cells[5]];
  })));
}

async function lastLidId(page) {
  return page.$$eval('#leden fieldset.lid', (fs) => fs[fs.length - 1].id);
}

// Adds a member as a person does with the mouse and keyboard.
async function addMember(page, lid) {
  await page.click('#lid-toevoegen');
  const id = await lastLidId(page);
  await page.type(`#${id}-label`, lid.label);
  await page.type(`#${id}-fte`, lid.fte);
  for (const [j, r] of lid.rollen.entries()) {
    await page.click(`#${id}-rol-toevoegen`);
    await page.select(`#${id}-rol-${j}`, r.rol);
    await page.type(`#${id}-rol-${j}-aandeel`, r.aandeel);
  }
  for (const [code, niveau] of Object.entries(lid.competenties)) {
    await page.select(`#${id}-comp-${code}`, String(niveau));
  }
  await settled(page);
  return id;
}

const TEAM = [
  { label: 'Webredactie 1', fte: '0,8', rollen: [{ rol: 'webredacteur', aandeel: '0,6' }, { rol: 'webcare-medewerker', aandeel: '0,2' }],
    competenties: { 'schrijven-voor-het-web': 3, 'begrijpelijke-taal': 2 } },
  { label: 'Adviseur dienstverlening', fte: '0,5', rollen: [{ rol: 'kanaalregisseur', aandeel: '0,3' }, { rol: 'verbinder', aandeel: '0,2' }],
    competenties: { 'omnichannel-kanaalsturing': 3, 'bestuurlijke-sensitiviteit': 2 } },
  { label: 'Functioneel beheer', fte: '0,4', rollen: [{ rol: 'functioneel-beheerder', aandeel: '0,4' }],
    competenties: { 'cms-en-platformbeheer': 2 } },
];

// The same team as the API's body.
function teamBody(gemeente) {
  const num = (t) => Number(t.replace(',', '.'));
  return {
    gemeente,
    leden: TEAM.map((l) => ({
      label: l.label, fte: num(l.fte),
      rollen: l.rollen.map((r) => ({ rol: r.rol, aandeel: num(r.aandeel) })),
      competenties: Object.entries(l.competenties).map(([code, niveau]) => ({ code, niveau })),
    })),
  };
}

async function api(pathname, init) {
  const res = await fetch(`${base}/api/v1${pathname}`, init);
  return res.json();
}

// --- the whole exercise ----------------------------------------------------------------------

async function exercise() {
  // First load: what crosses the wire, the page's own files compressed.
  const page = await browser.newPage();
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  let transferred = 0;
  const encodings = {};
  cdp.on('Network.loadingFinished', (e) => { transferred += e.encodedDataLength; });
  cdp.on('Network.responseReceived', (e) => { encodings[e.response.url] = e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'] ?? null; });
  await page.goto(`${base}/`, { waitUntil: 'networkidle0' });
  report(`the page's first load transfers less than 100 KB (${(transferred / 1024).toFixed(1)} KB, API calls included)`,
    transferred < FIRST_LOAD_LIMIT ? [] : [`${transferred} bytes`]);
  const plain = Object.entries(encodings).filter(([u, enc]) => !u.includes('/api/') && enc !== 'gzip');
  report('the page\'s own files come gzipped', plain.map(([u]) => `${u} not gzipped`));
  await page.close();

  const p = await openPage();
  await p.waitForSelector('#referenties button');
  report('the catalogue and the reference municipalities load', await p.$eval('#laden', (e) => e.hidden) ? [] : ['#laden still shown']);
  await shot(p, '01-leeg');
  await axe(p, 'the empty page');

  // 1. Search and pick a municipality.
  await p.type('#zoek', 'zeew');
  await p.waitForSelector('#zoek-resultaten button');
  const hits = await p.$$eval('#zoek-resultaten button', (bs) => bs.map((b) => b.textContent));
  report('searching "zeew" finds Zeewolde', hits.some((h) => h.startsWith('Zeewolde')) ? [] : [`found ${hits.join('; ')}`]);
  await p.click('#zoek-resultaten button');
  const gekozen = await text(p, '#gekozen');
  report('Zeewolde is chosen', gekozen.includes('Zeewolde (GM0050)') ? [] : [`#gekozen says ${gekozen}`]);
  await settled(p);

  // 2. Three members; the chart changes with each.
  const charts = [await chartSvg(p)];
  for (const lid of TEAM) {
    await addMember(p, lid);
    charts.push(await chartSvg(p));
  }
  const distinct = new Set(charts).size;
  report('the chart changes as members are added (4 distinct charts)', distinct === 4 ? [] : [`${distinct} distinct charts`]);
  const status = await text(p, '#analyse-status');
  report('the plot is up to date with three members', status.startsWith('Bijgewerkt: team 1,70 fte') ? [] : [status]);

  // The statuses on the page are the API's for the same team.
  const body = teamBody('GM0050');
  const fromApi = await api('/gap-analyses', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const rollen = await api('/rollen?pageSize=100');
  const naamVan = Object.fromEntries(rollen.results.map((r) => [r.code, r.naam]));
  const shown = await statuses(p);
  const differ = fromApi.rollen.filter((r) => shown[naamVan[r.rol]] !== r.status)
    .map((r) => `${r.rol}: page ${shown[naamVan[r.rol]]}, API ${r.status}`);
  report(`the page's statuses equal POST /api/v1/gap-analyses for the same team (${fromApi.rollen.length} roles)`,
    differ.length === 0 && fromApi.rollen.length > 0 ? [] : differ);
  const svgFromApi = await (await fetch(`${base}/api/v1/gap-analyses`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'image/svg+xml' }, body: JSON.stringify(body) })).text();
  const titleOnPage = await p.$eval('#grafiek svg title', (t) => t.textContent);
  report('the chart on the page is the API\'s SVG for the team', svgFromApi.includes(`>${titleOnPage}<`) && titleOnPage.includes('Zeewolde (GM0050)') ? [] : [`title on page: ${titleOnPage}`]);
  const alt = await p.$eval('#grafiek svg', (s) => ({ role: s.getAttribute('role'), label: s.getAttribute('aria-labelledby').split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ') }));
  report('the chart is an image named by its title and description', alt.role === 'img' && alt.label.includes('Gap-analyse') ? [] : [JSON.stringify(alt)]);
  await shot(p, '02-team');
  // TEAMPLOTTER_UPDATE_EXAMPLE=1: the README's picture of the page, the plot of this team.
  if (process.env.TEAMPLOTTER_UPDATE_EXAMPLE === '1') {
    const clip = await p.evaluate(() => {
      const top = document.getElementById('kop-plot').getBoundingClientRect().top + window.scrollY - 16;
      const bottom = document.querySelector('#analyse figure').getBoundingClientRect().bottom + window.scrollY + 8;
      return { x: 0, y: top, width: document.documentElement.clientWidth, height: bottom - top };
    });
    await p.screenshot({ path: path.join(root, 'docs/pagina-voorbeeld.png'), clip, captureBeyondViewport: true });
  }
  await axe(p, 'a filled team');

  // 3. A validation error at its field.
  const first = await p.$eval('#leden fieldset.lid', (f) => f.id);
  await p.click(`#${first}-fte`, { clickCount: 3 });
  await p.type(`#${first}-fte`, '2');
  await settled(p);
  const fteError = await text(p, `#${first}-fte-fout`);
  const invalid = await p.$eval(`#${first}-fte`, (e) => e.getAttribute('aria-invalid'));
  report('fte 2 is refused at the fte field (aria-invalid, the API\'s reason)',
    fteError !== '' && invalid === 'true' ? [] : [`error "${fteError}", aria-invalid ${invalid}`]);
  await shot(p, '03-fouten');
  await axe(p, 'errors shown');
  await p.click(`#${first}-fte`, { clickCount: 3 });
  await p.type(`#${first}-fte`, '1');
  await settled(p);
  const sharesError = await text(p, `#${first}-rollen-fout`);
  report('shares that do not add up to the fte are named at the roles',
    sharesError.includes('aandelen') && (await text(p, `#${first}-fte-fout`)) === '' ? [] : [`"${sharesError}"`]);
  await p.click(`#${first}-fte`, { clickCount: 3 });
  await p.type(`#${first}-fte`, '0,8');
  await settled(p);
  report('the error goes when the fte is right again', (await text(p, `#${first}-fte-fout`)) === '' ? [] : ['the error stays']);
  const before = await text(p, '#rollen-tabel');

  // 4. Export JSON and CSV, then import each again.
  const json = await download(p, '#bewaar-json', 'teamplotter-GM0050.json');
  const csv = await download(p, '#bewaar-csv', 'teamplotter-GM0050.csv');
  report('the JSON file is the API\'s team body', json && JSON.stringify(JSON.parse(json)) === JSON.stringify(body) ? [] : [`got ${json?.slice(0, 200)}`]);
  const csvLines = csv ? csv.replace(/^\ufeff/, '').trimEnd().split('\r\n') : [];
  report('the CSV has a header and one row per member and role', csvLines[0] === 'label,fte,rol,aandeel,competenties' && csvLines.length === 6 ? [] : csvLines);
  for (const [kind, file] of [['JSON', 'teamplotter-GM0050.json'], ['CSV', 'teamplotter-GM0050.csv']]) {
    // Remove the last member, so that the import has something to restore.
    const removeButtons = await p.$$('#leden fieldset.lid > p > button');
    await removeButtons[removeButtons.length - 1].click();
    await settled(p);
    const input = await p.$('#openen');
    await input.uploadFile(path.join(OUT, file));
    await p.waitForFunction((f) => document.getElementById('openen-status').textContent.includes(f), {}, file);
    await settled(p);
    const after = await text(p, '#rollen-tabel');
    report(`the ${kind} file imported again gives the same analysis`, after === before ? [] : ['the table differs']);
  }
  const bad = path.join(OUT, 'fout.csv');
  fs.writeFileSync(bad, 'label,fte,rol,aandeel,competenties\r\nWebredactie 1,acht,webredacteur,0.8,\r\nBeheer,0.4,functioneel-beheerder,veel,x\r\n');
  await (await p.$('#openen')).uploadFile(bad);
  await p.waitForFunction(() => document.getElementById('openen-fout').textContent !== '');
  const errors = await p.$$eval('#openen-fout li', (li) => li.map((l) => l.textContent));
  report('a CSV with bad rows is refused, every bad row named',
    errors.length === 2 && errors[0].startsWith('Regel 2') && errors[1].startsWith('Regel 3') && errors[1].includes('competentie "x"') ? [] : errors);
  report('the team stays as it was after a refused CSV', (await text(p, '#rollen-tabel')) === before ? [] : ['the table changed']);

  // 5. The report.
  await p.click('#rapport');
  await shot(p, '04-rapport');
  await axe(p, 'the report');
  await p.emulateMediaType('print');
  await shot(p, '05-afdruk');
  const pdf = await p.pdf({ format: 'A4', printBackground: true });
  fs.writeFileSync(path.join(OUT, 'rapport.pdf'), pdf);
  const pages = Number(/\/Count (\d+)/.exec(Buffer.from(pdf).toString('latin1'))?.[1] ?? 0);
  const chartPrinted = await p.$eval('#grafiek svg', (s) => s.getBoundingClientRect().height > 100);
  report(`the print view renders the report with the chart on one page (${pages} page(s))`, pages === 1 && chartPrinted ? [] : [`${pages} pages, chart shown ${chartPrinted}`]);
  await p.emulateMediaType('screen');
  await p.click('#rapport');

  // A what-if: an inhabitant count instead of the municipality, and back.
  await p.click('#basis-inwoners');
  await p.type('#inwoners', '30.000');
  await settled(p);
  const whatIf = await p.$eval('#grafiek svg title', (t) => t.textContent);
  report('a what-if for 30 000 inhabitants plots the same team', whatIf.includes('Wat-als: 30000 inwoners') ? [] : [whatIf]);
  await shot(p, '05b-wat-als');
  await axe(p, 'a what-if');
  await p.click('#basis-gemeente');
  await settled(p);
  report('back to Zeewolde, the same analysis as before', (await text(p, '#rollen-tabel')) === before ? [] : ['the table differs']);

  // 6. A reference profile, read-only.
  const refButton = (await p.$$('#referenties button'))[0];
  const refName = await refButton.evaluate((b) => b.textContent);
  await refButton.click();
  await p.waitForSelector('#referentie-kop');
  const ref = await p.$eval('#referentie', (box) => ({
    kop: box.querySelector('h3').textContent,
    verhaal: [...box.querySelectorAll('h4')].some((h) => h.textContent.startsWith('Succesverhaal')),
    bronnen: box.querySelectorAll('ul:last-of-type li').length,
    chart: box.querySelector('svg[role="img"]') !== null,
    inputs: box.querySelectorAll('input, select, textarea').length,
  }));
  report(`reference profile ${refName} opens read-only with its success story, sources and chart`,
    ref.kop.includes('alleen lezen') && ref.verhaal && ref.bronnen > 0 && ref.chart && ref.inputs === 0 ? [] : [JSON.stringify(ref)]);
  await shot(p, '06-referentie');
  await axe(p, 'a reference profile opened');
  await p.close();

  // The API reference: Redoc renders the served spec, every operation in its menu.
  const docs = await openPage(`${base}/docs`);
  const rendered = await docs.waitForFunction(() => document.body.innerText.includes('Teamplotter API (')
    && document.body.innerText.includes('Gap-analyse van een meegestuurd team maken'), { timeout: 30000 }).then(() => true, () => false);
  report('/docs renders the API reference from the served spec (Redoc)', rendered ? [] : ['no "Teamplotter API" with its operations']);
  await shot(docs, '07-docs');
  await docs.close();
  // The bundle served is the pinned package's, unchanged (scripts/update-redoc.sh).
  const pinned = path.join(root, 'web/node_modules/redoc/bundles/redoc.standalone.js');
  const served = await (await fetch(`${base}/docs/redoc.standalone.js`)).text();
  report('/docs serves the Redoc bundle of web/package-lock.json, unchanged',
    fs.existsSync(pinned) && fs.readFileSync(pinned, 'utf8') === served ? [] : ['web/docs/redoc.standalone.js differs from the pinned redoc (run scripts/update-redoc.sh)']);
}

// Clicks a save button and returns the text of the file it downloads.
async function download(page, selector, name) {
  const file = path.join(OUT, name);
  fs.rmSync(file, { force: true });
  await page.click(selector);
  for (let i = 0; i < 100 && !fs.existsSync(file); i++) await sleep(50);
  await sleep(100);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
}

// --- keyboard alone ----------------------------------------------------------------------------

async function keyboardOnly() {
  const p = await openPage();
  await p.waitForSelector('#referenties button');
  const focused = () => p.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim().slice(0, 40) || document.activeElement?.tagName);
  // Presses Tab until the focus is on an element matching `test`; null when never.
  async function tabTo(test, max = 200) {
    for (let i = 0; i < max; i++) {
      await p.keyboard.press('Tab');
      const ok = await p.evaluate(test);
      if (ok) return true;
    }
    return false;
  }
  const problems = [];
  if (!await tabTo(() => document.activeElement.id === 'zoek')) problems.push('the search field is not reached');
  await p.keyboard.type('zeew');
  await p.waitForSelector('#zoek-resultaten button');
  if (!await tabTo(() => document.activeElement.closest('#zoek-resultaten') !== null, 5)) problems.push('the search result is not reached');
  await p.keyboard.press('Enter');
  if (!(await text(p, '#gekozen')).includes('Zeewolde')) problems.push('Enter on the result did not choose Zeewolde');
  if (!await tabTo(() => document.activeElement.id === 'lid-toevoegen')) problems.push('"Lid toevoegen" is not reached');
  await p.keyboard.press('Enter');
  const id = await lastLidId(p);
  if ((await focused()) !== `${id}-label`) problems.push(`after adding a member the focus is on ${await focused()}`);
  await p.keyboard.type('Webredactie 1');
  await p.keyboard.press('Tab');
  await p.keyboard.type('0,8');
  if (!await tabTo((i) => document.activeElement.id.endsWith('-rol-toevoegen'), 10)) problems.push('"Rol toevoegen" is not reached');
  await p.keyboard.press('Space');
  if ((await focused()) !== `${id}-rol-0`) problems.push(`after adding a role the focus is on ${await focused()}`);
  await p.keyboard.type('Webredacteur');
  await p.keyboard.press('Tab');
  await p.keyboard.type('0,8');
  await settled(p);
  const chosen = await p.$eval(`#${id}-rol-0`, (s) => s.value);
  if (chosen !== 'webredacteur') problems.push(`the role chosen by typing is "${chosen}"`);
  const status = await text(p, '#analyse-status');
  if (!status.startsWith('Bijgewerkt: team 0,80 fte')) problems.push(`the plot says: ${status}`);
  // A what-if with Enter, back to the municipality with Space.
  await p.evaluate(() => window.scrollTo(0, 0));
  await p.focus('#zoek');
  if (!await tabTo(() => document.activeElement.id === 'basis-inwoners', 5)) {
    // Tab goes forward only: from the top of the page.
    await p.evaluate(() => document.activeElement.blur());
    if (!await tabTo(() => document.activeElement.id === 'basis-inwoners')) problems.push('"Een inwonertal" is not reached');
  }
  await p.keyboard.press('Enter');
  if (!await tabTo(() => document.activeElement.id === 'inwoners', 5)) problems.push('the inhabitants field is not reached');
  await p.keyboard.type('30000');
  await settled(p);
  if (!(await p.$eval('#grafiek svg title', (t) => t.textContent)).includes('Wat-als: 30000')) problems.push('the what-if is not plotted');
  await p.evaluate(() => document.activeElement.blur());
  if (!await tabTo(() => document.activeElement.id === 'basis-gemeente')) problems.push('"Een gemeente" is not reached');
  await p.keyboard.press('Space');
  await settled(p);
  if (!(await p.$eval('#grafiek svg title', (t) => t.textContent)).includes('Zeewolde')) problems.push('Space on "Een gemeente" did not plot Zeewolde again');
  // The report on and off with Space, a reference profile with Enter, closed with Enter.
  if (!await tabTo(() => document.activeElement.id === 'rapport')) problems.push('"Rapport" is not reached');
  await p.keyboard.press('Space');
  if (!await p.evaluate(() => document.body.classList.contains('rapport'))) problems.push('Space on "Rapport" did not show the report');
  await p.keyboard.press('Space');
  if (!await tabTo(() => document.activeElement.closest('#referenties') !== null)) problems.push('the reference profiles are not reached');
  await p.keyboard.press('Enter');
  await p.waitForSelector('#referentie-kop');
  if (!await tabTo(() => document.activeElement.textContent === 'Sluiten', 60)) problems.push('"Sluiten" of the reference is not reached');
  await p.keyboard.press('Enter');
  if (!await p.evaluate(() => document.activeElement.closest('#referenties') !== null)) problems.push('closing the reference does not return the focus to its button');
  report('keyboard alone: pick a municipality, add a member with a role, see the plot, a what-if, the report and a reference', problems);

  // Every focusable element is reached by Tab, and shows where the focus is.
  const focusable = await p.$$eval('a[href], button, input, select, summary, [tabindex="0"]', (els) => els
    .filter((e) => !e.disabled && e.offsetParent !== null && e.getAttribute('tabindex') !== '-1')
    .map((e) => e.id || `${e.tagName.toLowerCase()}:${e.textContent.trim().slice(0, 40)}`));
  await p.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
  await p.focus('body').catch(() => {});
  const reached = new Set();
  const invisible = [];
  for (let i = 0; i < focusable.length + 20; i++) {
    await p.keyboard.press('Tab');
    const info = await p.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      const s = getComputedStyle(e);
      const visible = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
      return { key: e.id || `${e.tagName.toLowerCase()}:${e.textContent.trim().slice(0, 40)}`, visible };
    });
    if (!info) continue;
    reached.add(info.key);
    if (!info.visible) invisible.push(info.key);
  }
  const missed = focusable.filter((k) => !reached.has(k));
  report(`Tab reaches every focusable element (${focusable.length})`, missed);
  report('every focused element shows a visible focus', [...new Set(invisible)]);
  await p.close();
}

// --- the CSV format alone (web/pagina/bestand.js runs in Node.js too) -----------------------------

function csvFormat() {
  const team = {
    leden: [
      { label: 'Redactie "web", 1', fte: 0.8, rollen: [{ rol: 'webredacteur', aandeel: 0.6 }, { rol: 'webcare-medewerker', aandeel: 0.2 }],
        competenties: [{ code: 'schrijven-voor-het-web', niveau: 3 }, { code: 'begrijpelijke-taal', niveau: 2 }] },
      { label: 'Stagiair', fte: 0.2, rollen: [], competenties: [] },
    ],
  };
  const csv = teamToCsv(team);
  report('the CSV quotes what needs quoting and ends its lines with CRLF',
    csv === '\ufefflabel,fte,rol,aandeel,competenties\r\n' +
      '"Redactie ""web"", 1",0.8,webredacteur,0.6,"schrijven-voor-het-web:3;begrijpelijke-taal:2"\r\n' +
      '"Redactie ""web"", 1",0.8,webcare-medewerker,0.2,"schrijven-voor-het-web:3;begrijpelijke-taal:2"\r\n' +
      'Stagiair,0.2,,,\r\n' ? [] : [JSON.stringify(csv)]);
  const back = csvToLeden(csv);
  report('the CSV reads back as the same members', back.fouten.length === 0 && JSON.stringify(back.leden) === JSON.stringify(team.leden) ? [] : [JSON.stringify(back)]);
  // As a Dutch spreadsheet saves it: ";" between fields, a decimal comma, competencies on the
  // first row of a member only.
  const dutch = csvToLeden('label;fte;rol;aandeel;competenties\nWebredactie 1;0,8;webredacteur;0,6;schrijven-voor-het-web:3\nWebredactie 1;0,8;webcare-medewerker;0,2;\n');
  report('a CSV with ";" and decimal commas reads as the same member',
    dutch.fouten.length === 0 && dutch.leden.length === 1 && dutch.leden[0].fte === 0.8 && dutch.leden[0].rollen[1].aandeel === 0.2
      && dutch.leden[0].competenties.length === 1 ? [] : [JSON.stringify(dutch)]);
  const bad = csvToLeden('label,fte,rol,aandeel,competenties\n,0.5,webredacteur,0.5,\nA,0.5,webredacteur,0.5,\nA,0.6,verbinder,,x:y\n');
  report('every bad row of a CSV is named with what is wrong', bad.fouten.length === 2 && bad.fouten[0].startsWith('Regel 2: label is leeg')
    && bad.fouten[1].startsWith('Regel 4:') && bad.fouten[1].includes('fte 0.6 verschilt') && bad.fouten[1].includes('aandeel ""') ? [] : bad.fouten);
  const header = csvToLeden('naam,fte\n');
  report('a CSV without the columns is refused at line 1', header.fouten.length === 1 && header.fouten[0].startsWith('Regel 1') ? [] : header.fouten);
}

// --- run -----------------------------------------------------------------------------------------

try {
  csvFormat();
  await exercise();
  await keyboardOnly();
  // /docs has a CSP of its own; the violations of every page opened count but one: Redoc's
  // footer shows Redocly's logo from their CDN, which the CSP blocks (nothing leaves the intranet).
  const redocLogo = (v) => v.includes('/docs: ') && v.includes('https://cdn.redoc.ly/redoc/logo-mini.svg');
  if (cspViolations.some(redocLogo)) note('/docs: the CSP blocks Redoc\'s logo from cdn.redoc.ly, as it should');
  report('no Content-Security-Policy violation on any page', cspViolations.filter((v) => !redocLogo(v)));
} catch (e) {
  report('the page test ran to the end', [e.stack ?? String(e)]);
} finally {
  await browser.close();
  const stop = await svc.stop();
  report('server stops on SIGTERM with exit status 0', stop?.code === 0 ? [] : [JSON.stringify(stop)]);
}
note(`screenshots in ${path.relative(process.cwd(), OUT) || OUT}`);
const { passed, failed } = results();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
