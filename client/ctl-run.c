/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* confinectl run: spawn, pass our stdio (by fd, through the daemon with --pipe and -H, or on
 * a new pty with --pty), forward our signals, wait, exit with the job's status. */
#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ctl-print.h"
#include "ctl-pty.h"
#include "ctl.h"
#include "property-text-io.h"

#define STDIN_CHUNK (64 * 1024)
#define PTY_DRAIN_TIMEOUT_MS 2000

typedef struct RunState {
        GMainLoop *loop;
        ConfineJob *job;
        int pending_signal;     /* arrived before the job existed */
        bool waited;
        bool drained;           /* the pty's output is all copied (or there is no pty) */
        GError *wait_error;
        GInputStream *in;       /* --pipe: our stdin, copied to WriteInput */
        GCancellable *cancel;
        CtlPty *pty;
        CtlRunExtra *extra;
} RunState;

typedef struct {
        RunState *st;
        int sig;
} SignalSource;

static void maybe_quit (RunState *st) {
        if (st->waited && st->drained)
                g_main_loop_quit (st->loop);
}

/* Our SIGINT/SIGTERM/SIGHUP go to the job; its end is what ends us. */
static gboolean on_signal (gpointer data) {
        SignalSource *s = data;

        if (s->st->job)
                confine_job_kill_async (s->st->job, s->sig, NULL, NULL, NULL);
        else
                s->st->pending_signal = s->sig;
        return G_SOURCE_CONTINUE;
}

static void on_output (ConfineJob *job, ConfineStream stream, GBytes *data, gpointer user_data) {
        gsize n;
        const guint8 *p = g_bytes_get_data (data, &n);

        /* Blocking on a slow reader is right: the daemon then holds the job's output back. */
        if (n > 0)
                (void) ctl_write_all (stream == CONFINE_STREAM_STDERR ? STDERR_FILENO : STDOUT_FILENO, p, n);
}

static void read_stdin (RunState *st);

static void on_input_written (GObject *source, GAsyncResult *res, gpointer data) {
        RunState *st = data;

        /* A failure means the job closed its stdin or ended: stop copying, silently. */
        if (confine_job_write_input_finish (CONFINE_JOB (source), res, NULL))
                read_stdin (st);
}

static void on_stdin_read (GObject *source, GAsyncResult *res, gpointer data) {
        RunState *st = data;
        g_autoptr (GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), res, NULL);

        if (g_cancellable_is_cancelled (st->cancel))
                return;
        if (!bytes || g_bytes_get_size (bytes) == 0)
                confine_job_close_input_async (st->job, st->cancel, NULL, NULL);
        else
                confine_job_write_input_async (st->job, bytes, st->cancel, on_input_written, st);
}

static void read_stdin (RunState *st) {
        g_input_stream_read_bytes_async (st->in, STDIN_CHUNK, G_PRIORITY_DEFAULT, st->cancel, on_stdin_read, st);
}

static void on_waited (GObject *source, GAsyncResult *res, gpointer data) {
        RunState *st = data;

        (void) confine_job_wait_finish (CONFINE_JOB (source), res, NULL, NULL, &st->wait_error);
        st->waited = true;
        maybe_quit (st);
}

static gboolean on_drained (gpointer data) {
        RunState *st = data;

        st->drained = true;
        maybe_quit (st);
        return G_SOURCE_REMOVE;
}

/* As systemd-run and env(1): 127 when the command was not found, 126 when it was found but could
 * not be executed; 125 for every other failure to start it. */
static int spawn_failed_exit_code (const GError *e) {
        g_autoptr (ConfineSpawnFailure) f = confine_spawn_failure_from_error (e);

        if (!f || !g_str_equal (f->step, "execve"))
                return EXIT_SPAWN_FAILED;
        return f->error_number == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE;
}

