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

# PrivateMounts=: a mount the job makes stays in its namespace. The job is root, which may mount.
D=$(mktemp -d /run/confine-mounts.XXXXXX)
check "without PrivateMounts, root's mount inside the job succeeds" '^OK$' -- "${RUN[@]}" -- "$SYS" mount-tmpfs "$D"
check "… and shows on the host" '^yes$' -- sh -c "mountpoint -q '$D' && echo yes || echo no"
umount "$D" 2>/dev/null
check "PrivateMounts=yes: root's mount inside the job succeeds" '^OK$' -- \
    "${RUN[@]}" -p PrivateMounts=yes -- "$SYS" mount-tmpfs "$D"
check "… and does not show on the host" '^no$' -- sh -c "mountpoint -q '$D' && echo yes || echo no"
umount "$D" 2>/dev/null
rmdir "$D"

# KeyringMode=: the key sits in the session keyring of the process that starts exec-run (as the
# daemon's would for confined). Inherited, any job, of any user, possesses that keyring and finds it.
KEY=confine-test-key-$$
check "KeyringMode=inherit: the job finds its starter's session key" '^OK$' -- \
    "$SYS" key-run "$KEY" "${RUN[@]}" -p KeyringMode=inherit -- "$SYS" key-find "$KEY"
check "KeyringMode=inherit with User=nobody: another user's job finds it too" '^OK$' -- \
    "$SYS" key-run "$KEY" "${RUN[@]}" -p KeyringMode=inherit -p User=nobody -- "$SYS" key-find "$KEY"
check "KeyringMode unset is private, as for systemd's services: ENOKEY" '^ERR ENOKEY$' -- \
    "$SYS" key-run "$KEY" "${RUN[@]}" -- "$SYS" key-find "$KEY"
check "KeyringMode=private with User=nobody: ENOKEY" '^ERR ENOKEY$' -- \
    "$SYS" key-run "$KEY" "${RUN[@]}" -p KeyringMode=private -p User=nobody -- "$SYS" key-find "$KEY"
check "KeyringMode=shared: a new session keyring too (ENOKEY)" '^ERR ENOKEY$' -- \
    "$SYS" key-run "$KEY" "${RUN[@]}" -p KeyringMode=shared -- "$SYS" key-find "$KEY"
check "KeyringMode=private with PrivatePIDs=yes (the init makes it): ENOKEY" '^ERR ENOKEY$' -- \
    "$SYS" key-run "$KEY" "${RUN[@]}" -p PrivatePIDs=yes -- "$SYS" key-find "$KEY"

# SecureBits=noroot: root gets no capabilities from execve(), so root's mount() is refused. Both halves
# mount in a namespace of their own (PrivateMounts=), so that the host sees nothing.
check "without SecureBits, root mounts a tmpfs" '^OK$' -- \
    "${RUN[@]}" -p PrivateMounts=yes -- "$SYS" mount-tmpfs /tmp
check "SecureBits=noroot: root's mount() is refused (EPERM)" '^ERR EPERM$' -- \
    "${RUN[@]}" -p PrivateMounts=yes -p SecureBits=noroot -- "$SYS" mount-tmpfs /tmp
check "SecureBits=noroot: root's effective set is empty" '^OK 0000000000000000$' -- \
    "${RUN[@]}" -p SecureBits=noroot -- "$SYS" capeff
check "SecureBits=noroot noroot-locked: the job cannot clear them (EPERM)" '^ERR EPERM$' -- \
    "${RUN[@]}" -p "SecureBits=noroot noroot-locked" -- "$SYS" securebits-clear
check "SecureBits=keep-caps-locked with User=nobody and AmbientCapabilities=CAP_NET_RAW keeps exactly that" \
    '^OK 0000000000002000$' -- \
    "${RUN[@]}" -p SecureBits=keep-caps-locked -p User=nobody -p AmbientCapabilities=CAP_NET_RAW -- "$SYS" capeff

