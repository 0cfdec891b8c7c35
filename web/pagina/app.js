// The teamplotter in the browser (docs/pagina.md): choose a municipality or an inhabitant
// count, build the team, and see its gap analysis (POST /api/v1/gap-analyses) as chart,
// summary, advice and table, updated as the team changes. Nothing is stored on the server.
import { ApiProblem, all, analyse, get, profileAnalysis } from './api.js';
import { csvToLeden, jsonToTeam, parseNumber, teamToCsv } from './bestand.js';
import { el, fmt, renderAnalysis, renderChart, scrollBox } from './weergave.js';

// The catalogue's four-level scale (catalogus.json "schaal"; the API has no resource for it).
const NIVEAUS = [
  [1, 'Bewust', 'Kent de basisbegrippen en begrijpt waarom dit ertoe doet. Herkent wanneer het speelt en weet wie erbij gehaald moet worden; doet het zelf hooguit onder begeleiding.'],
  [2, 'Werkend', 'Past het zelfstandig toe in gewone situaties, met de gangbare hulpmiddelen en binnen afgesproken kaders. Vraagt om hulp bij ingewikkelde of nieuwe vraagstukken.'],
  [3, 'Vakkundig', 'Beheerst het volledig, ook als het ingewikkeld wordt, en bepaalt zelf welke aanpak en middelen het beste passen. Brengt collega\'s verder door kennis en ervaring te delen.'],
  [4, 'Expert', 'Is het aanspreekpunt voor dit vak, in de eigen organisatie en daarbuiten. Ontwikkelt werkwijzen en standaarden, geeft anderen richting en adviseert op strategisch niveau.'],
];

const $ = (id) => document.getElementById(id);

const catalogus = { rollen: new Map(), families: [], competenties: new Map() };
const state = { basis: 'gemeente', gemeente: null, inwoners: '', leden: [] };
let nextId = 1;

// --- the team as the API reads it ------------------------------------------------------------

function number(text) {
  const n = parseNumber(text);
  return n === null ? String(text) : n;
}

// An inhabitant count as typed, "30000" or "30.000": a whole number, or the text as it is (the
// API names it), or nothing when empty.
function inwonersValue(text) {
  const digits = text.trim().replace(/[.\s]/g, '');
  if (digits === '') return undefined;
  return /^[0-9]+$/.test(digits) ? Number(digits) : text.trim();
}

// The team body, and for each invalidParams name the id of the element that shows its error
// (the competencies are sent in another order than shown).
function teamBody() {
  const targets = new Map();
  const body = state.basis === 'gemeente'
    ? { gemeente: state.gemeente?.code }
    : { inwoners: inwonersValue(state.inwoners) };
  body.leden = state.leden.map((lid, i) => {
    const out = { label: lid.label };
    if (String(lid.fte).trim() !== '') out.fte = number(lid.fte);
    out.rollen = lid.rollen.map((r) => {
      const rol = { rol: r.rol };
      if (String(r.aandeel).trim() !== '') rol.aandeel = number(r.aandeel);
      return rol;
    });
    out.competenties = [];
    for (const [code, niveau] of Object.entries(lid.competenties)) {
      if (niveau === '') continue;
      targets.set(`leden.${i}.competenties.${out.competenties.length}`, `lid-${lid.id}-comp-${code}-fout`);
      out.competenties.push({ code, niveau: Number(niveau) });
    }
    return out;
  });
  return { body, targets };
}

// The team body as a file keeps only what was filled in.
function fileBody() {
  const { body } = teamBody();
  if (body.gemeente === undefined) delete body.gemeente;
  if (body.inwoners === undefined) delete body.inwoners;
  return body;
}

function ready() {
  return state.basis === 'gemeente' ? state.gemeente !== null : state.inwoners.trim() !== '';
}

// --- errors at their fields ------------------------------------------------------------------

function clearErrors() {
  for (const p of document.querySelectorAll('.fout[data-param]')) p.textContent = '';
  for (const f of document.querySelectorAll('[aria-invalid="true"]')) f.removeAttribute('aria-invalid');
  $('fouten-overig').hidden = true;
  $('fouten-overig').replaceChildren();
}

// The element that shows the error of `name`, walking up its path ("leden.0.rollen.1.aandeel",
// "leden.0.rollen", "leden.0") until one exists.
function errorTarget(name, targets) {
  const parts = name.split('.');
  while (parts.length > 0) {
    const key = parts.join('.');
    if (targets.has(key)) return $(targets.get(key));
    const found = document.querySelector(`.fout[data-param="${CSS.escape(key)}"]`);
    if (found && !found.closest("[hidden]")) return found;
    parts.pop();
  }
  return null;
}

