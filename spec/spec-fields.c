/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "macro.h"
#include "spec-fields.h"

#define SWITCH_ENTRY(name, field, shown) { name, offsetof(SandboxSpec, field), shown, 0 },
const SpecField spec_switches[] = { SPEC_SWITCHES(SWITCH_ENTRY) };
#undef SWITCH_ENTRY
const size_t spec_switches_size = ELEMENTSOF(spec_switches);

#define LIMIT_ENTRY(name, field, default_value) { name, offsetof(SandboxSpec, field), false, default_value },
const SpecField spec_limits[] = { SPEC_LIMITS(LIMIT_ENTRY) };
#undef LIMIT_ENTRY
const size_t spec_limits_size = ELEMENTSOF(spec_limits);

const SpecField *spec_switch_lookup(const char *name) {
        for (size_t i = 0; i < spec_switches_size; i++)
                if (streq(spec_switches[i].name, name))
                        return spec_switches + i;
        return NULL;
}
