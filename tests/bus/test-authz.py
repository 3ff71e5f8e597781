#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Bus test: authorization with polkit, for an unprivileged caller (nobody, uid 65534) and
# root. The mode must match the harness's options:
#
#   tests/with-bus -- tests/bus/test-authz.py default
#   tests/with-bus --rules deny -- tests/bus/test-authz.py deny
#   tests/with-bus --rules allow-all -- tests/bus/test-authz.py allow-all
#   tests/with-bus --no-polkit -- tests/bus/test-authz.py no-polkit
#
# Without an argument the mode is detected from the harness (CONFINE_POLKITD_PID and the
# rules in $CONFINE_HARNESS_DIR/rules.d). The default mode ends by killing polkitd, first
# in the middle of a pending check and then for good, and checks that nobody is denied
# and that confined survives.

import os
import re
import select
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confinetest import (  # noqa: E402
    E_ACCESS_DENIED, E_NO_SUCH_JOB, E_SPAWN_FAILED, E_UNKNOWN_OBJECT, NOBODY_UID, JobReaper, Tap, confinectl, connect,
    daemon_alive, detect_mode, final_checks, get_job, get_prop, install_child_cleanup, kill_job, list_jobs,
    manager_prop, njobs, nobody_spawn, poll_until, proc_status_field, read_json_line, run_client, run_job,
    spawn, start_client, wait_job,
)

MODES = ("default", "deny", "allow-all", "no-polkit")
E_INTERACTIVE = "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired"
DAEMON_UID = 1      # user "daemon": no test rule names it


t = Tap(timeout=150)
install_child_cleanup(t)
conn = connect()
reaper = JobReaper()
t.add_cleanup(lambda: reaper.kill_all(conn))

detected = detect_mode()
mode = sys.argv[1] if len(sys.argv) > 1 else detected
if mode not in MODES or mode != detected:
    t.ok(False, "mode %r matches the harness (detected %r)" % (mode, detected),
         "run as: tests/with-bus [--rules deny|allow-all | --no-polkit] -- %s MODE" % sys.argv[0])
    print("Bail out! wrong harness options for mode %s" % mode)
    sys.exit(1)
t.diag("mode: %s" % mode)

STATUS_SCRIPT = 'id -u; id -g; grep -E "^(NoNewPrivs|CapBnd|CapEff):" /proc/self/status'


def parse_status(out):
    lines = out.splitlines()
    return {"uid": lines[0] if lines else None, "gid": lines[1] if len(lines) > 1 else None,
            "NoNewPrivs": proc_status_field(out, "NoNewPrivs"), "CapBnd": proc_status_field(out, "CapBnd"),
            "CapEff": proc_status_field(out, "CapEff")}


def nobody_denied(desc, props=(), argv=("true",), message_re=None):
    """As nobody, a Spawn with props is refused with AccessDenied; NJobs is unchanged."""
    with t.case(desc):
        before = njobs(conn)
        a = nobody_spawn(list(argv), props)
        t.eq(a.get("error"), E_ACCESS_DENIED, "error of nobody's Spawn (answer: %r)" % a)
        if message_re:
            t.check(re.search(message_re, a.get("message", ""), re.I),
                    "error message matches /%s/" % message_re, a.get("message"))
        t.eq(njobs(conn), before, "NJobs")
        return a


def root_works(desc="root can still spawn (root skips polkit)"):
    with t.case(desc):
        j = run_job(conn, ["sh", "-c", "id -u"])
        reaper.add(j.path)
        t.eq((j.result, j.status, j.stdout), ("success", 0, "0\n"), "root job (result, status, stdout)")
        j = run_job(conn, ["sh", "-c", "id -u"], [("User", "s", "nobody")])
        reaper.add(j.path)
        t.eq((j.result, j.stdout), ("success", "%d\n" % NOBODY_UID), "root job with User=nobody")


def private_network_cli():
    for who, as_nobody in (("root", False), ("nobody", True)):
        with t.case("confinectl run -p PrivateNetwork=yes -- ip -o link shows only lo, as %s" % who):
            r = confinectl(["run", "-p", "PrivateNetwork=yes", "--", "ip", "-o", "link"], as_nobody=as_nobody)
            t.eq((r.returncode, r.stderr), (0, ""), "confinectl (status, stderr)")
            names = [ln.split(":")[1].strip() for ln in r.stdout.splitlines()]
            t.eq(names, ["lo"], "interfaces")