function showErrors(invalidParams, targets) {
  const rest = [];
  for (const p of invalidParams) {
    const target = errorTarget(p.name, targets);
    if (!target) {
      rest.push(p);
      continue;
    }
    target.textContent = target.textContent ? `${target.textContent} ${p.reason}` : p.reason;
    const field = document.querySelector(`[aria-describedby~="${CSS.escape(target.id)}"]`);
    if (field) field.setAttribute('aria-invalid', 'true');
  }
  if (rest.length > 0) {
    const box = $('fouten-overig');
    box.replaceChildren(el('p', {}, 'De API meldt ook:'),
      el('ul', {}, ...rest.map((p) => el('li', {}, `${p.name}: ${p.reason}`))));
    box.hidden = false;
  }
}

// --- the analysis, updated as the team changes -----------------------------------------------

let pending = null;
let timer = 0;
let sequence = 0;

function scheduleAnalysis(delay = 300) {
  clearTimeout(timer);
  timer = setTimeout(runAnalysis, delay);
}

async function runAnalysis() {
  const status = $('analyse-status');
  if (!ready()) {
    clearErrors();
    status.textContent = state.basis === 'gemeente'
      ? 'Kies een gemeente om de plot te zien.'
      : 'Vul een inwonertal in om de plot te zien.';
    $('analyse').hidden = true;
    return;
  }
  pending?.abort();
  pending = new AbortController();
  const mine = ++sequence;
  const { body, targets } = teamBody();
  status.textContent = 'De plot wordt bijgewerkt…';
  try {
    const [analysis, svg] = await Promise.all([
      analyse(body, { signal: pending.signal }),
      analyse(body, { svg: true, signal: pending.signal }),
    ]);
    if (mine !== sequence) return;
    clearErrors();
    renderAnalysis(analysis, catalogus, {
      samenvatting: $('samenvatting'), advies: $('advies'), acties: $('acties'), tekorten: $('tekorten'),
      tabel: $('rollen-tabel'), overig: $('overige-velden'),
    });
    renderChart($('grafiek'), svg, 'team');
    $('analyse').hidden = false;
    $('rapport-kop').textContent = reportTitle();
    const s = analysis.samenvatting ?? {};
    status.textContent = `Bijgewerkt: team ${fmt(s.totaalFte)} fte, verwacht ${fmt(s.verwachtFte)} fte` +
      `, ${(s.ontbrekendeKernrollen ?? []).length} ontbrekende kernrol(len).`;
  } catch (e) {
    if (e.name === 'AbortError' || mine !== sequence) return;
    clearErrors();
    if (e instanceof ApiProblem && e.invalidParams.length > 0) {
      showErrors(e.invalidParams, targets);
      status.textContent = `De plot wacht op uw correctie: ${e.invalidParams.length} fout(en), zie de velden.`;
    } else if (e instanceof ApiProblem && e.status === 404 && state.gemeente) {
      $('zoek-fout').textContent = e.message;
      status.textContent = 'De gekozen gemeente bestaat niet (meer).';
    } else {
      status.textContent = `De plot kon niet worden bijgewerkt: ${e.message}`;
    }
  }
}

function reportTitle() {
  const wie = state.basis === 'gemeente' && state.gemeente
    ? `${state.gemeente.naam} (${state.gemeente.code}, ${fmt(state.gemeente.inwoners, 0)} inwoners)`
    : `wat-als: ${state.inwoners} inwoners`;
  return `Gap-analyse online team – ${wie}`;
}

// --- 1. the municipality ---------------------------------------------------------------------

let searchTimer = 0;
let searchAbort = null;

function chooseGemeente(g) {
  state.gemeente = g;
  $('gekozen').textContent = `Gekozen: ${g.naam} (${g.code}), ${fmt(g.inwoners, 0)} inwoners.`;
  $('zoek-resultaten').replaceChildren();
  $('zoek-fout').textContent = '';
  scheduleAnalysis(0);
}

