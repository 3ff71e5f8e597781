#!/bin/bash
# Escape pairs for DeviceAllow= and DevicePolicy=, from inside jobs started through confinectl on
# the bus. Each pair first shows the escape working WITHOUT the property, then blocked WITH it:
#  - the cgroup BPF device program: a node of the same number outside /dev (made on the host, in a
#    directory the job can reach) cannot be opened (EPERM), nor can the job mknod one (EPERM);
#  - the private /dev: nodes that are not allowed are not there at all (ENOENT).
# Then DeviceAllow= opens exactly what it lists, with exactly its access, and bad values are
# InvalidProperty. Run under tests/with-bus, as root.
#
#   test-device-escapes.sh              the escape pairs
#   test-device-escapes.sh no-cgroup    with confined given no cgroup v2 (--cgroup=/cgroup.procs/none):
#                                       both properties are NotSupported, never ignored
set -uo pipefail

BUILD=${CONFINE_BUILD_DIR:?}
C=${CONFINE_CONFINECTL:-$BUILD/client/confinectl}
PROBE=$BUILD/tests/escape/probe-fs
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
work=$(mktemp -d /tmp/confine-dev.XXXXXX)
chmod 0755 "$work"
trap 'rm -rf "$work"' EXIT

# shellcheck source=../tap.sh
. "$(dirname "$0")/../tap.sh"

run() { "$C" run "$@"; }

if [ "${1:-}" = no-cgroup ]; then
    for p in DevicePolicy=closed DevicePolicy=strict 'DeviceAllow=/dev/null rw'; do
        name=${p%%=*}
        expect "$p without a cgroup v2: NotSupported naming $name, nothing runs" 125 \
            "^confinectl: Spawn: $name: no writable cgroup v2 .*NotSupported" -- run -p "$p" -- "$PROBE" write "$work/ran"
    done
    [ ! -e "$work/ran" ] && ok "no job ran" || not_ok "a job ran"
    expect "PrivateDevices=yes needs no cgroup: it still works" 0 '^OK ' -- \
        run -p PrivateDevices=yes -- "$PROBE" listdir /dev
    expect "DevicePolicy=auto (unrestricted) needs no cgroup either" 0 '^OK 0$' -- \
        run -p DevicePolicy=auto -- "$PROBE" read /dev/null
    echo "1..$n"
    [ $failed -eq 0 ]
    exit
fi

