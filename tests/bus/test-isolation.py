#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Bus test: the sandbox really isolates: PrivateNetwork, PrivateTmp, CapabilityBoundingSet,
# NoNewPrivileges, and no fd of the daemon reaches the job. Jobs are spawned as root.
#
# Run: tests/with-bus -- tests/bus/test-isolation.py

import json
import os
import socket
import subprocess
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confinetest import (  # noqa: E402
    PYTHON, JobReaper, Tap, connect, final_checks, get_prop, install_child_cleanup, kill_job, poll_until,
    proc_status_field, py_job, read_pipes, run_job, spawn, wait_job,
)

t = Tap(timeout=120)
install_child_cleanup(t)
conn = connect()
reaper = JobReaper()
t.add_cleanup(lambda: reaper.kill_all(conn))

PN = [("PrivateNetwork", "b", True)]
PT = [("PrivateTmp", "b", True)]


def job(argv, props=(), **kw):
    j = run_job(conn, argv, props, **kw)
    reaper.add(j.path)
    return j


def status_of_job(props=()):
    """The job's /proc/self/status."""
    j = job(["cat", "/proc/self/status"], props)
    t.eq((j.result, j.status, j.stderr), ("success", 0, ""), "cat /proc/self/status (result, status, stderr)")
    return j.stdout


# ---------------------------------------------------------------------------------------
# PrivateNetwork

with t.case("PrivateNetwork=yes: ip -o link shows only lo, and lo is up"):
    j = job(["ip", "-o", "link"], PN)
    t.eq((j.result, j.status, j.stderr), ("success", 0, ""), "ip -o link (result, status, stderr)")
    lines = j.stdout.splitlines()
    names = [ln.split(":")[1].strip() for ln in lines]
    t.eq(names, ["lo"], "interfaces")
    flags = lines[0].split("<", 1)[1].split(">", 1)[0].split(",")
    t.contains(flags, "UP", "lo flags")

with t.case("without PrivateNetwork the job is in the host's network namespace; with it, in another"):
    host_ns = os.readlink("/proc/self/ns/net")
    j = job(["readlink", "/proc/self/ns/net"])
    t.eq(j.stdout.strip(), host_ns, "net namespace without PrivateNetwork")
    j = job(["readlink", "/proc/self/ns/net"], PN)
    t.check(j.stdout.strip().startswith("net:[") and j.stdout.strip() != host_ns,
            "net namespace with PrivateNetwork differs from the host's %s" % host_ns, j.stdout)

CONNECT = """
import socket, sys
s = socket.socket()
s.settimeout(5)
try:
    s.connect(("127.0.0.1", %d))
    s.sendall(b"hello-from-job")
    s.close()
    sys.exit(0)
except ConnectionRefusedError:
    sys.exit(3)
except OSError as e:
    print(repr(e))
    sys.exit(4)
"""

with t.case("TCP to a listener on the host's 127.0.0.1: reachable without PrivateNetwork, refused with it"):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        ls.bind(("127.0.0.1", 0))
        ls.listen(4)
        ls.settimeout(5)
        port = ls.getsockname()[1]
        j = job(py_job(CONNECT % port))
        t.eq((j.result, j.status, j.stdout, j.stderr), ("success", 0, "", ""),
             "job without PrivateNetwork: (result, status, stdout, stderr)")
        c, _ = ls.accept()
        with c:
            c.settimeout(5)
            t.eq(c.recv(100), b"hello-from-job", "what the listener received")
        j = job(py_job(CONNECT % port), PN)
        t.eq((j.result, j.status, j.stdout, j.stderr), ("exit-code", 3, "", ""),
             "job with PrivateNetwork: (result, status=3 is ECONNREFUSED, stdout, stderr)")
        ls.settimeout(0.5)
        try:
            c, addr = ls.accept()
            c.close()
            t.check(False, "the listener got a connection from %r after the PrivateNetwork job" % (addr,))
        except socket.timeout:
            pass
    finally:
        ls.close()

LISTEN = """
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(4)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(60)
"""

