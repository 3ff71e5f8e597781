/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "ip-prefix.h"
#include "namespace-names.h"
#include "parse-util.h"
#include "process-names.h"
#include "property-table.h"
#include "property-text-io.h"
#include "strv.h"


const PropertyInfo *property_info_lookup(const char *name) {
        for (size_t i = 0; i < property_table_size; i++)
                if (streq(property_table[i].name, name))
                        return property_table + i;
        return NULL;
}

const PropertyAlias property_aliases[] = {
        { "CPUQuota", "CPUQuotaPerSecUSec" },
        { "RuntimeMaxSec", "RuntimeMaxUSec" },
        { "TimeoutStopSec", "TimeoutStopUSec" },
        { "StandardInputText", "StandardInputData" },
        { "EnvironmentFile", "EnvironmentFiles" },
};
const size_t property_aliases_size = ELEMENTSOF(property_aliases);

/* Limits counted in bytes take sizes ("64M"); the others plain numbers. */
static bool rlimit_is_bytes(const char *name) {
        static const char *const bytes[] = { "LimitFSIZE", "LimitDATA", "LimitSTACK", "LimitCORE",
                                             "LimitRSS", "LimitAS", "LimitMEMLOCK", "LimitMSGQUEUE" };
        for (size_t i = 0; i < ELEMENTSOF(bytes); i++)
                if (strneq(name, bytes[i], strlen(bytes[i])))
                        return true;
        return false;
}

/* One side of a Limit*= value, as systemd's rlimit_parse() reads it for that resource: sizes for byte
 * limits, time spans for LimitCPU= (seconds, rounded up) and LimitRTTIME= (µs), nice levels ("+N",
 * "-N") or raw values for LimitNICE=, plain numbers for the rest; "infinity" everywhere. */
static int parse_rlimit_value(const char *name, const char *s, uint64_t *ret) {
        unsigned long long n;
        uint64_t usec;
        char *end;
        int nice, r;

        if (rlimit_is_bytes(name))
                return parse_size(s, ret);
        if (streq(s, "infinity")) {
                *ret = UINT64_MAX;
                return 0;
        }
        if (strneq(name, "LimitCPU", 8)) {
                r = parse_time_span(s, &usec);
                if (r < 0)
                        return r;
                *ret = usec == UINT64_MAX ? UINT64_MAX : (usec + 999999) / 1000000;
                return 0;
        }
        if (strneq(name, "LimitRTTIME", 11))
                return parse_time_span_usec(s, ret);
        if (strneq(name, "LimitNICE", 9) && (s[0] == '+' || s[0] == '-')) {
                r = parse_nice(s[0] == '+' ? s + 1 : s, &nice);
                if (r < 0 || (s[0] == '+' && nice < 0) || (s[0] == '-' && nice > 0))
                        return -EINVAL;
                *ret = (uint64_t) (20 - nice);
                return 0;
        }
        if (!isdigit((unsigned char) s[0]))
                return -EINVAL;
        errno = 0;
        n = strtoull(s, &end, 10);
        if (errno != 0 || *end)
                return -EINVAL;
        if (strneq(name, "LimitNICE", 9) && n > 40)
                return -ERANGE;
        *ret = n;
        return 0;
}

/* "N" or "SOFT:HARD", as systemd-run -p LimitNOFILE=1024:4096. */
static int parse_rlimit_text(const char *name, const char *value, PropertyValue *v) {
        const char *colon = strchr(value, ':');
        _cleanup_free_ char *soft = NULL;
        int r;

        if (!colon) {
                /* systemd-run sends "LimitX=N" as LimitX=N and LimitXSoft=N (rlimit_parse() sets both). */
                r = parse_rlimit_value(name, value, &v->t);
                if (r >= 0 && !strstr(name, "Soft")) {
                        v->soft = v->t;
                        v->has_soft = true;
                }
                return r;
        }
        soft = strndup(value, (size_t) (colon - value));
        if (!soft)
                return -ENOMEM;
        r = parse_rlimit_value(name, soft, &v->soft);
        if (r < 0)
                return r;
        r = parse_rlimit_value(name, colon + 1, &v->t);
        if (r < 0)
                return r;
        if (v->soft > v->t)
                return -ERANGE;
        v->has_soft = true;
        return 0;
}

