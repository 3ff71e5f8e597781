/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Value parsers with systemd's syntax. Pure: no I/O. */

/* 1/yes/y/true/t/on and 0/no/n/false/f/off, case-insensitive. */
int parse_boolean(const char *s);

/* Whitespace-separated words with "double" and 'single' quotes and backslash escapes, as
 * systemd's Environment= takes them. */
int split_quoted(const char *s, char ***ret);
/* The same with C escapes resolved (\t, \n, \xHH, \NNN, \uXXXX…), as systemd-run reads Environment=
 * (EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE). */
int split_quoted_cunescape(const char *s, char ***ret);

/* "CAP_A CAP_B", "~CAP_A", "" → a mask. Unknown names are an error. */
int parse_capability_set(const char *s, uint64_t *ret);

/* A decimal number that fits uid_t and is not (uid_t) -1 or (uid_t) -2 (the overflow ids). */
int parse_uid(const char *s, uid_t *ret);

/* "TERM", "SIGTERM", "15" → 15. */
int parse_signal(const char *s);
const char *signal_to_name(int sig);

/* A valid environment assignment: NAME=VALUE with a shell-style NAME. */
bool env_assignment_is_valid(const char *e);
/* NAME alone, as UnsetEnvironment= takes it. */
bool env_name_is_valid(const char *e);

/* An absolute, normalized path: starts with '/', no "." or ".." components, no "//", not over
 * PATH_MAX. */
bool path_is_normalized_absolute(const char *p);

/* An absolute path as systemd's path_simplify() leaves it: "//" and "/./" collapsed, a trailing "/"
 * or "/." dropped. A ".." component is refused (-EINVAL): it would make the path mean something
 * else once a symlink is in it, and confine resolves caller paths component by component. */
int path_simplify_absolute(const char *p, char **ret);

/* "1024", "4K", "1.5G", "infinity" (→ UINT64_MAX); 1024-based as systemd's sizes. */
int parse_size(const char *s, uint64_t *ret);

/* systemd time spans (parse_sec()): "5", "5s", "500ms", "1min 30s", "1.5h", "2h30m", "3M" (months),
 * "1y", "infinity"; bare numbers are seconds. */
int parse_time_span(const char *s, uint64_t *ret_usec);
/* The same with bare numbers in microseconds (parse_time(…, 1), as LimitRTTIME= takes them). */
int parse_time_span_usec(const char *s, uint64_t *ret_usec);

/* "20%" → CPUQuotaPerSecUSec 200000; "150%" → 1500000; "12.5%", "125‰", "1250‱" as systemd's
 * parse_permyriad_unbounded(). 0 is -ERANGE, as systemd-run says "CPU quota too small". */
int parse_cpu_quota(const char *s, uint64_t *ret_usec_per_sec);

/* "022", "0077" (octal, at most 0777). */
int parse_umask(const char *s, int *ret);
/* An octal file mode, at most 07777. */
int parse_mode(const char *s, uint32_t *ret);

/* -20 … 19. */
int parse_nice(const char *s, int *ret);

/* A whole string with C escapes resolved, as systemd-run's cunescape() reads StandardInputText= and
 * SetCredential='s data. The result may hold bytes other than text; *ret_size is its length. */
int cunescape_string(const char *s, char **ret, size_t *ret_size);

/* Base64 (RFC 4648, with or without padding; whitespace skipped), as systemd's unbase64mem(). */
int unbase64(const char *s, uint8_t **ret, size_t *ret_size);
