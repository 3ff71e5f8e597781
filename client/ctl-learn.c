/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* confinectl learn: run CMD (as run does) with Spawn flag 8, once or --runs times, merge what the
 * daemon recorded (calls, families, files with their modes, endpoints, the uses of their arguments,
 * the capabilities held), and propose the tightest properties for them, as a profile and as -p
 * options; --verify runs CMD again under the proposal and compares its exit status, and its output
 * where the learning runs agreed on it. */
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ctl-print.h"
#include "ctl.h"
#include "learn-propose.h"
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

/* The file system and call part of the proposal, "Name=Value" each: SystemCallFilter= always;
 * RestrictAddressFamilies= from the families asked for ("none" for none); ProtectSystem=strict with
 * ReadWritePaths= for the directories written in; PrivateTmp=yes when no path below /tmp or /var/tmp
 * was named, ProtectHome=yes when none below the homes was (read-only when they were only read). A
 * property the caller gave is not proposed again (ReadWritePaths= adds to theirs). The rest is
 * learn_propose()'s. */
static char **proposal_build (char **words, char **families, char **paths, char **written) {
        /* An allow-list always holds @default; naming it keeps an empty list from meaning "no filter". */
        g_autofree gchar *calls = words[0] ? g_strjoinv (" ", words) : g_strdup ("@default");
        GPtrArray *p = g_ptr_array_new ();

        g_ptr_array_add (p, g_strconcat ("SystemCallFilter=", calls, NULL));
        if (families[0]) {
                g_autofree gchar *joined = g_strjoinv (" ", families);
                g_ptr_array_add (p, g_strconcat ("RestrictAddressFamilies=", joined, NULL));
        } else
                g_ptr_array_add (p, g_strdup ("RestrictAddressFamilies=none"));

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
        else if (!any_below (written, home_dirs) && !given ("ProtectHome"))
                g_ptr_array_add (p, g_strdup ("ProtectHome=read-only"));
        g_ptr_array_add (p, NULL);
        return (char **) g_ptr_array_free (p, FALSE);
}

