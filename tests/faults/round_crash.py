"""A benchmark round interrupted leaves no partial round, and a round's CSV
cut short is seen as cut short.

1. The service is killed (SIGKILL) while it stores a round: a trigger of
   this test pauses the statement after the round's row and its first rows
   are written (uncommitted). Meanwhile nobody sees the round; after the
   kill PostgreSQL rolls the transaction back: no round row, no rows. A new
   server makes a round of the same name whole.
2. The same with `teamplotter peiling maak`, killed mid-way.
3. A round of 60 000 rows (its rows multiplied by SQL) read slowly as CSV:
   the first part arrives; the round is removed meanwhile; the body ends
   without its last chunk (the client sees it incomplete, not a shorter
   CSV that looks whole), the server logs it, and it keeps serving.
"""

import http.client
import signal
import socket
import threading
import time

import faultlib as F

PAUSE_S = 4
ROUND = "faults-%s-kill" % F.RUN_ID
CLI_ROUND = "faults-%s-cli" % F.RUN_ID
BIG_ROUND = "faults-%s-groot" % F.RUN_ID
BIG_ROWS = 60000


def install_pause():
    """Pauses the insert of a round's third row, for rounds of this run."""
    F.psql("CREATE OR REPLACE FUNCTION faults_peiling_pauze() RETURNS trigger LANGUAGE plpgsql"
           " AS $$ BEGIN PERFORM pg_sleep(%d); RETURN NEW; END $$;"
           " CREATE TRIGGER faults_peiling_pauze BEFORE INSERT ON peiling_rijen FOR EACH ROW"
           " WHEN (NEW.volgnummer = 3 AND NEW.peiling LIKE 'faults-%%')"
           " EXECUTE FUNCTION faults_peiling_pauze();" % PAUSE_S)


def remove_pause():
    F.psql("DROP TRIGGER IF EXISTS faults_peiling_pauze ON peiling_rijen;"
           " DROP FUNCTION IF EXISTS faults_peiling_pauze();")


def paused_insert():
    """Whether a backend is storing a round's rows (paused by the trigger)."""
    return F.psql("SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                  " AND query LIKE '%%peiling_rijen%%' AND query NOT LIKE '%%pg_stat_activity%%'"
                  " AND pid <> pg_backend_pid()").strip() == "1"


def stored(naam):
    """(round rows, its rows) as committed."""
    out = F.psql("SELECT (SELECT count(*) FROM peilingen WHERE naam = %s),"
                 " (SELECT count(*) FROM peiling_rijen WHERE peiling = %s)"
                 % (F.sql_literal(naam), F.sql_literal(naam))).strip()
    a, b = out.split("|")
    return int(a), int(b)


def killed_mid_round(start, kill, what):
    """Starts a round with start(), kills it with kill() once its statement
    pauses, and checks that nothing of it remains."""
    start()
    F.check("%s: the round's statement is under way" % what,
            F.wait_until(paused_insert, 20) is not None)
    time.sleep(0.3)  # inside the pause: the round's row and two rows written
    F.check("%s: meanwhile nobody sees the round" % what, stored(ROUND_OF[what]) == (0, 0))
    kill()
    # The backend finishes its pause and its statement, then finds its
    # client gone and rolls back.
    F.check("%s: PostgreSQL ends the transaction of the killed process" % what,
            F.wait_until(lambda: not paused_insert(), PAUSE_S + 10) is not None)
    time.sleep(0.5)
    F.check("%s: no partial round: no round row, no rows" % what,
            stored(ROUND_OF[what]) == (0, 0), str(stored(ROUND_OF[what])))


ROUND_OF = {"server": ROUND, "command line": CLI_ROUND}


def post_round(port, auth, naam, timeout=30):
    body = {"naam": naam, "peildatum": time.strftime("%Y-%m-%d", time.gmtime())}
    return F.request(port, "POST", "/api/v1/peilingen", body, headers=auth, timeout=timeout)


