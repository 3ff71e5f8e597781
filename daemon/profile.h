/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sandbox-spec.h"

/* Profiles are named presets: DIR/NAME.conf, one "Name=Value" a line in the syntax of
 * `confinectl run -p`, '#' starts a comment. The first directory that has the file wins. */

/* Applies profile `name` to spec. On failure *ret_message says which file and line. */
int profile_apply(const char *name, char * const *dirs, SandboxSpec *spec, char **ret_message);

/* Applies one "Name=Value" line of a preset (a profile file, or confined.conf's [Defaults]): the -p
 * syntax, except that Profile= is refused, since presets do not include one another. Returns
 * property_apply()'s errors or -ENOENT (unknown name); *ret_message is then "Name: reason". */
int preset_line_apply(const char *line, SandboxSpec *spec, char **ret_message);
