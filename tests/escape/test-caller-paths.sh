#!/bin/bash
# Escape pairs for caller paths: a non-root caller may bind, hide, enter or use as a root only
# what it could open itself. Each pair shows the path working for a caller who may open it
# (root, or the owner), then refused for uid 65534, through the bus (the unprivileged tier, with
# no polkit prompt) and from inside the job. Run under tests/with-bus.
set -uo pipefail

BUILD=${CONFINE_BUILD_DIR:?}
C=${CONFINE_CONFINECTL:-$BUILD/client/confinectl}
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
work=$(mktemp -d /tmp/confine-paths.XXXXXX)
chmod 0755 "$work"
trap 'rm -rf "$work"' EXIT

# shellcheck source=../tap.sh
. "$(dirname "$0")/../tap.sh"

# secret/: root's, mode 0700, as /root is. pub/: readable by all. mnt*: mount points.
mkdir -p "$work/secret/dir" "$work/pub/dir" "$work/mntdir" "$work/mine"
echo top-secret > "$work/secret/data"
echo public > "$work/pub/data"
echo own > "$work/mine/data"
echo shadow-like > "$work/pub/shadow"
chmod 0700 "$work/secret"
chmod 0600 "$work/pub/shadow"
chown -R 65534:65534 "$work/mine"
touch "$work/mnt"
ln -s "$work/secret/data" "$work/pub/link-to-secret"
ln -s ../secret "$work/pub/up-to-secret"
ln -s /root "$work/pub/link-to-root"

bind_cat() { # CALLER... -- PROPERTY SOURCE: bind SOURCE on $work/mnt and read it from the job
    local -a who=()
    while [ "$1" != -- ]; do who+=("$1"); shift; done
    shift
    "${who[@]}" "$C" run -p "$1=$2:$work/mnt" -- cat "$work/mnt"
}

# --- bind sources
expect "BindReadOnlyPaths: nobody binds a file it owns and reads it (binds need no privilege)" 0 '^own$' -- \
    bind_cat "${NOBODY[@]}" -- BindReadOnlyPaths "$work/mine/data"
expect "BindReadOnlyPaths: root binds a 0600 root file and reads it" 0 '^shadow-like$' -- \
    bind_cat -- BindReadOnlyPaths "$work/pub/shadow"
expect "BindReadOnlyPaths as nobody: a 0600 root file in a readable directory is refused (EACCES)" 125 \
    'BindReadOnlyPaths=.*Permission denied' -- bind_cat "${NOBODY[@]}" -- BindReadOnlyPaths "$work/pub/shadow"
expect "BindReadOnlyPaths as nobody: /etc/shadow is refused (EACCES)" 125 'BindReadOnlyPaths=.*Permission denied' -- \
    bind_cat "${NOBODY[@]}" -- BindReadOnlyPaths /etc/shadow
expect "BindPaths as nobody: /etc/shadow is refused read-write too (EACCES)" 125 'BindPaths=.*Permission denied' -- \
    bind_cat "${NOBODY[@]}" -- BindPaths /etc/shadow
expect "BindReadOnlyPaths: root binds a file inside a 0700 directory" 0 '^top-secret$' -- \
    bind_cat -- BindReadOnlyPaths "$work/secret/data"
expect "BindReadOnlyPaths as nobody: a file inside a 0700 directory is refused (EACCES)" 125 \
    'BindReadOnlyPaths=.*Permission denied' -- bind_cat "${NOBODY[@]}" -- BindReadOnlyPaths "$work/secret/data"
expect "BindReadOnlyPaths: root follows a readable symlink to the secret" 0 '^top-secret$' -- \
    bind_cat -- BindReadOnlyPaths "$work/pub/link-to-secret"
expect "BindReadOnlyPaths as nobody: a readable symlink into a 0700 directory is refused (EACCES)" 125 \
    'Permission denied' -- bind_cat "${NOBODY[@]}" -- BindReadOnlyPaths "$work/pub/link-to-secret"
expect "BindReadOnlyPaths as nobody: a symlink with .. into a 0700 directory is refused (EACCES)" 125 \
    'Permission denied' -- "${NOBODY[@]}" "$C" run -p "BindReadOnlyPaths=$work/pub/up-to-secret:$work/mntdir" -- ls "$work/mntdir"
expect "BindReadOnlyPaths as nobody: a symlink to /root is refused (EACCES)" 125 'Permission denied' -- \
    "${NOBODY[@]}" "$C" run -p "BindReadOnlyPaths=$work/pub/link-to-root:$work/mntdir" -- ls "$work/mntdir"
expect "BindReadOnlyPaths: root binds /root and lists it" 0 '' -- \
    "$C" run -p "BindReadOnlyPaths=/root:$work/mntdir" -- ls "$work/mntdir"
expect "BindReadOnlyPaths as nobody: .. in a path is refused before anything runs" 125 'BindReadOnlyPaths.*InvalidProperty' -- \
    "${NOBODY[@]}" "$C" run -p "BindReadOnlyPaths=$work/pub/../secret/data:$work/mnt" -- true
expect "BindReadOnlyPaths as nobody: /proc/self/root magic link is refused" 125 'BindReadOnlyPaths=' -- \
    "${NOBODY[@]}" "$C" run -p "BindReadOnlyPaths=/proc/self/root/etc/shadow:$work/mnt" -- cat "$work/mnt"

# --- hiding, read-only and writable paths: looked up as the caller
expect "InaccessiblePaths: without it, root reads a file inside a 0700 directory" 0 '^top-secret$' -- \
    "$C" run -- cat "$work/secret/data"
