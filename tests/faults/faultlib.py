"""Shared helpers of the fault-injection tests (python3 standard library only).

Each scenario script is run by tests/faults/run.sh as
    python3 SCENARIO.py BINARY
with FAULTS_WORKDIR (a private temporary directory), FAULTS_RUN_ID,
TEAMPLOTTER_DATABASE_URL and TEAMPLOTTER_TEST_PGCTL in the environment.
It prints one "PASS: ..." or "FAIL: ..." line per check and exits 0 when
every check passed. Every process it starts is recorded in
$FAULTS_WORKDIR/pids so that run.sh can stop it even if the scenario dies.
"""

import errno
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

WORK = os.environ["FAULTS_WORKDIR"]
RUN_ID = os.environ.get("FAULTS_RUN_ID", str(os.getpid()))
DB_URL = os.environ["TEAMPLOTTER_DATABASE_URL"]
PGCTL = os.environ["TEAMPLOTTER_TEST_PGCTL"]
BINARY = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else ""
GEMEENTE = "GM0855"  # Tilburg

_started = []  # every Proc of this scenario, for cleanup
_failed = 0
_scenario = os.path.splitext(os.path.basename(sys.argv[0]))[0]


def log(msg):
    """Progress for humans, on stderr (run.sh keeps it out of the tally)."""
    sys.stderr.write("  [%s %.3f] %s\n" % (_scenario, time.monotonic() % 1000, msg))
    sys.stderr.flush()


def check(name, ok, detail=""):
    """Records and prints one check."""
    global _failed
    if not ok:
        _failed += 1
    line = "%s: %s: %s" % ("PASS" if ok else "FAIL", _scenario, name)
    if detail and not ok:
        line += " -- " + str(detail)[:600]
    print(line, flush=True)
    return ok


def finish():
    """Stops everything this scenario started and exits."""
    cleanup()
    sys.exit(1 if _failed else 0)


def run(main):
    """Runs a scenario's main(): an exception is one failed check, and
    finish() stops what it started either way."""
    try:
        main()
    except Exception as e:
        import traceback
        traceback.print_exc()
        check("scenario ran to the end", False, repr(e))
    finish()


def _on_signal(signum, _frame):
    cleanup()
    sys.exit(128 + signum)


signal.signal(signal.SIGTERM, _on_signal)
signal.signal(signal.SIGINT, _on_signal)


# --- processes -------------------------------------------------------------


