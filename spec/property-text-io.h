/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "property-table.h"

/* property_value_parse()'s readers for the stdio, EnvironmentFile= and credential properties. */
int parse_stdio_text(const char *name, const char *value, PropertyValue *v);
int parse_stdin_data_text(bool text, const char *value, PropertyValue *v);
int parse_environment_file_text(const char *value, PropertyValue *v);
typedef enum CredentialText {
        CREDENTIAL_TEXT_PATH,    /* LoadCredential=ID[:PATH] */
        CREDENTIAL_TEXT_ESCAPED, /* SetCredential=ID:DATA with C escapes */
        CREDENTIAL_TEXT_BASE64,  /* SetCredentialEncrypted=ID:BASE64, as systemd-creds encrypt writes it */
} CredentialText;
int parse_credential_text(CredentialText kind, const char *value, PropertyValue *v);

/* The stream (0, 1, 2) whose source or destination "Name=…" sets (StandardOutput=, StandardInputText=,
 * StandardErrorFile=…), or -1: a client that passes its own stdio by fd leaves that stream's fd out. */
int property_text_stdio_stream(const char *assignment);
