#!/bin/bash
# Escape pairs for PrivatePIDs=, ProtectProc= and ProcSubset=: from inside a job as uid 65534, reach
# a process that uid 65534 runs OUTSIDE confine (the "victim", with a secret in its environment):
# signal it, ptrace it, read its memory and its /proc/PID/environ, count the processes in /proc.
# Each works without the property and fails with it; then the same with the shipped profiles
# (without = the profile with PrivatePIDs=no ProtectProc=default, which needs spawn-privileged, so
# root asks for it with User=nobody; with = the profile as uid 65534 asks for it).
# Run under tests/with-bus, with --profile-dir=data/profiles.
set -uo pipefail

BUILD=${CONFINE_BUILD_DIR:?}
C=${CONFINE_CONFINECTL:-$BUILD/client/confinectl}
# A copy the profiles' jobs can run: PrivateTmp= and ProtectHome= hide a build dir under /tmp or
# /home, and /run is neither. Where /run is noexec (Debian's initramfs mounts it so), /var/lib,
# which no profile hides either.
probe_dir=/run
[[ ,$(findmnt -n -o OPTIONS --target /run), == *,noexec,* ]] && probe_dir=/var/lib
PROBE=$probe_dir/confine-probe-sys.$$
install -m 0755 "$BUILD/tests/escape/probe-sys" "$PROBE"
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# shellcheck source=../tap.sh
. "$(dirname "$0")/../tap.sh"

secret="confine-victim-secret-$$"
env -i CONFINE_SECRET="$secret" "${NOBODY[@]}" sleep 4244 &
victim=$!
trap 'kill $victim 2>/dev/null; rm -f "$PROBE"' EXIT
for _ in $(seq 50); do [ "$(stat -c %u /proc/$victim)" = 65534 ] && [ "$(cat /proc/$victim/comm)" = sleep ] && break; sleep 0.05; done

SIGNAL="kill -STOP $victim && kill -CONT $victim && echo signalled"
ENVIRON="tr '\\0' '\\n' < /proc/$victim/environ | grep CONFINE_SECRET"
COUNT="ls /proc | grep -c '^[0-9]*\$'"
LISTED="test -d /proc/$victim && echo listed || echo absent"

# pair NAME RC_WITH OUT_WITH WHAT SCRIPT RC_WITHOUT OUT_WITHOUT: SCRIPT in a job of ${without[@]}, then of
# ${with[@]}.
pair() {
    local name=$1 rc_with=$2 out_with=$3 what=$4 script=$5 rc_without=$6 out_without=$7
    expect "$name without: $what works" "$rc_without" "$out_without" -- "${without[@]}" sh -c "$script"
    expect "$name with: $what fails" "$rc_with" "$out_with" -- "${with[@]}" sh -c "$script"
}

run_pairs() {
    local name=$1
    pair "$name" 1 'No such process' "signal the victim (SIGSTOP, SIGCONT)" "$SIGNAL" 0 '^signalled$'
    pair "$name" 1 'No such file' "read its /proc/PID/environ" "$ENVIRON" 0 "CONFINE_SECRET=$secret"
    pair "$name" 1 '^ERR ESRCH$' "process_vm_readv() its memory" "$PROBE vm-read $victim" 1 '^ERR EFAULT$'
    pair "$name" 0 '^absent$' "see it in /proc" "$LISTED" 0 '^listed$'
    # The host runs dozens of processes; the job's namespace holds the init, sh, ls and grep.
    pair "$name" 0 '^[1-6]$' "count the host's processes in /proc (>= 10)" "$COUNT" 0 '^([1-9][0-9]+)$'
}

without=("${NOBODY[@]}" "$C" run --)
with=("${NOBODY[@]}" "$C" run -p PrivatePIDs=yes --)
run_pairs "PrivatePIDs=yes"
# ptrace is in @debug, which the profiles' filters refuse anyway: only the plain pair.
pair "PrivatePIDs=yes" 1 '^ERR ESRCH$' "PTRACE_SEIZE it" "$PROBE ptrace-seize $victim" 0 '^OK$'

for profile in thumbnailer seed; do
    without=("$C" run -p Profile=$profile -p User=nobody -p PrivatePIDs=no -p ProtectProc=default --)
    with=("${NOBODY[@]}" "$C" run -p Profile=$profile --)
    run_pairs "Profile=$profile"
    expect "Profile=$profile: the job is PID 2, its /proc has hidepid=invisible" 0 $'^pid=2\nhidepid=invisible$' -- \
        "${with[@]}" sh -c 'echo pid=$$; grep -o "hidepid=[a-z]*" /proc/self/mountinfo | head -1'
    # Loosening a profile is the spawn-privileged tier, which polkit refuses uid 65534 here.
    expect "Profile=$profile as uid 65534: PrivatePIDs=no is a loosening, refused" 125 'AccessDenied' -- \
        "${NOBODY[@]}" "$C" run -p Profile=$profile -p PrivatePIDs=no -- true
    expect "Profile=$profile as uid 65534: ProtectProc=default is a loosening, refused" 125 'AccessDenied' -- \
        "${NOBODY[@]}" "$C" run -p Profile=$profile -p ProtectProc=default -- true
done

# ProtectProc= without PrivatePIDs=: the host's processes, but only those the job may ptrace.
without=("${NOBODY[@]}" "$C" run --)
for level in invisible ptraceable; do
    with=("${NOBODY[@]}" "$C" run -p ProtectProc=$level --)
    pair "ProtectProc=$level" 0 '^absent$' "see root's PID 1 in /proc" 'test -d /proc/1 && echo listed || echo absent' 0 '^listed$'
    pair "ProtectProc=$level" 1 'No such file' "read PID 1's cmdline" 'head -c 100 /proc/1/cmdline' 0 '.'
    # The victim is the job's own uid, which ptrace rules allow: it stays visible.
    expect "ProtectProc=$level: a process of the job's own uid stays visible" 0 '^listed$' -- \
        "${with[@]}" sh -c "$LISTED"
done
with=("${NOBODY[@]}" "$C" run -p ProtectProc=noaccess --)
pair "ProtectProc=noaccess" 1 'Operation not permitted|Permission denied' "read PID 1's cmdline" 'head -c 100 /proc/1/cmdline' 0 '.'
expect "ProtectProc=noaccess: PID 1 is still listed" 0 '^listed$' -- \
    "${with[@]}" sh -c 'test -d /proc/1 && echo listed || echo absent'

# ProcSubset=pid: the kernel's files in /proc are gone, the processes stay.
with=("${NOBODY[@]}" "$C" run -p ProcSubset=pid --)
pair "ProcSubset=pid" 1 'No such file' "read /proc/sys/kernel/ostype" 'cat /proc/sys/kernel/ostype' 0 '^Linux$'
pair "ProcSubset=pid" 1 'No such file' "read /proc/cmdline (the kernel's)" 'head -c 20 /proc/cmdline' 0 '.'
pair "ProcSubset=pid" 1 'No such file' "read /proc/meminfo" 'head -1 /proc/meminfo' 0 '^MemTotal'
expect "ProcSubset=pid: the job's own /proc/self is still there" 0 '^[0-9]+$' -- "${with[@]}" sh -c 'cat /proc/self/stat | cut -d" " -f1'

tap_done
