#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Bus test: StateDirectory=, RuntimeDirectory=, CacheDirectory=, LogsDirectory=, ConfigurationDirectory= and
# their …Mode=, checked from inside the job: owner, mode, $STATE_DIRECTORY and the others, writable below
# ProtectSystem=strict (a pair: the same write fails without the setting), RuntimeDirectory= gone after the
# job; and the attacker's side: an unprivileged caller gets the user layout, created with its own rights,
# so it cannot make root create or follow anything.
#
# Run: tests/with-bus -- tests/bus/test-directories.py

import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confinetest import (  # noqa: E402
    E_SPAWN_FAILED, BusError, JobReaper, Tap, connect, final_checks, get_prop, install_child_cleanup, manager_prop,
    nobody_spawn, run_job, spawn,
)

t = Tap(timeout=110)
install_child_cleanup(t)
conn = connect()
reaper = JobReaper()
t.add_cleanup(lambda: reaper.kill_all(conn))

NAMES = ["RuntimeDirectory", "StateDirectory", "CacheDirectory", "LogsDirectory", "ConfigurationDirectory",
         "RuntimeDirectoryMode", "StateDirectoryMode", "CacheDirectoryMode", "LogsDirectoryMode",
         "ConfigurationDirectoryMode", "RuntimeDirectoryPreserve"]
TAG = "confine-test-dirs-%d" % os.getpid()
ROOTS = {"Runtime": "/run", "State": "/var/lib", "Cache": "/var/cache", "Logs": "/var/log",
         "Configuration": "/etc"}
NOBODY_RUN = "/run/user/65534"
created_run_user = not os.path.exists(NOBODY_RUN)


def cleanup():
    for root in ROOTS.values():
        shutil.rmtree(os.path.join(root, TAG), ignore_errors=True)
    shutil.rmtree("/tmp/" + TAG, ignore_errors=True)
    if created_run_user:
        shutil.rmtree(NOBODY_RUN, ignore_errors=True)
    else:
        for n in os.listdir(NOBODY_RUN):
            if n.startswith(TAG):
                p = os.path.join(NOBODY_RUN, n)
                if os.path.islink(p) or not os.path.isdir(p):
                    os.unlink(p)
                else:
                    shutil.rmtree(p, ignore_errors=True)


t.add_cleanup(cleanup)

# Prints, for each directory: its variable, then "uid mode" of each path, then whether the job can write.
PROBE = r"""
import os, sys
for var in sys.argv[1:]:
    val = os.environ.get(var)
    print(var, val)
    for p in (val or "").split(":"):
        if not p:
            continue
        st = os.stat(p)
        try:
            open(os.path.join(p, "written"), "w").close()
            w = "writable"
        except OSError as e:
            w = "errno=" + str(e.errno)
        print(" ", p, st.st_uid, "%04o" % (st.st_mode & 0o7777), w)
"""
VARS = ["RUNTIME_DIRECTORY", "STATE_DIRECTORY", "CACHE_DIRECTORY", "LOGS_DIRECTORY", "CONFIGURATION_DIRECTORY"]

with t.case("SupportedProperties lists the …Directory= settings"):
    supported = manager_prop(conn, "SupportedProperties")
    t.eq([n for n in NAMES if n not in supported], [], "missing names")

with t.case("root's job as User=nobody: the system layout, owned by nobody (ConfigurationDirectory= by root), "
            "with the modes, the variables, writable below ProtectSystem=strict"):
    props = [("User", "s", "nobody"), ("ProtectSystem", "s", "strict"), ("ProtectHome", "s", "read-only"),
             ("PrivateTmp", "b", True),
             ("RuntimeDirectory", "as", [TAG + "/r"]), ("StateDirectory", "as", [TAG + "/s1", TAG + "/s2"]),
             ("StateDirectoryMode", "u", 0o700), ("CacheDirectory", "as", [TAG]), ("CacheDirectoryMode", "u", 0o750),
             ("LogsDirectory", "as", [TAG]), ("ConfigurationDirectory", "as", [TAG])]
    j = run_job(conn, ["python3", "-c", PROBE] + VARS, props)
    t.eq(j.result, "success", j.stderr)
    expect = "\n".join([
        "RUNTIME_DIRECTORY /run/%s/r" % TAG, "  /run/%s/r 65534 0755 writable" % TAG,
        "STATE_DIRECTORY /var/lib/%s/s1:/var/lib/%s/s2" % (TAG, TAG),
        "  /var/lib/%s/s1 65534 0700 writable" % TAG, "  /var/lib/%s/s2 65534 0700 writable" % TAG,
        "CACHE_DIRECTORY /var/cache/%s" % TAG, "  /var/cache/%s 65534 0750 writable" % TAG,
        "LOGS_DIRECTORY /var/log/%s" % TAG, "  /var/log/%s 65534 0755 writable" % TAG,
        "CONFIGURATION_DIRECTORY /etc/%s" % TAG, "  /etc/%s 0 0755 errno=13" % TAG, ""])
    t.eq(j.stdout, expect, "inside the job")
    t.eq(os.stat("/var/lib/" + TAG).st_uid, 0, "the parent of the innermost directory is root's")
    t.check(os.path.exists("/var/lib/%s/s1/written" % TAG), "the file the job wrote is on the host")
    t.check(not os.path.exists("/run/%s/r" % TAG), "RuntimeDirectory= removed after the job")
    t.check(os.path.exists("/run/" + TAG), "… but not its parent, as in systemd")
    props = dict(get_prop(conn, j.path, "Properties"))
    t.eq((props.get("StateDirectory"), props.get("StateDirectoryMode"), props.get("CacheDirectoryMode"),
          props.get("RuntimeDirectoryMode")), ([TAG + "/s1", TAG + "/s2"], 0o700, 0o750, 0o755), "Job.Properties")