# ---------------------------------------------------------------------------------------
if mode in ("default", "allow-all"):
    with t.case("nobody runs as itself: id -u is 65534, NoNewPrivs 1 and CapBnd 0 forced though not asked"):
        a = nobody_spawn(["sh", "-c", STATUS_SCRIPT])
        t.check("error" not in a, "nobody's Spawn succeeds", a)
        t.eq((a["result"], a["status"], a["stderr"]), ("success", 0, ""), "job (result, status, stderr)")
        st = parse_status(a["stdout"])
        t.eq(st, {"uid": "65534", "gid": "65534", "NoNewPrivs": "1", "CapBnd": "0000000000000000",
                  "CapEff": "0000000000000000"}, "inside the job")
        p = a["properties"]
        t.eq(p["Owner"], NOBODY_UID, "Owner (as seen by nobody)")
        props = dict(p["Properties"])
        t.eq((props.get("NoNewPrivileges"), props.get("CapabilityBoundingSet")), (True, 0),
             "effective Properties: (NoNewPrivileges, CapabilityBoundingSet)")

    with t.case("nobody's job is visible to root: GetJob, Owner 65534"):
        a = nobody_spawn(["true"])
        t.check("error" not in a, "nobody's Spawn succeeds", a)
        t.eq(get_job(conn, a["id"]), a["path"], "GetJob as root")
        t.eq(get_prop(conn, a["path"], "Owner"), NOBODY_UID, "Owner as seen by root")

    with t.case("nobody may ask for User=nobody (itself) and stricter settings"):
        a = nobody_spawn(["sh", "-c", STATUS_SCRIPT], [["User", "s", "nobody"], ["Group", "s", "nogroup"],
                                                      ["NoNewPrivileges", "b", True],
                                                      ["CapabilityBoundingSet", "t", 0]])
        t.check("error" not in a, "nobody's Spawn succeeds", a)
        t.eq(parse_status(a["stdout"])["uid"], "65534", "uid")

if mode == "default":
    with t.case("nobody: WorkingDirectory=/root (mode 0700) → SpawnFailed, Permission denied"):
        a = nobody_spawn(["true"], [["WorkingDirectory", "s", "/root"]])
        t.eq(a.get("error"), E_SPAWN_FAILED, "error (answer %r)" % a)
        t.contains(a.get("message", ""), "WorkingDirectory=/root", "message")
        t.contains(a.get("message", ""), "Permission denied", "message")

    with t.case("nobody: PrivateTmp=yes and PrivateNetwork=yes work (empty /tmp, only lo)"):
        a = nobody_spawn(["sh", "-c", "ls -A /tmp; ip -o link | cut -d: -f2"],
                         [["PrivateTmp", "b", True], ["PrivateNetwork", "b", True]])
        t.eq((a.get("error"), a.get("result"), a.get("stdout")), (None, "success", " lo\n"),
             "(error, result, stdout)")

    nobody_denied("nobody, User=root → AccessDenied", [["User", "s", "root"]], message_re=r"not authorized")
    nobody_denied("nobody, NoNewPrivileges=no → AccessDenied", [["NoNewPrivileges", "b", False]])
    nobody_denied("nobody, Group=root → AccessDenied", [["Group", "s", "root"]])
    nobody_denied("nobody, CapabilityBoundingSet=CAP_NET_BIND_SERVICE → AccessDenied",
                  [["CapabilityBoundingSet", "t", 1 << 10]])
    private_network_cli()

    with t.case("confinectl run -p User=root as nobody is refused (status 125, AccessDenied)"):
        r = confinectl(["run", "-p", "User=root", "--", "id", "-u"], as_nobody=True)
        t.eq((r.returncode, r.stdout), (125, ""), "confinectl (status, stdout)")
        t.contains(r.stderr, "AccessDenied", "stderr")

    with t.case("root's job is invisible to nobody: GetJob → NoSuchJob, not in ListJobs, no object, no Kill"):
        path, job_id = spawn(conn, ["sleep", "1000"])
        reaper.add(path)
        answers = run_client([{"op": "get_job", "id": job_id}, {"op": "list_jobs"},
                              {"op": "get_all", "path": path}, {"op": "kill", "path": path, "signal": 9}],
                             as_nobody=True)
        t.eq(answers[0].get("error"), E_NO_SUCH_JOB, "GetJob(%d) as nobody (answer %r)" % (job_id, answers[0]))
        t.eq([x for x in answers[1].get("jobs", []) if x[0] == job_id], [], "root's job in nobody's ListJobs")
        t.check("jobs" in answers[1], "ListJobs as nobody succeeds", answers[1])
        t.eq(answers[2].get("error"), E_UNKNOWN_OBJECT, "GetAll on the job as nobody (answer %r)" % answers[2])
        t.check("error" in answers[3], "Kill as nobody fails", answers[3])
        time.sleep(0.2)
        t.eq(get_prop(conn, path, "State"), "running", "root's job State after nobody's Kill")
        kill_job(conn, path, signal.SIGKILL)
        t.eq(wait_job(conn, path), ("killed", 9), "Wait()")

