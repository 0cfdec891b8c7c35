// Showing an analysis: the summary, the advice, the competency gaps, the table behind the chart,
// whatever other fields the analysis has (new ones included), and the chart itself.

// An element with attributes (on* are listeners) and children (strings, nodes, null skipped).
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'value') node.value = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

const NL = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 2, minimumFractionDigits: 2 });
const NL0 = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 0 });

// A number the Dutch way (two decimals, or none with `digits` 0); anything else as text.
export function fmt(value, digits = 2) {
  if (typeof value !== 'number') return value === null || value === undefined ? '–' : String(value);
  return digits === 0 ? NL0.format(value) : NL.format(value);
}

const rolNaam = (catalogus, code) => catalogus.rollen.get(code)?.naam ?? code;
const compNaam = (catalogus, code) => catalogus.competenties.get(code)?.naam ?? code;

// Field names as a reader knows them; a field not named here shows under its own name.
const NAMEN = {
  totaalFte: 'Team (fte)', verwachtFte: 'Verwacht bij dit inwonertal (fte)', capaciteit: 'Capaciteit',
  dekking: 'Dekking van de rollen', ontbrekendeKernrollen: 'Ontbrekende kernrollen',
  rol: 'Rol', fte: 'Fte team', aanwezigheid: 'Aanwezig bij referenties', status: 'Status',
  p25: 'Verwacht p25', mediaan: 'Mediaan', p75: 'Verwacht p75', competentie: 'Competentie',
  vereist: 'Vereist niveau', hoogste: 'Hoogste niveau in team', essentieel: 'Essentieel',
  soort: 'Soort', toelichting: 'Toelichting', bezetting: 'Bezetting', acties: 'Acties',
  kwetsbareRollen: 'Kwetsbare rollen', personen: 'Personen', grootsteAandeel: 'Grootste aandeel één lid',
  kwetsbaar: 'Kwetsbaar', leden: 'Leden', vanRol: 'Van rol', doelniveau: 'Doelniveau',
  referentiegemeenten: 'Referentiegemeenten',
};

// A wide table in a box that scrolls sideways: a region the keyboard can reach and scroll.
export function scrollBox(label, ...children) {
  return el('div', { class: 'tabel-rol', tabindex: '0', role: 'region', 'aria-label': label }, ...children);
}
const naam = (key) => NAMEN[key] ?? key;
// Fields that are whole numbers (levels, counts).
const WHOLE = new Set(['vereist', 'hoogste', 'niveau', 'inwoners', 'aantal']);

// A value of any shape as text (arrays of scalars joined, objects as key: value).
function text(value, catalogus, key) {
  if (Array.isArray(value)) return value.map((v) => text(v, catalogus)).join(', ') || 'geen';
  if (value && typeof value === 'object') return Object.entries(value).map(([k, v]) => `${naam(k)}: ${text(v, catalogus, k)}`).join('; ');
  if (typeof value === 'boolean') return value ? 'ja' : 'nee';
  if (key === 'rol' || (typeof value === 'string' && catalogus.rollen.has(value))) return rolNaam(catalogus, value);
  if (key === 'competentie') return compNaam(catalogus, value);
  return fmt(value, WHOLE.has(key) ? 0 : 2);
}

// A table of objects: the given columns first, then any other scalar field the rows have.
function table(caption, rows, catalogus, first = []) {
  const keys = [...first];
  for (const row of rows) {
    for (const [k, v] of Object.entries(row)) {
      if (!keys.includes(k) && (v === null || typeof v !== 'object' || Array.isArray(v))) keys.push(k);
    }
  }
  const cell = (row, k, i) => {
    const v = k.includes('.') ? k.split('.').reduce((o, part) => o?.[part], row) : row[k];
    const cls = typeof v === 'number' ? 'getal' : (k === 'status' ? `status-${v}` : undefined);
    return i === 0 ? el('th', { scope: 'row', class: cls }, text(v, catalogus, k)) : el('td', { class: cls }, text(v, catalogus, k));
  };
  return el('table', {},
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...keys.map((k) => el('th', { scope: 'col' }, naam(k.split('.').pop()))))),
    el('tbody', {}, ...rows.map((row) => el('tr', {}, ...keys.map((k, i) => cell(row, k, i))))));
}

// The fields of an analysis this page shows in their own place; any other is shown at the end.
const KNOWN = new Set(['methodeVersie', 'gemeente', 'inwoners', 'fit', 'referenties', 'samenvatting',
  'rollen', 'competentieTekorten', 'advies', 'acties', 'onbekendeRollen', 'catalogusVersie',
  'referentieVersie']);

// One action (method 1.1): its kind, the role, who and how much, and why.
function actie(item, catalogus) {
  const leden = (item.leden ?? []).join(', ');
  const details = [
    item.vanRol ? `van ${rolNaam(catalogus, item.vanRol)}` : null,
    typeof item.fte === 'number' ? `${fmt(item.fte)} fte` : null,
    leden ? `wie: ${leden}` : null,
    item.competentie ? `${compNaam(catalogus, item.competentie)}${item.doelniveau ? ` naar niveau ${item.doelniveau}` : ''}` : null,
  ].filter(Boolean).join('; ');
  return el('li', {},
    el('span', { class: 'soort' }, String(item.soort ?? '')),
    item.rol ? el('strong', {}, `${rolNaam(catalogus, item.rol)}: `) : null,
    details ? `${details}. ` : '',
    item.toelichting ?? '');
}

