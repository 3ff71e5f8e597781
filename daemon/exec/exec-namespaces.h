/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sandbox-spec.h"

/* Enters the namespaces the spec asks for. confine-exec does this itself, rather than relying on
 * its parent's clone flags, so that it gives the same sandbox when run on its own. */
void exec_enter_namespaces(const SandboxSpec *spec);

/* Brings lo up in a fresh network namespace. */
void exec_setup_loopback(const SandboxSpec *spec);
