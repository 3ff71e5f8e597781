/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "macro.h"

char **strv_free(char **l);
DEFINE_TRIVIAL_CLEANUP_FUNC(char **, strv_free);
#define _cleanup_strv_free_ _cleanup_(strv_freep)

size_t strv_length(char * const *l);
char **strv_copy(char * const *l);
/* Appends a copy of value. */
int strv_extend(char ***l, const char *value);
/* Appends value itself, taking ownership even on failure. */
int strv_consume(char ***l, char *value);
/* Appends copies of every string of add, with one allocation for the list. */
int strv_extend_strv(char ***l, char * const *add);
/* Sorts l (strcmp order) and drops repeated strings, freeing them: O(n log n), where appending only what
 * is missing one by one costs O(n²) strcmp() for the ~400 names of @system-service. */
void strv_sort_unique(char **l);
/* Whether s is in l, which is sorted (strv_sort_unique()). */
bool strv_sorted_contains(char * const *l, size_t n, const char *s);
bool strv_contains(char * const *l, const char *s);
/* Removes (and frees) every copy of s from l, in place. */
void strv_remove(char **l, const char *s);
/* Total bytes of all strings including their NULs. */
size_t strv_bytes(char * const *l);

#define STRV_FOREACH(s, l) for (char * const *s = (l); s && *s; s++)
