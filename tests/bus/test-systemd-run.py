#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Bus test: confinectl run's options that systemd-run(1) has, each meaning what it means there:
# -E/--setenv, --uid/--gid, --working-directory, -d/--same-dir, -t (--pty), -P (--pipe), -q,
# --no-block (the job outlives confinectl: no flag 1) and -G (--collect).
#
# Run: tests/with-bus -- tests/bus/test-systemd-run.py

import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confinetest import CONFINECTL, SETPRIV_NOBODY, Tap, confinectl, install_child_cleanup  # noqa: E402

t = Tap(timeout=110)
install_child_cleanup(t)


def run(args, cwd="/", env=None, stdin=b"", as_nobody=False):
    argv = ([] if not as_nobody else SETPRIV_NOBODY) + [CONFINECTL] + args
    p = subprocess.run(argv, input=stdin, capture_output=True, timeout=60, cwd=cwd, env=env)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


with t.case("-E NAME=VALUE and -E NAME (our own value), as systemd-run --setenv"):
    env = dict(os.environ, CONFINE_FROM_CALLER="caller value")
    rc, out, err = run(["run", "-E", "A=1", "--setenv=B=two words", "-E", "CONFINE_FROM_CALLER", "--",
                        "sh", "-c", 'echo "$A|$B|$CONFINE_FROM_CALLER"'], env=env)
    t.eq((rc, out, err), (0, "1|two words|caller value\n", ""), "(status, stdout, stderr)")

with t.case("-E NAME that we do not have is refused before connecting (usage, 2)"):
    env = {k: v for k, v in os.environ.items() if k != "CONFINE_UNSET_VAR"}
    rc, out, err = run(["run", "-E", "CONFINE_UNSET_VAR", "--", "true"], env=env)
    t.eq(rc, 2, "status")
    t.contains(err, "CONFINE_UNSET_VAR", "stderr names the variable")

with t.case("-E after -p Environment=: both are set, the option last (systemd-run's order)"):
    rc, out, _ = run(["run", "-p", "Environment=X=from-p", "-E", "X=from-E", "--", "sh", "-c", 'echo "$X"'])
    t.eq((rc, out), (0, "from-E\n"), "(status, stdout)")

with t.case("--uid/--gid are User=/Group=, and override -p User="):
    rc, out, err = run(["run", "-p", "User=root", "--uid=nobody", "--gid=nogroup", "--", "sh", "-c",
                        "echo $(id -u) $(id -g)"])
    t.eq((rc, out.split()), (0, ["65534", "65534"]), "(status, uid gid)")

with t.case("--working-directory=DIR, relative to ours as systemd-run makes it"):
    rc, out, _ = run(["run", "--working-directory=/usr/share", "--", "pwd"])
    t.eq((rc, out), (0, "/usr/share\n"), "absolute")
    rc, out, _ = run(["run", "--working-directory=lib", "--", "pwd"], cwd="/usr")
    t.eq((rc, out), (0, "/usr/lib\n"), "relative to our cwd")

with t.case("-d/--same-dir: our working directory; the job enters it with its own ids"):
    rc, out, _ = run(["run", "-d", "--", "pwd"], cwd="/usr/share/doc")
    t.eq((rc, out), (0, "/usr/share/doc\n"), "as root")
    os.makedirs("/tmp/confine-same-dir-0700", mode=0o700, exist_ok=True)
    os.chmod("/tmp/confine-same-dir-0700", 0o700)
    rc, out, err = run(["run", "--same-dir", "--uid=nobody", "--", "pwd"], cwd="/tmp/confine-same-dir-0700")
    t.eq(rc, 125, "nobody cannot enter root's 0700 directory")
    t.contains(err, "WorkingDirectory=/tmp/confine-same-dir-0700: Permission denied", "stderr")
    os.rmdir("/tmp/confine-same-dir-0700")

with t.case("-P is --pipe: stdio through the daemon, the status comes back"):
    rc, out, err = run(["run", "-P", "--", "sh", "-c", "cat; echo err >&2; exit 3"], stdin=b"in\n")
    t.eq((rc, out, err), (3, "in\n", "err\n"), "(status, stdout, stderr)")

with t.case("-t is --pty: -t with -P is refused as --pty with --pipe is"):
    rc, _, err = run(["run", "-t", "-P", "--", "true"])
    t.eq(rc, 2, "status")
    t.contains(err, "cannot be combined", "stderr")

with t.case("--no-block: the job's id and path, at once; the job outlives confinectl (no flag 1)"):
    start = time.monotonic()
    rc, out, err = run(["run", "--no-block", "--", "sleep", "30"])
    t.check(time.monotonic() - start < 10, "returned at once")
    t.eq(rc, 0, "status")
    words = err.split()
    t.check(err.startswith("Running as job ") and words[-1].startswith("/org/confine/Confine1/job/"),
            "stderr: Running as job ID: PATH", err)
    job_id = words[3].rstrip(":")
    time.sleep(0.5)  # confinectl has left the bus: a flag-1 job would now be killed
    r = confinectl(["--json", "status", job_id])
    t.eq(json.loads(r.stdout)["State"], "running", "still running after confinectl left")
    confinectl(["kill", job_id, "KILL"])
    r = confinectl(["wait", job_id])
    t.check(r.returncode != 0, "killed by us, not by the daemon", r.stdout + r.stderr)

with t.case("--no-block -q prints nothing; --no-block --json prints the job"):
    rc, out, err = run(["run", "--no-block", "-q", "--", "true"])
    t.eq((rc, out, err), (0, "", ""), "(status, stdout, stderr) with -q")
    rc, out, err = run(["--json", "run", "--no-block", "--", "true"])
    t.eq(rc, 0, "status with --json")
    rec = json.loads(out)
    t.check(rec.get("Id", 0) > 0 and rec.get("Argv") == ["true"], "a JSON record with the id and argv", out)

with t.case("--no-block with --pipe or --pty is refused (they need confinectl until the end)"):
    rc, _, err = run(["run", "--no-block", "--pipe", "--", "true"])
    t.eq(rc, 2, "status")
    t.contains(err, "--no-block", "stderr")

with t.case("-G/--collect is accepted: exited jobs are collected after KeepExitedSec, failed or not"):
    rc, out, err = run(["run", "-G", "--", "sh", "-c", "exit 7"])
    t.eq((rc, err), (7, ""), "(status, stderr)")
    rc, out, err = run(["run", "--collect", "-q", "--", "true"])
    t.eq(rc, 0, "status")

with t.case("as nobody: -E, -d and --no-block work without privilege"):
    rc, out, err = run(["run", "-E", "V=nobody", "-d", "--", "sh", "-c", 'echo "$V $(pwd) $(id -u)"'],
                       cwd="/tmp", as_nobody=True)
    t.eq((rc, out), (0, "nobody /tmp 65534\n"), "(status, stdout)")

t.done()
