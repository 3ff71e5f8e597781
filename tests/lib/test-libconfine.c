/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libconfine against the real daemon (run under tests/with-bus): connecting, async and sync
 * spawn and wait, kill, errors, the job's signals (none lost between Spawn's reply and the
 * caller's handlers), lookups, and flag 2: output, input, and the output window. */
#include <confine/confine.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define TEST_TIMEOUT_S 60

static ConfineClient *client;

/* --- helpers */

static void store_result (GObject *source, GAsyncResult *res, gpointer data) {
        *(GAsyncResult **) data = g_object_ref (res);
}

static GAsyncResult *iterate_until_result (GAsyncResult **res) {
        while (!*res)
                g_main_context_iteration (NULL, TRUE);
        return *res;
}

static gboolean on_watchdog (gpointer data) {
        g_error ("test timed out after %d s", TEST_TIMEOUT_S);
        return G_SOURCE_REMOVE;
}

static ConfineJob *spawn_sync (const gchar *const *argv, ConfinePropertyBuilder *b, ConfineSpawnFlags flags,
                               GError **error) {
        g_autoptr (GVariant) props = b ? confine_property_builder_end (b) : NULL;

        return confine_client_spawn (client, argv, props, b ? confine_property_builder_get_fd_list (b) : NULL,
                                     flags | CONFINE_SPAWN_FLAGS_KILL_ON_DISCONNECT, NULL, error);
}

/* NULL (and the test skipped) if this daemon does not do flag 2 yet. */
static ConfineJob *spawn_piped (const gchar *const *argv) {
        g_autoptr (GError) error = NULL;
        ConfineJob *job = spawn_sync (argv, NULL, CONFINE_SPAWN_FLAGS_PIPE, &error);

        if (g_error_matches (error, CONFINE_ERROR, CONFINE_ERROR_NOT_SUPPORTED)) {
                g_test_skip ("the daemon does not implement flag 2 (pipe)");
                return NULL;
        }
        g_assert_no_error (error);
        return job;
}

static gchar *read_all (int fd) {
        GString *s = g_string_new (NULL);
        char buf[4096];
        ssize_t n;

        while ((n = read (fd, buf, sizeof buf)) > 0)
                g_string_append_len (s, buf, n);
        return g_string_free (s, FALSE);
}

/* --- connecting */

static void test_new (void) {
        g_autoptr (ConfineClient) c = NULL;
        g_autoptr (ConfineClient) c2 = NULL;
        g_autoptr (GDBusConnection) private = NULL;
        g_autoptr (GAsyncResult) res = NULL;
        g_autoptr (GError) error = NULL;

        g_assert_true (g_str_has_prefix (confine_client_get_daemon_name (client), ":"));

        confine_client_new_async (NULL, store_result, &res);
        c = confine_client_new_finish (iterate_until_result (&res), &error);
        g_assert_no_error (error);
        g_assert_cmpstr (confine_client_get_daemon_name (c), ==, confine_client_get_daemon_name (client));

        /* A connection of the caller's making, as -H makes one. */
        private = g_dbus_connection_new_for_address_sync (
                g_getenv ("DBUS_SYSTEM_BUS_ADDRESS"),
                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL,
                NULL, &error);
        g_assert_no_error (error);
        c2 = confine_client_new_for_connection (private, NULL, &error);
        g_assert_no_error (error);
        g_assert_true (confine_client_get_connection (c2) == private);
        g_assert_cmpstr (confine_client_get_daemon_name (c2), ==, confine_client_get_daemon_name (client));
}

/* --- spawn, wait, signals */

typedef struct {
        ConfineJob *job;
        GError *error;
        guint n_exited;
        gchar *exited_result;
        gint exited_status;
        GPtrArray *states;
        gboolean done;
} SpawnCase;

static void on_exited (ConfineJob *job, const gchar *result, gint status, gpointer data) {
        SpawnCase *sc = data;

        sc->n_exited++;
        g_free (sc->exited_result);
        sc->exited_result = g_strdup (result);
        sc->exited_status = status;
}

