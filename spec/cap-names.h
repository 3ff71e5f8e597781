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
