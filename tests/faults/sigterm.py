"""SIGTERM during load.

Requests in flight when SIGTERM arrives (here: POSTs whose bodies are still
being sent) finish with their normal answer and are stored; new connections
are refused (ECONNREFUSED, nothing accepted and then dropped); no write is
committed without its answer reaching the client; every request is either
answered completely or not processed at all; the process exits 0 soon after
the last request in flight finished.
"""

import json
import socket
import threading
import time

import faultlib as F

SLOW_POSTS = 3
GET_LOADERS = 4
POST_LOADERS = 2


def raw_post_head(path, token, body_len):
    return ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
            "Content-Type: application/json\r\nContent-Length: %d\r\n"
            "Connection: close\r\n\r\n" % (path, token, body_len)).encode()


def read_all(sock, timeout):
    sock.settimeout(timeout)
    data = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except OSError as e:
        return data, F.error_name(e)
    return data, None


def main():
    cid, token = F.make_client("sigterm")
    auth = {"Authorization": "Bearer " + token}
    srv = F.Server("serve", threads=4, pool=4)
    port = srv.port

    # --- requests in flight at SIGTERM: bodies still being sent -------------
    slow = []
    for k in range(SLOW_POSTS):
        tag = "sigterm-%s-slow-%d" % (F.RUN_ID, k)
        body = json.dumps(F.profile_body(tag)).encode()
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(raw_post_head("/api/v1/teamprofielen", token, len(body)) + body[:len(body) // 2])
        slow.append({"tag": tag, "sock": s, "rest": body[len(body) // 2:]})

    # A keep-alive connection that is idle when SIGTERM arrives.
    idle = F.KeepAlive(port)
    idle_first = idle.request("GET", "/api/v1/rollen")

    # --- load on keep-alive connections --------------------------------------
    exited = threading.Event()
    writes = {}  # tag -> outcome ("acked", "answered-<status>", error name)
    wlock = threading.Lock()

    def step(load, i, n, ka):
        if exited.is_set():
            time.sleep(0.05)
            return
        if i < GET_LOADERS:
            path = ("/api/v1/rollen", "/api/v1/teamprofielen?referentie=true",
                    "/api/v1/gemeenten/" + F.GEMEENTE)[n % 3]
            F.timed(load, ka, "get", "GET", path)
        else:
            tag = "sigterm-%s-w%d-%d" % (F.RUN_ID, i, n)
            r = F.timed(load, ka, "post", "POST", "/api/v1/teamprofielen", F.profile_body(tag),
                        headers=auth, tag=tag)
            with wlock:
                writes[tag] = ("acked" if r is not None and r.status == 201 else
                               "answered-%d" % r.status if r is not None else "unanswered")
        time.sleep(0.002)

    load = F.Load(port, GET_LOADERS + POST_LOADERS, step, timeout=30).start()
    time.sleep(1.0)

    t_term = time.monotonic()
    srv.send_signal(15)
    F.log("SIGTERM sent")
    time.sleep(0.3)

    # New connections are refused while the requests in flight finish.
    refused = F.connect_error(port)
    F.check("0.3 s after SIGTERM a new connection is refused (ECONNREFUSED)",
            refused == "ECONNREFUSED", "connect gave %s" % refused)

    # A request on the connection that was idle at SIGTERM is new work: it is
    # refused (503) or at least answered with Connection: close, so that the
    # client moves on and the drain can end; or the connection was closed
    # before the request was read.
    try:
        r = idle.request("GET", "/api/v1/rollen")
        idle_after = "%d, Connection: %s" % (r.status, r.header("connection"))
        idle_ok = r.status in (200, 503) and (r.header("connection") or "").lower() == "close"
    except Exception as e:
        idle_after, idle_ok = F.error_name(e), True
    F.log("request on the connection idle at SIGTERM: %s" % idle_after)

    # The requests in flight finish sending their bodies, slowly.
    for chunk_i in range(5):
        for s in slow:
            part = s["rest"][chunk_i * len(s["rest"]) // 5:(chunk_i + 1) * len(s["rest"]) // 5]
            try:
                s["sock"].sendall(part)
            except OSError as e:
                s["send_error"] = F.error_name(e)
        time.sleep(0.1)
    for s in slow:
        data, err = read_all(s["sock"], 10)
        s["sock"].close()
        s["answer"] = data.split(b"\r\n", 1)[0].decode("latin-1")
        s["error"] = err
    t_slow_done = time.monotonic()

    rc = srv.wait(30)
    t_exit = time.monotonic()
    exited.set()
    load.stop()
    F.log("exit status %s %.2f s after SIGTERM, %.2f s after the last request in flight" % (
        rc, t_exit - t_term, t_exit - t_slow_done))

    F.check("requests in flight at SIGTERM (bodies still arriving) are answered 201",
            all(s["answer"].startswith("HTTP/1.1 201") for s in slow),
            [(s["answer"], s.get("error"), s.get("send_error")) for s in slow])
    stored = {tag for tag, _ in F.stored_profiles(cid).values()}
    F.check("and their profiles are stored", all(s["tag"] in stored for s in slow),
            [s["tag"] for s in slow if s["tag"] not in stored])

    F.check("the server exits with status 0", rc == 0, "status %s" % rc)
    F.check("the server exits within 3 s of the last request in flight finishing",
            rc is not None and t_exit - t_slow_done <= 3.0,
            "%.2f s" % (t_exit - t_slow_done))

    F.check("a request on a keep-alive connection after SIGTERM is refused or answered with "
            "Connection: close", idle_ok, "got %s" % idle_after)

    after = load.between(t_term, t_exit + 5)
    before = load.between(0, t_term)
    F.check("before SIGTERM the load is served",
            len(before) >= 10 and all(o["status"] in (200, 201) for o in before),
            F.summarize(before))
    wrong = [o for o in after if o["status"] is not None and o["status"] not in (200, 201)]
    F.check("after SIGTERM every answer is a complete 200/201 (no 5xx, no partial response)",
            not wrong, F.summarize(wrong))
    fresh_dropped = [o for o in after if o["status"] is None and not o["reused"] and
                     o["error"] != "ECONNREFUSED"]
    F.check("after SIGTERM a new connection is either served or refused, never accepted "
            "and dropped", not fresh_dropped, F.summarize(fresh_dropped))
    dropped = [o for o in after if o["status"] is None and o["reused"]]
    F.check("after SIGTERM no request on a keep-alive connection is dropped without an answer",
            not dropped, F.summarize(dropped))
    lost = sorted(tag for tag, outcome in writes.items()
                  if outcome != "acked" and tag in stored)
    F.log("writes: %d acked, %d without an answer; outcomes after SIGTERM: %s" % (
        sum(1 for v in writes.values() if v == "acked"),
        sum(1 for v in writes.values() if v == "unanswered"), F.summarize(after)))
    F.check("no write was stored without its answer reaching the client", not lost,
            "%d stored but unanswered: %s" % (len(lost), lost[:5]))
    acked_missing = sorted(tag for tag, outcome in writes.items()
                           if outcome == "acked" and tag not in stored)
    F.check("every acknowledged write is stored", not acked_missing, acked_missing[:5])


if __name__ == "__main__":
    F.run(main)
