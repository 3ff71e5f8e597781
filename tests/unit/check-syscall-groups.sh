#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Compares the checked-in @group table of SystemCallFilter= (spec/syscall-groups.c, printed by
# `test-syscall-groups --dump`) with the live `systemd-analyze syscall-filter` output: same groups, same
# order, same descriptions, same members. The table is pinned to systemd 252; with another release the
# comparison means nothing, and the test is skipped (exit 77) with the reason.
#
#   check-syscall-groups.sh [PATH-TO-test-syscall-groups]
set -eu

dumper=${1:-${CONFINE_BUILD_DIR:?set CONFINE_BUILD_DIR or pass the test-syscall-groups binary}/tests/unit/test-syscall-groups}

if ! command -v systemd-analyze >/dev/null 2>&1; then
        echo "systemd-analyze is not installed: nothing to compare the table with, skipping"
        exit 77
fi
version=$(systemd-analyze --version | sed -n '1s/^systemd \([0-9][0-9]*\).*/\1/p')
if [ "$version" != 252 ]; then
        echo "systemd-analyze is release ${version:-unknown}, the table is pinned to 252: skipping"
        exit 77
fi

expected=$(mktemp)
actual=$(mktemp)
trap 'rm -f "$expected" "$actual"' EXIT

# Blank lines only between groups, none at the end.
squeeze() {
        awk 'NF { for (; n > 0; n--) print ""; print; next } { n++ }'
}

# The groups end where the trailing comment sections start ("# Ungrouped System Calls …").
systemd-analyze --no-pager syscall-filter | sed '/^#/,$d' | squeeze >"$expected"
"$dumper" --dump | squeeze >"$actual"

if ! diff -u "$expected" "$actual"; then
        echo "syscall-groups.c differs from systemd-analyze syscall-filter (systemd $version): regenerate the table"
        exit 1
fi
echo "syscall-groups.c matches systemd-analyze syscall-filter of systemd $version ($(grep -c '^@' "$actual") groups)"
