"""PostgreSQL hangs (every process of the cluster SIGSTOPped) during load.

Unlike a stopped server, a hung one (or one behind a network partition, or a
stalled disk) accepts TCP connections and never answers. The promise is the
same: requests that need PostgreSQL get a 503 problem+json with Retry-After
in bounded time (the pool waits 2 s, a connection attempt 3 s), and what
needs no query (/livez, cached catalogue reads, gap analyses) keeps
answering (at worst after one such wait: an HTTP worker thread runs one
request at a time). Within 5 s of PostgreSQL resuming everything works.
"""

import signal
import threading
import time

import faultlib as F

FREEZE_S = 8.0
# A request may wait 2 s for a pooled connection and then 3 s to open one
# (connect_timeout): with some slack, every answer is due within 5.5 s.
MAX_DB_SECONDS = 5.5
# Requests that need no query may share an HTTP worker thread with one that
# waits that long, but must not be stuck for as long as PostgreSQL hangs.
MAX_FAST_SECONDS = 5.5
DB_LOADERS = 24


def main():
    srv = F.Server("serve")  # default threads and pool
    port = srv.port
    analyse = {"gemeente": F.GEMEENTE, "leden": F.members_for("freeze")}
    warm = [F.request(port, "GET", "/api/v1/rollen"),
            F.request(port, "POST", "/api/v1/gap-analyses", analyse)]
    # Fill the pool, so that the load meets connections that are open.
    fill = [threading.Thread(target=F.request, args=(port, "GET",
                                                     "/api/v1/teamprofielen?referentie=true"))
            for _ in range(8)]
    for t in fill:
        t.start()
    for t in fill:
        t.join()
    F.check("warm-up requests answer 200", all(r.status == 200 for r in warm))

    def db_step(load, i, n, ka):
        F.timed(load, ka, "db", "GET", "/api/v1/teamprofielen?referentie=true")
        ka.close()  # new clients keep arriving
        time.sleep(0.05)

    def fast_step(load, i, n, ka):
        kind = ("livez", "rollen", "analyse")[n % 3]
        if kind == "analyse":
            F.timed(load, ka, kind, "POST", "/api/v1/gap-analyses", analyse)
        else:
            F.timed(load, ka, kind, "GET", "/livez" if kind == "livez" else "/api/v1/rollen")
        ka.close()  # a fresh connection each time, as a new client would
        time.sleep(0.1)

    db = F.Load(port, DB_LOADERS, db_step, timeout=30).start()
    fast = F.Load(port, 2, fast_step, timeout=30).start()
    pids = []
    try:
        time.sleep(0.5)
        pids = F.pg_freeze()
        t_freeze = time.monotonic()
        F.log("PostgreSQL frozen (%d processes)" % len(pids))
        time.sleep(FREEZE_S)
        F.signal_pids(pids, signal.SIGCONT)
        t_thaw = time.monotonic()
        F.log("PostgreSQL resumed")
        recovered = F.wait_until(
            lambda: F.request(port, "GET", "/readyz", timeout=3).status == 200 and
            F.request(port, "GET", "/api/v1/teamprofielen?referentie=true",
                      timeout=3).status == 200, 20, 0.1)
        F.check("within 5 s of PostgreSQL resuming everything works again",
                recovered is not None and recovered <= 5.0, "took %s s" % recovered)
        time.sleep(0.5)
    finally:
        F.signal_pids(pids, signal.SIGCONT)
        db.stop()
        fast.stop()

    # Requests in flight when the freeze began or started during it, while a
    # bounded answer was still due before PostgreSQL resumed. (Normally they
    # take milliseconds: one that started 1 s before the freeze and is still
    # running is stuck in it.)
    def affected(load, bound):
        return [o for o in load.between(t_freeze - 1.0, t_thaw - bound)
                if o["seconds"] + o["t"] > t_freeze or o["status"] is None]

    frozen_db = affected(db, MAX_DB_SECONDS)
    slow_db = [o for o in frozen_db if o["seconds"] > MAX_DB_SECONDS or o["status"] is None]
    F.log("DB-backed requests during the freeze: %d, slowest %.2f s" % (
        len(frozen_db), max([o["seconds"] for o in frozen_db] or [0])))
    F.check("while PostgreSQL hangs, DB-backed requests are answered within %.1f s"
            % MAX_DB_SECONDS, frozen_db and not slow_db,
            "%d of %d slower, the slowest %.2f s" % (
                len(slow_db), len(frozen_db), max([o["seconds"] for o in slow_db] or [0])))
    not_503 = [o for o in frozen_db if o["status"] is not None and not (
        o["status"] == 503 and o["problem"] and o["retry_after"])]
    F.check("while PostgreSQL hangs, those answers are 503 problem+json with Retry-After",
            not not_503, F.summarize(not_503))

    frozen_fast = affected(fast, MAX_FAST_SECONDS)
    slow_fast = [o for o in frozen_fast if o["seconds"] > MAX_FAST_SECONDS or o["status"] != 200]
    F.log("query-free requests during the freeze: %d, slowest %.2f s" % (
        len(frozen_fast), max([o["seconds"] for o in frozen_fast] or [0])))
    F.check("while PostgreSQL hangs, /livez, cached catalogue reads and gap analyses answer "
            "200 within %.1f s" % MAX_FAST_SECONDS, frozen_fast and not slow_fast,
            "%d of %d slower or failed, the slowest %.2f s: %s" % (
                len(slow_fast), len(frozen_fast),
                max([o["seconds"] for o in slow_fast] or [0]), F.summarize(slow_fast)))

    rc = srv.stop()
    F.check("the server stops on SIGTERM with exit status 0", rc == 0, "status %s" % rc)


if __name__ == "__main__":
    F.run(main)
