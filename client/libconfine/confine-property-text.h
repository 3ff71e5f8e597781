/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

/* "Name=Value" → the (sv) entries it stands for, with the one parser that confined's own
 * tools use (spec/property-table.c), so that the library, confinectl and the
 * daemon read a value the same way. "LimitNOFILE=1024:4096" gives two entries. Returns a
 * new array of non-floating (sv) variants, or NULL with a CONFINE_ERROR. */
GPtrArray *confine_property_text_parse (const gchar *assignment, GError **error);

/* Every name property_value_parse() takes, NULL-terminated; allocated once, never freed. */
const gchar *const *confine_property_text_names (void);
