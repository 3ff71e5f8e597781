#!/bin/bash
# Issue 15: what a job reads and writes at its start by path (StandardInput=file:, StandardOutput=
# append:/truncate:/file:, EnvironmentFile=, LoadCredential=) is opened with the caller's credentials.
# Each pair: root gets root to read or write a root-only file, uid 65534 does not (EACCES, the
# property and path named). Then effects from inside the job: the private read-only
# $CREDENTIALS_DIRECTORY, its mode and owner, its absence from other jobs; data as stdin; append
# vs truncate; EnvironmentFile= order against Environment= and UnsetEnvironment=; and the stdio
# contradictions. Run under tests/with-bus.
set -uo pipefail

BUILD=${CONFINE_BUILD_DIR:?}
C=${CONFINE_CONFINECTL:-$BUILD/client/confinectl}
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
work=$(mktemp -d /tmp/confine-io.XXXXXX)
chmod 0755 "$work"
trap 'rm -rf "$work"' EXIT

# shellcheck source=../tap.sh
. "$(dirname "$0")/../tap.sh"

echo top-secret > "$work/secret"
chmod 0600 "$work/secret"
printf 'SECRET=from-root-file\n' > "$work/secret.env"
chmod 0600 "$work/secret.env"
printf 'root log\n' > "$work/root.log"
chmod 0644 "$work/root.log"
mkdir "$work/mine"
chown 65534:65534 "$work/mine"

# --- StandardInput=file:
expect "StandardInput=file: root reads a 0600 root file through the job" 0 '^top-secret$' -- \
    "$C" run -p "StandardInput=file:$work/secret" -- cat
expect "StandardInput=file: as nobody, the 0600 root file is refused (EACCES)" 125 \
    "StandardInputFile=$work/secret: Permission denied" -- \
    "${NOBODY[@]}" "$C" run -p "StandardInput=file:$work/secret" -- cat
expect "StandardInput=file: as nobody, /etc/shadow is refused (EACCES)" 125 \
    'StandardInputFile=/etc/shadow: Permission denied' -- "${NOBODY[@]}" "$C" run -p StandardInput=file:/etc/shadow -- cat

# --- StandardOutput=append: and friends
expect "StandardOutput=append: root appends to a 0644 root file" 0 '' -- \
    "$C" run -p "StandardOutput=append:$work/root.log" -- echo appended
[ "$(cat "$work/root.log")" = $'root log\nappended' ] && ok "... after its content" || not_ok "... after its content"
expect "StandardOutput=append: as nobody, the root file is refused (EACCES)" 125 \
    "StandardOutputFileToAppend=$work/root.log: Permission denied" -- \
    "${NOBODY[@]}" "$C" run -p "StandardOutput=append:$work/root.log" -- echo escaped
expect "StandardError=truncate: as nobody, the root file is refused (EACCES)" 125 \
    "StandardErrorFileToTruncate=$work/root.log: Permission denied" -- \
    "${NOBODY[@]}" "$C" run -p "StandardError=truncate:$work/root.log" -- true
[ "$(cat "$work/root.log")" = $'root log\nappended' ] && ok "... and the root file is unchanged" \
    || not_ok "... and the root file is unchanged"
expect "StandardOutput=file: as nobody, no file is created in a root directory (EACCES)" 125 \
    "StandardOutputFile=$work/new.log: Permission denied" -- \
    "${NOBODY[@]}" "$C" run -p "StandardOutput=file:$work/new.log" -- echo x
[ ! -e "$work/new.log" ] && ok "... and none was" || not_ok "... and none was"

# Effects: append keeps, truncate empties, file overwrites from the start; created as the caller.
"${NOBODY[@]}" "$C" run -p "StandardOutput=append:$work/mine/out" -- echo one >/dev/null 2>&1
"${NOBODY[@]}" "$C" run -p "StandardOutput=append:$work/mine/out" -- echo two >/dev/null 2>&1
[ "$(cat "$work/mine/out")" = $'one\ntwo' ] && ok "append: twice, both lines" || not_ok "append: twice, both lines"
[ "$(stat -c %u:%a "$work/mine/out")" = 65534:644 ] && ok "append: created by nobody, mode 0644 (umask 022)" \
    || not_ok "append: created by nobody, mode 0644 (umask 022): $(stat -c %u:%a "$work/mine/out")"
"${NOBODY[@]}" "$C" run -p "StandardOutput=file:$work/mine/out" -- printf X >/dev/null 2>&1
[ "$(cat "$work/mine/out")" = $'Xne\ntwo' ] && ok "file: writes from the start, does not truncate" \
    || not_ok "file: writes from the start, does not truncate"