/* -E NAME=VALUE, or -E NAME for our own value, as systemd-run takes them; FALSE after printing why. */
static gboolean add_setenv (ConfinePropertyBuilder *b) {
        g_autoptr (GPtrArray) env = g_ptr_array_new_with_free_func (g_free);

        if (!arg.setenv)
                return TRUE;
        for (guint i = 0; i < arg.setenv->len; i++) {
                const char *e = arg.setenv->pdata[i], *value;

                if (strchr (e, '=')) {
                        g_ptr_array_add (env, g_strdup (e));
                        continue;
                }
                value = g_getenv (e);
                if (!value) {
                        fprintf (stderr, "confinectl: -E %s: not set in our environment\n", e);
                        return FALSE;
                }
                g_ptr_array_add (env, g_strconcat (e, "=", value, NULL));
        }
        g_ptr_array_add (env, NULL);
        confine_property_builder_add_strv (b, "Environment", (const gchar *const *) env->pdata);
        return TRUE;
}

/* The properties of -p, then of the options that stand for properties (--uid, --gid, the working
 * directory, -E), in systemd-run's order, so that an option overrides a -p of the same property; then
 * --profile and, when passing fds, our stdio. NULL after printing why. */
ConfinePropertyBuilder *ctl_build_properties (bool pass_fds) {
        g_autoptr (ConfinePropertyBuilder) b = confine_property_builder_new ();
        g_autoptr (GError) error = NULL;
        static const char *const stdio_names[] = { "StandardInputFileDescriptor", "StandardOutputFileDescriptor",
                                                   "StandardErrorFileDescriptor" };

        for (guint i = 0; arg.properties && i < arg.properties->len; i++)
                if (!confine_property_builder_add_text (b, arg.properties->pdata[i], &error)) {
                        fprintf (stderr, "confinectl: -p %s\n", error->message);
                        return NULL;
                }
        if (arg.uid)
                confine_property_builder_add_string (b, "User", arg.uid);
        if (arg.gid)
                confine_property_builder_add_string (b, "Group", arg.gid);
        if (arg.same_dir || arg.working_directory) {
                /* Relative to ours, as systemd-run makes it; the job enters it with its own ids. */
                g_autofree gchar *cwd = g_get_current_dir ();
                g_autofree gchar *dir = arg.same_dir ? g_strdup (cwd) : g_canonicalize_filename (arg.working_directory, cwd);
                confine_property_builder_add_string (b, "WorkingDirectory", dir);
        }
        if (!add_setenv (b))
                return NULL;
        if (arg.profile)
                confine_property_builder_add_string (b, "Profile", arg.profile);
        for (int fd = 0; pass_fds && fd < 3; fd++) {
                bool set_by_property = false;
                /* -p StandardOutput=… sets that stream: our fd would contradict it. */
                for (guint i = 0; arg.properties && i < arg.properties->len; i++)
                        if (property_text_stdio_stream (arg.properties->pdata[i]) == fd)
                                set_by_property = true;
                if (set_by_property)
                        continue;
                if (!confine_property_builder_add_fd (b, stdio_names[fd], fd, &error)) {
                        fprintf (stderr, "confinectl: cannot pass fd %d: %s\n", fd, error->message);
                        return NULL;
                }
        }
        return g_steal_pointer (&b);
}

static bool property_given (const char *name) {
        size_t n = strlen (name);

        for (guint i = 0; arg.properties && i < arg.properties->len; i++) {
                const char *p = arg.properties->pdata[i];
                if (strncmp (p, name, n) == 0 && p[n] == '=')
                        return true;
        }
        return false;
}

static void add_window_size (ConfinePropertyBuilder *props) {
        struct winsize ws;

        if (ioctl (STDIN_FILENO, TIOCGWINSZ, &ws) < 0 && ioctl (STDOUT_FILENO, TIOCGWINSZ, &ws) < 0)
                return;
        if (!property_given ("TTYRows"))
                confine_property_builder_add (props, "TTYRows", g_variant_new_uint32 (ws.ws_row));
        if (!property_given ("TTYColumns"))
                confine_property_builder_add (props, "TTYColumns", g_variant_new_uint32 (ws.ws_col));
}