if mode == "allow-all":
    with t.case("allow-all: nobody may run with User=root (id -u is 0)"):
        a = nobody_spawn(["sh", "-c", STATUS_SCRIPT], [["User", "s", "root"]])
        t.check("error" not in a, "nobody's Spawn with User=root succeeds", a)
        t.eq((a["result"], parse_status(a["stdout"])["uid"]), ("success", "0"), "(result, uid)")
        t.eq(a["properties"]["Owner"], NOBODY_UID, "Owner is the caller, not the job's user")

    with t.case("allow-all: nobody may run with NoNewPrivileges=no (NoNewPrivs 0)"):
        a = nobody_spawn(["sh", "-c", STATUS_SCRIPT], [["NoNewPrivileges", "b", False]])
        t.check("error" not in a, "nobody's Spawn succeeds", a)
        t.eq((a["result"], parse_status(a["stdout"])["NoNewPrivs"]), ("success", "0"), "(result, NoNewPrivs)")

    private_network_cli()

if mode == "deny":
    nobody_denied("deny rules: nobody's plain spawn → AccessDenied", message_re=r"not authorized")
    nobody_denied("deny rules: nobody, User=root → AccessDenied", [["User", "s", "root"]])
    with t.case("deny rules: confinectl run as nobody exits 125 and says AccessDenied"):
        r = confinectl(["run", "--", "true"], as_nobody=True)
        t.eq(r.returncode, 125, "status\n" + r.stderr)
        t.contains(r.stderr, "AccessDenied", "stderr")
    root_works()

if mode == "no-polkit":
    nobody_denied("polkit not running: nobody's plain spawn → AccessDenied with a clear message",
                  message_re=r"polkit|authori[sz]ation")
    nobody_denied("polkit not running: nobody, User=root → AccessDenied", [["User", "s", "root"]])
    root_works()
    with t.case("polkit not running: confined is alive and serving"):
        t.check(daemon_alive(), "confined is alive")
        t.check(manager_prop(conn, "Version"), "Version readable")

# ---------------------------------------------------------------------------------------
# polkit details, and a caller that leaves while its check is pending (default mode).

HARNESS = os.environ.get("CONFINE_HARNESS_DIR", "")
DETAILS_RULE = r"""// Added by test-authz.py for one test, then removed.
polkit.addRule(function(action, subject) {
    if (subject.user == "nobody" && action.id == "org.confine.Confine1.spawn-privileged" &&
        action.lookup("program") == "sh" &&
        action.lookup("command_line") == "sh -c 'id -u' 'it'\\''s'" &&
        action.lookup("user") == "root")
        return polkit.Result.YES;
    return polkit.Result.NOT_HANDLED;
});
polkit.log("confine test rules loaded: details");
"""


def polkit_log_count(text):
    try:
        with open(os.path.join(HARNESS, "polkitd.log"), errors="replace") as f:
            return f.read().count(text)
    except FileNotFoundError:
        return 0


def start_pending_spawn(argv):
    """With polkitd stopped: a nobody client that connects, says so, then calls Spawn. Returns
    once the call has had time to reach confined and, from there, polkitd's socket."""
    p = start_client([{"op": "unique_name"}, {"op": "spawn", "argv": argv}], as_nobody=True)
    first = read_json_line(p, 15)
    t.check("name" in first, "the nobody client connected", first)
    time.sleep(0.4)
    t.eq(p.poll(), None, "nobody's Spawn is still pending while polkitd is stopped")
    t.eq(select.select([p.stdout], [], [], 0)[0], [], "no answer to nobody's Spawn while polkitd is stopped")
    return p


