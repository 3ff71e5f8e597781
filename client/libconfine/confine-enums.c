/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "confine/confine-enums.h"

G_DEFINE_FLAGS_TYPE (ConfineSpawnFlags, confine_spawn_flags,
                     G_DEFINE_ENUM_VALUE (CONFINE_SPAWN_FLAGS_NONE, "none"),
                     G_DEFINE_ENUM_VALUE (CONFINE_SPAWN_FLAGS_KILL_ON_DISCONNECT, "kill-on-disconnect"),
                     G_DEFINE_ENUM_VALUE (CONFINE_SPAWN_FLAGS_PIPE, "pipe"),
                     G_DEFINE_ENUM_VALUE (CONFINE_SPAWN_FLAGS_PTY, "pty"),
                     G_DEFINE_ENUM_VALUE (CONFINE_SPAWN_FLAGS_LEARN, "learn"))

G_DEFINE_ENUM_TYPE (ConfineStream, confine_stream,
                    G_DEFINE_ENUM_VALUE (CONFINE_STREAM_STDOUT, "stdout"),
                    G_DEFINE_ENUM_VALUE (CONFINE_STREAM_STDERR, "stderr"))