def main():
    _, tok = F.make_client("peiling", scopes="peilingen.beheren,benchmarks.lezen", gemeenten="*")
    auth = {"Authorization": "Bearer " + tok}
    install_pause()
    try:
        srv = F.Server("rounds")
        posted = []

        def post():
            try:
                posted.append(post_round(srv.port, auth, ROUND).status)
            except Exception as e:
                posted.append(F.error_name(e))

        t = threading.Thread(target=post, daemon=True)
        killed_mid_round(t.start, lambda: srv.stop(signal.SIGKILL, 5), "server")
        t.join(10)
        F.check("the client of the killed server got no answer", posted and posted[0] != 201,
                str(posted))

        cli = []

        def start_cli():
            cli.append(F.Proc("cli", [F.BINARY, "peiling", "maak", CLI_ROUND, "--peildatum",
                                      time.strftime("%Y-%m-%d", time.gmtime())],
                              {"TEAMPLOTTER_DATABASE_URL": F.DB_URL}))

        killed_mid_round(start_cli, lambda: cli[0].stop(signal.SIGKILL, 5), "command line")
    finally:
        remove_pause()

    srv = F.Server("rounds-again")
    r = post_round(srv.port, auth, ROUND)
    F.check("a new server makes the round of that name whole", r.status == 201,
            "%s %s" % (r.status, r.body[:200]))
    doc = r.json() or {}
    F.check("every row of it is stored", stored(ROUND) == (1, doc.get("aantalGemeenten", -1)),
            "%s vs %s" % (stored(ROUND), doc.get("aantalGemeenten")))
    cut_short(srv, auth)


def cut_short(srv, auth):
    r = post_round(srv.port, auth, BIG_ROUND)
    F.check("a round to read made", r.status == 201)
    # Test data only: the round's rows repeated to 60 000 (its CSV some 6 MB,
    # more than the sockets between server and client hold).
    F.psql("INSERT INTO peiling_rijen (peiling, volgnummer, gemeente, rij, csv,"
           " ontbrekende_kernrollen)"
           " SELECT r.peiling, r.volgnummer + k * 1000, r.gemeente || '-' || k, r.rij, r.csv,"
           "        r.ontbrekende_kernrollen"
           "   FROM peiling_rijen r, generate_series(1, %d) k WHERE r.peiling = %s;"
           " UPDATE peilingen SET aantal_gemeenten ="
           "   (SELECT count(*) FROM peiling_rijen WHERE peiling = naam) WHERE naam = %s;"
           % (BIG_ROWS // max(1, (r.json() or {}).get("aantalGemeenten", 1)),
              F.sql_literal(BIG_ROUND), F.sql_literal(BIG_ROUND)))
    rows = int(F.psql("SELECT aantal_gemeenten FROM peilingen WHERE naam = %s"
                      % F.sql_literal(BIG_ROUND)).strip())
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=20)
    conn.connect()
    conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 256 * 1024)
    conn.request("GET", "/api/v1/peilingen/%s/resultaten" % BIG_ROUND,
                 headers=dict(auth, Accept="text/csv"))
    resp = conn.getresponse()
    F.check("the CSV starts: 200, chunked", resp.status == 200 and
            resp.getheader("transfer-encoding") == "chunked", resp.status)
    first = resp.read(64 * 1024)
    F.check("its first part arrives", len(first) == 64 * 1024, len(first))
    removed = F.request(srv.port, "DELETE", "/api/v1/peilingen/%s" % BIG_ROUND, headers=auth)
    F.check("the round is removed meanwhile", removed.status == 204, removed.status)
    rest, error = b"", None
    try:
        rest = resp.read()
    except http.client.IncompleteRead as e:
        rest, error = e.partial, "IncompleteRead"
    except OSError as e:
        error = F.error_name(e)
    lines = (first + rest).count(b"\r\n")
    F.log("CSV: %d of %d lines, then %s" % (lines, rows + 1, error))
    F.check("the body ends incomplete, not as a shorter CSV that looks whole",
            error is not None and lines < rows + 1, "%s after %d lines" % (error, lines))
    conn.close()
    F.check("the server logs the CSV cut short",
            F.wait_until(lambda: "CSV cut short" in srv.log_text(), 5) is not None)
    F.check("the server keeps serving",
            F.request(srv.port, "GET", "/api/v1/peilingen", headers=auth).status == 200)


if __name__ == "__main__":
    F.run(main)
