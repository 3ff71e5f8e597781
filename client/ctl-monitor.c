/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* confinectl monitor: one line per event of every job (Manager.Subscribe), until interrupted. */
#include <glib-unix.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>

#include "ctl-print.h"
#include "ctl.h"

typedef struct {
        GMainLoop *loop;
        GHashTable *jobs;       /* ConfineJob → itself, referenced while we follow it */
        int exit_code;
} MonitorState;

/* "ID EVENT" and then the details: as text "KEY=VALUE …", as JSON one object per line. */
static void begin_event (ConfineJob *job, const char *event) {
        if (arg.json) {
                printf ("{\"id\":%" PRIu64 ",\"event\":", confine_job_get_id (job));
                ctl_print_json_string (event);
        } else
                printf ("%" PRIu64 " %s", confine_job_get_id (job), event);
}

static void field_string (const char *key, const char *value) {
        if (arg.json) {
                printf (",\"%s\":", key);
                ctl_print_json_string (value ? value : "");
        } else
                printf (" %s=%s", key, value ? value : "");
}

static void field_int (const char *key, gint64 value) {
        printf (arg.json ? ",\"%s\":%" G_GINT64_FORMAT : " %s=%" G_GINT64_FORMAT, key, value);
}

static void end_event (void) {
        puts (arg.json ? "}" : "");
        fflush (stdout);
}

static void on_state (ConfineJob *job, GParamSpec *pspec, gpointer data) {
        begin_event (job, "state");
        field_string ("state", confine_job_get_state (job));
        end_event ();
}

static void on_exited (ConfineJob *job, const char *result, gint status, gpointer data) {
        begin_event (job, "exited");
        field_string ("result", result);
        field_int ("status", status);
        end_event ();
}

static void on_output (ConfineJob *job, ConfineStream stream, GBytes *bytes, gpointer data) {
        begin_event (job, "output");
        field_string ("stream", stream == CONFINE_STREAM_STDERR ? "stderr" : "stdout");
        field_int ("bytes", (gint64) g_bytes_get_size (bytes));
        end_event ();
}

static void follow (MonitorState *m, ConfineJob *job) {
        if (g_hash_table_contains (m->jobs, job))
                return;
        g_hash_table_add (m->jobs, g_object_ref (job));
        g_signal_connect (job, "notify::state", G_CALLBACK (on_state), m);
        g_signal_connect (job, "exited", G_CALLBACK (on_exited), m);
        g_signal_connect (job, "output", G_CALLBACK (on_output), m);
}

static void on_job_new (ConfineClient *client, ConfineJob *job, gpointer data) {
        begin_event (job, "new");
        field_string ("path", confine_job_get_object_path (job));
        end_event ();
        follow (data, job);
}

static void on_job_removed (ConfineClient *client, ConfineJob *job, gpointer data) {
        MonitorState *m = data;

        begin_event (job, "removed");
        field_string ("result", confine_job_get_result (job));
        field_int ("status", confine_job_get_exit_status (job));
        end_event ();
        g_signal_handlers_disconnect_by_data (job, m);
        g_hash_table_remove (m->jobs, job);
}

static gboolean on_interrupt (gpointer data) {
        MonitorState *m = data;

        g_main_loop_quit (m->loop);
        return G_SOURCE_CONTINUE;
}

static void on_closed (GDBusConnection *c, gboolean remote_peer_vanished, GError *error, gpointer data) {
        MonitorState *m = data;

        fprintf (stderr, "confinectl: monitor: the connection was closed%s%s\n", error ? ": " : "",
                 error ? error->message : "");
        m->exit_code = 1;
        g_main_loop_quit (m->loop);
}

static void unfollow (gpointer key, gpointer value, gpointer data) {
        g_signal_handlers_disconnect_by_data (key, data);
}

int verb_monitor (int argc, char *argv[]) {
        g_autoptr (ConfineClient) client = NULL;
        g_autoptr (GPtrArray) jobs = NULL;
        g_autoptr (GError) error = NULL;
        MonitorState m = { 0 };
        guint sigint, sigterm;

        if (argc != 0) {
                fprintf (stderr, "confinectl monitor: takes no arguments\n");
                return EXIT_USAGE;
        }
        client = ctl_connect ();
        if (!client)
                return 1;
        m.loop = g_main_loop_new (NULL, FALSE);
        m.jobs = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
        g_signal_connect (client, "job-new", G_CALLBACK (on_job_new), &m);
        g_signal_connect (client, "job-removed", G_CALLBACK (on_job_removed), &m);
        g_signal_connect (confine_client_get_connection (client), "closed", G_CALLBACK (on_closed), &m);

        if (!confine_client_subscribe (client, NULL, &error)) {
                ctl_print_error ("Subscribe", error);
                m.exit_code = 1;
        } else {
                /* Jobs that existed before: their later events too. */
                jobs = confine_client_list_jobs (client, NULL, &error);
                for (guint i = 0; jobs && i < jobs->len; i++)
                        follow (&m, jobs->pdata[i]);
                sigint = g_unix_signal_add (SIGINT, on_interrupt, &m);
                sigterm = g_unix_signal_add (SIGTERM, on_interrupt, &m);
                g_main_loop_run (m.loop);
                g_source_remove (sigint);
                g_source_remove (sigterm);
        }

        g_signal_handlers_disconnect_by_data (confine_client_get_connection (client), &m);
        g_signal_handlers_disconnect_by_data (client, &m);
        g_hash_table_foreach (m.jobs, unfollow, &m);
        g_hash_table_unref (m.jobs);
        g_clear_pointer (&jobs, g_ptr_array_unref);
        g_main_loop_unref (m.loop);
        ctl_disconnect (g_steal_pointer (&client));
        return m.exit_code;
}