with t.case("pair: below ProtectSystem=strict a write into /var/lib/X fails (EROFS) without StateDirectory=X, "
            "works with it"):
    os.makedirs("/var/lib/%s/pair" % TAG, exist_ok=True)
    code = "open('/var/lib/%s/pair/f', 'w')" % TAG
    j = run_job(conn, ["python3", "-c", code], [("ProtectSystem", "s", "strict")])
    t.check(j.result == "exit-code" and "Read-only file system" in j.stderr, "without: " + j.stderr)
    j = run_job(conn, ["python3", "-c", code], [("ProtectSystem", "s", "strict"),
                                               ("StateDirectory", "as", [TAG + "/pair"])])
    t.eq(j.result, "success", "with: " + j.stderr)

with t.case("RuntimeDirectoryPreserve=yes keeps the directory"):
    j = run_job(conn, ["true"], [("RuntimeDirectory", "as", [TAG + "/kept"]), ("RuntimeDirectoryPreserve", "s", "yes")])
    t.eq(j.result, "success", j.stderr)
    t.check(os.path.isdir("/run/%s/kept" % TAG), "kept")

with t.case("Environment= overrides $STATE_DIRECTORY, as in systemd"):
    j = run_job(conn, ["sh", "-c", "echo $STATE_DIRECTORY"], [("StateDirectory", "as", [TAG + "/env"]),
                                                           ("Environment", "as", ["STATE_DIRECTORY=/mine"])])
    t.eq(j.stdout, "/mine\n", j.stderr)

# RootDirectory=: a minimal root that the test builds, the host's /usr (and /lib… where it is no symlink)
# bound in read-only. As in systemd, each directory is made on the host and bound onto the same path inside
# the root, where the variable points.
ROOT_PARENT = "/tmp/" + TAG
TOP_DIRS = [d for d in ("bin", "sbin", "lib", "lib32", "lib64") if os.path.lexists("/" + d)]
ROOT_BINDS = [("BindReadOnlyPaths", "a(ssbt)",
               [("/usr", "/usr", False, 0)] + [("/" + d, "/" + d, False, 0) for d in TOP_DIRS
                                                if not os.path.islink("/" + d)])]


def build_root(path, uid=0):
    os.makedirs(path + "/usr")
    for d in TOP_DIRS:
        if os.path.islink("/" + d):
            os.symlink(os.readlink("/" + d), os.path.join(path, d))
        else:
            os.mkdir(os.path.join(path, d))
    os.chmod(ROOT_PARENT, 0o755)
    for dirpath, dirnames, filenames in os.walk(path):
        os.lchown(dirpath, uid, uid)
        for n in dirnames + filenames:
            os.lchown(os.path.join(dirpath, n), uid, uid)


# Inside the root: the variable, the owner and mode of the directory, after writing a file there.
IN_ROOT = 'd="$STATE_DIRECTORY$RUNTIME_DIRECTORY"; echo "$d"; echo in-root > "$d/written" && stat -c "%u %a" "$d"'
ROOT = ROOT_PARENT + "/root"

