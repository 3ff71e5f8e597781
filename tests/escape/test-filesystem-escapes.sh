#!/bin/bash
# The escape pair of RestrictFileSystems= (a BPF LSM program on file_open): from inside the job,
# a file on tmpfs is read without the property, and with it (as a deny-list naming tmpfs, or an
# allow-list without it) the open fails with EPERM; the rest still opens. A nested job is held by
# its parent's list. Where this host cannot run a BPF LSM program, the request must be NotSupported
# naming the property, and the pairs skip with the reason; tests/vm runs them on Debian 12, whose
# kernel has the BPF LSM active. Run under tests/with-bus.
set -uo pipefail

BUILD=${CONFINE_BUILD_DIR:?}
C=${CONFINE_CONFINECTL:-$BUILD/client/confinectl}

# shellcheck source=../tap.sh
. "$(dirname "$0")/../tap.sh"
skip() { n=$((n + 1)); echo "ok $n - # SKIP $*"; }

secret=$(mktemp /dev/shm/confine-rfs.XXXXXX)
echo tmpfs-secret >"$secret"
chmod 0644 "$secret"
trap 'rm -f "$secret"' EXIT
[[ $(stat -f -c %T "$secret") == tmpfs ]] || { echo "Bail out! /dev/shm is not tmpfs here"; exit 1; }
root_fs=$(stat -f -c %T /usr/bin/cat)
[[ $root_fs == ext2/ext3 ]] && root_fs=ext4

probe=$("$C" run -p RestrictFileSystems=~tmpfs -- true </dev/null 2>&1)
rc=$?
if [[ $rc == 125 && $probe =~ RestrictFileSystems:.*NotSupported ]]; then
    lsm=$(cat /sys/kernel/security/lsm 2>/dev/null)
    # Where the kernel lets no BTF-attached program load (EPERM), the LSM is off, or the kernel has
    # no BTF or no BPF LSM hooks, this host cannot; anything else (a verifier refusal of our own
    # program, ENOSPC, EINVAL) is a failure, never a skip.
    if [[ $probe =~ \(EPERM\)|not\ active|securityfs|no\ writable\ cgroup|BTF.*cannot\ be\ read|BTF\ lacks ]]; then
        skip "RestrictFileSystems: this host cannot run a BPF LSM program (LSMs: ${lsm:-unknown}): ${probe#*Spawn: }"
        ok "RestrictFileSystems=~tmpfs here: NotSupported naming RestrictFileSystems, nothing runs"
    else
        not_ok "RestrictFileSystems=~tmpfs: refused, but not for a reason of this host"
        echo "#   $probe"
    fi
    tap_done
    exit
fi

echo "# RestrictFileSystems: the program loads here (LSMs: $(cat /sys/kernel/security/lsm 2>/dev/null))"
expect "RestrictFileSystems: without it, the job reads a file on tmpfs" 0 'tmpfs-secret' -- \
    "$C" run -- cat "$secret"
expect "RestrictFileSystems=~tmpfs: the open of the tmpfs file fails (EPERM)" 1 'Operation not permitted' -- \
    "$C" run -p RestrictFileSystems=~tmpfs -- cat "$secret"
# (Not /dev/null: devtmpfs has tmpfs's magic, so ~tmpfs holds /dev too, as in systemd.)
expect "RestrictFileSystems=~tmpfs: a file on $root_fs and /proc still open" 0 'root:.*Linux version' -- \
    "$C" run -p RestrictFileSystems=~tmpfs -- sh -c 'head -1 /etc/passwd && cat /proc/version'
expect "RestrictFileSystems=~@temporary: the group holds tmpfs (EPERM)" 1 'Operation not permitted' -- \
    "$C" run -p RestrictFileSystems=~@temporary -- cat "$secret"
expect "RestrictFileSystems=~proc: /proc/version fails (EPERM), the tmpfs file reads" 0 \
    $'Operation not permitted.*\ntmpfs-secret' -- \
    "$C" run -p RestrictFileSystems=~proc -- sh -c "cat /proc/version; cat $secret"
expect "RestrictFileSystems=$root_fs @basic-api (an allow-list): /proc reads, the tmpfs file fails (EPERM)" 1 \
    $'Linux version.*Operation not permitted' -- \
    "$C" run -p "RestrictFileSystems=$root_fs @basic-api" -- sh -c "cat /proc/version && cat $secret"
expect "RestrictFileSystems=~tmpfs as nobody: EPERM too" 1 'Operation not permitted' -- \
    setpriv --reuid=65534 --regid=65534 --clear-groups "$C" run -p RestrictFileSystems=~tmpfs -- cat "$secret"
# A nested job, started from inside the restricted one with confinectl, is held by the parent's list.
bus=${DBUS_SYSTEM_BUS_ADDRESS:-unix:path=/run/dbus/system_bus_socket}
expect "RestrictFileSystems=~tmpfs: a job nested in the job cannot open it either (EPERM)" 1 \
    'Operation not permitted' -- \
    "$C" run -p RestrictFileSystems=~tmpfs -p "Environment=DBUS_SYSTEM_BUS_ADDRESS=$bus" -- "$C" run -- cat "$secret"
# The entries go with the job: the next job without the property reads the file again.
expect "RestrictFileSystems: after the restricted jobs, a job without it reads the file again" 0 'tmpfs-secret' -- \
    "$C" run -- cat "$secret"

tap_done
