/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sandbox-spec.h"

/* Moves ExtraFileDescriptors from 5… down to 3… and marks every other fd above them close-on-exec,
 * so that the job gets stdio and the passed fds, and nothing else. */
void exec_arrange_fds(const SandboxSpec *spec);
