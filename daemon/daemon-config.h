/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

/* confined.conf: resource limits, retention, and the properties laid under every job. */
typedef struct DaemonConfig {
        unsigned max_jobs_per_user;
        unsigned max_jobs_total;
        uint64_t max_argv_bytes;
        uint64_t max_environment_bytes;
        unsigned max_properties;
        unsigned max_pending_polkit_per_user;
        uint64_t keep_exited_usec;
        uint64_t output_window_bytes;   /* flag 2: Output not yet acknowledged by the owner */
        uint64_t polkit_timeout_usec;
        /* [Defaults]: "Name=Value" lines (the -p syntax) laid under every job, in file order. */
        char **default_properties;
        uint32_t dynamic_user_first, dynamic_user_last; /* DynamicUserRange=, inclusive */
} DaemonConfig;

void daemon_config_defaults(DaemonConfig *c);
void daemon_config_done(DaemonConfig *c);
/* Reads a key-file; a missing file leaves the defaults. Unknown keys are an error, and so is a
 * [Defaults] line that Spawn would refuse: the daemon does not start on a bad default. */
int daemon_config_load(DaemonConfig *c, const char *path);
