"""Request smuggling, straight to the service and through the production proxy.

Each request below is one whose length a proxy and libmicrohttpd 0.9.75 can
read differently. Behind it, where libmicrohttpd would see the next request,
comes a GET of a canary path that appears nowhere else: if it is ever served,
its line is in the service's request log.

- Straight to the service: one answer, 400 problem+json naming the header,
  `Connection: close`, the connection closed, and the canary never served.
  Two cases the service cannot see (docs/operations.md, "Request smuggling")
  are only sent through nginx.
- Through nginx with deploy/nginx/teamplotter.conf: nginx refuses each (400,
  or 501 for an unknown Transfer-Encoding) and closes, and nothing reaches
  the service: no request line at all, canary or not.
- The controls: a well-formed pipelined canary is served straight and
  through nginx (so the canary check can fail), and a chunked POST through
  nginx reaches the service as an ordinary request (nginx sends it on with a
  Content-Length, or the service would refuse it as ambiguous).
"""

import json
import socket
import time

import faultlib as F

POST = (b"POST /api/v1/gap-analyses HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/json\r\n")

# (name, bytes before the canary, header the service names or None when it
# cannot see the fault, nginx's status)
CASES = [
    ("Content-Length and Transfer-Encoding: chunked",
     POST + b"Content-Length: 60\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
     "Transfer-Encoding", 400),
    ("two different Content-Lengths",
     POST + b"Content-Length: 2\r\nContent-Length: 60\r\n\r\n{}", "Content-Length", 400),
    ("two equal Content-Lengths",
     POST + b"Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}", "Content-Length", 400),
    ("Content-Length : 60 (space before the colon)",
     POST + b"Content-Length : 60\r\n\r\n", "Content-Length ", 400),
    ("Transfer-Encoding : chunked (space before the colon) with a Content-Length",
     POST + b"Content-Length: 5\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
     "Transfer-Encoding ", 400),
    ("a folded Content-Length",
     POST + b"Content-Length: 2\r\n 5\r\n\r\n{}", "Content-Length5", 400),
    ("two Transfer-Encodings",
     POST + b"Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n",
     "Transfer-Encoding", 400),
    ("Transfer-Encoding in HTTP/1.0",
     b"POST /api/v1/gap-analyses HTTP/1.0\r\nHost: x\r\nContent-Type: application/json\r\n"
     b"Transfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
     "Transfer-Encoding", 400),
    ("a header line with an empty name (the service cannot see it)",
     b"GET /livez HTTP/1.1\r\nHost: x\r\n: x\r\n", None, 400),
    ("Transfer-Encoding: gzip (the service cannot see it)",
     POST + b"Transfer-Encoding: gzip\r\n\r\n{}", None, 501),
]


def canary_request(path, close=False):
    return (b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\n"
            + (b"Connection: close\r\n" if close else b"") + b"\r\n")


def exchange(port, data, timeout=5.0):
    """Sends `data` on a new connection and reads until the server closes or
    `timeout`; returns (bytes read, whether the server closed)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(data)
    out = b""
    closed = False
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            s.settimeout(max(0.01, deadline - time.monotonic()))
            chunk = s.recv(65536)
            if not chunk:
                closed = True
                break
            out += chunk
    except socket.timeout:
        pass
    except ConnectionResetError:
        closed = True
    finally:
        s.close()
    return out, closed


def responses(raw):
    """The responses in `raw` as (status, {lower-case name: value}, body)."""
    out = []
    while raw.startswith(b"HTTP/1."):
        head, sep, rest = raw.partition(b"\r\n\r\n")
        if not sep:
            break
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        n = int(headers.get("content-length", "0"))
        out.append((int(lines[0].split()[1]), headers, rest[:n]))
        raw = rest[n:]
    return out


def request_lines(server):
    return server.log_text().count(" INFO: request ")


def invalid_params(body):
    """invalidParams of a problem+json body; [] for any other body."""
    try:
        params = json.loads(body).get("invalidParams")
    except (ValueError, AttributeError):
        return []
    return params if isinstance(params, list) else []


def named_header(body):
    """invalidParams[0].name of a problem+json body, or None."""
    params = invalid_params(body)
    return params[0].get("name") if params and isinstance(params[0], dict) else None


def main():
    server = F.Server("serve", threads=2, pool=2)
    nginx = F.start_nginx([server.port])

    # --- controls: the canary check sees a served canary -------------------
    for via, port in (("straight", server.port), ("through nginx", nginx.port)):
        path = "/api/v1/smuggled-canary-control-" + via.replace(" ", "-")
        raw, _ = exchange(port, b"GET /livez HTTP/1.1\r\nHost: x\r\n\r\n"
                          + canary_request(path, close=True))
        got = [r[0] for r in responses(raw)]
        F.check("control, %s: two well-formed pipelined requests are both answered and the "
                "second one's canary is in the service log" % via,
                got == [200, 404] and path in server.log_text(), got)

    before = request_lines(server)
    chunked = POST + b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
    raw, _ = exchange(nginx.port, chunked)
    got = responses(raw)
    codes = [p.get("code") for p in invalid_params(got[0][2]) if isinstance(p, dict)] if got else []
    F.check("control: a chunked POST through nginx reaches the service as one ordinary request "
            "(400 for the empty team, not for its framing)",
            len(got) == 1 and got[0][0] == 400 and "ambiguous-framing" not in codes
            and request_lines(server) == before + 1, (got[:1], codes))

    # --- straight to the service ------------------------------------------------
    for i, (name, head, header, _) in enumerate(CASES):
        if header is None:
            continue
        canary = "/api/v1/smuggled-canary-%d-straight" % i
        raw, closed = exchange(server.port, head + canary_request(canary))
        got = responses(raw)
        ok = (len(got) == 1 and got[0][0] == 400
              and got[0][1].get("content-type") == "application/problem+json"
              and named_header(got[0][2]) == header
              and got[0][1].get("connection", "").lower() == "close" and closed)
        F.check("straight to the service, %s: one 400 problem+json naming %r, connection closed"
                % (name, header), ok,
                "%d answers %s, closed=%s, first: %r" % (
                    len(got), [r[0] for r in got], closed, raw[:300]))
        F.check("straight to the service, %s: the smuggled request is not served" % name,
                canary not in server.log_text())

    # --- through nginx -----------------------------------------------------------
    for i, (name, head, _, status) in enumerate(CASES):
        canary = "/api/v1/smuggled-canary-%d-nginx" % i
        before = request_lines(server)
        raw, closed = exchange(nginx.port, head + canary_request(canary))
        got = responses(raw)
        F.check("through nginx, %s: one %d from nginx, connection closed" % (name, status),
                len(got) == 1 and got[0][0] == status and closed,
                "%d answers %s, closed=%s, first: %r" % (
                    len(got), [r[0] for r in got], closed, raw[:200]))
        time.sleep(0.05)  # a request forwarded by mistake would be logged by now
        F.check("through nginx, %s: nothing reaches the service" % name,
                request_lines(server) == before and canary not in server.log_text(),
                "%d request lines more" % (request_lines(server) - before))

    F.check("the service stops on SIGTERM with exit status 0", server.stop() == 0)
    nginx.stop()


if __name__ == "__main__":
    F.run(main)
