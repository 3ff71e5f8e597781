/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* confinectl learn: run CMD (as run does) with Spawn flag 8, once or --runs times, merge the system
 * calls and socket families the daemon recorded, and propose the tightest SystemCallFilter=,
 * RestrictAddressFamilies= and PrivateNetwork= for them, as a profile and as -p options; --verify runs
 * CMD again under the proposal and compares its exit status. */
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ctl-print.h"
#include "ctl.h"
#include "shell-quote.h"
#include "syscall-learn.h"

#define EXIT_VERIFY_FAILED 1

static bool exists_natively (const char *name, void *userdata) {
        return seccomp_syscall_resolve_name (name) != __NR_SCMP_ERROR;
}

static gint compare_strings (gconstpointer a, gconstpointer b) {
        return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The runs' calls, sorted, each once. */
static char **merged_names (GPtrArray *learned) {
        GPtrArray *names = g_ptr_array_new ();

        g_ptr_array_sort (learned, compare_strings);
        for (guint i = 0; i < learned->len; i++)
                if (i == 0 || strcmp (learned->pdata[i], learned->pdata[i - 1]) != 0)
                        g_ptr_array_add (names, g_strdup (learned->pdata[i]));
        g_ptr_array_add (names, NULL);
        return (char **) g_ptr_array_free (names, FALSE);
}

static void print_strv_json (char **l) {
        putchar ('[');
        for (size_t i = 0; l && l[i]; i++) {
                if (i > 0)
                        putchar (',');
                ctl_print_json_string (l[i]);
        }
        putchar (']');
}

static bool given (const char *name) {
        size_t l = strlen (name);

        for (guint i = 0; arg.properties && i < arg.properties->len; i++)
                if (strncmp (arg.properties->pdata[i], name, l) == 0 && ((const char *) arg.properties->pdata[i])[l] == '=')
                        return true;
        return false;
}

static bool below (const char *path, const char *dir) {
        size_t n = strlen (dir);
        return strncmp (path, dir, n) == 0 && (path[n] == '/' || path[n] == 0);
}

static bool any_below (char **paths, const char *const *dirs) {
        for (char **p = paths; *p; p++)
                for (const char *const *d = dirs; *d; d++)
                        if (below (*p, *d))
                                return true;
        return false;
}

static const char *const tmp_dirs[] = { "/tmp", "/var/tmp", NULL };
static const char *const home_dirs[] = { "/home", "/root", "/run/user", NULL };
static const char *const api_dirs[] = { "/dev", "/proc", "/sys", NULL };

/* The directories the job wrote in, as ReadWritePaths= wants them: each written path's parent (a file
 * may be replaced by a rename, and one being created has no inode yet); not below /dev, /proc and /sys,
 * which ProtectSystem=strict leaves as they are, nor below /tmp and /var/tmp with PrivateTmp=yes; not
 * where the caller may not write itself (an attempt that failed, such as Python's __pycache__ below
 * /usr); not a path with white space, which the list cannot carry; then not below another. */
static char **writable_dirs (char **written, bool private_tmp) {
        g_autoptr (GPtrArray) dirs = g_ptr_array_new_with_free_func (g_free);
        GPtrArray *kept = g_ptr_array_new ();

        for (char **w = written; *w; w++) {
                g_autofree gchar *dir = g_path_get_dirname (*w);
                char *list[] = { dir, NULL };

                if (any_below (list, api_dirs) || (private_tmp && any_below (list, tmp_dirs)) ||
                    strpbrk (dir, " \t\n\"'\\") || access (dir, W_OK) < 0)
                        continue;
                g_ptr_array_add (dirs, g_steal_pointer (&dir));
        }
        g_ptr_array_sort (dirs, compare_strings);
        for (guint i = 0; i < dirs->len; i++) {
                bool covered = false;
                for (guint k = 0; k < kept->len && !covered; k++)
                        covered = below (dirs->pdata[i], kept->pdata[k]);
                if (!covered)
                        g_ptr_array_add (kept, g_strdup (dirs->pdata[i]));
        }
        g_ptr_array_add (kept, NULL);
        return (char **) g_ptr_array_free (kept, FALSE);
}

/* The proposal, "Name=Value" each: SystemCallFilter= always; RestrictAddressFamilies= from the
 * families asked for ("none" for none); PrivateNetwork=yes when no Internet socket was asked for;
 * ProtectSystem=strict with ReadWritePaths= for the directories written in; PrivateTmp=yes when no
 * path below /tmp or /var/tmp was named, ProtectHome=yes when none below the homes was. A property the
 * caller gave is not proposed again (ReadWritePaths= adds to theirs). */
static char **proposal_build (char **words, char **families, char **paths, char **written) {
        /* An allow-list always holds @default; naming it keeps an empty list from meaning "no filter". */
        g_autofree gchar *calls = words[0] ? g_strjoinv (" ", words) : g_strdup ("@default");
        GPtrArray *p = g_ptr_array_new ();
        bool inet = false;

        g_ptr_array_add (p, g_strconcat ("SystemCallFilter=", calls, NULL));
        for (char **f = families; *f; f++)
                inet = inet || g_str_equal (*f, "AF_INET") || g_str_equal (*f, "AF_INET6");
        if (families[0]) {
                g_autofree gchar *joined = g_strjoinv (" ", families);
                g_ptr_array_add (p, g_strconcat ("RestrictAddressFamilies=", joined, NULL));
        } else
                g_ptr_array_add (p, g_strdup ("RestrictAddressFamilies=none"));
        if (!inet && !given ("PrivateNetwork"))
                g_ptr_array_add (p, g_strdup ("PrivateNetwork=yes"));

        bool private_tmp = !any_below (paths, tmp_dirs) && !given ("PrivateTmp");
        g_auto (GStrv) dirs = writable_dirs (written, private_tmp || given ("PrivateTmp"));

        if (!given ("ProtectSystem"))
                g_ptr_array_add (p, g_strdup ("ProtectSystem=strict"));
        if (dirs[0]) {
                GString *s = g_string_new ("ReadWritePaths=");
                for (char **d = dirs; *d; d++)
                        g_string_append_printf (s, "%s-%s", d == dirs ? "" : " ", *d);
                g_ptr_array_add (p, g_string_free (s, FALSE));
        }
        if (private_tmp)
                g_ptr_array_add (p, g_strdup ("PrivateTmp=yes"));
        if (!any_below (paths, home_dirs) && !given ("ProtectHome"))
                g_ptr_array_add (p, g_strdup ("ProtectHome=yes"));
        g_ptr_array_add (p, NULL);
        return (char **) g_ptr_array_free (p, FALSE);
}

static void print_proposal (char *argv[], const int *status, unsigned runs, char **names, char **proposal,
                            char **unnamed) {
        g_autofree gchar *cmd = g_strjoinv (" ", argv);

        printf ("# confinectl learn: %u run%s of %s, exit status", runs, runs == 1 ? "" : "s", cmd);
        for (unsigned i = 0; i < runs; i++)
                printf ("%s%d", i ? ", " : " ", status[i]);
        printf ("; %u system calls.\n", g_strv_length (names));
        if (unnamed && unnamed[0]) {
                printf ("# Made, but not nameable in SystemCallFilter= (another ABI, or unknown to systemd 252);\n"
                        "# the proposal refuses them:");
                for (char **u = unnamed; *u; u++)
                        printf (" %s", *u);
                putchar ('\n');
        }
        printf ("# As a profile (/etc/confine/profiles/NAME.conf):\n");
        for (guint i = 0; arg.properties && i < arg.properties->len; i++)
                printf ("%s\n", (const char *) arg.properties->pdata[i]);
        for (char **p = proposal; *p; p++)
                printf ("%s\n", *p);
        printf ("# As options:\n");
        for (guint i = 0; arg.properties && i < arg.properties->len; i++) {
                char *one[] = { arg.properties->pdata[i], NULL };
                g_autofree char *q = shell_quote_argv (one);
                printf ("-p %s ", q ? q : "''");
        }
        for (char **p = proposal; *p; p++) {
                char *one[] = { *p, NULL };
                g_autofree char *q = shell_quote_argv (one);
                printf ("-p %s%s", q ? q : *p, p[1] ? " " : "\n");
        }
}

static void print_json (const int *status, unsigned runs, char **names, char **families, char **written,
                        char **proposal, char **unnamed, int verify_status) {
        printf ("{\"runs\":[");
        for (unsigned i = 0; i < runs; i++)
                printf ("%s%d", i ? "," : "", status[i]);
        printf ("],\"system_calls\":");
        print_strv_json (names);
        printf (",\"address_families\":");
        print_strv_json (families);
        printf (",\"paths_written\":");
        print_strv_json (written);
        printf (",\"unnamed\":");
        print_strv_json (unnamed);
        printf (",\"properties\":[");
        for (guint i = 0; arg.properties && i < arg.properties->len; i++) {
                if (i > 0)
                        putchar (',');
                ctl_print_json_string (arg.properties->pdata[i]);
        }
        printf ("],\"proposal\":{");
        for (char **p = proposal; *p; p++) {
                g_autofree gchar *name = g_strndup (*p, strcspn (*p, "="));
                if (p != proposal)
                        putchar (',');
                ctl_print_json_string (name);
                putchar (':');
                ctl_print_json_string (*p + strlen (name) + 1);
        }
        printf ("}");
        if (verify_status >= 0)
                printf (",\"verify\":{\"status\":%d,\"same\":%s}", verify_status,
                        verify_status == status[0] ? "true" : "false");
        printf ("}\n");
}

int verb_learn (int argc, char *argv[]) {
        g_autoptr (GPtrArray) learned = g_ptr_array_new_with_free_func (g_free);
        g_autoptr (GPtrArray) families_learned = g_ptr_array_new_with_free_func (g_free);
        g_autoptr (GPtrArray) paths_learned = g_ptr_array_new_with_free_func (g_free);
        g_autoptr (GPtrArray) written_learned = g_ptr_array_new_with_free_func (g_free);
        g_auto (GStrv) names = NULL, words = NULL, unnamed = NULL, families = NULL, proposal = NULL;
        g_auto (GStrv) paths = NULL, written = NULL;
        g_autofree int *status = NULL;
        unsigned runs = arg.runs ? arg.runs : 1;
        int verify_status = -1, r;

        if (argc > 0 && g_str_equal (argv[0], "--")) {
                argc--;
                argv++;
        }
        if (argc < 1) {
                fprintf (stderr, "confinectl learn: no command given\n");
                return EXIT_USAGE;
        }
        if (arg.no_block) {
                fprintf (stderr, "confinectl learn: --no-block cannot be used: learning waits for the job\n");
                return EXIT_USAGE;
        }

        status = g_new0 (int, runs);
        for (unsigned i = 0; i < runs; i++) {
                CtlRunExtra extra = { .flags = CONFINE_SPAWN_FLAGS_LEARN, .learned = learned,
                                      .families = families_learned, .paths = paths_learned,
                                      .paths_written = written_learned };

                status[i] = ctl_run (argc, argv, &extra);
                if (!extra.started)
                        return status[i]; /* the spawn failed: run printed why */
        }

        names = merged_names (learned);
        families = merged_names (families_learned);
        paths = merged_names (paths_learned);
        written = merged_names (written_learned);
        r = syscall_filter_propose (names, exists_natively, NULL, &words, &unnamed);
        if (r < 0) {
                fprintf (stderr, "confinectl learn: cannot propose a filter: %s\n", strerror (-r));
                return EXIT_SPAWN_FAILED;
        }
        proposal = proposal_build (words, families, paths, written);

        if (arg.verify) {
                CtlRunExtra extra = { .properties = proposal };

                verify_status = ctl_run (argc, argv, &extra);
        }

        if (arg.json)
                print_json (status, runs, names, families, written, proposal, unnamed, verify_status);
        else {
                print_proposal (argv, status, runs, names, proposal, unnamed);
                if (verify_status >= 0)
                        printf ("# verify: under the proposal, exit status %d (%s)\n", verify_status,
                                verify_status == status[0] ? "the same" : "DIFFERENT");
        }
        fflush (stdout);
        return verify_status >= 0 && verify_status != status[0] ? EXIT_VERIFY_FAILED : 0;
}
