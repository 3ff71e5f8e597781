#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Analyze on a file system that never answers: the daemon stays responsive, the look-up ends
after its timeout with a finding, and the Analyze calls still looking up count against
MaxPendingPerUser (per uid) and MaxJobsTotal (in total), as Spawn's pending checks do.

The hanging file system is a FUSE mount whose /dev/fuse nobody reads: every look-up below it
waits, killably, for an answer that never comes.

Run under tests/with-bus --config=tests/harness/analyze-quotas.conf (MaxPendingPerUser=2,
MaxJobsTotal=3), as root."""

import ctypes
import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import confinetest as ct  # noqa: E402

t = ct.Tap(timeout=120)
ct.install_child_cleanup(t)
conn = ct.connect()
PATH_CHECK_TIMEOUT = 5

libc = ctypes.CDLL(None, use_errno=True)
tmp = tempfile.mkdtemp(prefix="confine-hang.")
os.chmod(tmp, 0o755)
mnt = os.path.join(tmp, "mnt")
os.mkdir(mnt)
fuse_fd = os.open("/dev/fuse", os.O_RDWR)
opts = "fd=%d,rootmode=40000,user_id=%d,group_id=%d,allow_other" % (fuse_fd, ct.NOBODY_UID, ct.NOBODY_GID)
CLONE_NEWNS = 0x00020000


def in_daemon_mount_namespace(fn):
    """Runs fn() in a child that entered confined's mount namespace (tests/with-bus gives the
    daemon one of its own); returns the child's errno, 0 for success."""
    pid = os.fork()
    if pid == 0:
        ns = os.open("/proc/%s/ns/mnt" % os.environ["CONFINE_DAEMON_PID"], os.O_RDONLY)
        if libc.setns(ns, CLONE_NEWNS) != 0 or fn() != 0:
            os._exit(ctypes.get_errno() or 1)
        os._exit(0)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


e = in_daemon_mount_namespace(lambda: libc.mount(b"confine-hang", mnt.encode(), b"fuse", 0, opts.encode()))
if e != 0:
    print("1..0 # SKIP cannot mount a FUSE file system: %s" % os.strerror(e))
    sys.exit(0)


def cleanup():
    os.close(fuse_fd)  # aborts the connection: whatever still waits gets ENOTCONN
    in_daemon_mount_namespace(lambda: libc.umount2(mnt.encode(), 2))  # MNT_DETACH
    shutil.rmtree(tmp, ignore_errors=True)


t.add_cleanup(cleanup)
HANG = {"op": "analyze", "argv": ["/bin/true"], "props": [["WorkingDirectory", "s", mnt + "/x"]]}


def start_hanging(as_nobody):
    return ct.start_client([HANG], as_nobody=as_nobody, stdin=None)


def answer(p, timeout):
    out, err = p.communicate(timeout=timeout)
    return json.loads(out.decode().splitlines()[0])


with t.case("two Analyze calls of uid 65534 hang on the file system; the daemon still answers at once"):
    hung = [start_hanging(True), start_hanging(True)]
    t0 = time.monotonic()
    time.sleep(0.5)
    quick = ct.analyze(conn, ["/bin/true"], [("PrivateNetwork", "b", True)])
    t.check(time.monotonic() - t0 < 2.5, "root's Analyze answered in %.1f s" % (time.monotonic() - t0))
    t.eq(quick["checks"]["PrivateNetwork="][1], 0, "and its report is whole")

with t.case("a third of uid 65534 is QuotaExceeded (MaxPendingPerUser=2), with Spawn's error"):
    third = ct.run_client([HANG], as_nobody=True)[0]
    t.eq(third.get("error"), ct.E_QUOTA, "error: %s" % third.get("message"))
    t.contains(third.get("message", ""), "MaxPendingPerUser", "names the limit")

with t.case("root's hanging Analyze makes three in total; a fourth is QuotaExceeded (MaxJobsTotal=3)"):
    hung.append(start_hanging(False))
    time.sleep(0.5)
    fourth = ct.run_client([{"op": "analyze", "argv": ["/bin/true"]}])[0]
    t.eq(fourth.get("error"), ct.E_QUOTA, "error: %s" % fourth.get("message"))
    t.contains(fourth.get("message", ""), "MaxJobsTotal", "names the limit")

with t.case("after %d s the look-ups are killed and each Analyze answers, saying so" % PATH_CHECK_TIMEOUT):
    answers = [answer(p, PATH_CHECK_TIMEOUT + 10) for p in hung]
    elapsed = time.monotonic() - t0
    t.check(PATH_CHECK_TIMEOUT - 1 <= elapsed <= PATH_CHECK_TIMEOUT + 8, "answered after %.1f s" % elapsed)
    for a in answers:
        t.eq(a.get("error"), None, "no error (%s)" % a.get("message"))
        msgs = [f[2] for f in a.get("findings", []) if f[0] == "unresolvable-path"]
        t.check(any("did not finish in time" in m for m in msgs), "the report says the look-up did not finish", msgs)

with t.case("the quota is free again, and no look-up process is left"):
    again = ct.run_client([{"op": "analyze", "argv": ["/bin/true"]}], as_nobody=True)[0]
    t.eq(again.get("error"), None, "uid 65534 may Analyze again")
    dpid = os.environ["CONFINE_DAEMON_PID"]
    ct.poll_until(lambda: not open("/proc/%s/task/%s/children" % (dpid, dpid)).read().split(), 5)
    t.eq(open("/proc/%s/task/%s/children" % (dpid, dpid)).read().split(), [], "children of confined")

t.done()
