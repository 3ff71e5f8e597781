#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Bus test: DynamicUser=, with a DynamicUserRange= of one uid (tests/harness/dynamic-user-one.conf).
# The escape pair (the job of root's caller reads root's 0600 file and signals root's process without it,
# and gets EACCES and EPERM with it), the name resolving inside the job, the settings it implies, the uid
# released when the job ends and not handed out while in use, exhaustion as QuotaExceeded that changes
# nothing, two concurrent Spawns racing for the last uid, and the registry's entries honoured as a
# restarted daemon finds them.
#
# Run: tests/with-bus --daemon-arg --config=tests/harness/dynamic-user-one.conf -- tests/bus/test-dynamic-user.py

import os
import shutil
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confinetest import (  # noqa: E402
    E_QUOTA, JobReaper, Tap, connect, final_checks, get_prop, install_child_cleanup, kill_job, manager_prop, njobs,
    poll_until, read_json_line, run_job, spawn, start_client, wait_job,
)

UID = 65510
REGISTRY = "/run/confine/dynamic-uid"
ENTRY = "%s/%d" % (REGISTRY, UID)

t = Tap(timeout=110)
install_child_cleanup(t)
conn = connect()
reaper = JobReaper()
t.add_cleanup(lambda: reaper.kill_all(conn))
secret = "/run/confine-test-dynamic-user-%d" % os.getpid()  # not /tmp: DynamicUser= implies PrivateTmp=
t.add_cleanup(lambda: os.path.exists(secret) and os.unlink(secret))
DYN = [("DynamicUser", "b", True)]

with t.case("SupportedProperties lists DynamicUser"):
    t.check("DynamicUser" in manager_prop(conn, "SupportedProperties"), "listed")

with t.case("the registry holds no entry of uid %d before (another run or a crashed daemon would)" % UID):
    t.check(not os.path.exists(ENTRY), ENTRY)

with open(secret, "w") as f:
    f.write("secret\n")
os.chmod(secret, 0o600)
sleeper = subprocess.Popen(["sleep", "60"])
t.add_cleanup(sleeper.kill)
PROBE = r"""
import os, sys
try:
    open(sys.argv[1]).read(); print("read")
except OSError as e:
    print("read errno=%d" % e.errno)
try:
    os.kill(int(sys.argv[2]), 0); print("signal")
except OSError as e:
    print("signal errno=%d" % e.errno)
"""

with t.case("pair: without DynamicUser= root's job reads root's 0600 file and signals root's process"):
    j = run_job(conn, ["python3", "-c", PROBE, secret, str(sleeper.pid)])
    t.eq((j.result, j.stdout), ("success", "read\nsignal\n"), j.stderr)

with t.case("pair: with DynamicUser= the same job gets EACCES and EPERM"):
    j = run_job(conn, ["python3", "-c", PROBE, secret, str(sleeper.pid)], DYN)
    t.eq((j.result, j.stdout), ("success", "read errno=13\nsignal errno=1\n"), j.stderr)

with t.case("the dynamic user resolves inside the job: confine-<job id>, uid = gid = %d, HOME=/" % UID):
    code = "import os, pwd, grp; p = pwd.getpwuid(os.getuid()); " \
           "print(p.pw_name, p.pw_uid, p.pw_gid, grp.getgrgid(os.getgid()).gr_name, os.environ['USER'], os.environ['HOME'])"
    j = run_job(conn, ["python3", "-c", code], DYN)
    t.eq((j.result, j.stdout), ("success", "confine-%d %d %d confine-%d confine-%d /\n" % (j.id, UID, UID, j.id, j.id)),
         j.stderr)

with t.case("with User= the dynamic user takes that name, as in systemd; `id` shows it"):
    j = run_job(conn, ["id"], DYN + [("User", "s", "confine-svc")])
    t.eq((j.result, j.stdout), ("success", "uid=%d(confine-svc) gid=%d(confine-svc) groups=%d(confine-svc)\n"
                                % (UID, UID, UID)), j.stderr)