# A device node of the host that is outside the default set and that root may open here (a device
# cgroup v1 of the host may refuse some), with its type and numbers for mknod.
dev='' type='' maj='' min=''
for d in /dev/loop-control /dev/zram0 /dev/kmsg /dev/vcs /dev/tty0 /dev/ttyS0 /dev/loop0; do
    [ -c "$d" ] || [ -b "$d" ] || continue
    [ "$(run -- "$PROBE" open-dev "$d" 2>&1 </dev/null)" = OK ] || continue
    dev=$d
    if [ -c "$d" ]; then type=c; else type=b; fi
    maj=$((16#$(stat -c %t "$d"))) min=$((16#$(stat -c %T "$d")))
    break
done
if [ -z "$dev" ]; then
    echo "1..0 # SKIP no device node outside the default set opens as root here"
    exit 0
fi
echo "# using $dev ($type $maj:$min)"

# The same device, reachable outside /dev: the private /dev cannot hide it, only the program can.
mknod -m 0666 "$work/node" "$type" "$maj" "$min"
mknod -m 0666 "$work/null" c 1 3

# --- DevicePolicy=closed: only the pseudo devices
expect "DevicePolicy: without it, the job opens the host's $dev" 0 '^OK$' -- run -- "$PROBE" open-dev "$dev"
expect "DevicePolicy=closed: $dev is not in the job's /dev (ENOENT)" 1 '^ERR ENOENT$' -- \
    run -p DevicePolicy=closed -- "$PROBE" open-dev "$dev"
expect "DevicePolicy: without it, a node of $dev's number outside /dev opens" 0 '^OK$' -- \
    run -- "$PROBE" open-dev "$work/node"
expect "DevicePolicy=closed: the BPF program refuses that node (EPERM)" 1 '^ERR EPERM$' -- \
    run -p DevicePolicy=closed -- "$PROBE" open-dev "$work/node"
expect "DevicePolicy=closed as nobody: refused too (EPERM)" 1 '^ERR EPERM$' -- \
    "${NOBODY[@]}" "$C" run -p DevicePolicy=closed -- "$PROBE" open-dev "$work/node"
rm -f "$work/made"
expect "DevicePolicy: without it, root mknods $type $maj:$min" 0 '' -- \
    run -- mknod "$work/made" "$type" "$maj" "$min"
rm -f "$work/made"
expect "DevicePolicy=closed: mknod of $type $maj:$min is refused (EPERM)" 1 'Operation not permitted' -- \
    run -p DevicePolicy=closed -- mknod "$work/made" "$type" "$maj" "$min"
[ ! -e "$work/made" ] && ok "DevicePolicy=closed: no node was made" || not_ok "DevicePolicy=closed: a node was made"
rm -f "$work/made"
expect "DevicePolicy=closed: /dev holds only the pseudo devices" 0 \
    '^OK fd full null ptmx pts random shm stderr stdin stdout tty urandom zero$' -- \
    run -p DevicePolicy=closed -- "$PROBE" listdir /dev
expect "DevicePolicy=closed: /dev/null, /dev/urandom and a pty still work" 0 '^ok$' -- \
    run -p DevicePolicy=closed -- sh -c 'echo x >/dev/null && head -c1 /dev/urandom >/dev/null && exec 3<>/dev/ptmx && echo ok'
expect "DevicePolicy=closed: mknod of /dev/null's number stays allowed (rwm, as systemd)" 0 '' -- \
    run -p DevicePolicy=closed -- mknod "$work/made" c 1 3
rm -f "$work/made"

# --- DeviceAllow= on top of closed: exactly the listed node comes back
expect "DeviceAllow=\"$dev rw\" + closed: $dev is in /dev and opens" 0 '^OK$' -- \
    run -p DevicePolicy=closed -p "DeviceAllow=$dev rw" -- "$PROBE" open-dev "$dev"
expect "DeviceAllow=\"$dev rw\" + closed: the node outside /dev opens too" 0 '^OK$' -- \
    run -p DevicePolicy=closed -p "DeviceAllow=$dev rw" -- "$PROBE" open-dev "$work/node"
expect "DeviceAllow=\"$dev rw\": no m, so mknod stays refused (EPERM)" 1 'Operation not permitted' -- \
    run -p DevicePolicy=closed -p "DeviceAllow=$dev rw" -- mknod "$work/made" "$type" "$maj" "$min"
rm -f "$work/made"
expect "DeviceAllow=\"$dev rwm\": mknod is allowed" 0 '' -- \
    run -p DevicePolicy=closed -p "DeviceAllow=$dev rwm" -- mknod "$work/made" "$type" "$maj" "$min"
rm -f "$work/made"
expect "DeviceAllow=/dev/null rw alone (auto): as closed, $dev's number is refused (EPERM)" 1 '^ERR EPERM$' -- \
    run -p 'DeviceAllow=/dev/null rw' -- "$PROBE" open-dev "$work/node"
expect "DeviceAllow=/dev/null rw alone (auto): $dev is gone (ENOENT)" 1 '^ERR ENOENT$' -- \
    run -p 'DeviceAllow=/dev/null rw' -- "$PROBE" open-dev "$dev"

expect "DeviceAllow=\"$dev rw\" from nobody: the node is in the job's /dev (looked up as nobody)" 0 '^OK$' -- \
    "${NOBODY[@]}" "$C" run -p DevicePolicy=closed -p "DeviceAllow=$dev rw" -- "$PROBE" stat "$dev"

# --- DevicePolicy=strict: not even the pseudo devices
expect "DevicePolicy: without it, a node of /dev/null's number outside /dev opens" 0 '^OK$' -- \
    run -- "$PROBE" open-dev "$work/null"
expect "DevicePolicy=strict: that node is refused (EPERM)" 1 '^ERR EPERM$' -- \
    run -p DevicePolicy=strict -- "$PROBE" open-dev "$work/null"
expect "DevicePolicy=strict: /dev/null is not in /dev (ENOENT)" 1 '^ERR ENOENT$' -- \
    run -p DevicePolicy=strict -- "$PROBE" read /dev/null
expect "DevicePolicy=strict: /dev holds no device node at all" 0 '^OK fd shm stderr stdin stdout$' -- \
    run -p DevicePolicy=strict -- "$PROBE" listdir /dev
expect "DevicePolicy=strict: mknod of /dev/null's number is refused (EPERM)" 1 '^ERR EPERM$' -- \
    run -p DevicePolicy=strict -- "$PROBE" mknod "$work/made"
rm -f "$work/made"
expect "DevicePolicy=strict + DeviceAllow=\"/dev/null r\": /dev/null reads" 0 '^OK 0$' -- \
    run -p DevicePolicy=strict -p 'DeviceAllow=/dev/null r' -- "$PROBE" read /dev/null
expect "DevicePolicy: without it, /dev/null takes writes" 0 '^OK$' -- \
    run -- "$PROBE" write /dev/null
expect "DevicePolicy=strict + DeviceAllow=\"/dev/null r\": writing is refused (EPERM)" 1 '^ERR EPERM$' -- \
    run -p DevicePolicy=strict -p 'DeviceAllow=/dev/null r' -- "$PROBE" write /dev/null
expect "DevicePolicy=strict + DeviceAllow=\"/dev/null r\": /dev holds /dev/null only" 0 '^OK fd null shm stderr stdin stdout$' -- \
    run -p DevicePolicy=strict -p 'DeviceAllow=/dev/null r' -- "$PROBE" listdir /dev

# --- classes from /proc/devices
class=$(awk -v want="$maj" -v sect="$([ $type = c ] && echo Character || echo Block)" \
    '$1 == sect { s = 1; next } /^$/ { s = 0 } s && $1 == want { print $2; exit }' /proc/devices)
prefix=$([ $type = c ] && echo char || echo block)
if [ -n "$class" ]; then
    expect "DeviceAllow=$prefix-$class: $dev is in /dev and opens" 0 '^OK$' -- \
        run -p DevicePolicy=closed -p "DeviceAllow=$prefix-$class r" -- "$PROBE" open-dev "$dev"
    expect "DeviceAllow=$prefix-$class r: writing to $dev is refused (EPERM)" 1 '^ERR EPERM$' -- \
        run -p DevicePolicy=closed -p "DeviceAllow=$prefix-$class r" -- "$PROBE" write "$work/node"
else
    ok "# SKIP no /proc/devices class for major $maj"
    ok "# SKIP no /proc/devices class for major $maj"
fi

# --- the D-Bus form: a(ss), "" meaning rwm; the job's Properties show what it got
out=$(busctl call org.confine.Confine1 /org/confine/Confine1 org.confine.Confine1.Manager Spawn 'asa(sv)t' \
    3 "$PROBE" read /dev/null 2 DevicePolicy s strict DeviceAllow 'a(ss)' 1 /dev/null "" 0 2>&1)
job=$(awk '{ gsub(/"/, "", $2); print $2 }' <<<"$out")
if [[ $job == /org/confine/Confine1/job/* ]]; then
    expect "D-Bus DeviceAllow=[(/dev/null, \"\")] under strict: the job reads /dev/null" 0 '^si "success" 0$' -- \
        busctl call org.confine.Confine1 "$job" org.confine.Confine1.Job Wait
    expect "the job's Properties hold DevicePolicy=strict and DeviceAllow=/dev/null rwm" 0 \
        '"DevicePolicy" s "strict" "DeviceAllow" a\(ss\) 1 "/dev/null" "rwm"' -- \
        busctl get-property org.confine.Confine1 "$job" org.confine.Confine1.Job Properties
else
    not_ok "D-Bus Spawn with DeviceAllow a(ss): $out"
    not_ok "the job's Properties (no job)"
fi

# --- the daemon keeps no fd per job (the program's fd goes with the cgroup)
if [ -n "${CONFINE_DAEMON_PID:-}" ]; then
    before=$(ls "/proc/$CONFINE_DAEMON_PID/fd" | wc -l)
    for _ in 1 2 3 4 5; do run -p DevicePolicy=closed -- true </dev/null >/dev/null 2>&1; done
    sleep 0.2
    after=$(ls "/proc/$CONFINE_DAEMON_PID/fd" | wc -l)
    [ "$before" = "$after" ] && ok "5 device-restricted jobs leave the daemon's fd count at $before" \
        || not_ok "the daemon's fd count went from $before to $after"
fi

# --- bad values: InvalidProperty naming the property, nothing runs
for p in 'DeviceAllow=dev/null rw' 'DeviceAllow=/etc/passwd rw' 'DeviceAllow=/dev/../etc/shadow r' \
         'DeviceAllow=/dev/null rx' 'DeviceAllow=/dev/null rrw' 'DeviceAllow=char- rw' 'DeviceAllow=pipe-x rw' \
         'DeviceAllow=/dev/confine-no-such-node rw' 'DeviceAllow=/dev/shm rw' 'DeviceAllow=/dev/stdin rw' \
         'DeviceAllow=char-confine-no-such-class rw' 'DevicePolicy=maybe' 'DevicePolicy=Closed'; do
    name=${p%%=*}
    expect "$p → InvalidProperty naming $name" 125 "^confinectl: Spawn: $name: .*InvalidProperty" -- \
        "${NOBODY[@]}" "$C" run -p "$p" -- "$PROBE" write "$work/ran"
done
[ ! -e "$work/ran" ] && ok "no refused job ran" || not_ok "a refused job ran"

echo "1..$n"
[ $failed -eq 0 ]
