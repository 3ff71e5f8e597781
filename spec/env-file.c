/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env-file.h"
#include "macro.h"
#include "parse-util.h"
#include "strv.h"

typedef enum EnvFileState {
        PRE_KEY,
        KEY,
        PRE_VALUE,
        VALUE,
        VALUE_ESCAPE,
        SINGLE_QUOTE_VALUE,
        DOUBLE_QUOTE_VALUE,
        DOUBLE_QUOTE_VALUE_ESCAPE,
        COMMENT,
        COMMENT_ESCAPE,
} EnvFileState;

typedef struct Buffer {
        char *p;
        size_t n, allocated;
} Buffer;

static int buffer_add(Buffer *b, char c) {
        if (b->n + 2 > b->allocated) {
                size_t a = MAX(b->allocated * 2, (size_t) 64);
                char *n = realloc(b->p, a);
                if (!n)
                        return -ENOMEM;
                b->p = n;
                b->allocated = a;
        }
        b->p[b->n++] = c;
        b->p[b->n] = 0;
        return 0;
}

int env_replace_consume(char ***env, char *assignment) {
        size_t l = strcspn(assignment, "=");

        for (char **e = *env; e && *e; e++)
                if (strneq(*e, assignment, l) && (*e)[l] == '=') {
                        free(*e);
                        *e = assignment;
                        return 0;
                }
        return strv_consume(env, assignment);
}

/* One finished assignment: the key without its trailing blanks, the value without the trailing
 * blanks of an unquoted part (value_keep: how much of it to keep). */
static int push(Buffer *key, Buffer *value, size_t value_keep, size_t max, char ***env) {
        char *assignment;
        size_t key_len = key->n;

        while (key_len > 0 && strchr(" \t", key->p[key_len - 1]))
                key_len--;
        if (key_len == 0)
                return 0;
        key->p[key_len] = 0;
        if (!env_name_is_valid(key->p))
                return 0;
        if (asprintf(&assignment, "%s=%.*s", key->p, (int) value_keep, value->p ?: "") < 0)
                return -ENOMEM;
        if (strv_length(*env) >= max) {
                size_t l = strcspn(assignment, "=");
                bool replaces = false;
                STRV_FOREACH(e, *env)
                        if (strneq(*e, assignment, l) && (*e)[l] == '=')
                                replaces = true;
                if (!replaces) {
                        free(assignment);
                        return -E2BIG;
                }
        }
        return env_replace_consume(env, assignment);
}

int env_file_parse(const char *text, size_t size, size_t max, char ***env) {
        _cleanup_free_ char *key_p = NULL, *value_p = NULL;
        Buffer key = {}, value = {};
        EnvFileState state = PRE_KEY;
        size_t keep = 0; /* the value's length without trailing unquoted blanks */
        int r = 0;

        if (memchr(text, 0, size))
                return -EINVAL;

        for (size_t i = 0; i < size && r >= 0; i++) {
                char c = text[i];
                bool newline = c == '\n' || c == '\r', blank = c == ' ' || c == '\t';

                switch (state) {
                case PRE_KEY:
                        if (c == '#' || c == ';')
                                state = COMMENT;
                        else if (!newline && !blank) {
                                state = KEY;
                                key.n = 0;
                                r = buffer_add(&key, c);
                        }
                        break;
                case KEY:
                        if (newline)
                                state = PRE_KEY; /* no "=": skipped */
                        else if (c == '=') {
                                state = PRE_VALUE;
                                value.n = keep = 0;
                                if (value.p)
                                        value.p[0] = 0;
                        } else
                                r = buffer_add(&key, c);
                        break;
                case PRE_VALUE:
                        if (newline) {
                                state = PRE_KEY;
                                r = push(&key, &value, keep, max, env);
                        } else if (c == '\'')
                                state = SINGLE_QUOTE_VALUE;
                        else if (c == '"')
                                state = DOUBLE_QUOTE_VALUE;
                        else if (c == '\\')
                                state = VALUE_ESCAPE;
                        else if (!blank) {
                                state = VALUE;
                                r = buffer_add(&value, c);
                                keep = value.n;
                        }
                        break;
                case VALUE:
                        if (newline) {
                                state = PRE_KEY;
                                r = push(&key, &value, keep, max, env);
                        } else if (c == '\\')
                                state = VALUE_ESCAPE;
                        else {
                                r = buffer_add(&value, c);
                                if (!blank)
                                        keep = value.n;
                        }
                        break;
                case VALUE_ESCAPE:
                        state = VALUE;
                        if (!newline) { /* \<newline> continues the line */
                                r = buffer_add(&value, c);
                                keep = value.n;
                        }
                        break;
                case SINGLE_QUOTE_VALUE:
                        if (c == '\'')
                                state = PRE_VALUE;
                        else
                                r = buffer_add(&value, c);
                        keep = value.n;
                        break;
                case DOUBLE_QUOTE_VALUE:
                        if (c == '"')
                                state = PRE_VALUE;
                        else if (c == '\\')
                                state = DOUBLE_QUOTE_VALUE_ESCAPE;
                        else
                                r = buffer_add(&value, c);
                        keep = value.n;
                        break;
                case DOUBLE_QUOTE_VALUE_ESCAPE:
                        state = DOUBLE_QUOTE_VALUE;
                        if (strchr("\"\\`$", c))
                                r = buffer_add(&value, c);
                        else if (!newline) {
                                r = buffer_add(&value, '\\');
                                if (r >= 0)
                                        r = buffer_add(&value, c);
                        }
                        keep = value.n;
                        break;
                case COMMENT:
                        if (c == '\\')
                                state = COMMENT_ESCAPE;
                        else if (newline)
                                state = PRE_KEY;
                        break;
                case COMMENT_ESCAPE:
                        state = COMMENT;
                        break;
                }
        }
        if (r >= 0 && state >= PRE_VALUE && state <= DOUBLE_QUOTE_VALUE_ESCAPE)
                r = push(&key, &value, keep, max, env);
        key_p = key.p;
        value_p = value.p;
        return r < 0 ? r : 0;
}
