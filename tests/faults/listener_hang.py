"""A hung snapshot listener: only its PostgreSQL backend is frozen.

The catalogue is then changed by SQL. Within 5 s the replica must either
serve the new version or say on /readyz (admin port) that it is not ready,
so that a load balancer drains it; once the listener has a new connection
it serves the new version and is ready again.
"""

import signal
import time

import faultlib as F

WITHIN_S = 5.0


def listener_pid(srv):
    """The backend of the server's listener connection."""
    rows = F.psql("SELECT pid FROM pg_stat_activity WHERE application_name = "
                  "'teamplotter-listener' OR query = 'LISTEN teamplotter_snapshot' "
                  "OR query LIKE 'SELECT versie FROM snapshot%'").split()
    return int(rows[0]) if len(rows) == 1 else None


def rol_naam(srv):
    r = F.request(srv.port, "GET", "/api/v1/rollen/verbinder", timeout=3)
    return r.json().get("naam") if r.status == 200 else None


def main():
    srv = F.Server("serve")
    before = rol_naam(srv)
    F.check("the role is served", before is not None)
    pid = F.wait_until(lambda: listener_pid(srv) is not None, 5)
    pid = listener_pid(srv)
    F.check("the listener's backend is found", pid is not None)
    F.signal_pids([pid], signal.SIGSTOP)
    try:
        time.sleep(1.0)
        F.psql("UPDATE rollen SET naam = naam || ' (faults)' WHERE code = 'verbinder'")
        t0 = time.monotonic()
        seen = []

        def settled():
            naam = rol_naam(srv)
            ready = F.request(srv.admin_port, "GET", "/readyz", timeout=3).status
            seen.append((round(time.monotonic() - t0, 2), naam, ready))
            return (naam or "").endswith(" (faults)") or ready == 503

        took = F.wait_until(settled, WITHIN_S, 0.1)
        F.log("states seen: %s" % seen[-3:])
        F.check("within %.0f s the replica serves the new version or is not ready" % WITHIN_S,
                took is not None, "last states %s" % seen[-3:])
        fresh = F.wait_until(lambda: (rol_naam(srv) or "").endswith(" (faults)") and
                             F.request(srv.admin_port, "GET", "/readyz").status == 200, 10)
        F.check("with a new connection it serves the new version and is ready again",
                fresh is not None)
    finally:
        F.signal_pids([pid], signal.SIGCONT)
    rc = srv.stop()
    F.check("the server stops on SIGTERM with exit status 0", rc == 0, "status %s" % rc)


if __name__ == "__main__":
    F.run(main)