void property_value_done(PropertyValue *v) {
        free(v->s);
        free(v->bytes);
        strv_free(v->strv);
        for (size_t i = 0; i < v->n_tuples; i++) {
                free(v->tuples[i].a);
                free(v->tuples[i].b);
                free(v->tuples[i].bytes);
        }
        free(v->tuples);
        *v = (PropertyValue) { .fd = -EBADF };
}

static const PropertyUnsupported property_unsupported[] = {
        { "LoadCredentialEncrypted", "confined does not read encrypted credential files yet: pass the file's "
                                     "contents as SetCredentialEncrypted=ID:BASE64" },
};

const PropertyUnsupported *property_unsupported_lookup(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(property_unsupported); i++)
                if (streq(property_unsupported[i].name, name))
                        return property_unsupported + i;
        return NULL;
}

/* Takes the strings of t. */
int property_value_add_tuple(PropertyValue *v, const PropertyTuple *t) {
        PropertyTuple *n = realloc(v->tuples, (v->n_tuples + 1) * sizeof(PropertyTuple));
        if (!n)
                return -ENOMEM;
        v->tuples = n;
        v->tuples[v->n_tuples++] = *t;
        return 0;
}

/* BindPaths=/BindReadOnlyPaths= as systemd-run reads them: "[-]SRC[:DEST[:rbind|norbind]] …".
 * A missing DEST is SRC; the default is rbind, as in systemd. */
static int parse_bind_paths_text(const char *value, PropertyValue *v, const char **ret_reason) {
        _cleanup_strv_free_ char **words = NULL;
        int r;

        r = split_quoted(value, &words);
        if (r < 0) {
                *ret_reason = "invalid quoting";
                return r;
        }
        STRV_FOREACH(w, words) {
                PropertyTuple t = { .fd = -EBADF, .t = MS_REC };
                const char *p = *w, *colon;

                if (*p == '-') {
                        t.flag = true;
                        p++;
                }
                colon = strchr(p, ':');
                t.a = colon ? strndup(p, (size_t) (colon - p)) : strdup(p);
                if (colon) {
                        const char *opt = strchr(colon + 1, ':');
                        t.b = opt ? strndup(colon + 1, (size_t) (opt - colon - 1)) : strdup(colon + 1);
                        if (opt && streq(opt + 1, "norbind"))
                                t.t = 0;
                        else if (opt && opt[1] && !streq(opt + 1, "rbind")) { /* "" is rbind, as in systemd-run */
                                free(t.a);
                                free(t.b);
                                *ret_reason = "invalid bind mount option, expected rbind or norbind";
                                return -EINVAL;
                        }
                } else
                        t.b = strdup(p);
                if (!t.a || !t.b || property_value_add_tuple(v, &t) < 0) {
                        free(t.a);
                        free(t.b);
                        return -ENOMEM;
                }
        }
        return 0;
}

/* TemporaryFileSystem= as systemd-run reads it: "PATH[:OPTIONS] …". */
static int parse_tmpfs_text(const char *value, PropertyValue *v, const char **ret_reason) {
        _cleanup_strv_free_ char **words = NULL;
        int r;

        r = split_quoted(value, &words);
        if (r < 0) {
                *ret_reason = "invalid quoting";
                return r;
        }
        STRV_FOREACH(w, words) {
                PropertyTuple t = { .fd = -EBADF };
                const char *colon = strchr(*w, ':');

                t.a = colon ? strndup(*w, (size_t) (colon - *w)) : strdup(*w);
                t.b = strdup(colon ? colon + 1 : "");
                if (!t.a || !t.b || property_value_add_tuple(v, &t) < 0) {
                        free(t.a);
                        free(t.b);
                        return -ENOMEM;
                }
        }
        return 0;
}

/* DeviceAllow= as systemd-run reads it: "NODE [ACCESS]", one entry; "" adds none. */
static int parse_device_allow_text(const char *value, PropertyValue *v, const char **ret_reason) {
        _cleanup_strv_free_ char **words = NULL;
        PropertyTuple t = { .fd = -EBADF };
        int r;

        r = split_quoted(value, &words);
        if (r < 0) {
                *ret_reason = "invalid quoting";
                return r;
        }
        if (strv_length(words) == 0)
                return 0;
        if (strv_length(words) > 2) {
                *ret_reason = "expected a device node and an access such as rw";
                return -EINVAL;
        }
        t.a = strdup(words[0]);
        t.b = strdup(words[1] ?: "");
        if (!t.a || !t.b || property_value_add_tuple(v, &t) < 0) {
                free(t.a);
                free(t.b);
                return -ENOMEM;
        }
        return 0;
}

