// Dredd against the running service, with tests/clients/dredd/hooks.cjs: every transaction
// Dredd makes from the spec must pass, and only the 500s, 503s and 504s may be skipped.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export default async function dredd({ SPEC, BIN, HERE, binary, report, startService }) {
  const svc = await startService(binary, { name: 'clients_dredd' });
  try {
    const made = (id, scopes, gemeenten) => ({ scopes, ...svc.client(id, scopes, gemeenten) });
    const clients = {
      alles: made('dredd-alles', ['teamprofielen.lezen', 'teamprofielen.schrijven',
        'benchmarks.lezen', 'audittrail.lezen', 'catalogus.beheren', 'peilingen.beheren'], '*'),
      alleenLezen: made('dredd-alleen-lezen', ['teamprofielen.lezen'], 'GM0363'),
      zonderLezen: made('dredd-zonder-lezen', ['benchmarks.lezen'], 'GM0363'),
    };
    const api = `${svc.origin}/api/v1`;
    const r = spawnSync(path.join(BIN, 'dredd'), [SPEC, api, `--hookfiles=${path.join(HERE, 'dredd', 'hooks.cjs')}`,
      '--no-color', '--loglevel=warning'], {
      env: { ...process.env, DREDD_API: api, DREDD_SPEC: SPEC, DREDD_CLIENTS: JSON.stringify(clients) },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const out = `${r.stdout}${r.stderr}`;
    const lines = out.split('\n');
    const of = (kind) => lines.filter((l) => l.startsWith(`${kind}: `)).map((l) => l.slice(kind.length + 2));
    const complete = lines.find((l) => /^complete: \d+ passing/.test(l)) ?? '';
    const count = (word) => Number(new RegExp(`(\\d+) ${word}`).exec(complete)?.[1] ?? NaN);
    const passing = count('passing');
    const skipped = of('skip');
    console.log(`     dredd: ${complete.slice('complete: '.length) || 'no summary'}`);

    const failures = of('fail');
    const problems = failures.map((f) => f.replace(/ duration: \d+ms$/, ''));
    if (failures.length) {
      // Dredd's own account of each failure follows its summary.
      const details = out.slice(out.indexOf('complete: ')).split('\n')
        .filter((l) => /^(fail|request|expected|actual|body|headers|statusCode|message)|^\s/.test(l));
      console.log(details.slice(0, 400).join('\n'));
    }
    for (const e of of('error')) problems.push(`error: ${e}`);
    if (r.status !== 0 && problems.length === 0) {
      problems.push(`dredd exited ${r.status}:\n${out.slice(-3000)}`);
    }
    report(`Dredd: every transaction passes (${passing} passing)`,
      passing > 0 ? problems : [...problems, 'nothing passed']);

    const unexpected = skipped.filter((s) => !/^\S+ \((500|503|504)\) /.test(s));
    const total = count('total');
    report(`Dredd skips only the 500, 503 and 504 transactions (${skipped.length} of ${total})`, [
      ...unexpected.map((s) => `skipped: ${s}`),
      ...(skipped.length === 0 ? ['none skipped: the hooks did not run'] : []),
      ...(passing + skipped.length !== total ? [`${passing} passing and ${skipped.length} skipped are not all ${total}`] : []),
    ]);
  } finally {
    const stopped = await svc.stop();
    report('the server stops on SIGTERM with exit status 0', stopped?.code === 0 ? [] : [JSON.stringify(stopped)]);
  }
}
