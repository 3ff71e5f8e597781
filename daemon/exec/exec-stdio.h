/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sandbox-spec.h"

/* StandardInput=, StandardOutput=, StandardError=: opens their files with the job's file system ids
 * (a caller never gets a file opened that it could not open itself) and puts them, /dev/null, the
 * StandardInputData= or a copy of the stream before on fds 0, 1 and 2. Streams left unset keep the fd
 * confined passed (the caller's, a pipe of flag 2, the pty of flag 4, or /dev/null). Run in the
 * host's (or the parent job's) mount namespace, before the job's own tree exists, as systemd opens
 * them before its namespace setup. */
void exec_setup_stdio(const SandboxSpec *spec);
