#!/bin/bash
# Executor tests for PrivatePIDs=, ProtectProc= and ProcSubset=: confine-exec driven by exec-run, no
# bus, as root. They check how the job's /proc and PID namespace are made together with the other
# properties (ProtectSystem=strict, ProtectKernelTunables=, RootDirectory=), and the init: the exit
# status, signals, reaping, what is left in the namespace. tests/escape/test-pid-escapes.sh shows, as
# uid 65534 through the bus, that each property blocks what it should.
#
#   test-proc.sh [BUILD_DIR]      (or CONFINE_BUILD_DIR)
set -uo pipefail

BUILD=${CONFINE_BUILD_DIR:-${1:-}}
if [ -z "$BUILD" ]; then
    echo "Usage: $0 BUILD_DIR (or set CONFINE_BUILD_DIR)" >&2
    exit 2
fi
BUILD=$(readlink -f "$BUILD")
RUN=("$BUILD/tests/exec/exec-run" "--exec=$BUILD/daemon/exec/confine-exec")

if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP needs root (namespaces)"
    exit 0
fi

# shellcheck source=../tap.sh
. "$(dirname "$0")/../tap.sh"

PIDS=(-p PrivatePIDs=yes)
# "$MOUNTS PATH": "FSTYPE OPTIONS" of each mount on PATH, from the job's mountinfo.
work=$(mktemp -d /tmp/confine-proc.XXXXXX)
chmod 0755 "$work"
trap 'rm -rf "$work"' EXIT
cat > "$work/mounts" <<'EOF2'
#!/bin/sh
exec awk -v path="$1" '$5 == path { for (i = 7; i <= NF; i++) if ($i == "-") { print $(i + 1), $6; break } }' /proc/self/mountinfo
EOF2
chmod 0755 "$work/mounts"
MOUNTS="$work/mounts "

expect "PrivatePIDs=yes: the job is PID 2, its parent the init (PID 1, confine-exec)" 0 $'^2 1\nconfine-exec$' -- \
    "${RUN[@]}" "${PIDS[@]}" -- sh -c 'echo $$ $PPID; cat /proc/1/comm'
expect "PrivatePIDs=yes: /proc is a new procfs instance, nosuid,nodev,noexec" 0 '^proc rw,nosuid,nodev,noexec' -- \
    "${RUN[@]}" "${PIDS[@]}" -- sh -c "$MOUNTS/proc"
expect "PrivatePIDs=yes: only one mount on /proc, nothing of the host's instance below or on it" 0 '^1$' -- \
    "${RUN[@]}" "${PIDS[@]}" -- sh -c "awk '\$5 ~ /^\\/proc(\\/|\$)/' /proc/self/mountinfo | wc -l"
expect "PrivatePIDs=yes with ProtectSystem=strict, ProtectKernelTunables=yes: /proc/sys read-only on the new /proc" 0 \
    $'^proc ro\nRead-only' -- \
    "${RUN[@]}" "${PIDS[@]}" -p ProtectSystem=strict -p ProtectKernelTunables=yes -- \
    sh -c "$MOUNTS/proc/sys | cut -c1-7 | head -1; (echo 1 > /proc/sys/kernel/domainname) 2>&1 | grep -o Read-only"
expect "PrivatePIDs=yes with ProtectSystem=strict: /proc stays writable (its own instance)" 0 '^writable$' -- \
    "${RUN[@]}" "${PIDS[@]}" -p ProtectSystem=strict -- sh -c 'echo -n x > /proc/self/comm && echo writable'
expect "PrivatePIDs=yes with ProtectKernelTunables=yes: the host's /proc/sys/fs/binfmt_misc mount is gone" 0 '^0$' -- \
    "${RUN[@]}" "${PIDS[@]}" -p ProtectKernelTunables=yes -- sh -c "grep -c binfmt_misc /proc/self/mountinfo || true"
expect "ProtectProc=invisible with ProcSubset=pid: both options on the instance" 0 'hidepid=invisible,subset=pid' -- \
    "${RUN[@]}" -p ProtectProc=invisible -p ProcSubset=pid -- sh -c "grep ' /proc ' /proc/self/mountinfo"
expect "ProtectProc=noaccess without PrivatePIDs=: the host's processes, as root all visible" 0 '^[0-9]{2,}$' -- \
    "${RUN[@]}" -p ProtectProc=noaccess -- sh -c "ls /proc | grep -c '^[0-9]*\$'"
