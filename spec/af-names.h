/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Socket address family names for RestrictAddressFamilies=, as systemd spells them. Pure. */

/* Bound for the families this build knows by number (AF_MAX of the C library). */
int af_max(void);

/* "AF_INET" → 2, also the aliases AF_LOCAL, AF_FILE and AF_ROUTE; -EINVAL for anything else
 * (AF_UNSPEC included: no socket has it). Case-sensitive, as in systemd. */
int af_from_name(const char *name);

/* 2 → "AF_INET", or NULL. */
const char *af_to_name(int family);
