#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Bus test: the seeds' units, run as their articles write them, one `confinectl run -p` per directive
# line, in the article's order; the effects are checked from inside the job, each next to the same
# probe without the directives (the escape works without, fails with).
#
# 1. The OpenSMTPD unit of "Limit the impact of a security intrusion with systemd directives": one
#    capability a line (systemd merges them: load-fragment.c), TemporaryFileSystem=/etc with the files
#    smtpd needs bound back read-only (systemd creates each mount point inside the tmpfs: namespace.c),
#    a writable tmpfs on /var/run, the shells inaccessible. Paths missing on this host get systemd's
#    "-" prefix, as an administrator would write them here. The article's text is not in this tree:
#    OPENSMTPD below follows issue 14's account of it (one capability a line, the six capabilities,
#    /etc as a tmpfs with its files bound back, /var/run, /usr/bin/bash); compare it with the article
#    and correct any line that differs.
# 2. Every snippet of "systemd for Administrators, Part XII: Securing Your Services", as written, with
#    its old names (ReadOnlyDirectories=, InaccessibleDirectories=, which systemd still accepts).
#
# Run: tests/with-bus -- tests/bus/test-systemd-units.py

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confinetest import CONFINECTL, Tap, install_child_cleanup  # noqa: E402

t = Tap(timeout=110)
install_child_cleanup(t)
# The probes' files on the host, from the runs without the directives.
t.add_cleanup(lambda: [os.unlink(p) for p in ("/var/tmp/confine-part12",) if os.path.exists(p)])

PY = "/usr/bin/python3"

# What the job sees, as JSON: run with "python3 -c PROBE PATH...".
PROBE = r'''
import errno, json, os, sys
def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return line.split()[1]
def try_write(p):
    try:
        with open(p, "a"):
            return "ok"
    except OSError as e:
        return errno.errorcode[e.errno]
def try_read(p):
    try:
        with open(p, "rb") as f:
            f.read(1)
            return "ok"
    except OSError as e:
        return errno.errorcode[e.errno]
def fstype(p):
    best, kind = "", None
    real = os.path.realpath(p)
    for line in open("/proc/self/mountinfo"):
        left, right = line.split(" - ")
        mnt = left.split()[4]
        if (real == mnt or real.startswith(mnt.rstrip("/") + "/")) and len(mnt) >= len(best):
            best, kind = mnt, right.split()[0]
    return kind
out = {"CapBnd": int(status("CapBnd"), 16), "NoNewPrivs": status("NoNewPrivs"),
       "etc": sorted(os.listdir("/etc")),
       "net": sorted(l.split(":")[0].strip() for l in open("/proc/self/net/dev").readlines()[2:]),
       "nofile": __import__("resource").getrlimit(__import__("resource").RLIMIT_NOFILE)}
for p in sys.argv[1:]:
    kind, _, path = p.partition(":")
    out[p] = {"write": try_write, "read": try_read, "fstype": fstype,
              "ls": lambda q: sorted(os.listdir(q)) if os.path.isdir(q) else None}[kind](path)
print(json.dumps(out))
'''


def run(props, checks=(), argv=None):
    args = [CONFINECTL, "run"]
    for p in props:
        args += ["-p", p]
    args += ["--"] + (argv or [PY, "-c", PROBE] + list(checks))
    p = subprocess.run(args, capture_output=True, text=True, timeout=60, cwd="/")
    if argv is None and p.returncode == 0:
        return p.returncode, json.loads(p.stdout), p.stderr
    return p.returncode, p.stdout, p.stderr


def cap_mask(*names):
    numbers = {"CAP_CHOWN": 0, "CAP_DAC_OVERRIDE": 1, "CAP_FOWNER": 3, "CAP_KILL": 5, "CAP_SETGID": 6,
               "CAP_SETUID": 7, "CAP_NET_BIND_SERVICE": 10, "CAP_SYS_CHROOT": 18, "CAP_SYS_PTRACE": 19}
    return sum(1 << numbers[n] for n in names)


def dash_if_missing(directive):
    """Name=PATH → Name=-PATH when PATH is missing here, as systemd's "-" prefix ignores it."""
    name, _, path = directive.partition("=")
    return directive if os.path.lexists(path) else "%s=-%s" % (name, path)


