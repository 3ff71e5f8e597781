/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "property-table.h"
#include "sandbox-spec.h"

/* Validates one property value and applies it to the spec. This is the one place where
 * property values are checked, whether they came from D-Bus, from `-p Name=Value` or from
 * an executor test. On failure returns
 *   -EINVAL      the value is invalid (InvalidProperty),
 *   -EOPNOTSUPP  it cannot be enforced on this host (NotSupported),
 *   -ENOMEM,
 * and sets *ret_message to "Name: reason". fds in the value are duplicated, never taken. */
int property_apply(SandboxSpec *spec, const PropertyValue *value, char **ret_message);