with t.case("Job.Properties shows the settings DynamicUser= implies"):
    path, _ = spawn(conn, ["sleep", "1000"], DYN)
    reaper.add(path)
    props = dict(get_prop(conn, path, "Properties"))
    t.eq([props.get(k) for k in ("DynamicUser", "ProtectSystem", "ProtectHome", "PrivateTmp", "RemoveIPC",
                                 "NoNewPrivileges", "RestrictSUIDSGID")],
         [True, "strict", "read-only", True, True, True, True], repr(props))

    with t.case("while the job runs its uid is taken: a second Spawn is QuotaExceeded naming DynamicUser, "
                "and changes nothing"):
        t.check(os.path.exists(ENTRY), "registry entry")
        before = njobs(conn)
        p = start_client([{"op": "spawn", "argv": ["true"], "props": [list(x) for x in DYN]}])
        a = read_json_line(p, 30)
        p.wait(10)
        t.eq(a.get("error"), E_QUOTA, repr(a))
        t.check("DynamicUser" in a.get("message", "") and "65510-65510" in a.get("message", ""), a.get("message"))
        t.eq(njobs(conn), before, "NJobs")

    kill_job(conn, path, signal.SIGKILL)
    wait_job(conn, path, 10)

with t.case("the uid is released when the job ends: the entry is gone and the next job gets it"):
    t.check(poll_until(lambda: not os.path.exists(ENTRY), 5), "registry entry removed")
    j = run_job(conn, ["id", "-u"], DYN)
    t.eq((j.result, j.stdout), ("success", "%d\n" % UID), j.stderr)

with t.case("two Spawns racing for the last free uid: one job, one QuotaExceeded"):
    req = [{"op": "spawn", "argv": ["sleep", "30"], "props": [list(x) for x in DYN]}]
    clients = [start_client(req) for _ in range(2)]
    answers = [read_json_line(c, 30) for c in clients]
    for c in clients:
        c.wait(10)
    paths = [a["path"] for a in answers if "path" in a]
    for p in paths:
        reaper.add(p)
    t.eq(sorted(a.get("error", "ok") for a in answers), sorted(["ok", E_QUOTA]), repr(answers))
    for p in paths:
        kill_job(conn, p, signal.SIGKILL)
        wait_job(conn, p, 10)
    poll_until(lambda: not os.path.exists(ENTRY), 5)

with t.case("an entry the registry holds (as a daemon before a restart left it) keeps the uid from being "
            "handed out"):
    os.makedirs(REGISTRY, exist_ok=True)
    with open(ENTRY, "w") as f:
        f.write("left-by-an-earlier-daemon\n")
    try:
        p = start_client([{"op": "spawn", "argv": ["true"], "props": [list(x) for x in DYN]}])
        a = read_json_line(p, 30)
        p.wait(10)
        t.eq(a.get("error"), E_QUOTA, repr(a))
    finally:
        os.unlink(ENTRY)
    j = run_job(conn, ["true"], DYN)
    t.eq(j.result, "success", "once it is gone: " + j.stderr)

TAG = "confine-test-dynamic-%d" % os.getpid()


def cleanup_private():
    for root in ("/var/lib", "/var/cache", "/var/log"):
        for name in (TAG, TAG + "-other"):
            if os.path.islink(os.path.join(root, name)):
                os.unlink(os.path.join(root, name))
            shutil.rmtree(os.path.join(root, "private", name), ignore_errors=True)


t.add_cleanup(cleanup_private)
LAYOUT = r"""
import os
d = os.environ["STATE_DIRECTORY"]
open(os.path.join(d, "f"), "w").write("x")
st = os.stat(d)
print(d, st.st_uid, "%04o" % (st.st_mode & 0o7777), sorted(os.listdir("/var/lib/private")),
      "%04o" % (os.stat("/var/lib/private").st_mode & 0o7777), os.environ["CACHE_DIRECTORY"])
"""

with t.case("StateDirectory= with DynamicUser=: /var/lib/private/X owned by the uid, /var/lib/X its symlink, "
            "the job sees only its own in a fresh /var/lib/private"):
    j = run_job(conn, ["python3", "-c", LAYOUT], DYN + [("StateDirectory", "as", [TAG]),
                                                       ("StateDirectoryMode", "u", 0o750),
                                                       ("CacheDirectory", "as", [TAG])])
    t.eq((j.result, j.stdout), ("success", "/var/lib/%s %d 0750 ['%s'] 0755 /var/cache/%s\n" % (TAG, UID, TAG, TAG)),
         j.stderr)
    t.eq(os.readlink("/var/lib/" + TAG), "private/" + TAG, "the symlink")
    st = os.stat("/var/lib/private")
    t.eq((st.st_uid, st.st_mode & 0o7777), (0, 0o700), "the host's /var/lib/private")
    t.eq(os.stat("/var/lib/private/%s/f" % TAG).st_uid, UID, "the job's file")