async function search() {
  const text = $('zoek').value.trim();
  const list = $('zoek-resultaten');
  searchAbort?.abort();
  if (text.length < 2) {
    list.replaceChildren();
    return;
  }
  searchAbort = new AbortController();
  try {
    const page = await get(`/gemeenten?zoek=${encodeURIComponent(text)}&pageSize=10`, { signal: searchAbort.signal });
    list.replaceChildren(...page.results.map((g) => el('li', {},
      el('button', { type: 'button', class: 'knop licht', onclick: () => chooseGemeente(g) },
        `${g.naam} (${g.provincie}, ${fmt(g.inwoners, 0)} inwoners)`))));
    $('zoek-fout').textContent = page.count === 0 ? `Geen gemeente gevonden voor "${text}".` : '';
  } catch (e) {
    if (e.name === 'AbortError') return;
    $('zoek-fout').textContent = e instanceof ApiProblem ? e.invalidParams.map((p) => p.reason).join(' ') || e.message : e.message;
  }
}

function setBasis(basis) {
  state.basis = basis;
  for (const b of ['gemeente', 'inwoners']) $(`basis-${b}`).setAttribute('aria-pressed', String(b === basis));
  $('deel-gemeente').hidden = basis !== 'gemeente';
  $('deel-inwoners').hidden = basis !== 'inwoners';
  scheduleAnalysis(0);
}

// --- 2. the team -----------------------------------------------------------------------------

function newLid(from = {}) {
  const competenties = {};
  for (const c of from.competenties ?? []) competenties[c.code] = String(c.niveau);
  return {
    id: nextId++,
    label: from.label ?? '',
    fte: from.fte === undefined ? '' : String(from.fte).replace('.', ','),
    rollen: (from.rollen ?? []).map((r) => ({ rol: r.rol ?? '', aandeel: r.aandeel === undefined ? '' : String(r.aandeel).replace('.', ',') })),
    competenties,
  };
}

// A text field with its label, help and error, bound to `get`/`set`.
function field({ id, label, help, param, value, onInput, cls = 'smal', inputmode }) {
  const describedBy = [help ? `${id}-hulp` : null, `${id}-fout`].filter(Boolean).join(' ');
  return el('div', { class: 'veld' },
    el('label', { for: id }, label),
    help ? el('p', { class: 'hulp', id: `${id}-hulp` }, help) : null,
    el('input', { id, type: 'text', class: cls, value, autocomplete: 'off', inputmode, 'aria-describedby': describedBy, oninput: (e) => onInput(e.target.value) }),
    el('p', { class: 'fout', id: `${id}-fout`, 'data-param': param }));
}

function roleSelect(id, value, describedBy, onChange) {
  const select = el('select', { id, 'aria-describedby': describedBy, onchange: (e) => onChange(e.target.value) },
    el('option', { value: '' }, '— kies een rol —'));
  for (const familie of catalogus.families) {
    const group = el('optgroup', { label: familie.naam });
    for (const code of familie.rollen) {
      const rol = catalogus.rollen.get(code);
      if (!rol) continue;
      group.append(el('option', { value: code }, rol.kernrol ? `${rol.naam} (kernrol)` : rol.naam));
    }
    select.append(group);
  }
  if (value && !catalogus.rollen.has(value)) select.append(el('option', { value }, `${value} (onbekend)`));
  select.value = value;
  return select;
}

// The competencies shown for a member: those of its roles (highest required level first
// named), and any it already has a level for.
function competenciesOf(lid) {
  const shown = new Map();
  for (const r of lid.rollen) {
    for (const c of catalogus.rollen.get(r.rol)?.competenties ?? []) {
      const seen = shown.get(c.code);
      if (!seen || c.niveau > seen.niveau) shown.set(c.code, { code: c.code, naam: c.naam, niveau: c.niveau, essentieel: c.essentieel || seen?.essentieel });
    }
  }
  for (const code of Object.keys(lid.competenties)) {
    if (!shown.has(code)) shown.set(code, { code, naam: catalogus.competenties.get(code)?.naam ?? code, niveau: null });
  }
  return [...shown.values()];
}

