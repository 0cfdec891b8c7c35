// The service for the Node.js test programs (tests/contract, tests/clients): a database of
// its own on the cluster of TEAMPLOTTER_DATABASE_URL (so that writes never reach another test's
// data), the binary serving it on free ports for both listeners, clients with tokens, and a
// graceful stop. Uses nothing outside Node.js but `psql` (postgresql-client).
//
//   const svc = await startService('build/teamplotter', { name: 'contract' });
//   const auth = svc.client('contract-lezer', ['teamprofielen.lezen'], '*');
//   ... http://127.0.0.1:${svc.port}/api/v1 ...
//   const { code } = await svc.stop();   // SIGTERM, then the database is dropped

import { execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Database `name` on the cluster of `url` (a URI or a libpq conninfo string).
export function databaseUrl(url, name) {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const u = new URL(url);
    u.pathname = `/${name}`;
    return u.toString();
  }
  return `${url} dbname=${name}`;
}

function psql(url, sql) {
  execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

function get(port, path) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Starts `binary serve` on a fresh, migrated database `<name>_<pid>`; `env` adds to the server's
// environment. Throws when it does not come up within 30 s.
export async function startService(binary, { name, env = {} } = {}) {
  const shared = process.env.TEAMPLOTTER_DATABASE_URL;
  if (!shared) throw new Error('TEAMPLOTTER_DATABASE_URL is not set');
  const db = `${name.replace(/[^a-z0-9_]/g, '_')}_${process.pid}`;
  psql(shared, `DROP DATABASE IF EXISTS ${db}`);
  psql(shared, `CREATE DATABASE ${db}`);
  const url = databaseUrl(shared, db);
  const base = { ...process.env, TEAMPLOTTER_DATABASE_URL: url, TEAMPLOTTER_LOG_LEVEL: 'warning' };
  const dropDatabase = () => psql(shared, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  try {
    execFileSync(binary, ['migrate'], { env: base, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    dropDatabase();
    throw new Error(`teamplotter migrate failed: ${String(e.stderr ?? e.message).trim()}`);
  }
  const port = await freePort();
  let adminPort = await freePort();
  while (adminPort === port) adminPort = await freePort();
  const log = [];
  const child = spawn(binary, ['serve'], {
    env: { ...base, ...env, TEAMPLOTTER_PORT: String(port), TEAMPLOTTER_ADMIN_PORT: String(adminPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => log.push(d.toString()));
  child.stderr.on('data', (d) => log.push(d.toString()));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let running = true;
  exited.then(() => (running = false));
  // A test program that dies (a closed pipe, Ctrl-C) takes its server along.
  const orphan = () => running && child.kill('SIGKILL');
  process.on('exit', orphan);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      orphan();
      process.exit(128 + os.constants.signals[signal]);
    });
  }

  const run = (args) => execFileSync(binary, args, { env: base, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  let stopped = null;
  const svc = {
    port,
    adminPort,
    origin: `http://127.0.0.1:${port}`,
    databaseUrl: url,
    log,
    exited,
    // Runs a `teamplotter` command against this database; returns its standard output.
    run,
    // Makes client `id` with `scopes` for `gemeenten` ('*', a list, or none) and returns the
    // Authorization header of a token of it.
    client(id, scopes, gemeenten = null) {
      const where = gemeenten === null ? [] : ['--gemeenten', [].concat(gemeenten).join(',')];
      run(['clients', 'add', id, '--scopes', scopes.join(','), ...where]);
      return { Authorization: `Bearer ${run(['token', id]).trim()}` };
    },
    // SIGTERM (SIGKILL after 30 s), then the database goes. Returns {code, signal}, or null when
    // the server had to be killed.
    async stop() {
      if (stopped) return stopped;
      stopped = (async () => {
        child.kill('SIGTERM');
        const result = await Promise.race([exited, sleep(30000).then(() => null)]);
        if (result === null) {
          child.kill('SIGKILL');
          await exited;
        }
        dropDatabase();
        return result;
      })();
      return stopped;
    },
  };
  for (let i = 0; i < 600 && running; i++) {
    try {
      if ((await get(port, '/livez')) === 200) return svc;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  child.kill('SIGKILL');
  await exited;
  dropDatabase();
  throw new Error(`the server did not come up on port ${port}:\n${log.join('')}`);
}