static void print_proposal (char *argv[], const int *status, unsigned runs, char **names, char **proposal,
                            char **unnamed, const char *reach, char **endpoints) {
        g_autofree gchar *cmd = g_strjoinv (" ", argv);

        printf ("# confinectl learn: %u run%s of %s, exit status", runs, runs == 1 ? "" : "s", cmd);
        for (unsigned i = 0; i < runs; i++)
                printf ("%s%d", i ? ", " : " ", status[i]);
        printf ("; %u system calls; network: %s.\n", g_strv_length (names), reach);
        for (char **e = endpoints; *e; e++)
                printf ("#   %s\n", *e);
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

typedef struct Learned {
        char **names, **families, **paths, **written, **files, **endpoints, **uses, **capabilities;
} Learned;

static void learned_clear (Learned *l) {
        char ***all[] = { &l->names, &l->families, &l->paths, &l->written, &l->files, &l->endpoints, &l->uses,
                          &l->capabilities };
        for (size_t i = 0; i < G_N_ELEMENTS (all); i++)
                g_clear_pointer (all[i], g_strfreev);
}

static void print_json (const int *status, unsigned runs, const Learned *l, char **proposal, char **unnamed,
                        const char *reach, bool deterministic, int verify_status, bool verify_output_same) {
        const struct {
                const char *key;
                char **list;
        } lists[] = { { "system_calls", l->names }, { "address_families", l->families },
                      { "paths_written", l->written }, { "files", l->files }, { "endpoints", l->endpoints },
                      { "uses", l->uses }, { "capabilities", l->capabilities }, { "unnamed", unnamed },
                      { "options", proposal } };

        printf ("{\"runs\":[");
        for (unsigned i = 0; i < runs; i++)
                printf ("%s%d", i ? "," : "", status[i]);
        printf ("]");
        for (size_t i = 0; i < G_N_ELEMENTS (lists); i++) {
                printf (",\"%s\":", lists[i].key);
                print_strv_json (lists[i].list);
        }
        printf (",\"network\":\"%s\",\"deterministic\":%s,\"properties\":[", reach, deterministic ? "true" : "false");
        for (guint i = 0; arg.properties && i < arg.properties->len; i++) {
                if (i > 0)
                        putchar (',');
                ctl_print_json_string (arg.properties->pdata[i]);
        }
        /* As an object, one value per name: DeviceAllow= may come more than once, "options" has them all. */
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
                printf (",\"verify\":{\"status\":%d,\"same\":%s,\"output\":\"%s\"}", verify_status,
                        verify_status == status[0] && verify_output_same ? "true" : "false",
                        !deterministic ? "not-deterministic" : verify_output_same ? "same" : "different");
        printf ("}\n");
}

/* Runs CMD with extra, its stdout into a memory file (then copied to ours); *ret_output gets it. */
static int run_captured (int argc, char *argv[], CtlRunExtra *extra, GBytes **ret_output) {
        int fd = memfd_create ("confinectl-learn", MFD_CLOEXEC), saved, status;
        g_autofree gchar *data = NULL;
        off_t size;

        if (fd < 0) {
                *ret_output = NULL;
                return ctl_run (argc, argv, extra);
        }
        fflush (stdout);
        saved = fcntl (STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
        if (saved < 0 || dup2 (fd, STDOUT_FILENO) < 0) {
                if (saved >= 0)
                        close (saved);
                close (fd);
                *ret_output = NULL;
                return ctl_run (argc, argv, extra);
        }
        status = ctl_run (argc, argv, extra);
        fflush (stdout);
        dup2 (saved, STDOUT_FILENO);
        close (saved);
        size = lseek (fd, 0, SEEK_END);
        data = g_malloc (size > 0 ? (size_t) size : 1);
        if (size > 0 && pread (fd, data, (size_t) size, 0) != size)
                size = 0;
        close (fd);
        if (size > 0)
                fwrite (data, 1, (size_t) size, stdout);
        *ret_output = g_bytes_new (data, size > 0 ? (size_t) size : 0);
        return status;
}

/* The held capabilities one at a time: one whose removal leaves the exit status and (deterministic)
 * output as they were is dropped. A capability of a path the runs did not take is dropped too. */
static char **capabilities_needed (int argc, char *argv[], char **proposal, char **held, int status,
                                   GBytes *output) {
        g_autoptr (GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);

        for (char **c = held; *c; c++)
                g_ptr_array_add (keep, g_strdup (*c));
        for (guint i = 0; i < keep->len;) {
                g_autoptr (GPtrArray) props = g_ptr_array_new_with_free_func (g_free);
                g_autoptr (GBytes) out = NULL;
                GString *set = g_string_new ("CapabilityBoundingSet=");
                CtlRunExtra extra = {};
                int st;

                for (guint k = 0; k < keep->len; k++)
                        if (k != i)
                                g_string_append_printf (set, "%s%s", set->str[strlen ("CapabilityBoundingSet=")] ? " " : "",
                                                        (const char *) keep->pdata[k]);
                for (char **p = proposal; *p; p++)
                        if (!g_str_has_prefix (*p, "CapabilityBoundingSet="))
                                g_ptr_array_add (props, g_strdup (*p));
                g_ptr_array_add (props, g_string_free (set, FALSE));
                g_ptr_array_add (props, NULL);
                extra.properties = (char **) props->pdata;
                st = run_captured (argc, argv, &extra, &out);
                if (st == status && (!output || (out && g_bytes_equal (out, output))))
                        g_ptr_array_remove_index (keep, i);
                else
                        i++;
        }
        g_ptr_array_add (keep, NULL);
        return (char **) g_ptr_array_free (g_steal_pointer (&keep), FALSE);
}

static bool given_by_caller (const char *name, void *userdata) {
        return given (name);
}

int verb_learn (int argc, char *argv[]) {
        g_autoptr (GPtrArray) a_names = g_ptr_array_new_with_free_func (g_free);
        g_autoptr (GPtrArray) a_families = g_ptr_array_new_with_free_func (g_free);
        g_autoptr (GPtrArray) a_paths = g_ptr_array_new_with_free_func (g_free);
        g_autoptr (GPtrArray) a_written = g_ptr_array_new_with_free_func (g_free);
        g_autoptr (GPtrArray) a_files = g_ptr_array_new_with_free_func (g_free);
        g_autoptr (GPtrArray) a_endpoints = g_ptr_array_new_with_free_func (g_free);
        g_autoptr (GPtrArray) a_uses = g_ptr_array_new_with_free_func (g_free);
        g_autoptr (GPtrArray) a_caps = g_ptr_array_new_with_free_func (g_free);
        g_autoptr (GBytes) first_output = NULL, verify_output = NULL;
        g_auto (GStrv) words = NULL, unnamed = NULL, base = NULL, more = NULL, proposal = NULL;
        Learned l = {};
        g_autofree int *status = NULL;
        /* Whether the output is deterministic takes two runs that agree. */
        unsigned runs = MAX (arg.runs ? arg.runs : 1, arg.verify ? 2u : 1u);
        bool deterministic = true, verify_output_same = true;
        int verify_status = -1, r;
        const char *reach;

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
                CtlRunExtra extra = { .flags = CONFINE_SPAWN_FLAGS_LEARN, .learned = a_names,
                                      .families = a_families, .paths = a_paths, .paths_written = a_written,
                                      .files = a_files, .endpoints = a_endpoints, .uses = a_uses,
                                      .capabilities = a_caps };
                g_autoptr (GBytes) output = NULL;

                status[i] = run_captured (argc, argv, &extra, &output);
                if (!extra.started)
                        return status[i]; /* the spawn failed: run printed why */
                if (i == 0)
                        first_output = g_steal_pointer (&output);
                else if (!output || !first_output || !g_bytes_equal (output, first_output))
                        deterministic = false;
        }

        l.names = merged_names (a_names);
        l.families = merged_names (a_families);
        l.paths = merged_names (a_paths);
        l.written = merged_names (a_written);
        l.files = merged_names (a_files);
        l.endpoints = merged_names (a_endpoints);
        l.uses = merged_names (a_uses);
        l.capabilities = merged_names (a_caps);
        r = syscall_filter_propose (l.names, exists_natively, NULL, &words, &unnamed);
        if (r < 0) {
                fprintf (stderr, "confinectl learn: cannot propose a filter: %s\n", strerror (-r));
                learned_clear (&l);
                return EXIT_SPAWN_FAILED;
        }
        base = proposal_build (words, l.families, l.paths, l.written);
        {
                LearnRecord rec = { .calls = l.names, .files = l.files, .endpoints = l.endpoints, .uses = l.uses,
                                    .capabilities = l.capabilities };
                r = learn_propose (&rec, given_by_caller, NULL, &more);
        }
        if (r < 0) {
                fprintf (stderr, "confinectl learn: cannot propose: %s\n", strerror (-r));
                learned_clear (&l);
                return EXIT_SPAWN_FAILED;
        }
        proposal = g_strdupv (base);
        {
                guint n = g_strv_length (proposal), m = more ? g_strv_length (more) : 0;
                proposal = g_renew (char *, proposal, n + m + 1);
                for (guint i = 0; i < m; i++)
                        proposal[n + i] = g_strdup (more[i]);
                proposal[n + m] = NULL;
        }
        reach = learn_network_reach (l.endpoints);

        /* Held capabilities: narrowed by running without each (the job of an unprivileged caller holds
         * none, and gets the empty set without a run). */
        if (l.capabilities[0] && !given ("CapabilityBoundingSet")) {
                g_auto (GStrv) needed = capabilities_needed (argc, argv, proposal, l.capabilities, status[0],
                                                             deterministic ? first_output : NULL);
                g_autofree gchar *joined = g_strjoinv (" ", needed);
                for (char **p = proposal; *p; p++)
                        if (g_str_has_prefix (*p, "CapabilityBoundingSet=")) {
                                g_free (*p);
                                *p = g_strconcat ("CapabilityBoundingSet=", joined, NULL);
                        }
        }

        if (arg.verify) {
                CtlRunExtra extra = { .properties = proposal };

                verify_status = run_captured (argc, argv, &extra, &verify_output);
                if (deterministic)
                        verify_output_same = verify_output && first_output && g_bytes_equal (verify_output, first_output);
        }

        if (arg.json)
                print_json (status, runs, &l, proposal, unnamed, reach, deterministic, verify_status,
                            verify_output_same);
        else {
                print_proposal (argv, status, runs, l.names, proposal, unnamed, reach, l.endpoints);
                if (verify_status >= 0)
                        printf ("# verify: under the proposal, exit status %d (%s), output %s\n", verify_status,
                                verify_status == status[0] ? "the same" : "DIFFERENT",
                                !deterministic ? "not compared (the learning runs differed)" :
                                verify_output_same ? "the same" : "DIFFERENT");
        }
        fflush (stdout);
        learned_clear (&l);
        return verify_status >= 0 && (verify_status != status[0] || !verify_output_same) ? EXIT_VERIFY_FAILED : 0;
}
