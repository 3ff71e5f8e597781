#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# libconfine exports its public API and nothing else: every dynamic symbol starts with
# confine_ but none with confine_dbus_ (the generated proxies), no symbol of the static
# shared code (property_*, parse_*, strv_* …) leaks, and every function declared in the
# installed headers is exported.
#
#   check-exports.sh SOURCE_DIR BUILD_DIR
set -uo pipefail
src=$1 build=$2
# shellcheck source=../tap.sh
. "$src/tests/tap.sh"
lib=$build/client/libconfine/libconfine.so.0

exported=$(nm -D --defined-only "$lib" | awk '{ print $3 }' | sort)
stray=$(grep -v '^confine_' <<<"$exported" | grep -vE '^(_init|_fini)$')
[ -z "$stray" ] && ok "only confine_* symbols are exported" \
    || { not_ok "only confine_* symbols are exported"; echo "#   also: $(echo $stray | head -c 400)"; }
private=$(grep '^confine_dbus_' <<<"$exported")
[ -z "$private" ] && ok "the generated proxies stay private" \
    || not_ok "the generated proxies stay private: $(echo $private | head -c 300)"

declared=$(sed -n 's/^[A-Za-z].*[ *]\(confine_[a-z0-9_]*\) (.*/\1/p' "$src"/client/libconfine/confine/*.h | sort -u)
missing=$(comm -23 <(echo "$declared") <(echo "$exported"))
[ -z "$missing" ] && ok "every function of the public headers is exported ($(wc -l <<<"$declared") of them)" \
    || not_ok "declared but not exported: $(echo $missing)"

soname=$(objdump -p "$lib" | awk '$1 == "SONAME" { print $2 }')
[ "$soname" = libconfine.so.0 ] && ok "SONAME libconfine.so.0" || not_ok "SONAME is '$soname'"
tap_done
