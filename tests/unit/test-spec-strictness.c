/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "cap-names.h"
#include "spec-strictness.h"
#include "strv.h"
#include "tap.h"

static SandboxSpec *seed(void) {
        SandboxSpec *s = sandbox_spec_new();
        s->private_network = true;
        s->protect_system = PROTECT_SYSTEM_FULL;
        s->protect_home = PROTECT_HOME_READ_ONLY;
        s->capability_bounding_set = 1u << 10;
        s->no_new_privileges = 1;
        s->syscall_filter_mode = 1;
        strv_extend(&s->syscall_names, "read");
        strv_extend(&s->syscall_names, "write");
        s->rlimits[7] = (ResourceLimit) { .set = true, .hard_set = true, .hard = 100 };
        s->memory_max = 1 << 20;
        s->umask = 0077;
        return s;
}

static void check(void (*change)(SandboxSpec *s), bool want_strict, const char *want_property, const char *what) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *base = seed(), *s = seed();
        const char *p = NULL;
        bool strict;

        change(s);
        strict = spec_is_at_least_as_strict(s, base, &p);
        TAP_POINT(strict == want_strict && (want_strict || (p && streq(p, want_property))), "%s (%s, %s)", what,
                  strict ? "stricter or equal" : "looser", p ?: "-");
}

static void none(SandboxSpec *s) {}
static void network_off(SandboxSpec *s) { s->private_network = false; }
static void tmp_on(SandboxSpec *s) { s->private_tmp = true; }
static void system_lower(SandboxSpec *s) { s->protect_system = PROTECT_SYSTEM_YES; }
static void system_higher(SandboxSpec *s) { s->protect_system = PROTECT_SYSTEM_STRICT; }
static void home_tmpfs(SandboxSpec *s) { s->protect_home = PROTECT_HOME_TMPFS; }
static void home_off(SandboxSpec *s) { s->protect_home = PROTECT_HOME_NO; }
static void caps_more(SandboxSpec *s) { s->capability_bounding_set |= 1u << 21; }
static void caps_less(SandboxSpec *s) { s->capability_bounding_set = 0; }
static void nnp_off(SandboxSpec *s) { s->no_new_privileges = 0; }
static void allow_more(SandboxSpec *s) { strv_extend(&s->syscall_names, "mount"); }
static void allow_less(SandboxSpec *s) {
        free(s->syscall_names[1]);
        s->syscall_names[1] = NULL;
}
static void deny_list(SandboxSpec *s) { s->syscall_filter_mode = 0; }
static void nofile_up(SandboxSpec *s) { s->rlimits[7].hard = 1000; }
static void nofile_down(SandboxSpec *s) { s->rlimits[7].hard = 10; }
static void memory_up(SandboxSpec *s) { s->memory_max = UINT64_MAX; }
static void cpu_weight_up(SandboxSpec *s) { s->cpu_weight = 200; }
static void cpu_weight_idle(SandboxSpec *s) { s->cpu_weight = 0; }
static void io_weight_up(SandboxSpec *s) { s->io_weight = 1000; }
static void memory_low_set(SandboxSpec *s) { s->memory_low = 1 << 20; }
static void memory_high_set(SandboxSpec *s) { s->memory_high = 1 << 20; }
static void user_root(SandboxSpec *s) { s->user = strdup("root"); }
static void rw_hole(SandboxSpec *s) {
        s->read_write_paths = calloc(1, sizeof(PathEntry));
        s->read_write_paths[0].path = strdup("/etc");
        s->n_read_write_paths = 1;
}
static void ro_more(SandboxSpec *s) {
        s->read_only_paths = calloc(1, sizeof(PathEntry));
        s->read_only_paths[0].path = strdup("/var");
        s->n_read_only_paths = 1;
}
static void umask_looser(SandboxSpec *s) { s->umask = 0; }

/* Within a profile: at least as strict, and no privilege the profile does not give. */
static void within(void (*profile)(SandboxSpec *s), void (*change)(SandboxSpec *s), bool want, const char *want_property,
                   const char *what) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *base = sandbox_spec_new(), *s = sandbox_spec_new();
        const char *p = NULL;
        bool ok;

        profile(base);
        profile(s);
        change(s);
        ok = spec_stays_within_profile(s, base, &p);
        TAP_POINT(ok == want && (want || (p && streq(p, want_property))), "within: %s (%s, %s)", what,
                  ok ? "within" : "outside", p ?: "-");
}