/* SystemCallErrorNumber=: "" and "kill" → 0 (kill the process); an errno name or 1…4095 → that number. */
static int parse_errno_or_kill(const char *s, int32_t *ret) {
        char *end;
        long n;

        if (s[0] == 0 || streq(s, "kill")) {
                *ret = 0;
                return 0;
        }
        if (s[0] >= '0' && s[0] <= '9') {
                errno = 0;
                n = strtol(s, &end, 10);
                if (errno != 0 || *end || n < 1 || n > 4095)
                        return -EINVAL;
                *ret = (int32_t) n;
                return 0;
        }
        for (int e = 1; e <= 4095; e++) {
                const char *name = strerrorname_np(e);
                if (name && streq(name, s)) {
                        *ret = e;
                        return 0;
                }
        }
        return -EINVAL;
}

/* SystemCallFilter=, RestrictAddressFamilies=: "A B" → (true, {A, B}); "~A B" → (false, {A, B});
 * "" → (false, {}), which resets. */
static int parse_filter_list(const char *s, PropertyValue *v) {
        bool allow = true;
        int r;

        if (s[0] == '~') {
                allow = false;
                s++;
        }
        r = split_quoted(s, &v->strv);
        if (r < 0)
                return r;
        v->b = allow && v->strv && v->strv[0];
        return 0;
}

/* What is wrong with a value of each text kind, when its parser says only "invalid". */
static const char *const text_kind_reason[] = {
        [PROPERTY_TEXT_BOOLEAN] = "invalid boolean",
        [PROPERTY_TEXT_ENVIRONMENT] = "invalid quoting or environment assignment",
        [PROPERTY_TEXT_CAPABILITIES] = "invalid capability name",
        [PROPERTY_TEXT_WORDS] = "invalid quoting",
        [PROPERTY_TEXT_RLIMIT] = "invalid resource limit",
        [PROPERTY_TEXT_SIZE] = "invalid size",
        [PROPERTY_TEXT_COUNT] = "invalid number",
        [PROPERTY_TEXT_TIMESPAN] = "invalid time span",
        [PROPERTY_TEXT_CPU_QUOTA] = "invalid CPU quota, expected a percentage such as 20%",
        [PROPERTY_TEXT_WEIGHT] = "invalid weight, expected 1…10000",
        [PROPERTY_TEXT_CPU_WEIGHT] = "invalid weight, expected 1…10000 or idle",
        [PROPERTY_TEXT_UMASK] = "invalid umask",
        [PROPERTY_TEXT_NICE] = "invalid nice level, expected -20…19",
        [PROPERTY_TEXT_FILTER_LIST] = "invalid quoting",
        [PROPERTY_TEXT_ERRNO] = "invalid error number, expected an errno name, 1…4095 or \"kill\"",
        [PROPERTY_TEXT_NAMESPACES] = "invalid namespace list, expected yes, no or names of cgroup ipc net mnt pid user uts time",
        [PROPERTY_TEXT_NONE] = "cannot be set from text",
        [PROPERTY_TEXT_INT] = "invalid integer",
        [PROPERTY_TEXT_UNSIGNED] = "invalid number, expected a decimal number or nothing",
        [PROPERTY_TEXT_NSEC] = "invalid time span, expected nanoseconds or a span such as 50us",
        [PROPERTY_TEXT_COREDUMP_FILTER] = "invalid coredump filter, expected names such as private-anonymous, "
                                          "default, all or a hexadecimal mask",
        [PROPERTY_TEXT_CPU_SET] = "invalid CPU list, expected numbers and ranges such as 0-3 5",
        [PROPERTY_TEXT_IOPRIO_CLASS] = "invalid I/O scheduling class, expected realtime, best-effort, idle or none",
        [PROPERTY_TEXT_SCHED_POLICY] = "invalid CPU scheduling policy, expected other, batch, idle, fifo or rr",
        [PROPERTY_TEXT_SIGNAL] = "invalid signal, expected a name such as SIGTERM or a number",
        [PROPERTY_TEXT_SOCKET_BIND] = "invalid bind rule, expected any or [ipv4|ipv6:][tcp|udp:]PORT[-PORT] "
                                      "with ports 1…65535",
        [PROPERTY_TEXT_IP_PREFIXES] = "invalid address prefix, expected any, localhost, link-local, multicast "
                                      "or ADDRESS[/PREFIXLENGTH]",
        [PROPERTY_TEXT_BASE64] = "invalid base64 or C escape",
        [PROPERTY_TEXT_CREDENTIAL] = "invalid credential, expected ID:PATH (LoadCredential), ID:DATA with C escapes "
                                     "(SetCredential) or ID:BASE64 (SetCredentialEncrypted)",
        [PROPERTY_TEXT_MODE] = "invalid file mode, expected an octal number up to 07777",
        [PROPERTY_TEXT_SECURE_BITS] = "invalid secure bits, expected keep-caps, keep-caps-locked, no-setuid-fixup, "
                                      "no-setuid-fixup-locked, noroot or noroot-locked",
};

