/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sandbox-spec.h"

/* confined.conf's [Defaults]: properties laid under every job, before its profile and its own
 * properties, which may tighten them; loosening them is privilege (spawn-tier.c), as loosening a
 * profile is. */

/* Applies the lines (validated when the file was read) to a fresh spec. *ret_message names the
 * property on failure. */
int spawn_defaults_apply(char * const *lines, SandboxSpec *spec, char **ret_message);

/* Sets spec->defaults_loosened to the first property in which spec is looser than the defaults
 * alone. */
int spawn_defaults_judge(char * const *lines, SandboxSpec *spec);
