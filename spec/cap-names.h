/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

/* The capabilities this build knows by name (CAP_CHOWN … CAP_CHECKPOINT_RESTORE). */
#define CAP_LAST_KNOWN 40
#define CAP_ALL_MASK ((UINT64_C(1) << (CAP_LAST_KNOWN + 1)) - 1)

/* "CAP_NET_ADMIN" (case-insensitive, prefix optional) → 12, or -EINVAL. */
int capability_from_name(const char *name);
/* 12 → "CAP_NET_ADMIN", or NULL. */
const char *capability_to_name(int cap);

/* Lays one assignment of CapabilityBoundingSet= or AmbientCapabilities= (the t systemd-run sends) over
 * *set, as systemd's unit files combine repeated lines (load-fragment.c). A value with every bit above
 * the known capabilities set is an inverted assignment ("~CAP_A", which systemd-run sends as ~mask);
 * one with only known bits is a plain list. An empty assignment ("" or "~"), or one laid over the
 * initial value (all for the bounding set, none for the ambient set), replaces; otherwise a plain
 * list adds and an inverted one removes. -EINVAL for a value with only some unknown bits set. */
int capability_set_merge(uint64_t *set, uint64_t initial, uint64_t value);