static void on_state (ConfineJob *job, GParamSpec *pspec, gpointer data) {
        SpawnCase *sc = data;
        g_ptr_array_add (sc->states, g_strdup (confine_job_get_state (job)));
}

static void on_spawned (GObject *source, GAsyncResult *res, gpointer data) {
        SpawnCase *sc = data;

        sc->job = confine_client_spawn_finish (CONFINE_CLIENT (source), res, &sc->error);
        sc->done = TRUE;
        if (!sc->job)
                return;
        /* Right after finish: no signal of the job may have been emitted before this. */
        g_signal_connect (sc->job, "exited", G_CALLBACK (on_exited), sc);
        g_signal_connect (sc->job, "notify::state", G_CALLBACK (on_state), sc);
}

static void spawn_case_clear (SpawnCase *sc) {
        if (sc->job)
                g_signal_handlers_disconnect_by_data (sc->job, sc);
        g_clear_object (&sc->job);
        g_clear_error (&sc->error);
        g_clear_pointer (&sc->exited_result, g_free);
        g_clear_pointer (&sc->states, g_ptr_array_unref);
}

static void test_spawn_async_wait (void) {
        const gchar *argv[] = { "sh", "-c", "echo hello; exit 3", NULL };
        g_autoptr (ConfinePropertyBuilder) b = confine_property_builder_new ();
        g_autoptr (GVariant) props = NULL;
        g_autoptr (GAsyncResult) res = NULL;
        g_autoptr (GError) error = NULL;
        g_autofree gchar *result = NULL;
        g_autofree gchar *out = NULL;
        SpawnCase sc = { .states = g_ptr_array_new_with_free_func (g_free) };
        gint status = -1, fds[2];

        g_assert_no_errno (pipe (fds));
        g_assert_true (confine_property_builder_add_fd (b, "StandardOutputFileDescriptor", fds[1], &error));
        close (fds[1]);
        props = confine_property_builder_end (b);
        confine_client_spawn_async (client, argv, props, confine_property_builder_get_fd_list (b),
                                    CONFINE_SPAWN_FLAGS_KILL_ON_DISCONNECT, NULL, on_spawned, &sc);
        g_clear_object (&b); /* its duplicates of the pipe go, so that EOF can come */
        while (!sc.done)
                g_main_context_iteration (NULL, TRUE);
        g_assert_no_error (sc.error);
        g_assert_cmpuint (confine_job_get_id (sc.job), >, 0);
        g_assert_true (g_str_has_prefix (confine_job_get_object_path (sc.job), "/org/confine/Confine1/job/"));

        confine_job_wait_async (sc.job, NULL, store_result, &res);
        g_assert_true (confine_job_wait_finish (sc.job, iterate_until_result (&res), &result, &status, &error));
        g_assert_no_error (error);
        g_assert_cmpstr (result, ==, "exit-code");
        g_assert_cmpint (status, ==, 3);
        g_assert_cmpint (confine_job_get_exit_code (sc.job), ==, 3);
        g_assert_cmpstr (confine_job_get_state (sc.job), ==, "exited");
        /* Exited came before Wait's reply, once, with the same values. */
        g_assert_cmpuint (sc.n_exited, ==, 1);
        g_assert_cmpstr (sc.exited_result, ==, "exit-code");
        g_assert_cmpint (sc.exited_status, ==, 3);
        g_assert_cmpuint (sc.states->len, >=, 1);
        g_assert_cmpstr (sc.states->pdata[sc.states->len - 1], ==, "exited");

        out = read_all (fds[0]);
        close (fds[0]);
        g_assert_cmpstr (out, ==, "hello\n");
        spawn_case_clear (&sc);
}

static void test_spawn_sync_wait (void) {
        const gchar *argv[] = { "sh", "-c", "kill -TERM $$", NULL };
        g_autoptr (ConfineJob) job = NULL;
        g_autoptr (GError) error = NULL;
        g_autofree gchar *result = NULL;
        gint status = -1;

        job = spawn_sync (argv, NULL, 0, &error);
        g_assert_no_error (error);
        g_assert_true (confine_job_wait (job, NULL, &result, &status, &error));
        g_assert_cmpstr (result, ==, "signal");
        g_assert_cmpint (status, ==, SIGTERM);
        g_assert_cmpint (confine_job_get_exit_code (job), ==, 128 + SIGTERM);
}