class Proc:
    """A child process with its output in a log file under WORK."""

    def __init__(self, name, argv, env=None):
        self.name = name
        self.log_path = os.path.join(WORK, "%s-%s.log" % (_scenario, name))
        self._log = open(self.log_path, "ab")
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.popen = subprocess.Popen(argv, stdout=self._log, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, env=full_env)
        self.pid = self.popen.pid
        self.signalled = False  # whether this scenario asked it to stop
        with open(os.path.join(WORK, "pids"), "a") as f:
            f.write("%d %s\n" % (self.pid, argv[0]))
        _started.append(self)

    def alive(self):
        return self.popen.poll() is None

    def send_signal(self, sig):
        self.signalled = True
        if self.alive():
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass

    def wait(self, timeout):
        """The exit status (negative: killed by that signal), or None on timeout."""
        try:
            return self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Signals the process and waits; kills it when it does not exit."""
        self.send_signal(sig)
        rc = self.wait(timeout)
        if rc is None:
            self.send_signal(signal.SIGKILL)
            self.wait(5)
        return rc

    def log_text(self):
        self._log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")


def cleanup():
    for p in _started:
        if not p.signalled and not p.alive():
            check("%s was not expected to exit" % p.name, False,
                  "it exited with status %s; last log lines: %s" % (
                      p.popen.returncode, p.log_text()[-600:].replace("\n", " | ")))
            p.signalled = True
    for p in reversed(_started):
        if p.alive():
            p.stop(signal.SIGKILL, 5)
    pg_thaw()
    pg_ensure_up()


def free_port():
    return free_ports(1)[0]


def free_ports(n):
    """`n` different free loopback ports: every socket stays bound until all
    are known (one after the other, the kernel may hand out a port twice)."""
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


class Server(Proc):
    """`teamplotter serve` on a free loopback port, its admin listener on
    another (so that two servers never compete for the default 9090)."""

    def __init__(self, name, threads=None, pool=None, env=None):
        self.port, self.admin_port = free_ports(2)
        e = {"TEAMPLOTTER_PORT": str(self.port), "TEAMPLOTTER_ADMIN_PORT": str(self.admin_port),
             "TEAMPLOTTER_DATABASE_URL": DB_URL}
        if threads is not None:
            e["TEAMPLOTTER_THREADS"] = str(threads)
        if pool is not None:
            e["TEAMPLOTTER_DB_POOL_SIZE"] = str(pool)
        e.update(env or {})
        super().__init__(name, [BINARY, "serve"], e)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError("%s exited at start:\n%s" % (name, self.log_text()[-2000:]))
            try:
                if request(self.port, "GET", "/livez", timeout=1).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("%s did not answer /livez within 15 s" % name)


# The proxy of the production shape, used as it is (docs/operations.md).
NGINX_PROXY_CONF = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                 "..", "..", "deploy", "nginx", "teamplotter.conf"))

# Everything around it that docker-compose's deploy/nginx/nginx.conf says
# otherwise: one foreground process, paths in the run's directory, loopback.
NGINX_CONF = """
daemon off;
master_process off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log info;
events {{ worker_connections 1024; }}
http {{
    access_log {dir}/access.log;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    limit_conn_zone $binary_remote_addr zone=perclient:10m;
    upstream teamplotter {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        include {proxy};
    }}
}}
"""


def start_nginx(upstream_ports, name="nginx"):
    """nginx with deploy/nginx/teamplotter.conf on a free port in front of
    the servers on `upstream_ports`; the Proc has .port and .dir (its
    error.log, at level info, names each request it refused)."""
    d = os.path.join(WORK, name)
    os.makedirs(d, exist_ok=True)
    port = free_port()
    conf = os.path.join(d, "nginx.conf")
    servers = "\n".join("        server 127.0.0.1:%d max_fails=1 fail_timeout=10s;" % p
                        for p in upstream_ports)
    with open(conf, "w") as f:
        f.write(NGINX_CONF.format(dir=d, servers=servers, port=port, proxy=NGINX_PROXY_CONF))
    proc = Proc(name, ["nginx", "-p", d, "-e", os.path.join(d, "error.log"), "-c", conf])
    up = wait_until(lambda: request(port, "GET", "/livez", timeout=1).status == 200, 10)
    if up is None:
        raise RuntimeError("nginx did not start: %s" % proc.log_text()[-1000:])
    proc.port = port
    proc.dir = d
    return proc


# --- PostgreSQL ------------------------------------------------------------


def pgctl(*args, timeout=60):
    r = subprocess.run([PGCTL] + list(args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=timeout)
    return r.returncode, r.stdout.decode("utf-8", "replace")


def cluster_pids():
    """The pids of the postmaster and its children (from pg_ctl status)."""
    rc, out = pgctl("status", timeout=10)
    pm = None
    for word in out.replace("(", " ").replace(")", " ").split():
        if word.isdigit():
            pm = int(word)
            break
    if rc != 0 or pm is None:
        raise RuntimeError("pg_ctl status: %s" % out)
    return [pm] + children_of(pm)


def children_of(ppid):
    """The pids whose parent is `ppid` (from /proc, no procps needed)."""
    kids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                fields = f.read().rpartition(")")[2].split()
        except OSError:
            continue
        if len(fields) > 1 and fields[1] == str(ppid):
            kids.append(int(entry))
    return kids


def pg_freeze():
    """SIGSTOPs the postmaster first (so that it forks no new backend), then
    every child; returns the pids stopped."""
    pids = cluster_pids()
    signal_pids(pids[:1], signal.SIGSTOP)
    stopped = set(pids[:1])
    while True:
        new = [p for p in cluster_pids()[1:] if p not in stopped]
        if not new:
            return sorted(stopped)
        signal_pids(new, signal.SIGSTOP)
        stopped.update(new)


def signal_pids(pids, sig):
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def pg_thaw():
    """SIGCONT to the cluster, in case a scenario left it stopped."""
    try:
        signal_pids(cluster_pids(), signal.SIGCONT)
    except (OSError, RuntimeError, subprocess.SubprocessError):
        pass


def pg_is_up():
    return pgctl("status", timeout=10)[0] == 0


def pg_ensure_up():
    """Starts the cluster when a scenario left it stopped."""
    try:
        if not pg_is_up():
            pgctl("start")
    except (OSError, subprocess.SubprocessError):
        pass


def psql(sql, timeout=30):
    """Runs SQL with psql; returns stdout (unaligned, tuples only)."""
    r = subprocess.run(["psql", DB_URL, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError("psql failed: %s: %s" % (sql[:200], r.stderr.decode()))
    return r.stdout.decode("utf-8")


class Locker:
    """A psql session that holds an ACCESS EXCLUSIVE lock on `table` until
    release(): statements that read the table wait, as behind a slow
    migration."""

    APP = "faults-locker-%s" % RUN_ID

    def __init__(self, table):
        self.table = table
        env = dict(os.environ, PGAPPNAME=self.APP)
        self.popen = subprocess.Popen(["psql", DB_URL, "-XAtq", "-v", "ON_ERROR_STOP=1"],
                                      stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL, env=env)
        with open(os.path.join(WORK, "pids"), "a") as f:
            f.write("%d psql\n" % self.popen.pid)
        self.popen.stdin.write(("BEGIN; LOCK TABLE %s IN ACCESS EXCLUSIVE MODE;\n"
                                "SELECT pg_sleep(120);\n" % table).encode())
        self.popen.stdin.flush()

    def wait_granted(self, timeout=10):
        return wait_until(lambda: psql(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = %s AND l.mode = 'AccessExclusiveLock' AND l.granted"
            % sql_literal(self.table)).strip() == "1", timeout) is not None

    def release(self):
        """Ends the session's backend (a killed psql would leave it sleeping
        with the lock) and the psql process."""
        psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
             "WHERE application_name = %s" % sql_literal(self.APP))
        self.popen.kill()
        self.popen.wait(5)


def sql_literal(text):
    return "'" + text.replace("'", "''") + "'"


# --- clients and tokens ----------------------------------------------------


def make_client(suffix, scopes="teamprofielen.lezen,teamprofielen.schrijven", gemeenten=GEMEENTE):
    """A client of this run (faults-RUN-suffix); returns (id, bearer token)."""
    cid = "faults-%s-%s" % (RUN_ID, suffix)
    subprocess.run([BINARY, "clients", "add", cid, "--scopes", scopes, "--gemeenten", gemeenten],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tok = subprocess.run([BINARY, "token", cid], check=True, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL).stdout.decode().strip()
    return cid, tok


# --- HTTP ------------------------------------------------------------------


class Response:
    def __init__(self, status, headers, body, seconds):
        self.status = status
        self.headers = headers  # lower-case name -> value
        self.body = body
        self.seconds = seconds

    def header(self, name):
        return self.headers.get(name.lower())

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def is_problem(self, status):
        """A problem+json body with the given status and the usual members."""
        if self.status != status:
            return False
        if not (self.header("content-type") or "").startswith("application/problem+json"):
            return False
        doc = self.json()
        return isinstance(doc, dict) and doc.get("status") == status and all(
            k in doc for k in ("type", "code", "title", "detail", "instance"))


def _send(conn, method, path, body, headers):
    h = dict(headers or {})
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        h.setdefault("Content-Type", "application/json")
    t0 = time.monotonic()
    conn.request(method, path, body=data, headers=h)
    r = conn.getresponse()
    payload = r.read()
    return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, payload,
                    time.monotonic() - t0), r


def request(port, method, path, body=None, headers=None, timeout=10, source="127.0.0.1"):
    """One request on a fresh connection from loopback address `source`."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                      source_address=(source, 0))
    try:
        return _send(conn, method, path, body, headers)[0]
    finally:
        conn.close()


