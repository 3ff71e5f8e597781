/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ConfineJob's method calls: refresh (GetAll), Wait, Kill, WriteInput, CloseInput,
 * GetTerminal; each async, finish and blocking. */
#include <gio/gunixfdlist.h>

#include "confine-dbus-generated.h"
#include "confine-private.h"

static GDBusProxy *proxy_of (ConfineJob *self) {
        return G_DBUS_PROXY (_confine_job_get_proxy (self));
}

static GTask *new_task (ConfineJob *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                        gpointer user_data, gpointer source_tag) {
        GTask *task = g_task_new (self, cancellable, callback, user_data);
        g_task_set_source_tag (task, source_tag);
        return task;
}

static gboolean finish_boolean (ConfineJob *self, GAsyncResult *result, GError **error) {
        g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
        return g_task_propagate_boolean (G_TASK (result), error);
}

/* The ay of WriteInput, as a GVariant: generated code would take a NUL-terminated string. */
static GVariant *bytes_variant (GBytes *data) {
        return g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, data, TRUE);
}

/* --- refresh */

static GVariant *get_all_args (void) {
        return g_variant_new ("(s)", CONFINE_JOB_IFACE);
}

static void apply_get_all_reply (ConfineJob *self, GVariant *reply) {
        g_autoptr (GVariant) dict = NULL;

        g_variant_get (reply, "(@a{sv})", &dict);
        _confine_job_apply_properties (self, dict);
}

static void on_get_all (GObject *source, GAsyncResult *res, gpointer data) {
        g_autoptr (GTask) task = data;
        g_autoptr (GVariant) reply = NULL;
        GError *error = NULL;

        reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), res, &error);
        if (!reply) {
                _confine_task_return_error (task, error);
                return;
        }
        apply_get_all_reply (g_task_get_source_object (task), reply);
        g_task_return_boolean (task, TRUE);
}

/**
 * confine_job_refresh_async:
 * @self: a #ConfineJob
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Reads all of the job's properties from the daemon (one GetAll).
 */
void confine_job_refresh_async (ConfineJob *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data) {
        GDBusProxy *p;

        g_return_if_fail (CONFINE_IS_JOB (self));
        p = proxy_of (self);
        g_dbus_connection_call (g_dbus_proxy_get_connection (p), g_dbus_proxy_get_name (p),
                                g_dbus_proxy_get_object_path (p), DBUS_PROPERTIES_IFACE, "GetAll", get_all_args (),
                                G_VARIANT_TYPE ("(a{sv})"), G_DBUS_CALL_FLAGS_NONE, -1, cancellable, on_get_all,
                                new_task (self, cancellable, callback, user_data, confine_job_refresh_async));
}

/**
 * confine_job_refresh_finish:
 * @self: a #ConfineJob
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the properties were read.
 */
gboolean confine_job_refresh_finish (ConfineJob *self, GAsyncResult *result, GError **error) {
        return finish_boolean (self, result, error);
}

/**
 * confine_job_refresh:
 * @self: a #ConfineJob
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads all of the job's properties from the daemon, blocking.
 *
 * Returns: %TRUE if the properties were read.
 */
gboolean confine_job_refresh (ConfineJob *self, GCancellable *cancellable, GError **error) {
        g_autoptr (GVariant) reply = NULL;
        GDBusProxy *p;

        g_return_val_if_fail (CONFINE_IS_JOB (self), FALSE);
        p = proxy_of (self);
        reply = g_dbus_connection_call_sync (g_dbus_proxy_get_connection (p), g_dbus_proxy_get_name (p),
                                             g_dbus_proxy_get_object_path (p), DBUS_PROPERTIES_IFACE, "GetAll",
                                             get_all_args (), G_VARIANT_TYPE ("(a{sv})"), G_DBUS_CALL_FLAGS_NONE, -1,
                                             cancellable, error);
        if (!reply) {
                _confine_error_strip_out (error);
                return FALSE;
        }
        apply_get_all_reply (self, reply);
        return TRUE;
}