/* Jobs that end at once: their Exited and JobNew/JobRemoved can come before the caller has
 * the object, and must reach it anyway. */
static void on_job_counted (ConfineClient *c, ConfineJob *job, gpointer data) {
        (*(guint *) data)++;
}

static void test_no_signal_lost (void) {
        const gchar *argv[] = { "true", NULL };
        enum { N = 20 };
        SpawnCase sc[N] = { 0 };
        guint n_new = 0, n_removed = 0;
        gulong h_new, h_removed;

        h_new = g_signal_connect (client, "job-new", G_CALLBACK (on_job_counted), &n_new);
        h_removed = g_signal_connect (client, "job-removed", G_CALLBACK (on_job_counted), &n_removed);
        for (int i = 0; i < N; i++) {
                sc[i].states = g_ptr_array_new_with_free_func (g_free);
                confine_client_spawn_async (client, argv, NULL, NULL, CONFINE_SPAWN_FLAGS_KILL_ON_DISCONNECT, NULL,
                                            on_spawned, &sc[i]);
        }
        for (int i = 0; i < N; i++) {
                g_autoptr (GError) error = NULL;
                while (!sc[i].done)
                        g_main_context_iteration (NULL, TRUE);
                g_assert_no_error (sc[i].error);
                g_assert_true (confine_job_wait (sc[i].job, NULL, NULL, NULL, &error));
                g_assert_no_error (error);
        }
        /* JobRemoved follows Exited; give the last ones their turn. */
        while (n_removed < N)
                g_main_context_iteration (NULL, TRUE);
        for (int i = 0; i < N; i++) {
                g_assert_cmpuint (sc[i].n_exited, ==, 1);
                g_assert_cmpstr (sc[i].exited_result, ==, "success");
                spawn_case_clear (&sc[i]);
        }
        g_assert_cmpuint (n_new, ==, N);
        g_assert_cmpuint (n_removed, ==, N);
        g_signal_handler_disconnect (client, h_new);
        g_signal_handler_disconnect (client, h_removed);
}

static void test_kill (void) {
        const gchar *argv[] = { "sleep", "1000", NULL };
        g_autoptr (ConfineJob) job = NULL;
        g_autoptr (GAsyncResult) res = NULL;
        g_autoptr (GError) error = NULL;
        g_autofree gchar *result = NULL;
        gint status = -1;

        job = spawn_sync (argv, NULL, 0, &error);
        g_assert_no_error (error);
        confine_job_kill_async (job, SIGKILL, NULL, store_result, &res);
        g_assert_true (confine_job_kill_finish (job, iterate_until_result (&res), &error));
        g_assert_no_error (error);
        g_assert_true (confine_job_wait (job, NULL, &result, &status, &error));
        g_assert_cmpstr (result, ==, "killed");
        g_assert_cmpint (status, ==, SIGKILL);
        g_assert_cmpint (confine_job_get_exit_code (job), ==, 128 + SIGKILL);
        /* Kill after the end does nothing, successfully. */
        g_assert_true (confine_job_kill (job, SIGTERM, NULL, &error));
        g_assert_no_error (error);
}

/* --- errors: the right domain and code, the daemon's message without GDBus's prefix */