def probe(port, method, path, body=None, headers=None, timeout=10, source="127.0.0.1"):
    """One request on a fresh connection: (status or error name, seconds)."""
    t0 = time.monotonic()
    try:
        r = request(port, method, path, body, headers, timeout, source)
        return r.status, time.monotonic() - t0
    except Exception as e:
        return error_name(e), time.monotonic() - t0


class KeepAlive:
    """A persistent connection that reconnects after the server closed it.

    `last_reused` tells whether the last request went out on a connection
    that had already carried a request (where a silent close is a keep-alive
    race rather than a refusal)."""

    def __init__(self, port, timeout=10):
        self.port = port
        self.timeout = timeout
        self.conn = None
        self.used = 0
        self.last_reused = False

    def request(self, method, path, body=None, headers=None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            self.used = 0
        self.last_reused = self.used > 0
        try:
            resp, raw = _send(self.conn, method, path, body, headers)
        except BaseException:
            self.close()
            raise
        self.used += 1
        if raw.will_close:
            self.close()
        return resp

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def connect_error(port, timeout=2):
    """None when a TCP connection to `port` is accepted, else the errno name."""
    s = socket.socket()
    s.settimeout(timeout)
    try:
        s.connect(("127.0.0.1", port))
        return None
    except socket.timeout:
        return "timeout"
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e))
    finally:
        s.close()


