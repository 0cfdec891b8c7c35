"""One client address cannot take the service down with connections.

1 100 connections from 127.0.0.1, each stuck in its request headers and
sending one more header line every few seconds (so that the idle timeout,
which restarts with every byte, never ends them), are opened against a
server with the default limits. Meanwhile requests from another loopback
address (127.0.0.2) are answered 200 within 5 s, the admin listener's
/livez answers within 100 ms every time, and the server keeps at most
TEAMPLOTTER_MAX_CONNECTIONS_PER_IP (64) of the flood's connections open.
After the flood goes, the resident memory is back within 10 % of what it
was before, and 127.0.0.1 itself is served again.
"""

import socket
import threading
import time

import faultlib as F

FLOOD = 1100
PER_IP_DEFAULT = 64
TRICKLE_EVERY_S = 5.0
MEASURE_S = 12.0
ADMIN_MAX_S = 0.100
PATHS = ["/api/v1/rollen?kernrol=true", "/livez", "/api/v1/teamprofielen?referentie=true",
         "/api/v1/gemeenten/" + F.GEMEENTE]


def still_open(socks):
    """The sockets the server has not closed (no EOF, no reset)."""
    alive = []
    for s in socks:
        s.setblocking(False)
        try:
            if s.recv(65536) == b"":
                continue
            alive.append(s)  # an answer: the server saw a whole request
        except BlockingIOError:
            alive.append(s)
        except OSError:
            pass
    return alive


def rss_settled(pid):
    """The RSS once three readings 0.5 s apart agree within 1 %."""
    last = F.rss_kib(pid)
    for _ in range(20):
        time.sleep(0.5)
        now = F.rss_kib(pid)
        if abs(now - last) <= last * 0.01:
            return now
        last = now
    return last


def main():
    limit = F.raise_fd_limit(FLOOD + 256)
    F.check("the test may open %d sockets" % FLOOD, limit >= FLOOD + 256, "limit %d" % limit)
    srv = F.Server("serve")  # default connection limits
    port = srv.port

    # Warm up: every path once, so that caches are filled before measuring.
    for _ in range(3):
        for path in PATHS:
            F.request(port, "GET", path, source="127.0.0.2")
    rss_before = rss_settled(srv.pid)
    F.log("RSS before the flood: %d KiB" % rss_before)

    # --- the flood ----------------------------------------------------------
    flood, failed = [], []
    for _ in range(FLOOD):
        s = socket.socket()
        s.settimeout(2)
        try:
            s.bind(("127.0.0.1", 0))
            s.connect(("127.0.0.1", port))
            s.sendall(b"GET /api/v1/rollen HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            flood.append(s)
        except OSError as e:
            failed.append(F.error_name(e))
            s.close()
    F.log("flood: %d connected, %d failed (%s)" % (len(flood), len(failed), failed[:3]))

    stop = threading.Event()

    def trickle():
        while not stop.wait(TRICKLE_EVERY_S):
            for s in list(flood):
                try:
                    s.setblocking(False)
                    s.send(b"X-Trickle: 1\r\n")
                except OSError:
                    pass

    trickler = threading.Thread(target=trickle, daemon=True)
    trickler.start()

    # --- meanwhile: another address, and the admin probe --------------------
    public, admin = [], []
    t_end = time.monotonic() + MEASURE_S
    n = 0
    while time.monotonic() < t_end:
        path = PATHS[n % len(PATHS)]
        n += 1
        public.append(F.probe(port, "GET", path, timeout=5, source="127.0.0.2") + (path,))
        admin.append(F.probe(srv.admin_port, "GET", "/livez", timeout=5))
        time.sleep(0.1)
    bad = [p for p in public if p[0] != 200]
    slowest = max(public, key=lambda p: p[1])
    F.log("127.0.0.2: %d requests, %d not 200, slowest %.3f s" % (len(public), len(bad),
                                                                   slowest[1]))
    F.check("requests from 127.0.0.2 are answered 200 during the flood",
            len(public) >= 20 and not bad, "not 200: %s" % bad[:5])
    admin_bad = [a for a in admin if a[0] != 200 or a[1] > ADMIN_MAX_S]
    admin_worst = max((a[1] for a in admin), default=0)
    F.log("admin /livez: %d probes, slowest %.3f s" % (len(admin), admin_worst))
    F.check("the admin /livez answers 200 within %d ms throughout" % (ADMIN_MAX_S * 1000),
            len(admin) >= 20 and not admin_bad, "%d of %d late or failed: %s" % (
                len(admin_bad), len(admin), admin_bad[:5]))
    kept = len(still_open(flood))
    F.log("flood connections the server keeps open: %d of %d" % (kept, len(flood)))
    F.check("the server keeps at most %d connections of one address open" % PER_IP_DEFAULT,
            kept <= PER_IP_DEFAULT, "%d open" % kept)

    # --- the flood goes -------------------------------------------------------
    stop.set()
    trickler.join(TRICKLE_EVERY_S + 5)
    for s in flood:
        s.close()
    ok = F.wait_until(lambda: F.request(port, "GET", "/livez", timeout=2).status == 200, 10)
    F.check("127.0.0.1 is served again once its connections are closed", ok is not None)
    rss_after = rss_settled(srv.pid)
    F.log("RSS after the flood: %d KiB (before %d KiB)" % (rss_after, rss_before))
    F.check("memory returns to within 10 %% of before (%d -> %d KiB)" % (rss_before, rss_after),
            rss_after <= rss_before * 1.10)
    log = srv.log_text()
    F.check("the limits in force are logged at start",
            "max connections 4096" in log and "per address 64" in log, log[-800:])
    rc = srv.stop()
    F.check("the server stops on SIGTERM with exit status 0", rc == 0, "status %s" % rc)


if __name__ == "__main__":
    F.run(main)
