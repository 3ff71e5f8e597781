#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/vm/agent-test.py: spawn-privileged answered by a real polkit agent (pkttyagent),
with the password typed in on its terminal, as a user would. Run as root in the test VM
(tests/vm/guest), where user "tester" (an administrator for polkit, group sudo) has the
password below. In a login session of tester (su -l, so pam_systemd makes a logind session
and the agent registers for it), on a terminal:
  1. `confinectl run -p User=root -- id -u` asks for the password once; typed, the job runs
     as root;
  2. the same again in that session: auth_admin_keep, no prompt, it runs;
  3. in a new session, a wrong password: no job, confinectl fails with the polkit denial.
Prints what it saw; exits 0 only if all three hold."""

import os
import pty
import select
import sys
import time

PASSWORD = "confine-vm-password"
PRIV = "confinectl run -p User=root -- id -u"


def session(script, password, timeout=60):
    """Runs script in `su -l tester` on a new pty; answers every "Password:" prompt with
    password. Returns (output, number of prompts)."""
    pid, fd = pty.fork()
    if pid == 0:
        # --pty: su -c otherwise starts the command in a new session without a controlling
        # terminal, and pkttyagent needs one (/dev/tty) to ask.
        os.execvp("su", ["su", "--pty", "-l", "tester", "-c", script])
    buf, prompts, seen = b"", 0, 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r, _, _ = select.select([fd], [], [], 0.5)
        if not r:
            continue
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        buf += data
        while buf.find(b"Password:", seen) >= 0:
            seen = buf.find(b"Password:", seen) + len(b"Password:")
            prompts += 1
            if prompts > 3:
                break
            time.sleep(0.2)
            os.write(fd, password.encode() + b"\n")
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    return buf.decode(errors="replace").replace("\r", ""), prompts


AGENT = "pkttyagent --fallback & agent=$!; sleep 1; "

failed = []
out, prompts = session(AGENT + PRIV + "; echo RC1=$?; " + PRIV + "; echo RC2=$?; kill $agent; echo DONE", PASSWORD)
print("---- right password, two calls in one session (%d prompt(s)):\n%s" % (prompts, out))
if "RC1=0" not in out or "RC2=0" not in out:
    failed.append("the privileged runs did not both succeed")
if out.count("\n0\n") + out.startswith("0\n") < 2:
    failed.append("the jobs did not both run as uid 0")
if prompts != 1:
    failed.append("expected exactly one password prompt (auth_admin_keep), saw %d" % prompts)

out, prompts = session(AGENT + PRIV + "; echo RC=$?; kill $agent; echo DONE", "wrong-password")
print("---- wrong password (%d prompt(s)):\n%s" % (prompts, out))
if "RC=0" in out or "RC=" not in out:
    failed.append("a wrong password was not denied")
if prompts < 1:
    failed.append("no prompt for the wrong-password session")
if "\n0\n" in out:
    failed.append("a job ran as root after a wrong password")

for f in failed:
    print("FAILED: " + f)
sys.exit(1 if failed else 0)