static int run_job (ConfineClient *client, RunState *st, char *argv[], ConfinePropertyBuilder *props,
                    ConfineSpawnFlags flags) {
        g_autoptr (GVariant) properties = confine_property_builder_end (props);
        g_autoptr (GError) error = NULL;
        int master;

        st->job = confine_client_spawn (client, (const gchar *const *) argv, properties,
                                        confine_property_builder_get_fd_list (props), flags, NULL, &error);
        if (!st->job) {
                ctl_print_error ("Spawn", error);
                return spawn_failed_exit_code (error);
        }
        if (st->pending_signal)
                confine_job_kill_async (st->job, st->pending_signal, NULL, NULL, NULL);
        if (arg.no_block) {
                /* As systemd-run --no-block: say which job it is and leave it running. */
                if (arg.json && confine_job_refresh (st->job, NULL, &error))
                        ctl_print_job (st->job, true);
                else if (arg.json)
                        ctl_print_error ("GetAll", error);
                else if (!arg.quiet)
                        fprintf (stderr, "Running as job %" G_GUINT64_FORMAT ": %s\n", confine_job_get_id (st->job),
                                 confine_job_get_object_path (st->job));
                return 0;
        }

        if (flags & CONFINE_SPAWN_FLAGS_PIPE) {
                g_signal_connect (st->job, "output", G_CALLBACK (on_output), st);
                st->in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
                read_stdin (st);
        }
        if (flags & CONFINE_SPAWN_FLAGS_PTY) {
                master = confine_job_get_terminal (st->job, NULL, &error);
                if (master < 0) {
                        ctl_print_error ("GetTerminal", error);
                        confine_job_kill (st->job, SIGKILL, NULL, NULL);
                        return EXIT_SPAWN_FAILED;
                }
                st->drained = false;
                st->pty = ctl_pty_start (master, on_drained, st);
        }

        confine_job_wait_async (st->job, NULL, on_waited, st);
        g_main_loop_run (st->loop);
        if (!st->drained) {
                /* Something still holds the job's side of the pty open: give its output a
                 * moment, not forever. */
                g_timeout_add (PTY_DRAIN_TIMEOUT_MS, on_drained, st);
                g_main_loop_run (st->loop);
        }
        g_cancellable_cancel (st->cancel);
        g_clear_pointer (&st->pty, ctl_pty_free);

        if (st->wait_error) {
                ctl_print_error ("Wait", st->wait_error);
                return EXIT_SPAWN_FAILED;
        }
        if (st->extra && st->extra->learned) {
                if (!confine_job_refresh (st->job, NULL, &error)) {
                        ctl_print_error ("GetAll", error);
                        return EXIT_SPAWN_FAILED;
                }
                for (const gchar *const *n = confine_job_get_learned_system_calls (st->job); n && *n; n++)
                        g_ptr_array_add (st->extra->learned, g_strdup (*n));
                for (const gchar *const *n = confine_job_get_learned_address_families (st->job);
                     st->extra->families && n && *n; n++)
                        g_ptr_array_add (st->extra->families, g_strdup (*n));
                for (const gchar *const *n = confine_job_get_learned_paths (st->job, FALSE);
                     st->extra->paths && n && *n; n++)
                        g_ptr_array_add (st->extra->paths, g_strdup (*n));
                for (const gchar *const *n = confine_job_get_learned_paths (st->job, TRUE);
                     st->extra->paths_written && n && *n; n++)
                        g_ptr_array_add (st->extra->paths_written, g_strdup (*n));
                const struct {
                        const char *property;
                        GPtrArray *to;
                } more[] = { { "LearnedFiles", st->extra->files }, { "LearnedEndpoints", st->extra->endpoints },
                             { "LearnedUses", st->extra->uses }, { "LearnedCapabilities", st->extra->capabilities } };
                for (size_t i = 0; i < G_N_ELEMENTS (more); i++)
                        for (const gchar *const *n = confine_job_get_learned (st->job, more[i].property);
                             more[i].to && n && *n; n++)
                                g_ptr_array_add (more[i].to, g_strdup (*n));
        } else if (arg.json && !st->extra) {
                if (confine_job_refresh (st->job, NULL, &error))
                        ctl_print_job (st->job, true);
                else
                        ctl_print_error ("GetAll", error);
        }
        if (st->extra)
                st->extra->started = true;
        return confine_job_get_exit_code (st->job);
}

