#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Nested sandboxes. A job, here as uid 65534, reaches the broker through a socket at the path of
the real system bus (/run/dbus/system_bus_socket, the harness's bus bound there) and calls Spawn
with busctl, as an exploited helper would. Before nesting, such a request got a fresh sandbox:
with no properties, the host's network and the host's /var/tmp. Now a Spawn from inside a job
gives a job inside that one: in the parent's namespaces (its private /tmp, its network), in a
cgroup below the parent's, killed with it; and anything that would loosen the parent is
AccessDenied naming the property, without asking polkit.

The control pair first: the same probe from outside any job sees the host network and writes
the host's /var/tmp, so the probe can tell the difference.

Run under tests/with-bus, as root."""

import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import confinetest as ct  # noqa: E402

SOCKET = "/run/dbus/system_bus_socket"
TAG = "confine-nest-%d" % os.getpid()
CAP_SYS_ADMIN = 21

# What the parent job runs: python3 -c INNER MODE. It may not see this file (PrivateTmp or
# ProtectHome can hide the source tree), so it comes on the command line; it talks to the
# broker with busctl, the scripts' path.
INNER = r'''
import json, sys, time
from gi.repository import Gio, GLib
conn = Gio.DBusConnection.new_for_address_sync(
    "unix:path=/run/dbus/system_bus_socket",
    Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)

def call(path, iface, method, args, sig):
    return conn.call_sync("org.confine.Confine1", path, iface, method, args, GLib.VariantType(sig),
                          Gio.DBusCallFlags.NONE, 30000, None).unpack()

def spawn(argv, props=()):
    v = [(n, GLib.Variant(sig, val)) for n, sig, val in props]
    try:
        path, jid = call("/org/confine/Confine1", "org.confine.Confine1.Manager", "Spawn",
                         GLib.Variant("(asa(sv)t)", (argv, v, 0)), "(ot)")
        return {"path": path, "id": jid}
    except GLib.Error as e:
        return {"error": e.message}

def wait(path):
    return list(call(path, "org.confine.Confine1.Job", "Wait", None, "(si)"))

def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError as e:
        return "ERR %s" % e.strerror

tag = sys.argv[2]
if sys.argv[1] == "kill":
    print(json.dumps(spawn(["sleep", "1000"])), flush=True)
    time.sleep(1000)
    sys.exit(0)

with open("/tmp/marker", "w") as f:
    f.write("parent-private-tmp\n")
out = {}
PROBE = ("cat /tmp/marker > /tmp/r1; wc -l < /proc/net/dev >> /tmp/r1; "
         "touch /var/tmp/%s && echo wrote >> /tmp/r1; cat /proc/self/cgroup >> /tmp/r1" % tag)
a = spawn(["sh", "-c", PROBE])
out["plain"] = a
if "path" in a:
    out["plain_wait"] = wait(a["path"])
    out["plain_out"] = read("/tmp/r1")
a = spawn(["sh", "-c", "cat /tmp/marker > /tmp/r2"], [("ProtectHome", "s", "yes"), ("PrivateDevices", "b", True)])
out["stricter"] = a
if "path" in a:
    out["stricter_wait"] = wait(a["path"])
    out["stricter_out"] = read("/tmp/r2")
# The parent's seccomp filters hold in the child: thumbnailer's RestrictNamespaces=yes.
a = spawn(["sh", "-c", "unshare -U true 2> /tmp/r3; echo $? >> /tmp/r3"])
if "path" in a:
    out["userns_wait"] = wait(a["path"])
    out["userns_out"] = read("/tmp/r3")
out["nnp"] = spawn(["true"], [("NoNewPrivileges", "b", False)])
out["user"] = spawn(["true"], [("User", "s", "root")])
out["caps"] = spawn(["true"], [("CapabilityBoundingSet", "t", 1 << 21)])
out["denied_by"] = "confined, before polkit (whose rules here allow everything)"
out["memory"] = spawn(["true"], [("MemoryMax", "t", 10000000)])
print(json.dumps(out), flush=True)
'''


def parent_props(extra):
    harness_bus = os.path.join(os.environ["CONFINE_HARNESS_DIR"], "bus")
    return ["-p", "BindPaths=%s:%s" % (harness_bus, SOCKET),
            "-p", "Environment=DBUS_SYSTEM_BUS_ADDRESS=unix:path=%s" % SOCKET] + extra


def main():
    tap = ct.Tap(timeout=240)
    conn = ct.connect()
    reaper = ct.JobReaper()
    ct.install_child_cleanup(tap)

    # The bind needs its mount point; the host has no system bus here, so make an empty one.
    made_socket_file = False
    if not os.path.exists(SOCKET):
        os.makedirs(os.path.dirname(SOCKET), exist_ok=True)
        open(SOCKET, "w").close()
        made_socket_file = True
    tap.add_cleanup(lambda: made_socket_file and os.path.exists(SOCKET) and os.unlink(SOCKET))
    host_file = "/var/tmp/" + TAG
    tap.add_cleanup(lambda: os.path.exists(host_file) and os.unlink(host_file))

    with tap.case("control: a job started from outside any job has the host network and writes the host's /var/tmp"):
        r = ct.confinectl(["run", "--", "sh", "-c", "wc -l < /proc/net/dev; touch %s-control && echo wrote" % host_file],
                          as_nobody=True)
        lines = r.stdout.split()
        tap.check(len(lines) >= 2 and int(lines[0]) > 3, "more than lo in /proc/net/dev", r.stdout + r.stderr)
        tap.check(os.path.exists(host_file + "-control"), "the host's /var/tmp was written")
        if os.path.exists(host_file + "-control"):
            os.unlink(host_file + "-control")

    parents = [
        ("PrivateNetwork, PrivateTmp, ProtectSystem=strict",
         ["-p", "PrivateNetwork=yes", "-p", "PrivateTmp=yes", "-p", "ProtectSystem=strict"]),
        ("Profile=seed", ["-p", "Profile=seed"]),
        ("Profile=thumbnailer", ["-p", "Profile=thumbnailer"]),
    ]
    for name, props in parents:
        # The parent is started with confinectl (its -p parser), as uid 65534.
        r = ct.confinectl(["run"] + parent_props(props) + ["--", "python3", "-c", INNER, "probe", TAG], as_nobody=True,
                          timeout=60)
        try:
            out = json.loads(r.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            out = {}
        with tap.case("%s: a Spawn with no properties from inside the job runs inside it" % name):
            tap.check("path" in out.get("plain", {}), "spawned", r.stdout + r.stderr)
            text = out.get("plain_out", "")
            tap.check(text.startswith("parent-private-tmp\n"), "the child sees the parent's private /tmp", text)
            nums = re.findall(r"^(\d+)$", text, re.M)
            tap.check(nums and int(nums[0]) == 3, "the child has the parent's network: lo only", text)
            tap.check(not os.path.exists(host_file), "the host's /var/tmp is not written")
            tap.check(re.search(r"/job-\d+/job-%s$" % out.get("plain", {}).get("id", "x"), text, re.M),
                      "the child's cgroup is inside the parent's", text)
        if name == "Profile=thumbnailer":
            with tap.case("Profile=thumbnailer: its seccomp filters hold in the nested job (RestrictNamespaces: "
                          "unshare -U fails, EPERM)"):
                text = out.get("userns_out", "")
                tap.check("Operation not permitted" in text and text.strip().endswith("1"), "unshare -U refused", text)
        else:
            with tap.case("%s: the nested job may unshare -U as its parent may (the control)" % name):
                tap.check(out.get("userns_out", "").strip() == "0", "unshare -U works", out.get("userns_out"))
        with tap.case("%s: a stricter request runs, in the parent's /tmp" % name):
            tap.eq(out.get("stricter_out"), "parent-private-tmp\n", "read the parent's marker (%r)" % out)
        with tap.case("%s: what would loosen the parent is AccessDenied naming it, no prompt" % name):
            for key, prop in (("nnp", "NoNewPrivileges"), ("user", "User"), ("caps", "CapabilityBoundingSet")):
                err = out.get(key, {}).get("error", "")
                tap.check("AccessDenied" in err, "%s: refused" % key, err)
                tap.check(prop in err and "inside job" in err, "%s: names %s" % (key, prop), err)
            err = out.get("memory", {}).get("error", "")
            tap.check("MemoryMax" in err and "inside job" in err, "MemoryMax: a named error", err)
        if os.path.exists(host_file):
            os.unlink(host_file)

    with tap.case("the parent's owner sees the nested job (ListJobs) and gets its Exited"):
        req = [{"op": "record_signals"},
               {"op": "run", "argv": ["python3", "-c", INNER, "probe", TAG],
                "props": [["BindPaths", "a(ssbt)", [[os.path.join(os.environ["CONFINE_HARNESS_DIR"], "bus"), SOCKET,
                                                      False, 0]]],
                          ["Environment", "as", ["DBUS_SYSTEM_BUS_ADDRESS=unix:path=%s" % SOCKET]],
                          ["PrivateTmp", "b", True], ["PrivateNetwork", "b", True]]},
               {"op": "list_jobs"},
               {"op": "recorded_signals"}]
        a = ct.run_client(req, as_nobody=True, timeout=60)
        inner = json.loads(a[1]["stdout"].strip().splitlines()[-1])
        child = inner.get("plain", {}).get("path")
        tap.check(child, "the parent spawned a child", a[1])
        tap.check(any(j[5] == child for j in a[2]["jobs"]), "ListJobs of the parent's owner lists it", a[2])
        exited = [s for s in a[3]["signals"] if s["member"] == "Exited" and s["path"] == child]
        tap.check(exited, "Exited of the nested job reached the parent's owner", a[3])
        if os.path.exists(host_file):
            os.unlink(host_file)

    with tap.case("Kill() of the parent ends the job nested in it"):
        p = subprocess.Popen(ct.SETPRIV_NOBODY + [ct.CONFINECTL, "run"] +
                             parent_props(["-p", "PrivateTmp=yes"]) + ["--", "python3", "-c", INNER, "kill", TAG],
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd="/")
        line = p.stdout.readline().decode()
        child = json.loads(line).get("path") if line else None
        tap.check(child, "the parent spawned sleep 1000 inside", line)
        parents_now = [j for j in ct.list_jobs(conn) if j[1] == "running" and j[4] == "python3"]
        tap.check(len(parents_now) == 1, "one parent running", parents_now)
        if child and parents_now:
            reaper.add(child)
            ct.kill_job(conn, parents_now[0][5], 9)
            ct.wait_job(conn, child, 10)
            tap.eq(ct.get_prop(conn, child, "State"), "exited", "the nested job's state")
            tap.eq(ct.get_prop(conn, child, "Result"), "killed", "the nested job's result")
        p.wait(10)

    ct.final_checks(tap, conn, reaper)
    tap.done()


if __name__ == "__main__":
    main()
