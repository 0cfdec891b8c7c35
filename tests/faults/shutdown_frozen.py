"""SIGTERM ends the process even when PostgreSQL never answers.

Two cases, each with every PostgreSQL process SIGSTOPped: (1) an idle
server, whose snapshot listener is then waiting for its version query;
(2) a server whose benchmark rows are being computed by a bulk read that
waits on a table lock (taken by another session) when PostgreSQL freezes.
Both must exit 0 within 10 s of SIGTERM (the drain waits only for running
handlers, and every wait on PostgreSQL is cut off at shutdown).
"""

import signal
import threading
import time

import faultlib as F

EXIT_WITHIN_S = 10.0


def stop_frozen(srv, what):
    pids = F.pg_freeze()
    try:
        time.sleep(1.5)  # the listener's next version check is now under way
        t0 = time.monotonic()
        srv.send_signal(signal.SIGTERM)
        rc = srv.wait(EXIT_WITHIN_S + 20)
        took = time.monotonic() - t0
    finally:
        F.signal_pids(pids, signal.SIGCONT)
    F.log("%s: exit status %s after %.1f s" % (what, rc, took))
    F.check("%s: SIGTERM with PostgreSQL frozen ends the process with 0 within %.0f s" % (
        what, EXIT_WITHIN_S), rc == 0 and took <= EXIT_WITHIN_S,
        "status %s after %.1f s" % (rc, took))
    if rc is None:
        srv.stop(signal.SIGKILL, 5)


def main():
    # --- 1: idle ------------------------------------------------------------
    srv = F.Server("idle")
    F.check("the idle server serves its snapshot",
            F.request(srv.port, "GET", "/api/v1/rollen").status == 200)
    stop_frozen(srv, "idle")

    # --- 2: a bulk read waiting on a lock ---------------------------------------
    srv = F.Server("bulk")
    _, vng = F.make_client("bulk", scopes="benchmarks.lezen", gemeenten="*")
    auth = {"Authorization": "Bearer " + vng}
    _, writer = F.make_client("bulkw")
    # A new profile: the rows kept so far are out of date.
    F.request(srv.port, "POST", "/api/v1/teamprofielen", F.profile_body("shutdown-bulk"),
              headers={"Authorization": "Bearer " + writer})
    locker = F.Locker("gemeenten")
    try:
        F.check("another session holds a lock on gemeenten", locker.wait_granted())
        answers = []
        t = threading.Thread(target=lambda: answers.append(
            F.request(srv.port, "GET", "/api/v1/benchmarks", headers=auth, timeout=90)),
            daemon=True)
        t.start()
        waiting = F.wait_until(lambda: F.psql(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query LIKE '%teamprofiel_bezetting%'").strip() != "0", 10)
        F.check("the bulk read waits for the lock", waiting is not None)
        stop_frozen(srv, "bulk")
    finally:
        locker.release()


if __name__ == "__main__":
    F.run(main)
