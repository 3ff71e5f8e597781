#!/bin/bash
# Executor tests for the mount properties: confine-exec driven by exec-run, no bus, as root.
# They check how the job's tree is built (order, prefixes, options, failures and their detail);
# tests/escape/test-fs-escapes.sh shows that each property blocks what it should.
#
#   test-mounts.sh [BUILD_DIR]      (or CONFINE_BUILD_DIR)
set -uo pipefail

BUILD=${CONFINE_BUILD_DIR:-${1:-}}
if [ -z "$BUILD" ]; then
    echo "Usage: $0 BUILD_DIR (or set CONFINE_BUILD_DIR)" >&2
    exit 2
fi
BUILD=$(readlink -f "$BUILD")
RUN=("$BUILD/tests/exec/exec-run" "--exec=$BUILD/daemon/exec/confine-exec")

if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP needs root (mount namespaces)"
    exit 0
fi

n=0 failed=0
work=$(mktemp -d /tmp/confine-mounts.XXXXXX)
chmod 0755 "$work"
mounts=()
cleanup() {
    local i
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[$i]}" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }

# expect DESC WANT_RC WANT_OUT_REGEX -- [-p Name=Value]... -- shell command
expect() {
    local desc=$1 want_rc=$2 want_out=$3 props=() out rc
    shift 4
    while [ "$1" != "--" ]; do props+=("$1"); shift; done
    shift
    out=$("${RUN[@]}" "${props[@]}" -- sh -c "$1" 2>&1 </dev/null)
    rc=$?
    if [[ "$rc" =~ ^($want_rc)$ ]] && [[ "$out" =~ $want_out ]]; then
        ok "$desc"
    else
        not_ok "$desc"
        echo "#   wanted rc=$want_rc and output ~ /$want_out/; got rc=$rc:"
        printf '%s\n' "$out" | sed 's/^/#   /' | head -20
    fi
}

W='[ -w "$0" ] && echo rw || echo ro' # sh -c "$W" PATH: is PATH on a writable mount?
rw() { echo "sh -c '$W' $1"; }

mkdir -p "$work/a/sub" "$work/b" "$work/src/sub" "$work/dst"
mount -t tmpfs -o size=1m tmpfs "$work/src/sub" && mounts+=("$work/src/sub")
touch "$work/src/sub/marker"

# --- failures name the property and the path; "-" ignores a missing path
expect "ReadOnlyPaths=/nonexistent: the spawn fails at step mount, ENOENT, naming the property" 125 \
    'mount ReadOnlyPaths=/nonexistent: No such file or directory' -- -p ReadOnlyPaths=/nonexistent -- true
expect "ReadOnlyPaths=-/nonexistent: ignored" 0 '^$' -- -p ReadOnlyPaths=-/nonexistent -- true
expect "InaccessiblePaths=/nonexistent: fails with ENOENT" 125 'mount InaccessiblePaths=/nonexistent: No such file' -- \
    -p InaccessiblePaths=/nonexistent -- true
expect "BindPaths=/nonexistent:/mnt: fails with ENOENT, naming source and destination" 125 \
    'mount BindPaths=/nonexistent:/mnt: No such file' -- -p BindPaths=/nonexistent:/mnt -- true
expect "BindPaths=-/nonexistent:/mnt: ignored" 0 '^$' -- -p BindPaths=-/nonexistent:/mnt -- true

# --- missing mount points are created as systemd's namespace.c creates them: a directory, or an empty
# file for a bind of a file; inside a tmpfs made for the job always, elsewhere only where the job's user
# could create it, never through a symlink; otherwise the error names the property and the path.
expect "BindPaths=DIR:MISSING: the destination directory is created (and stays, as in systemd)" 0 '^d marker$' -- \
    -p "BindPaths=$work/src/sub:$work/new/dir" -- "echo \$(stat -c %F $work/new/dir | cut -c1) \$(ls $work/new/dir)"