/* IPAddressAllow=/IPAddressDeny= as systemd-run reads them: words, each a name of two prefixes or an
 * address with an optional length; "" sends an empty list, which resets. */
static int parse_ip_prefixes_text(const char *value, PropertyValue *v) {
        _cleanup_strv_free_ char **words = NULL;
        int r;

        r = split_quoted(value, &words);
        if (r < 0)
                return r;
        STRV_FOREACH(w, words) {
                IPAddressPrefix p[2];
                size_t n;

                r = ip_prefix_parse_word(*w, p, &n);
                if (r < 0)
                        return -EINVAL;
                for (size_t k = 0; k < n; k++) {
                        size_t size = ip_family_address_size(p[k].family);
                        PropertyTuple t = { .fd = -EBADF, .i = p[k].family, .u = p[k].prefixlen, .n_bytes = size };

                        t.bytes = malloc(size);
                        if (!t.bytes)
                                return -ENOMEM;
                        memcpy(t.bytes, p[k].address, size);
                        if (property_value_add_tuple(v, &t) < 0) {
                                free(t.bytes);
                                return -ENOMEM;
                        }
                }
        }
        return 0;
}

/* SocketBindAllow=/SocketBindDeny=: one rule, or "" for the empty list that resets. */
static int parse_socket_bind_text(const char *value, PropertyValue *v) {
        SocketBindRule r;

        if (!value[0])
                return 0;
        if (socket_bind_rule_parse(value, &r) < 0)
                return -EINVAL;
        return property_value_add_tuple(v, &(PropertyTuple) { .fd = -EBADF, .i = r.family, .i2 = r.protocol,
                                                               .q1 = r.nr_ports, .q2 = r.port_min });
}

static int parse_environment_text(const char *value, PropertyValue *v) {
        int r = split_quoted_cunescape(value, &v->strv);
        if (r < 0)
                return r;
        STRV_FOREACH(e, v->strv)
                if (!env_assignment_is_valid(*e))
                        return -EINVAL;
        return 0;
}

static int parse_count(const char *value, uint64_t *ret) {
        uid_t n;

        if (streq(value, "infinity")) {
                *ret = UINT64_MAX;
                return 0;
        }
        if (parse_uid(value, &n) < 0) /* a plain decimal number */
                return -EINVAL;
        *ret = n;
        return 0;
}

/* MemoryMax=, TasksMax= as systemd-run reads them: "" and "infinity" are no limit; a percentage
 * ("50%", "12.5%", "125‰") becomes NameScale=u, the fraction of UINT32_MAX the daemon resolves
 * against the host; else a size (MemoryMax) or a number (TasksMax). */
static int parse_limit_text(const PropertyInfo *info, const char *value, PropertyValue *v) {
        _cleanup_free_ char *scale_name = NULL;
        uint64_t usec;
        int r;

        if (!value[0]) {
                v->t = UINT64_MAX;
                return 0;
        }
        r = parse_cpu_quota(value, &usec); /* the same permyriad syntax; usec = permyriad × 100 */
        if (r == -EINVAL)
                return info->text == PROPERTY_TEXT_SIZE ? parse_size(value, &v->t) : parse_count(value, &v->t);
        if (r < 0)
                return r;
        if (usec > 1000000) /* above 100% */
                return -ERANGE;
        if (asprintf(&scale_name, "%sScale", info->name) < 0)
                return -ENOMEM;
        v->info = property_info_lookup(scale_name);
        if (!v->info)
                return -EINVAL;
        v->u = (uint32_t) (((uint64_t) (usec / 100) * UINT32_MAX + 5000) / 10000);
        return 0;
}