static void test_errors (void) {
        g_autoptr (ConfinePropertyBuilder) b = confine_property_builder_new ();
        g_autoptr (GError) error = NULL;
        g_autoptr (ConfineJob) job = NULL;
        const gchar *argv_true[] = { "true", NULL };
        const gchar *argv_missing[] = { "/nonexistent/confine-test", NULL };

        confine_property_builder_add (b, "Bogus", g_variant_new_boolean (TRUE));
        job = spawn_sync (argv_true, b, 0, &error);
        g_assert_null (job);
        g_assert_error (error, CONFINE_ERROR, CONFINE_ERROR_UNKNOWN_PROPERTY);
        g_assert_false (g_str_has_prefix (error->message, "GDBus.Error:"));
        g_clear_error (&error);
        g_clear_object (&b);

        b = confine_property_builder_new ();
        confine_property_builder_add (b, "PrivateNetwork", g_variant_new_string ("yes"));
        job = spawn_sync (argv_true, b, 0, &error);
        g_assert_error (error, CONFINE_ERROR, CONFINE_ERROR_INVALID_PROPERTY);
        g_assert_nonnull (strstr (error->message, "PrivateNetwork"));
        g_clear_error (&error);

        job = spawn_sync (argv_missing, NULL, 0, &error);
        g_assert_error (error, CONFINE_ERROR, CONFINE_ERROR_SPAWN_FAILED);
        g_assert_nonnull (strstr (error->message, "execve"));
        g_clear_error (&error);

        job = confine_client_spawn (client, argv_true, NULL, NULL, 1 << 20, NULL, &error);
        g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
        g_assert_false (g_str_has_prefix (error->message, "GDBus.Error:"));
        g_clear_error (&error);

        job = confine_client_get_job (client, G_MAXUINT64 - 1, NULL, &error);
        g_assert_error (error, CONFINE_ERROR, CONFINE_ERROR_NO_SUCH_JOB);
        g_assert_false (g_str_has_prefix (error->message, "GDBus.Error:"));
}

/* --- lookups and properties */

static void test_lookup_refresh (void) {
        const gchar *argv[] = { "sleep", "1000", NULL };
        g_autoptr (ConfinePropertyBuilder) b = confine_property_builder_new ();
        g_autoptr (ConfineJob) job = NULL;
        g_autoptr (ConfineJob) same = NULL;
        g_autoptr (GPtrArray) jobs = NULL;
        g_autoptr (GAsyncResult) res = NULL;
        g_autoptr (GError) error = NULL;
        g_autoptr (GVariant) network = NULL;
        GVariant *props;
        gboolean listed = FALSE;

        g_assert_true (confine_property_builder_add_text (b, "PrivateNetwork=yes", &error));
        job = spawn_sync (argv, b, 0, &error);
        g_assert_no_error (error);

        /* One object per job while it is referenced. */
        confine_client_get_job_async (client, confine_job_get_id (job), NULL, store_result, &res);
        same = confine_client_get_job_finish (client, iterate_until_result (&res), &error);
        g_assert_no_error (error);
        g_assert_true (same == job);

        jobs = confine_client_list_jobs (client, NULL, &error);
        g_assert_no_error (error);
        for (guint i = 0; i < jobs->len; i++)
                if (jobs->pdata[i] == job) {
                        listed = TRUE;
                        g_assert_cmpstr (confine_job_get_program (job), ==, "sleep");
                        g_assert_cmpstr (confine_job_get_state (job), ==, "running");
                }
        g_assert_true (listed);

        g_clear_object (&res);
        confine_job_refresh_async (job, NULL, store_result, &res);
        g_assert_true (confine_job_refresh_finish (job, iterate_until_result (&res), &error));
        g_assert_no_error (error);
        g_assert_cmpstrv (confine_job_get_argv (job), argv);
        g_assert_cmpuint (confine_job_get_owner (job), ==, getuid ());
        g_assert_cmpuint (confine_job_get_main_pid (job), >, 0);
        g_assert_cmpuint (confine_job_get_start_timestamp (job), >, 0);
        g_assert_cmpuint (confine_job_get_exit_timestamp (job), ==, 0);
        props = confine_job_get_sandbox_properties (job);
        g_assert_nonnull (props);
        for (gsize i = 0; i < g_variant_n_children (props) && !network; i++) {
                const gchar *name;
                GVariant *v;
                g_variant_get_child (props, i, "(&sv)", &name, &v);
                if (g_str_equal (name, "PrivateNetwork"))
                        network = v;
                else
                        g_variant_unref (v);
        }
        g_assert_nonnull (network);
        g_assert_true (g_variant_get_boolean (network));

        g_assert_true (confine_job_kill (job, SIGKILL, NULL, &error));
        g_assert_true (confine_job_wait (job, NULL, NULL, NULL, &error));
        g_assert_true (confine_job_refresh (job, NULL, &error));
        g_assert_cmpuint (confine_job_get_exit_timestamp (job), >=, confine_job_get_start_timestamp (job));
}

