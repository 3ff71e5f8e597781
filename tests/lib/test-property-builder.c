/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ConfinePropertyBuilder and the error domain, without a bus: the text forms (the shared
 * parser, turned into GVariant), fds, and what each error says. */
#include <confine/confine.h>
#include <fcntl.h>
#include <unistd.h>

static gchar *text_to_variant_string (const gchar *assignment) {
        g_autoptr (ConfinePropertyBuilder) b = confine_property_builder_new ();
        g_autoptr (GError) error = NULL;
        g_autoptr (GVariant) v = NULL;

        g_assert_true (confine_property_builder_add_text (b, assignment, &error));
        g_assert_no_error (error);
        v = confine_property_builder_end (b);
        return g_variant_print (v, TRUE);
}

static void test_text (void) {
        static const struct {
                const gchar *text, *expected;
        } cases[] = {
                { "PrivateNetwork=yes", "[('PrivateNetwork', <true>)]" },
                { "PrivateTmp=0", "[('PrivateTmp', <false>)]" },
                { "ProtectSystem=strict", "[('ProtectSystem', <'strict'>)]" },
                { "LimitNOFILE=1024:4096", "[('LimitNOFILE', <uint64 4096>), ('LimitNOFILESoft', <uint64 1024>)]" },
                { "LimitFSIZE=1M", "[('LimitFSIZE', <uint64 1048576>), ('LimitFSIZESoft', <uint64 1048576>)]" },
                { "CPUQuota=20%", "[('CPUQuotaPerSecUSec', <uint64 200000>)]" },
                { "RuntimeMaxSec=1min 30s", "[('RuntimeMaxUSec', <uint64 90000000>)]" },
                { "MemoryMax=512M", "[('MemoryMax', <uint64 536870912>)]" },
                { "TasksMax=infinity", "[('TasksMax', <uint64 18446744073709551615>)]" },
                { "Nice=-5", "[('Nice', <-5>)]" },
                { "UMask=0027", "[('UMask', <uint32 23>)]" },
                { "SystemCallFilter=~@mount kexec_load", "[('SystemCallFilter', <(false, ['@mount', 'kexec_load'])>)]" },
                { "SystemCallFilter=", "[('SystemCallFilter', <(false, @as [])>)]" },
                { "SystemCallErrorNumber=EPERM", "[('SystemCallErrorNumber', <1>)]" },
                { "Environment=A=1 \"B=2 3\"", "[('Environment', <['A=1', 'B=2 3']>)]" },
                { "ReadWritePaths=/a /b", "[('ReadWritePaths', <['/a', '/b']>)]" },
                { "BindReadOnlyPaths=-/a:/b:norbind /c",
                  "[('BindReadOnlyPaths', <[('/a', '/b', true, uint64 0), ('/c', '/c', false, 16384)]>)]" },
                { "TemporaryFileSystem=/tmp:ro,size=1M /run",
                  "[('TemporaryFileSystem', <[('/tmp', 'ro,size=1M'), ('/run', '')]>)]" },
                { "DeviceAllow=/dev/null rw", "[('DeviceAllow', <[('/dev/null', 'rw')]>)]" },
                { "CapabilityBoundingSet=CAP_CHOWN", "[('CapabilityBoundingSet', <uint64 1>)]" },
                { "RestrictNamespaces=net", "[('RestrictNamespaces', <uint64 1073741824>)]" },
        };

        for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
                g_autofree gchar *got = text_to_variant_string (cases[i].text);
                g_test_message ("%s → %s", cases[i].text, got);
                g_assert_cmpstr (got, ==, cases[i].expected);
        }
}

static void test_text_errors (void) {
        static const struct {
                const gchar *text;
                ConfineError code;
                const gchar *message;
        } cases[] = {
                { "Bogus=1", CONFINE_ERROR_UNKNOWN_PROPERTY, "Bogus=1: unknown property" },
                { "privatenetwork=yes", CONFINE_ERROR_UNKNOWN_PROPERTY, "privatenetwork=yes: unknown property" },
                { "PrivateNetwork", CONFINE_ERROR_INVALID_PROPERTY, "PrivateNetwork: not of the form Name=Value" },
                { "PrivateNetwork=maybe", CONFINE_ERROR_INVALID_PROPERTY, "PrivateNetwork=maybe: invalid boolean" },
                { "LimitNOFILE=9:3", CONFINE_ERROR_INVALID_PROPERTY, NULL },
                { "StandardInputFileDescriptor=0", CONFINE_ERROR_INVALID_PROPERTY,
                  "StandardInputFileDescriptor=0: cannot be set from text" },
                { "CapabilityBoundingSet=CAP_NOPE", CONFINE_ERROR_INVALID_PROPERTY,
                  "CapabilityBoundingSet=CAP_NOPE: invalid capability name" },
        };
        g_autoptr (ConfinePropertyBuilder) b = confine_property_builder_new ();

        confine_property_builder_add_text (b, "PrivateTmp=yes", NULL);
        for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
                g_autoptr (GError) error = NULL;

                g_assert_false (confine_property_builder_add_text (b, cases[i].text, &error));
                g_assert_error (error, CONFINE_ERROR, (gint) cases[i].code);
                if (cases[i].message)
                        g_assert_cmpstr (error->message, ==, cases[i].message);
                else
                        g_assert_true (g_str_has_prefix (error->message, cases[i].text));
                /* A refused assignment adds nothing. */
                g_assert_cmpuint (confine_property_builder_get_n_properties (b), ==, 1);
        }
}