# ---------------------------------------------------------------------------------------------
OPENSMTPD = [
    "CapabilityBoundingSet=CAP_SYS_CHROOT",
    "CapabilityBoundingSet=CAP_SETUID",
    "CapabilityBoundingSet=CAP_SETGID",
    "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
    "CapabilityBoundingSet=CAP_CHOWN",
    "CapabilityBoundingSet=CAP_FOWNER",
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    "ProtectHome=yes",
    "ProtectKernelTunables=yes",
    "ProtectKernelModules=yes",
    "ProtectControlGroups=yes",
    "PrivateTmp=yes",
    "PrivateDevices=yes",
    "TemporaryFileSystem=/etc",
    "BindReadOnlyPaths=/etc/passwd",
    "BindReadOnlyPaths=/etc/group",
    "BindReadOnlyPaths=/etc/hosts",
    "BindReadOnlyPaths=/etc/resolv.conf",
    "BindReadOnlyPaths=/etc/nsswitch.conf",
    "BindReadOnlyPaths=/etc/localtime",
    "BindReadOnlyPaths=/etc/mailname",
    "BindReadOnlyPaths=/etc/smtpd.conf",
    "BindReadOnlyPaths=/etc/mail/aliases",
    "BindReadOnlyPaths=/etc/ssl",
    "TemporaryFileSystem=/var/run",
    "InaccessiblePaths=/usr/bin/bash",
    "InaccessiblePaths=/usr/bin/sh",
    "InaccessiblePaths=/usr/bin/dash",
    "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
    "RestrictNamespaces=yes",
    "LockPersonality=yes",
    "MemoryDenyWriteExecute=yes",
    "RestrictRealtime=yes",
    "SystemCallArchitectures=native",
    "SystemCallFilter=@system-service",
    "SystemCallFilter=~@privileged @resources",
    "SystemCallFilter=chroot setuid setgid setgroups chown fchown",
    "SystemCallErrorNumber=EPERM",
]
SIX = cap_mask("CAP_SYS_CHROOT", "CAP_SETUID", "CAP_SETGID", "CAP_NET_BIND_SERVICE", "CAP_CHOWN", "CAP_FOWNER")
BOUND = [d.split("=", 1)[1] for d in OPENSMTPD if d.startswith("BindReadOnlyPaths=")]
BOUND_HERE = sorted({p.split("/")[2] for p in BOUND if os.path.lexists(p)})
CHECKS = ["write:/etc/hosts", "read:/usr/bin/bash", "fstype:/var/run", "write:/var/run/smtpd.sock", "read:/etc/hosts"]

with t.case("OpenSMTPD, without the unit: all capabilities, the host's /etc, bash readable"):
    rc, seen, err = run([], CHECKS)
    t.eq(rc, 0, "status")
    t.check(seen["CapBnd"] & SIX == SIX and seen["CapBnd"] != SIX, "a full bounding set", hex(seen["CapBnd"]))
    t.check(len(seen["etc"]) > len(BOUND_HERE) + 5, "the host's /etc", seen["etc"])
    t.eq(seen["read:/usr/bin/bash"], "ok", "/usr/bin/bash readable")

with t.case("OpenSMTPD, the unit verbatim, one -p per line (missing paths with \"-\"): it runs"):
    props = [dash_if_missing(d) if d.startswith("BindReadOnlyPaths=") else d for d in OPENSMTPD]
    rc, seen, err = run(props, CHECKS)
    t.eq((rc, err), (0, ""), "(status, stderr)")
    t.eq(seen["CapBnd"], SIX, "the six capabilities of the six lines, merged (CapBnd)")
    t.eq(seen["etc"], BOUND_HERE, "/etc holds only the bound entries")
    t.eq(seen["read:/etc/hosts"], "ok", "/etc/hosts readable")
    t.eq(seen["write:/etc/hosts"], "EROFS", "/etc/hosts read-only")
    t.eq(seen["read:/usr/bin/bash"], "EACCES", "/usr/bin/bash inaccessible")
    t.eq(seen["fstype:/var/run"], "tmpfs", "/var/run a tmpfs")
    t.eq(seen["write:/var/run/smtpd.sock"], "ok", "/var/run writable")
    t.eq(seen["NoNewPrivs"], "1", "NoNewPrivileges")

with t.case("OpenSMTPD: without the \"-\", a path missing here fails the spawn naming it (systemd: ENOENT)"):
    missing = [p for p in BOUND if not os.path.lexists(p)]
    if not missing:
        t.check(True, "nothing is missing on this host # SKIP")
    else:
        rc, out, err = run(["TemporaryFileSystem=/etc", "BindReadOnlyPaths=" + missing[0]], argv=["true"])
        t.eq(rc, 125, "status")
        t.contains(err, "BindReadOnlyPaths=%s" % missing[0], "stderr names the property and the path")

