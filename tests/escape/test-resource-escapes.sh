#!/bin/bash
# Effect checks for the cgroup resource properties of systemd.resource-control(5) that are not
# limits to break through: MemoryHigh= (throttling), MemoryLow=, MemorySwapMax=, CPUWeight=,
# IOWeight= (the values, read back from inside the job's own cgroup) and IOAccounting= (the
# bytes in the end record against what the job wrote and read past the page cache). Each is
# first shown without the property, then with it. Where the job cgroups lack the controller
# (this project's hybrid CI host), the request must be NotSupported naming the property, and the
# check skips with the reason; tests/vm runs them on a cgroup v2 host. Run under tests/with-bus.
set -uo pipefail

BUILD=${CONFINE_BUILD_DIR:?}
C=${CONFINE_CONFINECTL:-$BUILD/client/confinectl}
: "${CONFINE_CGROUP:?}"

# shellcheck source=../tap.sh
. "$(dirname "$0")/../tap.sh"

cg_controllers=$(cat "/sys/fs/cgroup/unified/$CONFINE_CGROUP/cgroup.subtree_control" \
                     "/sys/fs/cgroup/$CONFINE_CGROUP/cgroup.subtree_control" 2>/dev/null | tr '\n' ' ')
skip() { n=$((n + 1)); echo "ok $n - # SKIP $*"; }
have() { [[ " $cg_controllers " == *" $1 "* ]]; }
not_supported() { # PROPERTY=VALUE CONTROLLER
    skip "${1%%=*}: the cgroup v2 $2 controller is not enabled for the job cgroups here (enabled: ${cg_controllers:-none})"
    expect "$1 without the $2 controller: NotSupported naming ${1%%=*}, nothing runs" 125 \
        "${1%%=*}: the cgroup v2 $2 controller.*NotSupported" -- "$C" run -p "$1" -- true
}

# Inside the job: its own cgroup directory, as the job sees the cgroup2 tree.
CG='cg=$(findmnt -n -t cgroup2 -o TARGET | head -1)$(sed -n "s/^0:://p" /proc/self/cgroup)'
# readback FILE: what the job's cgroup holds in FILE.
readback() { echo "$CG; cat \"\$cg/$1\""; }

# A scratch directory on a disk, not on tmpfs: page cache to reclaim, and O_DIRECT I/O to count.
scratch=$(mktemp -d /var/tmp/confine-res.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

# --- MemoryHigh: above it the kernel throttles and reclaims (memory.events "high"), and kills nothing.
# 128 MiB written through the page cache goes over a 32 MiB MemoryHigh; the job still exits 0.
HIGH="dd if=/dev/zero of=$scratch/high bs=1M count=128 status=none && rm $scratch/high && $CG &&
      cat \$cg/memory.high && sed -n 's/^high //p' \$cg/memory.events"
if have memory; then
    expect "MemoryHigh: without it, 128 MiB through the page cache: memory.high max, no high event" 0 \
        $'^max\n0$' -- "$C" run -- sh -c "$HIGH"
    out=$("$C" run -p MemoryHigh=32M -- sh -c "$HIGH" </dev/null 2>&1)
    rc=$?
    events=$(sed -n 2p <<<"$out")
    [[ $rc == 0 && $(head -1 <<<"$out") == 33554432 && ${events:-0} -gt 0 ]] \
        && ok "MemoryHigh=32M: memory.high 33554432, throttled $events times (memory.events high), the job survives" \
        || { not_ok "MemoryHigh=32M: throttled, the job survives"; echo "#   rc=$rc: $out"; }
    expect "MemoryLow: without it, memory.low is 0" 0 '^0$' -- "$C" run -- sh -c "$(readback memory.low)"
    expect "MemoryLow=16M: memory.low is 16777216" 0 '^16777216$' -- \
        "$C" run -p MemoryLow=16M -- sh -c "$(readback memory.low)"
    expect "MemorySwapMax: without it, memory.swap.max is max" 0 '^max$' -- \
        "$C" run -- sh -c "$(readback memory.swap.max)"
    expect "MemorySwapMax=0: memory.swap.max is 0" 0 '^0$' -- \
        "$C" run -p MemorySwapMax=0 -- sh -c "$(readback memory.swap.max)"
    expect "MemorySwapMax=8M: memory.swap.max is 8388608" 0 '^8388608$' -- \
        "$C" run -p MemorySwapMax=8M -- sh -c "$(readback memory.swap.max)"
else
    not_supported MemoryHigh=32M memory
    not_supported MemoryLow=16M memory
    not_supported MemorySwapMax=0 memory
fi

# --- CPUWeight: the job cgroup's cpu.weight; idle is cpu.idle.
if have cpu; then
    expect "CPUWeight: without it, cpu.weight is 100" 0 '^100$' -- "$C" run -- sh -c "$(readback cpu.weight)"
    expect "CPUWeight=50: cpu.weight is 50" 0 '^50$' -- "$C" run -p CPUWeight=50 -- sh -c "$(readback cpu.weight)"
    expect "CPUWeight: without it, cpu.idle is 0" 0 '^0$' -- "$C" run -- sh -c "$(readback cpu.idle)"
    expect "CPUWeight=idle: cpu.idle is 1" 0 '^1$' -- "$C" run -p CPUWeight=idle -- sh -c "$(readback cpu.idle)"
else
    not_supported CPUWeight=50 cpu
fi

# --- IOWeight and IOAccounting: the io controller.
# 8 MiB written and read back with O_DIRECT, past the page cache, so that the block layer counts it.
DIRECT="dd if=/dev/zero of=$scratch/io bs=1M count=8 oflag=direct status=none &&
        dd if=$scratch/io of=/dev/null bs=1M iflag=direct status=none"
field() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
if have io; then
    expect "IOWeight: without it, io.weight is the default 100" 0 '^default 100$' -- \
        "$C" run -- sh -c "$(readback io.weight)"
    expect "IOWeight=500: io.weight is default 500" 0 '^default 500$' -- \
        "$C" run -p IOWeight=500 -- sh -c "$(readback io.weight)"
    out=$("$C" run --json -- sh -c "$DIRECT" </dev/null 2>&1)
    [[ $out =~ \"Result\":\"success\" && ! $out =~ IOWriteBytes ]] \
        && ok "IOAccounting: without it, the end record has no IO bytes" \
        || { not_ok "IOAccounting: without it, the end record has no IO bytes"; echo "#   $out"; }
    out=$("$C" run --json -p IOAccounting=yes -- sh -c "$DIRECT" </dev/null 2>&1)
    wb=$(field IOWriteBytes <<<"$out") rb=$(field IOReadBytes <<<"$out")
    wo=$(field IOWriteOperations <<<"$out") ro=$(field IOReadOperations <<<"$out")
    [[ ${wb:-0} -ge 8388608 && ${rb:-0} -ge 8388608 && ${wo:-0} -ge 1 && ${ro:-0} -ge 1 ]] \
        && ok "IOAccounting=yes: 8 MiB written and read with O_DIRECT, the end record says $wb B in $wo writes, $rb B in $ro reads" \
        || { not_ok "IOAccounting=yes: the end record counts the 8 MiB written and read"; echo "#   $out"; }
else
    not_supported IOWeight=500 io
    not_supported IOAccounting=yes io
fi

tap_done
