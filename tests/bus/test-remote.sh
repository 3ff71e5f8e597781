#!/bin/bash
# Bus test: confinectl -H against a real sshd on 127.0.0.1 (a random free port, throwaway
# keys), through systemd-stdio-bridge to the test bus. 10 MiB of binary output must arrive
# byte for byte as it does locally (--pipe, and by fd), with the same exit status; stdin is
# forwarded; the other verbs work remotely. The transfer times are printed as TAP comments.
# After the first log-in the ssh sessions share one connection (ControlMaster), so that
# the many cases do not each pay for a log-in; the times are then those of the transfer.
set -uo pipefail

BUILD=${CONFINE_BUILD_DIR:?}
C=${CONFINE_CONFINECTL:-$BUILD/client/confinectl}
# shellcheck source=../tap.sh
. "$(dirname "$0")/../tap.sh"

for tool in /usr/sbin/sshd ssh ssh-keygen systemd-stdio-bridge; do
    if ! command -v "$tool" >/dev/null; then
        echo "1..0 # SKIP $tool is missing (tests/install-deps installs it)"
        exit 0
    fi
done

work=$(mktemp -d /tmp/confine-remote.XXXXXX)
chmod 0755 "$work"
sshd_pid=
cleanup() {
    [ -S "$work/control" ] && ssh -F "$work/ssh_config" -O exit root@127.0.0.1 2>/dev/null
    [ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null && wait "$sshd_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

# --- a throwaway sshd: its own host key, root's key authorized, nothing else
ssh-keygen -q -t ed25519 -N '' -C confine-test-host -f "$work/host_key"
ssh-keygen -q -t ed25519 -N '' -C confine-test-client -f "$work/id"
cp "$work/id.pub" "$work/authorized_keys"
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$work/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $port
HostKey $work/host_key
PidFile none
AuthorizedKeysFile $work/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
X11Forwarding no
AllowTcpForwarding no
LogLevel ERROR
CONF
# The client knows the host key: strict checking, nothing learned from the network.
echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$work/host_key.pub")" > "$work/known_hosts"
cat > "$work/ssh_config" <<CONF
Host 127.0.0.1
  Port $port
  IdentityFile $work/id
  IdentitiesOnly yes
  UserKnownHostsFile $work/known_hosts
  StrictHostKeyChecking yes
  BatchMode yes
  LogLevel ERROR
  ControlPath $work/control
  ControlMaster no
CONF
mkdir -p /run/sshd        # sshd's privilege separation directory
/usr/sbin/sshd -D -e -f "$work/sshd_config" 2>"$work/sshd.log" &
sshd_pid=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done

export CONFINE_SSH="ssh -F $work/ssh_config"
# The bridge must reach the test's bus, not the host's (which does not exist here).
export CONFINE_SSH_BRIDGE="systemd-stdio-bridge --bus-path=$DBUS_SYSTEM_BUS_ADDRESS"
H=(-H root@127.0.0.1)

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

start=$(date +%s%N)
if ssh -F "$work/ssh_config" root@127.0.0.1 true 2>"$work/ssh.err"; then
    ok "sshd on 127.0.0.1:$port accepts the test key"
    echo "# for scale: one ssh log-in to 127.0.0.1 (and true, and log-out) takes $(ms_since "$start") ms here"
else
    not_ok "sshd on 127.0.0.1:$port accepts the test key"
    sed 's/^/#   /' "$work/ssh.err" "$work/sshd.log"
    tap_done
    exit 1
fi

# The shared connection; its process must not hold the test's stdout or stderr open.
ssh -F "$work/ssh_config" -o ControlMaster=yes -f -N root@127.0.0.1 </dev/null >/dev/null 2>&1

# --- 10 MiB of binary output: remote, local --pipe and local by fd give the same bytes
head -c $((10 * 1024 * 1024)) /dev/urandom > "$work/data.bin"
chmod 0644 "$work/data.bin"
want=$(sha256sum < "$work/data.bin" | cut -d' ' -f1)
JOB=(sh -c "cat $work/data.bin; echo to-stderr >&2; exit 7")

declare -A out_sha rc_of err_of ms_of
run_mode() {
    local mode=$1 start
    shift
    start=$(date +%s%N)
    "$C" "$@" run -- "${JOB[@]}" </dev/null >"$work/out.$mode" 2>"$work/err.$mode"
    rc_of[$mode]=$?
    ms_of[$mode]=$(ms_since "$start")
    out_sha[$mode]=$(sha256sum < "$work/out.$mode" | cut -d' ' -f1)
    err_of[$mode]=$(cat "$work/err.$mode")
}
start=$(date +%s%N)
"$C" "${H[@]}" run -- true
echo "# for scale: confinectl -H … run -- true takes $(ms_since "$start") ms here (a new ssh session, the bridge, the bus)"
run_mode remote "${H[@]}"
run_mode pipe --pipe
run_mode fds
for mode in remote pipe fds; do
    if [ "${out_sha[$mode]}" = "$want" ] && [ "${rc_of[$mode]}" = 7 ] && [ "${err_of[$mode]}" = to-stderr ]; then
        ok "$mode: 10 MiB of stdout byte-identical (sha256), stderr, exit status 7"
    else
        not_ok "$mode: 10 MiB of stdout byte-identical (sha256), stderr, exit status 7"
        echo "#   sha256 ${out_sha[$mode]} (want $want), rc ${rc_of[$mode]}, stderr: ${err_of[$mode]:0:300}"
    fi
done
echo "# 10 MiB stdout: remote (-H, ssh + bridge, connection up) ${ms_of[remote]} ms, local --pipe ${ms_of[pipe]} ms, local by fd ${ms_of[fds]} ms"

# --- stdin goes to the job: 10 MiB in, their checksum out; and a round trip through cat
start=$(date +%s%N)
got=$("$C" "${H[@]}" run -- sha256sum < "$work/data.bin")
ms=$(ms_since "$start")
if [ "${got%% *}" = "$want" ]; then ok "remote: 10 MiB of stdin reach the job (sha256sum inside: $ms ms)"
else not_ok "remote: 10 MiB of stdin reach the job"; echo "#   got: ${got:0:200}"; fi
start=$(date +%s%N)
got=$("$C" "${H[@]}" run -- cat < "$work/data.bin" | sha256sum | cut -d' ' -f1)
ms=$(ms_since "$start")
[ "$got" = "$want" ] && ok "remote: 10 MiB through cat and back, byte-identical ($ms ms)" \
    || not_ok "remote: 10 MiB through cat and back, byte-identical (got $got)"
got=$(printf 'line1\nline2\n' | "$C" "${H[@]}" run -- sh -c 'read a; read b; echo "$b $a"')
[ "$got" = "line2 line1" ] && ok "remote: a job reads its stdin line by line" || not_ok "remote: stdin lines, got '$got'"
got=$("$C" "${H[@]}" run -- sh -c 'cat; echo after-eof' </dev/null)
[ "$got" = after-eof ] && ok "remote: empty stdin is end-of-file for the job" || not_ok "remote: empty stdin, got '$got'"

# --- errors and exit codes as locally
expect "remote: SpawnFailed exits 125 and names the step" 125 'chdir WorkingDirectory=/nonexistent.*SpawnFailed' -- \
    "$C" "${H[@]}" run -p WorkingDirectory=/nonexistent -- true
expect "remote: a missing program exits 127" 127 'execve' -- "$C" "${H[@]}" run -- /nonexistent/confine-remote
expect "remote: killed by a signal exits 128+9" 137 '' -- "$C" "${H[@]}" run -- sh -c 'kill -9 $$'
expect "remote: --pty cannot cross" 2 'cannot be combined' -- "$C" "${H[@]}" run --pty -- true
expect "remote: a bridge that is not there fails clearly" 125 'cannot reach the bus of root@127.0.0.1 through .*/nonexistent/bridge' -- \
    "$C" "${H[@]}" --bridge /nonexistent/bridge run -- true
expect "remote: an unknown host fails clearly" 125 'cannot connect to confined|cannot reach' -- \
    env CONFINE_SSH="ssh -F $work/ssh_config -o ConnectTimeout=5" "$C" -H root@127.0.0.2 run -- true

# --- our SIGTERM reaches the remote job
"$C" "${H[@]}" run -- sleep 1000 </dev/null >/dev/null 2>&1 &
ctl=$!
id=
for _ in $(seq 200); do
    id=$("$C" list 2>/dev/null | awk '$2 == "running" && $5 == "sleep" { print $1; exit }')
    [ -n "$id" ] && break
    sleep 0.05
done
kill -TERM $ctl
wait $ctl
rc=$?
[ -n "$id" ] && [ $rc = 143 ] && ok "remote: SIGTERM to confinectl kills the job (exit 143)" \
    || not_ok "remote: SIGTERM to confinectl kills the job (job '$id', exit $rc)"

# --- the other verbs, remotely
expect "remote: list shows that job, killed" 0 "$id +exited .*sleep" -- "$C" "${H[@]}" list
expect "remote: status ID" 0 'Result=killed' -- "$C" "${H[@]}" status "$id"
expect "remote: --json status ID" 0 '"Result":"killed"' -- "$C" "${H[@]}" --json status "$id"
expect "remote: wait ID exits like the job" 143 'killed 15' -- "$C" "${H[@]}" wait "$id"
"$C" run -- sleep 1000 </dev/null >/dev/null 2>&1 &
local_ctl=$!
for _ in $(seq 200); do
    id=$("$C" list 2>/dev/null | awk '$2 == "running" && $5 == "sleep" { print $1; exit }')
    [ -n "$id" ] && break
    sleep 0.05
done
expect "remote: kill ID KILL a job started locally" 0 '' -- "$C" "${H[@]}" kill "$id" KILL
wait $local_ctl
rc=$?
[ $rc = 137 ] && ok "local confinectl of that job exits 137" || not_ok "local confinectl of that job exits $rc"
expect "remote: run --json prints the end record" 0 '"Result":"success".*"CPUUsageNSec"' -- \
    "$C" "${H[@]}" --json run -- true

tap_done
