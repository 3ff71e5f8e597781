/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* confinectl analyze: what `run` would start, its polkit action and its exposure report, as
 * `systemd-analyze security` prints one, without running it. */
#include <stdio.h>
#include <string.h>

#include "ctl-print.h"
#include "ctl.h"

#define EXIT_ABOVE_THRESHOLD 1

/* A check's share of the score, in tenths, as systemd prints it: ⌈⌈badness·weight·100/range⌉/Σweight⌉. */
static guint check_exposure (guint32 weight, guint32 badness, guint32 range, guint64 weight_sum) {
        guint64 x = ((guint64) badness * weight * 100 + range - 1) / range;
        return (guint) ((x + weight_sum - 1) / weight_sum);
}

static guint64 weight_sum_of (GVariant *checks) {
        guint32 weight, badness;
        guint64 sum = 0;
        GVariantIter it;

        g_variant_iter_init (&it, checks);
        while (g_variant_iter_next (&it, "(&suuu&sb)", NULL, &weight, &badness, NULL, NULL, NULL))
                if (badness != CONFINE_ANALYSIS_NOT_APPLICABLE)
                        sum += weight;
        return sum ? sum : 1;
}

/* printf's widths count bytes; the names and descriptions hold "…" and the like. */
static void print_padded (const char *s, glong width) {
        glong n = g_utf8_strlen (s, -1);

        fputs (s, stdout);
        for (; n < width; n++)
                putchar (' ');
}

static void print_text (ConfineAnalysis *a, char *argv[]) {
        GVariant *checks = confine_analysis_get_checks (a), *findings = confine_analysis_get_findings (a);
        guint64 weight_sum = weight_sum_of (checks);
        g_autofree gchar *cmd = g_strjoinv (" ", argv);
        const gchar *name, *description, *id, *property, *action = confine_analysis_get_action (a);
        guint32 weight, badness, range;
        guint exposure = confine_analysis_get_exposure (a);
        gboolean fixed;
        GVariantIter it;

        printf ("  %-62s %-80s %s\n", "NAME", "DESCRIPTION", "EXPOSURE");
        g_variant_iter_init (&it, checks);
        while (g_variant_iter_next (&it, "(&suuu&sb)", &name, &weight, &badness, &range, &description, &fixed)) {
                const char *mark = badness == CONFINE_ANALYSIS_NOT_APPLICABLE ? " " : badness == 0 ? "✓" : "✗";
                g_autofree gchar *share = NULL;

                if (badness != CONFINE_ANALYSIS_NOT_APPLICABLE && badness > 0) {
                        guint x = check_exposure (weight, badness, range, weight_sum);
                        share = g_strdup_printf ("%u.%u", x / 10, x % 10);
                }
                printf ("%s ", mark);
                print_padded (name, 62);
                putchar (' ');
                print_padded (description, 80);
                printf (" %s%s\n", share ? share : "", fixed ? "  (confine)" : "");
        }
        if (g_variant_n_children (findings) > 0) {
                printf ("\nWhat only the broker sees:\n");
                g_variant_iter_init (&it, findings);
                while (g_variant_iter_next (&it, "(&s&s&s)", &id, &property, &description))
                        printf ("✗ %-24s %s%s%s%s\n", id, description, *property ? " (" : "", property,
                                *property ? "=)" : "");
        }
        printf ("\nAuthorization: %s\n  %s\n", *action ? action : "none (root)", confine_analysis_get_action_reason (a));
        printf ("\n→ Overall exposure level for %s: %u.%u %s\n", cmd, exposure / 10, exposure % 10,
                confine_analysis_get_exposure_level (a));
}

