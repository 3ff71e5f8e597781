#!/bin/bash
# Daemon faults: confined SIGKILLed with 20 jobs running, then restarted, must find and kill
# every leftover (their job cgroups) and log them; SIGTERM must stop jobs cleanly (SIGTERM,
# then SIGKILL for a job that ignores it) and exit. Runs under `tests/with-bus --no-daemon`:
# it starts confined itself, as with-bus would, so that it may kill and restart it.
set -uo pipefail

BUILD=${CONFINE_BUILD_DIR:?}
: "${DBUS_SYSTEM_BUS_ADDRESS:?}" "${CONFINE_CGROUP:?}" "${CONFINE_HARNESS_DIR:?}"
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
LOG=$CONFINE_HARNESS_DIR/confined-restart.log
CGROOT=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
BASE=$CGROOT$CONFINE_CGROUP
dpid=
# shellcheck source=../tap.sh
. "$(dirname "$0")/../tap.sh"

cleanup() {
    [ -n "$dpid" ] && kill -9 "$dpid" 2>/dev/null
    [ -f "$BASE/cgroup.kill" ] && echo 1 > "$BASE/cgroup.kill" 2>/dev/null
    true
}
trap cleanup EXIT

start_daemon() {
    "$BUILD/daemon/confined" --bus-address="$DBUS_SYSTEM_BUS_ADDRESS" \
        --exec-path="$BUILD/daemon/exec/confine-exec" --cgroup="$CONFINE_CGROUP" >>"$LOG" 2>&1 &
    dpid=$!
    for _ in $(seq 200); do
        busctl --system status org.confine.Confine1 >/dev/null 2>&1 && return 0
        kill -0 "$dpid" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}

spawn_sleep() { # [setpriv args...]: Spawn /bin/sleep 600 and print the job's main pid
    local path
    path=$("$@" busctl --system --json=short call org.confine.Confine1 /org/confine/Confine1 \
        org.confine.Confine1.Manager Spawn 'asa(sv)t' 2 /bin/sleep 600 0 0 |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0])') || return 1
    "$@" busctl --system get-property org.confine.Confine1 "$path" org.confine.Confine1.Job MainPID |
        awk '{ print $2 }'
}

alive_count() { local n=0; for p in "$@"; do kill -0 "$p" 2>/dev/null && n=$((n + 1)); done; echo $n; }

job_cgroups() { find "$BASE" -maxdepth 1 -name 'job-*' -type d 2>/dev/null | wc -l; }

if [ -z "$CGROOT" ] || [ ! -w "$CGROOT" ]; then
    echo "1..0 # SKIP no writable cgroup v2 here: leftovers are found by their job cgroups"
    exit 0
fi

# --- SIGKILL with 20 jobs, then restart
if start_daemon; then ok "confined started"; else not_ok "confined started"; tail "$LOG" | sed 's/^/#   /'; tap_done; exit; fi
pids=()
for i in $(seq 10); do pids+=("$(spawn_sleep)"); pids+=("$(spawn_sleep "${NOBODY[@]}")"); done
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; echo "#   $3"; fi; }
check "20 jobs running (10 as root, 10 as nobody)" '[ "$(alive_count "${pids[@]}")" = 20 ]' \
    "alive: $(alive_count "${pids[@]}") of ${#pids[@]}: ${pids[*]}"
kill -9 "$dpid"; wait "$dpid" 2>/dev/null; dpid=
sleep 0.3
check "after SIGKILL of confined, its 20 jobs are still running (the leftovers to find)" \
    '[ "$(alive_count "${pids[@]}")" = 20 ]' "alive: $(alive_count "${pids[@]}")"
check "after SIGKILL, 20 job cgroups remain" '[ "$(job_cgroups)" = 20 ]' "job cgroups: $(job_cgroups)"

start_daemon
for _ in $(seq 100); do [ "$(alive_count "${pids[@]}")" = 0 ] && break; sleep 0.05; done
check "restart: every leftover job process is killed" '[ "$(alive_count "${pids[@]}")" = 0 ]' \
    "still alive: $(alive_count "${pids[@]}")"