# ---------------------------------------------------------------------------------------------
# Part XII, snippet by snippet: (title, directives, probe arguments, check(seen) → (ok, what)).
PART_XII = [
    ("Isolating services from the network", ["PrivateNetwork=yes"], [],
     lambda s: (s["net"] == ["lo"], "only lo")),
    ("Service-private /tmp", ["PrivateTmp=yes"], ["ls:/tmp"],
     lambda s: (s["ls:/tmp"] == [], "an empty /tmp")),
    ("Read-only directories (old name)", ["ReadOnlyDirectories=/var"], ["write:/var/tmp/confine-part12"],
     lambda s: (s["write:/var/tmp/confine-part12"] == "EROFS", "/var read-only")),
    ("Inaccessible directories (old name)", ["InaccessibleDirectories=/home"], ["ls:/home"],
     lambda s: (s["ls:/home"] == [], "/home empty and inaccessible")),
    ("Taking away capabilities", ["CapabilityBoundingSet=CAP_CHOWN CAP_KILL"], [],
     lambda s: (s["CapBnd"] == cap_mask("CAP_CHOWN", "CAP_KILL"), "CapBnd = CAP_CHOWN CAP_KILL")),
    ("Taking away one capability", ["CapabilityBoundingSet=~CAP_SYS_PTRACE"], [],
     lambda s: (not s["CapBnd"] & cap_mask("CAP_SYS_PTRACE") and s["CapBnd"] & cap_mask("CAP_KILL"),
                "all but CAP_SYS_PTRACE")),
    # DevicePolicy=auto with a DeviceAllow= line acts as closed (systemd.resource-control(5)): the line's
    # device and the standard pseudo devices, nothing else (here: /dev/kmsg).
    ("Deny access to hardware devices", ["DeviceAllow=/dev/null rw"], ["write:/dev/null", "read:/dev/kmsg"],
     lambda s: (s["write:/dev/null"] == "ok" and s["read:/dev/kmsg"] in ("EPERM", "ENOENT"),
                "/dev/null usable, /dev/kmsg not")),
    ("Limiting open files", ["LimitNOFILE=16"], [],
     lambda s: (s["nofile"] == [16, 16], "RLIMIT_NOFILE 16:16")),
    ("No new privileges", ["NoNewPrivileges=yes"], [],
     lambda s: (s["NoNewPrivs"] == "1", "NoNewPrivs 1")),
]

for title, directives, checks, check in PART_XII:
    with t.case("Part XII, %s: %s" % (title, " ".join(directives))):
        rc, seen, err = run([], checks)
        ok, what = check(seen) if rc == 0 else (False, err)
        t.check(rc == 0 and not ok, "without it: not " + what, json.dumps(seen) if rc == 0 else err)
        rc, seen, err = run(directives, checks)
        t.eq((rc, err), (0, ""), "(status, stderr)")
        ok, what = check(seen) if rc == 0 else (False, "")
        t.check(ok, "with it: " + what, json.dumps(seen))

with t.case("Part XII, disallowing forking: LimitNPROC=1 (as a user, since root is exempt)"):
    argv = ["/bin/sh", "-c", "/bin/true && echo forked"]
    rc, out, err = run(["User=nobody"], argv=argv)
    t.eq((rc, out), (0, "forked\n"), "without it: the shell forks")
    rc, out, err = run(["User=nobody", "LimitNPROC=1"], argv=argv)
    t.check(rc != 0 and "forked" not in out, "with it: fork fails", "rc %d, %r %r" % (rc, out, err))

with t.case("Part XII, limiting file creation: LimitFSIZE=0 stops the first byte (SIGXFSZ)"):
    argv = ["/bin/sh", "-c", "echo x > /tmp/confine-part12-fsize; echo done"]
    rc, out, err = run(["PrivateTmp=yes"], argv=argv)
    t.eq((rc, out), (0, "done\n"), "without it: the byte is written")
    rc, out, err = run(["PrivateTmp=yes", "LimitFSIZE=0"], argv=argv)
    t.check(rc != 0 or "done" not in out or err, "with it: the write fails", "rc %d, %r %r" % (rc, out, err))

t.done()
