/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell-quote.h"
#include "strv.h"

static bool char_is_plain(unsigned char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               strchr("_./:=@%+,-", c);
}

static bool word_is_plain(const char *w) {
        if (!*w)
                return false;
        for (const unsigned char *p = (const unsigned char *) w; *p; p++)
                if (!char_is_plain(*p))
                        return false;
        return true;
}

char *shell_quote_argv(char * const *argv) {
        size_t size = 1;
        char *out, *p;

        /* Worst case: every byte becomes '\xNN' inside quotes plus separators. */
        STRV_FOREACH(a, argv)
                size += strlen(*a) * 4 + 3;
        out = malloc(size);
        if (!out)
                return NULL;

        p = out;
        STRV_FOREACH(a, argv) {
                if (a != argv)
                        *p++ = ' ';
                if (word_is_plain(*a)) {
                        p = stpcpy(p, *a);
                        continue;
                }
                *p++ = '\'';
                for (const unsigned char *c = (const unsigned char *) *a; *c; c++) {
                        if (*c == '\'')
                                p = stpcpy(p, "'\\''");
                        else if (*c < 0x20 || *c == 0x7f)
                                p += sprintf(p, "\\x%02x", *c);
                        else
                                *p++ = (char) *c;
                }
                *p++ = '\'';
        }
        *p = 0;
        return out;
}