/* --- flag 2: output, input, window */

typedef struct {
        GString *out, *err;
        guint eof_out, eof_err;
        gboolean exited;
        gboolean output_after_exit;
} Collected;

static void on_output_collect (ConfineJob *job, ConfineStream stream, GBytes *data, gpointer user_data) {
        Collected *c = user_data;
        gsize n;
        const gchar *p = g_bytes_get_data (data, &n);

        if (c->exited)
                c->output_after_exit = TRUE;
        if (n == 0)
                (*(stream == CONFINE_STREAM_STDOUT ? &c->eof_out : &c->eof_err))++;
        else
                g_string_append_len (stream == CONFINE_STREAM_STDOUT ? c->out : c->err, p, n);
}

static void on_exited_collect (ConfineJob *job, const gchar *result, gint status, gpointer user_data) {
        ((Collected *) user_data)->exited = TRUE;
}

static void collected_init (Collected *c, ConfineJob *job) {
        c->out = g_string_new (NULL);
        c->err = g_string_new (NULL);
        g_signal_connect (job, "output", G_CALLBACK (on_output_collect), c);
        g_signal_connect (job, "exited", G_CALLBACK (on_exited_collect), c);
}

static void collected_clear (Collected *c) {
        g_string_free (c->out, TRUE);
        g_string_free (c->err, TRUE);
}

static void test_pipe_output (void) {
        const gchar *argv[] = { "sh", "-c", "printf out1; printf err1 >&2; printf out2; exit 5", NULL };
        g_autoptr (ConfineJob) job = spawn_piped (argv);
        g_autoptr (GError) error = NULL;
        g_autofree gchar *result = NULL;
        Collected c = { 0 };
        gint status;

        if (!job)
                return;
        collected_init (&c, job);
        g_assert_true (confine_job_wait (job, NULL, &result, &status, &error));
        g_assert_no_error (error);
        g_assert_cmpint (status, ==, 5);
        g_assert_cmpstr (c.out->str, ==, "out1out2");
        g_assert_cmpstr (c.err->str, ==, "err1");
        /* One EOF per stream, all before Exited, all before Wait's reply. */
        g_assert_cmpuint (c.eof_out, ==, 1);
        g_assert_cmpuint (c.eof_err, ==, 1);
        g_assert_true (c.exited);
        g_assert_false (c.output_after_exit);
        collected_clear (&c);
}

static void test_pipe_input (void) {
        const gchar *argv[] = { "sh", "-c", "cat; echo end", NULL };
        g_autoptr (ConfineJob) job = spawn_piped (argv);
        g_autoptr (GString) expected = g_string_new (NULL);
        g_autoptr (GError) error = NULL;
        g_autoptr (GAsyncResult) res = NULL;
        Collected c = { 0 };

        if (!job)
                return;
        collected_init (&c, job);
        /* More than a pipe holds, in chunks, each written once the one before is in. */
        for (int i = 0; i < 200; i++) {
                g_autofree gchar *line = g_strdup_printf ("line %d %0500d\n", i, i);
                g_autoptr (GBytes) bytes = g_bytes_new (line, strlen (line));
                g_string_append (expected, line);
                if (i % 2) {
                        g_assert_true (confine_job_write_input (job, bytes, NULL, &error));
                } else {
                        g_clear_object (&res);
                        confine_job_write_input_async (job, bytes, NULL, store_result, &res);
                        g_assert_true (confine_job_write_input_finish (job, iterate_until_result (&res), &error));
                }
                g_assert_no_error (error);
        }
        g_string_append (expected, "end\n");
        g_assert_true (confine_job_close_input (job, NULL, &error));
        g_assert_no_error (error);
        g_assert_true (confine_job_wait (job, NULL, NULL, NULL, &error));
        g_assert_cmpuint (c.out->len, ==, expected->len);
        g_assert_cmpstr (c.out->str, ==, expected->str);

        /* After CloseInput, and after the end: refused. */
        {
                g_autoptr (GBytes) more = g_bytes_new_static ("x", 1);
                g_assert_false (confine_job_write_input (job, more, NULL, &error));
                g_assert_nonnull (error);
        }
        collected_clear (&c);
}