with t.case("the uid's next job, of another name, cannot reach the first one's state directory"):
    code = "import os; print(sorted(os.listdir('/var/lib/private')), os.path.exists('/var/lib/%s/f'))" % TAG
    j = run_job(conn, ["python3", "-c", code], DYN + [("StateDirectory", "as", [TAG + "-other"])])
    t.eq((j.result, j.stdout), ("success", "['%s-other'] False\n" % TAG), j.stderr)
    a = start_client([{"op": "run", "argv": ["cat", "/var/lib/private/%s/f" % TAG], "props": [list(x) for x in DYN]}])
    ans = read_json_line(a, 30)
    t.check(ans.get("result") == "exit-code" and "Permission denied" in ans.get("stderr", ""), repr(ans))

with t.case("when the owner differs (the uid changed since), the directory is chowned recursively, as in systemd"):
    os.chown("/var/lib/private/" + TAG, 1234, 1234)
    os.chown("/var/lib/private/%s/f" % TAG, 1234, 1234)
    j = run_job(conn, ["cat", "/var/lib/%s/f" % TAG], DYN + [("StateDirectory", "as", [TAG])])
    t.eq((j.result, j.stdout), ("success", "x"), j.stderr)
    t.eq((os.stat("/var/lib/private/" + TAG).st_uid, os.stat("/var/lib/private/%s/f" % TAG).st_uid), (UID, UID),
         "owners")

DYN_ROOT = "/tmp/confine-test-dynamic-root-%d" % os.getpid()
t.add_cleanup(lambda: shutil.rmtree(DYN_ROOT, ignore_errors=True))

with t.case("with RootDirectory=: the host's /var/lib/private/X is bound onto /var/lib/X in the root (no "
            "private/ there, as in systemd), where $STATE_DIRECTORY points"):
    binds = [("/usr", "/usr", False, 0)]
    # The mount points the uid could not create in root's tree are there already (PrivateTmp= is implied, and
    # the uid's passwd and group files are bound in).
    for d in ("usr", "tmp", "var/tmp", "var/lib/" + TAG, "etc"):
        os.makedirs(os.path.join(DYN_ROOT, d))
    for f in ("passwd", "group"):
        open(os.path.join(DYN_ROOT, "etc", f), "w").close()
    for d in ("bin", "sbin", "lib", "lib32", "lib64"):
        if os.path.islink("/" + d):
            os.symlink(os.readlink("/" + d), os.path.join(DYN_ROOT, d))
        elif os.path.isdir("/" + d):
            os.mkdir(os.path.join(DYN_ROOT, d))
            binds.append(("/" + d, "/" + d, False, 0))
    code = 'cat "$STATE_DIRECTORY/f"; echo " $STATE_DIRECTORY $(stat -c %u "$STATE_DIRECTORY")"; ' \
           'echo y > "$STATE_DIRECTORY/g"; ls /var/lib'
    j = run_job(conn, ["/usr/bin/sh", "-c", code], DYN + [("RootDirectory", "s", DYN_ROOT),
                                                         ("StateDirectory", "as", [TAG]),
                                                         ("BindReadOnlyPaths", "a(ssbt)", binds)])
    t.eq((j.result, j.stdout), ("success", "x /var/lib/%s %d\n%s\n" % (TAG, UID, TAG)), j.stderr)
    t.eq(os.stat("/var/lib/private/%s/g" % TAG).st_uid, UID, "the file it wrote, in the host's private/")
    t.eq(os.listdir(os.path.join(DYN_ROOT, "var/lib", TAG)), [], "nothing in the root's own directory")

with t.case("a bad DynamicUserRange= in confined.conf: confined does not start, and names the key"):
    build = os.environ.get("CONFINE_BUILD_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
    for bad in ("10-5", "0-10", "60000-65534", "65535-70000", "61184", "x-y", "1-2147483647"):
        conf = "/run/confine-test-dynamic-user-%d.conf" % os.getpid()
        with open(conf, "w") as f:
            f.write("[Jobs]\nDynamicUserRange=%s\n" % bad)
        try:
            r = subprocess.run([os.path.join(build, "daemon", "confined"), "--config=" + conf], capture_output=True,
                               text=True, timeout=10)
        finally:
            os.unlink(conf)
        t.check(r.returncode != 0 and "DynamicUserRange=" + bad in r.stderr, "%s: %d %s" % (bad, r.returncode, r.stderr))

final_checks(t, conn, reaper)
t.done()
