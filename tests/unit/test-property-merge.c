/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Repeated assignments, as systemd combines them. Each case names the systemd rule it checks:
 * load-fragment.c for a unit's repeated lines (which confinectl's -p and profile files follow), and
 * dbus-execute.c for what a repeated entry of a transient unit's a(sv) does. */
#include <sched.h>
#include <stdio.h>

#include "cap-names.h"
#include "namespace-names.h"
#include "property-apply.h"
#include "spec-strictness.h"
#include "strv.h"
#include "tap.h"

#define CAP(n) (UINT64_C(1) << (n))

static int apply(SandboxSpec *s, const char *assignment) {
        _cleanup_free_ char *message = NULL;
        int r = property_apply_text(s, assignment, &message);
        if (r < 0)
                printf("# %s: %s\n", assignment, message ?: "?");
        return r;
}

static void test_capability_bounding_set(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new(), *t = sandbox_spec_new(),
                                                 *u = sandbox_spec_new();

        /* The OpenSMTPD unit: one capability a line. The first line replaces the initial (full) set,
         * the next ones add (config_parse_capability_set: "previous data -> merge"). */
        ASSERT_OK(apply(s, "CapabilityBoundingSet=CAP_SYS_CHROOT"));
        ASSERT_TRUE(s->capability_bounding_set == CAP(18));
        ASSERT_OK(apply(s, "CapabilityBoundingSet=CAP_SETUID"));
        ASSERT_OK(apply(s, "CapabilityBoundingSet=CAP_SETGID"));
        ASSERT_OK(apply(s, "CapabilityBoundingSet=CAP_NET_BIND_SERVICE"));
        ASSERT_OK(apply(s, "CapabilityBoundingSet=CAP_CHOWN CAP_FOWNER"));
        ASSERT_TRUE(s->capability_bounding_set == (CAP(18) | CAP(7) | CAP(6) | CAP(10) | CAP(0) | CAP(3)));
        /* "~" after a list removes from it. */
        ASSERT_OK(apply(s, "CapabilityBoundingSet=~CAP_CHOWN"));
        ASSERT_TRUE(s->capability_bounding_set == (CAP(18) | CAP(7) | CAP(6) | CAP(10) | CAP(3)));
        /* An empty assignment replaces: "" is none, "~" is all. */
        ASSERT_OK(apply(s, "CapabilityBoundingSet="));
        ASSERT_TRUE(s->capability_bounding_set == 0);
        ASSERT_OK(apply(s, "CapabilityBoundingSet=~"));
        ASSERT_TRUE(s->capability_bounding_set == CAP_ALL_MASK);

        /* "~" first: all but those; a later "~" removes more; a later list adds back. */
        ASSERT_OK(apply(t, "CapabilityBoundingSet=~CAP_SYS_ADMIN"));
        ASSERT_TRUE(t->capability_bounding_set == (CAP_ALL_MASK & ~CAP(21)));
        ASSERT_OK(apply(t, "CapabilityBoundingSet=~CAP_SYS_PTRACE CAP_SYS_MODULE"));
        ASSERT_TRUE(t->capability_bounding_set == (CAP_ALL_MASK & ~(CAP(21) | CAP(19) | CAP(16))));
        ASSERT_OK(apply(t, "CapabilityBoundingSet=CAP_SYS_ADMIN"));
        ASSERT_TRUE(t->capability_bounding_set == (CAP_ALL_MASK & ~(CAP(19) | CAP(16))));

        /* A value with only some unknown bits set is no capability set at all. */
        ASSERT_ERR(capability_set_merge(&u->capability_bounding_set, CAP_ALL_MASK, CAP(63)), -EINVAL);
}

static void test_ambient_capabilities(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();

        /* Initially none: the first line sets, the next add, "~" removes, "" resets. */
        ASSERT_OK(apply(s, "AmbientCapabilities=CAP_NET_BIND_SERVICE"));
        ASSERT_OK(apply(s, "AmbientCapabilities=CAP_NET_RAW"));
        ASSERT_TRUE(s->ambient_capabilities == (CAP(10) | CAP(13)));
        ASSERT_OK(apply(s, "AmbientCapabilities=~CAP_NET_RAW"));
        ASSERT_TRUE(s->ambient_capabilities == CAP(10));
        ASSERT_OK(apply(s, "AmbientCapabilities="));
        ASSERT_TRUE(s->ambient_capabilities == 0);
        /* From none, "~X" is everything but X (replace, since the set is at its initial value). */
        ASSERT_OK(apply(s, "AmbientCapabilities=~CAP_SYS_ADMIN"));
        ASSERT_TRUE(s->ambient_capabilities == (CAP_ALL_MASK & ~CAP(21)));
}