/* As a unit file reads TTYRows=: empty means unset, which systemd keeps as UINT_MAX. */
static int parse_unsigned_or_unset(const char *s, uint32_t *ret) {
        char *end;
        unsigned long v;

        if (!s[0]) {
                *ret = UINT32_MAX;
                return 0;
        }
        if (!isdigit((unsigned char) s[0]))
                return -EINVAL;
        errno = 0;
        v = strtoul(s, &end, 10);
        if (errno != 0 || *end || v >= UINT32_MAX)
                return -EINVAL;
        *ret = (uint32_t) v;
        return 0;
}

/* CPUWeight=, IOWeight= as systemd-run reads them: "" unsets (UINT64_MAX on the wire), else
 * 1…10000; CPUWeight= also takes "idle" (0), as systemd 252 does. */
static int parse_weight_text(const PropertyInfo *info, const char *value, uint64_t *ret) {
        uid_t n;

        if (!value[0]) {
                *ret = UINT64_MAX;
                return 0;
        }
        if (info->text == PROPERTY_TEXT_CPU_WEIGHT && streq(value, "idle")) {
                *ret = 0;
                return 0;
        }
        if (parse_uid(value, &n) < 0)
                return -EINVAL;
        if (n < 1 || n > 10000)
                return -ERANGE;
        *ret = n;
        return 0;
}

static int parse_int32(const char *s, int32_t *ret) {
        char *end;
        long v;

        if (!s[0])
                return -EINVAL;
        errno = 0;
        v = strtol(s, &end, 10);
        if (errno != 0 || *end || v < INT32_MIN || v > INT32_MAX)
                return -EINVAL;
        *ret = (int32_t) v;
        return 0;
}

/* As systemd's parse_nsec(): bare numbers are nanoseconds; "ns"/"nsec" too; other units as any span. */
static int parse_nsec(const char *s, uint64_t *ret) {
        size_t l = strlen(s), digits = strspn(s, "0123456789");
        uint64_t usec;
        char *end;
        int r;

        if (streq(s, "infinity")) {
                *ret = UINT64_MAX;
                return 0;
        }
        if (digits > 0 && (digits == l || streq(s + digits, "ns") || streq(s + digits, "nsec"))) {
                errno = 0;
                *ret = strtoull(s, &end, 10);
                return errno ? -ERANGE : 0;
        }
        r = parse_time_span_usec(s, &usec);
        if (r < 0)
                return r;
        if (usec != UINT64_MAX && usec > UINT64_MAX / 1000)
                return -ERANGE;
        *ret = usec == UINT64_MAX ? UINT64_MAX : usec * 1000;
        return 0;
}

/* Fills the member of v that the kind's signature uses. Parsers that know better set
 * *ret_reason themselves; the others get the kind's reason. */
