/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <systemd/sd-bus.h>

#include "sandbox-spec.h"

/* Reads the a(sv) of Spawn into spec. Unknown names give UnknownProperty, a wrong signature or
 * bad value InvalidProperty naming the property. fds are duplicated (CLOEXEC) into the spec. */
int bus_spec_read_properties(sd_bus_message *m, SandboxSpec *spec, unsigned max_properties, sd_bus_error *error);

/* Appends the effective spec as a(sv), in the same names and signatures. */
int bus_spec_append(sd_bus_message *reply, const SandboxSpec *spec);
