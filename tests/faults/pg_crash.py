"""PostgreSQL crashes (pg_ctl stop -m immediate) while writers create, replace
and delete team profiles.

Every write acknowledged with 201/200/204 before the crash is there after
crash recovery; nothing is partial: each stored profile has exactly the
members of one write that was sent for it, and every stored state has its
audit-trail row (written in the same transaction). A write whose outcome the
client could not know (504, or no answer) may or may not have happened, but
again only as a whole; one answered 503 did not happen. The service recovers without a restart.

Every write carries a unique tag in `toelichting`; the members are derived
from the tag (faultlib.members_for), so a stored profile can be checked
against what was sent for it without trusting the service. Creates carry the
tag as their Idempotency-Key too: after recovery every create without a known
outcome is sent again with its key, and each must then be stored exactly once.
"""

import threading
import time

import faultlib as F

WRITERS = 6


class Book:
    """What the writers know: per acknowledged profile the states it may be in
    (tags, or None for deleted); tags of creates with an unknown outcome."""

    def __init__(self):
        self.lock = threading.Lock()
        self.possible = {}  # uuid -> set of tags / None
        self.etag = {}  # uuid -> current ETag, while the state is known
        self.owner = {}  # uuid -> the writer that created it (and alone changes it)
        self.frozen = set()  # uuids whose state became uncertain
        self.acked = {}  # uuid -> last acknowledged tag (None: deleted)
        self.maybe_created = set()  # tags of creates without a known outcome
        self.refused = set()  # tags of creates answered 503: not stored
        self.attempted = {}  # tag -> uuid or None (for creates)
        self.acked_writes = []  # (t, kind, uuid, tag)
        self.statuses = []  # (t, kind, status or error)