static void test_restrict_namespaces(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new(), *t = sandbox_spec_new();

        /* config_parse_restrict_namespaces: the first list sets, later lists add (or with "~" remove),
         * a boolean ignores what came before, "" goes back to the initial state. */
        ASSERT_OK(apply(s, "RestrictNamespaces=net"));
        ASSERT_TRUE(s->restrict_namespaces == CLONE_NEWNET);
        ASSERT_OK(apply(s, "RestrictNamespaces=ipc uts"));
        ASSERT_TRUE(s->restrict_namespaces == (CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS));
        ASSERT_OK(apply(s, "RestrictNamespaces=~uts"));
        ASSERT_TRUE(s->restrict_namespaces == (CLONE_NEWNET | CLONE_NEWIPC));
        ASSERT_OK(apply(s, "RestrictNamespaces=yes"));
        ASSERT_TRUE(s->restrict_namespaces == 0);
        ASSERT_OK(apply(s, "RestrictNamespaces=net"));
        ASSERT_TRUE(s->restrict_namespaces == CLONE_NEWNET);
        ASSERT_OK(apply(s, "RestrictNamespaces=no"));
        ASSERT_TRUE(s->restrict_namespaces == UINT64_MAX);
        ASSERT_OK(apply(s, "RestrictNamespaces="));
        ASSERT_TRUE(s->restrict_namespaces == UINT64_MAX && !s->restrict_namespaces_assigned);

        /* "~" first: all but those; a later "~" takes away more. */
        ASSERT_OK(apply(t, "RestrictNamespaces=~user"));
        ASSERT_TRUE(t->restrict_namespaces == (namespace_flags_all() & ~(uint64_t) CLONE_NEWUSER));
        ASSERT_OK(apply(t, "RestrictNamespaces=~net"));
        ASSERT_TRUE(t->restrict_namespaces == (namespace_flags_all() & ~(uint64_t) (CLONE_NEWUSER | CLONE_NEWNET)));
}

static void test_environment(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();

        /* "This option may be specified more than once, in which case all listed variables will be set.
         * [...] If the empty string is assigned to this option, the list of environment variables is
         * reset, all prior assignments have no effect." */
        ASSERT_OK(apply(s, "Environment=A=1 B=2"));
        ASSERT_OK(apply(s, "Environment=C=3"));
        ASSERT_EQ(strv_length(s->environment), 3);
        ASSERT_OK(apply(s, "Environment="));
        ASSERT_EQ(strv_length(s->environment), 0);
        ASSERT_OK(apply(s, "Environment=D=4"));
        ASSERT_EQ(strv_length(s->environment), 1);
        ASSERT_STREQ(s->environment[0], "D=4");
}

static void test_lists_reset(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();

        /* Lists append; the empty string resets each (dbus-execute.c: strv_isempty(l) → free). */
        ASSERT_OK(apply(s, "ReadOnlyPaths=/a"));
        ASSERT_OK(apply(s, "ReadOnlyPaths=-/b"));
        ASSERT_EQ(s->n_read_only_paths, 2);
        ASSERT_OK(apply(s, "ReadOnlyPaths="));
        ASSERT_EQ(s->n_read_only_paths, 0);
        /* The old names, which systemd still accepts, are the same lists. */
        ASSERT_OK(apply(s, "ReadWriteDirectories=/srv"));
        ASSERT_OK(apply(s, "ReadWritePaths=/var/lib"));
        ASSERT_EQ(s->n_read_write_paths, 2);
        ASSERT_OK(apply(s, "ReadWriteDirectories="));
        ASSERT_EQ(s->n_read_write_paths, 0);
        ASSERT_OK(apply(s, "BindReadOnlyPaths=/etc/hosts"));
        ASSERT_OK(apply(s, "BindPaths=/srv:/mnt"));
        ASSERT_EQ(s->n_bind_mounts, 2);
        ASSERT_OK(apply(s, "BindPaths="));
        ASSERT_EQ(s->n_bind_mounts, 0);
        ASSERT_OK(apply(s, "TemporaryFileSystem=/etc"));
        ASSERT_OK(apply(s, "TemporaryFileSystem=/var/run"));
        ASSERT_EQ(s->n_temporary_filesystems, 2);
        ASSERT_OK(apply(s, "TemporaryFileSystem="));
        ASSERT_EQ(s->n_temporary_filesystems, 0);
        ASSERT_OK(apply(s, "SupplementaryGroups=adm"));
        ASSERT_OK(apply(s, "SupplementaryGroups=audio video"));
        ASSERT_EQ(strv_length(s->supplementary_groups), 3);
        ASSERT_OK(apply(s, "SupplementaryGroups="));
        ASSERT_EQ(strv_length(s->supplementary_groups), 0);
        ASSERT_OK(apply(s, "DeviceAllow=/dev/null rw"));
        ASSERT_OK(apply(s, "DeviceAllow=/dev/zero r"));
        ASSERT_EQ(s->n_device_allow, 2);
        ASSERT_OK(apply(s, "DeviceAllow="));
        ASSERT_EQ(s->n_device_allow, 0);
}