with t.case("PrivateNetwork: jobs alive together never share a namespace (the daemon prepares them ahead)"):
    # Several in a row, as the daemon's pool of prepared namespaces hands them out, while the first
    # listens on its lo. Reaching that listener from the same namespace works (nsenter, the control);
    # from any later job's namespace it must be refused.
    portfile = "/tmp/confine-netns-%s" % uuid.uuid4().hex
    path, _ = spawn(conn, [PYTHON, "-c", LISTEN, portfile], PN)
    reaper.add(path)
    try:
        poll_until(lambda: os.path.exists(portfile), 20)
        with open(portfile) as f:
            port = int(f.read())
        pid = get_prop(conn, path, "MainPID")
        ctl = subprocess.run(["nsenter", "--net=/proc/%d/ns/net" % pid, PYTHON, "-c", CONNECT % port],
                             capture_output=True, text=True, timeout=30)
        t.eq((ctl.returncode, ctl.stdout), (0, ""), "control: connect from the listener's own namespace")
        first = os.readlink("/proc/%d/ns/net" % pid)
        for i in range(6):
            j = job(py_job("import os; print(os.readlink('/proc/self/ns/net'), flush=True)\n" + CONNECT % port), PN)
            t.eq((j.result, j.status), ("exit-code", 3), "job %d: connect to the first job's listener is refused" % i)
            # (Namespace inode numbers are reused once a namespace is gone: compare with the live one only.)
            t.check(j.stdout.strip() != first, "job %d: not the first job's namespace" % i, (j.stdout, first))
    finally:
        kill_job(conn, path)
        wait_job(conn, path)
        if os.path.exists(portfile):
            os.unlink(portfile)

# ---------------------------------------------------------------------------------------
# PrivateTmp

with t.case("PrivateTmp: the host's /tmp and /var/tmp files are visible without it, hidden with it"):
    tag = uuid.uuid4().hex
    host_tmp = "/tmp/confine-isolation-%s" % tag
    host_vartmp = "/var/tmp/confine-isolation-%s" % tag
    try:
        for p in (host_tmp, host_vartmp):
            with open(p, "w") as f:
                f.write("host\n")
        script = 'for p in "$@"; do if [ -e "$p" ]; then echo present; else echo absent; fi; done'
        j = job(["sh", "-c", script, "sh", host_tmp, host_vartmp])
        t.eq(j.stdout, "present\npresent\n", "without PrivateTmp")
        j = job(["sh", "-c", script, "sh", host_tmp, host_vartmp], PT)
        t.eq(j.stdout, "absent\nabsent\n", "with PrivateTmp")
        j = job(["sh", "-c", "ls -A /tmp /var/tmp; stat -f -c %T /tmp"], PT)
        t.eq(j.stdout, "/tmp:\n\n/var/tmp:\ntmpfs\n", "the private /tmp and /var/tmp are empty; /tmp is a tmpfs")
    finally:
        for p in (host_tmp, host_vartmp):
            if os.path.exists(p):
                os.unlink(p)

with t.case("PrivateTmp: what the job writes to its /tmp does not reach the host's; without it, it does"):
    tag = uuid.uuid4().hex
    p1 = "/tmp/confine-written-private-%s" % tag
    p2 = "/tmp/confine-written-shared-%s" % tag
    try:
        j = job(["sh", "-c", 'echo job > "$1" && cat "$1"', "sh", p1], PT)
        t.eq((j.result, j.stdout), ("success", "job\n"), "the job wrote and read its file")
        t.check(not os.path.exists(p1), "%s must not exist on the host" % p1)
        j = job(["sh", "-c", 'echo job > "$1"', "sh", p2])
        t.eq(j.result, "success", "job without PrivateTmp")
        t.check(os.path.exists(p2), "%s, written without PrivateTmp, exists on the host" % p2)
    finally:
        for p in (p1, p2):
            if os.path.exists(p):
                os.unlink(p)

# ---------------------------------------------------------------------------------------
# Capabilities and NoNewPrivileges

