/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* StandardInput=, StandardOutput=, StandardError=, their files and StandardInputData=, and
 * EnvironmentFile=: what the job reads and writes at its start, opened or read by confine-exec with
 * the job's file system ids (exec-stdio.c, exec-environment-file.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse-util.h"
#include "property-appliers.h"
#include "property-apply.h"
#include "strv.h"

#define invalid(msg, v, fmt, ...) property_fail((msg), -EINVAL, "%s: " fmt, (v)->info->name, ##__VA_ARGS__)
#define unsupported(msg, v, fmt, ...) property_fail((msg), -EOPNOTSUPP, "%s: " fmt, (v)->info->name, ##__VA_ARGS__)

static int stream_of(const char *name) {
        return strneq(name, "StandardInput", 13) ? 0 : strneq(name, "StandardOutput", 14) ? 1 : 2;
}

/* systemd's values that need a unit's surroundings: a terminal device, the journal, a socket unit. */
static bool stdio_value_is_unsupported(const char *s) {
        static const char *const unsupported[] = {
                "tty", "tty-force", "tty-fail", "socket", "journal", "syslog", "kmsg", "journal+console",
                "syslog+console", "kmsg+console",
        };
        for (size_t i = 0; i < ELEMENTSOF(unsupported); i++)
                if (streq(s, unsupported[i]))
                        return true;
        return strneq(s, "fd:", 3);
}

int apply_standard_stream(SandboxSpec *s, const PropertyValue *v, char **msg) {
        int stream = stream_of(v->info->name);
        StdioMode mode;

        if (streq(v->s, "null"))
                mode = STDIO_NULL;
        else if (stream == 0 && streq(v->s, "data"))
                mode = STDIO_DATA;
        else if (stream > 0 && streq(v->s, "inherit"))
                mode = STDIO_INHERIT;
        else if (streq(v->s, "file") || streq(v->s, "append") || streq(v->s, "truncate") || strneq(v->s, "file:", 5) ||
                 strneq(v->s, "append:", 7) || strneq(v->s, "truncate:", 9))
                return invalid(msg, v, "\"%s\": the path goes in %sFile=%s", v->s, v->info->name,
                               stream == 0 ? "" : ", FileToAppend= or FileToTruncate=");
        else if (stdio_value_is_unsupported(v->s))
                return unsupported(msg, v, "\"%s\" is not supported: a confine job has no unit's terminal, journal "
                                   "stream or socket; pass an fd with %sFileDescriptor instead",
                                   v->s, v->info->name);
        else
                return invalid(msg, v, "unknown value \"%s\", expected %s", v->s,
                               stream == 0 ? "null or data" : "inherit or null");
        free(s->stdio_path[stream]);
        s->stdio_path[stream] = NULL;
        s->stdio_mode[stream] = mode;
        return 0;
}

/* StandardInputFile=, StandardOutputFile=, StandardOutputFileToAppend=, …FileToTruncate=, and
 * StandardError's. */
int apply_standard_stream_file(SandboxSpec *s, const PropertyValue *v, char **msg) {
        int stream = stream_of(v->info->name);
        StdioMode mode = strstr(v->info->name, "ToAppend") ? STDIO_APPEND :
                         strstr(v->info->name, "ToTruncate") ? STDIO_TRUNCATE : STDIO_FILE;
        char *copy;

        if (!path_is_normalized_absolute(v->s))
                return invalid(msg, v, "\"%s\" is not an absolute, normalized path", v->s);
        copy = strdup(v->s);
        if (!copy)
                return -ENOMEM;
        free(s->stdio_path[stream]);
        s->stdio_path[stream] = copy;
        s->stdio_mode[stream] = mode;
        return 0;
}

/* As systemd: each assignment appends, an empty one resets; the total is bounded. */
int apply_standard_input_data(SandboxSpec *s, const PropertyValue *v, char **msg) {
        uint8_t *n;

        if (v->n_bytes == 0) {
                free(s->stdin_data);
                s->stdin_data = NULL;
                s->stdin_data_size = 0;
                return 0;
        }
        if (v->n_bytes > STDIN_DATA_MAX || s->stdin_data_size > STDIN_DATA_MAX - v->n_bytes)
                return invalid(msg, v, "more than %u bytes of standard input data", STDIN_DATA_MAX);
        n = realloc(s->stdin_data, s->stdin_data_size + v->n_bytes);
        if (!n)
                return -ENOMEM;
        memcpy(n + s->stdin_data_size, v->bytes, v->n_bytes);
        s->stdin_data = n;
        s->stdin_data_size += v->n_bytes;
        return 0;
}

/* a(sb): the path and whether a missing file is fine; as systemd, assignments accumulate and an
 * empty list resets. Kept as "-/path" for optional files. */
int apply_environment_file(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (v->n_tuples == 0) {
                s->environment_files = strv_free(s->environment_files);
                return 0;
        }
        for (size_t i = 0; i < v->n_tuples; i++) {
                const char *path = v->tuples[i].a;
                char *e;

                if (!path_is_normalized_absolute(path))
                        return invalid(msg, v, "\"%s\" is not an absolute, normalized path", path);
                if (strv_length(s->environment_files) >= ENVIRONMENT_FILES_MAX)
                        return invalid(msg, v, "more than %u files", ENVIRONMENT_FILES_MAX);
                if (asprintf(&e, "%s%s", v->tuples[i].flag ? "-" : "", path) < 0)
                        return -ENOMEM;
                if (strv_consume(&s->environment_files, e) < 0)
                        return -ENOMEM;
        }
        return 0;
}
