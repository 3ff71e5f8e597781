/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "sandbox-spec.h"

/* Whether spec confines at least as much as base does, property by property: protections base
 * turns on stay on, levels stay as high, sets of what is allowed only shrink, lists of what
 * is forbidden only grow, limits only drop, identity and mounts that grant access stay as
 * they are. Used when explicit properties are laid over a Profile=: an unprivileged caller
 * may only tighten it. On false, *ret_property names the first property that loosened. */
bool spec_is_at_least_as_strict(const SandboxSpec *spec, const SandboxSpec *base, const char **ret_property);