/* --- wait */

typedef struct {
        gchar *result;
        gint status;
} WaitResult;

static void wait_result_free (gpointer data) {
        WaitResult *w = data;
        g_free (w->result);
        g_free (w);
}

static void on_wait (GObject *source, GAsyncResult *res, gpointer data) {
        g_autoptr (GTask) task = data;
        WaitResult *w = g_new0 (WaitResult, 1);
        GError *error = NULL;

        if (!confine_dbus_job_call_wait_finish (CONFINE_DBUS_JOB (source), &w->result, &w->status, res, &error)) {
                wait_result_free (w);
                _confine_task_return_error (task, error);
                return;
        }
        _confine_job_set_end (g_task_get_source_object (task), w->result, w->status);
        g_task_return_pointer (task, w, wait_result_free);
}

/**
 * confine_job_wait_async:
 * @self: a #ConfineJob
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the job has exited
 * @user_data: (closure): data for @callback
 *
 * Waits for the job's end, without a timeout: for a job this client spawned, by its
 * Exited signal, which the daemon sends to the connection that spawned it (no method
 * call); otherwise, or with a @cancellable, by Job.Wait. With
 * %CONFINE_SPAWN_FLAGS_PIPE, every #ConfineJob::output has been emitted before @callback
 * runs. Fails if the daemon leaves the bus first.
 */
void confine_job_wait_async (ConfineJob *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data) {
        GTask *task;
        const gchar *result;
        gint status;

        g_return_if_fail (CONFINE_IS_JOB (self));
        task = new_task (self, cancellable, callback, user_data, confine_job_wait_async);
        if (_confine_job_end_is_known (self, &result, &status)) {
                _confine_job_return_wait (task, result, status);
                return;
        }
        /* A job of ours: its Exited signal is on its way to us, so a Wait call would only add a
         * round trip. With a cancellable, the call: cancelling it is GDBus's business. */
        if (!cancellable && _confine_job_end_comes_by_signal (self)) {
                _confine_job_add_exit_wait (self, task);
                return;
        }
        confine_dbus_job_call_wait (_confine_job_get_proxy (self), G_DBUS_CALL_FLAGS_NONE, CONFINE_NO_TIMEOUT,
                                    cancellable, on_wait, task);
}

void _confine_job_return_wait (GTask *task, const gchar *result, gint status) {
        WaitResult *w = g_new0 (WaitResult, 1);

        w->result = g_strdup (result);
        w->status = status;
        g_task_return_pointer (task, w, wait_result_free);
        g_object_unref (task);
}

/**
 * confine_job_wait_finish:
 * @self: a #ConfineJob
 * @result: the #GAsyncResult
 * @out_result: (out) (optional) (transfer full): why the job ended
 * @out_status: (out) (optional): its exit code or signal number
 * @error: return location for a #GError
 *
 * Returns: %TRUE once the job has exited.
 */
gboolean confine_job_wait_finish (ConfineJob *self, GAsyncResult *result, gchar **out_result, gint *out_status,
                                  GError **error) {
        WaitResult *w;

        g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
        w = g_task_propagate_pointer (G_TASK (result), error);
        if (!w)
                return FALSE;
        if (out_result)
                *out_result = g_steal_pointer (&w->result);
        if (out_status)
                *out_status = w->status;
        wait_result_free (w);
        return TRUE;
}

static void start_wait (gpointer source, gpointer data, GCancellable *cancellable, GAsyncReadyCallback callback,
                        gpointer user_data) {
        confine_job_wait_async (source, cancellable, callback, user_data);
}

/**
 * confine_job_wait:
 * @self: a #ConfineJob
 * @cancellable: (nullable): a #GCancellable
 * @out_result: (out) (optional) (transfer full): why the job ended
 * @out_status: (out) (optional): its exit code or signal number
 * @error: return location for a #GError
 *
 * Waits for the job's end. Called from the thread that runs the client's main context,
 * it iterates that context meanwhile, so #ConfineJob::output is emitted and the job's
 * output keeps flowing.
 *
 * Returns: %TRUE once the job has exited.
 */