expect "BindReadOnlyPaths=FILE:MISSING: an empty file is created as the mount point" 0 '^regular' -- \
    -p "BindReadOnlyPaths=/etc/hostname:$work/new/file" -- "stat -c %F $work/new/file"
[ -f "$work/new/file" ] && [ ! -s "$work/new/file" ] && ok "the created mount point is an empty file on the host" ||
        not_ok "the created mount point is an empty file on the host"
expect "TemporaryFileSystem=MISSING: the directory is created" 0 '^rw$' -- \
    -p "TemporaryFileSystem=$work/new/tmpfs" -- "$(rw "$work/new/tmpfs")"
expect "TemporaryFileSystem=/etc + BindReadOnlyPaths=/etc/hostname: created inside the job's tmpfs" 0 '^hostname$' -- \
    -p TemporaryFileSystem=/etc -p BindReadOnlyPaths=/etc/hostname -- "ls /etc"
[ ! -e "$work/nobody" ] && mkdir "$work/nobody" && chmod 0755 "$work/nobody"
expect "User=nobody + TemporaryFileSystem=/etc + BindReadOnlyPaths=/etc/hostname: as root inside the tmpfs" 0 \
    '^hostname$' -- -p User=nobody -p TemporaryFileSystem=/etc -p BindReadOnlyPaths=/etc/hostname -- "ls /etc"
expect "User=nobody + BindPaths=/tmp:ROOT_OWNED/x: nobody cannot create it, the error names property and path" 125 \
    "mount BindPaths=/tmp:$work/nobody/x: create the mount point: Permission denied" -- \
    -p User=nobody -p "BindPaths=/tmp:$work/nobody/x" -- true
[ ! -e "$work/nobody/x" ] && ok "... and nothing was created" || not_ok "... and nothing was created"
chown 65534 "$work/nobody"
expect "User=nobody + BindPaths=/tmp:NOBODY_OWNED/x: created" 0 '^$' -- \
    -p User=nobody -p "BindPaths=/tmp:$work/nobody/x" -- true
[ "$(stat -c %u "$work/nobody/x")" = 65534 ] && ok "... with nobody's ids" || not_ok "... with nobody's ids"
mkdir -p "$work/elsewhere"
ln -s "$work/elsewhere/target" "$work/dangling"
expect "BindPaths=/tmp:DANGLING_SYMLINK: never created through a symlink" 125 \
    "mount BindPaths=/tmp:$work/dangling: create the mount point: Too many levels of symbolic links" -- \
    -p "BindPaths=/tmp:$work/dangling" -- true
[ ! -e "$work/elsewhere/target" ] && ok "... and the symlink's target was not created" ||
        not_ok "... and the symlink's target was not created"
expect "RootDirectory=/nonexistent: fails with ENOENT" 125 'mount RootDirectory=/nonexistent: No such file' -- \
    -p RootDirectory=/nonexistent -- true
expect "ReadOnlyPaths=/proc/self/root/etc: magic links are refused (ELOOP)" 125 'Too many levels of symbolic links' -- \
    -p ReadOnlyPaths=/proc/self/root/etc -- true

# --- read-only, and what stays writable
expect "ReadOnlyPaths: the path and its submount are read-only, its sibling is not" 0 '^ro ro rw$' -- \
    -p "ReadOnlyPaths=$work/src" -- "echo \$($(rw "$work/src")) \$($(rw "$work/src/sub")) \$($(rw "$work/a"))"
expect "ReadOnlyPaths + ReadWritePaths on the same path: read-only wins" 0 '^ro$' -- \
    -p "ReadOnlyPaths=$work/a" -p "ReadWritePaths=$work/a" -- "$(rw "$work/a")"
expect "ReadWritePaths below ReadOnlyPaths: the hole is writable, its parent not" 0 '^ro rw$' -- \
    -p "ReadOnlyPaths=$work/a" -p "ReadWritePaths=$work/a/sub" -- "echo \$($(rw "$work/a")) \$($(rw "$work/a/sub"))"
