/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* confinectl list, status, kill, wait. */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>

#include "ctl-print.h"
#include "ctl.h"
#include "parse-util.h"

static int parse_job_id (const char *s, guint64 *ret) {
        g_autoptr (GError) error = NULL;

        if (!g_ascii_string_to_unsigned (s, 10, 1, G_MAXUINT64, ret, &error)) {
                fprintf (stderr, "confinectl: invalid job id: %s\n", s);
                return -1;
        }
        return 0;
}

/* The job with this id, or NULL after printing why. */
static ConfineJob *get_job (ConfineClient *client, guint64 id) {
        g_autoptr (GError) error = NULL;
        ConfineJob *job = confine_client_get_job (client, id, NULL, &error);

        if (!job)
                ctl_print_error ("GetJob", error);
        return job;
}

int verb_list (int argc, char *argv[]) {
        g_autoptr (ConfineClient) client = NULL;
        g_autoptr (GPtrArray) jobs = NULL;
        g_autoptr (GError) error = NULL;

        if (argc != 0) {
                fprintf (stderr, "confinectl list: takes no arguments\n");
                return EXIT_USAGE;
        }
        client = ctl_connect ();
        if (!client)
                return 1;
        jobs = confine_client_list_jobs (client, NULL, &error);
        if (!jobs) {
                ctl_print_error ("ListJobs", error);
                ctl_disconnect (g_steal_pointer (&client));
                return 1;
        }
        if (arg.json)
                fputs ("[", stdout);
        else
                printf ("%-6s %-8s %-6s %-8s %s\n", "ID", "STATE", "UID", "PID", "PROGRAM");
        for (guint i = 0; i < jobs->len; i++) {
                ConfineJob *j = jobs->pdata[i];
                if (arg.json) {
                        printf ("%s{\"id\":%" PRIu64 ",\"state\":", i ? "," : "", confine_job_get_id (j));
                        ctl_print_json_string (confine_job_get_state (j));
                        printf (",\"owner\":%u,\"main_pid\":%u,\"program\":", confine_job_get_owner (j),
                                confine_job_get_main_pid (j));
                        ctl_print_json_string (confine_job_get_program (j));
                        fputs (",\"path\":", stdout);
                        ctl_print_json_string (confine_job_get_object_path (j));
                        fputs ("}", stdout);
                } else
                        printf ("%-6" PRIu64 " %-8s %-6u %-8u %s\n", confine_job_get_id (j), confine_job_get_state (j),
                                confine_job_get_owner (j), confine_job_get_main_pid (j), confine_job_get_program (j));
        }
        if (arg.json)
                puts ("]");
        else
                printf ("\n%u job(s).\n", jobs->len);
        g_clear_pointer (&jobs, g_ptr_array_unref);
        ctl_disconnect (g_steal_pointer (&client));
        return 0;
}

int verb_status (int argc, char *argv[]) {
        g_autoptr (ConfineClient) client = NULL;
        g_autoptr (ConfineJob) job = NULL;
        g_autoptr (GError) error = NULL;
        guint64 id;
        int r = 1;

        if (argc != 1 || parse_job_id (argv[0], &id) < 0)
                return EXIT_USAGE;
        client = ctl_connect ();
        if (!client)
                return 1;
        job = get_job (client, id);
        if (job && !confine_job_refresh (job, NULL, &error))
                ctl_print_error ("GetAll", error);
        else if (job) {
                ctl_print_job (job, arg.json);
                r = 0;
        }
        g_clear_object (&job);
        ctl_disconnect (g_steal_pointer (&client));
        return r;
}

int verb_kill (int argc, char *argv[]) {
        g_autoptr (ConfineClient) client = NULL;
        g_autoptr (ConfineJob) job = NULL;
        g_autoptr (GError) error = NULL;
        int sig = SIGTERM, r = 1;
        guint64 id;

        if (argc < 1 || argc > 2 || parse_job_id (argv[0], &id) < 0)
                return EXIT_USAGE;
        if (argc == 2) {
                sig = parse_signal (argv[1]);
                if (sig < 0) {
                        fprintf (stderr, "confinectl: invalid signal: %s\n", argv[1]);
                        return EXIT_USAGE;
                }
        }
        client = ctl_connect ();
        if (!client)
                return 1;
        job = get_job (client, id);
        if (job && !confine_job_kill (job, sig, NULL, &error))
                ctl_print_error ("Kill", error);
        else if (job)
                r = 0;
        g_clear_object (&job);
        ctl_disconnect (g_steal_pointer (&client));
        return r;
}

int verb_wait (int argc, char *argv[]) {
        g_autoptr (ConfineClient) client = NULL;
        g_autoptr (ConfineJob) job = NULL;
        g_autoptr (GError) error = NULL;
        g_autofree gchar *result = NULL;
        gint status;
        guint64 id;
        int r = 1;

        if (argc != 1 || parse_job_id (argv[0], &id) < 0)
                return EXIT_USAGE;
        client = ctl_connect ();
        if (!client)
                return 1;
        job = get_job (client, id);
        if (job && !confine_job_wait (job, NULL, &result, &status, &error))
                ctl_print_error ("Wait", error);
        else if (job) {
                if (!arg.json)
                        printf ("%s %d\n", result, status);
                else if (confine_job_refresh (job, NULL, &error))
                        ctl_print_job (job, true);
                else
                        ctl_print_error ("GetAll", error);
                r = confine_job_get_exit_code (job);
        }
        g_clear_object (&job);
        ctl_disconnect (g_steal_pointer (&client));
        return r;
}