static void test_typed_and_fds (void) {
        g_autoptr (ConfinePropertyBuilder) b = confine_property_builder_new ();
        g_autoptr (GError) error = NULL;
        g_autoptr (GVariant) v = NULL;
        g_autofree gchar *s = NULL;
        const gchar *paths[] = { "/x", NULL };
        gint fds[2], got;

        g_assert_no_errno (pipe (fds));
        confine_property_builder_add_boolean (b, "PrivateNetwork", TRUE);
        confine_property_builder_add_string (b, "ProtectSystem", "strict");
        confine_property_builder_add_uint64 (b, "MemoryMax", 1);
        confine_property_builder_add_strv (b, "ReadOnlyPaths", paths);
        confine_property_builder_add (b, "Nice", g_variant_new_int32 (3));
        g_assert_true (confine_property_builder_add_fd (b, "StandardInputFileDescriptor", fds[0], &error));
        g_assert_true (confine_property_builder_add_extra_fd (b, fds[1], "out", &error));
        g_assert_no_error (error);

        v = confine_property_builder_end (b);
        g_assert_false (g_variant_is_floating (v));
        s = g_variant_print (v, FALSE);
        g_assert_cmpstr (s, ==,
                         "[('PrivateNetwork', <true>), ('ProtectSystem', <'strict'>), ('MemoryMax', <uint64 1>), "
                         "('ReadOnlyPaths', <['/x']>), ('Nice', <3>), ('StandardInputFileDescriptor', <handle 0>), "
                         "('ExtraFileDescriptors', <[(handle 1, 'out')]>)]");
        g_assert_cmpstr (g_variant_get_type_string (v), ==, "a(sv)");

        /* The builder holds duplicates: the caller's fds stay the caller's. */
        g_assert_cmpint (g_unix_fd_list_get_length (confine_property_builder_get_fd_list (b)), ==, 2);
        got = g_unix_fd_list_get (confine_property_builder_get_fd_list (b), 0, &error);
        g_assert_cmpint (got, >=, 0);
        g_assert_cmpint (got, !=, fds[0]);
        close (got);
        close (fds[0]);
        close (fds[1]);

        g_assert_false (confine_property_builder_add_fd (b, "StandardOutputFileDescriptor", 9999, &error));
        g_assert_nonnull (error);
        g_assert_cmpuint (confine_property_builder_get_n_properties (b), ==, 7);
}

static void test_known_names (void) {
        const gchar *const *names = confine_property_builder_get_known_names ();

        g_assert_true (g_strv_contains (names, "PrivateNetwork"));
        g_assert_true (g_strv_contains (names, "LimitNOFILESoft"));
        g_assert_true (g_strv_contains (names, "CPUQuota"));
        g_assert_true (g_strv_contains (names, "RuntimeMaxSec"));
        g_assert_false (g_strv_contains (names, "StandardInputFileDescriptor"));
        g_assert_true (names == confine_property_builder_get_known_names ());
}

static void test_errors (void) {
        static const gchar *const names[] = {
                "org.confine.Confine1.Error.UnknownProperty", "org.confine.Confine1.Error.InvalidProperty",
                "org.confine.Confine1.Error.NotSupported",    "org.confine.Confine1.Error.NoSuchJob",
                "org.confine.Confine1.Error.QuotaExceeded",   "org.confine.Confine1.Error.SpawnFailed",
        };
        g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

        for (gsize i = 0; i < G_N_ELEMENTS (names); i++) {
                g_autoptr (GError) e = g_dbus_error_new_for_dbus_error (names[i], "the message");
                g_autofree gchar *name = NULL;

                /* Registered: the name maps to a code of CONFINE_ERROR, and back. */
                g_assert_error (e, CONFINE_ERROR, (gint) i + 1);
                name = confine_error_dup_name (e);
                g_assert_cmpstr (name, ==, names[i]);
                g_assert_nonnull (confine_error_describe (e));
                g_assert_false (g_hash_table_contains (seen, confine_error_describe (e)));
                g_hash_table_add (seen, (gpointer) confine_error_describe (e));
        }
        {
                g_autoptr (GError) e = g_dbus_error_new_for_dbus_error ("org.freedesktop.DBus.Error.AccessDenied", "no");
                g_assert_error (e, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED);
                g_assert_nonnull (strstr (confine_error_describe (e), "not authorized"));
        }
        {
                g_autoptr (GError) e = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no socket");
                g_assert_cmpstr (confine_error_describe (e), ==, "cannot connect to the system bus");
        }
}

int main (int argc, char *argv[]) {
        g_test_init (&argc, &argv, NULL);
        g_test_add_func ("/property-builder/text", test_text);
        g_test_add_func ("/property-builder/text-errors", test_text_errors);
        g_test_add_func ("/property-builder/typed-and-fds", test_typed_and_fds);
        g_test_add_func ("/property-builder/known-names", test_known_names);
        g_test_add_func ("/error/names", test_errors);
        return g_test_run ();
}
