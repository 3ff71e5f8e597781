/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Every property confine implements: its systemd name, its D-Bus signature, and how
 * `confinectl run -p Name=Value` reads its value. The daemon's SupportedProperties is this list. */

typedef enum PropertyTextKind {
        PROPERTY_TEXT_BOOLEAN,      /* yes/no… */
        PROPERTY_TEXT_STRING,       /* taken as is */
        PROPERTY_TEXT_ENVIRONMENT,  /* quoted words, each NAME=VALUE; accumulates */
        PROPERTY_TEXT_CAPABILITIES, /* "CAP_A CAP_B" or "~CAP_A" */
        PROPERTY_TEXT_NONE,         /* not settable as text (file descriptors) */
} PropertyTextKind;

typedef struct PropertyInfo {
        const char *name;
        const char *signature;
        PropertyTextKind text;
} PropertyInfo;

extern const PropertyInfo property_table[];
extern const size_t property_table_size;

const PropertyInfo *property_info_lookup(const char *name);

/* A parsed `Name=Value`. Which member is used follows info->signature. */
typedef struct PropertyValue {
        const PropertyInfo *info;
        bool b;
        uint64_t t;
        char *s;
        char **strv;
} PropertyValue;

void property_value_done(PropertyValue *v);

/* Parses "Name=Value" as systemd-run -p does. On failure ret_reason says why, in words that
 * follow the property name ("unknown property", "invalid boolean" …). */
int property_value_parse(const char *assignment, PropertyValue *ret, const char **ret_reason);