/* While the client's main context does not run, the daemon's Pings stay unanswered and the
 * job is held back after a window of output; once it runs, everything arrives, in order. */
static void test_pipe_window (void) {
        const gchar *argv[] = { "seq", "1", "1500000", NULL };
        g_autoptr (ConfineJob) job = spawn_piped (argv);
        g_autoptr (GError) error = NULL;
        g_autoptr (GString) expected = g_string_new (NULL);
        Collected c = { 0 };

        if (!job)
                return;
        collected_init (&c, job);
        g_usleep (1500 * 1000);
        /* A blocking call runs its own context: ours is not dispatched meanwhile. */
        g_assert_true (confine_job_refresh (job, NULL, &error));
        g_assert_cmpstr (confine_job_get_state (job), ==, "running");

        g_assert_true (confine_job_wait (job, NULL, NULL, NULL, &error));
        g_assert_no_error (error);
        for (int i = 1; i <= 1500000; i++)
                g_string_append_printf (expected, "%d\n", i);
        g_assert_cmpuint (c.out->len, ==, expected->len);
        g_assert_true (memcmp (c.out->str, expected->str, expected->len) == 0);
        collected_clear (&c);
}

static void test_pipe_refused_without_flag (void) {
        const gchar *argv[] = { "sleep", "1000", NULL };
        g_autoptr (ConfineJob) job = NULL;
        g_autoptr (GError) error = NULL;
        g_autoptr (GBytes) bytes = g_bytes_new_static ("x", 1);

        job = spawn_sync (argv, NULL, 0, &error);
        g_assert_no_error (error);
        if (!confine_job_write_input (job, bytes, NULL, &error) &&
            g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD)) {
                g_test_skip ("the daemon does not implement WriteInput");
        } else
                g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
        g_assert_true (confine_job_kill (job, SIGKILL, NULL, NULL));
        g_assert_true (confine_job_wait (job, NULL, NULL, NULL, NULL));
}

/* --- flag 4: the terminal */

static void test_terminal (void) {
        const gchar *argv[] = { "sh", "-c", "read x; echo got:$x; test -t 0 && echo tty", NULL };
        g_autoptr (ConfineJob) job = NULL;
        g_autoptr (GAsyncResult) res = NULL;
        g_autoptr (GError) error = NULL;
        g_autoptr (GString) seen = g_string_new (NULL);
        char buf[256];
        gint master;

        job = spawn_sync (argv, NULL, CONFINE_SPAWN_FLAGS_PTY, &error);
        g_assert_no_error (error);
        confine_job_get_terminal_async (job, NULL, store_result, &res);
        master = confine_job_get_terminal_finish (job, iterate_until_result (&res), &error);
        g_assert_no_error (error);
        g_assert_cmpint (master, >=, 0);
        g_assert_true (isatty (master));
        g_assert_cmpint (write (master, "hi\n", 3), ==, 3);
        while (!strstr (seen->str, "tty")) {
                ssize_t n = read (master, buf, sizeof buf);
                g_assert_cmpint (n, >, 0);
                g_string_append_len (seen, buf, n);
        }
        g_assert_nonnull (strstr (seen->str, "got:hi"));
        g_assert_true (confine_job_wait (job, NULL, NULL, NULL, &error));
        g_assert_cmpint (confine_job_get_exit_code (job), ==, 0);
        close (master);

        /* A job without a terminal has none to give. */
        {
                const gchar *argv_true[] = { "true", NULL };
                g_autoptr (ConfineJob) plain = spawn_sync (argv_true, NULL, 0, &error);
                g_assert_no_error (error);
                g_assert_cmpint (confine_job_get_terminal (plain, NULL, &error), ==, -1);
                g_assert_nonnull (error);
                g_assert_false (g_str_has_prefix (error->message, "GDBus.Error:"));
        }
}