def main():
    cid, token = F.make_client("crash")
    auth = {"Authorization": "Bearer " + token}
    srv = F.Server("serve", threads=8, pool=8)
    book = Book()

    def keyed(tag):
        h = dict(auth)
        h["Idempotency-Key"] = '"%s"' % tag
        return h

    def note(t, kind, status):
        with book.lock:
            book.statuses.append((t, kind, status))

    def step(load, i, n, ka):
        tag = "crash-%s-%d-%d" % (F.RUN_ID, i, n)
        with book.lock:
            mine = [u for u, p in book.possible.items()
                    if u not in book.frozen and p == {book.acked[u]} and book.acked[u]
                    and book.owner[u] == i]
        op = "create" if not mine or n % 3 == 0 else ("delete" if n % 5 == 0 else "replace")
        t0 = time.monotonic()
        if op == "create":
            with book.lock:
                book.attempted[tag] = None
            r = F.timed(load, ka, op, "POST", "/api/v1/teamprofielen", F.profile_body(tag),
                        headers=keyed(tag))
            note(t0, op, r.status if r else "error")
            if r is not None and r.status == 201:
                uuid = r.json()["uuid"]
                with book.lock:
                    book.attempted[tag] = uuid
                    book.possible[uuid] = {tag}
                    book.acked[uuid] = tag
                    book.etag[uuid] = r.header("etag")
                    book.owner[uuid] = i
                    book.acked_writes.append((t0, op, uuid, tag))
            elif r is None or r.status in (503, 504):
                with book.lock:
                    book.maybe_created.add(tag)
                    if r is not None and r.status == 503:
                        book.refused.add(tag)
                time.sleep(0.02)  # a client backs off a little on 503
            return
        uuid = mine[n % len(mine)]
        with book.lock:
            etag = book.etag[uuid]
        h = dict(auth)
        h["If-Match"] = etag
        if op == "replace":
            with book.lock:
                book.attempted[tag] = uuid
            r = F.timed(load, ka, op, "PUT", "/api/v1/teamprofielen/" + uuid,
                        F.profile_body(tag), headers=h)
            ok, new_state = (r is not None and r.status == 200), tag
        else:
            r = F.timed(load, ka, op, "DELETE", "/api/v1/teamprofielen/" + uuid, headers=h)
            ok, new_state = (r is not None and r.status == 204), None
        note(t0, op, r.status if r else "error")
        with book.lock:
            if ok:
                book.possible[uuid] = {new_state}
                book.acked[uuid] = new_state
                book.acked_writes.append((t0, op, uuid, new_state))
                if new_state is None:
                    book.frozen.add(uuid)
                else:
                    book.etag[uuid] = r.header("etag")
            elif r is None or r.status in (503, 504):
                book.possible[uuid].add(new_state)
                book.frozen.add(uuid)
        if r is None or r.status in (503, 504):
            time.sleep(0.02)
            # any other answer (a 4xx) changed nothing

    load = F.Load(srv.port, WRITERS, step).start()
    try:
        time.sleep(2.0)
        t_crash = time.monotonic()
        rc, out = F.pgctl("stop", "-m", "immediate")
        F.log("PostgreSQL crashed (rc %d) after %.2f s" % (rc, time.monotonic() - t_crash))
        F.check("PostgreSQL stopped with pg_ctl stop -m immediate", rc == 0, out)
        with book.lock:
            acked_before = [w for w in book.acked_writes if w[0] < t_crash]
        time.sleep(1.0)
        t_start = time.monotonic()
        rc, out = F.pgctl("start")
        t_up = time.monotonic()
        F.log("PostgreSQL recovered and started (rc %d) in %.2f s" % (rc, t_up - t_start))
        F.check("PostgreSQL recovered from the crash and started", rc == 0, out)

        def writes_again():
            return (F.request(srv.port, "GET", "/readyz", timeout=3).status == 200 and
                    F.request(srv.port, "POST", "/api/v1/teamprofielen",
                              F.profile_body("crash-%s-probe" % F.RUN_ID), headers=auth,
                              timeout=3).status == 201)

        recovered = F.wait_until(writes_again, 8, 0.1)
        F.check("within 5 s of PostgreSQL returning the service writes again (no restart)",
                recovered is not None and recovered <= 5.0, "took %s s" % recovered)
        time.sleep(1.0)
        t_end = time.monotonic()
    finally:
        load.stop()

    kinds = {}
    for w in acked_before:
        kinds[w[1]] = kinds.get(w[1], 0) + 1
    F.log("acknowledged before the crash: %s; maybe created: %d; uncertain profiles: %d" % (
        kinds, len(book.maybe_created), len(book.frozen - {u for u, a in book.acked.items()
                                                            if a is None})))
    F.check("the writers got writes acknowledged before the crash (creates, replaces, deletes)",
            kinds.get("create", 0) >= 10 and kinds.get("replace", 0) >= 3 and
            kinds.get("delete", 0) >= 1, kinds)

    answers = {}
    for _, kind, status in book.statuses:
        answers["%s %s" % (kind, status)] = answers.get("%s %s" % (kind, status), 0) + 1
    F.log("answers: %s" % dict(sorted(answers.items())))
    weird = [s for s in book.statuses if s[2] not in (200, 201, 204, 503, 504)]
    F.check("writers saw only 200/201/204, 503 or 504 (no 500, no dropped connection)",
            not weird, weird[:10])
    after = [s for s in book.statuses if s[0] > t_up + (recovered or 0) + 0.05 and s[0] < t_end]
    F.check("after recovery every write succeeds",
            after and all(s[2] in (200, 201, 204) for s in after),
            [s for s in after if s[2] not in (200, 201, 204)][:10])

    stored = F.stored_profiles(cid)
    refused_stored = [(uuid, tag) for uuid, (tag, _) in stored.items() if tag in book.refused]
    F.check("no create answered 503 was stored (504 is the answer when that is unknown)",
            not refused_stored, "%d of %d: %s" % (len(refused_stored), len(book.refused),
                                                  refused_stored[:5]))

    # The retry an unknown outcome calls for: the same request with the same key.
    retried = {}
    for tag in sorted(book.maybe_created):
        r = F.request(srv.port, "POST", "/api/v1/teamprofielen", F.profile_body(tag),
                      headers=keyed(tag))
        retried[tag] = r.status
    stored = F.stored_profiles(cid)
    audit = F.audit_tags(cid)
    copies = {}
    for uuid, (tag, _) in stored.items():
        copies[tag] = copies.get(tag, 0) + 1
    F.log("creates sent again with their key: %d" % len(retried))
    F.check("every create without a known outcome, sent again with its Idempotency-Key, is"
            " answered 201 and stored exactly once",
            all(st == 201 for st in retried.values()) and
            all(copies.get(tag) == 1 for tag in retried),
            [(t, st, copies.get(t)) for t, st in retried.items()
             if st != 201 or copies.get(t) != 1][:5])
    twice = [(tag, n) for tag, n in copies.items() if n > 1]
    F.check("no profile is stored twice", not twice, twice[:5])

    lost = []
    for t0, kind, uuid, tag in acked_before:
        state = stored[uuid][0] if uuid in stored else None
        if state not in book.possible[uuid]:
            lost.append((kind, uuid, tag, "stored: %s" % state))
    F.log("%d acknowledged writes checked, %d profiles stored" % (len(acked_before), len(stored)))
    F.check("every write acknowledged before the crash survived it", not lost, lost[:5])

    lost_all = []
    for uuid, possible in book.possible.items():
        state = stored[uuid][0] if uuid in stored else None
        if state not in possible:
            lost_all.append((uuid, sorted(map(str, possible)), state))
    F.check("every profile is in an acknowledged (or in-doubt) state after recovery",
            not lost_all, lost_all[:5])

    partial, unknown = [], []
    for uuid, (tag, members) in stored.items():
        if tag not in book.attempted and not tag.endswith("-probe"):
            unknown.append((uuid, tag))
        elif members != F.normalise_members(F.members_for(tag)):
            partial.append((uuid, tag, len(members), len(F.members_for(tag))))
    F.check("no profile is partial: each has exactly the members it was written with",
            not partial and not unknown,
            "partial: %s; unknown tags: %s" % (partial[:5], unknown[:5]))

    missing_audit = [(uuid, tag) for uuid, (tag, _) in stored.items()
                     if not any(a[1] == tag for a in audit)]
    acked_missing = [(k, u, t) for _, k, u, t in book.acked_writes
                     if k != "delete" and not any(a[1] == t for a in audit)]
    F.check("every stored and every acknowledged state has its audit-trail row",
            not missing_audit and not acked_missing,
            "stored without audit: %s; acknowledged without audit: %s" % (
                missing_audit[:5], acked_missing[:5]))

    # Read back through the API as well.
    mismatched = []
    for uuid, tag in list(book.acked.items())[:60]:
        if len(book.possible[uuid]) != 1:
            continue
        r = F.request(srv.port, "GET", "/api/v1/teamprofielen/" + uuid, headers=auth)
        if tag is None:
            if r.status != 404:
                mismatched.append((uuid, "deleted but %d" % r.status))
        elif r.status != 200 or F.normalise_members(r.json()["leden"]) != \
                F.normalise_members(F.members_for(tag)) or r.json().get("toelichting") != tag:
            mismatched.append((uuid, tag, r.status))
    F.check("the API reads back every acknowledged profile as written", not mismatched,
            mismatched[:5])

    rc = srv.stop()
    F.check("the server survived the crash and stops on SIGTERM with exit status 0", rc == 0,
            "status %s" % rc)


if __name__ == "__main__":
    F.run(main)