// The competencies of a member's roles, each with a level to choose; rebuilt alone when a role
// changes, so that the role's select keeps its focus and its type-ahead.
function competencySection(lid, index) {
  const base = `lid-${lid.id}`;
  const p = `leden.${index}`;
  const comps = competenciesOf(lid);
  const compBox = el('div', { class: 'competenties' });
  for (const c of comps) {
    const id = `${base}-comp-${c.code}`;
    const select = el('select', { id, 'aria-describedby': `${id}-hulp ${id}-fout`, onchange: (e) => { lid.competenties[c.code] = e.target.value; scheduleAnalysis(); } },
      el('option', { value: '' }, '— niet opgegeven —'),
      ...NIVEAUS.map(([n, naam]) => el('option', { value: String(n) }, `${n} ${naam}`)));
    select.value = lid.competenties[c.code] ?? '';
    compBox.append(el('div', {},
      el('label', { for: id }, c.naam),
      el('p', { class: 'hulp', id: `${id}-hulp` }, c.niveau ? `Vereist: niveau ${c.niveau}${c.essentieel ? ', essentieel' : ''}.` : 'Niet bij de gekozen rollen.'),
      select,
      el('p', { class: 'fout', id: `${id}-fout` })));
  }
  return el('div', { id: `${base}-competenties` },
    comps.length === 0 ? el('p', { class: 'hulp' }, 'Kies eerst een rol; dan verschijnen haar competenties.') : compBox,
    el('p', { class: 'fout', id: `${base}-competenties-fout`, 'data-param': `${p}.competenties` }));
}

function refreshCompetencies(lid, index) {
  $(`lid-${lid.id}-competenties`).replaceWith(competencySection(lid, index));
  scheduleAnalysis();
}

function renderLid(lid, index) {
  const p = `leden.${index}`;
  const base = `lid-${lid.id}`;
  const roles = el('div', { class: 'rollen' });
  lid.rollen.forEach((r, j) => {
    const id = `${base}-rol-${j}`;
    roles.append(el('div', { class: 'rolregel' },
      el('div', {},
        el('label', { for: id }, `Rol ${j + 1}`),
        roleSelect(id, r.rol, `${id}-fout`, (v) => { r.rol = v; refreshCompetencies(lid, index); }),
        el('p', { class: 'fout', id: `${id}-fout`, 'data-param': `${p}.rollen.${j}.rol` })),
      field({ id: `${id}-aandeel`, label: 'Aandeel (fte)', param: `${p}.rollen.${j}.aandeel`, value: r.aandeel, inputmode: 'decimal', onInput: (v) => { r.aandeel = v; scheduleAnalysis(); } }),
      el('button', { type: 'button', class: 'knop licht', onclick: () => { lid.rollen.splice(j, 1); rerenderTeam(`${base}-rol-toevoegen`); } }, `Verwijder rol ${j + 1}`)));
  });
  return el('fieldset', { class: 'lid', id: base },
    el('legend', {}, `Lid ${index + 1}${lid.label ? `: ${lid.label}` : ''}`),
    field({ id: `${base}-label`, label: 'Label (een functie, geen naam)', help: 'Bijvoorbeeld Webredactie 1 of Teamleider KCC; uniek binnen het team.', param: `${p}.label`, value: lid.label, cls: 'breed', onInput: (v) => { lid.label = v; scheduleAnalysis(); } }),
    field({ id: `${base}-fte`, label: 'Fte', help: 'Meer dan 0 en hooguit 1,5, zoals 0,8.', param: `${p}.fte`, value: lid.fte, inputmode: 'decimal', onInput: (v) => { lid.fte = v; scheduleAnalysis(); } }),
    el('p', { class: 'fout', id: `${base}-fout`, 'data-param': p }),
    el('h3', {}, 'Rollen'),
    el('p', { class: 'hulp' }, 'De aandelen van de rollen tellen samen op tot de fte van het lid. Kernrollen zijn gemarkeerd.'),
    roles,
    el('p', { class: 'fout', id: `${base}-rollen-fout`, 'data-param': `${p}.rollen` }),
    el('button', { type: 'button', id: `${base}-rol-toevoegen`, class: 'knop licht', onclick: () => { lid.rollen.push({ rol: '', aandeel: '' }); rerenderTeam(`${base}-rol-${lid.rollen.length - 1}`); } }, 'Rol toevoegen'),
    el('h3', {}, 'Competenties'),
    competencySection(lid, index),
    el('p', {}, el('button', { type: 'button', class: 'knop licht', onclick: () => removeLid(index) }, `Verwijder lid ${index + 1}`)));
}

// Renders the team again and puts the focus on `focusId` (or keeps it where it was).
function rerenderTeam(focusId) {
  const active = focusId ?? document.activeElement?.id;
  $('leden').replaceChildren(...state.leden.map(renderLid));
  if (active && $(active)) $(active).focus();
  scheduleAnalysis();
}

function addLid(from) {
  state.leden.push(newLid(from));
  const lid = state.leden[state.leden.length - 1];
  rerenderTeam(`lid-${lid.id}-label`);
}