/* --- Subscribe: another client sees this one's job, its output and its end */

typedef struct {
        ConfineJob *job;
        Collected c;
        gboolean removed;
} Watched;

static void on_watched_new (ConfineClient *c, ConfineJob *job, gpointer data) {
        Watched *w = data;

        if (w->job)
                return;
        w->job = g_object_ref (job);
        collected_init (&w->c, job);
}

static void on_watched_removed (ConfineClient *c, ConfineJob *job, gpointer data) {
        Watched *w = data;

        if (job == w->job)
                w->removed = TRUE;
}

static void test_subscribe (void) {
        const gchar *argv[] = { "sh", "-c", "printf watched; exit 2", NULL };
        g_autoptr (ConfineClient) watcher = NULL;
        g_autoptr (ConfineJob) job = NULL;
        g_autoptr (GError) error = NULL;
        g_autoptr (GAsyncResult) res = NULL;
        Watched w = { 0 };

        watcher = confine_client_new_for_connection (
                g_dbus_connection_new_for_address_sync (
                        g_getenv ("DBUS_SYSTEM_BUS_ADDRESS"),
                        G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                        NULL, NULL, &error),
                NULL, &error);
        g_assert_no_error (error);
        g_object_unref (confine_client_get_connection (watcher)); /* the client holds it */
        g_signal_connect (watcher, "job-new", G_CALLBACK (on_watched_new), &w);
        g_signal_connect (watcher, "job-removed", G_CALLBACK (on_watched_removed), &w);
        confine_client_subscribe_async (watcher, NULL, store_result, &res);
        g_assert_true (confine_client_subscribe_finish (watcher, iterate_until_result (&res), &error));
        g_assert_no_error (error);

        job = spawn_piped (argv);
        if (!job)
                return;
        g_assert_true (confine_job_wait (job, NULL, NULL, NULL, &error));
        while (!w.removed)
                g_main_context_iteration (NULL, TRUE);
        g_assert_nonnull (w.job);
        g_assert_true (w.job != job); /* another connection, another object */
        g_assert_cmpuint (confine_job_get_id (w.job), ==, confine_job_get_id (job));
        g_assert_cmpstr (w.c.out->str, ==, "watched");
        g_assert_true (w.c.exited);
        g_assert_cmpstr (confine_job_get_result (w.job), ==, "exit-code");
        g_assert_cmpint (confine_job_get_exit_status (w.job), ==, 2);

        g_assert_true (confine_client_unsubscribe (watcher, NULL, &error));
        g_assert_no_error (error);
        g_signal_handlers_disconnect_by_data (watcher, &w);
        g_signal_handlers_disconnect_by_data (w.job, &w.c);
        collected_clear (&w.c);
        g_clear_object (&w.job);
}

int main (int argc, char *argv[]) {
        g_autoptr (GError) error = NULL;
        int r;

        g_test_init (&argc, &argv, NULL);
        g_timeout_add_seconds (TEST_TIMEOUT_S, on_watchdog, NULL);
        client = confine_client_new (NULL, &error);
        g_assert_no_error (error);

        g_test_add_func ("/client/new", test_new);
        g_test_add_func ("/spawn/async-wait", test_spawn_async_wait);
        g_test_add_func ("/spawn/sync-wait", test_spawn_sync_wait);
        g_test_add_func ("/spawn/no-signal-lost", test_no_signal_lost);
        g_test_add_func ("/spawn/errors", test_errors);
        g_test_add_func ("/job/kill", test_kill);
        g_test_add_func ("/job/lookup-refresh", test_lookup_refresh);
        g_test_add_func ("/pipe/output", test_pipe_output);
        g_test_add_func ("/pipe/input", test_pipe_input);
        g_test_add_func ("/pipe/window", test_pipe_window);
        g_test_add_func ("/pipe/refused-without-flag", test_pipe_refused_without_flag);
        g_test_add_func ("/pty/terminal", test_terminal);
        g_test_add_func ("/client/subscribe", test_subscribe);
        r = g_test_run ();
        g_clear_object (&client);
        return r;
}