gboolean confine_job_wait (ConfineJob *self, GCancellable *cancellable, gchar **out_result, gint *out_status,
                           GError **error) {
        g_autoptr (GAsyncResult) res = NULL;
        g_autofree gchar *result = NULL;
        gint status;

        g_return_val_if_fail (CONFINE_IS_JOB (self), FALSE);
        res = _confine_run_in_context (_confine_client_get_context (confine_job_get_client (self)), start_wait, self,
                                       NULL, cancellable);
        if (res)
                return confine_job_wait_finish (self, res, out_result, out_status, error);

        if (!confine_dbus_job_call_wait_sync (_confine_job_get_proxy (self), G_DBUS_CALL_FLAGS_NONE,
                                              CONFINE_NO_TIMEOUT, &result, &status, cancellable, error)) {
                _confine_error_strip_out (error);
                return FALSE;
        }
        _confine_job_set_end (self, result, status);
        if (out_result)
                *out_result = g_steal_pointer (&result);
        if (out_status)
                *out_status = status;
        return TRUE;
}

/* --- kill */

static void on_kill (GObject *source, GAsyncResult *res, gpointer data) {
        g_autoptr (GTask) task = data;
        GError *error = NULL;

        if (!confine_dbus_job_call_kill_finish (CONFINE_DBUS_JOB (source), res, &error))
                _confine_task_return_error (task, error);
        else
                g_task_return_boolean (task, TRUE);
}

/**
 * confine_job_kill_async:
 * @self: a #ConfineJob
 * @signal: a signal number, for example 15 (SIGTERM); 9 (SIGKILL) kills the whole job
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the daemon has sent the signal
 * @user_data: (closure): data for @callback
 *
 * Sends @signal to the job (Job.Kill). A job that has exited is left alone, successfully.
 */
void confine_job_kill_async (ConfineJob *self, gint signal, GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data) {
        g_return_if_fail (CONFINE_IS_JOB (self));
        confine_dbus_job_call_kill (_confine_job_get_proxy (self), signal, G_DBUS_CALL_FLAGS_NONE, -1, cancellable,
                                    on_kill, new_task (self, cancellable, callback, user_data, confine_job_kill_async));
}

/**
 * confine_job_kill_finish:
 * @self: a #ConfineJob
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the signal was sent.
 */
gboolean confine_job_kill_finish (ConfineJob *self, GAsyncResult *result, GError **error) {
        return finish_boolean (self, result, error);
}

/**
 * confine_job_kill:
 * @self: a #ConfineJob
 * @signal: a signal number
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends @signal to the job, blocking until the daemon has done so.
 *
 * Returns: %TRUE if the signal was sent.
 */
gboolean confine_job_kill (ConfineJob *self, gint signal, GCancellable *cancellable, GError **error) {
        g_return_val_if_fail (CONFINE_IS_JOB (self), FALSE);
        if (!confine_dbus_job_call_kill_sync (_confine_job_get_proxy (self), signal, G_DBUS_CALL_FLAGS_NONE, -1,
                                              cancellable, error)) {
                _confine_error_strip_out (error);
                return FALSE;
        }
        return TRUE;
}

/* --- write_input */

static void on_write_input (GObject *source, GAsyncResult *res, gpointer data) {
        g_autoptr (GTask) task = data;
        GError *error = NULL;

        if (!confine_dbus_job_call_write_input_finish (CONFINE_DBUS_JOB (source), res, &error))
                _confine_task_return_error (task, error);
        else
                g_task_return_boolean (task, TRUE);
}