function removeLid(index) {
  state.leden.splice(index, 1);
  const next = state.leden[Math.min(index, state.leden.length - 1)];
  rerenderTeam(next ? `lid-${next.id}-label` : 'lid-toevoegen');
}

function loadTeam(team, { focus = true } = {}) {
  state.leden = (team.leden ?? []).map((l) => newLid(l));
  if (typeof team.gemeente === 'string') {
    setBasis('gemeente');
    get(`/gemeenten/${encodeURIComponent(team.gemeente)}`)
      .then((g) => chooseGemeente(g))
      .catch((e) => { $('zoek-fout').textContent = e.message; });
  } else if (team.inwoners !== undefined) {
    state.inwoners = String(team.inwoners);
    $('inwoners').value = state.inwoners;
    setBasis('inwoners');
  }
  rerenderTeam(focus ? 'kop-team' : undefined);
}

// --- 4. files ---------------------------------------------------------------------------------

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function fileName(ext) {
  const wie = state.basis === 'gemeente' && state.gemeente ? state.gemeente.code : `watals-${state.inwoners || 'team'}`;
  return `teamplotter-${wie}.${ext}`;
}

async function openFile(file) {
  const fout = $('openen-fout');
  fout.replaceChildren();
  $('openen-status').textContent = '';
  const text = await file.text();
  const isJson = /\.json$/i.test(file.name) || text.trim().startsWith('{');
  if (isJson) {
    const { team, fouten } = jsonToTeam(text);
    if (fouten.length > 0) {
      fout.replaceChildren(el('p', {}, `${file.name} is niet geopend:`), el('ul', {}, ...fouten.map((f) => el('li', {}, f))));
      return;
    }
    loadTeam(team, { focus: false });
  } else {
    const { leden, fouten } = csvToLeden(text);
    if (fouten.length > 0) {
      fout.replaceChildren(el('p', {}, `${file.name} is niet geopend; verbeter deze regels:`), el('ul', {}, ...fouten.map((f) => el('li', {}, f))));
      return;
    }
    loadTeam({ leden }, { focus: false });
  }
  $('openen-status').textContent = `${file.name} geopend: ${state.leden.length} leden.`;
}

// --- 5. the reference profiles ----------------------------------------------------------------

let bronnen = null;

async function openReference(gemeente, opener) {
  const box = $('referentie');
  box.hidden = false;
  box.replaceChildren(el('p', { class: 'melding', role: 'status' }, `${gemeente.naam} wordt geladen…`));
  try {
    const [profielen, verhaal, lijst] = await Promise.all([
      get(`/teamprofielen?referentie=true&gemeente=${gemeente.code}`),
      get(`/succesverhalen/${gemeente.code}`).catch(() => null),
      bronnen ?? all('/bronnen'),
    ]);
    bronnen = lijst;
    const profiel = profielen.results[0];
    const [analysis, svg] = await Promise.all([profileAnalysis(profiel.uuid), profileAnalysis(profiel.uuid, { svg: true })]);
    const ids = new Set([...(profiel.bronnen ?? []), ...(verhaal?.bronnen ?? [])]);
    const chart = el('div', {});
    renderChart(chart, svg, `ref-${gemeente.code}`);
    const parts = {
      samenvatting: el('dl', { class: 'samenvatting' }), advies: el('ol', { class: 'advies' }),
      tekorten: el('div', {}), tabel: scrollBox(`Per rol, referentieteam van ${gemeente.naam}`), overig: el('div', {}),
    };
    renderAnalysis(analysis, catalogus, parts, { kop: 'h4' });
    box.replaceChildren(
      el('h3', { id: 'referentie-kop' }, `${gemeente.naam} (${gemeente.code}), ${fmt(gemeente.inwoners, 0)} inwoners – alleen lezen`),
      verhaal ? el('div', {},
        el('h4', {}, `Succesverhaal: ${verhaal.titel}`),
        el('p', {}, verhaal.samenvatting),
        verhaal.praktijken?.length ? el('ul', {}, ...verhaal.praktijken.map((p) => el('li', {}, p))) : null) : null,
      el('h4', {}, `Het team (peildatum ${profiel.peildatum}, herkomst ${profiel.herkomst}), ${fmt(profiel.totaalFte)} fte`),
      el('p', {}, profiel.toelichting ?? ''),
      scrollBox(`Leden van het referentieteam van ${gemeente.naam}`, el('table', {},
        el('caption', {}, `Leden van het referentieteam van ${gemeente.naam}`),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Lid (functie)'), el('th', { scope: 'col', class: 'getal' }, 'Fte'), el('th', { scope: 'col' }, 'Rollen (aandeel in fte)'))),
        el('tbody', {}, ...profiel.leden.map((l) => el('tr', {},
          el('th', { scope: 'row' }, l.label), el('td', { class: 'getal' }, fmt(l.fte)),
          el('td', {}, l.rollen.map((r) => `${catalogus.rollen.get(r.rol)?.naam ?? r.rol} ${fmt(r.aandeel)}`).join('; '))))))),
      el('h4', {}, 'De plot van dit team'),
      el('figure', { class: 'grafiek' }, chart, el('figcaption', {}, `De grafiek van het referentieteam van ${gemeente.naam}; de tabel eronder geeft dezelfde cijfers.`)),
      el('h4', {}, 'Samenvatting'), parts.samenvatting,
      el('h4', {}, 'Per rol'), parts.tabel,
      el('h4', {}, 'Bronnen'),
      el('ul', {}, ...[...ids].map((id) => {
        const b = bronnen.find((x) => x.id === id);
        return el('li', {}, b ? el('a', { href: b.url, rel: 'noopener' }, b.titel) : id, b ? ` (${b.uitgever}, ${b.jaar})` : '');
      })),
      el('p', {},
        el('button', { type: 'button', class: 'knop', onclick: () => loadTeam({ gemeente: gemeente.code, leden: profiel.leden }) }, 'Gebruik dit team als startpunt'),
        el('button', { type: 'button', class: 'knop licht', onclick: () => { box.hidden = true; box.replaceChildren(); opener.focus(); } }, 'Sluiten')));
    box.focus();
  } catch (e) {
    box.replaceChildren(el('p', { class: 'fout-melding', role: 'alert' }, `Het referentieteam kon niet worden geladen: ${e.message}`));
  }
}