"${NOBODY[@]}" "$C" run -p "StandardOutput=truncate:$work/mine/out" -- echo three >/dev/null 2>&1
[ "$(cat "$work/mine/out")" = three ] && ok "truncate: only the new line" || not_ok "truncate: only the new line"
"${NOBODY[@]}" "$C" run -p "StandardOutput=append:$work/mine/both" -p "StandardError=append:$work/mine/both" \
    -- sh -c 'echo out; echo err >&2; echo out2' >/dev/null 2>&1
[ "$(cat "$work/mine/both")" = $'out\nerr\nout2' ] && ok "stdout and stderr to one file share it" \
    || not_ok "stdout and stderr to one file share it: $(cat "$work/mine/both")"
expect "StandardOutput=null: nothing reaches the caller" 0 '^$' -- "$C" run -p StandardOutput=null -- echo hidden
expect "StandardError=inherit: stderr goes where stdout goes" 0 '^$' -- \
    "$C" run -p StandardOutput=null -p StandardError=inherit -- sh -c 'echo e >&2'

# --- StandardInput=data
expect "StandardInputText: C escapes and a newline, as stdin" 0 $'^a\tb$' -- \
    "${NOBODY[@]}" "$C" run -p 'StandardInputText=a\tb' -- cat
expect "StandardInputData: base64, appended to the text" 0 $'^x\nhello$' -- \
    "${NOBODY[@]}" "$C" run -p StandardInputText=x -p StandardInputData=aGVsbG8= -- cat
expect "StandardInputData: the job cannot write its stdin (EBADF, which dash reports as an I/O error)" 1 \
    'I/O error|Bad file descriptor' -- \
    "${NOBODY[@]}" "$C" run -p StandardInputText=x -- sh -c 'echo y >&0'

# --- EnvironmentFile=
expect "EnvironmentFile: root reads a 0600 root file" 0 '^from-root-file$' -- \
    "$C" run -p "EnvironmentFile=$work/secret.env" -- sh -c 'echo $SECRET'
expect "EnvironmentFile: as nobody, the 0600 root file is refused (EACCES)" 125 \
    "EnvironmentFile=$work/secret.env: Permission denied" -- \
    "${NOBODY[@]}" "$C" run -p "EnvironmentFile=$work/secret.env" -- sh -c 'echo $SECRET'
expect "EnvironmentFile: as nobody, even with - a root-only file is refused, not skipped" 125 'Permission denied' -- \
    "${NOBODY[@]}" "$C" run -p "EnvironmentFile=-$work/secret.env" -- true
printf 'A=from-file\nB="quoted \\"x\\""\n# C=comment\nHOME=/file-home\n' > "$work/mine/a.env"
chmod 0644 "$work/mine/a.env"
expect "EnvironmentFile: overrides Environment= and HOME; UnsetEnvironment= comes after" 0 \
    '^from-file\|quoted "x"\|\|/file-home\|$' -- "${NOBODY[@]}" "$C" run -p Environment=A=env -p Environment=D=d \
    -p "EnvironmentFile=$work/mine/a.env" -p UnsetEnvironment=D -- sh -c 'echo "$A|$B|$C|$HOME|$D"'
expect "EnvironmentFile: a missing file fails the job (ENOENT)" 125 'EnvironmentFile=/nonexistent.env: No such file' -- \
    "${NOBODY[@]}" "$C" run -p EnvironmentFile=/nonexistent.env -- true
expect "EnvironmentFile: with -, a missing file is skipped" 0 '^ok$' -- \
    "${NOBODY[@]}" "$C" run -p EnvironmentFile=-/nonexistent.env -- echo ok
expect "EnvironmentFile: a glob reads every match" 0 '^from-file$' -- \
    "${NOBODY[@]}" "$C" run -p "EnvironmentFile=$work/mine/*.env" -- sh -c 'echo $A'
head -c 1100000 /dev/zero | tr '\0' 'x' | sed 's/^/A=/' > "$work/mine/big.env"
expect "EnvironmentFile: over 1 MiB is refused (E2BIG)" 125 'larger than 1 MiB' -- \
    "${NOBODY[@]}" "$C" run -p "EnvironmentFile=$work/mine/big.env" -- true

# --- LoadCredential= / SetCredential=
expect "LoadCredential: root loads a 0600 root file" 0 '^top-secret$' -- \
    "$C" run -p "LoadCredential=key:$work/secret" -- sh -c 'cat $CREDENTIALS_DIRECTORY/key'
expect "LoadCredential: as nobody, the 0600 root file is refused (EACCES)" 125 \
    "LoadCredential=key:$work/secret: Permission denied" -- \
    "${NOBODY[@]}" "$C" run -p "LoadCredential=key:$work/secret" -- sh -c 'cat $CREDENTIALS_DIRECTORY/key'
expect "LoadCredential: as nobody, /etc/shadow is refused (EACCES)" 125 'LoadCredential=s:/etc/shadow: Permission denied' -- \
    "${NOBODY[@]}" "$C" run -p LoadCredential=s:/etc/shadow -- true
