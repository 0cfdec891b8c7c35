"""PostgreSQL stopped during load.

While PostgreSQL is down, every request that needs it gets a 503
problem+json with Retry-After (no 500, no dropped connection, no hang),
/readyz is 503, what the in-memory snapshot holds (cached catalogue reads,
gap analyses) keeps answering 200 and the process stays up. Within 5 s of
PostgreSQL accepting connections again everything works without a restart.
"""

import time

import faultlib as F

OUTAGE_S = 3.0
# A request may wait 2 s for a pooled connection; allow for a slow machine.
MAX_SECONDS_DOWN = 3.5

SNAPSHOT_KINDS = {"rollen", "rol", "analyse"}
DB_KINDS = {"referentie", "eigen", "schrijven"}


def main():
    cid, token = F.make_client("outage")
    auth = {"Authorization": "Bearer " + token}
    srv = F.Server("serve", threads=8, pool=4)
    analyse = {"gemeente": F.GEMEENTE, "leden": F.members_for("analyse")}

    # The snapshot and the response cache are filled on first use.
    warm = [F.request(srv.port, "GET", "/api/v1/rollen"),
            F.request(srv.port, "GET", "/api/v1/rollen/verbinder"),
            F.request(srv.port, "POST", "/api/v1/gap-analyses", analyse)]
    F.check("warm-up requests answer 200", all(r.status == 200 for r in warm),
            [r.status for r in warm])

    seq = [0]

    def step(load, i, n, ka):
        kind = ("rollen", "referentie", "analyse", "eigen", "schrijven", "rol", "readyz")[
            (i + n) % 7]
        if kind == "rollen":
            F.timed(load, ka, kind, "GET", "/api/v1/rollen")
        elif kind == "rol":
            F.timed(load, ka, kind, "GET", "/api/v1/rollen/verbinder")
        elif kind == "analyse":
            F.timed(load, ka, kind, "POST", "/api/v1/gap-analyses", analyse)
        elif kind == "referentie":
            F.timed(load, ka, kind, "GET", "/api/v1/teamprofielen?referentie=true")
        elif kind == "eigen":
            F.timed(load, ka, kind, "GET", "/api/v1/teamprofielen?gemeente=" + F.GEMEENTE,
                    headers=auth)
        elif kind == "schrijven":
            seq[0] += 1
            F.timed(load, ka, kind, "POST", "/api/v1/teamprofielen",
                    F.profile_body("outage-%d-%d" % (i, seq[0])), headers=auth)
        else:
            F.timed(load, ka, kind, "GET", "/readyz")
        time.sleep(0.005)

    load = F.Load(srv.port, 6, step).start()
    try:
        time.sleep(1.0)
        t_stop0 = time.monotonic()
        rc, out = F.pgctl("stop", "-m", "fast")
        t_down = time.monotonic()
        F.log("PostgreSQL stopped (rc %d) in %.2f s" % (rc, t_down - t_stop0))
        F.check("PostgreSQL stopped (pg_ctl stop -m fast)", rc == 0, out)
        time.sleep(OUTAGE_S)
        t_up0 = time.monotonic()
        rc, out = F.pgctl("start")
        t_up = time.monotonic()
        F.log("PostgreSQL started (rc %d) in %.2f s" % (rc, t_up - t_up0))
        F.check("PostgreSQL started again", rc == 0, out)

        def all_work():
            ok = (F.request(srv.port, "GET", "/readyz", timeout=3).status == 200 and
                  F.request(srv.port, "GET", "/api/v1/teamprofielen?referentie=true",
                            timeout=3).status == 200 and
                  F.request(srv.port, "GET", "/api/v1/teamprofielen", headers=auth,
                            timeout=3).status == 200)
            return ok and F.request(srv.port, "POST", "/api/v1/teamprofielen",
                                    F.profile_body("outage-probe"), headers=auth,
                                    timeout=3).status == 201

        recovered = F.wait_until(all_work, 8, 0.1)
        F.log("recovered %s s after pg_ctl start returned" % recovered)
        F.check("within 5 s of PostgreSQL returning readyz, reads and writes work again",
                recovered is not None and recovered <= 5.0,
                "took %s s" % recovered)
        t_ok = time.monotonic()
        time.sleep(1.5)
        t_end = time.monotonic()
    finally:
        load.stop()

    before = [o for o in load.between(0, t_stop0) if o["t"] + o["seconds"] < t_stop0]
    down = load.between(t_down + 0.1, t_up0)
    transition = load.between(t_stop0, t_ok)
    after = load.between(t_ok + 0.05, t_end)

    F.check("before the outage every request succeeds",
            before and all(o["status"] in (200, 201) for o in before), F.summarize(before))

    db_down = [o for o in down if o["kind"] in DB_KINDS]
    bad = [o for o in db_down if not (o["status"] == 503 and o["problem"] and
                                      (o["retry_after"] or "").isdigit())]
    F.check("while PostgreSQL is down, DB-backed requests get 503 problem+json with Retry-After",
            len(db_down) >= 10 and not bad,
            "%d of %d otherwise: %s" % (len(bad), len(db_down), F.summarize(bad)))

    ready_down = [o for o in down if o["kind"] == "readyz"]
    F.check("while PostgreSQL is down, /readyz is 503 problem+json with Retry-After",
            ready_down and all(o["status"] == 503 and o["problem"] and o["retry_after"]
                               for o in ready_down), F.summarize(ready_down))

    snap_down = [o for o in down if o["kind"] in SNAPSHOT_KINDS]
    F.check("while PostgreSQL is down, snapshot-backed reads and gap analyses answer 200",
            len(snap_down) >= 10 and all(o["status"] == 200 for o in snap_down),
            F.summarize([o for o in snap_down if o["status"] != 200]))

    slow = [o for o in down if o["seconds"] > MAX_SECONDS_DOWN]
    F.check("while PostgreSQL is down, every request is answered within %.1f s" % MAX_SECONDS_DOWN,
            not slow, "%d slower, the slowest %.2f s" % (
                len(slow), max([o["seconds"] for o in slow] or [0])))

    # A write whose COMMIT was under way when PostgreSQL went may be told 504 (outcome unknown).
    weird = [o for o in transition if o["status"] not in (200, 201, 503) and not (
        o["kind"] == "schrijven" and o["status"] == 504 and o["problem"])]
    F.check("from stop to recovery nothing but 200/201/503, or 504 for a write"
            " (no 500, no dropped connection)", not weird, F.summarize(weird))

    F.check("after recovery every request succeeds again",
            after and all(o["status"] in (200, 201) for o in after), F.summarize(
                [o for o in after if o["status"] not in (200, 201)]))

    F.check("the server process survived the outage", srv.alive())
    rc = srv.stop()
    F.check("the server then stops on SIGTERM with exit status 0", rc == 0, "status %s" % rc)


if __name__ == "__main__":
    F.run(main)
