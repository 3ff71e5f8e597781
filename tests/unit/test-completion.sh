#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The bash completion of confinectl (data/completion/confinectl), driven as bash drives it:
# COMP_WORDS/COMP_CWORD set, _confinectl called, COMPREPLY checked. No bus is needed: job ids
# come back empty without one.
#
#   test-completion.sh SOURCE_DIR BUILD_DIR
set -uo pipefail
src=$1 build=$2
# shellcheck source=../tap.sh
. "$src/tests/tap.sh"
# shellcheck source=../../data/completion/confinectl
. "$src/data/completion/confinectl"
unset DBUS_SYSTEM_BUS_ADDRESS
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent/confine-test-bus

# complete WORDS...: the last word is the one being completed.
complete_words() {
    COMP_WORDS=("$build/client/confinectl" "$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _confinectl
    printf '%s\n' "${COMPREPLY[@]}" | sort
}

# want DESC WORDS... :: EXPECTED...: the replies contain every EXPECTED; with "==" instead
# of "::", they are exactly EXPECTED.
want() {
    local desc=$1 exact=0 got w
    shift
    local -a words=() expected=()
    while [ "$1" != "::" ] && [ "$1" != == ]; do words+=("$1"); shift; done
    [ "$1" = == ] && exact=1
    shift
    expected=("$@")
    got=$(complete_words "${words[@]}")
    if ((exact)); then
        [ "$got" = "$(printf '%s\n' "${expected[@]}" | sort)" ] && ok "$desc" \
            || { not_ok "$desc"; echo "#   got: $(echo $got)"; }
        return
    fi
    for w in "${expected[@]}"; do
        if ! grep -qxF -- "$w" <<<"$got"; then
            not_ok "$desc"
            echo "#   '$w' not in: $(echo $got)"
            return
        fi
    done
    ok "$desc"
}

want "the commands" '' == run analyze learn list status kill wait monitor
want "commands after an option" --json '' == run analyze learn list status kill wait monitor
want "options" --p == --pipe --property --profile --pty
want "systemd-run's options" run --no :: --no-block
want "systemd-run's options, short" run -E :: -E
want "--uid completes user names" run --uid ro :: root
want "--gid completes group names" run --gid nog :: nogroup
want "--working-directory completes directories" run --working-directory /us :: /usr
want "the command of run after -E NAME=VALUE" run -E A=1 ech :: echo
want "property names from --help, with '='" run -p Private :: PrivateNetwork= PrivateTmp= PrivateTmpEx= PrivateDevices= PrivateIPC=
want "a text alias" run -p CPUQ == CPUQuota= CPUQuotaPerSecUSec=
want "boolean values" run -p PrivateNetwork=y == yes
want "signals for kill ID" kill 12 '' :: TERM KILL INT HUP USR1
want "no job ids without a bus" status '' ==
want "the command of run" run -p PrivateNetwork=yes ech :: echo
want "the command of run after --" run -- ech :: echo
want "the command of analyze after --threshold N" analyze --threshold 20 ech :: echo
want "the command of learn after --runs N" learn --runs 2 ech :: echo
want "the command's own options are not confinectl's" run -- ls --js ==
want "the verb is found after -H HOST" -H somehost li == list

tap_done
