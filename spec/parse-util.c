/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cap-names.h"
#include "macro.h"
#include "parse-util.h"
#include "strv.h"

int parse_boolean(const char *s) {
        static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
        static const char *const no[] = { "0", "no", "n", "false", "f", "off" };

        if (!s)
                return -EINVAL;
        for (size_t i = 0; i < ELEMENTSOF(yes); i++)
                if (strcasecmp(s, yes[i]) == 0)
                        return 1;
        for (size_t i = 0; i < ELEMENTSOF(no); i++)
                if (strcasecmp(s, no[i]) == 0)
                        return 0;
        return -EINVAL;
}

/* One C escape after a backslash, as systemd's cunescape_one() reads it: \a \b \f \n \r \t \v \\ \" \'
 * \s (space), \xHH, \NNN (octal), \uXXXX. Writes the bytes to out (at most 4), returns how many
 * characters of p it used, or -EINVAL. */
static int cunescape_one(const char *p, char *out, size_t *ret_n) {
        static const char simple[] = "a\ab\bf\fn\nr\rt\tv\v\\\\\"\"''s ";
        unsigned long v;
        char buf[5] = {};
        char *end;

        for (size_t i = 0; simple[i]; i += 2)
                if (*p == simple[i]) {
                        out[0] = simple[i + 1];
                        *ret_n = 1;
                        return 1;
                }
        if (*p == 'x' || *p == 'u') {
                size_t digits = *p == 'x' ? 2 : 4;
                strncpy(buf, p + 1, digits); /* stops at the end of p */
                if (strlen(buf) != digits || strspn(buf, "0123456789abcdefABCDEF") != digits)
                        return -EINVAL;
                v = strtoul(buf, &end, 16);
                if (v == 0)
                        return -EINVAL;
                if (*p == 'x' || v < 0x80) {
                        out[0] = (char) v;
                        *ret_n = 1;
                } else if (v < 0x800) {
                        out[0] = (char) (0xc0 | (v >> 6));
                        out[1] = (char) (0x80 | (v & 0x3f));
                        *ret_n = 2;
                } else {
                        out[0] = (char) (0xe0 | (v >> 12));
                        out[1] = (char) (0x80 | ((v >> 6) & 0x3f));
                        out[2] = (char) (0x80 | (v & 0x3f));
                        *ret_n = 3;
                }
                return (int) digits + 1;
        }
        if (*p >= '0' && *p <= '3') {
                strncpy(buf, p, 3);
                if (strlen(buf) != 3 || strspn(buf, "01234567") != 3)
                        return -EINVAL;
                v = strtoul(buf, &end, 8);
                if (v == 0)
                        return -EINVAL;
                out[0] = (char) v;
                *ret_n = 1;
                return 3;
        }
        return -EINVAL;
}

static int split_words(const char *s, bool cunescape, char ***ret);

int split_quoted(const char *s, char ***ret) {
        return split_words(s, false, ret);
}

int split_quoted_cunescape(const char *s, char ***ret) {
        return split_words(s, true, ret);
}