expect "ReadOnlyPaths below ReadWritePaths below ProtectSystem=strict: ro, rw, ro" 0 '^ro rw ro$' -- \
    -p ProtectSystem=strict -p "ReadWritePaths=$work/src" -p "ReadOnlyPaths=$work/src/sub" -- \
    "echo \$($(rw /usr)) \$($(rw "$work/src")) \$($(rw "$work/src/sub"))"
expect "ProtectSystem=strict: /dev, /proc, /sys stay writable, /etc and /var do not" 0 '^rw rw rw ro ro$' -- \
    -p ProtectSystem=strict -- "echo \$($(rw /dev/shm)) \$($(rw /proc/sys/vm/swappiness)) \$($(rw /sys/fs/cgroup)) \$($(rw /etc)) \$($(rw /var))"
expect "ProtectSystem=strict + PrivateTmp=yes: /tmp and /var/tmp are writable" 0 '^rw rw$' -- \
    -p ProtectSystem=strict -p PrivateTmp=yes -- "echo \$($(rw /tmp)) \$($(rw /var/tmp))"
expect "ProtectSystem=strict + TemporaryFileSystem: the tmpfs is writable" 0 '^rw$' -- \
    -p ProtectSystem=strict -p "TemporaryFileSystem=$work/b" -- "$(rw "$work/b")"
expect "ProtectSystem=strict + BindPaths: the bind is writable" 0 '^rw$' -- \
    -p ProtectSystem=strict -p "BindPaths=$work/a:$work/b" -- "$(rw "$work/b")"
expect "ProtectKernelTunables=yes: /sys is read-only but /sys/fs/cgroup is left to ProtectControlGroups=" 0 '^ro rw$' -- \
    -p ProtectKernelTunables=yes -- "echo \$($(rw /sys/kernel)) \$($(rw /sys/fs/cgroup))"
expect "ProtectKernelTunables=yes + ProtectControlGroups=yes: both read-only" 0 '^ro ro$' -- \
    -p ProtectKernelTunables=yes -p ProtectControlGroups=yes -- "echo \$($(rw /sys/kernel)) \$($(rw /sys/fs/cgroup))"
expect "the host's tree is untouched after a strict job" 0 '' -- -- true
if touch "$work/host-writable" 2>/dev/null; then ok "the host's $work is still writable"; else not_ok "the host's $work is still writable"; fi

# --- binds: recursive or not, by fd
expect "BindPaths (rbind, the default): the source's submount comes along" 0 '^marker$' -- \
    -p "BindPaths=$work/src:$work/dst" -- "ls $work/dst/sub"
expect "BindPaths with :norbind: the submount does not" 0 '^$' -- \
    -p "BindPaths=$work/src:$work/dst:norbind" -- "ls $work/dst/sub"
expect "BindReadOnlyPaths: the bind and its submount are read-only" 0 '^ro ro$' -- \
    -p "BindReadOnlyPaths=$work/src:$work/dst" -- "echo \$($(rw "$work/dst")) \$($(rw "$work/dst/sub"))"
expect "BindPaths and ReadOnlyPaths on one destination: read-only wins" 0 '^ro$' -- \
    -p "BindPaths=$work/src:$work/dst" -p "ReadOnlyPaths=$work/dst" -- "$(rw "$work/dst")"
expect "BindPaths of a file" 0 '^root:' -- -p "BindReadOnlyPaths=/etc/passwd:$work/src/sub/marker" -- \
    "head -c5 $work/src/sub/marker"

# --- TemporaryFileSystem options
expect "TemporaryFileSystem: default mode 0755, nosuid, nodev" 0 '^755 .*nosuid.*nodev' -- \
    -p "TemporaryFileSystem=$work/b" -- "echo \$(stat -c %a $work/b) \$(grep ' $work/b ' /proc/self/mountinfo)"