def error_name(exc):
    if isinstance(exc, OSError) and exc.errno:
        return errno.errorcode.get(exc.errno, type(exc).__name__)
    return type(exc).__name__


# --- load ------------------------------------------------------------------


class Load:
    """Threads that run `step(worker_index, keepalive)` until stopped and keep
    every outcome as a dict: t (monotonic), kind, status or error, seconds."""

    def __init__(self, port, workers, step, timeout=10):
        self.port = port
        self.step = step
        self.timeout = timeout
        self.outcomes = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True)
                        for i in range(workers)]

    def record(self, **outcome):
        with self._lock:
            self.outcomes.append(outcome)

    def _run(self, i):
        ka = KeepAlive(self.port, self.timeout)
        n = 0
        while not self._stop.is_set():
            t0 = time.monotonic()
            try:
                self.step(self, i, n, ka)
            except Exception as e:  # the step failed outside of one request
                self.record(t=t0, kind="step", status=None, error="step: %r" % e, seconds=0)
                time.sleep(0.05)
            n += 1
        ka.close()

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def stop(self):
        self._stop.set()
        for t in self.threads:
            t.join(self.timeout + 5)

    def between(self, t0, t1):
        with self._lock:
            return [o for o in self.outcomes if t0 <= o["t"] < t1]


def timed(load, ka, kind, method, path, body=None, headers=None, **extra):
    """One request of a load step; records and returns the Response or None."""
    t0 = time.monotonic()
    try:
        r = ka.request(method, path, body, headers)
    except Exception as e:
        load.record(t=t0, kind=kind, status=None, error=error_name(e), reused=ka.last_reused,
                    seconds=time.monotonic() - t0, **extra)
        return None
    load.record(t=t0, kind=kind, status=r.status, error=None, reused=ka.last_reused,
                seconds=r.seconds, ctype=r.header("content-type"),
                retry_after=r.header("retry-after"), problem=r.is_problem(r.status)
                if r.status >= 400 else False, **extra)
    return r


def summarize(outcomes, limit=6):
    """A short text of outcome counts and a few examples, for failure details."""
    counts = {}
    for o in outcomes:
        key = "%s:%s" % (o["kind"], o["status"] if o["status"] is not None else o["error"])
        counts[key] = counts.get(key, 0) + 1
    return ", ".join("%s x%d" % kv for kv in sorted(counts.items()))[:limit * 80]


# --- team profiles -----------------------------------------------------------

ROLLEN = ["webredacteur", "webcare-medewerker", "regisseur-online-dienstverlening",
          "verbinder"]
