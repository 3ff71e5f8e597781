#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The man pages render without a troff warning, and name every option that the programs'
# --help lists: a new option without documentation fails here.
#
#   check-docs.sh SOURCE_DIR BUILD_DIR
set -uo pipefail
src=$1 build=$2
# shellcheck source=../tap.sh
. "$src/tests/tap.sh"

for page in "$src/docs/man/confinectl.1" "$src/docs/man/confined.8"; do
    warnings=$(groff -man -ww -z "$page" 2>&1)
    [ -z "$warnings" ] && ok "${page##*/} renders without warnings" \
        || { not_ok "${page##*/} renders without warnings"; printf '#   %s\n' "$warnings"; }
    text=$(MANWIDTH=200 man -l "$page" 2>/dev/null | col -b)
    [ -n "$text" ] && ok "man -l ${page##*/}" || not_ok "man -l ${page##*/}"
done

# Options: every --long in --help, in the page (troff escapes "-" as "\-").
check_options() {
    local name=$1 page=$2 opt missing=()
    shift 2
    for opt in $("$@" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
        grep -qF -- "${opt//-/\\-}" "$page" || missing+=("$opt")
    done
    [ ${#missing[@]} = 0 ] && ok "$name: every option of --help is in ${page##*/}" \
        || not_ok "$name: options missing from ${page##*/}: ${missing[*]}"
}
check_options confinectl "$src/docs/man/confinectl.1" "$build/client/confinectl"
check_options confined "$src/docs/man/confined.8" "$build/daemon/confined"

# Commands of confinectl: each in the page's COMMANDS section.
missing=()
for verb in run analyze learn list status kill wait monitor; do
    grep -qE "^\.B(I)? \"?$verb" "$src/docs/man/confinectl.1" || missing+=("$verb")
done
[ ${#missing[@]} = 0 ] && ok "confinectl.1 documents every command" || not_ok "confinectl.1 lacks: ${missing[*]}"

tap_done
