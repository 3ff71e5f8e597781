/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What each D-Bus error of confined and of the bus means for the person who ran the command: plain
 * C, shared by libconfine and confinectl's sd-bus front. Not installed. */
#pragma once

/* The words for an error name, or NULL for a name without them. */
const char *confine_error_name_describe(const char *name);
