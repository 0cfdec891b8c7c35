"""Idle connections and slow senders do not stop other clients.

With the default thread and pool sizes, 500 idle connections from ten
loopback addresses (50 each, within the per-address limit; half silent,
half stuck halfway through their request headers, some after a finished
keep-alive request), a client that sends a request body one byte every
100 ms and one that sends its headers one byte every 100 ms are all open at
once; meanwhile normal GETs on fresh connections are answered within 1 s.
The slow sender's request is still answered when its body is complete, and
the idle connections are closed by the server after its 30 s idle timeout
(not before 28 s, all by 34 s).
"""

import json
import socket
import threading
import time

import faultlib as F

IDLE = 500
SOURCES = ["127.0.0.%d" % (10 + k) for k in range(10)]
MAX_LATENCY_S = 1.0
BYTE_EVERY_S = 0.1


def count_closed(socks):
    """How many of the sockets the server has closed (EOF or reset)."""
    closed = 0
    for s in socks:
        s.setblocking(False)
        try:
            while True:
                data = s.recv(65536)
                if data == b"":
                    closed += 1
                    break
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    return closed


def main():
    srv = F.Server("serve")  # the default TEAMPLOTTER_THREADS and pool size
    port = srv.port

    # --- 500 idle connections ----------------------------------------------
    idle, refused = [], []
    t_open = time.monotonic()
    for k in range(IDLE):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5,
                                         source_address=(SOURCES[k % len(SOURCES)], 0))
        except OSError as e:
            refused.append(F.error_name(e))
            continue
        if k % 10 == 0:  # a finished keep-alive request, then nothing
            s.sendall(b"GET /livez HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        elif k % 2 == 0:  # stuck halfway through the headers
            s.sendall(b"GET /api/v1/rollen HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: ")
        idle.append(s)
    F.check("%d idle connections are accepted" % IDLE, not refused and len(idle) == IDLE,
            "%d refused: %s" % (len(refused), refused[:3]))

    # --- slow senders ----------------------------------------------------------
    body = json.dumps({"gemeente": F.GEMEENTE, "leden": []}).encode()
    slow_body = {"answer": None}

    def send_body_slowly():
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(("POST /api/v1/gap-analyses HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "Content-Type: application/json\r\nContent-Length: %d\r\n"
                       "Connection: close\r\n\r\n" % len(body)).encode())
            for i in range(len(body)):
                s.sendall(body[i:i + 1])
                time.sleep(BYTE_EVERY_S)
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
            s.close()
            slow_body["answer"] = data.split(b"\r\n", 1)[0].decode("latin-1")
        except OSError as e:
            slow_body["answer"] = F.error_name(e)

    slow_head_stop = threading.Event()

    def send_head_slowly():
        head = b"GET /api/v1/rollen HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"x" * 200
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            for i in range(len(head)):
                if slow_head_stop.is_set():
                    break
                s.sendall(head[i:i + 1])
                time.sleep(BYTE_EVERY_S)
            s.close()
        except OSError:
            pass

    t_body = threading.Thread(target=send_body_slowly, daemon=True)
    t_head = threading.Thread(target=send_head_slowly, daemon=True)
    t_body.start()
    t_head.start()
    time.sleep(0.5)

    # --- meanwhile: normal clients -------------------------------------------
    latencies, failures = [], []
    paths = ["/api/v1/rollen?kernrol=true", "/livez", "/api/v1/teamprofielen?referentie=true",
             "/api/v1/gemeenten/" + F.GEMEENTE]
    t_end = time.monotonic() + 3.0
    n = 0
    while time.monotonic() < t_end:
        path = paths[n % len(paths)]
        n += 1
        t0 = time.monotonic()
        try:
            r = F.request(port, "GET", path, timeout=5)
            latencies.append((time.monotonic() - t0, path))
            if r.status != 200:
                failures.append((path, r.status))
        except Exception as e:
            latencies.append((time.monotonic() - t0, path))
            failures.append((path, F.error_name(e)))
        time.sleep(0.05)
    worst = max(latencies)
    F.log("%d GETs, slowest %.3f s (%s)" % (len(latencies), worst[0], worst[1]))
    F.check("while they are open, normal GETs answer 200 within %.0f s" % MAX_LATENCY_S,
            len(latencies) >= 10 and not failures and worst[0] <= MAX_LATENCY_S,
            "failures: %s; slowest %.3f s for %s" % (failures[:5], worst[0], worst[1]))

    F.check("the idle connections were still open during the measurement",
            count_closed(idle) == 0, "%d of %d closed" % (count_closed(idle), len(idle)))

    t_body.join(len(body) * BYTE_EVERY_S + 10)
    F.check("the slow sender's request is answered 200 once its body is complete",
            (slow_body["answer"] or "").startswith("HTTP/1.1 200"), slow_body["answer"])
    slow_head_stop.set()
    t_head.join(5)

    # The idle timeout (30 s) closes them.
    time.sleep(max(0.0, t_open + 28.0 - time.monotonic()))
    early = count_closed(idle)
    took = F.wait_until(lambda: count_closed(idle) == len(idle), t_open + 34.0 - time.monotonic(),
                        0.25)
    F.log("idle connections: %d closed at 28 s; all closed %s" % (
        early, "at %.1f s" % (time.monotonic() - t_open) if took is not None else "not by 34 s"))
    F.check("the server closes the idle connections after its 30 s idle timeout",
            early == 0 and took is not None,
            "%d closed before 28 s, %d of %d closed by 34 s" % (early, count_closed(idle),
                                                               len(idle)))
    for s in idle:
        s.close()
    F.check("the server is still serving afterwards",
            F.request(port, "GET", "/readyz").status == 200)
    rc = srv.stop()
    F.check("the server stops on SIGTERM with exit status 0", rc == 0, "status %s" % rc)


if __name__ == "__main__":
    F.run(main)