expect "InaccessiblePaths: root hides a file inside a 0700 directory (an empty node)" 0 '^0$' -- \
    "$C" run -p "InaccessiblePaths=$work/secret/data" -- sh -c "cat $work/secret/data | wc -c"
expect "InaccessiblePaths as nobody: a path it cannot look up is refused (EACCES)" 125 'InaccessiblePaths=.*Permission denied' -- \
    "${NOBODY[@]}" "$C" run -p "InaccessiblePaths=$work/secret/data" -- true
expect "ReadOnlyPaths as nobody: a path it cannot look up is refused (EACCES)" 125 'ReadOnlyPaths=.*Permission denied' -- \
    "${NOBODY[@]}" "$C" run -p "ReadOnlyPaths=$work/secret/dir" -- true
expect "ReadWritePaths as nobody: a path it cannot look up is refused (EACCES)" 125 'ReadWritePaths=.*Permission denied' -- \
    "${NOBODY[@]}" "$C" run -p ProtectSystem=strict -p "ReadWritePaths=$work/secret/dir" -- true

# --- WorkingDirectory
expect "WorkingDirectory: root enters a 0700 directory" 0 "^$work/secret\$" -- \
    "$C" run -p "WorkingDirectory=$work/secret" -- pwd
expect "WorkingDirectory as nobody: a 0700 directory is refused (EACCES)" 125 'WorkingDirectory=.*Permission denied' -- \
    "${NOBODY[@]}" "$C" run -p "WorkingDirectory=$work/secret" -- pwd
expect "WorkingDirectory as nobody: a symlink into a 0700 directory is refused (EACCES)" 125 'WorkingDirectory=.*Permission denied' -- \
    "${NOBODY[@]}" "$C" run -p "WorkingDirectory=$work/pub/up-to-secret" -- pwd

# --- RootDirectory: a minimal root inside a 0700 directory
root=$work/secret/root
mkdir -p "$root/usr"
binds=(-p "BindReadOnlyPaths=/usr:/usr")
for d in bin sbin lib lib32 lib64; do
    if [ -L "/$d" ]; then ln -s "$(readlink "/$d")" "$root/$d"
    elif [ -d "/$d" ]; then mkdir -p "$root/$d"; binds+=(-p "BindReadOnlyPaths=/$d:/$d"); fi
done
expect "RootDirectory: root runs a job in a root inside a 0700 directory" 0 '^ok$' -- \
    "$C" run -p "RootDirectory=$root" "${binds[@]}" -- /usr/bin/echo ok
expect "RootDirectory as nobody: a root inside a 0700 directory is refused (EACCES)" 125 'RootDirectory=.*Permission denied' -- \
    "${NOBODY[@]}" "$C" run -p "RootDirectory=$root" "${binds[@]}" -- /usr/bin/echo ok
mine_root=$work/mine/root
mkdir -p "$mine_root"
cp -a "$root/." "$mine_root/"
chown -R 65534:65534 "$mine_root"
expect "RootDirectory as nobody: its own root works, without privilege" 0 '^ok$' -- \
    "${NOBODY[@]}" "$C" run -p "RootDirectory=$mine_root" "${binds[@]}" -- /usr/bin/echo ok
chmod 0311 "$mine_root"
expect "RootDirectory as nobody: a root it may not read (0311) is refused (EACCES)" 125 'RootDirectory=.*Permission denied' -- \
    "${NOBODY[@]}" "$C" run -p "RootDirectory=$mine_root" "${binds[@]}" -- /usr/bin/echo ok

# --- missing mount points (systemd creates them): a caller may have one created only where it could
# create it itself; inside a tmpfs made for the job always; never through a symlink.
expect "mount point: root has $work/secret/new created for a bind (as systemd would)" 0 '^public$' -- \
    "$C" run -p "BindReadOnlyPaths=$work/pub/data:$work/secret/new" -- cat "$work/secret/new"
expect "mount point as nobody: none in a directory it cannot write (EACCES, naming property and path)" 125 \
    "BindReadOnlyPaths=$work/pub/data:$work/pub/new: create the mount point: Permission denied" -- \
    "${NOBODY[@]}" "$C" run -p "BindReadOnlyPaths=$work/pub/data:$work/pub/new" -- true
[ ! -e "$work/pub/new" ] && ok "... and nothing was created in $work/pub" || not_ok "... and nothing was created in $work/pub"
expect "mount point as nobody: created in its own directory" 0 '^public$' -- \
    "${NOBODY[@]}" "$C" run -p "BindReadOnlyPaths=$work/pub/data:$work/mine/new/data" -- cat "$work/mine/new/data"
[ "$(stat -c %u "$work/mine/new/data" 2>/dev/null)" = 65534 ] && ok "... owned by nobody" || not_ok "... owned by nobody"
expect "mount point as nobody: inside the job's own tmpfs (TemporaryFileSystem=/etc), always" 0 '^hosts$' -- \
    "${NOBODY[@]}" "$C" run -p TemporaryFileSystem=/etc -p BindReadOnlyPaths=/etc/hosts -- ls /etc
ln -s "$work/secret/planted" "$work/mine/dangling"
chown -h 65534:65534 "$work/mine/dangling"
expect "mount point as root: a dangling symlink planted by nobody is not followed (ELOOP)" 125 \
    'create the mount point: Too many levels of symbolic links' -- \
    "$C" run -p "BindReadOnlyPaths=$work/pub/data:$work/mine/dangling" -- true
[ ! -e "$work/secret/planted" ] && ok "... and its target was not created" || not_ok "... and its target was not created"

tap_done