COMPETENTIES = ["schrijven-voor-het-web"]


def members_for(tag):
    """The members a write tagged `tag` carries: 1-4 members, derived from the
    tag so that a stored profile can be checked against what was sent."""
    h = sum(ord(c) * (i + 7) for i, c in enumerate(tag))
    leden = []
    for k in range(1 + h % 4):
        fte = [0.4, 0.5, 0.8, 1.0][(h + k) % 4]
        r1 = ROLLEN[(h + k) % len(ROLLEN)]
        r2 = ROLLEN[(h + k + 1) % len(ROLLEN)]
        rollen = ([{"rol": r1, "aandeel": fte}] if (h + k) % 3 == 0 else
                  [{"rol": r1, "aandeel": round(fte - 0.1, 1)}, {"rol": r2, "aandeel": 0.1}])
        comps = ([{"code": COMPETENTIES[0], "niveau": 1 + (h + k) % 4}] if k % 2 == 0 else [])
        leden.append({"label": "lid %d van %s" % (k, tag), "fte": fte, "rollen": rollen,
                      "competenties": comps})
    return leden


def profile_body(tag, gemeente=GEMEENTE):
    return {"gemeente": gemeente, "peildatum": "2026-0%d-1%d" % (1 + len(tag) % 9, len(tag) % 10),
            "toelichting": tag, "leden": members_for(tag)}


def normalise_members(leden):
    """Members as comparable tuples (numbers as rounded floats)."""
    out = []
    for m in leden:
        out.append((m["label"], round(float(m["fte"]), 4),
                    tuple((r["rol"], round(float(r["aandeel"]), 4)) for r in m["rollen"]),
                    tuple((c["code"], int(c["niveau"])) for c in (m.get("competenties") or []))))
    return out


def stored_profiles(client_id):
    """{uuid: (toelichting, normalised members)} of the client's profiles, read
    straight from the tables with psql."""
    sql = """
    SELECT json_build_object('uuid', p.uuid, 'toelichting', p.toelichting, 'leden',
      coalesce((SELECT json_agg(json_build_object(
          'label', l.label, 'fte', l.fte,
          'rollen', coalesce((SELECT json_agg(json_build_object('rol', r.rol, 'aandeel', r.aandeel)
                              ORDER BY r.volgorde) FROM teamlid_rollen r
                              WHERE r.profiel = l.profiel AND r.volgnummer = l.volgnummer), '[]'),
          'competenties', coalesce((SELECT json_agg(json_build_object('code', c.competentie,
                              'niveau', c.niveau) ORDER BY c.volgorde) FROM teamlid_competenties c
                              WHERE c.profiel = l.profiel AND c.volgnummer = l.volgnummer), '[]'))
          ORDER BY l.volgnummer) FROM teamleden l WHERE l.profiel = p.uuid), '[]'))
    FROM teamprofielen p WHERE p.client_id = %s""" % sql_literal(client_id)
    out = {}
    for line in psql(sql).splitlines():
        if line.strip():
            d = json.loads(line)
            out[d["uuid"]] = (d["toelichting"], normalise_members(d["leden"]))
    return out


def audit_tags(client_id):
    """{(actie, toelichting or uuid)} of the client's audit rows."""
    rows = psql("SELECT actie || '|' || coalesce(nieuw->>'toelichting', profiel::text) "
                "FROM audittrail WHERE client_id = %s" % sql_literal(client_id))
    return {tuple(line.split("|", 1)) for line in rows.splitlines() if line}


def rss_kib(pid):
    """The resident set size of process `pid` in KiB (from /proc)."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS for pid %d" % pid)


def raise_fd_limit(need):
    """Raises this process's open-file limit to at least `need` if allowed."""
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(need, soft), hard), hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def wait_until(predicate, timeout, interval=0.05):
    """Seconds until predicate() was true, or None after `timeout`."""
    t0 = time.monotonic()
    while True:
        try:
            if predicate():
                return time.monotonic() - t0
        except Exception:
            pass
        if time.monotonic() - t0 > timeout:
            return None
        time.sleep(interval)
