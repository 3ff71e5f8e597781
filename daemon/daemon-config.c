/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon-config.h"
#include "log.h"
#include "macro.h"
#include "profile.h"
#include "sandbox-spec.h"
#include "strv.h"

void daemon_config_defaults(DaemonConfig *c) {
        *c = (DaemonConfig) {
                .max_jobs_per_user = 64,
                .max_jobs_total = 1024,
                .max_argv_bytes = 128 * 1024,
                .max_environment_bytes = 128 * 1024,
                .max_properties = 256,
                .max_pending_polkit_per_user = 16,
                .keep_exited_usec = 60 * UINT64_C(1000000),
                .output_window_bytes = 1024 * 1024,
                .polkit_timeout_usec = 25 * UINT64_C(1000000),
                /* systemd's: 0xEF00…0xFFEF. */
                .dynamic_user_first = 61184,
                .dynamic_user_last = 65519,
        };
}

void daemon_config_done(DaemonConfig *c) {
        c->default_properties = strv_free(c->default_properties);
}

static char *strip(char *s) {
        char *e;
        while (isspace((unsigned char) *s))
                s++;
        e = s + strlen(s);
        while (e > s && isspace((unsigned char) e[-1]))
                *--e = 0;
        return s;
}

static int parse_u64(const char *v, uint64_t *ret) {
        char *end;
        if (!isdigit((unsigned char) *v))
                return -EINVAL;
        errno = 0;
        *ret = strtoull(v, &end, 10);
        return errno || *end ? -EINVAL : 0;
}

/* A [Defaults] line is checked against all lines before it, as Spawn will apply them. */
static int add_default(DaemonConfig *c, SandboxSpec *check, const char *key, const char *value, const char *where) {
        _cleanup_free_ char *line = NULL, *message = NULL;
        int r;

        if (asprintf(&line, "%s=%s", key, value) < 0)
                return log_oom();
        r = preset_line_apply(line, check, &message);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                return log_error_errno(r, "%s: [Defaults] %s: %s", where, line, message ?: strerror(-r));
        r = strv_consume(&c->default_properties, TAKE_PTR(line));
        return r < 0 ? log_oom() : 0;
}

/* "FIRST-LAST": uids above 0 and below 65535 (nobody) and 2^31, FIRST <= LAST. */
static int parse_uid_range(const char *value, uint32_t *ret_first, uint32_t *ret_last) {
        _cleanup_free_ char *first = NULL;
        const char *dash = strchr(value, '-');
        uint64_t a, b;

        if (!dash)
                return -EINVAL;
        first = strndup(value, (size_t) (dash - value));
        if (!first)
                return -ENOMEM;
        if (parse_u64(first, &a) < 0 || parse_u64(dash + 1, &b) < 0 || a == 0 || a > b || b >= 0x7fffffff ||
            (a <= 65535 && b >= 65534))
                return -EINVAL;
        *ret_first = (uint32_t) a;
        *ret_last = (uint32_t) b;
        return 0;
}

static int assign(DaemonConfig *c, const char *group, const char *key, const char *value) {
        uint64_t v;

        if (streq(group, "Jobs") && streq(key, "DynamicUserRange"))
                return parse_uid_range(value, &c->dynamic_user_first, &c->dynamic_user_last);

        if (parse_u64(value, &v) < 0 || v > UINT32_MAX * UINT64_C(1000000))
                return -EINVAL;
        if (streq(group, "Jobs")) {
                if (streq(key, "MaxJobsPerUser"))
                        c->max_jobs_per_user = (unsigned) MIN(v, UINT32_MAX);
                else if (streq(key, "MaxJobsTotal"))
                        c->max_jobs_total = (unsigned) MIN(v, UINT32_MAX);
                else if (streq(key, "MaxArgvBytes"))
                        c->max_argv_bytes = v;
                else if (streq(key, "MaxEnvironmentBytes"))
                        c->max_environment_bytes = v;
                else if (streq(key, "MaxProperties"))
                        c->max_properties = (unsigned) MIN(v, UINT32_MAX);
                else if (streq(key, "KeepExitedSec"))
                        c->keep_exited_usec = v * 1000000;
                else if (streq(key, "OutputWindowBytes")) {
                        if (v == 0)
                                return -EINVAL;
                        c->output_window_bytes = v;
                }
                else
                        return -ENOENT;
        } else if (streq(group, "Polkit")) {
                if (streq(key, "MaxPendingPerUser"))
                        c->max_pending_polkit_per_user = (unsigned) MIN(v, UINT32_MAX);
                else if (streq(key, "TimeoutSec") && v > 0)
                        c->polkit_timeout_usec = v * 1000000;
                else
                        return -ENOENT;
        } else
                return -ENOENT;
        return 0;
}

int daemon_config_load(DaemonConfig *c, const char *path) {
        _cleanup_free_ char *line = NULL, *group = NULL;
        _cleanup_(sandbox_spec_freep) SandboxSpec *check = sandbox_spec_new();
        size_t n = 0;
        unsigned lineno = 0;
        FILE *f;
        int r = 0;

        if (!check)
                return log_oom();
        f = fopen(path, "re");
        if (!f)
                return errno == ENOENT ? 0 : log_error_errno(errno, "Cannot open %s: %m", path);

        while (getline(&line, &n, f) > 0) {
                char *s = strip(line), *eq;
                lineno++;

                if (!*s || *s == '#' || *s == ';')
                        continue;
                if (*s == '[') {
                        char *e = strchr(s, ']');
                        if (!e || e[1]) {
                                r = log_error_errno(EINVAL, "%s:%u: bad group header", path, lineno);
                                break;
                        }
                        free(group);
                        group = strndup(s + 1, (size_t) (e - s - 1));
                        if (!group) {
                                r = log_oom();
                                break;
                        }
                        continue;
                }
                eq = strchr(s, '=');
                if (!eq || !group) {
                        r = log_error_errno(EINVAL, "%s:%u: expected Key=Value in a [Group]", path, lineno);
                        break;
                }
                *eq = 0;
                if (streq(group, "Defaults")) {
                        _cleanup_free_ char *where = NULL;

                        if (asprintf(&where, "%s:%u", path, lineno) < 0) {
                                r = log_oom();
                                break;
                        }
                        r = add_default(c, check, strip(s), strip(eq + 1), where);
                        if (r < 0)
                                break;
                        continue;
                }
                r = assign(c, group, strip(s), strip(eq + 1));
                if (r < 0) {
                        log_error_errno(r, "%s:%u: %s %s=%s", path, lineno,
                                        r == -ENOENT ? "unknown key" : "invalid value", strip(s), strip(eq + 1));
                        break;
                }
        }
        fclose(f);
        return r;
}
