/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sandbox-spec.h"

/* Builds the job's mount tree inside its own mount namespace. */
void exec_setup_mounts(const SandboxSpec *spec);