expect "TemporaryFileSystem=PATH:mode=0700,size=1m,noexec" 0 '^700 .*noexec.*size=1024k' -- \
    -p "TemporaryFileSystem=$work/b:mode=0700,size=1m,noexec" -- \
    "echo \$(stat -c %a $work/b) \$(grep ' $work/b ' /proc/self/mountinfo)"
expect "TemporaryFileSystem=PATH:ro is read-only" 0 '^ro$' -- -p "TemporaryFileSystem=$work/b:ro" -- "$(rw "$work/b")"

# --- ProtectHome=tmpfs modes
expect "ProtectHome=tmpfs: /home is 0755, /root is 0700, both read-only" 0 '^755 700 ro ro$' -- \
    -p ProtectHome=tmpfs -- "echo \$(stat -c %a /home) \$(stat -c %a /root) \$($(rw /home)) \$($(rw /root))"

# --- PrivateDevices
expect "PrivateDevices=yes: /dev is read-only, nosuid, noexec; /dev/shm writable; ptmx works" 0 \
    '^ro rw ro,nosuid,nodev,noexec[^ ]* pty$' -- -p PrivateDevices=yes -- \
    "echo \$($(rw /dev)) \$($(rw /dev/shm)) \$(awk '\$5 == \"/dev\" { o = \$6 } END { print o }' /proc/self/mountinfo) \$(exec 3<>/dev/ptmx && echo pty)"
expect "PrivateDevices=yes + ProtectSystem=strict: /dev/shm stays writable" 0 '^rw$' -- \
    -p PrivateDevices=yes -p ProtectSystem=strict -- "$(rw /dev/shm)"

# --- RootDirectory: "+" paths are inside the root, plain paths are host paths
root=$work/root
mkdir -p "$root/usr" "$root/data" "$root/mnt" "$root/proc"
for d in bin sbin lib lib32 lib64; do
    if [ -L "/$d" ]; then ln -s "$(readlink "/$d")" "$root/$d"; elif [ -d "/$d" ]; then mkdir "$root/$d"; fi
done
ln -s /data "$root/link"
ROOT=(-p "RootDirectory=$root" -p "BindReadOnlyPaths=/usr:/usr")
for d in bin sbin lib lib32 lib64; do
    [ -d "/$d" ] && [ ! -L "/$d" ] && ROOT+=(-p "BindReadOnlyPaths=/$d:/$d")
done
expect "RootDirectory: the job runs in the root, its /data writable" 0 '^rw$' -- "${ROOT[@]}" -- "$(rw /data)"
expect "RootDirectory + ReadOnlyPaths=+/data: /data inside the root is read-only" 0 '^ro$' -- \
    "${ROOT[@]}" -p ReadOnlyPaths=+/data -- "$(rw /data)"
expect "RootDirectory + ReadOnlyPaths=$root/data (a host path inside the root): the same" 0 '^ro$' -- \
    "${ROOT[@]}" -p "ReadOnlyPaths=$root/data" -- "$(rw /data)"
expect "RootDirectory + ReadOnlyPaths=/nonexistent outside the root: dropped, as systemd does" 0 '^rw$' -- \
    "${ROOT[@]}" -p ReadOnlyPaths=/nonexistent -- "$(rw /data)"
expect "RootDirectory + ReadOnlyPaths=+/link: the absolute symlink resolves inside the root" 0 '^ro$' -- \
    "${ROOT[@]}" -p ReadOnlyPaths=+/link -- "$(rw /data)"
expect "RootDirectory + BindPaths: the source is a host path, the destination inside the root" 0 '^marker$' -- \
    "${ROOT[@]}" -p "BindPaths=$work/src/sub:/mnt" -- "ls /mnt"
