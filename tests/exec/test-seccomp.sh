#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Escape pairs for the seccomp properties, run through confine-exec without D-Bus (TAP).
#
#   test-seccomp.sh [BUILD_DIR]      (or CONFINE_BUILD_DIR=…; run as root)
#
# Each pair runs tests/escape/probe-sys twice through exec-run: first without the property, where the
# system call works, or at least reaches the kernel and fails there (ENOENT for a missing path, EINVAL for
# an invalid time, ENOSYS where the kernel lacks the feature) but never with the filter's answer; then with
# the property, where the filter answers: the errno asked for, EPERM/EAFNOSUPPORT for the Restrict…
# switches, or death by SIGSYS, which exec-run reports as exit 159. Where the host itself may answer EPERM
# (kexec, modules, I/O ports), the filtered run asks for EUCLEAN, which no kernel path gives here.
set -u

build=${CONFINE_BUILD_DIR:-${1:?usage: test-seccomp.sh BUILD_DIR}}
exec_run=$build/tests/exec/exec-run
confine_exec=$build/daemon/exec/confine-exec
probe=$build/tests/escape/probe-sys

count=0
failed=0
scratch=$(mktemp -d /tmp/confine-seccomp.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

if [ "$(id -u)" != 0 ]; then
        echo "1..0 # SKIP the escape tests run as root"
        exit 0
fi
for f in "$exec_run" "$confine_exec" "$probe"; do
        if [ ! -x "$f" ]; then
                echo "Bail out! $f is missing: build first"
                exit 1
        fi
done

point() { # ok|not-ok DESCRIPTION [DIAGNOSTIC]
        count=$((count + 1))
        if [ "$1" = ok ]; then
                echo "ok $count - $2"
        else
                failed=$((failed + 1))
                echo "not ok $count - $2"
                [ -n "${3:-}" ] && echo "#   $3"
        fi
}

# run PROPERTY... -- COMMAND...: sets $outcome to the probe's line, "SIGSYS" for exit 159, or "exit N"
# (124: timed out);
# $stderr to exec-run's stderr.
run() {
        local props=() out rc
        while [ "$1" != -- ]; do
                props+=(-p "$1")
                shift
        done
        shift
        # A job that hangs under a filter is a failure, not a stuck test run.
        out=$(timeout -k 5 60 "$exec_run" --exec="$confine_exec" ${exec_run_flags:-} "${props[@]}" -- "$@" 2>"$scratch/stderr")
        rc=$?
        stderr=$(cat "$scratch/stderr")
        if [ "$rc" = 159 ]; then
                outcome=SIGSYS
        elif [ "$rc" -le 1 ] && [ -n "$out" ]; then
                outcome=$out
        else
                outcome="exit $rc"
        fi
}

# expect DESCRIPTION REGEX PROPERTY... -- ACTION ARGS...: the probe's outcome must match REGEX.
expect() {
        local what=$1 want=$2
        shift 2
        local props=()
        while [ "$1" != -- ]; do
                props+=("$1")
                shift
        done
        shift
        run "${props[@]}" -- "$probe" "$@"
        if [[ $outcome =~ ^($want)$ ]]; then
                point ok "$what: $outcome"
        else
                point not-ok "$what" "expected /$want/, got \"$outcome\"; stderr: $stderr"
        fi
}

# pair NAME UNFILTERED FILTERED PROPERTY... -- ACTION ARGS...: the escape without, then with the properties.
pair() {
        local name=$1 without=$2 with=$3
        shift 3
        local props=()
        while [ "$1" != -- ]; do
                props+=("$1")
                shift
        done
        shift
        expect "$name, without: $*" "$without" -- "$@"
        expect "$name, with ${props[*]}: $*" "$with" "${props[@]}" -- "$@"
}

# refused PROPERTY ERROR-CLASS MESSAGE-REGEX: exec-run refuses the property (exit 2) naming it.
refused() {
        local prop=$1 class=$2 message=$3
        run "$prop" -- /bin/true
        if [ "$outcome" = "exit 2" ] && [[ $stderr =~ $message ]] && [[ $stderr =~ $class ]]; then
                point ok "-p $prop refused: $stderr"
        else
                point not-ok "-p $prop refused as $class" "got \"$outcome\", stderr: $stderr"
        fi
}

EPERM='ERR EPERM'
KERNEL_ENOENT='ERR ENOENT'

# SystemCallFilter=: allow-lists (kill by default) and deny-lists.
pair "allow-list @system-service kills mount()" "$KERNEL_ENOENT" SIGSYS \
        SystemCallFilter=@system-service -- mount
expect "allow-list @system-service still runs the probe" OK SystemCallFilter=@system-service -- noop
pair "allow-list @system-service, errno EPERM" "$KERNEL_ENOENT" "$EPERM" \
        SystemCallFilter=@system-service SystemCallErrorNumber=EPERM -- mount
pair "~@mount kills mount()" "$KERNEL_ENOENT" SIGSYS SystemCallFilter=~@mount -- mount
pair "~@mount, errno EPERM: mount()" "$KERNEL_ENOENT" "$EPERM" \
        SystemCallFilter=~@mount SystemCallErrorNumber=EPERM -- mount
pair "~@mount, errno EPERM: umount2()" "$KERNEL_ENOENT" "$EPERM" \
        SystemCallFilter=~@mount SystemCallErrorNumber=EPERM -- umount
pair "~@debug: ptrace()" OK "$EPERM" SystemCallFilter=~@debug SystemCallErrorNumber=EPERM -- ptrace
pair "~@clock: clock_settime()" 'ERR EINVAL' "$EPERM" \
        SystemCallFilter=~@clock SystemCallErrorNumber=EPERM -- settime
pair "~@swap: swapon()" "$KERNEL_ENOENT" "$EPERM" SystemCallFilter=~@swap SystemCallErrorNumber=EPERM -- swapon
pair "~@module: finit_module()" 'ERR (EBADF|ENOSYS|EPERM)' 'ERR EUCLEAN' \
        SystemCallFilter=~@module SystemCallErrorNumber=EUCLEAN -- init-module
pair "~@raw-io: ioperm()" 'OK|ERR (ENOSYS|EPERM)' 'ERR EUCLEAN' \
        SystemCallFilter=~@raw-io SystemCallErrorNumber=EUCLEAN -- ioperm
pair "~@reboot: kexec_load()" 'ERR (EINVAL|ENOSYS|EPERM)' 'ERR EUCLEAN' \
        SystemCallFilter=~@reboot SystemCallErrorNumber=EUCLEAN -- kexec-load
pair "~@reboot kills kexec_load()" 'ERR (EINVAL|ENOSYS|EPERM)' SIGSYS SystemCallFilter=~@reboot -- kexec-load
pair "~@obsolete: ustat()" 'ERR EINVAL' "$EPERM" \
        SystemCallFilter=~@obsolete SystemCallErrorNumber=EPERM -- ustat
pair "~@cpu-emulation: modify_ldt()" OK "$EPERM" \
        SystemCallFilter=~@cpu-emulation SystemCallErrorNumber=EPERM -- modify-ldt
pair "~@keyring: add_key()" 'ERR (ENODEV|ENOSYS)' "$EPERM" \
        SystemCallFilter=~@keyring SystemCallErrorNumber=EPERM -- add-key
pair "~@privileged: chroot()" OK "$EPERM" \
        SystemCallFilter=~@privileged SystemCallErrorNumber=EPERM -- chroot
pair "~@privileged reaches nested @clock: clock_settime()" 'ERR EINVAL' "$EPERM" \
        SystemCallFilter=~@privileged SystemCallErrorNumber=EPERM -- settime
# systemd.exec(5): "Deny-listed system calls and system call groups may optionally be suffixed with a
# colon and errno error number (between 0 and 4095) or errno name", which takes precedence over
# SystemCallErrorNumber=; "kill" kills. The per-call errno goes through libseccomp, not the compact ranges.
pair "~chroot:EUCLEAN: per-call errno" OK 'ERR EUCLEAN' SystemCallFilter=~chroot:EUCLEAN -- chroot
pair "~@privileged:EUCLEAN with SystemCallErrorNumber=EPERM: the per-call errno wins" OK 'ERR EUCLEAN' \
        SystemCallFilter=~@privileged:EUCLEAN SystemCallErrorNumber=EPERM -- chroot
pair "~chroot:117 (a number: EUCLEAN)" OK 'ERR EUCLEAN' SystemCallFilter=~chroot:117 -- chroot
pair "~@debug:EUCLEAN ~@privileged, SystemCallErrorNumber=EPERM: chroot() keeps EPERM" OK "$EPERM" \
        SystemCallFilter=~@debug:EUCLEAN SystemCallFilter=~@privileged SystemCallErrorNumber=EPERM -- chroot
pair "~chroot:kill with SystemCallErrorNumber=EPERM: killed" OK SIGSYS \
        SystemCallFilter=~chroot:kill SystemCallErrorNumber=EPERM -- chroot
pair "~chroot:EUCLEAN then ~chroot:EPERM: the last errno given wins" OK "$EPERM" \
        SystemCallFilter=~chroot:EUCLEAN SystemCallFilter=~chroot:EPERM -- chroot

# SystemCallLog= (systemd.exec(5)): the listed calls are logged (SECCOMP_RET_LOG), nothing is refused;
# for a job without CAP_SYS_ADMIN it implies NoNewPrivileges=yes like any seccomp property.
run -- /bin/sh -c 'grep "^Seccomp:" /proc/self/status'
[[ $outcome =~ ^Seccomp:[[:space:]]0$ ]] && point ok "without SystemCallLog=: no filter" ||
        point not-ok "without SystemCallLog=: no filter" "got \"$outcome\": $stderr"
run SystemCallLog=uname -- /bin/sh -c 'uname >/dev/null && grep "^Seccomp:" /proc/self/status'
[[ $outcome =~ ^Seccomp:[[:space:]]2$ ]] && point ok "SystemCallLog=uname: a filter, and uname() still works" ||
        point not-ok "SystemCallLog=uname: a filter, uname() works" "got \"$outcome\": $stderr"
run User=nobody SystemCallLog=~@basic-io -- /bin/sh -c 'grep "^NoNewPrivs:" /proc/self/status'
[[ $outcome =~ ^NoNewPrivs:[[:space:]]1$ ]] && point ok "User=nobody, SystemCallLog=~@basic-io: NoNewPrivileges implied" ||
        point not-ok "User=nobody, SystemCallLog=: NoNewPrivileges implied" "got \"$outcome\": $stderr"
pair "SystemCallLog=chroot with ~chroot:EUCLEAN: the denial wins over logging" OK 'ERR EUCLEAN' \
        SystemCallLog=chroot SystemCallFilter=~chroot:EUCLEAN -- chroot
refused SystemCallLog=uname:EPERM InvalidProperty 'cannot take an error|only a denied'

# Merging, as in systemd: a deny assignment removes names from an allow-list, and the other way round.
expect "allow-list @system-service @mount allows mount()" "$KERNEL_ENOENT" \
        "SystemCallFilter=@system-service @mount" -- mount
expect "… then ~mount removes it again" SIGSYS \
        "SystemCallFilter=@system-service @mount" SystemCallFilter=~mount -- mount
expect "deny-list ~@mount, then mount: mount() allowed again" "$KERNEL_ENOENT" \
        SystemCallFilter=~@mount SystemCallFilter=mount SystemCallErrorNumber=EPERM -- mount
expect "… while umount2() stays denied" "$EPERM" \
        SystemCallFilter=~@mount SystemCallFilter=mount SystemCallErrorNumber=EPERM -- umount
expect "SystemCallFilter= (empty) resets the filter" "$KERNEL_ENOENT" \
        SystemCallFilter=~@mount SystemCallFilter= -- mount

# MemoryDenyWriteExecute=
pair "MemoryDenyWriteExecute: mmap(RWX)" OK "$EPERM" MemoryDenyWriteExecute=yes -- mmap-wx
pair "MemoryDenyWriteExecute: mprotect(RW → RX)" OK "$EPERM" MemoryDenyWriteExecute=yes -- mprotect-x

# LockPersonality=
pair "LockPersonality: personality(PER_LINUX32)" OK "$EPERM" LockPersonality=yes -- personality
expect "LockPersonality still lets the persona be queried" OK LockPersonality=yes -- personality-query
if command -v setarch >/dev/null && setarch "$(uname -m)" -R true 2>/dev/null; then
        # Started with another persona (ADDR_NO_RANDOMIZE), the job keeps it and cannot drop it.
        out=$(setarch "$(uname -m)" -R "$exec_run" --exec="$confine_exec" -p LockPersonality=yes -- /bin/sh -c \
                'setarch "$(uname -m)" -R true && echo same; setarch "$(uname -m)" true 2>/dev/null || echo refused')
        [ "$out" = "$(printf 'same\nrefused')" ] && point ok "LockPersonality keeps a non-default persona" ||
                point not-ok "LockPersonality keeps a non-default persona" "got \"$out\""
fi

# RestrictSUIDSGID=, on files in a private directory.
touch "$scratch/suid" "$scratch/sgid"
chmod 0755 "$scratch/suid" "$scratch/sgid"
pair "RestrictSUIDSGID: chmod u+s" OK "$EPERM" RestrictSUIDSGID=yes -- chmod-suid "$scratch/suid"
mode=$(stat -c %a "$scratch/suid")
chmod 0755 "$scratch/suid"
run RestrictSUIDSGID=yes -- "$probe" chmod-suid "$scratch/suid"
[ "$(stat -c %a "$scratch/suid")" = 755 ] && [ "$mode" = 4755 ] &&
        point ok "RestrictSUIDSGID: the mode stayed 755 (it became $mode without the property)" ||
        point not-ok "RestrictSUIDSGID: mode check" "without: $mode, with: $(stat -c %a "$scratch/suid")"
pair "RestrictSUIDSGID: chmod g+s" OK "$EPERM" RestrictSUIDSGID=yes -- chmod-sgid "$scratch/sgid"
expect "RestrictSUIDSGID: a plain chmod still works" OK RestrictSUIDSGID=yes -- chmod-plain "$scratch/suid"
expect "RestrictSUIDSGID, without: create a set-user-ID file" OK -- creat-suid "$scratch/created-1"
expect "RestrictSUIDSGID, with: create a set-user-ID file" "$EPERM" RestrictSUIDSGID=yes -- \
        creat-suid "$scratch/created-2"

# RestrictNamespaces=
pair "RestrictNamespaces=yes: unshare(CLONE_NEWUSER)" OK "$EPERM" RestrictNamespaces=yes -- unshare-user
pair "RestrictNamespaces=yes: unshare(CLONE_NEWNET)" OK "$EPERM" RestrictNamespaces=yes -- unshare-net
expect "RestrictNamespaces=user allows a user namespace" OK RestrictNamespaces=user -- unshare-user
expect "RestrictNamespaces=user refuses a network namespace" "$EPERM" RestrictNamespaces=user -- unshare-net
expect "RestrictNamespaces=~user refuses a user namespace" "$EPERM" RestrictNamespaces=~user -- unshare-user
expect "RestrictNamespaces=~user allows an IPC namespace" OK RestrictNamespaces=~user -- unshare-ipc

# RestrictAddressFamilies=
pair "RestrictAddressFamilies=AF_UNIX: AF_INET socket" OK 'ERR EAFNOSUPPORT' \
        RestrictAddressFamilies=AF_UNIX -- socket-inet
expect "RestrictAddressFamilies=AF_UNIX: AF_UNIX socket works" OK RestrictAddressFamilies=AF_UNIX -- socket-unix
pair "RestrictAddressFamilies=~AF_PACKET: AF_PACKET socket" OK 'ERR EAFNOSUPPORT' \
        RestrictAddressFamilies=~AF_PACKET -- socket-packet
expect "RestrictAddressFamilies=~AF_PACKET: AF_INET socket works" OK \
        RestrictAddressFamilies=~AF_PACKET -- socket-inet
expect "RestrictAddressFamilies=none: AF_UNIX socket" 'ERR EAFNOSUPPORT' RestrictAddressFamilies=none -- socket-unix

# RestrictRealtime=
pair "RestrictRealtime: SCHED_FIFO" OK "$EPERM" RestrictRealtime=yes -- sched-fifo

# SystemCallArchitectures=native: an x32 call (x86-64's audit arch with __X32_SYSCALL_BIT) is killed.
if [ "$(uname -m)" = x86_64 ]; then
        pair "SystemCallArchitectures=native: x32 getpid()" 'OK|ERR ENOSYS' SIGSYS \
                SystemCallArchitectures=native -- x32-syscall
        expect "SystemCallArchitectures=x86-64 is native too" OK SystemCallArchitectures=x86-64 -- noop
        # Without it, a kernel that runs x32 calls gets an x32 filter too: x32 getpid() meets ~getpid.
        # A kernel without x32 answers ENOSYS before any of its code runs, with or without a filter,
        # and confine then builds none (it would guard nothing).
        run -- "$probe" x32-syscall
        if [ "$outcome" = "ERR ENOSYS" ]; then
                pair "x32 calls on a kernel without x32: ~getpid" 'ERR ENOSYS' 'ERR ENOSYS' \
                        SystemCallFilter=~getpid SystemCallErrorNumber=EUCLEAN -- x32-syscall
        else
                pair "x32 calls are filtered too: ~getpid" 'OK' 'ERR EUCLEAN' \
                        SystemCallFilter=~getpid SystemCallErrorNumber=EUCLEAN -- x32-syscall
        fi
else
        point ok "SystemCallArchitectures=native: x32 # SKIP not an x86-64 host"
fi

# Everything at once still runs an ordinary program.
run SystemCallFilter=@system-service SystemCallArchitectures=native MemoryDenyWriteExecute=yes \
        LockPersonality=yes RestrictSUIDSGID=yes RestrictRealtime=yes RestrictNamespaces=yes \
        RestrictAddressFamilies="AF_UNIX AF_INET AF_INET6" -- /bin/sh -c 'echo OK'
[ "$outcome" = OK ] && point ok "all seccomp properties at once: /bin/sh runs" ||
        point not-ok "all seccomp properties at once: /bin/sh runs" "got \"$outcome\": $stderr"

# The kernel takes a filter from a process without CAP_SYS_ADMIN only under no_new_privs. As in systemd,
# a seccomp property then implies NoNewPrivileges=yes, and overrides an explicit NoNewPrivileges=no
# (systemd.exec(5): "certain settings override this and ignore the value of this setting").
run User=nobody SystemCallFilter=~@mount -- /bin/sh -c 'grep "^NoNewPrivs:" /proc/self/status'
[[ $outcome =~ ^NoNewPrivs:[[:space:]]1$ ]] && point ok "User=nobody, NoNewPrivileges unset: implied, filter loads" ||
        point not-ok "User=nobody, NoNewPrivileges unset: implied" "got \"$outcome\": $stderr"
run User=nobody NoNewPrivileges=no SystemCallFilter=~@mount -- /bin/sh -c 'grep "^NoNewPrivs:" /proc/self/status'
[[ $outcome =~ ^NoNewPrivs:[[:space:]]1$ ]] && point ok "User=nobody, NoNewPrivileges=no: overridden, NoNewPrivs 1" ||
        point not-ok "User=nobody, NoNewPrivileges=no: overridden by the filter" "got \"$outcome\": $stderr"
run NoNewPrivileges=no SystemCallFilter=~@mount -- /bin/sh -c 'grep "^NoNewPrivs:" /proc/self/status'
[[ $outcome =~ ^NoNewPrivs:[[:space:]]0$ ]] && point ok "root job, NoNewPrivileges=no: keeps CAP_SYS_ADMIN, no NNP" ||
        point not-ok "root job, NoNewPrivileges=no: no NNP" "got \"$outcome\": $stderr"
run User=nobody NoNewPrivileges=yes SystemCallFilter=~@mount -- /bin/true
[ "$outcome" = "exit 0" ] && point ok "User=nobody, NoNewPrivileges=yes: filter loads" ||
        point not-ok "User=nobody, NoNewPrivileges=yes: filter loads" "got \"$outcome\": $stderr"
run SystemCallFilter=~@mount -- /bin/sh -c 'grep "^NoNewPrivs:" /proc/self/status'
[[ $outcome =~ ^NoNewPrivs:[[:space:]]0$ ]] && point ok "root job: CAP_SYS_ADMIN, no_new_privs left alone" ||
        point not-ok "root job: no_new_privs left alone" "got \"$outcome\": $stderr"

# confine-exec loads the filters the daemon compiled; a spec that asks for a filter but carries none
# (a daemon bug, or a spec not from confined) must not start the job unfiltered.
exec_run_flags=--without-seccomp-programs run SystemCallFilter=~@mount -- /bin/true
[ "$outcome" = "exit 125" ] && [[ $stderr =~ seccomp.*carries\ no\ program ]] &&
        point ok "a spec without its compiled filters fails: $stderr" ||
        point not-ok "a spec without its compiled filters fails at the seccomp step" "got \"$outcome\": $stderr"

# Names confine does not know are errors, not ignored as systemd ignores them.
refused SystemCallFilter=@nosuchgroup InvalidProperty 'SystemCallFilter: unknown system call or group "@nosuchgroup"'
refused SystemCallFilter=~nosuchcall InvalidProperty 'SystemCallFilter: unknown system call or group "nosuchcall"'
refused SystemCallFilter=~execve InvalidProperty 'execve cannot be denied'
refused SystemCallFilter=read:EPERM InvalidProperty 'not one of an allow-list'
refused SystemCallFilter=~chroot:EBOGUS InvalidProperty 'invalid error number'
refused SystemCallFilter=~chroot:4096 InvalidProperty 'invalid error number'
refused SystemCallArchitectures=x86 NotSupported 'only the native architecture'
refused SystemCallArchitectures=vax InvalidProperty 'unknown architecture "vax"'
refused RestrictAddressFamilies=AF_NOPE InvalidProperty 'unknown address family "AF_NOPE"'
refused SystemCallErrorNumber=EBOGUS '' 'invalid error number'
refused RestrictNamespaces=bogus '' 'invalid namespace list'

echo "1..$count"
[ "$failed" = 0 ]
