/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exec-report.h"

static int status_fd = -EBADF;

void exec_report_set_fd(int fd) {
        status_fd = fd;
}

int exec_report_get_fd(void) {
        return status_fd;
}

void exec_fail(ExecStep step, int error, const char *detail_format, ...) {
        ExecStatus st = { .step = step, .error = error < 0 ? -error : error };
        va_list ap;

        if (detail_format) {
                va_start(ap, detail_format);
                vsnprintf(st.detail, sizeof st.detail, detail_format, ap);
                va_end(ap);
        }

        if (status_fd >= 0) {
                /* One record, smaller than PIPE_BUF: the write is atomic. */
                ssize_t n;
                do
                        n = write(status_fd, &st, sizeof st);
                while (n < 0 && errno == EINTR);
        } else
                fprintf(stderr, "confine-exec: %s%s%s: %s\n", exec_step_to_string(step),
                        st.detail[0] ? " " : "", st.detail, strerror(st.error));

        _exit(127);
}
