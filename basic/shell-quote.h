/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Joins argv into one line that a POSIX shell would split back into the same words: words with
 * anything but [A-Za-z0-9_./:=@%+,-] are single-quoted. Control characters are shown as \xNN so
 * that a polkit prompt cannot be forged with newlines or escapes. */
char *shell_quote_argv(char * const *argv);