with t.case("CapabilityBoundingSet=0 as root: CapBnd, CapEff and CapPrm are all 0"):
    st = status_of_job([("CapabilityBoundingSet", "t", 0)])
    t.eq(proc_status_field(st, "CapBnd"), "0000000000000000", "CapBnd")
    t.eq(proc_status_field(st, "CapEff"), "0000000000000000", "CapEff")
    t.eq(proc_status_field(st, "CapPrm"), "0000000000000000", "CapPrm")
    t.eq(proc_status_field(st, "Uid").split()[0], "0", "still uid 0")

with t.case("CapabilityBoundingSet=CAP_NET_BIND_SERVICE as root: exactly that bit"):
    st = status_of_job([("CapabilityBoundingSet", "t", 1 << 10)])
    t.eq(proc_status_field(st, "CapBnd"), "0000000000000400", "CapBnd")
    t.eq(proc_status_field(st, "CapEff"), "0000000000000400", "CapEff")

with t.case("without CapabilityBoundingSet, a root job keeps a non-empty bounding set"):
    st = status_of_job()
    bnd = proc_status_field(st, "CapBnd")
    t.diag("CapBnd of a root job without the property: %s" % bnd)
    t.check(bnd is not None and int(bnd, 16) != 0, "CapBnd is non-zero", bnd)
    t.eq(proc_status_field(st, "NoNewPrivs"), "0", "NoNewPrivs without NoNewPrivileges (root)")

with t.case("NoNewPrivileges=yes: NoNewPrivs: 1"):
    st = status_of_job([("NoNewPrivileges", "b", True)])
    t.eq(proc_status_field(st, "NoNewPrivs"), "1", "NoNewPrivs")

# ---------------------------------------------------------------------------------------
# fds

# Lists the job's open fds with their targets. The directory fd that os.listdir() used is
# closed by the time readlink() runs on it: it is the listing's own, and left out.
LIST_FDS = """
import json, os
fds = {}
for n in os.listdir("/proc/self/fd"):
    try:
        fds[int(n)] = os.readlink("/proc/self/fd/" + n)
    except FileNotFoundError:
        pass
print(json.dumps(fds, sort_keys=True))
"""


def job_fds(props=(), **kw):
    j = job(py_job(LIST_FDS), props, **kw)
    t.eq((j.result, j.stderr), ("success", ""), "fd listing job (result, stderr)")
    return {int(k): v for k, v in json.loads(j.stdout).items()}


with t.case("no fd of the daemon leaks: with stdin/stdout/stderr given, the job has exactly fds 0, 1, 2"):
    r, w = os.pipe()
    try:
        fds = job_fds(stdin=r)
    finally:
        os.close(r)
        os.close(w)
    t.eq(sorted(fds), [0, 1, 2], "open fds (%r)" % fds)
    t.check(all(v.startswith("pipe:") for v in fds.values()), "0, 1, 2 are the caller's pipes", fds)

with t.case("no fd leaks with one ExtraFileDescriptor: exactly fds 0-3"):
    r, w = os.pipe()
    try:
        fds = job_fds([("ExtraFileDescriptors", "a(hs)", [(w, "x")])], stdin=r)
    finally:
        os.close(r)
        os.close(w)
    t.eq(sorted(fds), [0, 1, 2, 3], "open fds (%r)" % fds)

with t.case("no fd leaks and stdin is /dev/null when the caller gives no stdin"):
    fds = job_fds()
    t.eq(sorted(fds), [0, 1, 2], "open fds (%r)" % fds)
    t.eq(fds[0], "/dev/null", "fd 0")

