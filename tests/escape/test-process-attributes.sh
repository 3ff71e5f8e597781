#!/bin/bash
# Issue 15's process attributes, each checked from inside the job through exec-run (no D-Bus): the
# value the job sees without the property, then with it. An unprivileged job (User=nobody) shows that
# what only restricts needs no privilege and sticks. What this host cannot give (a negative OOM score
# without CAP_SYS_RESOURCE) is skipped with the reason.
set -uo pipefail

B=$(readlink -f "${1:-${CONFINE_BUILD_DIR:?}}")
RUN=("$B/tests/exec/exec-run" "--exec=$B/daemon/exec/confine-exec")
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

have_cap() {  # BIT: in our effective set
    (( (0x$(awk '/^CapEff/ {print $2}' /proc/self/status) >> $1) & 1 ))
}

# UnsetEnvironment=: names and whole assignments, the daemon's own variables too.
check "without UnsetEnvironment, A, B and HOME are set" $'^A=1\nB=2\nHOME=' -- \
    "${RUN[@]}" -p "Environment=A=1 B=2" -- sh -c 'env | sort | grep -E "^(A|B|HOME)="'
check "UnsetEnvironment=A HOME B=3: A and HOME go, B=2 stays" '^B=2$' -- \
    "${RUN[@]}" -p "Environment=A=1 B=2" -p "UnsetEnvironment=A HOME B=3" -- \
    sh -c 'env | sort | grep -E "^(A|B|HOME)="'

# IgnoreSIGPIPE=: SIGPIPE's disposition in the job.
check "without IgnoreSIGPIPE, SIGPIPE is not ignored" '^SigIgn:[[:space:]]+0+$' -- \
    "${RUN[@]}" -- grep SigIgn /proc/self/status
check "IgnoreSIGPIPE=yes: SIGPIPE (bit 13) is ignored" '^SigIgn:[[:space:]]+0*1000$' -- \
    "${RUN[@]}" -p IgnoreSIGPIPE=yes -- grep SigIgn /proc/self/status
check "IgnoreSIGPIPE=yes with PrivatePIDs=yes: also in the job the init forks" '^SigIgn:[[:space:]]+0*1000$' -- \
    "${RUN[@]}" -p IgnoreSIGPIPE=yes -p PrivatePIDs=yes -- grep SigIgn /proc/self/status

# TimerSlackNSec=
check "without TimerSlackNSec, the default 50000 ns" '^50000$' -- "${RUN[@]}" -- cat /proc/self/timerslack_ns
check "TimerSlackNSec=1ms" '^1000000$' -- "${RUN[@]}" -p TimerSlackNSec=1ms -p User=nobody -- cat /proc/self/timerslack_ns
check "TimerSlackNSec=1ms with PrivatePIDs=yes (a fork resets it)" '^1000000$' -- \
    "${RUN[@]}" -p TimerSlackNSec=1ms -p PrivatePIDs=yes -- cat /proc/self/timerslack_ns

# CoredumpFilter=
check "without CoredumpFilter, the inherited mask" '^00000033$' -- "${RUN[@]}" -- cat /proc/self/coredump_filter
check "CoredumpFilter=private-anonymous elf-headers" '^00000011$' -- \
    "${RUN[@]}" -p "CoredumpFilter=private-anonymous elf-headers" -p User=nobody -- cat /proc/self/coredump_filter

# OOMScoreAdjust=: a higher score needs nothing and is the floor the job cannot go below.
check "without OOMScoreAdjust, 0" '^0$' -- "${RUN[@]}" -- cat /proc/self/oom_score_adj
check "OOMScoreAdjust=500 for nobody" '^500$' -- \
    "${RUN[@]}" -p OOMScoreAdjust=500 -p User=nobody -- cat /proc/self/oom_score_adj
check "… which the job cannot lower below 0" '^500$' -- \
    "${RUN[@]}" -p OOMScoreAdjust=500 -p User=nobody -- sh -c 'echo -1 2>/dev/null > /proc/self/oom_score_adj; cat /proc/self/oom_score_adj'
