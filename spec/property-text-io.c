/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The -p forms of the stdio, EnvironmentFile= and credential properties, as systemd-run's
 * bus-unit-util.c turns them into what goes on the wire. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "parse-util.h"
#include "property-text-io.h"

/* StandardOutput=append:/x goes on the wire as StandardOutputFileToAppend=/x; any other value as is. */
int parse_stdio_text(const char *name, const char *value, PropertyValue *v) {
        static const struct {
                const char *prefix, *suffix;
        } forms[] = { { "file:", "File" }, { "append:", "FileToAppend" }, { "truncate:", "FileToTruncate" } };
        char target[64];

        for (size_t i = 0; i < ELEMENTSOF(forms); i++) {
                size_t l = strlen(forms[i].prefix);

                if (!strneq(value, forms[i].prefix, l))
                        continue;
                snprintf(target, sizeof target, "%s%s", name, forms[i].suffix);
                /* StandardInput has no FileToAppend: the applier names the mistake. */
                if (property_info_lookup(target)) {
                        v->info = property_info_lookup(target);
                        value += l;
                }
                break;
        }
        v->s = strdup(value);
        return v->s ? 0 : -ENOMEM;
}

/* StandardInputData=: base64. StandardInputText=: C escapes, and a newline added, as systemd-run. */
int parse_stdin_data_text(bool text, const char *value, PropertyValue *v) {
        _cleanup_free_ char *unescaped = NULL;
        size_t n;
        int r;

        if (!text)
                return unbase64(value, &v->bytes, &v->n_bytes);
        r = cunescape_string(value, &unescaped, &n);
        if (r < 0)
                return r;
        v->bytes = malloc(n + 1);
        if (!v->bytes)
                return -ENOMEM;
        memcpy(v->bytes, unescaped, n);
        v->bytes[n] = '\n';
        v->n_bytes = n + 1;
        return 0;
}

/* "-/etc/x.env" → ("/etc/x.env", true); "" → an empty list. */
int parse_environment_file_text(const char *value, PropertyValue *v) {
        PropertyTuple t = { .fd = -EBADF };

        if (!value[0])
                return 0;
        t.flag = value[0] == '-';
        t.a = strdup(value + t.flag);
        if (!t.a)
                return -ENOMEM;
        if (property_value_add_tuple(v, &t) < 0) {
                free(t.a);
                return -ENOMEM;
        }
        return 0;
}

/* LoadCredential=ID:PATH (ID alone: a credential of that name from above); SetCredential=ID:DATA with
 * C escapes in DATA. "" → an empty list, which resets. */
int parse_credential_text(CredentialText kind, const char *value, PropertyValue *v) {
        bool set = kind != CREDENTIAL_TEXT_PATH;
        PropertyTuple t = { .fd = -EBADF };
        const char *colon = strchr(value, ':');
        _cleanup_free_ char *data = NULL;
        size_t n;
        int r;

        if (!value[0])
                return 0;
        if (!colon && set)
                return -EINVAL;
        t.a = strndup(value, colon ? (size_t) (colon - value) : strlen(value));
        if (!t.a)
                return -ENOMEM;
        if (kind == CREDENTIAL_TEXT_BASE64) {
                uint8_t *blob = NULL;
                r = unbase64(colon + 1, &blob, &n);
                if (r < 0) {
                        free(t.a);
                        return r;
                }
                t.bytes = blob;
                t.n_bytes = n;
        } else if (set) {
                r = cunescape_string(colon + 1, &data, &n);
                if (r < 0) {
                        free(t.a);
                        return r;
                }
                t.bytes = (uint8_t *) TAKE_PTR(data);
                t.n_bytes = n;
        } else {
                t.b = strdup(colon && colon[1] ? colon + 1 : value);
                if (!t.b) {
                        free(t.a);
                        return -ENOMEM;
                }
        }
        if (property_value_add_tuple(v, &t) < 0) {
                free(t.a);
                free(t.b);
                free(t.bytes);
                return -ENOMEM;
        }
        return 0;
}

int property_text_stdio_stream(const char *assignment) {
        static const char *const streams[] = { "StandardInput", "StandardOutput", "StandardError" };
        size_t n = strcspn(assignment, "=");

        for (int i = 0; i < 3; i++)
                if (strneq(assignment, streams[i], strlen(streams[i])) &&
                    !(n >= 14 && strneq(assignment + n - 14, "FileDescriptor", 14)))
                        return i;
        return -1;
}
