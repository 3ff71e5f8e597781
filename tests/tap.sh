# shellcheck shell=bash
# TAP helpers for the shell tests: source it, call ok/not_ok/expect, end with tap_done.

n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }

# expect DESC WANT_RC_REGEX WANT_OUT_REGEX -- COMMAND...: runs COMMAND (stdin from /dev/null)
# and checks its exit status and combined output.
expect() {
    local desc=$1 want_rc=$2 want_out=$3
    shift 4
    local out rc
    out=$("$@" 2>&1 </dev/null)
    rc=$?
    if [[ "$rc" =~ ^($want_rc)$ ]] && [[ "$out" =~ $want_out ]]; then
        ok "$desc"
    else
        not_ok "$desc"
        echo "#   wanted rc=$want_rc and output ~ /$want_out/; got rc=$rc:"
        printf '%s\n' "$out" | sed 's/^/#   /' | head -20
    fi
}

# The plan, and the exit status: 0 only if nothing failed.
tap_done() {
    echo "1..$n"
    [ "$failed" -eq 0 ]
}
