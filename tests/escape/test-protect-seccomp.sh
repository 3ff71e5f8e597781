#!/bin/bash
# The system call denials that PrivateDevices=, ProtectKernelModules= and ProtectHostname= bring,
# as in systemd: @raw-io, @module, sethostname/setdomainname, all EPERM. Each pair runs the probe
# through exec-run (no D-Bus) as root, without and with the property.
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

# "Without" means the call reaches the kernel: it succeeds, or the kernel itself says no (ENOSYS
# on kernels built without ioperm or module support, EBADF for the bad fd) — never EPERM.
check "without PrivateDevices, ioperm() (@raw-io) reaches the kernel" '^(OK|ERR ENOSYS)$' -- "${RUN[@]}" -- "$SYS" ioperm
check "PrivateDevices=yes denies ioperm() with EPERM" '^ERR EPERM' -- "${RUN[@]}" -p PrivateDevices=yes -- "$SYS" ioperm
check "without ProtectKernelModules, finit_module() reaches the kernel" '^ERR (EBADF|ENOSYS)$' -- \
    "${RUN[@]}" -- "$SYS" init-module
check "ProtectKernelModules=yes denies finit_module() with EPERM" '^ERR EPERM' -- \
    "${RUN[@]}" -p ProtectKernelModules=yes -- "$SYS" init-module
# Without ProtectHostname the job shares the host's UTS namespace, where sethostname() would rename
# the host: the "without" half runs in a UTS namespace of its own (PrivateIPC does not give one, so
# use unshare), showing that root can rename a private UTS namespace unless the property denies it.
check "without ProtectHostname, root renames a UTS namespace of its own" '^OK' -- \
    "${RUN[@]}" -- unshare --uts "$FS" sethostname confine-test
check "ProtectHostname=yes denies sethostname() inside its own UTS namespace (EPERM)" '^ERR EPERM' -- \
    "${RUN[@]}" -p ProtectHostname=yes -- "$FS" sethostname confine-test
check "the host's name is unchanged" "^$(hostname)\$" -- hostname
# With SystemCallFilter=, the denials it makes anyway are left out of the protections' filter (the
# verdict is the same); what it allows, the protections still deny.
check "PrivateDevices=yes with SystemCallFilter=@system-service (no @raw-io): ioperm() is killed" '^$' -- \
    "${RUN[@]}" -p PrivateDevices=yes -p SystemCallFilter=@system-service -- "$SYS" ioperm
check "PrivateDevices=yes with SystemCallFilter=@system-service @raw-io: ioperm() gets EPERM" '^ERR EPERM' -- \
    "${RUN[@]}" -p PrivateDevices=yes -p "SystemCallFilter=@system-service @raw-io" -- "$SYS" ioperm
check "PrivateDevices=yes with SystemCallFilter=~@raw-io and errno EUCLEAN: EUCLEAN wins" '^ERR EUCLEAN' -- \
    "${RUN[@]}" -p PrivateDevices=yes -p SystemCallFilter=~@raw-io -p SystemCallErrorNumber=EUCLEAN -- "$SYS" ioperm
check "PrivateDevices=yes with SystemCallFilter=~@mount: ioperm() gets EPERM" '^ERR EPERM' -- \
    "${RUN[@]}" -p PrivateDevices=yes -p SystemCallFilter=~@mount -- "$SYS" ioperm

echo "1..$n"
[ $failed -eq 0 ]
