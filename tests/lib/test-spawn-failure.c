/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ConfineSpawnFailure: the fields of a SpawnFailed error, read from its fixed form, whatever
 * language the words before it are in; anything else gives NULL. */
#include <confine/confine.h>
#include <errno.h>

static ConfineSpawnFailure *parse (gint domain_code, const gchar *message) {
        g_autoptr (GError) e = g_error_new_literal (CONFINE_ERROR, domain_code, message);
        return confine_spawn_failure_from_error (e);
}

static void test_fields (void) {
        g_autoptr (ConfineSpawnFailure) f = NULL, g = NULL, copy = NULL;

        f = parse (CONFINE_ERROR_SPAWN_FAILED,
                   "chdir WorkingDirectory=/x: No such file or directory [step=chdir errno=ENOENT property=WorkingDirectory]");
        g_assert_nonnull (f);
        g_assert_cmpstr (f->step, ==, "chdir");
        g_assert_cmpstr (f->error_name, ==, "ENOENT");
        g_assert_cmpint (f->error_number, ==, ENOENT);
        g_assert_cmpstr (f->property, ==, "WorkingDirectory");

        /* Translated words, and brackets inside them: only the last group counts. */
        g = parse (CONFINE_ERROR_SPAWN_FAILED, "execve /a [b]: Keine Berechtigung [step=execve errno=EACCES]");
        g_assert_nonnull (g);
        g_assert_cmpstr (g->step, ==, "execve");
        g_assert_cmpint (g->error_number, ==, EACCES);
        g_assert_null (g->property);

        copy = confine_spawn_failure_copy (f);
        g_assert_cmpstr (copy->property, ==, "WorkingDirectory");
        g_assert_cmpint (copy->error_number, ==, ENOENT);
}

static void test_unknown_errno_name (void) {
        g_autoptr (ConfineSpawnFailure) f = parse (CONFINE_ERROR_SPAWN_FAILED, "x: y [step=mount errno=ENOSUCHERRNO]");

        g_assert_nonnull (f);
        g_assert_cmpstr (f->error_name, ==, "ENOSUCHERRNO");
        g_assert_cmpint (f->error_number, ==, 0);
}

static void test_not_a_spawn_failure (void) {
        static const gchar *const malformed[] = {
                "execve /a: No such file or directory",
                "execve /a: No such file or directory [step=execve]",
                "execve /a: No such file or directory [errno=ENOENT]",
                "execve /a: No such file or directory [step=execve errno=ENOENT] trailing",
                "x [step=execve errno=ENOENT step=mount]",
                "x [step=execve errno=ENOENT colour=red]",
                "x [step=exec/ve errno=ENOENT]",
                "x [step= errno=ENOENT]",
                "[step=execve errno=ENOENT]",
        };

        for (gsize i = 0; i < G_N_ELEMENTS (malformed); i++) {
                g_autoptr (ConfineSpawnFailure) f = parse (CONFINE_ERROR_SPAWN_FAILED, malformed[i]);
                if (f)
                        g_error ("parsed a malformed message: %s", malformed[i]);
        }
        /* The form on another error is not a spawn failure. */
        g_autoptr (ConfineSpawnFailure) f = parse (CONFINE_ERROR_INVALID_PROPERTY, "x [step=execve errno=ENOENT]");
        g_assert_null (f);
}

int main (int argc, char *argv[]) {
        g_test_init (&argc, &argv, NULL);
        g_test_add_func ("/spawn-failure/fields", test_fields);
        g_test_add_func ("/spawn-failure/unknown-errno-name", test_unknown_errno_name);
        g_test_add_func ("/spawn-failure/not-a-spawn-failure", test_not_a_spawn_failure);
        return g_test_run ();
}
