/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sandbox-spec.h"

/* rlimits, umask and nice level. */
void exec_apply_resources(const SandboxSpec *spec);
