/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Manager.Analyze from the client: what Spawn would run and how exposed it would be. */
#include "confine-private.h"
#include "confine/confine-analysis.h"

#define ANALYZE_REPLY_TYPE "(a(sv)ssa{ss}ua(suuusb)a(sss))"

/**
 * ConfineAnalysis:
 *
 * The answer of Manager.Analyze: the spec a Spawn with the same arguments would run, the
 * polkit action it would be checked against and why, and its exposure report (the checks of
 * `systemd-analyze security`, their 0–10 score, and the findings only the broker makes).
 */
struct _ConfineAnalysis {
        GObject parent_instance;
        GVariant *reply;
};

G_DEFINE_FINAL_TYPE (ConfineAnalysis, confine_analysis, G_TYPE_OBJECT)

static void confine_analysis_finalize (GObject *object) {
        ConfineAnalysis *self = CONFINE_ANALYSIS (object);

        g_clear_pointer (&self->reply, g_variant_unref);
        G_OBJECT_CLASS (confine_analysis_parent_class)->finalize (object);
}

static void confine_analysis_class_init (ConfineAnalysisClass *klass) {
        G_OBJECT_CLASS (klass)->finalize = confine_analysis_finalize;
}

static void confine_analysis_init (ConfineAnalysis *self) {
}

static ConfineAnalysis *analysis_new (GVariant *reply, GError **error) {
        ConfineAnalysis *self;

        if (!g_variant_is_of_type (reply, G_VARIANT_TYPE (ANALYZE_REPLY_TYPE))) {
                g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Analyze replied with %s, not %s",
                             g_variant_get_type_string (reply), ANALYZE_REPLY_TYPE);
                return NULL;
        }
        self = g_object_new (CONFINE_TYPE_ANALYSIS, NULL);
        self->reply = g_variant_ref_sink (reply);
        return self;
}

static GVariant *child (ConfineAnalysis *self, gsize i) {
        GVariant *v = g_variant_get_child_value (self->reply, i);
        /* The reply holds the child: a borrowed reference is safe for the analysis's life. */
        g_variant_unref (v);
        return v;
}

/**
 * confine_analysis_get_effective_properties:
 * @self: a #ConfineAnalysis
 *
 * Returns: (transfer none): the a(sv) that Spawn would run, as the job's Properties would show it.
 */
GVariant *confine_analysis_get_effective_properties (ConfineAnalysis *self) {
        g_return_val_if_fail (CONFINE_IS_ANALYSIS (self), NULL);
        return child (self, 0);
}

/**
 * confine_analysis_get_action:
 * @self: a #ConfineAnalysis
 *
 * Returns: the polkit action Spawn would check (org.confine.Confine1.spawn or
 *   org.confine.Confine1.spawn-privileged), or "" when the caller is root and none is asked.
 */
const gchar *confine_analysis_get_action (ConfineAnalysis *self) {
        g_return_val_if_fail (CONFINE_IS_ANALYSIS (self), NULL);
        return g_variant_get_string (child (self, 1), NULL);
}

/**
 * confine_analysis_get_action_reason:
 * @self: a #ConfineAnalysis
 *
 * Returns: why that action, in words that name the property that decided.
 */
const gchar *confine_analysis_get_action_reason (ConfineAnalysis *self) {
        g_return_val_if_fail (CONFINE_IS_ANALYSIS (self), NULL);
        return g_variant_get_string (child (self, 2), NULL);
}

/**
 * confine_analysis_get_action_details:
 * @self: a #ConfineAnalysis
 *
 * Returns: (transfer none): the polkit details (a{ss}): program, command_line, user, profile,
 *   within_profile.
 */
GVariant *confine_analysis_get_action_details (ConfineAnalysis *self) {
        g_return_val_if_fail (CONFINE_IS_ANALYSIS (self), NULL);
        return child (self, 3);
}

/**
 * confine_analysis_get_exposure:
 * @self: a #ConfineAnalysis
 *
 * Returns: the overall exposure in tenths, 0 … 100, as systemd-analyze security computes it
 *   (91 is its "9.1").
 */
guint confine_analysis_get_exposure (ConfineAnalysis *self) {
        g_return_val_if_fail (CONFINE_IS_ANALYSIS (self), 0);
        return g_variant_get_uint32 (child (self, 4));
}

/**
 * confine_analysis_get_exposure_level:
 * @self: a #ConfineAnalysis
 *
 * Returns: systemd's name of the level: PERFECT, SAFE, OK, MEDIUM, EXPOSED, UNSAFE or DANGEROUS.
 */
const gchar *confine_analysis_get_exposure_level (ConfineAnalysis *self) {
        static const struct {
                guint from;
                const gchar *name;
        } levels[] = {
                { 100, "DANGEROUS" }, { 90, "UNSAFE" }, { 75, "EXPOSED" }, { 50, "MEDIUM" }, { 10, "OK" }, { 1, "SAFE" },
        };
        guint e;

        g_return_val_if_fail (CONFINE_IS_ANALYSIS (self), NULL);
        e = confine_analysis_get_exposure (self);
        for (gsize i = 0; i < G_N_ELEMENTS (levels); i++)
                if (e >= levels[i].from)
                        return levels[i].name;
        return "PERFECT";
}

/**
 * confine_analysis_get_checks:
 * @self: a #ConfineAnalysis
 *
 * Returns: (transfer none): the checks, a(suuusb): name, weight, badness (0 … range, or
 *   %CONFINE_ANALYSIS_NOT_APPLICABLE), range, description, and whether only confine's fixed
 *   behaviour (no property) decides it.
 */
