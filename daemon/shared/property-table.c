/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "parse-util.h"
#include "property-table.h"
#include "strv.h"


const PropertyInfo *property_info_lookup(const char *name) {
        for (size_t i = 0; i < property_table_size; i++)
                if (streq(property_table[i].name, name))
                        return property_table + i;
        return NULL;
}

void property_value_done(PropertyValue *v) {
        free(v->s);
        strv_free(v->strv);
        for (size_t i = 0; i < v->n_tuples; i++) {
                free(v->tuples[i].a);
                free(v->tuples[i].b);
        }
        free(v->tuples);
        *v = (PropertyValue) { .fd = -EBADF };
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

int property_value_parse(const char *assignment, PropertyValue *ret, const char **ret_reason) {
        PropertyValue v = { .fd = -EBADF };
        _cleanup_free_ char *name = NULL;
        const char *eq, *value;
        int r;

        eq = strchr(assignment, '=');
        if (!eq) {
                *ret_reason = "not of the form Name=Value";
                return -EINVAL;
        }
        name = strndup(assignment, (size_t) (eq - assignment));
        if (!name)
                return -ENOMEM;
        value = eq + 1;

        v.info = property_info_lookup(name);
        if (!v.info) {
                *ret_reason = "unknown property";
                return -ENOENT;
        }

        switch (v.info->text) {
        case PROPERTY_TEXT_BOOLEAN:
                r = parse_boolean(value);
                if (r < 0) {
                        *ret_reason = "invalid boolean";
                        return -EINVAL;
                }
                v.b = r;
                break;
        case PROPERTY_TEXT_STRING:
                v.s = strdup(value);
                if (!v.s)
                        return -ENOMEM;
                break;
        case PROPERTY_TEXT_ENVIRONMENT:
                r = split_quoted(value, &v.strv);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        *ret_reason = "invalid quoting";
                        return r;
                }
                STRV_FOREACH(e, v.strv)
                        if (!env_assignment_is_valid(*e)) {
                                property_value_done(&v);
                                *ret_reason = "invalid environment assignment";
                                return -EINVAL;
                        }
                break;
        case PROPERTY_TEXT_CAPABILITIES:
                r = parse_capability_set(value, &v.t);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        *ret_reason = "invalid capability name";
                        return r;
                }
                break;
        case PROPERTY_TEXT_NONE:
                *ret_reason = "cannot be set from text";
                return -EINVAL;
        }

        *ret = v;
        return 0;
}