with t.case("a job given no stdio gets /dev/null on 0, 1 and 2 (and nothing else but its extra fd)"):
    r, w = os.pipe()
    code = LIST_FDS.replace("print(json.dumps(fds, sort_keys=True))",
                            "os.write(3, json.dumps(fds, sort_keys=True).encode())")
    try:
        path, _ = spawn(conn, py_job(code), [("ExtraFileDescriptors", "a(hs)", [(w, "out")])])
        reaper.add(path)
        os.close(w)
        w = -1
        out = read_pipes([r], 10)[r]
    finally:
        os.close(r)
        if w >= 0:
            os.close(w)
    t.eq(wait_job(conn, path), ("success", 0), "Wait()")
    fds = {int(k): v for k, v in json.loads(out).items()}
    t.eq(sorted(fds), [0, 1, 2, 3], "open fds (%r)" % fds)
    t.eq([fds[0], fds[1], fds[2]], ["/dev/null"] * 3, "fds 0, 1, 2")
    t.check(fds[3].startswith("pipe:"), "fd 3 is the pipe", fds[3])

# ---------------------------------------------------------------------------------------
# Process state

with t.case("a clean environment: only HOME, LOGNAME, PATH, SHELL, USER (plus what is asked)"):
    daemon_env = open("/proc/%s/environ" % os.environ["CONFINE_DAEMON_PID"], "rb").read().split(b"\0")
    t.check(len(daemon_env) > 6, "the daemon itself has a richer environment", daemon_env)
    j = job(["cat", "/proc/self/environ"])
    env = dict(x.split("=", 1) for x in j.stdout.split("\0") if x)
    t.eq(sorted(env), ["HOME", "LOGNAME", "PATH", "SHELL", "USER"], "variables")
    t.eq((env["HOME"], env["USER"], env["LOGNAME"]), ("/root", "root", "root"), "HOME, USER, LOGNAME")
    j = job(["cat", "/proc/self/environ"], [("Environment", "as", ["CONFINE_X=1", "HOME=/custom"])])
    env = dict(x.split("=", 1) for x in j.stdout.split("\0") if x)
    t.eq(sorted(env), ["CONFINE_X", "HOME", "LOGNAME", "PATH", "SHELL", "USER"], "variables with Environment")
    t.eq((env["CONFINE_X"], env["HOME"]), ("1", "/custom"), "CONFINE_X, HOME given by the caller")

STAT = """
import os
f = open("/proc/self/stat").read().rsplit(")", 1)[1].split()
# fields after the command: state ppid pgrp session tty_nr
print(os.getpid(), f[2], f[3], f[4])
"""

with t.case("the job leads its own session and has no controlling terminal, even with a pty as stdio"):
    master, slave = os.openpty()
    try:
        j = job(py_job(STAT), [("StandardInputFileDescriptor", "h", slave)])
    finally:
        os.close(master)
        os.close(slave)
    pid, pgrp, sid, tty = j.stdout.split()
    t.eq((pgrp, sid, tty), (pid, pid, "0"), "(pgrp, session, tty_nr) with pid %s" % pid)

with t.case("signals: nothing blocked, nothing ignored in the job (the daemon blocks and ignores some)"):
    dst = open("/proc/%s/status" % os.environ["CONFINE_DAEMON_PID"]).read()
    t.diag("confined: SigBlk %s SigIgn %s" % (proc_status_field(dst, "SigBlk"), proc_status_field(dst, "SigIgn")))
    st = status_of_job()
    t.eq((proc_status_field(st, "SigBlk"), proc_status_field(st, "SigIgn")),
         ("0000000000000000", "0000000000000000"), "(SigBlk, SigIgn)")

with t.case("umask 0022 by default"):
    j = job(["sh", "-c", "umask"])
    t.eq(j.stdout, "0022\n", "umask")

with t.case("each job has its own cgroup below the daemon's ($CONFINE_CGROUP)"):
    cgs = []
    for i in range(2):
        j = job(["cat", "/proc/self/cgroup"])
        line = [ln for ln in j.stdout.splitlines() if ln.startswith("0::")]
        t.eq(len(line), 1, "cgroup2 line in %r" % j.stdout)
        cgs.append(line[0][3:])
    base = os.environ["CONFINE_CGROUP"].rstrip("/") + "/"
    t.check(all(c.startswith(base) for c in cgs), "below %s" % base, cgs)
    t.check(cgs[0] != cgs[1], "two jobs, two cgroups", cgs)

final_checks(t, conn, reaper)
t.done()
