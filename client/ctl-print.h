/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <confine/confine.h>
#include <stdbool.h>

void ctl_print_json_string (const char *s);
/* A value as JSON, or as text: arrays space-separated, structs in [ ]. */
void ctl_print_value (GVariant *v, bool json);
/* A job's record, with the D-Bus property names: one JSON object, or Name=Value lines. */
void ctl_print_job (ConfineJob *job, bool json);
