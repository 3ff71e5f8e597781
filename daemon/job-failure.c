/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "job-failure.h"
#include "property-table.h"

int job_failure_set(JobFailure *f, JobFailureKind kind, const char *step, int error, const char *property,
                    const char *detail_format, ...) {
        va_list ap;

        if (error < 0)
                error = -error;
        *f = (JobFailure) {
                .kind = kind,
                .step = step,
                .error = error,
        };
        if (property)
                snprintf(f->property, sizeof f->property, "%s", property);
        if (detail_format) {
                va_start(ap, detail_format);
                vsnprintf(f->detail, sizeof f->detail, detail_format, ap);
                va_end(ap);
        }
        return -error;
}

void job_failure_property_from_detail(JobFailure *f) {
        char name[sizeof f->property];
        size_t n = 0;

        while (n + 1 < sizeof name && isalnum((unsigned char) f->detail[n])) {
                name[n] = f->detail[n];
                n++;
        }
        name[n] = 0;
        if (n == 0 || (f->detail[n] != '=' && f->detail[n] != ':'))
                return;
        if (property_info_lookup(name))
                memcpy(f->property, name, n + 1);
}
