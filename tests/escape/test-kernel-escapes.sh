#!/bin/bash
# The kernel surface of issue 15, each as a pair from inside the job: the escape works without the
# property and fails with it. Runs the probes through exec-run (no D-Bus) as root, the strongest job.
set -uo pipefail

B=$(readlink -f "${1:-${CONFINE_BUILD_DIR:?}}")
RUN=("$B/tests/exec/exec-run" "--exec=$B/daemon/exec/confine-exec")
SYS=$B/tests/escape/probe-sys
FS=$B/tests/escape/probe-fs
n=0 failed=0

check() {  # DESC WANT -- CMD...
    local desc=$1 want=$2 out
    shift 3
    out=$("$@" 2>&1 </dev/null)
    n=$((n + 1))
    if [[ "$out" =~ $want ]]; then echo "ok $n - $desc"
    else failed=$((failed + 1)); echo "not ok $n - $desc"; echo "#   wanted /$want/, got: $out"; fi
}

skip() {  # DESC REASON
    n=$((n + 1))
    echo "ok $n - $1 # SKIP $2"
}

# ProtectClock=: @clock denied with EPERM, CAP_SYS_TIME (25) and CAP_WAKE_ALARM (35) leave the bounding
# set. clock_settime() gets an invalid time, which the kernel refuses with EINVAL once past the
# permission check: the clock is never set.
check "without ProtectClock, root's clock_settime() reaches the kernel (EINVAL, not EPERM)" '^ERR EINVAL$' -- \
    "${RUN[@]}" -- "$SYS" settime
check "ProtectClock=yes denies clock_settime() with EPERM" '^ERR EPERM$' -- \
    "${RUN[@]}" -p ProtectClock=yes -- "$SYS" settime
check "without ProtectClock, CAP_SYS_TIME is in root's bounding set" '^OK 1$' -- "${RUN[@]}" -- "$SYS" capbset 25
check "ProtectClock=yes drops CAP_SYS_TIME from the bounding set" '^OK 0$' -- \
    "${RUN[@]}" -p ProtectClock=yes -- "$SYS" capbset 25
check "ProtectClock=yes drops CAP_WAKE_ALARM from the bounding set" '^OK 0$' -- \
    "${RUN[@]}" -p ProtectClock=yes -- "$SYS" capbset 35

# ProtectKernelLogs=: syslog() denied, /dev/kmsg and /proc/kmsg covered, CAP_SYSLOG (34) dropped.
# syslog(SIZE_BUFFER) and reading /dev/kmsg leave the kernel's log as it is (/proc/kmsg would consume it).
check "without ProtectKernelLogs, root's syslog() reads the kernel log's size" '^OK$' -- "${RUN[@]}" -- "$SYS" syslog
check "ProtectKernelLogs=yes denies syslog() with EPERM" '^ERR EPERM$' -- \
    "${RUN[@]}" -p ProtectKernelLogs=yes -- "$SYS" syslog
if [ -c /dev/kmsg ]; then
    check "without ProtectKernelLogs, root reads /dev/kmsg" '^OK [1-9]' -- "${RUN[@]}" -- "$FS" read-head /dev/kmsg
    check "ProtectKernelLogs=yes hides /dev/kmsg (EACCES)" '^ERR EACCES$' -- \
        "${RUN[@]}" -p ProtectKernelLogs=yes -- "$FS" read-head /dev/kmsg
else
    skip "/dev/kmsg pair" "this host has no /dev/kmsg"
fi
check "ProtectKernelLogs=yes leaves /proc/kmsg empty" '^OK 0$' -- \
    "${RUN[@]}" -p ProtectKernelLogs=yes -- "$FS" read-head /proc/kmsg
check "without ProtectKernelLogs, CAP_SYSLOG is in root's bounding set" '^OK 1$' -- "${RUN[@]}" -- "$SYS" capbset 34
check "ProtectKernelLogs=yes drops CAP_SYSLOG from the bounding set" '^OK 0$' -- \
    "${RUN[@]}" -p ProtectKernelLogs=yes -- "$SYS" capbset 34

echo "1..$n"
[ $failed -eq 0 ]