int verb_run (int argc, char *argv[]) {
        return ctl_run (argc, argv, NULL);
}

int ctl_run (int argc, char *argv[], CtlRunExtra *extra) {
        g_autoptr (ConfinePropertyBuilder) props = NULL;
        g_autoptr (ConfineClient) client = NULL;
        static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP };
        SignalSource sources[G_N_ELEMENTS (forwarded)];
        guint source_ids[G_N_ELEMENTS (forwarded)];
        ConfineSpawnFlags flags = CONFINE_SPAWN_FLAGS_KILL_ON_DISCONNECT;
        RunState st = { .drained = true, .extra = extra };
        int r;

        if (argc < 1) {
                fprintf (stderr, "confinectl run: no command given\n");
                return EXIT_USAGE;
        }
        if (arg.no_block && (arg.pipe || arg.pty)) {
                fprintf (stderr, "confinectl run: --no-block cannot be combined with --pipe or --pty: they need "
                                 "confinectl until the job ends\n");
                return EXIT_USAGE;
        }
        /* --no-block: the job outlives us, so it must not be killed when we leave (no flag 1). */
        if (arg.no_block)
                flags &= ~CONFINE_SPAWN_FLAGS_KILL_ON_DISCONNECT;
        /* -H: no fd can cross to another host, so stdio goes through the daemon (or, with --no-block,
         * the job gets none). */
        if (arg.pipe || (arg.host && !arg.no_block))
                flags |= CONFINE_SPAWN_FLAGS_PIPE;
        if (arg.pty)
                flags |= CONFINE_SPAWN_FLAGS_PTY;
        if ((flags & CONFINE_SPAWN_FLAGS_PIPE) && (flags & CONFINE_SPAWN_FLAGS_PTY)) {
                fprintf (stderr, "confinectl run: --pty cannot be combined with --pipe or -H\n");
                return EXIT_USAGE;
        }
        /* With --no-block the job gets no stdio of ours (/dev/null), as systemd-run's does not: it must not
         * hold our caller's pipes open after we return. */
        props = ctl_build_properties (!(flags & (CONFINE_SPAWN_FLAGS_PIPE | CONFINE_SPAWN_FLAGS_PTY)) && !arg.host &&
                                  !arg.no_block);
        if (!props)
                return EXIT_USAGE;
        for (size_t i = 0; extra && extra->properties && extra->properties[i]; i++) {
                g_autoptr (GError) error = NULL;
                if (!confine_property_builder_add_text (props, extra->properties[i], &error)) {
                        fprintf (stderr, "confinectl: %s\n", error->message);
                        return EXIT_USAGE;
                }
        }
        if (extra)
                flags |= extra->flags;
        /* The job's pty gets our window size before the job starts, not after (when it may already
         * have asked): TTYRows=/TTYColumns=, unless -p gave them. */
        if (flags & CONFINE_SPAWN_FLAGS_PTY)
                add_window_size (props);

        client = ctl_connect ();
        if (!client)
                return EXIT_SPAWN_FAILED;

        /* Handlers before the job exists, so that no signal is lost in between. */
        st.loop = g_main_loop_new (NULL, FALSE);
        st.cancel = g_cancellable_new ();
        for (size_t i = 0; i < G_N_ELEMENTS (forwarded); i++) {
                sources[i] = (SignalSource) { &st, forwarded[i] };
                source_ids[i] = g_unix_signal_add (forwarded[i], on_signal, &sources[i]);
        }

        r = run_job (client, &st, argv, props, flags);

        for (size_t i = 0; i < G_N_ELEMENTS (forwarded); i++)
                g_source_remove (source_ids[i]);
        g_clear_object (&st.job);
        g_clear_object (&st.in);
        g_clear_object (&st.cancel);
        g_clear_error (&st.wait_error);
        g_main_loop_unref (st.loop);
        ctl_disconnect (g_steal_pointer (&client));
        return r;
}
