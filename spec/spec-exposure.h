/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The exposure report of a spec: the checks of `systemd-analyze security` (systemd 252: its names,
 * weights, ranges and 0–10 score, so that the two compare), each judged on what confine would run,
 * and the findings only a broker can make. Pure: no I/O. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sandbox-spec.h"

#define EXPOSURE_NOT_APPLICABLE UINT32_MAX

typedef struct ExposureCheck {
        const char *name;          /* systemd's: "PrivateNetwork=", "CapabilityBoundingSet=~CAP_SYS_ADMIN" */
        uint32_t weight, range;
        uint32_t badness;          /* 0 … range, or EXPOSURE_NOT_APPLICABLE */
        bool fixed;                /* no confine property decides it: confine always runs jobs this way */
        char description[160];
} ExposureCheck;

typedef struct ExposureFinding {
        const char *id;            /* "signal-other-processes", "system-bus-reachable", "host-network", "unresolvable-path" */
        char property[64];         /* what would fix it, or the property naming the path */
        char description[512];
} ExposureFinding;

#define EXPOSURE_FINDINGS_MAX 64

typedef struct ExposureReport {
        ExposureCheck *checks;
        size_t n_checks;
        uint32_t exposure;         /* tenths: 0 … 100, systemd's "9.1" is 91 */
        uint64_t badness_sum, weight_sum; /* the score's terms, finer than its tenths */
        ExposureFinding findings[EXPOSURE_FINDINGS_MAX];
        size_t n_findings;
} ExposureReport;

/* Judges every check on spec, as confine would run it (after defaults and forced settings), and
 * computes the score as systemd does: Σ⌈badness·weight/range⌉ · 100 / Σweight, rounded up, over the
 * checks that apply. Also makes the broker's findings that spec alone decides. bus_socket_paths
 * are the paths of the system bus socket that a job could connect to (NULL-terminated). */
int exposure_report_build(const SandboxSpec *spec, char * const *bus_socket_paths, ExposureReport *ret);
void exposure_report_done(ExposureReport *r);

/* Adds a finding; silently drops it when the report is full (the count says so). */
void exposure_report_add_finding(ExposureReport *r, const char *id, const char *property, const char *fmt, ...)
        _printf_(4, 5);

/* "SAFE", "OK", "MEDIUM", "EXPOSED", "UNSAFE", "DANGEROUS" or "PERFECT", as systemd names the score. */
const char *exposure_level_name(uint32_t exposure);

/* The number of checks, for tests that go through all of them. */
size_t exposure_checks_count(void);
