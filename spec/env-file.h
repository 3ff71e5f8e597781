/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

/* An EnvironmentFile=, parsed as systemd's env-file.c parses one for a service: NAME=VALUE lines;
 * blanks around the name and an unquoted value dropped; '…' taken literally; "…" with \" \\ \` \$ and
 * \<newline> as escapes (any other backslash kept); outside quotes a backslash takes the next
 * character literally and \<newline> continues the line; lines starting with # or ; are comments
 * (\<newline> continues them too); a line without "=" is skipped, and so is an assignment whose name
 * is not a valid environment variable name. Pure: no I/O.
 *
 * Appends NAME=VALUE strings to *env, a later NAME replacing an earlier one. -EINVAL for a NUL byte,
 * -E2BIG when *env would hold more than max entries, -ENOMEM. */
int env_file_parse(const char *text, size_t size, size_t max, char ***env);

/* NAME=VALUE replaces any NAME=… in *env, or is appended; takes assignment. */
int env_replace_consume(char ***env, char *assignment);