expect "LoadCredential: as nobody, SetCredential= is no fallback for a file it may not read" 125 'Permission denied' -- \
    "${NOBODY[@]}" "$C" run -p "LoadCredential=key:$work/secret" -p SetCredential=key:fallback -- true
expect "LoadCredential: a missing source falls back to SetCredential= of the same ID" 0 '^fallback$' -- \
    "${NOBODY[@]}" "$C" run -p LoadCredential=key:/nonexistent -p SetCredential=key:fallback -- \
    sh -c 'cat $CREDENTIALS_DIRECTORY/key'
expect "LoadCredential: a missing source without a fallback fails (ENOENT)" 125 'LoadCredential=key:/nonexistent: No such file' -- \
    "${NOBODY[@]}" "$C" run -p LoadCredential=key:/nonexistent -- true
mkdir -p "$work/mine/dir/sub"
echo a > "$work/mine/dir/one"; echo b > "$work/mine/dir/sub/two"
chown -R 65534:65534 "$work/mine/dir"
expect "LoadCredential: a directory gives each file below it, / as _" 0 $'^one\nsub_two$' -- \
    "${NOBODY[@]}" "$C" run -p "LoadCredential=d:$work/mine/dir" -- sh -c 'ls $CREDENTIALS_DIRECTORY'
expect "credentials: \$CREDENTIALS_DIRECTORY, mode 0500, files 0400, owned by the job's user" 0 \
    $'^/run/credentials/confine.job\n500 65534\n400 65534 pw=s3cret$' -- \
    "${NOBODY[@]}" "$C" run -p 'SetCredential=pw:s3cret' -- sh -c \
    'echo $CREDENTIALS_DIRECTORY; stat -c "%a %u" $CREDENTIALS_DIRECTORY; printf "%s pw=%s\n" "$(stat -c "%a %u" $CREDENTIALS_DIRECTORY/pw)" "$(cat $CREDENTIALS_DIRECTORY/pw)"'
expect "credentials: read-only, even for a root job (EROFS)" 2 'Read-only file system' -- \
    "$C" run -p SetCredential=pw:x -- sh -c 'echo y > $CREDENTIALS_DIRECTORY/pw'
expect "credentials: a new file cannot be added (EROFS)" 2 'Read-only file system' -- \
    "$C" run -p SetCredential=pw:x -- sh -c 'echo y > $CREDENTIALS_DIRECTORY/new'
expect "credentials: a tmpfs of the job's own" 0 '/run/credentials .*tmpfs.* ro,' -- \
    "$C" run -p SetCredential=pw:x -- grep ' /run/credentials ' /proc/self/mountinfo
"$C" run --no-block -p SetCredential=other:job-one-secret -- sleep 30 >/dev/null 2>&1
sleep 0.5
expect "credentials: not visible to another job (or on the host)" 0 '^none$' -- \
    "$C" run -p SetCredential=pw:x -- sh -c 'grep -rs job-one-secret /run/credentials || echo none'
[ -z "$(grep -rs job-one-secret /run/credentials 2>/dev/null)" ] && ok "... nor on the host" || not_ok "... nor on the host"
head -c 1048577 /dev/zero > "$work/mine/big"
expect "LoadCredential: over 1 MiB is refused (EFBIG)" 125 'larger than 1 MiB' -- \
    "${NOBODY[@]}" "$C" run -p "LoadCredential=big:$work/mine/big" -- true

mkfifo "$work/mine/fifo"
chown 65534:65534 "$work/mine/fifo"
expect "LoadCredential: a FIFO is refused at once, not waited on (EINVAL)" 125 'neither a regular file nor a directory' -- \
    timeout 20 "${NOBODY[@]}" "$C" run -p "LoadCredential=f:$work/mine/fifo" -- true
expect "EnvironmentFile: a FIFO is refused at once, not waited on (EINVAL)" 125 'not a regular text file' -- \
    timeout 20 "${NOBODY[@]}" "$C" run -p "EnvironmentFile=$work/mine/fifo" -- true

# --- contradictions: a stream set twice is a named error
expect "StandardOutput= with --pipe (flag 2): named error" 125 'Flag 2 \(pipe\) conflicts with StandardOutput=' -- \
    "$C" run --pipe -p StandardOutput=null -- true
expect "StandardInputData= with StandardInput=null: named error" 125 'StandardInputData= conflicts with StandardInput=null' -- \
    "$C" run -p StandardInput=null -p StandardInputText=x -- true
expect "StandardOutput=inherit with StandardInput=data: named error" 125 'StandardOutput=inherit would write to standard input' -- \
    "$C" run -p StandardInputText=x -p StandardOutput=inherit -- true

tap_done
