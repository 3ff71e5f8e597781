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

/* Whether a request laid over a Profile= stays within it: at least as strict, and every privilege
 * it has (what makes the polkit action spawn-privileged) comes from the profile: a non-empty
 * bounding set only within the profile's explicit one, NoNewPrivileges=no or SystemCallLog= only
 * if the profile has them. polkit's within_profile detail says this, so that an administrator's
 * rule can grant a profile, privileged or not, without granting anything else. */
bool spec_stays_within_profile(const SandboxSpec *spec, const SandboxSpec *profile, const char **ret_property);
