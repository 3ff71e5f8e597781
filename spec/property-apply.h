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

/* Parses "Name=Value" (the -p syntax) and applies it. Besides property_apply()'s errors,
 * returns -ENOENT for an unknown name; *ret_message is then "Name: reason" too. */
int property_apply_text(SandboxSpec *spec, const char *assignment, char **ret_message);
