/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LoadCredential= and SetCredential=, as systemd 252's dbus-execute.c takes them: one entry per ID, a
 * later one replacing it, an empty list resetting. confine-exec reads the LoadCredential= sources
 * with the job's file system ids and writes every credential into the job's private
 * $CREDENTIALS_DIRECTORY (exec-credentials-dir.c). */
#include <stdlib.h>
#include <string.h>

#include "credential-format.h"
#include "parse-util.h"
#include "property-appliers.h"
#include "property-apply.h"

#define invalid(msg, v, fmt, ...) property_fail((msg), -EINVAL, "%s: " fmt, (v)->info->name, ##__VA_ARGS__)

/* As systemd's credential_name_valid(): a file name (not "." or "..", no "/", at most 255 bytes)
 * of printable ASCII without ":". */
bool credential_name_is_valid(const char *s) {
        size_t l = strlen(s);

        if (l == 0 || l > 255 || streq(s, ".") || streq(s, ".."))
                return false;
        for (const char *p = s; *p; p++)
                if (*p == '/' || *p == ':' || (unsigned char) *p <= ' ' || (unsigned char) *p >= 0x7f)
                        return false;
        return true;
}

static ssize_t find_load(const SandboxSpec *s, const char *id) {
        for (size_t i = 0; i < s->n_load_credentials; i++)
                if (streq(s->load_credentials[i].id, id))
                        return (ssize_t) i;
        return -1;
}

static ssize_t find_set(const SandboxSpec *s, const char *id) {
        for (size_t i = 0; i < s->n_set_credentials; i++)
                if (streq(s->set_credentials[i].id, id))
                        return (ssize_t) i;
        return -1;
}

int apply_load_credential(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (v->n_tuples == 0) {
                load_credentials_free(s->load_credentials, s->n_load_credentials);
                s->load_credentials = NULL;
                s->n_load_credentials = 0;
                return 0;
        }
        /* All checked before any is applied: a bad entry leaves the spec as it was. */
        for (size_t i = 0; i < v->n_tuples; i++) {
                const char *id = v->tuples[i].a, *path = v->tuples[i].b;

                if (!credential_name_is_valid(id))
                        return invalid(msg, v, "invalid credential name \"%s\"", id);
                if (path[0] != '/' && credential_name_is_valid(path))
                        return property_fail(msg, -EOPNOTSUPP,
                                             "%s: \"%s\" names a credential passed to the service manager; confined "
                                             "passes none of its own on, so give an absolute path",
                                             v->info->name, path);
                if (!path_is_normalized_absolute(path))
                        return invalid(msg, v, "credential source \"%s\" is not an absolute, normalized path", path);
        }
        for (size_t i = 0; i < v->n_tuples; i++) {
                ssize_t k = find_load(s, v->tuples[i].a);
                char *path = strdup(v->tuples[i].b), *id;

                if (!path)
                        return -ENOMEM;
                if (k >= 0) {
                        free(s->load_credentials[k].path);
                        s->load_credentials[k].path = path;
                        continue;
                }
                if (s->n_load_credentials + s->n_set_credentials >= CREDENTIALS_MAX) {
                        free(path);
                        return invalid(msg, v, "more than %u credentials", CREDENTIALS_MAX);
                }
                id = strdup(v->tuples[i].a);
                LoadCredential *n = realloc(s->load_credentials, (s->n_load_credentials + 1) * sizeof(LoadCredential));
                if (!id || !n) {
                        free(id);
                        free(path);
                        if (n)
                                s->load_credentials = n;
                        return -ENOMEM;
                }
                s->load_credentials = n;
                n[s->n_load_credentials++] = (LoadCredential) { .id = id, .path = path };
        }
        return 0;
}

static size_t set_total(const SandboxSpec *s) {
        size_t t = 0;
        for (size_t i = 0; i < s->n_set_credentials; i++)
                t += s->set_credentials[i].size;
        return t;
}

/* SetCredential= and SetCredentialEncrypted= share the list, as in systemd: either replaces the
 * other's entry of the same ID. An encrypted blob's header is checked here (a TPM2's is NotSupported);
 * its tag, name and expiry only when confined decrypts it, after authorization. */
static int apply_set(SandboxSpec *s, const PropertyValue *v, bool encrypted, char **msg) {
        size_t total = set_total(s);

        if (v->n_tuples == 0) {
                set_credentials_free(s->set_credentials, s->n_set_credentials);
                s->set_credentials = NULL;
                s->n_set_credentials = 0;
                return 0;
        }
        for (size_t i = 0; i < v->n_tuples; i++) {
                if (!credential_name_is_valid(v->tuples[i].a))
                        return invalid(msg, v, "invalid credential name \"%s\"", v->tuples[i].a);
                if (v->tuples[i].n_bytes > (encrypted ? CREDENTIAL_ENCRYPTED_SIZE_MAX : CREDENTIAL_SIZE_MAX))
                        return invalid(msg, v, "credential \"%s\" is larger than %u bytes", v->tuples[i].a,
                                       encrypted ? CREDENTIAL_ENCRYPTED_SIZE_MAX : CREDENTIAL_SIZE_MAX);
                if (encrypted) {
                        CredentialHeader h;
                        const char *why = NULL;
                        int r = credential_header_parse(v->tuples[i].bytes, v->tuples[i].n_bytes, &h, &why);
                        if (r == -EOPNOTSUPP)
                                return property_fail(msg, r, "%s: credential \"%s\": %s", v->info->name,
                                                     v->tuples[i].a, why);
                        if (r < 0)
                                return invalid(msg, v, "credential \"%s\": %s", v->tuples[i].a, why);
                }
                total += v->tuples[i].n_bytes;
        }
        if (total > CREDENTIALS_TOTAL_SIZE_MAX)
                return invalid(msg, v, "the credentials are larger than %u bytes together", CREDENTIALS_TOTAL_SIZE_MAX);
        for (size_t i = 0; i < v->n_tuples; i++) {
                const PropertyTuple *t = v->tuples + i;
                ssize_t k = find_set(s, t->a);
                uint8_t *data = malloc(t->n_bytes ?: 1);

                if (!data)
                        return -ENOMEM;
                if (t->n_bytes)
                        memcpy(data, t->bytes, t->n_bytes);
                if (k >= 0) {
                        free(s->set_credentials[k].data);
                        s->set_credentials[k].data = data;
                        s->set_credentials[k].size = t->n_bytes;
                        s->set_credentials[k].encrypted = encrypted;
                        continue;
                }
                if (s->n_load_credentials + s->n_set_credentials >= CREDENTIALS_MAX) {
                        free(data);
                        return invalid(msg, v, "more than %u credentials", CREDENTIALS_MAX);
                }
                char *id = strdup(t->a);
                SetCredential *n = realloc(s->set_credentials, (s->n_set_credentials + 1) * sizeof(SetCredential));
                if (!id || !n) {
                        free(id);
                        free(data);
                        if (n)
                                s->set_credentials = n;
                        return -ENOMEM;
                }
                s->set_credentials = n;
                n[s->n_set_credentials++] = (SetCredential) {
                        .id = id, .data = data, .size = t->n_bytes, .encrypted = encrypted,
                };
        }
        return 0;
}

int apply_set_credential(SandboxSpec *s, const PropertyValue *v, char **msg) {
        return apply_set(s, v, false, msg);
}

int apply_set_credential_encrypted(SandboxSpec *s, const PropertyValue *v, char **msg) {
        return apply_set(s, v, true, msg);
}
