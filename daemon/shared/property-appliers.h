/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Appliers that live outside property-apply.c, for its table. Each validates one value and
 * applies it to the spec; see property_apply(). */

#include "property-table.h"
#include "sandbox-spec.h"

int apply_rlimit(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_umask(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_nice(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_runtime_max(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_cgroup_limit(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_supplementary_groups(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_ambient_capabilities(SandboxSpec *s, const PropertyValue *v, char **msg);

/* Formats "Name: reason" into *msg and returns error. */
int property_fail(char **msg, int error, const char *format, ...) _printf_(3, 4);