# Personality=: an effect, not an escape: the 32-bit persona, also under LockPersonality=, which then
# locks that persona.
check "without Personality, uname -m is the machine's" "^$(uname -m)\$" -- "${RUN[@]}" -- uname -m
if [ "$(uname -m)" = x86_64 ]; then
    check "Personality=x86: uname -m is i686" '^i686$' -- "${RUN[@]}" -p Personality=x86 -- uname -m
    check "Personality=x86 with LockPersonality=yes: still i686" '^i686$' -- \
        "${RUN[@]}" -p Personality=x86 -p LockPersonality=yes -- uname -m
    check "Personality=x86 with LockPersonality=yes: back to PER_LINUX is refused (EPERM)" '^ERR EPERM$' -- \
        "${RUN[@]}" -p Personality=x86 -p LockPersonality=yes -- "$SYS" personality-linux
else
    skip "Personality=x86" "not an x86-64 host"
fi
check "Personality=s390 is refused on this machine" 'Personality: "s390" is not' -- \
    "${RUN[@]}" -p Personality=s390 -- true

# NoExecPaths=/ExecPaths=: a copy of true in a directory of the host, run from inside the job. ExecPaths=
# undoes the job's own noexec, never the host's: below it a noexec tmpfs of the host stays noexec.
D=$(mktemp -d /run/confine-exec.XXXXXX)
mkdir "$D/sub" "$D/host-noexec"
cp /bin/true "$D/t"
cp /bin/true "$D/sub/t"
RUNT='"$0" 2>/dev/null && echo ran || echo refused'
check "without NoExecPaths, the job runs a program below the path" '^ran$' -- "${RUN[@]}" -- sh -c "$RUNT" "$D/t"
check "NoExecPaths=DIR: refused" '^refused$' -- "${RUN[@]}" -p NoExecPaths="$D" -- sh -c "$RUNT" "$D/t"
check "NoExecPaths=DIR: also below it, recursively" '^refused$' -- \
    "${RUN[@]}" -p NoExecPaths="$D" -- sh -c "$RUNT" "$D/sub/t"
check "NoExecPaths=DIR ExecPaths=DIR/sub: runs below the exception" '^ran$' -- \
    "${RUN[@]}" -p NoExecPaths="$D" -p ExecPaths="$D/sub" -- sh -c "$RUNT" "$D/sub/t"
check "NoExecPaths=/ ExecPaths=/usr: the rest of the tree is refused" '^refused$' -- \
    "${RUN[@]}" -p NoExecPaths=/ -p ExecPaths=/usr -p ExecPaths=/bin -- /usr/bin/sh -c "$RUNT" "$D/t"
check "NoExecPaths=DIR ReadWritePaths=DIR/sub: the writable path stays noexec" '^refused$' -- \
    "${RUN[@]}" -p NoExecPaths="$D" -p ReadWritePaths="$D/sub" -- sh -c "$RUNT" "$D/sub/t"
check "NoExecPaths=/ ExecPaths=/usr under ProtectSystem=strict: /usr stays read-only" 'Read-only file system' -- \
    "${RUN[@]}" -p NoExecPaths=/ -p ExecPaths=/usr -p ExecPaths=/bin -p ProtectSystem=strict -- \
    /usr/bin/touch /usr/confine-probe
check "NoExecPaths=X ExecPaths=X: noexec wins" '^refused$' -- \
    "${RUN[@]}" -p NoExecPaths="$D" -p ExecPaths="$D" -- sh -c "$RUNT" "$D/t"
if mount -t tmpfs -o noexec,size=4m confine-probe "$D/host-noexec"; then
    cp /bin/true "$D/host-noexec/t"
    check "the host's noexec tmpfs refuses without any property" '^refused$' -- \
        "${RUN[@]}" -- sh -c "$RUNT" "$D/host-noexec/t"
    check "ExecPaths= does not clear the host's own noexec" '^refused$' -- \
        "${RUN[@]}" -p NoExecPaths="$D" -p ExecPaths="$D/host-noexec" -- sh -c "$RUNT" "$D/host-noexec/t"
    umount "$D/host-noexec"
else
    skip "ExecPaths= and the host's noexec" "cannot mount a tmpfs here"
fi
rm -rf "$D"

