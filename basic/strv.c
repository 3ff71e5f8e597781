/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "strv.h"

char **strv_free(char **l) {
        if (!l)
                return NULL;
        for (char **s = l; *s; s++)
                free(*s);
        free(l);
        return NULL;
}

size_t strv_length(char * const *l) {
        size_t n = 0;
        while (l && l[n])
                n++;
        return n;
}

char **strv_copy(char * const *l) {
        size_t n = strv_length(l);
        char **c = calloc(n + 1, sizeof(char *));
        if (!c)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                c[i] = strdup(l[i]);
                if (!c[i])
                        return strv_free(c);
        }
        return c;
}

int strv_consume(char ***l, char *value) {
        size_t n = strv_length(*l);
        char **c;

        if (!value)
                return -ENOMEM;
        c = realloc(*l, (n + 2) * sizeof(char *));
        if (!c) {
                free(value);
                return -ENOMEM;
        }
        c[n] = value;
        c[n + 1] = NULL;
        *l = c;
        return 0;
}

int strv_extend(char ***l, const char *value) {
        return strv_consume(l, strdup(value));
}

int strv_extend_strv(char ***l, char * const *add) {
        size_t n = strv_length(*l), k = strv_length(add);
        char **c;

        if (k == 0)
                return 0;
        c = realloc(*l, (n + k + 1) * sizeof(char *));
        if (!c)
                return -ENOMEM;
        *l = c;
        for (size_t i = 0; i < k; i++) {
                c[n + i] = strdup(add[i]);
                if (!c[n + i]) {
                        c[n + i] = NULL;
                        return -ENOMEM;
                }
        }
        c[n + k] = NULL;
        return 0;
}

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char * const *) a, *(char * const *) b);
}

void strv_sort_unique(char **l) {
        size_t n = strv_length(l), w = 0;

        if (n < 2)
                return;
        qsort(l, n, sizeof(char *), cmp_str);
        for (size_t i = 0; i < n; i++)
                if (w > 0 && streq(l[w - 1], l[i]))
                        free(l[i]);
                else
                        l[w++] = l[i];
        l[w] = NULL;
}

bool strv_sorted_contains(char * const *l, size_t n, const char *s) {
        return n > 0 && bsearch(&s, l, n, sizeof(char *), cmp_str);
}

bool strv_contains(char * const *l, const char *s) {
        STRV_FOREACH(i, l)
                if (streq(*i, s))
                        return true;
        return false;
}

size_t strv_bytes(char * const *l) {
        size_t n = 0;
        STRV_FOREACH(i, l)
                n += strlen(*i) + 1;
        return n;
}

void strv_remove(char **l, const char *s) {
        char **to = l;

        if (!l)
                return;
        for (char **from = l; *from; from++)
                if (streq(*from, s))
                        free(*from);
                else
                        *to++ = *from;
        *to = NULL;
}
