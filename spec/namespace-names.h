/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

/* Namespace type names for RestrictNamespaces=, as systemd spells them ("cgroup ipc net mnt pid user uts",
 * and "time"), and their CLONE_NEW* flags. Pure. */

/* Every flag RestrictNamespaces= knows. A mask with all of them set restricts nothing. */
uint64_t namespace_flags_all(void);

/* "net" → CLONE_NEWNET, or 0 for an unknown name. */
uint64_t namespace_flag_from_name(const char *name);

/* Parses RestrictNamespaces= text as systemd does: a boolean ("yes": no namespace is allowed), a list
 * of names (only those are allowed), or "~" and a list (all but those are allowed); "" is "no". Stores
 * the mask of allowed flags, UINT64_MAX for no restriction. -EINVAL on an unknown name, -ENOMEM. */
int namespace_flags_parse(const char *s, uint64_t *ret);
