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

int split_quoted(const char *s, char ***ret) {
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
        *ret = invert ? (~mask & CAP_ALL_MASK) : mask;
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

bool env_assignment_is_valid(const char *e) {
        const char *eq = strchr(e, '=');

        if (!eq || eq == e)
                return false;
        if (!(isalpha((unsigned char) e[0]) || e[0] == '_'))
                return false;
        for (const char *p = e; p < eq; p++)
                if (!(isalnum((unsigned char) *p) || *p == '_'))
                        return false;
        return true;
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