static void print_json (ConfineAnalysis *a, char *argv[]) {
        GVariant *checks = confine_analysis_get_checks (a), *findings = confine_analysis_get_findings (a);
        guint64 weight_sum = weight_sum_of (checks);
        const gchar *name, *description, *id, *property;
        guint32 weight, badness, range;
        guint exposure = confine_analysis_get_exposure (a);
        gboolean fixed, first = TRUE;
        GVariantIter it;

        fputs ("{\"argv\":", stdout);
        ctl_print_value (g_variant_new_strv ((const gchar *const *) argv, -1), true);
        fputs (",\"action\":", stdout);
        ctl_print_json_string (confine_analysis_get_action (a));
        fputs (",\"action_reason\":", stdout);
        ctl_print_json_string (confine_analysis_get_action_reason (a));
        fputs (",\"action_details\":{", stdout);
        g_variant_iter_init (&it, confine_analysis_get_action_details (a));
        while (g_variant_iter_next (&it, "{&s&s}", &name, &description)) {
                if (!first)
                        putchar (',');
                first = FALSE;
                ctl_print_json_string (name);
                putchar (':');
                ctl_print_json_string (description);
        }
        putchar ('}');
        first = TRUE;
        printf (",\"exposure\":%u.%u,\"exposure_tenths\":%u,\"level\":", exposure / 10, exposure % 10, exposure);
        ctl_print_json_string (confine_analysis_get_exposure_level (a));
        fputs (",\"checks\":[", stdout);
        g_variant_iter_init (&it, checks);
        while (g_variant_iter_next (&it, "(&suuu&sb)", &name, &weight, &badness, &range, &description, &fixed)) {
                bool na = badness == CONFINE_ANALYSIS_NOT_APPLICABLE;
                guint x = na ? 0 : check_exposure (weight, badness, range, weight_sum);

                fputs (first ? "{\"name\":" : ",{\"name\":", stdout);
                first = FALSE;
                ctl_print_json_string (name);
                printf (",\"weight\":%u,\"range\":%u,", weight, range);
                if (na)
                        fputs ("\"badness\":null,\"exposure\":null", stdout);
                else
                        printf ("\"badness\":%u,\"exposure\":%u.%u", badness, x / 10, x % 10);
                fputs (",\"description\":", stdout);
                ctl_print_json_string (description);
                printf (",\"fixed\":%s}", fixed ? "true" : "false");
        }
        fputs ("],\"findings\":[", stdout);
        first = TRUE;
        g_variant_iter_init (&it, findings);
        while (g_variant_iter_next (&it, "(&s&s&s)", &id, &property, &description)) {
                fputs (first ? "{\"id\":" : ",{\"id\":", stdout);
                first = FALSE;
                ctl_print_json_string (id);
                fputs (",\"property\":", stdout);
                ctl_print_json_string (property);
                fputs (",\"description\":", stdout);
                ctl_print_json_string (description);
                putchar ('}');
        }
        fputs ("],\"properties\":", stdout);
        ctl_print_value (confine_analysis_get_effective_properties (a), true);
        puts ("}");
}

int verb_analyze (int argc, char *argv[]) {
        g_autoptr (ConfinePropertyBuilder) props = NULL;
        g_autoptr (ConfineAnalysis) analysis = NULL;
        g_autoptr (GVariant) properties = NULL;
        g_autoptr (GError) error = NULL;
        ConfineSpawnFlags flags = CONFINE_SPAWN_FLAGS_KILL_ON_DISCONNECT;
        ConfineClient *client;
        int r = 0;

        if (argc > 0 && g_str_equal (argv[0], "--")) {
                argc--;
                argv++;
        }
        if (argc < 1) {
                fprintf (stderr, "confinectl analyze: missing command\n");
                return EXIT_USAGE;
        }
        /* The flags `run` would send with the same options. */
        if (arg.pipe || arg.host)
                flags |= CONFINE_SPAWN_FLAGS_PIPE;
        if (arg.pty)
                flags |= CONFINE_SPAWN_FLAGS_PTY;
        props = ctl_build_properties (false);
        if (!props)
                return EXIT_USAGE;
        client = ctl_connect ();
        if (!client)
                return EXIT_SPAWN_FAILED;

        properties = confine_property_builder_end (props);
        analysis = confine_client_analyze (client, (const gchar *const *) argv, properties,
                                           confine_property_builder_get_fd_list (props), flags, NULL, &error);
        if (!analysis) {
                ctl_print_error ("Analyze", error);
                r = EXIT_SPAWN_FAILED;
        } else {
                if (arg.json)
                        print_json (analysis, argv);
                else
                        print_text (analysis, argv);
                fflush (stdout);
                if (arg.threshold >= 0 && confine_analysis_get_exposure (analysis) > (guint) arg.threshold) {
                        if (!arg.quiet && !arg.json)
                                fprintf (stderr, "confinectl analyze: exposure %u.%u is above the threshold %d.%d\n",
                                         confine_analysis_get_exposure (analysis) / 10,
                                         confine_analysis_get_exposure (analysis) % 10, arg.threshold / 10,
                                         arg.threshold % 10);
                        r = EXIT_ABOVE_THRESHOLD;
                }
        }
        ctl_disconnect (client);
        return r;
}
