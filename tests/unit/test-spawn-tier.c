/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "cap-names.h"
#include "polkit.h"
#include "spawn-tier.h"
#include "strv.h"
#include "tap.h"

static void test_tiers(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();
        Identity self = { .uid = 1000, .gid = 1000 }, other = { .uid = 0, .gid = 0 };

        ASSERT_EQ(spawn_tier_for(s, &other, 0, 0, NULL), SPAWN_TIER_ROOT);
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_SPAWN);
        ASSERT_EQ(spawn_tier_for(s, &other, 1000, 1000, NULL), SPAWN_TIER_PRIVILEGED);

        s->group = strdup("wheel");
        self.gid = 10;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_PRIVILEGED);
        self.gid = 1000;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_SPAWN);

        s->no_new_privileges = 0;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_PRIVILEGED);
        s->no_new_privileges = 1;
        s->capability_bounding_set = 1;
        s->capability_bounding_set_set = true;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_PRIVILEGED);
        s->capability_bounding_set = 0;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_SPAWN);

        /* Paths are no privilege: confine-exec opens them with the caller's file system ids. */
        s->root_directory = strdup("/srv/root");
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_SPAWN);
        free(s->root_directory);
        s->root_directory = NULL;
        s->n_bind_mounts = 1;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_SPAWN);
        s->n_bind_mounts = 0;
        /* StateDirectory= of the caller's own job: below its home, with its ids (spec-directories.c). */
        ASSERT_OK(strv_extend(&s->directories[EXEC_DIRECTORY_STATE].paths, "x"));
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_SPAWN);
        s->directories[EXEC_DIRECTORY_STATE].paths = strv_free(s->directories[EXEC_DIRECTORY_STATE].paths);
        /* DynamicUser=: a uid of the daemon's shared pool, whatever the identity says so far. */
        s->dynamic_user = true;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_PRIVILEGED);
        ASSERT_EQ(spawn_tier_for(s, &other, 0, 0, NULL), SPAWN_TIER_ROOT);
        s->dynamic_user = false;
        s->ambient_capabilities = 1;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_PRIVILEGED);
        s->ambient_capabilities = 0;
        /* SystemCallLog= writes to the host's audit log. */
        s->syscall_log_mode = 0;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_PRIVILEGED);
        s->syscall_log_mode = -1;
        /* Nor is a namespace or a /proc of the job's own: each only takes away. */
        s->private_pids = true;
        s->protect_proc = PROTECT_PROC_INVISIBLE;
        s->proc_subset = PROC_SUBSET_PID;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_SPAWN);
        /* Issue 15's kernel surface only restricts, but for KeyringMode=inherit, which hands the job
         * the daemon's session keyring. */
        s->protect_clock = s->protect_kernel_logs = s->private_mounts = true;
        s->secure_bits = 0x3f;
        s->personality = 8;
        s->keyring_mode = KEYRING_MODE_SHARED;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_SPAWN);
        s->keyring_mode = KEYRING_MODE_INHERIT;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_PRIVILEGED);
        s->keyring_mode = KEYRING_MODE_SHARED;
        /* Resource shares: less than the default only restricts, more takes from the other jobs. */
        s->cpu_weight = 0; /* idle */
        s->io_weight = 10;
        s->memory_high = s->memory_swap_max = 1 << 20;
        s->io_accounting = true;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_SPAWN);
        s->cpu_weight = 101;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_PRIVILEGED);
        s->cpu_weight = 100;
        s->io_weight = 10000;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_PRIVILEGED);
        s->io_weight = 100;
        s->memory_low = 1 << 20;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_PRIVILEGED);
        s->memory_low = 0;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_SPAWN);
        s->keyring_mode = KEYRING_MODE_INHERIT;
        s->keyring_mode = KEYRING_MODE_PRIVATE;

        /* SetCredential= only hands the job the caller's own bytes; SetCredentialEncrypted= is decrypted
         * with the host's key, which would read any credential encrypted for this host. */
        SetCredential creds[1] = { { .id = (char *) "pw", .data = (uint8_t *) "x", .size = 1 } };
        s->set_credentials = creds;
        s->n_set_credentials = 1;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_SPAWN);
        creds[0].encrypted = true;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_PRIVILEGED);
        ASSERT_EQ(spawn_tier_for(s, &other, 0, 0, NULL), SPAWN_TIER_ROOT);
        s->set_credentials = NULL;
        s->n_set_credentials = 0;

        /* The network filters only restrict; NetworkNamespacePath= is privilege unless the caller owns
         * the namespace's user namespace. */
        s->ip_accounting = true;
        s->network_interfaces_mode = 0;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_SPAWN);
        s->network_namespace_path = strdup("/proc/4242/ns/net");
        s->netns_path_owner = 1000;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_SPAWN);
        s->netns_path_owner = 0;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_PRIVILEGED);
        s->netns_path_owner = 1001;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_PRIVILEGED);
        free(s->network_namespace_path);
        s->network_namespace_path = NULL;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, NULL), SPAWN_TIER_SPAWN);

        ASSERT_STREQ(spawn_tier_action(SPAWN_TIER_SPAWN), POLKIT_ACTION_SPAWN);
        ASSERT_STREQ(spawn_tier_action(SPAWN_TIER_PRIVILEGED), POLKIT_ACTION_SPAWN_PRIVILEGED);
        ASSERT_TRUE(spawn_tier_action(SPAWN_TIER_ROOT) == NULL);
}

static void test_forced(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();

        spawn_tier_apply_forced(SPAWN_TIER_PRIVILEGED, s);
        ASSERT_EQ(s->no_new_privileges, -1);
        ASSERT_EQ(s->capability_bounding_set, CAP_ALL_MASK);
        spawn_tier_apply_forced(SPAWN_TIER_SPAWN, s);
        ASSERT_EQ(s->no_new_privileges, 1);
        ASSERT_EQ(s->capability_bounding_set, 0);
}

/* The reason names the property that decided, for Analyze and for people reading polkit's prompt. */
static void test_reasons(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();
        Identity self = { .uid = 1000, .gid = 1000 }, other = { .uid = 1001, .gid = 1000 };
        const char *why = NULL;

        ASSERT_EQ(spawn_tier_for(s, &self, 0, 0, &why), SPAWN_TIER_ROOT);
        ASSERT_TRUE(strstr(why, "root") != NULL);
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, &why), SPAWN_TIER_SPAWN);
        ASSERT_TRUE(strstr(why, "no added privilege") != NULL);
        ASSERT_EQ(spawn_tier_for(s, &other, 1000, 1000, &why), SPAWN_TIER_PRIVILEGED);
        ASSERT_TRUE(strstr(why, "User=") != NULL);
        s->ambient_capabilities = 1;
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, &why), SPAWN_TIER_PRIVILEGED);
        ASSERT_TRUE(strstr(why, "AmbientCapabilities=") != NULL);
        s->ambient_capabilities = 0;
        s->profile_loosened = "PrivateNetwork";
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, &why), SPAWN_TIER_PRIVILEGED);
        ASSERT_TRUE(strstr(why, "Profile=") != NULL);
        s->profile_loosened = NULL;
        s->defaults_loosened = "PrivatePIDs";
        ASSERT_EQ(spawn_tier_for(s, &self, 1000, 1000, &why), SPAWN_TIER_PRIVILEGED);
        ASSERT_TRUE(strstr(why, "[Defaults]") != NULL);
}

int main(void) {
        test_tiers();
        test_reasons();
        test_forced();
        return tap_finish();
}
