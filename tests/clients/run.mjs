#!/usr/bin/env node
// Real clients of the API against the running service (see README.md, "Real clients"):
//
//   node tests/clients/run.mjs typed|prism|dredd path/to/teamplotter
//
// Needs TEAMPLOTTER_DATABASE_URL (a cluster on which it makes a database of its own) and the
// pinned npm packages of tests/clients (`bash tests/clients/run.sh` installs them). Prints one
// line per check and exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { report, results } from '../lib/report.mjs';
import { startService } from '../lib/service.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const SPEC = path.join(ROOT, 'openapi', 'openapi.yaml');
const BIN = path.join(HERE, 'node_modules', '.bin');
const OUT = path.join(HERE, 'out');

const [which, binaryArg] = process.argv.slice(2);
const STEPS = { typed, prism: async () => (await import('./prism/flow.mjs')).default(context()),
  dredd: async () => (await import('./dredd/run.mjs')).default(context()) };
if (!STEPS[which] || !binaryArg) {
  console.error(`usage: node tests/clients/run.mjs ${Object.keys(STEPS).join('|')} TEAMPLOTTER_BINARY`);
  process.exit(2);
}
const binary = path.resolve(binaryArg);


// Runs a tool of node_modules/.bin; returns {status, output}.
function tool(name, args, options = {}) {
  const r = spawnSync(path.join(BIN, name), args, { cwd: HERE, encoding: 'utf8', ...options });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

function context() {
  return { HERE, ROOT, SPEC, BIN, OUT, binary, report, tool, startService };
}

// --- the typed client ----------------------------------------------------------------------------

// The lines of must-not-compile.mts that name the error they must give: line → code.
function expectedErrors(file) {
  const expected = new Map();
  fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    const m = /\/\/ (TS\d+)\s*$/.exec(line);
    if (m) expected.set(i + 1, m[1]);
  });
  return expected;
}

async function typed() {
  const dir = path.join(HERE, 'typed');
  const types = path.join(dir, 'api.d.ts');
  fs.rmSync(types, { force: true });
  let r = tool('openapi-typescript', [SPEC, '-o', types]);
  report(`openapi-typescript ${path.relative(ROOT, SPEC)} → ${path.relative(ROOT, types)}`,
    r.status === 0 ? [] : [r.output.trim()]);
  if (r.status !== 0) return;

  r = tool('tsc', ['-p', path.join(dir, 'tsconfig.json'), '--strict', '--noEmit', '--pretty', 'false']);
  report('typed/client.mts compiles with tsc --strict --noEmit', r.status === 0 ? [] : r.output.trim().split('\n'));
  const compiles = r.status === 0;

  // The file that must not compile: exactly its annotated errors, no others.
  const file = path.join(dir, 'must-not-compile.mts');
  r = tool('tsc', ['-p', path.join(dir, 'tsconfig.must-not-compile.json'), '--strict', '--noEmit', '--pretty', 'false']);
  const expected = expectedErrors(file);
  const got = new Map();
  const problems = [];
  for (const m of r.output.matchAll(/must-not-compile\.mts\((\d+),\d+\): error (TS\d+): (.*)/g)) {
    const line = Number(m[1]);
    if (!got.has(line)) got.set(line, []);
    got.get(line).push(m[2]);
    if (expected.get(line) !== m[2]) problems.push(`line ${line}: unexpected ${m[2]}: ${m[3].slice(0, 160)}`);
  }
  for (const [line, code] of expected) {
    if (!got.get(line)?.includes(code)) {
      problems.push(`line ${line} compiles (expected ${code}): the spec accepts what it should refuse`);
    }
  }
  if (r.status === 0) problems.push('must-not-compile.mts compiles');
  report(`typed/must-not-compile.mts fails with exactly its ${expected.size} expected errors`, problems);
  if (!compiles) return;

  r = tool('tsc', ['-p', path.join(dir, 'tsconfig.json')]);
  report('typed/client.mts emitted', r.status === 0 ? [] : [r.output.trim()]);
  if (r.status !== 0) return;

  const svc = await startService(binary, { name: 'clients_typed' });
  try {
    const gemeente = 'GM0855';
    const auth = svc.client('typed-client', ['teamprofielen.lezen', 'teamprofielen.schrijven'], gemeente);
    const token = auth.Authorization.replace(/^Bearer /, '');
    const { run } = await import(pathToFileURL(path.join(OUT, 'typed', 'client.mjs')).href);
    try {
      const steps = await run(`${svc.origin}/api/v1`, token, gemeente);
      for (const s of steps) console.log(`     ${s}`);
      report(`the typed client runs against the service (${steps.length} steps)`, []);
    } catch (e) {
      report('the typed client runs against the service', [String(e?.stack ?? e)]);
    }
  } finally {
    const stopped = await svc.stop();
    report('the server stops on SIGTERM with exit status 0', stopped?.code === 0 ? [] : [`${JSON.stringify(stopped)}`]);
    if (results().failed > 0) console.log(`--- server log ---\n${svc.log.join('')}--- end of server log ---`);
  }
}

// --- main -------------------------------------------------------------------------------------

const started = Date.now();
try {
  await STEPS[which]();
} catch (e) {
  report(`the ${which} step runs to the end`, [String(e?.stack ?? e)]);
}
console.log(`${which}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
const { passed, failed } = results();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