check "restart: the 20 leftover job cgroups are removed" '[ "$(job_cgroups)" = 0 ]' "job cgroups: $(job_cgroups)"
check "restart: each leftover is logged" '[ "$(grep -c "Killing leftover job cgroup" "$LOG")" = 20 ]' \
    "log lines: $(grep -c "Killing leftover job cgroup" "$LOG")"
check "restart: the new daemon works (a job runs)" \
    '[ "$("$BUILD/client/confinectl" run -- echo fine 2>&1)" = fine ]' "confinectl run failed"
check "restart: NJobs is 0" \
    '[ "$(busctl --system get-property org.confine.Confine1 /org/confine/Confine1 org.confine.Confine1.Manager NJobs)" = "u 0" ]' \
    "NJobs is not 0"

# --- SIGKILL while `confinectl run` waits for its job: it waits for the Exited signal, not on a
# Wait call that the bus would fail, so it must notice the daemon's unique name leaving the bus.
waiter_err=$(mktemp /tmp/confine-waiter.XXXXXX)
"$BUILD/client/confinectl" run -- /bin/sleep 600 2>"$waiter_err" &
waiter=$!
# Until the job runs (ListJobs shows only started jobs): the Spawn reply has then been sent.
for _ in $(seq 200); do
    busctl --system call org.confine.Confine1 /org/confine/Confine1 org.confine.Confine1.Manager ListJobs 2>/dev/null |
        grep -q '"running"' && break
    sleep 0.05
done
kill -9 "$dpid"; wait "$dpid" 2>/dev/null; dpid=
for _ in $(seq 40); do kill -0 "$waiter" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$waiter" 2>/dev/null; then
    not_ok "confinectl run ends within 2 s when confined dies under it"
    kill -9 "$waiter"
else
    wait "$waiter"; rc=$?
    check "confinectl run ends within 2 s when confined dies under it, with status 125 and why" \
        '[ "$rc" = 125 ] && grep -q "confined left the bus" "$waiter_err"' "status $rc: $(cat "$waiter_err")"
fi
rm -f "$waiter_err"
start_daemon

# --- SIGTERM: jobs get SIGTERM, a job ignoring it gets SIGKILL after the timeout
marker=$(mktemp /tmp/confine-term.XXXXXX)
chmod 0666 "$marker"
polite=$(spawn_sleep)
stubborn_path=$(busctl --system --json=short call org.confine.Confine1 /org/confine/Confine1 \
    org.confine.Confine1.Manager Spawn -- 'asa(sv)t' 3 /bin/sh -c "trap 'echo TERM >> $marker' TERM; while :; do sleep 0.1; done" 0 0 |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0])')
stubborn=$(busctl --system get-property org.confine.Confine1 "$stubborn_path" org.confine.Confine1.Job MainPID | awk '{ print $2 }')
sleep 0.2
t0=$(date +%s.%N)
kill -TERM "$dpid"
wait "$dpid"; rc=$?; dpid=
t1=$(date +%s.%N)
check "SIGTERM: confined exits with status 0" '[ "$rc" = 0 ]' "status $rc"
check "SIGTERM: the job that ignores SIGTERM got it (it recorded TERM)" 'grep -q TERM "$marker"' "no TERM in $marker"
check "SIGTERM: no job process is left" '[ "$(alive_count "$polite" "$stubborn")" = 0 ]' \
    "alive: $(alive_count "$polite" "$stubborn")"
check "SIGTERM: the stubborn job was killed after the stop timeout (4-9 s)" \
    "python3 -c 'import sys; d = $t1 - $t0; sys.exit(0 if 4 <= d <= 9 else 1)'" "took $(python3 -c "print($t1 - $t0)") s"
check "SIGTERM: the kill is logged" 'grep -q "still running after SIGTERM, killing it" "$LOG"' "not in the log"
check "SIGTERM: no job cgroup is left" '[ "$(job_cgroups)" = 0 ]' "job cgroups: $(job_cgroups)"
rm -f "$marker"
check "no sanitizer report from either daemon" '! grep -qE "ERROR: (Address|Leak)Sanitizer|runtime error:" "$LOG"' \
    "$(grep -m3 -E 'Sanitizer|runtime error' "$LOG")"
tap_done
