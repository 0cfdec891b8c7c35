// Bodies and uses the generated types must refuse. Each line that ends in `// TSnnnn` must give
// that error under `tsc --strict`, and no other line may give one: a spec that loosens (a field
// that becomes `unknown`, a oneOf that accepts both or neither alternative, two media types that
// merge) makes this file compile and the step fail. Compiled on its own, never run.
import createClient from 'openapi-fetch';

import type { components, paths } from './api.js';

type S = components['schemas'];
const lid: S['TeamlidInvoer'] = { label: 'Webredactie 1', fte: 0.5, rollen: [{ rol: 'webredacteur', aandeel: 0.5 }] };

// The gap-analysis body has gemeente or inwoners: not neither, not both.
export const geen: S['GapAnalyseInvoer'] = { leden: [lid] }; // TS2322
export const allebei: S['GapAnalyseInvoer'] = { gemeente: 'GM0855', inwoners: 5000, leden: [lid] }; // TS2322
export const watAlsMetGemeente: S['GapAnalyseWatAlsInvoer'] = { inwoners: 5000, gemeente: 'GM0855', leden: [] }; // TS2322

// Fields have their types.
export const fte: S['TeamlidInvoer'] = { label: 'Webredactie 1', fte: '0.5', rollen: [] }; // TS2322
export const titel: number = ({} as S['OpenApiDocument']).info.title; // TS2322
export const operatie: number = ({} as S['OpenApiDocument']).paths['/'].get.operationId; // TS2322
export const competentieRollen: S['CompetentieInvoer'] = { naam: 'n', omschrijving: 'o', soort: 'kennis', rollen: ['verbinder'] }; // TS2322
export const familieRollen: S['RolfamilieInvoer'] = { naam: 'n', omschrijving: 'o', rollen: [7] }; // TS2322
export const competentieNaam: S['RolCompetentieInvoer'] = { code: 'webanalyse', niveau: 3, essentieel: true, naam: 3 }; // TS2322
export const document: S['CatalogusDocument'] = { naam: 'Alleen een naam' }; // TS2322

// A value or null: only the values the enum names, or null.
export const kernrolBron: S['Rol']['kernrolBron'] = 'gok'; // TS2322
export const invoerBron: S['RolInvoer']['kernrolBron'] = 'opgave'; // TS2322
export const band: S['BenchmarkPositie']['dekkingBand'] = 'midden'; // TS2322
export const oud: S['AuditTrailRegel']['oud'] = { uuid: '3f8e2a71-5c4d-4b9e-8a1f-7d6c5b4a3e29' }; // TS2740

// JSON, SVG and CSV share status 200 and stay apart.
type Analyse = paths['/teamprofielen/{uuid}/gap-analyse']['get']['responses'][200]['content'];
type Benchmarks = paths['/benchmarks']['get']['responses'][200]['content'];
export const svgAlsJson: Analyse['image/svg+xml'] = {} as S['GapAnalyse']; // TS2322
export const jsonAlsSvg: Analyse['application/json'] = '<svg/>'; // TS2322
export const csvAlsJson: Benchmarks['text/csv'] = {} as S['BenchmarkLijst']; // TS2322
const api = createClient<paths, 'application/json'>({ baseUrl: 'http://127.0.0.1/api/v1' });
export async function svgUitJsonClient(): Promise<string> {
  const r = await api.GET('/teamprofielen/{uuid}/gap-analyse', { params: { path: { uuid: 'x' } } });
  return r.data!; // TS2322
}

// Requests need what the spec requires.
export const zonderBody = api.POST('/gap-analyses', {}); // TS2345
export const zonderUuid = api.DELETE('/teamprofielen/{uuid}', { params: { path: {} } }); // TS2741