/**
 * confine_job_write_input_async:
 * @self: a #ConfineJob
 * @data: the bytes for the job's stdin
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called once the bytes are in the job's stdin pipe
 * @user_data: (closure): data for @callback
 *
 * Writes to the stdin of a job spawned with %CONFINE_SPAWN_FLAGS_PIPE (Job.WriteInput).
 * The reply comes once the daemon has written the bytes into the pipe: wait for it before
 * writing more, that is the back-pressure. Only the owner and root may write.
 */
void confine_job_write_input_async (ConfineJob *self, GBytes *data, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data) {
        g_return_if_fail (CONFINE_IS_JOB (self));
        g_return_if_fail (data != NULL);
        /* The reply waits for room in the pipe, as long as the job takes: no timeout. */
        confine_dbus_job_call_write_input (
                _confine_job_get_proxy (self), bytes_variant (data), G_DBUS_CALL_FLAGS_NONE, CONFINE_NO_TIMEOUT,
                cancellable, on_write_input,
                new_task (self, cancellable, callback, user_data, confine_job_write_input_async));
}

/**
 * confine_job_write_input_finish:
 * @self: a #ConfineJob
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the bytes were written; %FALSE for example when the job's stdin is
 *   closed (org.freedesktop.DBus.Error.Failed) or the job has no pipes
 *   (%G_DBUS_ERROR_INVALID_ARGS).
 */
gboolean confine_job_write_input_finish (ConfineJob *self, GAsyncResult *result, GError **error) {
        return finish_boolean (self, result, error);
}

static void start_write_input (gpointer source, gpointer data, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data) {
        confine_job_write_input_async (source, data, cancellable, callback, user_data);
}

/**
 * confine_job_write_input:
 * @self: a #ConfineJob
 * @data: the bytes for the job's stdin
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes to the job's stdin, blocking until the bytes are in its pipe. Called from the
 * thread that runs the client's main context, it iterates that context meanwhile: a job
 * that must get rid of its output before it reads more input does not deadlock.
 *
 * Returns: %TRUE if the bytes were written.
 */
gboolean confine_job_write_input (ConfineJob *self, GBytes *data, GCancellable *cancellable, GError **error) {
        g_autoptr (GAsyncResult) res = NULL;

        g_return_val_if_fail (CONFINE_IS_JOB (self), FALSE);
        g_return_val_if_fail (data != NULL, FALSE);
        res = _confine_run_in_context (_confine_client_get_context (confine_job_get_client (self)),
                                       start_write_input, self, data, cancellable);
        if (res)
                return confine_job_write_input_finish (self, res, error);
        if (!confine_dbus_job_call_write_input_sync (_confine_job_get_proxy (self), bytes_variant (data),
                                                     G_DBUS_CALL_FLAGS_NONE, CONFINE_NO_TIMEOUT, cancellable,
                                                     error)) {
                _confine_error_strip_out (error);
                return FALSE;
        }
        return TRUE;
}

/* --- close_input */

static void on_close_input (GObject *source, GAsyncResult *res, gpointer data) {
        g_autoptr (GTask) task = data;
        GError *error = NULL;

        if (!confine_dbus_job_call_close_input_finish (CONFINE_DBUS_JOB (source), res, &error))
                _confine_task_return_error (task, error);
        else
                g_task_return_boolean (task, TRUE);
}

/**
 * confine_job_close_input_async:
 * @self: a #ConfineJob
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the job's stdin is closed
 * @user_data: (closure): data for @callback
 *
 * Closes the stdin of a job spawned with %CONFINE_SPAWN_FLAGS_PIPE (Job.CloseInput): the
 * job reads end-of-file.
 */
void confine_job_close_input_async (ConfineJob *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data) {
        g_return_if_fail (CONFINE_IS_JOB (self));
        confine_dbus_job_call_close_input (
                _confine_job_get_proxy (self), G_DBUS_CALL_FLAGS_NONE, -1, cancellable, on_close_input,
                new_task (self, cancellable, callback, user_data, confine_job_close_input_async));
}

