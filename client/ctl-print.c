/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <inttypes.h>
#include <stdio.h>

#include "ctl-print.h"

void ctl_print_json_string (const char *s) {
        putchar ('"');
        for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
                if (*p == '"' || *p == '\\')
                        printf ("\\%c", *p);
                else if (*p < 0x20 || *p == 0x7f)
                        printf ("\\u%04x", *p);
                else
                        putchar (*p);
        }
        putchar ('"');
}

static void print_children (GVariant *v, bool json, const char *open, const char *close) {
        gsize n = g_variant_n_children (v);

        fputs (open, stdout);
        for (gsize i = 0; i < n; i++) {
                g_autoptr (GVariant) child = g_variant_get_child_value (v, i);
                if (i)
                        fputs (json ? "," : " ", stdout);
                ctl_print_value (child, json);
        }
        fputs (close, stdout);
}

void ctl_print_value (GVariant *v, bool json) {
        switch (g_variant_classify (v)) {
        case G_VARIANT_CLASS_BOOLEAN:
                fputs (g_variant_get_boolean (v) ? (json ? "true" : "yes") : (json ? "false" : "no"), stdout);
                break;
        case G_VARIANT_CLASS_BYTE: printf ("%u", g_variant_get_byte (v)); break;
        case G_VARIANT_CLASS_INT16: printf ("%d", g_variant_get_int16 (v)); break;
        case G_VARIANT_CLASS_UINT16: printf ("%u", g_variant_get_uint16 (v)); break;
        case G_VARIANT_CLASS_INT32: printf ("%" PRIi32, g_variant_get_int32 (v)); break;
        case G_VARIANT_CLASS_UINT32: printf ("%" PRIu32, g_variant_get_uint32 (v)); break;
        case G_VARIANT_CLASS_INT64: printf ("%" PRIi64, g_variant_get_int64 (v)); break;
        case G_VARIANT_CLASS_UINT64: printf ("%" PRIu64, g_variant_get_uint64 (v)); break;
        case G_VARIANT_CLASS_HANDLE: printf ("%" PRIi32, g_variant_get_handle (v)); break;
        case G_VARIANT_CLASS_DOUBLE: printf ("%g", g_variant_get_double (v)); break;
        case G_VARIANT_CLASS_STRING:
        case G_VARIANT_CLASS_OBJECT_PATH:
        case G_VARIANT_CLASS_SIGNATURE:
                if (json)
                        ctl_print_json_string (g_variant_get_string (v, NULL));
                else
                        fputs (g_variant_get_string (v, NULL), stdout);
                break;
        case G_VARIANT_CLASS_VARIANT: {
                g_autoptr (GVariant) inner = g_variant_get_variant (v);
                ctl_print_value (inner, json);
                break;
        }
        case G_VARIANT_CLASS_MAYBE:
                if (g_variant_n_children (v) == 0)
                        fputs (json ? "null" : "", stdout);
                else
                        print_children (v, json, "", "");
                break;
        case G_VARIANT_CLASS_ARRAY:
                print_children (v, json, json ? "[" : "", json ? "]" : "");
                break;
        case G_VARIANT_CLASS_TUPLE:
        case G_VARIANT_CLASS_DICT_ENTRY:
                print_children (v, json, "[", "]");
                break;
        }
}

static void print_field (const char *name, GVariant *value, bool json, bool *first) {
        g_autoptr (GVariant) v = g_variant_take_ref (value); /* floating, or a reference we own */

        if (json) {
                fputs (*first ? "{" : ",", stdout);
                ctl_print_json_string (name);
                putchar (':');
        } else
                printf ("%s=", name);
        ctl_print_value (v, json);
        if (!json)
                putchar ('\n');
        *first = false;
}

void ctl_print_job (ConfineJob *job, bool json) {
        const gchar *const *argv = confine_job_get_argv (job);
        GVariant *props = confine_job_get_sandbox_properties (job);
        guint64 io[4], ip[4];
        bool first = true;

        print_field ("Id", g_variant_new_uint64 (confine_job_get_id (job)), json, &first);
        print_field ("Owner", g_variant_new_uint32 (confine_job_get_owner (job)), json, &first);
        print_field ("Argv", g_variant_new_strv (argv ? argv : (const gchar *const[]) { NULL }, -1), json, &first);
        print_field ("State", g_variant_new_string (confine_job_get_state (job) ?: ""), json, &first);
        print_field ("Result", g_variant_new_string (confine_job_get_result (job) ?: ""), json, &first);
        print_field ("ExitStatus", g_variant_new_int32 (confine_job_get_exit_status (job)), json, &first);
        print_field ("MainPID", g_variant_new_uint32 (confine_job_get_main_pid (job)), json, &first);
        print_field ("StartTimestamp", g_variant_new_uint64 (confine_job_get_start_timestamp (job)), json, &first);
        print_field ("ExitTimestamp", g_variant_new_uint64 (confine_job_get_exit_timestamp (job)), json, &first);
        print_field ("CPUUsageNSec", g_variant_new_uint64 (confine_job_get_cpu_usage_nsec (job)), json, &first);
        print_field ("MemoryPeak", g_variant_new_uint64 (confine_job_get_memory_peak (job)), json, &first);
        if (confine_job_get_io (job, &io[0], &io[1], &io[2], &io[3])) {
                print_field ("IOReadBytes", g_variant_new_uint64 (io[0]), json, &first);
                print_field ("IOWriteBytes", g_variant_new_uint64 (io[1]), json, &first);
                print_field ("IOReadOperations", g_variant_new_uint64 (io[2]), json, &first);
                print_field ("IOWriteOperations", g_variant_new_uint64 (io[3]), json, &first);
        }
        if (confine_job_get_ip (job, &ip[0], &ip[1], &ip[2], &ip[3])) {
                print_field ("IPIngressBytes", g_variant_new_uint64 (ip[0]), json, &first);
                print_field ("IPIngressPackets", g_variant_new_uint64 (ip[1]), json, &first);
                print_field ("IPEgressBytes", g_variant_new_uint64 (ip[2]), json, &first);
                print_field ("IPEgressPackets", g_variant_new_uint64 (ip[3]), json, &first);
        }
        print_field ("Properties", props ? g_variant_ref (props) : g_variant_new_array (G_VARIANT_TYPE ("(sv)"), NULL, 0),
                     json, &first);
        if (json)
                puts ("}");
        fflush (stdout);
}