expect "RootDirectory + PrivateTmp: a missing /tmp and /var/tmp in the root are created, as in systemd" 0 '^rw rw$' -- \
    "${ROOT[@]}" -p PrivateTmp=yes -- "echo \$($(rw /tmp)) \$($(rw /var/tmp))"
[ -d "$root/tmp" ] && [ -d "$root/var/tmp" ] && ok "... they are directories in the root" ||
        not_ok "... they are directories in the root"
rmdir "$root/var/tmp" "$root/var" "$root/tmp"
chown 65534 "$root"
expect "User=nobody + RootDirectory (nobody's) + PrivateTmp: /tmp created" 0 '^$' -- \
    -p User=nobody "${ROOT[@]}" -p PrivateTmp=yes -- true
[ "$(stat -c %u "$root/tmp")" = 65534 ] && ok "... with nobody's ids" || not_ok "... with nobody's ids"
rm -rf "$root/tmp" "$root/var"
chown 0 "$root"
expect "RootDirectory: the old root is gone from the mount table" 0 '^0$' -- \
    "${ROOT[@]}" -p BindPaths=/proc:/proc -- "cut -d' ' -f5 /proc/self/mountinfo | grep -c -E '^(/tmp|/usr/|$work)' || true"

# --- a job that is not root: paths are looked up with its ids
expect "User=nobody + ReadOnlyPaths=/root/x: a path nobody cannot look up is refused (EACCES)" 125 \
    'ReadOnlyPaths=/root/x: Permission denied' -- -p User=nobody -p ReadOnlyPaths=/root/x -- true
expect "User=nobody + ProtectSystem=strict + PrivateTmp=yes: the job runs" 0 '^rw ro$' -- \
    -p User=nobody -p ProtectSystem=strict -p PrivateTmp=yes -- "echo \$($(rw /tmp)) \$($(rw /usr))"

# --- a mount point that is a symlink is resolved when its turn comes, and the table sorted again, as
# systemd's namespace.c does: TemporaryFileSystem=/var/run (→ /run) sorts before ProtectHome='s /run/user,
# which is then missing and may be; /etc/localtime, once /etc is a tmpfs, is no symlink any more.
expect "TemporaryFileSystem=/var/run with ProtectHome=yes: the tmpfs is on /run" 0 '^tmpfs$' -- \
    -p ProtectHome=yes -p TemporaryFileSystem=/var/run -- "awk '\$5 == \"/run\" { print \$(NF-2) }' /proc/self/mountinfo"
expect "TemporaryFileSystem=/etc + BindReadOnlyPaths=/etc/localtime: bound where the symlink was" 0 '^localtime$' -- \
    -p TemporaryFileSystem=/etc -p BindReadOnlyPaths=/etc/localtime -- "ls /etc"
expect "ReadOnlyPaths=/run/x (no \"-\") covered by TemporaryFileSystem=/var/run: fails naming both" 125 \
    'ReadOnlyPaths=/run/lock: covered by TemporaryFileSystem=/var/run' -- \
    -p ReadOnlyPaths=/run/lock -p TemporaryFileSystem=/var/run -- true

# --- WorkingDirectory= as systemd.exec(5) takes it: "-" makes a missing directory not fatal, "~" is
# the user's home, and the path is simplified.
expect "WorkingDirectory=/nonexistent fails, naming it" 125 'WorkingDirectory=/nonexistent: No such file' -- \
    -p WorkingDirectory=/nonexistent -- pwd
expect "WorkingDirectory=-/nonexistent: not fatal, the job starts in /" 0 '^/$' -- -p WorkingDirectory=-/nonexistent -- pwd
expect "WorkingDirectory=~: the job's \$HOME" 0 '^/root$' -- -p 'WorkingDirectory=~' -- pwd
expect "WorkingDirectory=//usr/./lib/: simplified" 0 '^/usr/lib$' -- -p WorkingDirectory=//usr/./lib/ -- pwd

echo "1..$n"
[ "$failed" -eq 0 ]