if have_cap 24; then
    check "OOMScoreAdjust=-500 (as root, CAP_SYS_RESOURCE)" '^-500$' -- \
        "${RUN[@]}" -p OOMScoreAdjust=-500 -p User=nobody -- cat /proc/self/oom_score_adj
else
    check "OOMScoreAdjust=-500 fails the spawn naming it where CAP_SYS_RESOURCE is missing" \
        'process OOMScoreAdjust=-500' -- "${RUN[@]}" -p OOMScoreAdjust=-500 -- true
    skip "OOMScoreAdjust=-500 takes effect" "this host gives no CAP_SYS_RESOURCE"
fi

# CPUAffinity=
check "without CPUAffinity, the inherited CPUs" "^Cpus_allowed_list:[[:space:]]+$(awk '/^Cpus_allowed_list/ {print $2}' /proc/self/status)\$" -- \
    "${RUN[@]}" -- grep Cpus_allowed_list /proc/self/status
check "CPUAffinity=0" '^Cpus_allowed_list:[[:space:]]+0$' -- \
    "${RUN[@]}" -p CPUAffinity=0 -p User=nobody -- grep Cpus_allowed_list /proc/self/status
check "CPUAffinity=8000 (no such CPU) fails the spawn naming it" 'process CPUAffinity' -- \
    "${RUN[@]}" -p CPUAffinity=8000 -- true

# IOSchedulingClass=/IOSchedulingPriority=
check "without IOScheduling*, none" '^none' -- "${RUN[@]}" -- ionice
check "IOSchedulingClass=idle" '^idle$' -- "${RUN[@]}" -p IOSchedulingClass=idle -p User=nobody -- ionice
check "IOSchedulingPriority=6 alone is best-effort 6" '^best-effort: prio 6$' -- \
    "${RUN[@]}" -p IOSchedulingPriority=6 -p User=nobody -- ionice
check "IOSchedulingClass=realtime IOSchedulingPriority=2 (root)" '^realtime: prio 2$' -- \
    "${RUN[@]}" -p IOSchedulingClass=realtime -p IOSchedulingPriority=2 -- ionice

# CPUSchedulingPolicy=/CPUSchedulingPriority=/CPUSchedulingResetOnFork=
check "without CPUScheduling*, SCHED_OTHER" 'policy: SCHED_OTHER' -- "${RUN[@]}" -- sh -c 'chrt -p $$'
check "CPUSchedulingPolicy=batch for nobody" 'policy: SCHED_BATCH' -- \
    "${RUN[@]}" -p CPUSchedulingPolicy=batch -p User=nobody -- sh -c 'chrt -p $$'
if have_cap 23; then
    check "CPUSchedulingPolicy=fifo CPUSchedulingPriority=10 for nobody" $'SCHED_FIFO\n.*priority: 10$' -- \
        "${RUN[@]}" -p CPUSchedulingPolicy=fifo -p CPUSchedulingPriority=10 -p User=nobody -- sh -c 'chrt -p $$'
    check "CPUSchedulingResetOnFork=yes: the job's children are back to SCHED_OTHER" \
        $'SCHED_FIFO\\|SCHED_RESET_ON_FORK\n.*\n.*SCHED_OTHER' -- \
        "${RUN[@]}" -p CPUSchedulingPolicy=fifo -p CPUSchedulingPriority=10 -p CPUSchedulingResetOnFork=yes \
        -p PrivatePIDs=yes -p User=nobody -- sh -c 'chrt -p $$; sh -c "chrt -p \$\$"'
    check "nobody cannot raise its own realtime priority" 'Operation not permitted' -- \
        "${RUN[@]}" -p CPUSchedulingPolicy=fifo -p CPUSchedulingPriority=10 -p User=nobody -- sh -c 'chrt -f -p 50 $$'
else
    skip "realtime CPUSchedulingPolicy" "this host gives no CAP_SYS_NICE"
fi

echo "1..$n"
[ $failed -eq 0 ]
