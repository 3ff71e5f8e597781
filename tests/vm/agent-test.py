#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/vm/agent-test.py: spawn-privileged answered by a real polkit agent (pkttyagent),
with the password typed in on its terminal, as a user would. Run as root in the test VM
(tests/vm/guest), where user "tester" (an administrator for polkit, group sudo) has the
password below. In a login session of tester
(su -l: pam_systemd makes a logind session), on a terminal:
  1. `confinectl run -p User=root -- id -u`, with pkttyagent registered for it, asks for the
     password; typed, the job runs as root;
  2. one process (this file, "client") registers pkttyagent for itself and calls Spawn with
     User=root twice: one prompt, two jobs (auth_admin_keep: polkit keeps the authorization
     for the process that got it; a second confinectl process is asked again);
  3. in a new session, a wrong password: no job, confinectl fails with the polkit denial.
Prints what it saw; exits 0 only if all three hold."""

import os
import pty
import select
import sys
import time

import gi

gi.require_version("Gio", "2.0")

PASSWORD = "confine-vm-password"
# pkttyagent registers for one process (its parent, or --process): confinectl's own, since
# polkit looks the agent up for the caller.
PRIV = ("sh -c 'pkttyagent --process $$ --fallback & sleep 1; "
        "exec confinectl run -p User=root -- id -u'")


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


AGENT = "echo session=$XDG_SESSION_ID; "
END = "; pkill -u tester -x pkttyagent; echo DONE"


def client_main():
    """Two privileged Spawns from one process, with an agent registered for it."""
    import subprocess
    from gi.repository import Gio, GLib
    agent = subprocess.Popen(["pkttyagent", "--process", str(os.getpid()), "--fallback"])
    time.sleep(1)
    bus = Gio.bus_get_sync(Gio.BusType.SYSTEM)
    props = [("User", GLib.Variant("s", "root"))]
    for i in (1, 2):
        try:
            r = bus.call_sync("org.confine.Confine1", "/org/confine/Confine1", "org.confine.Confine1.Manager",
                              "Spawn", GLib.Variant("(asa(sv)t)", (["/bin/true"], props, 0)),
                              GLib.VariantType("(ot)"), Gio.DBusCallFlags.ALLOW_INTERACTIVE_AUTHORIZATION,
                              120000, None)
            print("SPAWN%d ok job %d" % (i, r.unpack()[1]), flush=True)
        except GLib.Error as e:
            print("SPAWN%d failed: %s" % (i, e.message), flush=True)
    agent.terminate()
    agent.wait()


if len(sys.argv) > 1 and sys.argv[1] == "client":
    client_main()
    sys.exit(0)

failed = []
out, prompts = session(AGENT + PRIV + "; echo RC=$?" + END, PASSWORD)
print("---- confinectl, the right password (%d prompt(s)):\n%s" % (prompts, out))
# id -u's line comes right after the agent's (colour-coded) last line.
if "0\nRC=0" not in out:
    failed.append("the privileged confinectl run did not run as uid 0")
if prompts != 1:
    failed.append("expected one password prompt, saw %d" % prompts)

out, prompts = session(AGENT + "python3 %s client" % os.path.abspath(__file__) + END, PASSWORD)
print("---- one process, two privileged Spawns (%d prompt(s)):\n%s" % (prompts, out))
if "SPAWN1 ok" not in out or "SPAWN2 ok" not in out:
    failed.append("the two Spawns did not both succeed")
if prompts != 1:
    failed.append("expected exactly one password prompt (auth_admin_keep), saw %d" % prompts)

out, prompts = session(AGENT + PRIV + "; echo RC=$?" + END, "wrong-password")
print("---- wrong password (%d prompt(s)):\n%s" % (prompts, out))
if "RC=0" in out or "RC=" not in out:
    failed.append("a wrong password was not denied")
if "AccessDenied" not in out:
    failed.append("confinectl did not report the polkit denial (AccessDenied)")
if prompts < 1:
    failed.append("no prompt for the wrong-password session")
if "0\nRC=" in out:
    failed.append("a job ran as root after a wrong password")

for f in failed:
    print("FAILED: " + f)
sys.exit(1 if failed else 0)
