#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Quotas hold under concurrency (MaxJobsPerUser=2, MaxJobsTotal=5, tests/harness/
small-quotas.conf). 24 clients, 12 as uid 65534 and 12 as uid 1, each on its own connection,
send Spawn at the same moment; each request waits for polkit, so all 24 are in the daemon at
once. Then 6 more from root (which has no per-user quota) on top. At no moment do more jobs run
than the quotas allow, and every refusal is QuotaExceeded naming the quota.

Run under tests/with-bus --daemon-arg --config=tests/harness/small-quotas.conf, as root."""

import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import confinetest as ct  # noqa: E402

USERS = (ct.NOBODY_UID, 1)
PER_USER, TOTAL = 2, 5


def start_spawners(uid, n):
    req = [{"op": "spawn", "argv": ["sleep", "60"]}, {"op": "pause"}]
    return [ct.start_client(req, uid=uid) for _ in range(n)]


def answers(procs):
    return [ct.read_json_line(p, 60) for p in procs]


def main():
    tap = ct.Tap(timeout=240)
    conn = ct.connect()
    reaper = ct.JobReaper()
    ct.install_child_cleanup(tap)

    # NJobs sampled all along: never above MaxJobsTotal.
    peak = [0]
    stop = threading.Event()

    def sample():
        c = ct.connect()
        while not stop.is_set():
            peak[0] = max(peak[0], ct.njobs(c))
            time.sleep(0.005)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()

    procs = {uid: [] for uid in USERS}
    for uid in USERS:
        procs[uid] = start_spawners(uid, 12)
    got = {uid: answers(procs[uid]) for uid in USERS}

    with tap.case("24 concurrent spawns of two users: at most MaxJobsPerUser=2 start for each"):
        for uid in USERS:
            ok = [a for a in got[uid] if "path" in a]
            tap.check(len(ok) <= PER_USER, "uid %d started %d jobs" % (uid, len(ok)))
            tap.check(len(ok) >= 1, "uid %d started at least one job (the quota is not a blanket refusal)" % uid)
            for a in ok:
                reaper.add(a["path"])

    with tap.case("every refused spawn is QuotaExceeded naming the quota"):
        for uid in USERS:
            for a in got[uid]:
                if "path" in a:
                    continue
                tap.eq(a.get("error"), ct.E_QUOTA, "uid %d: error (answer %r)" % (uid, a))
                tap.check("MaxJobsPerUser" in a.get("message", "") or "MaxJobsTotal" in a.get("message", ""),
                          "names the quota", a.get("message"))

    # Root's spawns need no polkit and have no per-user quota: only MaxJobsTotal holds them.
    root_procs = start_spawners(0, 6)
    root_got = answers(root_procs)

    with tap.case("6 more from root at once: MaxJobsTotal=5 holds for all users together"):
        ok = [a for a in root_got if "path" in a]
        for a in ok:
            reaper.add(a["path"])
        running = ct.njobs(conn)
        tap.check(running <= TOTAL, "NJobs %d" % running)
        for a in root_got:
            if "path" not in a:
                tap.eq(a.get("error"), ct.E_QUOTA, "root: error (answer %r)" % a)
                tap.check("MaxJobsTotal" in a.get("message", ""), "names MaxJobsTotal", a.get("message"))
        tap.check(len(ok) >= 1, "root started at least one job")

    stop.set()
    sampler.join()
    with tap.case("NJobs sampled during the whole run never exceeded MaxJobsTotal"):
        tap.check(peak[0] <= TOTAL, "peak NJobs %d" % peak[0])
        listed = len([j for j in ct.list_jobs(conn) if j[1] in ("starting", "running")])
        tap.check(listed <= TOTAL, "ListJobs shows %d running" % listed)

    for p in [p for uid in USERS for p in procs[uid]] + root_procs:
        p.stdin.close()
        p.wait()
    ct.final_checks(tap, conn, reaper)
    tap.done()


if __name__ == "__main__":
    main()