with t.case("RootDirectory=: root's job gets /var/lib/X inside its root (the mount point created there), bound "
            "from the host's /var/lib/X, writable below ProtectSystem=strict"):
    build_root(ROOT)
    j = run_job(conn, ["/usr/bin/sh", "-c", IN_ROOT],
                [("RootDirectory", "s", ROOT), ("ProtectSystem", "s", "strict"),
                 ("StateDirectory", "as", [TAG + "/in-root"])] + ROOT_BINDS)
    t.eq((j.result, j.stdout), ("success", "/var/lib/%s/in-root\n0 755\n" % TAG), j.stderr)
    with open("/var/lib/%s/in-root/written" % TAG) as f:
        t.eq(f.read(), "in-root\n", "the file is in the host's /var/lib")
    t.eq(os.listdir(ROOT + "/var/lib/%s/in-root" % TAG), [], "the mount point stays in the root, empty")

with t.case("pair: the same write in the root without StateDirectory= fails (EROFS)"):
    os.makedirs(ROOT + "/var/lib/%s/pair" % TAG)
    j = run_job(conn, ["/usr/bin/sh", "-c", "echo x > /var/lib/%s/pair/f" % TAG],
                [("RootDirectory", "s", ROOT), ("ProtectSystem", "s", "strict")] + ROOT_BINDS)
    t.check(j.result == "exit-code" and "Read-only file system" in j.stderr, "without: " + j.stderr)

with t.case("RootDirectory= with User=nobody: the host's /var/lib/X is nobody's, and so is the file it writes"):
    os.makedirs(ROOT + "/var/lib/%s/as-nobody" % TAG)
    j = run_job(conn, ["/usr/bin/sh", "-c", IN_ROOT],
                [("RootDirectory", "s", ROOT), ("User", "s", "nobody"), ("ProtectSystem", "s", "strict"),
                 ("StateDirectory", "as", [TAG + "/as-nobody"]), ("StateDirectoryMode", "u", 0o700)] + ROOT_BINDS)
    t.eq((j.result, j.stdout), ("success", "/var/lib/%s/as-nobody\n65534 700\n" % TAG), j.stderr)
    st = os.stat("/var/lib/%s/as-nobody/written" % TAG)
    t.eq((st.st_uid, st.st_gid), (65534, 65534), "owner of the file on the host")

with t.case("RootDirectory= with User=nobody: a mount point nobody could not create in root's tree is refused "
            "(EACCES), as for any bind destination"):
    try:
        spawn(conn, ["/usr/bin/true"], [("RootDirectory", "s", ROOT), ("User", "s", "nobody"),
                                        ("StateDirectory", "as", [TAG + "/no-mount-point"])] + ROOT_BINDS)
        t.check(False, "spawned")
    except BusError as e:
        t.eq(e.name, E_SPAWN_FAILED, e.message)
        t.check("StateDirectory=%s/no-mount-point" % TAG in e.message and "Permission denied" in e.message,
                e.message)
    t.check(not os.path.lexists(ROOT + "/var/lib/%s/no-mount-point" % TAG), "nothing created in the root")

with t.case("RootDirectory=: a symlink var/lib -> a host directory, planted in the root, is not followed out of "
            "it: SpawnFailed (ELOOP) naming StateDirectory=, nothing created outside"):
    outside = ROOT_PARENT + "/outside"
    os.makedirs(outside)
    evil = ROOT_PARENT + "/evil"
    build_root(evil)
    os.makedirs(evil + "/var")
    os.symlink(outside, evil + "/var/lib")
    try:
        spawn(conn, ["/usr/bin/true"], [("RootDirectory", "s", evil), ("StateDirectory", "as", [TAG + "-esc"])]
              + ROOT_BINDS)
        t.check(False, "spawned")
    except BusError as e:
        t.eq(e.name, E_SPAWN_FAILED, e.message)
        t.check("StateDirectory=%s-esc" % TAG in e.message and "Too many levels of symbolic links" in e.message,
                e.message)
    t.eq(os.listdir(outside), [], "nothing created in the directory the link points to")
    t.eq(os.readlink(evil + "/var/lib"), outside, "the link is still a link")

# The attacker's side: uid 65534 is not root and runs its job as itself, so it gets systemd's user layout,
# created with its own file system ids.
if created_run_user:
    os.makedirs(NOBODY_RUN, mode=0o700)
    os.chown(NOBODY_RUN, 65534, 65534)

with t.case("uid 65534: StateDirectory= is below its home (/nonexistent), which it cannot create: SpawnFailed, "
            "and nothing in /var/lib"):
    a = nobody_spawn(["true"], [("StateDirectory", "as", [TAG + "-nobody"])])
    t.eq(a.get("error"), E_SPAWN_FAILED, repr(a))
    t.check("StateDirectory=" in a.get("message", "") and "/nonexistent/.config" in a.get("message", ""),
            a.get("message", ""))
    t.check(not os.path.lexists("/var/lib/%s-nobody" % TAG), "/var/lib untouched")