static int split_words(const char *s, bool cunescape, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        size_t len = strlen(s);
        _cleanup_free_ char *word = malloc(len + 1);
        const char *p = s;
        int r;

        if (!word)
                return -ENOMEM;

        for (;;) {
                size_t n = 0;
                char quote = 0;
                bool have_word = false;

                while (*p && isspace((unsigned char) *p))
                        p++;
                if (!*p)
                        break;

                for (; *p; p++) {
                        if (quote) {
                                if (*p == quote) {
                                        quote = 0;
                                        continue;
                                }
                                if (*p == '\\' && cunescape && p[1]) {
                                        size_t k;
                                        r = cunescape_one(p + 1, word + n, &k);
                                        if (r < 0)
                                                return r;
                                        n += k;
                                        p += r;
                                        continue;
                                }
                                if (*p == '\\' && quote == '"' && p[1]) {
                                        word[n++] = *++p;
                                        continue;
                                }
                                word[n++] = *p;
                                continue;
                        }
                        if (isspace((unsigned char) *p))
                                break;
                        if (*p == '"' || *p == '\'') {
                                quote = *p;
                                have_word = true;
                                continue;
                        }
                        if (*p == '\\') {
                                if (!p[1])
                                        return -EINVAL;
                                if (cunescape) {
                                        size_t k;
                                        r = cunescape_one(p + 1, word + n, &k);
                                        if (r < 0)
                                                return r;
                                        n += k;
                                        p += r;
                                        continue;
                                }
                                word[n++] = *++p;
                                continue;
                        }
                        word[n++] = *p;
                }
                if (quote)
                        return -EINVAL;
                if (n > 0 || have_word) {
                        word[n] = 0;
                        r = strv_extend(&l, word);
                        if (r < 0)
                                return r;
                }
        }

        if (!l) {
                l = calloc(1, sizeof(char *));
                if (!l)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

int parse_capability_set(const char *s, uint64_t *ret) {
        _cleanup_strv_free_ char **words = NULL;
        bool invert = false;
        uint64_t mask = 0;
        int r;

        if (*s == '~') {
                invert = true;
                s++;
        }
        r = split_quoted(s, &words);
        if (r < 0)
                return r;
        STRV_FOREACH(w, words) {
                int cap = capability_from_name(*w);
                if (cap < 0)
                        return -EINVAL;
                mask |= UINT64_C(1) << cap;
        }
        /* "~…" as systemd-run sends it: every other bit set, so that the daemon can tell it from a list. */
        *ret = invert ? ~mask : mask;
        return 0;
}

int parse_uid(const char *s, uid_t *ret) {
        unsigned long long v;
        char *end;

        if (!s || !isdigit((unsigned char) s[0]))
                return -EINVAL;
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno != 0 || *end || v >= UINT32_MAX - 1 || (s[0] == '0' && s[1]))
                return -EINVAL;
        *ret = (uid_t) v;
        return 0;
}

static const char *const signal_names[] = {
        [SIGHUP] = "HUP",   [SIGINT] = "INT",   [SIGQUIT] = "QUIT", [SIGILL] = "ILL",
        [SIGTRAP] = "TRAP", [SIGABRT] = "ABRT", [SIGBUS] = "BUS",   [SIGFPE] = "FPE",
        [SIGKILL] = "KILL", [SIGUSR1] = "USR1", [SIGSEGV] = "SEGV", [SIGUSR2] = "USR2",
        [SIGPIPE] = "PIPE", [SIGALRM] = "ALRM", [SIGTERM] = "TERM", [SIGSTKFLT] = "STKFLT",
        [SIGCHLD] = "CHLD", [SIGCONT] = "CONT", [SIGSTOP] = "STOP", [SIGTSTP] = "TSTP",
        [SIGTTIN] = "TTIN", [SIGTTOU] = "TTOU", [SIGURG] = "URG",   [SIGXCPU] = "XCPU",
        [SIGXFSZ] = "XFSZ", [SIGVTALRM] = "VTALRM", [SIGPROF] = "PROF", [SIGWINCH] = "WINCH",
        [SIGIO] = "IO",     [SIGPWR] = "PWR",   [SIGSYS] = "SYS",
};

const char *signal_to_name(int sig) {
        if (sig <= 0 || (size_t) sig >= ELEMENTSOF(signal_names))
                return NULL;
        return signal_names[sig];
}

int parse_signal(const char *s) {
        char *end;
        long v;

        if (!s || !*s)
                return -EINVAL;
        if (isdigit((unsigned char) s[0])) {
                errno = 0;
                v = strtol(s, &end, 10);
                if (errno != 0 || *end || v <= 0 || v > SIGRTMAX)
                        return -EINVAL;
                return (int) v;
        }
        if (strncasecmp(s, "SIG", 3) == 0)
                s += 3;
        for (size_t i = 1; i < ELEMENTSOF(signal_names); i++)
                if (signal_names[i] && strcasecmp(s, signal_names[i]) == 0)
                        return (int) i;
        return -EINVAL;
}

static bool env_name_is_valid_until(const char *e, const char *eq) {
        if (eq == e || !(isalpha((unsigned char) e[0]) || e[0] == '_'))
                return false;
        for (const char *p = e; p < eq; p++)
                if (!(isalnum((unsigned char) *p) || *p == '_'))
                        return false;
        return true;
}

bool env_name_is_valid(const char *e) {
        return e[0] && !strchr(e, '=') && env_name_is_valid_until(e, e + strlen(e));
}

bool env_assignment_is_valid(const char *e) {
        const char *eq = strchr(e, '=');

        if (!eq || eq == e)
                return false;
        return env_name_is_valid_until(e, eq);
}

bool path_is_normalized_absolute(const char *p) {
        const char *c;

        if (!p || p[0] != '/' || strlen(p) >= PATH_MAX)
                return false;
        for (c = p; *c;) {
                size_t n;

                while (*c == '/')
                        c++;
                n = strcspn(c, "/");
                if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
                        return false;
                c += n;
        }
        return !strstr(p, "//");
}

int path_simplify_absolute(const char *p, char **ret) {
        _cleanup_free_ char *out = NULL;
        size_t o = 0;

        if (!p || p[0] != '/' || strlen(p) >= PATH_MAX)
                return -EINVAL;
        out = malloc(strlen(p) + 1);
        if (!out)
                return -ENOMEM;
        for (const char *c = p; *c;) {
                size_t n;

                while (*c == '/')
                        c++;
                n = strcspn(c, "/");
                if (n == 0 || (n == 1 && c[0] == '.')) {
                        c += n;
                        continue;
                }
                if (n == 2 && c[0] == '.' && c[1] == '.')
                        return -EINVAL;
                out[o++] = '/';
                memcpy(out + o, c, n);
                o += n;
                c += n;
        }
        if (o == 0)
                out[o++] = '/';
        out[o] = 0;
        *ret = TAKE_PTR(out);
        return 0;
}

int parse_size(const char *s, uint64_t *ret) {
        static const struct {
                char suffix;
                uint64_t factor;
        } units[] = {
                { 'K', UINT64_C(1) << 10 }, { 'M', UINT64_C(1) << 20 }, { 'G', UINT64_C(1) << 30 },
                { 'T', UINT64_C(1) << 40 }, { 'P', UINT64_C(1) << 50 }, { 'E', UINT64_C(1) << 60 },
        };
        long double v;
        char *end;

        if (streq(s, "infinity")) {
                *ret = UINT64_MAX;
                return 0;
        }
        if (!isdigit((unsigned char) s[0]))
                return -EINVAL;
        errno = 0;
        v = strtold(s, &end);
        if (errno != 0 || end == s)
                return -EINVAL;
        if (*end == 'B' && end[1] == 0)
                end++;
        else if (*end) {
                size_t i;
                for (i = 0; i < ELEMENTSOF(units); i++)
                        if (toupper((unsigned char) *end) == units[i].suffix)
                                break;
                if (i == ELEMENTSOF(units) || (end[1] && !(end[1] == 'B' && !end[2])))
                        return -EINVAL;
                v *= (long double) units[i].factor;
        } else if (strchr(s, '.'))
                return -EINVAL; /* a fraction of a byte */
        if (v >= 18446744073709551615.0L)
                return -ERANGE;
        *ret = (uint64_t) v;
        return 0;
}

/* A time span in systemd's syntax (parse_time()): numbers, each with an optional fraction and a unit,
 * summed ("1min 30s", "1.5h", "2h30m"); a number without a unit is in default_unit microseconds. */
static int parse_time_with_default(const char *s, uint64_t default_unit, uint64_t *ret_usec) {
        static const struct {
                const char *suffix;
                uint64_t usec;
        } units[] = {
                /* Longer suffixes first, so that "ms" is not read as "m" + "s". */
                { "usec", 1 }, { "us", 1 }, { "\u03bcs", 1 }, { "\u00b5s", 1 }, { "msec", 1000 }, { "ms", 1000 },
                { "seconds", 1000000 }, { "second", 1000000 }, { "sec", 1000000 }, { "s", 1000000 },
                { "minutes", 60000000 }, { "minute", 60000000 }, { "min", 60000000 },
                { "months", UINT64_C(2629800000000) }, { "month", UINT64_C(2629800000000) },
                { "M", UINT64_C(2629800000000) }, { "m", 60000000 },
                { "hours", UINT64_C(3600000000) }, { "hour", UINT64_C(3600000000) }, { "hr", UINT64_C(3600000000) },
                { "h", UINT64_C(3600000000) }, { "days", UINT64_C(86400000000) }, { "day", UINT64_C(86400000000) },
                { "d", UINT64_C(86400000000) }, { "weeks", UINT64_C(604800000000) }, { "week", UINT64_C(604800000000) },
                { "w", UINT64_C(604800000000) }, { "years", UINT64_C(31557600000000) },
                { "year", UINT64_C(31557600000000) }, { "y", UINT64_C(31557600000000) },
        };
        uint64_t total = 0;
        const char *p = s;
        bool any = false;

        p += strspn(p, " \t\n");
        if (streq(p, "infinity")) {
                *ret_usec = UINT64_MAX;
                return 0;
        }
        for (;;) {
                unsigned long long v;
                uint64_t factor = default_unit, part;
                long double fraction = 0;
                char *end;

                p += strspn(p, " \t\n");
                if (!*p)
                        break;
                if (!isdigit((unsigned char) *p) && *p != '.')
                        return -EINVAL;
                errno = 0;
                v = isdigit((unsigned char) *p) ? strtoull(p, &end, 10) : 0;
                if (errno != 0)
                        return -ERANGE;
                if (!isdigit((unsigned char) *p))
                        end = (char *) p;
                if (*end == '.') {
                        const char *f = end + 1;
                        long double scale = 0.1L;

                        if (!isdigit((unsigned char) *f))
                                return -EINVAL;
                        for (; isdigit((unsigned char) *f); f++, scale /= 10)
                                fraction += (*f - '0') * scale;
                        end = (char *) f;
                }
                p = end;
                p += strspn(p, " \t\n");
                if (*p && !isdigit((unsigned char) *p) && *p != '.') {
                        size_t i, l = 0;
                        for (i = 0; i < ELEMENTSOF(units); i++) {
                                l = strlen(units[i].suffix);
                                if (strneq(p, units[i].suffix, l) && !isalpha((unsigned char) p[l]))
                                        break;
                        }
                        if (i == ELEMENTSOF(units))
                                return -EINVAL;
                        factor = units[i].usec;
                        p += l;
                }
                if (v > (UINT64_MAX - total) / factor)
                        return -ERANGE;
                part = v * factor + (uint64_t) (fraction * (long double) factor);
                if (part > UINT64_MAX - total)
                        return -ERANGE;
                total += part;
                any = true;
        }
        if (!any)
                return -EINVAL;
        *ret_usec = total;
        return 0;
}

int parse_time_span(const char *s, uint64_t *ret_usec) {
        return parse_time_with_default(s, 1000000, ret_usec);
}

int parse_time_span_usec(const char *s, uint64_t *ret_usec) {
        return parse_time_with_default(s, 1, ret_usec);
}

int parse_cpu_quota(const char *s, uint64_t *ret_usec_per_sec) {
        size_t l = strlen(s), digits;
        uint64_t whole, permyriad;
        unsigned frac = 0, scale;
        const char *p = s;
        char *end;

        /* systemd's parse_permyriad_unbounded(): "N%" with up to two decimals, "N‰" with up to one,
         * "N‱"; the quota per second is permyriad × 100 µs. */
        if (l > 1 && s[l - 1] == '%')
                scale = 100, l -= 1, digits = 2;
        else if (l > 3 && streq(s + l - 3, "\u2030"))
                scale = 10, l -= 3, digits = 1;
        else if (l > 3 && streq(s + l - 3, "\u2031"))
                scale = 1, l -= 3, digits = 0;
        else
                return -EINVAL;
        if (!isdigit((unsigned char) *p))
                return -EINVAL;
        errno = 0;
        whole = strtoull(p, &end, 10);
        if (errno != 0 || whole > 1000000)
                return -ERANGE;
        if (*end == '.' && (size_t) (end + 1 - s) < l) {
                size_t n = 0;
                for (p = end + 1; p < s + l; p++, n++) {
                        if (!isdigit((unsigned char) *p) || n >= digits)
                                return -EINVAL;
                        frac = frac * 10 + (unsigned) (*p - '0');
                }
                for (; n < digits; n++)
                        frac *= 10;
                end = (char *) s + l;
        }
        if (end != s + l)
                return -EINVAL;
        permyriad = whole * scale + frac;
        if (permyriad == 0)
                return -ERANGE; /* "CPU quota too small" */
        *ret_usec_per_sec = permyriad * 100;
        return 0;
}

int parse_umask(const char *s, int *ret) {
        unsigned long v;
        char *end;

        if (!*s || strspn(s, "01234567") != strlen(s))
                return -EINVAL;
        v = strtoul(s, &end, 8);
        if (v > 0777)
                return -ERANGE;
        *ret = (int) v;
        return 0;
}

int parse_mode(const char *s, uint32_t *ret) {
        unsigned long v;

        if (!*s || strlen(s) > 8 || strspn(s, "01234567") != strlen(s))
                return -EINVAL;
        v = strtoul(s, NULL, 8);
        if (v > 07777)
                return -ERANGE;
        *ret = (uint32_t) v;
        return 0;
}

int parse_nice(const char *s, int *ret) {
        long v;
        char *end;

        errno = 0;
        v = strtol(s, &end, 10);
        if (errno != 0 || end == s || *end || v < -20 || v > 19)
                return -ERANGE;
        *ret = (int) v;
        return 0;
}

int cunescape_string(const char *s, char **ret, size_t *ret_size) {
        _cleanup_free_ char *out = malloc(strlen(s) + 1);
        size_t n = 0;

        if (!out)
                return -ENOMEM;
        for (const char *p = s; *p;) {
                size_t k;
                int used;

                if (*p != '\\') {
                        out[n++] = *p++;
                        continue;
                }
                used = cunescape_one(p + 1, out + n, &k);
                if (used < 0)
                        return -EINVAL;
                n += k;
                p += 1 + used;
        }
        out[n] = 0;
        *ret_size = n;
        *ret = TAKE_PTR(out);
        return 0;
}

static int base64_value(char c) {
        if (c >= 'A' && c <= 'Z')
                return c - 'A';
        if (c >= 'a' && c <= 'z')
                return c - 'a' + 26;
        if (c >= '0' && c <= '9')
                return c - '0' + 52;
        if (c == '+')
                return 62;
        if (c == '/')
                return 63;
        return -1;
}

int unbase64(const char *s, uint8_t **ret, size_t *ret_size) {
        _cleanup_free_ uint8_t *out = malloc(strlen(s) / 4 * 3 + 3);
        uint32_t acc = 0;
        size_t n = 0, bits = 0, pad = 0;

        if (!out)
                return -ENOMEM;
        for (const char *p = s; *p; p++) {
                int v;

                if (strchr(" \t\n\r", *p))
                        continue;
                if (*p == '=') {
                        pad++;
                        continue;
                }
                v = base64_value(*p);
                if (v < 0 || pad > 0)
                        return -EINVAL;
                acc = (acc << 6) | (uint32_t) v;
                bits += 6;
                if (bits >= 8) {
                        bits -= 8;
                        out[n++] = (uint8_t) (acc >> bits);
                        acc &= (1u << bits) - 1;
                }
        }
        /* What is left must be the zero bits of a last, partial group; "=" only completes one. */
        if (bits >= 6 || acc != 0 || pad > 2 || (pad > 0 && (bits + pad * 6) % 8 != 0))
                return -EINVAL;
        *ret_size = n;
        *ret = TAKE_PTR(out);
        return 0;
}