if mode == "default":
    with t.case("polkit gets the details program, command_line (shell-quoted) and user: a rule on them "
                "lets nobody run exactly that command as root"):
        rule = os.path.join(HARNESS, "rules.d", "00-confine-test-details.rules")
        n_default = polkit_log_count("confine test rules loaded: default")
        with open(rule, "w") as f:
            f.write(DETAILS_RULE)
        os.chmod(rule, 0o644)
        try:
            t.check(poll_until(lambda: polkit_log_count("confine test rules loaded: details") >= 1, 10),
                    "polkitd loaded the details rule")
            a = nobody_spawn(["sh", "-c", "id -u", "it's"], [["User", "s", "root"]])
            t.check("error" not in a, "nobody, User=root, the matching command: allowed", a)
            t.eq((a["result"], a["stdout"]), ("success", "0\n"), "(result, stdout)")
            a = nobody_spawn(["sh", "-c", "id -u", "its"], [["User", "s", "root"]])
            t.eq(a.get("error"), E_ACCESS_DENIED, "nobody, User=root, another command line (answer %r)" % a)
            a = nobody_spawn(["sh", "-c", "id -u", "it's"], [["User", "s", "daemon"]])
            t.eq(a.get("error"), E_ACCESS_DENIED, "nobody, User=daemon, the same command line (answer %r)" % a)
        finally:
            os.unlink(rule)
            t.check(poll_until(lambda: polkit_log_count("confine test rules loaded: default") > n_default, 10),
                    "polkitd reloaded the rules without the details rule")
        a = nobody_spawn(["sh", "-c", "id -u", "it's"], [["User", "s", "root"]])
        t.eq(a.get("error"), E_ACCESS_DENIED, "after the rule is gone (answer %r)" % a)

    with t.case("a user without any rule (daemon, uid 1) gets the policy defaults: spawn yes; User=root "
                "→ InteractiveAuthorizationRequired (auth_admin_keep, no interaction allowed)"):
        before = njobs(conn)
        run = {"op": "run", "argv": ["sh", "-c", "id -u"], "props": []}
        a = run_client([run, dict(run, props=[["User", "s", "root"]])], uid=DAEMON_UID)
        t.eq((a[0].get("error"), a[0].get("result"), a[0].get("stdout")), (None, "success", "%d\n" % DAEMON_UID),
             "plain spawn as uid %d (error, result, stdout)" % DAEMON_UID)
        t.eq(a[1].get("error"), E_INTERACTIVE, "User=root as uid %d (answer %r)" % (DAEMON_UID, a[1]))
        t.eq(njobs(conn), before, "NJobs")

    with t.case("a caller that leaves while its authorization is pending gets no job"):
        polkitd = int(os.environ["CONFINE_POLKITD_PID"])
        ids_before = {x[0] for x in list_jobs(conn)}
        before = njobs(conn)
        os.kill(polkitd, signal.SIGSTOP)
        try:
            p = start_pending_spawn(["sleep", "1006"])
            p.kill()
            p.wait(5)
            time.sleep(0.3)
        finally:
            os.kill(polkitd, signal.SIGCONT)
        time.sleep(1)
        new = [x for x in list_jobs(conn) if x[0] not in ids_before]
        for x in new:
            reaper.add(x[5])
        t.eq(new, [], "new jobs after polkitd answered")
        t.eq(njobs(conn), before, "NJobs")
        a = nobody_spawn(["true"])
        t.eq((a.get("error"), a.get("result")), (None, "success"), "a new nobody spawn still works")

# ---------------------------------------------------------------------------------------
# polkitd killed mid-run (default mode only: it is the last thing done).

if mode == "default":
    polkitd = int(os.environ["CONFINE_POLKITD_PID"])

    with t.case("polkitd killed while a check is pending → that Spawn gets AccessDenied"):
        before = njobs(conn)
        os.kill(polkitd, signal.SIGSTOP)      # the check will stay pending
        try:
            p = start_pending_spawn(["sleep", "1000"])
        finally:
            # SIGKILL ends a stopped process too; the harness, its parent, may reap it at once.
            os.kill(polkitd, signal.SIGKILL)
        a = read_json_line(p, 10)
        p.wait(5)
        if "path" in a:
            reaper.add(a["path"])
        t.eq(a.get("error"), E_ACCESS_DENIED, "nobody's Spawn (answer %r)" % a)
        t.eq(njobs(conn), before, "NJobs")

    with t.case("polkitd gone: nobody's spawn → AccessDenied; confined is alive; root still works"):
        t.check(poll_until(lambda: not os.path.exists("/proc/%d" % polkitd) or
                           "Z" in open("/proc/%d/stat" % polkitd).read().rsplit(")", 1)[1].split()[0], 5),
                "polkitd (pid %d) is dead" % polkitd)
        a = nobody_spawn(["true"])
        t.eq(a.get("error"), E_ACCESS_DENIED, "nobody's Spawn (answer %r)" % a)
        t.check(re.search(r"polkit|authori[sz]ation", a.get("message", ""), re.I),
                "the message says polkit failed", a.get("message"))
        t.check(daemon_alive(), "confined is alive")
        j = run_job(conn, ["sh", "-c", "echo root-ok"])
        reaper.add(j.path)
        t.eq((j.result, j.stdout), ("success", "root-ok\n"), "root job")

final_checks(t, conn, reaper)
t.done()