# MountAPIVFS=: an effect check. Below a RootDirectory= of read-only binds, /proc, /sys, /dev and an
# empty /run appear only with it; under ProtectKernelTunables=yes its /sys is read-only, and with
# PrivateDevices=yes the /dev is the private one.
W=$(mktemp -d /run/confine-apivfs.XXXXXX)
root=$W/root
mkdir -p "$root/usr" "$root/proc" "$root/sys" "$root/dev" "$root/run"
binds=(-p "BindReadOnlyPaths=/usr:/usr")
for d in bin sbin lib lib32 lib64; do
    if [ -L "/$d" ]; then ln -s "$(readlink "/$d")" "$root/$d"
    elif [ -d "/$d" ]; then mkdir "$root/$d"; binds+=(-p "BindReadOnlyPaths=/$d:/$d"); fi
done
API='test -r /proc/self/status && echo proc; test -e /sys/kernel && echo sys; test -c /dev/null && echo dev;
     mountpoint -q /run && echo run; true'
check "RootDirectory= without MountAPIVFS: no /proc, /sys, /dev or /run" '^$' -- \
    "${RUN[@]}" -p RootDirectory="$root" "${binds[@]}" -- /usr/bin/sh -c "$API"
check "RootDirectory= with MountAPIVFS=yes: all four" $'^proc\nsys\ndev\nrun$' -- \
    "${RUN[@]}" -p RootDirectory="$root" -p MountAPIVFS=yes "${binds[@]}" -- /usr/bin/sh -c "$API"
check "MountAPIVFS=yes with ProtectKernelTunables=yes: its /sys is read-only" 'Read-only file system' -- \
    "${RUN[@]}" -p RootDirectory="$root" -p MountAPIVFS=yes -p ProtectKernelTunables=yes "${binds[@]}" -- \
    /usr/bin/touch /sys/confine-probe
check "MountAPIVFS=yes with PrivateDevices=yes: the private /dev, without the host's kmsg" '^no kmsg$' -- \
    "${RUN[@]}" -p RootDirectory="$root" -p MountAPIVFS=yes -p PrivateDevices=yes "${binds[@]}" -- \
    /usr/bin/sh -c 'test -e /dev/kmsg && echo kmsg || echo no kmsg'
check "MountAPIVFS=yes without RootDirectory= keeps the host's mounted /proc" '^OK' -- \
    "${RUN[@]}" -p MountAPIVFS=yes -- "$FS" stat /proc/1
rm -rf "$W"

# PrivateUsers=: root in the job's own user namespace has no power over what the host's owns: its mount
# namespace (PrivateMounts=, made before), nor ids outside the map, which it sees as nobody.
check "without PrivateUsers, root's uid map is the host's" '^ +0 +0 +4294967295$' -- \
    "${RUN[@]}" -- cat /proc/self/uid_map
check "PrivateUsers=yes: root maps to itself alone" '^ +0 +0 +1$' -- \
    "${RUN[@]}" -p PrivateUsers=yes -- cat /proc/self/uid_map
check "PrivateUsers=yes User=nobody: root and nobody" $'^ +0 +0 +1\n +65534 +65534 +1$' -- \
    "${RUN[@]}" -p PrivateUsers=yes -p User=nobody -- cat /proc/self/uid_map
check "PrivateUsers=yes PrivateMounts=yes: root's mount() is refused (EPERM)" '^ERR EPERM$' -- \
    "${RUN[@]}" -p PrivateUsers=yes -p PrivateMounts=yes -- "$SYS" mount-tmpfs /tmp
D=$(mktemp -d /run/confine-userns.XXXXXX)
touch "$D/f"
chown 4242:4242 "$D/f"
check "without PrivateUsers, a file of uid 4242 shows as 4242" '^4242$' -- "${RUN[@]}" -- stat -c %u "$D/f"
check "PrivateUsers=yes: it shows as nobody" '^65534$' -- "${RUN[@]}" -p PrivateUsers=yes -- stat -c %u "$D/f"
check "without PrivateUsers, root gives a file to uid 4243" '^OK$' -- \
    "${RUN[@]}" -- sh -c 'chown 4243 "$0" && echo OK' "$D/f"
check "PrivateUsers=yes: root cannot give it to an unmapped uid" 'Invalid argument' -- \
    "${RUN[@]}" -p PrivateUsers=yes -- sh -c 'chown 4244 "$0" && echo OK' "$D/f"
check "… the file kept its owner" '^4243$' -- stat -c %u "$D/f"
rm -rf "$D"

echo "1..$n"
[ $failed -eq 0 ]
