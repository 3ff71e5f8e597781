/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Namespace type names for RestrictNamespaces=, as systemd spells them ("cgroup ipc net mnt pid user uts",
 * and "time"), and their CLONE_NEW* flags. Pure. */

/* Every flag RestrictNamespaces= knows. A mask with all of them set restricts nothing. */
uint64_t namespace_flags_all(void);

/* "net" → CLONE_NEWNET, or 0 for an unknown name. */
uint64_t namespace_flag_from_name(const char *name);

/* CLONE_NEWNET → "net"; NULL for anything but one known flag. */
const char *namespace_flag_to_name(uint64_t flag);

/* Parses RestrictNamespaces= text into the t confine sends: a boolean ("yes" → 0, no namespace is
 * allowed; "no" → all flags), a list of names (those flags), "~" and a list (the complement of those
 * flags over all 64 bits, so that the merge sees the "~"), "" → UINT64_MAX (reset). -EINVAL on an
 * unknown name, -ENOMEM. */
int namespace_flags_parse(const char *s, uint64_t *ret);

/* Lays one assignment over *allowed (the mask of allowed flags, UINT64_MAX for no restriction) as
 * systemd's unit files combine repeated RestrictNamespaces= lines: a boolean replaces; the first list
 * sets; later lists add (plain) or remove (inverted) flags; UINT64_MAX resets to unassigned.
 * *assigned tracks whether anything was assigned since. -EINVAL for partial unknown bits. */
int namespace_flags_merge(uint64_t *allowed, bool *assigned, uint64_t value);