async function loadReferences() {
  const gemeenten = await all('/gemeenten?referentie=true');
  $('referenties').replaceChildren(...gemeenten.map((g) => {
    const li = el('li', {});
    const button = el('button', { type: 'button', class: 'knop licht', onclick: () => openReference(g, button) }, `${g.naam} (${fmt(g.inwoners, 0)} inwoners)`);
    li.append(button);
    return li;
  }));
}

// --- start --------------------------------------------------------------------------------------

function bind() {
  $('niveau-uitleg').replaceChildren(...NIVEAUS.flatMap(([n, naam, tekst]) => [el('dt', {}, `${n} ${naam}`), el('dd', {}, tekst)]));
  $('basis-gemeente').addEventListener('click', () => setBasis('gemeente'));
  $('basis-inwoners').addEventListener('click', () => setBasis('inwoners'));
  $('zoek').addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(search, 200); });
  $('inwoners').addEventListener('input', (e) => { state.inwoners = e.target.value; scheduleAnalysis(); });
  $('lid-toevoegen').addEventListener('click', () => addLid());
  $('bewaar-json').addEventListener('click', () => download(fileName('json'), 'application/json', `${JSON.stringify(fileBody(), null, 2)}\n`));
  $('bewaar-csv').addEventListener('click', () => download(fileName('csv'), 'text/csv;charset=utf-8', teamToCsv(fileBody())));
  $('openen').addEventListener('change', (e) => { const f = e.target.files?.[0]; if (f) openFile(f).finally(() => { e.target.value = ''; }); });
  $('rapport').addEventListener('click', (e) => {
    const on = document.body.classList.toggle('rapport');
    e.target.setAttribute('aria-pressed', String(on));
    e.target.textContent = on ? 'Terug naar het team' : 'Rapport (afdrukweergave)';
  });
  $('afdrukken').addEventListener('click', () => window.print());
}

async function start() {
  bind();
  try {
    const [rollen, families, competenties] = await Promise.all([all('/rollen'), all('/rolfamilies'), all('/competenties')]);
    for (const r of rollen) catalogus.rollen.set(r.code, r);
    catalogus.families = families;
    for (const c of competenties) catalogus.competenties.set(c.code, c);
    $('laden').textContent = '';
    $('laden').hidden = true;
  } catch (e) {
    $('laden').textContent = `De catalogus kon niet worden geladen: ${e.message}`;
    return;
  }
  rerenderTeam(null);
  loadReferences().catch((e) => { $('referenties').replaceChildren(el('li', {}, `De referentiegemeenten konden niet worden geladen: ${e.message}`)); });
}

start();
