/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>
#include <sys/types.h>
#include <syslog.h>

#include "macro.h"

/* Logging goes to stderr, unless a program installs a sink (confined sends its lines to the
 * journal, with the fields below, when systemd runs it). */

/* The structured fields of one line about a job; a sink that keeps fields (the journal) gets
 * them, stderr shows only the message. */
typedef struct LogFields {
        uint64_t job_id;        /* 0: none */
        bool has_uid;
        uid_t uid;
        const char *result;     /* NULL: none */
} LogFields;

typedef void (*LogSink)(int level, const LogFields *fields, const char *file, int line, const char *message);

void log_set_max_level(int level);
int log_get_max_level(void);
void log_set_prefix(const char *prefix);
/* NULL: back to stderr. */
void log_set_sink(LogSink sink);

/* Logs and returns -abs(error) (or 0 if error is 0); %m in format expands to strerror(error).
 * fields may be NULL. */
int log_internal(int level, int error, const LogFields *fields, const char *file, int line,
                 const char *format, ...) _printf_(6, 7);

#define log_full_errno(level, error, ...) log_internal((level), (error), NULL, __FILE__, __LINE__, __VA_ARGS__)
#define log_full(level, ...) (void) log_full_errno((level), 0, __VA_ARGS__)

#define log_debug(...) log_full(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_full(LOG_INFO, __VA_ARGS__)
#define log_notice(...) log_full(LOG_NOTICE, __VA_ARGS__)
#define log_warning(...) log_full(LOG_WARNING, __VA_ARGS__)
#define log_error(...) log_full(LOG_ERR, __VA_ARGS__)

#define log_debug_errno(e, ...) log_full_errno(LOG_DEBUG, (e), __VA_ARGS__)
#define log_info_errno(e, ...) log_full_errno(LOG_INFO, (e), __VA_ARGS__)
#define log_warning_errno(e, ...) log_full_errno(LOG_WARNING, (e), __VA_ARGS__)
#define log_error_errno(e, ...) log_full_errno(LOG_ERR, (e), __VA_ARGS__)

/* A line about a job: log_job(LOG_INFO, &(LogFields) { .job_id = id, ... }, "format", ...). */
#define log_job(level, fields, ...) (void) log_internal((level), 0, (fields), __FILE__, __LINE__, __VA_ARGS__)
#define log_job_errno(level, error, fields, ...) log_internal((level), (error), (fields), __FILE__, __LINE__, __VA_ARGS__)

#define log_oom() log_error_errno(ENOMEM, "Out of memory.")
