/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <systemd/sd-journal.h>

#include "log.h"
#include "log-journal.h"

bool log_journal_is_stderr(void) {
        const char *e = getenv("JOURNAL_STREAM");
        unsigned long long dev, ino;
        struct stat st;

        if (!e || sscanf(e, "%llu:%llu", &dev, &ino) != 2)
                return false;
        if (fstat(STDERR_FILENO, &st) < 0)
                return false;
        return (unsigned long long) st.st_dev == dev && (unsigned long long) st.st_ino == ino;
}

#define FIELD_MAX 128

static void journal_sink(int level, const LogFields *fields, const char *file, int line, const char *message) {
        char priority[FIELD_MAX], code_file[FIELD_MAX * 2], code_line[FIELD_MAX];
        char job_id[FIELD_MAX], uid[FIELD_MAX], result[FIELD_MAX];
        _cleanup_free_ char *msg = NULL;
        struct iovec iov[9];
        size_t n = 0;

#define ADD(buf, ...)                                                   \
        do {                                                            \
                snprintf((buf), sizeof (buf), __VA_ARGS__);             \
                iov[n++] = (struct iovec) { .iov_base = (buf), .iov_len = strlen(buf) }; \
        } while (0)

        if (asprintf(&msg, "MESSAGE=%s", message) < 0) {
                /* No memory for the copy: the line still goes out, on stderr. */
                fprintf(stderr, "<%d>%s\n", level, message);
                return;
        }
        iov[n++] = (struct iovec) { .iov_base = msg, .iov_len = strlen(msg) };
        ADD(priority, "PRIORITY=%d", level);
        ADD(code_file, "CODE_FILE=%s", file);
        ADD(code_line, "CODE_LINE=%d", line);
        iov[n++] = (struct iovec) { .iov_base = (char *) "SYSLOG_IDENTIFIER=confined",
                                    .iov_len = strlen("SYSLOG_IDENTIFIER=confined") };
        if (fields && fields->job_id > 0)
                ADD(job_id, "CONFINE_JOB_ID=%" PRIu64, fields->job_id);
        if (fields && fields->has_uid)
                ADD(uid, "CONFINE_UID=%u", (unsigned) fields->uid);
        if (fields && fields->result)
                ADD(result, "CONFINE_RESULT=%s", fields->result);
#undef ADD

        if (sd_journal_sendv(iov, (int) n) < 0)
                fprintf(stderr, "<%d>%s\n", level, message);
}

bool log_journal_setup(bool force) {
        if (!force && !log_journal_is_stderr())
                return false;
        log_set_sink(journal_sink);
        return true;
}