expect "ProtectProc=invisible as nobody: root's PID 1 is hidden" 0 '^absent$' -- \
    "${RUN[@]}" -p ProtectProc=invisible -p User=nobody -- sh -c 'test -d /proc/1 && echo listed || echo absent'

expect "PrivatePIDs=yes: exit 9 comes out as 9" 9 '' -- "${RUN[@]}" "${PIDS[@]}" -- sh -c 'exit 9'
expect "PrivatePIDs=yes: death by SIGTERM comes out as 128+15" 143 '' -- "${RUN[@]}" "${PIDS[@]}" -- sh -c 'kill -TERM $$'
expect "PrivatePIDs=yes: death by SIGSEGV comes out as 128+11, with no core from confine-exec" 139 '' -- \
    "${RUN[@]}" "${PIDS[@]}" -p LimitCORE=0 -- sh -c 'kill -SEGV $$'
expect "PrivatePIDs=yes: a setup failure is reported as without it" 125 'chdir WorkingDirectory=/nonexistent' -- \
    "${RUN[@]}" "${PIDS[@]}" -p WorkingDirectory=/nonexistent -- true
expect "PrivatePIDs=yes: an execve failure is reported as without it" 125 'execve' -- \
    "${RUN[@]}" "${PIDS[@]}" -- /nonexistent-confine-program
# The init runs as the job's uid, so it counts against LimitNPROC= (docs/design.md): with room for
# one process only, forking the job fails, and the failure names the property.
expect "PrivatePIDs=yes, LimitNPROC=1: the init counts; the spawn fails at namespaces, naming PrivatePIDs" 125 \
    'namespaces PrivatePIDs=yes: fork the job: Resource temporarily unavailable' -- \
    "${RUN[@]}" "${PIDS[@]}" -p User=nobody -p LimitNPROC=1 -- true
expect "PrivatePIDs=yes: orphans are reaped by the init (no zombie left)" 0 '^0$' -- \
    "${RUN[@]}" "${PIDS[@]}" -- sh -c '(sh -c "exit 0" &); sleep 0.3; grep -l "^State:.*Z" /proc/[0-9]*/status 2>/dev/null | wc -l'
expect "PrivatePIDs=yes: the init is not dumpable: the job cannot ptrace or read it, even as its uid" 1 'Permission denied' -- \
    "${RUN[@]}" "${PIDS[@]}" -p User=nobody -- cat /proc/1/environ

# What the job leaves running ends with it: the init exits, the kernel kills the namespace.
"${RUN[@]}" "${PIDS[@]}" -- sh -c 'sleep 4245.5 & exit 0' </dev/null >/dev/null 2>&1
left=0
for _ in $(seq 50); do
    left=0
    for f in /proc/[0-9]*/cmdline; do [ "$( { tr '\0' ' ' < "$f"; } 2>/dev/null)" = "sleep 4245.5 " ] && left=1; done
    [ $left = 0 ] && break
    sleep 0.1
done
[ $left = 0 ] && ok "PrivatePIDs=yes: a background process ends with the job" \
    || not_ok "PrivatePIDs=yes: a background process ends with the job"

# Without a cgroup to kill them all, SIGKILL to the outer process alone (the pid confined watches)
# ends the init (PR_SET_PDEATHSIG) and with it the namespace.
"${RUN[@]}" "${PIDS[@]}" -- sleep 4246.5 </dev/null >/dev/null 2>&1 &
runner=$!
outer=
for _ in $(seq 50); do
    outer=$(pgrep -P "$runner" -x confine-exec) && break
    sleep 0.05
done
sleep 0.3
[ -n "$outer" ] && kill -KILL "$outer"
wait "$runner"
gone=1
for _ in $(seq 50); do
    gone=1
    for f in /proc/[0-9]*/cmdline; do [ "$( { tr '\0' ' ' < "$f"; } 2>/dev/null)" = "sleep 4246.5 " ] && gone=0; done
    [ $gone = 1 ] && break
    sleep 0.1
done
[ -n "$outer" ] && [ $gone = 1 ] && ok "PrivatePIDs=yes: SIGKILL to the outer process alone ends the job" \
    || not_ok "PrivatePIDs=yes: SIGKILL to the outer process alone ends the job (outer=$outer)"

tap_done