static void test_scalars(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();

        /* A scalar given twice takes the last value, as any unit setting does. */
        ASSERT_OK(apply(s, "User=nobody"));
        ASSERT_OK(apply(s, "User=root"));
        ASSERT_STREQ(s->user, "root");
        ASSERT_OK(apply(s, "User="));
        ASSERT_TRUE(s->user == NULL);
        ASSERT_OK(apply(s, "WorkingDirectory=/srv"));
        ASSERT_OK(apply(s, "WorkingDirectory=/tmp/"));
        ASSERT_STREQ(s->working_directory, "/tmp");
        ASSERT_OK(apply(s, "PrivateTmp=yes"));
        ASSERT_OK(apply(s, "PrivateTmpEx=no"));
        ASSERT_TRUE(!s->private_tmp);
        ASSERT_OK(apply(s, "ProtectSystem=strict"));
        ASSERT_OK(apply(s, "ProtectSystem=full"));
        ASSERT_EQ(s->protect_system, PROTECT_SYSTEM_FULL);
        ASSERT_OK(apply(s, "SystemCallErrorNumber=EPERM"));
        ASSERT_OK(apply(s, "SystemCallErrorNumber=EACCES"));
        ASSERT_EQ(s->syscall_errno, EACCES);
        ASSERT_OK(apply(s, "LimitNOFILE=100"));
        ASSERT_OK(apply(s, "LimitNOFILE=200"));
        ASSERT_TRUE(s->rlimits[7].hard == 200);
}

static void test_system_call_filter_and_families(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new(), *d = sandbox_spec_new(),
                                                 *a = sandbox_spec_new();

        /* "the first encountered will take precedence and will dictate the default action [...] the next
         * occurrences of this option will add or delete the listed system calls". */
        ASSERT_OK(apply(s, "SystemCallFilter=read write"));
        ASSERT_OK(apply(s, "SystemCallFilter=~write"));
        ASSERT_EQ(s->syscall_filter_mode, 1);
        ASSERT_TRUE(strv_contains(s->syscall_names, "read") && !strv_contains(s->syscall_names, "write"));

        /* Per-call errnos in a deny-list: the last one given for a call wins, a removal drops it. */
        ASSERT_OK(apply(d, "SystemCallFilter=~uname:EPERM chroot"));
        ASSERT_TRUE(strv_contains(d->syscall_names, "uname:1") && strv_contains(d->syscall_names, "chroot"));
        ASSERT_OK(apply(d, "SystemCallFilter=~uname:kill"));
        ASSERT_TRUE(strv_contains(d->syscall_names, "uname:kill") && !strv_contains(d->syscall_names, "uname:1"));
        ASSERT_OK(apply(d, "SystemCallFilter=uname"));
        ASSERT_TRUE(!strv_contains(d->syscall_names, "uname:kill"));
        /* Within one assignment too; and each call once, the list in strcmp() order (pipe2 before pipe:N). */
        ASSERT_OK(apply(d, "SystemCallFilter=~pipe:EPERM pipe2 pipe:kill dup3 dup:EACCES"));
        ASSERT_TRUE(strv_contains(d->syscall_names, "pipe:kill") && !strv_contains(d->syscall_names, "pipe:1"));
        for (size_t i = 1; d->syscall_names[i]; i++)
                ASSERT_TRUE(strcmp(d->syscall_names[i - 1], d->syscall_names[i]) < 0);
        ASSERT_ERR(apply(d, "SystemCallFilter=~execve:EPERM"), -EINVAL);

        /* RestrictAddressFamilies= follows the same rule; "" resets. */
        ASSERT_OK(apply(a, "RestrictAddressFamilies=AF_UNIX AF_INET"));
        ASSERT_OK(apply(a, "RestrictAddressFamilies=~AF_INET"));
        ASSERT_OK(apply(a, "RestrictAddressFamilies=AF_NETLINK"));
        ASSERT_EQ(a->address_family_mode, 1);
        ASSERT_EQ(a->n_address_families, 2);
        ASSERT_OK(apply(a, "RestrictAddressFamilies="));
        ASSERT_EQ(a->address_family_mode, -1);

        /* RestrictFileSystems= too, with systemd's @groups expanded; an unknown name or group is refused
         * (systemd ignores it) and leaves the list as it was. */
        ASSERT_OK(apply(a, "RestrictFileSystems=ext4 @basic-api"));
        ASSERT_EQ(a->restrict_filesystems_mode, 1);
        ASSERT_TRUE(strv_contains(a->restrict_filesystems, "ext4") && strv_contains(a->restrict_filesystems, "proc") &&
                    strv_contains(a->restrict_filesystems, "devtmpfs"));
        ASSERT_OK(apply(a, "RestrictFileSystems=~proc"));
        ASSERT_TRUE(!strv_contains(a->restrict_filesystems, "proc") && strv_contains(a->restrict_filesystems, "sysfs"));
        ASSERT_ERR(apply(a, "RestrictFileSystems=nosuchfs"), -EINVAL);
        ASSERT_ERR(apply(a, "RestrictFileSystems=@nosuch"), -EINVAL);
        ASSERT_TRUE(strv_contains(a->restrict_filesystems, "ext4") && a->restrict_filesystems_mode == 1);
        ASSERT_OK(apply(a, "RestrictFileSystems="));
        ASSERT_EQ(a->restrict_filesystems_mode, -1);
        ASSERT_TRUE(!a->restrict_filesystems);
        ASSERT_OK(apply(a, "RestrictFileSystems=~@temporary"));
        ASSERT_EQ(a->restrict_filesystems_mode, 0);
        ASSERT_EQ(strv_length(a->restrict_filesystems), 2);
        ASSERT_OK(apply(a, "RestrictFileSystems=~@known"));
        TAP_POINT(strv_length(a->restrict_filesystems) > 50 && strv_contains(a->restrict_filesystems, "xfs"),
                  "@known is every name of the table (%zu)", strv_length(a->restrict_filesystems));
}