with t.case("uid 65534: RuntimeDirectory= below /run/user/65534, its own, with the variable, gone after the job"):
    a = nobody_spawn(["python3", "-c", PROBE, "RUNTIME_DIRECTORY"], [("RuntimeDirectory", "as", [TAG + "-rt"]),
                                                                    ("ProtectSystem", "s", "strict")])
    t.eq((a.get("result"), a.get("stdout")),
         ("success", "RUNTIME_DIRECTORY %s/%s-rt\n  %s/%s-rt 65534 0755 writable\n" % (NOBODY_RUN, TAG, NOBODY_RUN, TAG)),
         repr(a))
    t.check(not os.path.lexists("%s/%s-rt" % (NOBODY_RUN, TAG)), "removed")

with t.case("uid 65534 with RootDirectory= its own tree: RuntimeDirectory= is made in /run/user/65534 on the host "
            "with its ids and bound onto the same path in the root"):
    mine = ROOT_PARENT + "/nobody-root"
    build_root(mine, 65534)
    a = nobody_spawn(["/usr/bin/sh", "-c", IN_ROOT],
                     [("RootDirectory", "s", mine), ("RuntimeDirectory", "as", [TAG + "-in-root"]),
                      ("RuntimeDirectoryPreserve", "s", "yes"), ("ProtectSystem", "s", "strict")] + ROOT_BINDS)
    t.eq((a.get("result"), a.get("stdout")), ("success", "%s/%s-in-root\n65534 755\n" % (NOBODY_RUN, TAG)), repr(a))
    st = os.stat("%s/%s-in-root/written" % (NOBODY_RUN, TAG))
    t.eq(st.st_uid, 65534, "the file is on the host, nobody's")
    st = os.stat("%s/run/user/65534/%s-in-root" % (mine, TAG))
    t.eq(st.st_uid, 65534, "the mount point in its root was made with its ids")

with t.case("uid 65534: a symlink run -> a host directory of its own, planted in its root, is not followed (ELOOP), "
            "nothing created there"):
    evil = ROOT_PARENT + "/nobody-evil"
    build_root(evil, 65534)
    outside = ROOT_PARENT + "/nobody-outside"
    os.makedirs(outside)
    os.chown(outside, 65534, 65534)
    os.symlink(outside, evil + "/run")
    os.lchown(evil + "/run", 65534, 65534)
    a = nobody_spawn(["/usr/bin/true"], [("RootDirectory", "s", evil), ("RuntimeDirectory", "as", [TAG + "-esc"])]
                     + ROOT_BINDS)
    t.eq(a.get("error"), E_SPAWN_FAILED, repr(a))
    t.check("RuntimeDirectory=%s-esc" % TAG in a.get("message", "") and
            "Too many levels of symbolic links" in a.get("message", ""), a.get("message", ""))
    t.eq(os.listdir(outside), [], "nothing created through the link")

with t.case("uid 65534: a symlink it planted in /run/user/65534 is not followed into a root directory"):
    victim = "/tmp/%s/victim" % TAG
    os.makedirs(victim, exist_ok=True)
    os.chmod("/tmp/" + TAG, 0o755)
    link = "%s/%s-link" % (NOBODY_RUN, TAG)
    os.symlink(victim, link)
    os.lchown(link, 65534, 65534)
    a = nobody_spawn(["true"], [("RuntimeDirectory", "as", [TAG + "-link/sub"])])
    t.eq(a.get("error"), E_SPAWN_FAILED, repr(a))
    t.check("Too many levels of symbolic links" in a.get("message", "") or "Not a directory" in a.get("message", ""),
            a.get("message", ""))
    t.eq(os.listdir(victim), [], "nothing created through the link")

with t.case("uid 65534: the removal of RuntimeDirectory= does not follow a symlink the job left in it"):
    keep = "/tmp/%s/keep" % TAG
    os.makedirs(keep, exist_ok=True)
    open(keep + "/precious", "w").close()
    os.chmod(keep, 0o777)  # writable by anyone: only the symlink keeps the job's rights out of it
    os.chmod(keep + "/precious", 0o644)
    a = nobody_spawn(["sh", "-c", 'ln -s %s "$RUNTIME_DIRECTORY/l"' % keep], [("RuntimeDirectory", "as", [TAG + "-rm"])])
    t.eq(a.get("result"), "success", repr(a))
    t.check(not os.path.lexists("%s/%s-rm" % (NOBODY_RUN, TAG)), "removed")
    t.check(os.path.exists(keep + "/precious"), "the file behind the link is still there")

final_checks(t, conn, reaper)
t.done()
