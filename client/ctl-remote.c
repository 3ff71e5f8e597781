/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* -H [user@]host: the daemon of another host, over `ssh host systemd-stdio-bridge`. The
 * bridge connects its stdio to that host's system bus; GDBus speaks the D-Bus protocol
 * over the pipes as over a socket. No fds can cross. */
#include <glib-unix.h>
#include <signal.h>

#include "ctl.h"

#define SSH_EXIT_TIMEOUT_MS 2000

static GSubprocess *ssh;

GDBusConnection *ctl_remote_connect (const char *host, const char *bridge, GError **error) {
        g_autoptr (GStrvBuilder) argv = g_strv_builder_new ();
        g_auto (GStrv) ssh_command = NULL;
        g_auto (GStrv) args = NULL;
        g_autoptr (GIOStream) stream = NULL;
        const char *ssh_env = g_getenv ("CONFINE_SSH");

        /* $CONFINE_SSH may add options (a config file, a port): it is split like a shell would. */
        if (!g_shell_parse_argv (ssh_env && *ssh_env ? ssh_env : "ssh", NULL, &ssh_command, error))
                return NULL;
        g_strv_builder_addv (argv, (const char **) ssh_command);
        /* No X11 forwarding, no tty: the pipes must carry nothing but the bus. */
        g_strv_builder_add_many (argv, "-x", "-T", "--", host, bridge ?: CTL_DEFAULT_BRIDGE, NULL);
        args = g_strv_builder_end (argv);

        ssh = g_subprocess_newv ((const char *const *) args, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                 error);
        if (!ssh)
                return NULL;
        stream = g_simple_io_stream_new (g_subprocess_get_stdout_pipe (ssh), g_subprocess_get_stdin_pipe (ssh));
        return g_dbus_connection_new_sync (stream, NULL,
                                           G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                   G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                           NULL, NULL, error);
}

static void on_ssh_exited (GObject *source, GAsyncResult *res, gpointer data) {
        *(gboolean *) data = TRUE;
}

static gboolean on_timeout (gpointer data) {
        *(gboolean *) data = TRUE;
        return G_SOURCE_REMOVE;
}

/* With its stdin closed, the bridge ends and so does ssh; if it does not, it is stopped. */
void ctl_remote_close (void) {
        gboolean exited = FALSE, timed_out = FALSE;
        guint timeout;

        if (!ssh)
                return;
        (void) g_output_stream_close (g_subprocess_get_stdin_pipe (ssh), NULL, NULL);
        g_subprocess_wait_async (ssh, NULL, on_ssh_exited, &exited);
        timeout = g_timeout_add (SSH_EXIT_TIMEOUT_MS, on_timeout, &timed_out);
        while (!exited && !timed_out)
                g_main_context_iteration (NULL, TRUE);
        if (!timed_out)
                g_source_remove (timeout);
        if (!exited) {
                g_subprocess_send_signal (ssh, SIGTERM);
                g_subprocess_wait (ssh, NULL, NULL);
        }
        g_clear_object (&ssh);
}