static void test_system_call_log(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();

        /* "This option may be specified more than once, in which case the filter masks are merged. If the
         * empty string is assigned, the filter is reset." */
        ASSERT_OK(apply(s, "SystemCallLog=uname"));
        ASSERT_OK(apply(s, "SystemCallLog=@sync"));
        ASSERT_EQ(s->syscall_log_mode, 1);
        ASSERT_TRUE(strv_contains(s->syscall_log_names, "uname") && strv_contains(s->syscall_log_names, "fsync"));
        ASSERT_OK(apply(s, "SystemCallLog=~fsync"));
        ASSERT_TRUE(!strv_contains(s->syscall_log_names, "fsync"));
        ASSERT_OK(apply(s, "SystemCallLog="));
        ASSERT_EQ(s->syscall_log_mode, -1);
        ASSERT_OK(apply(s, "SystemCallLog=~read"));
        ASSERT_EQ(s->syscall_log_mode, 0);
        ASSERT_TRUE(sandbox_spec_wants_seccomp(s));
}

static void test_strictness_of_merged(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *base = sandbox_spec_new(), *merged = sandbox_spec_new();
        const char *loosened = NULL;

        /* A caller's repeated assignments are judged after merging: resetting a profile's list loosens
         * it, adding to a deny-list does not. */
        ASSERT_OK(apply(base, "InaccessiblePaths=/srv"));
        ASSERT_OK(apply(base, "CapabilityBoundingSet="));
        ASSERT_OK(apply(merged, "InaccessiblePaths=/srv"));
        ASSERT_OK(apply(merged, "CapabilityBoundingSet="));
        ASSERT_OK(apply(merged, "InaccessiblePaths=/home"));
        ASSERT_OK(apply(merged, "CapabilityBoundingSet=~CAP_SYS_ADMIN")); /* merged into none: none */
        ASSERT_TRUE(spec_is_at_least_as_strict(merged, base, &loosened));
        ASSERT_OK(apply(merged, "InaccessiblePaths="));
        ASSERT_TRUE(!spec_is_at_least_as_strict(merged, base, &loosened));
        ASSERT_STREQ(loosened, "InaccessiblePaths");
}

int main(void) {
        test_capability_bounding_set();
        test_ambient_capabilities();
        test_restrict_namespaces();
        test_environment();
        test_lists_reset();
        test_scalars();
        test_system_call_filter_and_families();
        test_system_call_log();
        test_strictness_of_merged();
        return tap_finish();
}
