"""Two `teamplotter serve` replicas behind nginx.

- A profile written through one replica is read back through the other at
  once (create, replace and delete; no replica-local state).
- The catalogue snapshot stays consistent: both serve the same
  GET /api/v1/rollen body and ETag; after a change that bumps the snapshot
  version (psql: UPDATE rollen ...) both serve the same new body and ETag
  within 1 s.
- kill -9 of one replica during a read load through nginx with the
  production proxy configuration (deploy/nginx/teamplotter.conf:
  proxy_next_upstream error timeout http_502 http_503, idempotent requests
  only): the client sees no failed request.
"""

import signal
import time

import faultlib as F

CHANGED_SUFFIX = " (faults)"


def rollen(port):
    r = F.request(port, "GET", "/api/v1/rollen")
    return r.status, r.header("etag"), r.body


def snapshot_version():
    return int(F.psql("SELECT versie FROM snapshot").strip())


def main():
    cid, token = F.make_client("replicas")
    auth = {"Authorization": "Bearer " + token}
    a = F.Server("serve-a", threads=4, pool=4)
    b = F.Server("serve-b", threads=4, pool=4)
    nginx = F.start_nginx([a.port, b.port])

    # --- written through one, read back through the other ------------------
    problems = []
    for k in range(10):
        w, r = (a, b) if k % 2 == 0 else (b, a)
        tag = "replicas-%s-%d" % (F.RUN_ID, k)
        c = F.request(w.port, "POST", "/api/v1/teamprofielen", F.profile_body(tag), headers=auth)
        if c.status != 201:
            problems.append(("create", c.status))
            continue
        path = "/api/v1/teamprofielen/" + c.json()["uuid"]
        g = F.request(r.port, "GET", path, headers=auth)
        if g.status != 200 or g.body != c.body or g.header("etag") != c.header("etag"):
            problems.append(("read after create", g.status, g.header("etag"), c.header("etag")))
            continue
        tag2 = tag + "-v2"
        h = dict(auth)
        h["If-Match"] = g.header("etag")
        u = F.request(r.port, "PUT", path, F.profile_body(tag2), headers=h)
        g2 = F.request(w.port, "GET", path, headers=auth)
        if u.status != 200 or g2.status != 200 or g2.json().get("toelichting") != tag2 or \
                g2.header("etag") != u.header("etag"):
            problems.append(("read after replace", u.status, g2.status))
            continue
        h["If-Match"] = g2.header("etag")
        d = F.request(w.port, "DELETE", path, headers=h)
        g3 = F.request(r.port, "GET", path, headers=auth)
        if d.status != 204 or g3.status != 404:
            problems.append(("read after delete", d.status, g3.status))
    F.check("a profile written through one replica is read back through the other at once "
            "(10 x create, replace, delete)", not problems, problems[:5])

    # --- the catalogue snapshot stays consistent ----------------------------
    sa, sb = rollen(a.port), rollen(b.port)
    F.check("both replicas serve the same GET /api/v1/rollen (body and ETag)",
            sa[0] == sb[0] == 200 and sa[1] == sb[1] and sa[2] == sb[2], (sa[:2], sb[:2]))

    def both_loaded(version):
        needle = "snapshot: version %d loaded" % version
        return needle in a.log_text() and needle in b.log_text()

    def consistent_and(predicate):
        def ok():
            ra, rb = rollen(a.port), rollen(b.port)
            return ra[0] == rb[0] == 200 and ra[1] == rb[1] and ra[2] == rb[2] and predicate(ra)
        return ok

    F.psql("UPDATE rollen SET naam = naam WHERE code = 'verbinder'")
    v1 = snapshot_version()
    took = F.wait_until(lambda: both_loaded(v1) and consistent_and(lambda r: True)(), 3, 0.02)
    F.log("snapshot version %d" % v1)
    F.check("after UPDATE rollen SET naam = naam both replicas load the new snapshot version "
            "and serve an identical /api/v1/rollen within 1 s",
            took is not None and took <= 1.0, "took %s s" % took)

    F.psql("UPDATE rollen SET naam = naam || %s WHERE code = 'verbinder'"
           % F.sql_literal(CHANGED_SUFFIX))
    took = F.wait_until(consistent_and(lambda r: CHANGED_SUFFIX.encode() in r[2]), 3, 0.02)
    F.check("after renaming a role both replicas serve the new name with the same ETag within 1 s",
            took is not None and took <= 1.0, "took %s s" % took)

    F.psql("UPDATE rollen SET naam = left(naam, -%d) WHERE code = 'verbinder' AND naam LIKE %s"
           % (len(CHANGED_SUFFIX), F.sql_literal("%" + CHANGED_SUFFIX)))
    took = F.wait_until(consistent_and(lambda r: r[1] == sa[1]), 3, 0.02)
    F.check("after renaming it back both replicas serve the original body and ETag within 1 s",
            took is not None and took <= 1.0, "took %s s" % took)

    # --- kill -9 of one replica during a read load through nginx -----------
    paths = ["/api/v1/rollen", "/api/v1/teamprofielen?referentie=true",
             "/api/v1/gemeenten/" + F.GEMEENTE, "/api/v1/rollen?kernrol=true",
             "/api/v1/teamprofielen?gemeente=" + F.GEMEENTE]

    def step(load, i, n, ka):
        path = paths[(i + n) % len(paths)]
        F.timed(load, ka, path, "GET", path, headers=auth if "gemeente=" in path else None)

    load = F.Load(nginx.port, 6, step).start()
    try:
        time.sleep(1.0)
        t_kill = time.monotonic()
        a.send_signal(signal.SIGKILL)
        a.wait(5)
        F.log("replica a killed")
        time.sleep(2.0)
    finally:
        load.stop()
    before = load.between(0, t_kill)
    after = load.between(t_kill, time.monotonic())
    failed = [o for o in load.outcomes if o["status"] != 200]
    F.log("through nginx: %d requests before the kill, %d after" % (len(before), len(after)))
    F.check("kill -9 of a replica during a read load through nginx: no failed request",
            len(before) >= 10 and len(after) >= 10 and not failed,
            "%d requests before the kill, %d after; failed: %s" % (
                len(before), len(after), F.summarize(failed)))
    F.check("the other replica still answers directly",
            F.request(b.port, "GET", "/readyz").status == 200)

    rc = b.stop()
    F.check("the surviving replica stops on SIGTERM with exit status 0", rc == 0, rc)
    nginx.stop(signal.SIGQUIT, 10)


if __name__ == "__main__":
    F.run(main)
