/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * ConfineSpawnFlags:
 * @CONFINE_SPAWN_FLAGS_NONE: no flag.
 * @CONFINE_SPAWN_FLAGS_KILL_ON_DISCONNECT: kill the job when the client's bus connection
 *   goes away; its result is then "owner-gone".
 * @CONFINE_SPAWN_FLAGS_PIPE: the daemon gives the job pipes as stdin, stdout and stderr;
 *   the output arrives as #ConfineJob::output, the input goes in with
 *   confine_job_write_input(). For clients that cannot pass file descriptors.
 * @CONFINE_SPAWN_FLAGS_PTY: the daemon gives the job a new pseudo-terminal; get its
 *   master with confine_job_get_terminal().
 * @CONFINE_SPAWN_FLAGS_LEARN: learn mode: the daemon records every system call the job makes;
 *   read them with confine_job_get_learned_system_calls() after confine_job_refresh().
 *
 * The flags of confine_client_spawn(), the same bits as those of Manager.Spawn.
 */
typedef enum {
        CONFINE_SPAWN_FLAGS_NONE = 0,
        CONFINE_SPAWN_FLAGS_KILL_ON_DISCONNECT = 1 << 0,
        CONFINE_SPAWN_FLAGS_PIPE = 1 << 1,
        CONFINE_SPAWN_FLAGS_PTY = 1 << 2,
        CONFINE_SPAWN_FLAGS_LEARN = 1 << 3,
} ConfineSpawnFlags;

/**
 * ConfineStream:
 * @CONFINE_STREAM_STDOUT: the job's standard output (fd 1).
 * @CONFINE_STREAM_STDERR: the job's standard error (fd 2).
 *
 * Which output of a job a #ConfineJob::output signal carries. The values are the fd
 * numbers.
 */
typedef enum {
        CONFINE_STREAM_STDOUT = 1,
        CONFINE_STREAM_STDERR = 2,
} ConfineStream;

#define CONFINE_TYPE_SPAWN_FLAGS (confine_spawn_flags_get_type ())
GType confine_spawn_flags_get_type (void);
#define CONFINE_TYPE_STREAM (confine_stream_get_type ())
GType confine_stream_get_type (void);

G_END_DECLS
