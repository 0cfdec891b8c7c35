// The API as the page uses it: same origin, JSON or the SVG chart, problems as thrown errors
// that carry their invalidParams.

export class ApiProblem extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? `De API antwoordde ${status}.`);
    this.status = status;
    this.problem = problem ?? {};
    this.invalidParams = problem?.invalidParams ?? [];
  }
}

async function answer(res, as) {
  if (res.ok) return as === 'text' ? res.text() : res.json();
  let problem = null;
  try {
    problem = await res.json();
  } catch {
    problem = null;
  }
  throw new ApiProblem(res.status, problem);
}

// GET `path` (below /api/v1) as JSON.
export async function get(path, { signal } = {}) {
  const res = await fetch(`/api/v1${path}`, { headers: { Accept: 'application/json' }, signal });
  return answer(res, 'json');
}

// Every result of a collection (pageSize 100; the catalogue's collections fit one page).
export async function all(path) {
  const sep = path.includes('?') ? '&' : '?';
  const first = await get(`${path}${sep}pageSize=100`);
  const results = [...first.results];
  let next = first.next;
  while (next) {
    const page = await get(next.replace(/^\/api\/v1/, ''));
    results.push(...page.results);
    next = page.next;
  }
  return results;
}

// POST /api/v1/gap-analyses: the analysis as JSON, or with `svg` the chart's SVG text.
export async function analyse(body, { svg = false, signal } = {}) {
  const res = await fetch('/api/v1/gap-analyses', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: svg ? 'image/svg+xml' : 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
  return answer(res, svg ? 'text' : 'json');
}

// GET a stored (reference) profile's analysis, as JSON or with `svg` as the chart.
export async function profileAnalysis(uuid, { svg = false } = {}) {
  const res = await fetch(`/api/v1/teamprofielen/${encodeURIComponent(uuid)}/gap-analyse`, {
    headers: { Accept: svg ? 'image/svg+xml' : 'application/json' },
  });
  return answer(res, svg ? 'text' : 'json');
}
