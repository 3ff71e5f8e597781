/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "sandbox-spec.h"

/* Compiles the job's seccomp filters: SystemCallArchitectures=, RestrictAddressFamilies=,
 * MemoryDenyWriteExecute=, RestrictRealtime=, RestrictSUIDSGID=, RestrictNamespaces=, LockPersonality=,
 * the terminal injection ioctls, the denials of PrivateDevices=/ProtectKernelModules=/ProtectHostname=
 * and, last, SystemCallFilter=, into BPF programs in load order (none if the spec asks for no filter).
 * LockPersonality= keeps the persona of the calling process, which the job inherits. On failure
 * *ret_failed (if not NULL) names the filter and the step, e.g. "SystemCallFilter= (x86-64): add rules".
 * Needs libseccomp: only confined and the test drivers link this, never confine-exec. */
int seccomp_build(const SandboxSpec *spec, SeccompProgram **ret, size_t *ret_n, char **ret_failed);

/* Every input of seccomp_build() as one byte string: two specs with equal keys get equal programs. */
int seccomp_build_key(const SandboxSpec *spec, uint8_t **ret, size_t *ret_size);