/**
 * confine_job_close_input_finish:
 * @self: a #ConfineJob
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if stdin was closed.
 */
gboolean confine_job_close_input_finish (ConfineJob *self, GAsyncResult *result, GError **error) {
        return finish_boolean (self, result, error);
}

/**
 * confine_job_close_input:
 * @self: a #ConfineJob
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Closes the job's stdin, blocking.
 *
 * Returns: %TRUE if stdin was closed.
 */
gboolean confine_job_close_input (ConfineJob *self, GCancellable *cancellable, GError **error) {
        g_return_val_if_fail (CONFINE_IS_JOB (self), FALSE);
        if (!confine_dbus_job_call_close_input_sync (_confine_job_get_proxy (self), G_DBUS_CALL_FLAGS_NONE, -1,
                                                     cancellable, error)) {
                _confine_error_strip_out (error);
                return FALSE;
        }
        return TRUE;
}

/* --- get_terminal */

static gint terminal_fd (GVariant *handle, GUnixFDList *fds, GError **error) {
        gint32 h = g_variant_get_handle (handle);

        if (!fds || h < 0 || h >= g_unix_fd_list_get_length (fds)) {
                g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             "GetTerminal: the reply carries no file descriptor");
                return -1;
        }
        return g_unix_fd_list_get (fds, h, error);
}

static void on_get_terminal (GObject *source, GAsyncResult *res, gpointer data) {
        g_autoptr (GTask) task = data;
        g_autoptr (GUnixFDList) fds = NULL;
        g_autoptr (GVariant) handle = NULL;
        GError *error = NULL;
        gint fd = -1;

        if (confine_dbus_job_call_get_terminal_finish (CONFINE_DBUS_JOB (source), &handle, &fds, res, &error))
                fd = terminal_fd (handle, fds, &error);
        if (fd < 0)
                _confine_task_return_error (task, error);
        else
                g_task_return_int (task, fd);
}

/**
 * confine_job_get_terminal_async:
 * @self: a #ConfineJob
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the terminal
 * @user_data: (closure): data for @callback
 *
 * Gets the master side of the pseudo-terminal of a job spawned with
 * %CONFINE_SPAWN_FLAGS_PTY (Job.GetTerminal). Set its window size with TIOCSWINSZ; the
 * job gets SIGWINCH. Only the owner and root may get it.
 */
void confine_job_get_terminal_async (ConfineJob *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data) {
        g_return_if_fail (CONFINE_IS_JOB (self));
        confine_dbus_job_call_get_terminal (
                _confine_job_get_proxy (self), G_DBUS_CALL_FLAGS_NONE, -1, NULL, cancellable, on_get_terminal,
                new_task (self, cancellable, callback, user_data, confine_job_get_terminal_async));
}

/**
 * confine_job_get_terminal_finish:
 * @self: a #ConfineJob
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: the terminal's master fd, which the caller owns and closes; -1 on error.
 */
gint confine_job_get_terminal_finish (ConfineJob *self, GAsyncResult *result, GError **error) {
        g_return_val_if_fail (g_task_is_valid (result, self), -1);
        return (gint) g_task_propagate_int (G_TASK (result), error);
}

/**
 * confine_job_get_terminal:
 * @self: a #ConfineJob
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Gets the master side of the job's pseudo-terminal, blocking.
 *
 * Returns: the terminal's master fd, which the caller owns and closes; -1 on error.
 */
gint confine_job_get_terminal (ConfineJob *self, GCancellable *cancellable, GError **error) {
        g_autoptr (GUnixFDList) fds = NULL;
        g_autoptr (GVariant) handle = NULL;

        g_return_val_if_fail (CONFINE_IS_JOB (self), -1);
        if (!confine_dbus_job_call_get_terminal_sync (_confine_job_get_proxy (self), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                                      &handle, &fds, cancellable, error)) {
                _confine_error_strip_out (error);
                return -1;
        }
        return terminal_fd (handle, fds, error);
}
