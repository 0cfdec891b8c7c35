#!/usr/bin/env node
// Lighthouse (npm lighthouse, pinned) against the page for people (GET /) in Debian's Chromium,
// with Lighthouse's default settings (a mobile device, simulated slow 4G): prints the scores and
// fails below performance 95, accessibility 100 or best practices 95. The report (HTML and JSON)
// goes to the output folder (TEAMPLOTTER_TEST_OUTPUT, else build/test-output/lighthouse).
//
//   node tests/browser/lighthouse.mjs path/to/teamplotter     (TEAMPLOTTER_DATABASE_URL set)

import fs from 'node:fs';
import path from 'node:path';

import lighthouse from 'lighthouse';
import puppeteer from 'puppeteer-core';

import { report, results } from '../lib/report.mjs';
import { startService } from '../lib/service.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');
const binary = process.argv[2] ?? path.join(root, 'build/teamplotter');
const CHROMIUM = process.env.TEAMPLOTTER_CHROMIUM ?? '/usr/bin/chromium';
const OUT = process.env.TEAMPLOTTER_TEST_OUTPUT ?? path.join(root, 'build/test-output/lighthouse');
const MINIMUM = { performance: 95, accessibility: 100, 'best-practices': 95 };

if (!process.env.TEAMPLOTTER_DATABASE_URL) {
  console.error('lighthouse: TEAMPLOTTER_DATABASE_URL is not set (run through scripts/dev.sh test)');
  process.exit(2);
}
if (!fs.existsSync(CHROMIUM)) {
  console.error(`lighthouse: ${CHROMIUM} is missing (apt-get install chromium)`);
  process.exit(2);
}
fs.mkdirSync(OUT, { recursive: true });

const svc = await startService(binary, { name: 'lighthouse' });
const browser = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--remote-debugging-port=0'],
});
try {
  const port = Number(new URL(browser.wsEndpoint()).port);
  console.log(`browser: ${await browser.version()}, lighthouse against ${svc.origin}/`);
  const run = await lighthouse(`${svc.origin}/`, {
    port,
    output: ['json', 'html'],
    logLevel: 'error',
    onlyCategories: Object.keys(MINIMUM),
  });
  fs.writeFileSync(path.join(OUT, 'lighthouse.json'), run.report[0]);
  fs.writeFileSync(path.join(OUT, 'lighthouse.html'), run.report[1]);
  for (const [id, minimum] of Object.entries(MINIMUM)) {
    const category = run.lhr.categories[id];
    const score = Math.round(category.score * 100);
    // What cost points, so that a low score says why.
    const lost = category.auditRefs
      .map((ref) => run.lhr.audits[ref.id])
      .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual')
      .map((a) => `${a.id}: ${a.title} (${a.displayValue ?? Math.round(a.score * 100)})`);
    console.log(`score ${id}: ${score}`);
    report(`Lighthouse ${id} ${score} ≥ ${minimum}`, score >= minimum ? [] : lost);
  }
  const metrics = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift']
    .map((id) => `${id} ${run.lhr.audits[id]?.displayValue ?? '–'}`);
  console.log(`metrics: ${metrics.join(', ')}`);
} catch (e) {
  report('Lighthouse ran', [e.stack ?? String(e)]);
} finally {
  await browser.close();
  const stop = await svc.stop();
  report('server stops on SIGTERM with exit status 0', stop?.code === 0 ? [] : [JSON.stringify(stop)]);
}
const { passed, failed } = results();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
