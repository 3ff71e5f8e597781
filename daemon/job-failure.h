/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Why a job did not start: the record job_start() and JobObserver.start_failed() give. The bus
 * side turns it into a D-Bus error (bus_job_failure_to_error()); the model picks no error names. */

#include <stdarg.h>

#include "macro.h"

typedef enum JobFailureKind {
        JOB_FAILURE_SETUP,              /* a setup step failed: SpawnFailed */
        JOB_FAILURE_NOT_SUPPORTED,      /* this host cannot enforce the property: NotSupported */
        JOB_FAILURE_INVALID_PROPERTY,   /* the value cannot be used: InvalidProperty */
        JOB_FAILURE_INTERNAL,           /* the daemon's own resources (ENOMEM, EMFILE …): the errno's error */
        JOB_FAILURE_QUOTA,              /* a configured limit is reached (DynamicUserRange=): QuotaExceeded */
        _JOB_FAILURE_KIND_MAX,
} JobFailureKind;

typedef struct JobFailure {
        JobFailureKind kind;
        const char *step;       /* a fixed word: the daemon's step or confine-exec's (exec-status.h) */
        int error;              /* positive errno */
        char property[64];      /* the property concerned, "" if none */
        char detail[256];       /* what was being done, e.g. "WorkingDirectory=/nonexistent" */
} JobFailure;

/* Fills f and returns -error (error may be given either sign), so that a caller can
 * `return job_failure_set(…)`. */
int job_failure_set(JobFailure *f, JobFailureKind kind, const char *step, int error, const char *property,
                    const char *detail_format, ...) _printf_(6, 7);

/* The property a detail text of confine-exec starts with ("BindPaths=/a:/b" → "BindPaths"), if
 * it names one of the property table; "" otherwise. */
void job_failure_property_from_detail(JobFailure *f);