GVariant *confine_analysis_get_checks (ConfineAnalysis *self) {
        g_return_val_if_fail (CONFINE_IS_ANALYSIS (self), NULL);
        return child (self, 5);
}

/**
 * confine_analysis_get_findings:
 * @self: a #ConfineAnalysis
 *
 * Returns: (transfer none): the broker's findings, a(sss): id (signal-other-processes,
 *   host-network, system-bus-reachable, unresolvable-path), property, description.
 */
GVariant *confine_analysis_get_findings (ConfineAnalysis *self) {
        g_return_val_if_fail (CONFINE_IS_ANALYSIS (self), NULL);
        return child (self, 6);
}

static GVariant *analyze_parameters (const gchar *const *argv, GVariant *properties, ConfineSpawnFlags flags) {
        return g_variant_new ("(^as@a(sv)t)", argv,
                              properties ? properties : g_variant_new_array (G_VARIANT_TYPE ("(sv)"), NULL, 0),
                              (guint64) flags);
}

static GUnixFDList *fd_list_or_null (GUnixFDList *fd_list) {
        return fd_list && g_unix_fd_list_get_length (fd_list) > 0 ? fd_list : NULL;
}

static void on_analyze (GObject *source, GAsyncResult *res, gpointer data) {
        g_autoptr (GTask) task = data;
        g_autoptr (GVariant) reply = NULL;
        ConfineAnalysis *analysis;
        GError *error = NULL;

        reply = g_dbus_connection_call_with_unix_fd_list_finish (G_DBUS_CONNECTION (source), NULL, res, &error);
        analysis = reply ? analysis_new (reply, &error) : NULL;
        if (!analysis)
                _confine_task_return_error (task, error);
        else
                g_task_return_pointer (task, analysis, g_object_unref);
}

/**
 * confine_client_analyze_async:
 * @self: a #ConfineClient
 * @argv: (array zero-terminated=1): the command line, as for confine_client_spawn_async()
 * @properties: (nullable): the sandbox, a(sv); a floating reference is taken
 * @fd_list: (nullable): the file descriptors that h values in @properties refer to
 * @flags: #ConfineSpawnFlags
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the analysis
 * @user_data: (closure): data for @callback
 *
 * Asks what a Spawn with these arguments would run, and how exposed it would be
 * (Manager.Analyze), without running it and without a polkit prompt. Bad input gets the
 * errors Spawn would give.
 */
void confine_client_analyze_async (ConfineClient *self, const gchar *const *argv, GVariant *properties,
                                   GUnixFDList *fd_list, ConfineSpawnFlags flags, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data) {
        GTask *task;

        g_return_if_fail (CONFINE_IS_CLIENT (self));
        g_return_if_fail (argv != NULL && argv[0] != NULL);
        g_return_if_fail (properties == NULL || g_variant_is_of_type (properties, G_VARIANT_TYPE ("a(sv)")));

        task = g_task_new (self, cancellable, callback, user_data);
        g_task_set_source_tag (task, confine_client_analyze_async);
        g_dbus_connection_call_with_unix_fd_list (confine_client_get_connection (self),
                                                  confine_client_get_daemon_name (self), CONFINE_MANAGER_PATH,
                                                  CONFINE_MANAGER_IFACE, "Analyze",
                                                  analyze_parameters (argv, properties, flags),
                                                  G_VARIANT_TYPE (ANALYZE_REPLY_TYPE), G_DBUS_CALL_FLAGS_NONE, -1,
                                                  fd_list_or_null (fd_list), cancellable, on_analyze, task);
}

/**
 * confine_client_analyze_finish:
 * @self: a #ConfineClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the analysis, or %NULL with @error set (%CONFINE_ERROR for
 *   InvalidProperty, UnknownProperty, NotSupported, QuotaExceeded; %G_DBUS_ERROR for
 *   InvalidArgs and AccessDenied).
 */
ConfineAnalysis *confine_client_analyze_finish (ConfineClient *self, GAsyncResult *result, GError **error) {
        g_return_val_if_fail (g_task_is_valid (result, self), NULL);
        return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * confine_client_analyze:
 * @self: a #ConfineClient
 * @argv: (array zero-terminated=1): the command line
 * @properties: (nullable): the sandbox, a(sv); a floating reference is taken
 * @fd_list: (nullable): the file descriptors that h values in @properties refer to
 * @flags: #ConfineSpawnFlags
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Manager.Analyze, blocking.
 *
 * Returns: (transfer full): the analysis, or %NULL with @error set.
 */
ConfineAnalysis *confine_client_analyze (ConfineClient *self, const gchar *const *argv, GVariant *properties,
                                         GUnixFDList *fd_list, ConfineSpawnFlags flags, GCancellable *cancellable,
                                         GError **error) {
        g_autoptr (GVariant) reply = NULL;

        g_return_val_if_fail (CONFINE_IS_CLIENT (self), NULL);
        g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);
        g_return_val_if_fail (properties == NULL || g_variant_is_of_type (properties, G_VARIANT_TYPE ("a(sv)")), NULL);

        reply = g_dbus_connection_call_with_unix_fd_list_sync (
                confine_client_get_connection (self), confine_client_get_daemon_name (self), CONFINE_MANAGER_PATH,
                CONFINE_MANAGER_IFACE, "Analyze", analyze_parameters (argv, properties, flags),
                G_VARIANT_TYPE (ANALYZE_REPLY_TYPE), G_DBUS_CALL_FLAGS_NONE, -1, fd_list_or_null (fd_list), NULL,
                cancellable, error);
        if (!reply) {
                _confine_error_strip_out (error);
                return NULL;
        }
        return analysis_new (reply, error);
}