export function renderAnalysis(a, catalogus, parts, { kop = 'h4' } = {}) {
  const s = a.samenvatting ?? {};
  parts.samenvatting.replaceChildren(...Object.entries(s).map(([k, v]) => el('div', {},
    el('dt', {}, naam(k)),
    typeof v === 'number' ? el('dd', {}, text(v, catalogus, k))
      : el('dd', { class: 'tekst' }, Array.isArray(v) ? (v.map((c) => rolNaam(catalogus, c)).join(', ') || 'geen') : text(v, catalogus, k)))),
  el('div', {}, el('dt', {}, 'Inwoners'), el('dd', {}, fmt(a.inwoners, 0))),
  el('div', { class: 'breed' }, el('dt', {}, 'Grondslag'),
    el('dd', { class: 'tekst' }, `methode ${a.methodeVersie}, catalogus ${a.catalogusVersie}, referentieset ${a.referentieVersie}${a.fit?.methode ? `, schaalwet ${a.fit.methode}` : ''}`)));

  parts.advies.replaceChildren(...(a.advies ?? []).map((item) => el('li', {},
    el('span', { class: 'soort' }, String(item.soort ?? '').replace(/-/g, ' ')),
    item.rol ? el('strong', {}, `${rolNaam(catalogus, item.rol)}: `) : null,
    item.competentie ? el('strong', {}, `${compNaam(catalogus, item.competentie)}: `) : null,
    item.toelichting ?? '',
    ...Object.entries(item).filter(([k]) => !['soort', 'rol', 'competentie', 'toelichting', 'referentiegemeenten'].includes(k))
      .map(([k, v]) => ` (${naam(k)}: ${text(v, catalogus, k)})`))));
  if ((a.advies ?? []).length === 0) parts.advies.replaceChildren(el('li', {}, 'Geen advies: het team past bij de referenties.'));
  if (parts.acties) {
    parts.acties.replaceChildren(...(a.acties ?? []).map((item) => actie(item, catalogus)));
    if ((a.acties ?? []).length === 0) parts.acties.replaceChildren(el('li', {}, 'Geen acties nodig.'));
  }

  const tekorten = a.competentieTekorten ?? [];
  parts.tekorten.replaceChildren(tekorten.length === 0
    ? el('p', {}, 'Geen competentietekorten.')
    : table('Competenties onder het vereiste niveau', tekorten, catalogus, ['rol', 'competentie', 'vereist', 'hoogste', 'essentieel']));

  const rollen = (a.rollen ?? []).map(({ bezetting, ...r }) => ({
    ...r, p25: r.verwacht?.p25 ?? null, mediaan: r.verwacht?.mediaan ?? null, p75: r.verwacht?.p75 ?? null,
    ...(bezetting ? { personen: bezetting.personen, grootsteAandeel: bezetting.grootsteAandeel, kwetsbaar: bezetting.kwetsbaar } : {}),
  }));
  parts.tabel.replaceChildren(table('Per rol: fte van het team, verwachte bandbreedte en status', rollen, catalogus,
    ['rol', 'fte', 'p25', 'mediaan', 'p75', 'status']),
  (a.onbekendeRollen ?? []).length ? el('p', {}, `Onbekende rollen (niet in de catalogus): ${a.onbekendeRollen.join(', ')}.`) : '');

  const extra = Object.entries(a).filter(([k]) => !KNOWN.has(k));
  parts.overig.replaceChildren(...extra.flatMap(([k, v]) => {
    const body = Array.isArray(v) && v.length > 0 && v.every((x) => x && typeof x === 'object')
      ? scrollBox(naam(k), table(naam(k), v, catalogus))
      : Array.isArray(v) ? el('ul', {}, ...(v.length ? v.map((x) => el('li', {}, text(x, catalogus))) : [el('li', {}, 'geen')]))
        : el('p', {}, text(v, catalogus, k));
    return [el(kop, {}, naam(k)), body];
  }));
}

// Puts the chart's SVG into `box`, its ids prefixed with `prefix` so that two charts on one page
// stay distinct, as an image named by its own title and description.
export function renderChart(box, svgText, prefix) {
  const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const svg = doc.documentElement;
  if (svg.nodeName !== 'svg') {
    box.replaceChildren(el('p', {}, 'De grafiek kon niet worden getoond; de tabel geeft dezelfde cijfers.'));
    return;
  }
  const ids = [];
  for (const node of svg.querySelectorAll('[id]')) {
    node.id = `${prefix}-${node.id}`;
    ids.push(node.id);
  }
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-labelledby', ids.filter((id) => /titel|beschrijving/.test(id)).join(' ') || ids.join(' '));
  svg.setAttribute('focusable', 'false');
  box.replaceChildren(document.importNode(svg, true));
}
