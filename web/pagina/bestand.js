// A team as a file: the API's team body as JSON, and the spreadsheet's CSV (docs/pagina.md):
// one row per member and role, columns label, fte, rol, aandeel, competenties ("code:niveau;…").
// Pure functions: no DOM, so they read the same in a browser and in Node.js.

export const CSV_COLUMNS = ['label', 'fte', 'rol', 'aandeel', 'competenties'];

function csvField(value) {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// The CSV of the members of `team` (a team body): RFC 4180, CRLF, a header row, UTF-8 with a
// byte-order mark so that spreadsheets read the accents. A member without roles is one row with
// empty rol and aandeel.
export function teamToCsv(team) {
  const lines = [CSV_COLUMNS.join(',')];
  for (const lid of team.leden ?? []) {
    const competenties = (lid.competenties ?? []).map((c) => `${c.code}:${c.niveau}`).join(';');
    const rollen = lid.rollen?.length ? lid.rollen : [{ rol: '', aandeel: '' }];
    for (const r of rollen) {
      lines.push([lid.label, lid.fte, r.rol, r.aandeel, competenties].map(csvField).join(','));
    }
  }
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

// Splits CSV text into rows of fields; `sep` is "," or ";" (a Dutch spreadsheet's choice).
function csvRows(text, sep) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === sep) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += ch;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

// A number as a spreadsheet may write it: "0.8" or "0,8".
export function parseNumber(text) {
  const t = String(text ?? '').trim().replace(',', '.');
  if (!/^[0-9]+(\.[0-9]+)?$|^\.[0-9]+$/.test(t)) return null;
  return Number(t);
}

// Reads CSV text into the members of a team. Returns {leden, fouten}: every bad row named by
// its line number in the file (the header is line 1), with what is wrong, in Dutch. Rows with
// the same label one after the other are one member; its fte and competencies are read from
// its first row and must be the same on the others.
export function csvToLeden(text) {
  const body = text.replace(/^\ufeff/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  const sep = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  const rows = csvRows(body, sep);
  const fouten = [];
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const col = Object.fromEntries(CSV_COLUMNS.map((c) => [c, header.indexOf(c)]));
  const missing = CSV_COLUMNS.filter((c) => col[c] < 0);
  if (missing.length > 0) {
    return { leden: [], fouten: [`Regel 1: de kolom${missing.length > 1 ? 'men' : ''} ${missing.join(', ')} ontbreekt; verwacht ${CSV_COLUMNS.join(', ')}.`] };
  }
  const leden = [];
  let last = null;
  rows.slice(1).forEach((row, i) => {
    const line = i + 2;
    if (row.every((f) => f.trim() === '')) return;
    const value = (c) => (row[col[c]] ?? '').trim();
    const problems = [];
    const label = value('label');
    if (label === '') problems.push('label is leeg');
    const fte = parseNumber(value('fte'));
    if (fte === null) problems.push(`fte "${value('fte')}" is geen getal`);
    const rol = value('rol');
    const aandeelText = value('aandeel');
    const aandeel = aandeelText === '' ? null : parseNumber(aandeelText);
    if (rol !== '' && aandeel === null) problems.push(`aandeel "${aandeelText}" is geen getal`);
    if (rol === '' && aandeelText !== '') problems.push('aandeel zonder rol');
    const competenties = [];
    for (const part of value('competenties').split(';').map((p) => p.trim()).filter(Boolean)) {
      const m = /^([^:\s]+)\s*:\s*([0-9]+)$/.exec(part);
      if (!m) problems.push(`competentie "${part}" is niet code:niveau`);
      else competenties.push({ code: m[1], niveau: Number(m[2]) });
    }
    const same = last && last.label === label;
    if (same && fte !== null && last.fte !== fte) {
      problems.push(`fte ${value('fte')} verschilt van de eerdere regel van ${label} (${last.fte})`);
    }
    if (same && JSON.stringify(competenties) !== JSON.stringify(last.competenties) && competenties.length > 0) {
      problems.push(`de competenties verschillen van de eerdere regel van ${label}`);
    }
    if (problems.length > 0) {
      fouten.push(`Regel ${line}: ${problems.join('; ')}.`);
      return;
    }
    if (!same) {
      last = { label, fte, rollen: [], competenties };
      leden.push(last);
    }
    if (rol !== '') last.rollen.push({ rol, aandeel });
  });
  return { leden, fouten };
}

// Reads a JSON file as a team body: {gemeente | inwoners, leden}. Returns {team, fouten}.
export function jsonToTeam(text) {
  let doc;
  try {
    doc = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (e) {
    return { team: null, fouten: [`Het bestand is geen geldige JSON: ${e.message}`] };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return { team: null, fouten: ['Het bestand is geen JSON-object met een team.'] };
  }
  if (!Array.isArray(doc.leden)) {
    return { team: null, fouten: ['Het bestand heeft geen lijst "leden".'] };
  }
  return { team: doc, fouten: [] };
}