static int parse_text_value(const PropertyInfo *info, const char *value, PropertyValue *v, const char **ret_reason) {
        int r, n;

        switch (info->text) {
        case PROPERTY_TEXT_BOOLEAN:
                r = parse_boolean(value);
                v->b = r > 0;
                return r;
        case PROPERTY_TEXT_STRING:
                v->s = strdup(value);
                return v->s ? 0 : -ENOMEM;
        case PROPERTY_TEXT_ENVIRONMENT:
                return parse_environment_text(value, v);
        case PROPERTY_TEXT_CAPABILITIES:
                return parse_capability_set(value, &v->t);
        case PROPERTY_TEXT_WORDS:
                return split_quoted(value, &v->strv);
        case PROPERTY_TEXT_RLIMIT:
                return parse_rlimit_text(info->name, value, v);
        case PROPERTY_TEXT_SIZE:
        case PROPERTY_TEXT_COUNT:
                return parse_limit_text(info, value, v);
        case PROPERTY_TEXT_TIMESPAN:
                return parse_time_span(value, &v->t);
        case PROPERTY_TEXT_CPU_QUOTA:
                /* "" resets, as systemd-run sends USEC_INFINITY for "CPUQuota="; CPUQuotaPerSecUSec= also
                 * takes the time span systemctl show prints ("200ms"). */
                if (!value[0]) {
                        v->t = UINT64_MAX;
                        return 0;
                }
                r = parse_cpu_quota(value, &v->t);
                return r == -EINVAL ? parse_time_span_usec(value, &v->t) : r;
        case PROPERTY_TEXT_WEIGHT:
        case PROPERTY_TEXT_CPU_WEIGHT:
                return parse_weight_text(info, value, &v->t);
        case PROPERTY_TEXT_UMASK:
                r = parse_umask(value, &n);
                v->u = (uint32_t) n;
                return r;
        case PROPERTY_TEXT_NICE:
                r = parse_nice(value, &n);
                v->i = n;
                return r;
        case PROPERTY_TEXT_BIND_PATHS:
                return parse_bind_paths_text(value, v, ret_reason);
        case PROPERTY_TEXT_TMPFS:
                return parse_tmpfs_text(value, v, ret_reason);
        case PROPERTY_TEXT_DEVICE_ALLOW:
                return parse_device_allow_text(value, v, ret_reason);
        case PROPERTY_TEXT_FILTER_LIST:
                return parse_filter_list(value, v);
        case PROPERTY_TEXT_ERRNO:
                return parse_errno_or_kill(value, &v->i);
        case PROPERTY_TEXT_NAMESPACES:
                return namespace_flags_parse(value, &v->t);
        case PROPERTY_TEXT_SECURE_BITS:
                return secure_bits_from_string(value, &v->i);
        case PROPERTY_TEXT_INT:
                return parse_int32(value, &v->i);
        case PROPERTY_TEXT_UNSIGNED:
                return parse_unsigned_or_unset(value, &v->u);
        case PROPERTY_TEXT_SIGNAL:
                r = parse_signal(value);
                v->i = r;
                return r < 0 ? r : 0;
        case PROPERTY_TEXT_NSEC:
                return parse_nsec(value, &v->t);
        case PROPERTY_TEXT_MODE:
                return parse_mode(value, &v->u);
        case PROPERTY_TEXT_COREDUMP_FILTER:
                return coredump_filter_from_string(value, &v->t);
        case PROPERTY_TEXT_CPU_SET:
                return cpu_set_from_string(value, &v->bytes, &v->n_bytes);
        case PROPERTY_TEXT_IOPRIO_CLASS:
                r = ioprio_class_from_string(value);
                v->i = r;
                return r < 0 ? r : 0;
        case PROPERTY_TEXT_SCHED_POLICY:
                r = sched_policy_from_string(value);
                v->i = r;
                return r < 0 ? r : 0;
        case PROPERTY_TEXT_IP_PREFIXES:
                return parse_ip_prefixes_text(value, v);
        case PROPERTY_TEXT_SOCKET_BIND:
                return parse_socket_bind_text(value, v);
        case PROPERTY_TEXT_STDIO:
                return parse_stdio_text(info->name, value, v);
        case PROPERTY_TEXT_BASE64:
                return parse_stdin_data_text(false, value, v);
        case PROPERTY_TEXT_ENVIRONMENT_FILE:
                return parse_environment_file_text(value, v);
        case PROPERTY_TEXT_CREDENTIAL:
                return parse_credential_text(streq(info->name, "SetCredential") ? CREDENTIAL_TEXT_ESCAPED :
                                             streq(info->name, "SetCredentialEncrypted") ? CREDENTIAL_TEXT_BASE64 :
                                             CREDENTIAL_TEXT_PATH,
                                             value, v);
        case PROPERTY_TEXT_NONE:
                return -EINVAL;
        }
        return -EINVAL;
}

int property_value_parse(const char *assignment, PropertyValue *ret, const char **ret_reason) {
        _cleanup_(property_value_done) PropertyValue v = { .fd = -EBADF };
        _cleanup_free_ char *name = NULL;
        const char *eq, *reason = NULL;
        int r;

        eq = strchr(assignment, '=');
        if (!eq) {
                *ret_reason = "not of the form Name=Value";
                return -EINVAL;
        }
        name = strndup(assignment, (size_t) (eq - assignment));
        if (!name)
                return -ENOMEM;

        v.info = property_info_lookup(name);
        for (size_t i = 0; !v.info && i < ELEMENTSOF(property_aliases); i++)
                if (streq(name, property_aliases[i].text_name))
                        v.info = property_info_lookup(property_aliases[i].name);
        if (!v.info && property_unsupported_lookup(name)) {
                *ret_reason = property_unsupported_lookup(name)->reason;
                return -EOPNOTSUPP;
        }
        if (!v.info) {
                *ret_reason = "unknown property";
                return -ENOENT;
        }

        if (streq(name, "StandardInputText"))
                r = parse_stdin_data_text(true, eq + 1, &v);
        else
                r = parse_text_value(v.info, eq + 1, &v, &reason);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                if (!reason && (size_t) v.info->text < ELEMENTSOF(text_kind_reason))
                        reason = text_kind_reason[v.info->text];
                *ret_reason = reason ?: "invalid value";
                return r;
        }

        *ret = v;
        v = (PropertyValue) { .fd = -EBADF };
        return 0;
}
