#!/bin/bash
# Bus test: polkit that does not answer in time (TimeoutSec=1 in the configuration given to
# confined) means deny, within about that time, and the daemon keeps serving.
set -uo pipefail
C=${CONFINE_BUILD_DIR:?}/client/confinectl
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }

out=$("${NOBODY[@]}" "$C" run -- true 2>&1) && ok "polkit answering: nobody may spawn" || { not_ok "polkit answering: nobody may spawn"; echo "# $out"; }

kill -STOP "$CONFINE_POLKITD_PID"
start=$(date +%s%N)
out=$("${NOBODY[@]}" "$C" run -- true 2>&1); rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
kill -CONT "$CONFINE_POLKITD_PID"
if [ $rc = 125 ] && [[ "$out" =~ AccessDenied ]] && [ $ms -ge 900 ] && [ $ms -lt 5000 ]; then
    ok "polkit stopped: AccessDenied after ${ms} ms (TimeoutSec=1)"
else
    not_ok "polkit stopped: rc=$rc after ${ms} ms: $out"
fi
out=$("$C" run -- true 2>&1) && ok "root (no polkit) still served" || { not_ok "root still served"; echo "# $out"; }
out=$("${NOBODY[@]}" "$C" run -- true 2>&1) && ok "polkit back: nobody may spawn again" || { not_ok "polkit back"; echo "# $out"; }
kill -0 "$CONFINE_DAEMON_PID" && ok "confined is alive" || not_ok "confined died"
echo "1..$n"
[ $failed = 0 ]
