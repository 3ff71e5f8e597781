/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sandbox-spec.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* The job's environment: PATH, HOME, USER, LOGNAME, SHELL, then Environment= (later entries
 * override earlier ones), then LISTEN_FDS/LISTEN_FDNAMES for ExtraFileDescriptors. Nothing of the
 * daemon's own environment leaks in. */
int environment_build(char **user_env, const char *user, const char *home, const char *shell,
                      const ExtraFd *extra, size_t n_extra, char ***ret);

/* UnsetEnvironment=, the last step as in systemd: drops from env every NAME=… whose NAME is listed, and
 * every assignment listed whole. In place. */
void environment_unset(char **env, char **unset);