static void plain(SandboxSpec *s) { s->private_network = true; }
static void lowport(SandboxSpec *s) {
        s->private_network = true;
        s->capability_bounding_set = 1u << 10;
        s->capability_bounding_set_set = true;
        s->ambient_capabilities = 1u << 10;
        s->no_new_privileges = 1;
}
static void bounding_kept(SandboxSpec *s) { s->capability_bounding_set = 1u << 21; s->capability_bounding_set_set = true; }
static void bounding_empty(SandboxSpec *s) { s->capability_bounding_set = 0; s->capability_bounding_set_set = true; }
static void nnp_no(SandboxSpec *s) { s->no_new_privileges = 0; }
static void syscall_log(SandboxSpec *s) { s->syscall_log_mode = 0; }
static void ambient_dropped(SandboxSpec *s) { s->ambient_capabilities = 0; }
static void ambient_more(SandboxSpec *s) { s->ambient_capabilities |= 1u << 13; }

int main(void) {
        within(plain, none, true, NULL, "the profile itself");
        within(plain, tmp_on, true, NULL, "PrivateTmp added");
        within(plain, network_off, false, "PrivateNetwork", "PrivateNetwork turned off");
        within(plain, bounding_kept, false, "CapabilityBoundingSet", "a bounding set where the profile sets none");
        within(plain, bounding_empty, true, NULL, "an empty bounding set");
        within(plain, nnp_no, false, "NoNewPrivileges", "NoNewPrivileges=no where the profile leaves it unset");
        within(plain, syscall_log, false, "SystemCallLog", "SystemCallLog= added");
        within(plain, user_root, false, "User", "User= changed");
        within(lowport, none, true, NULL, "a privileged profile itself");
        within(lowport, ambient_dropped, true, NULL, "its ambient capability dropped");
        within(lowport, ambient_more, false, "AmbientCapabilities", "an ambient capability added");
        within(lowport, bounding_kept, false, "CapabilityBoundingSet", "another capability in the bounding set");

        check(none, true, NULL, "the profile itself");
        check(network_off, false, "PrivateNetwork", "PrivateNetwork turned off");
        check(tmp_on, true, NULL, "PrivateTmp added");
        check(system_lower, false, "ProtectSystem", "ProtectSystem full → yes");
        check(system_higher, true, NULL, "ProtectSystem full → strict");
        check(home_tmpfs, true, NULL, "ProtectHome read-only → tmpfs");
        check(home_off, false, "ProtectHome", "ProtectHome off");
        check(caps_more, false, "CapabilityBoundingSet", "a capability added");
        check(caps_less, true, NULL, "capabilities removed");
        check(nnp_off, false, "NoNewPrivileges", "NoNewPrivileges off");
        check(allow_more, false, "SystemCallFilter", "a system call allowed");
        check(allow_less, true, NULL, "a system call less");
        check(deny_list, false, "SystemCallFilter", "allow-list turned into a deny-list");
        check(nofile_up, false, "Limit*", "LimitNOFILE raised");
        check(nofile_down, true, NULL, "LimitNOFILE lowered");
        check(memory_up, false, "MemoryMax", "MemoryMax lifted");
        check(cpu_weight_up, false, "CPUWeight", "CPUWeight=200, above the default 100");
        check(cpu_weight_idle, true, NULL, "CPUWeight=idle");
        check(io_weight_up, false, "IOWeight", "IOWeight=1000, above the default 100");
        check(memory_low_set, false, "MemoryLow", "MemoryLow= protection added");
        check(memory_high_set, true, NULL, "MemoryHigh= added");
        check(user_root, false, "User", "User= changed");
        check(rw_hole, false, "ReadWritePaths", "a writable hole added");
        check(ro_more, true, NULL, "a read-only path added");
        check(umask_looser, false, "UMask", "UMask=0000");
        return tap_finish();
}
