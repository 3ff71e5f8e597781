/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static int max_level = LOG_INFO;
static const char *log_prefix;
static LogSink log_sink;

void log_set_max_level(int level) {
        max_level = level;
}

int log_get_max_level(void) {
        return max_level;
}

void log_set_prefix(const char *prefix) {
        log_prefix = prefix;
}

void log_set_sink(LogSink sink) {
        log_sink = sink;
}

int log_internal(int level, int error, const LogFields *fields, const char *file, int line,
                 const char *format, ...) {
        int saved_errno = errno;
        char buf[2048];
        va_list ap;

        if (error < 0)
                error = -error;

        if (level <= max_level) {
                /* Let %m refer to the error we were given, not to whatever errno happens to be. */
                errno = error;
                va_start(ap, format);
                vsnprintf(buf, sizeof buf, format, ap);
                va_end(ap);

                if (log_sink)
                        log_sink(level, fields, file, line, buf);
                else if (max_level >= LOG_DEBUG)
                        fprintf(stderr, "<%d>%s%s(%s:%d) %s\n", level, strempty(log_prefix),
                                log_prefix ? ": " : "", file, line, buf);
                else
                        fprintf(stderr, "<%d>%s%s%s\n", level, strempty(log_prefix),
                                log_prefix ? ": " : "", buf);
        }

        errno = saved_errno;
        return -error;
}
