/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sandbox-spec.h"

#define ENVIRONMENT_FILE_SIZE_MAX (1024u * 1024u)
#define ENVIRONMENT_FILE_VARIABLES_MAX 4096u

/* EnvironmentFile=: reads each file (shell globs expanded, as systemd does) with the job's file system
 * ids, in the host's or the parent job's mount namespace, and returns the variables they set (later
 * ones replacing earlier ones). A missing file fails the job unless its entry has the "-" prefix. */
char **exec_read_environment_files(const SandboxSpec *spec);
