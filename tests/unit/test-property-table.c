/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <unistd.h>

#include "cap-names.h"
#include "property-apply.h"
#include "sandbox-spec.h"
#include "property-table.h"
#include "strv.h"
#include "tap.h"

static void test_lookup(void) {
        ASSERT_TRUE(property_info_lookup("PrivateNetwork") != NULL);
        ASSERT_STREQ(property_info_lookup("ExtraFileDescriptors")->signature, "a(hs)");
        ASSERT_TRUE(property_info_lookup("privatenetwork") == NULL);
        ASSERT_TRUE(property_info_lookup("NoSuchThing") == NULL);

        /* Every name once, and every entry complete. */
        size_t duplicates = 0, incomplete = 0;
        for (size_t i = 0; i < property_table_size; i++) {
                for (size_t k = i + 1; k < property_table_size; k++)
                        duplicates += streq(property_table[i].name, property_table[k].name);
                incomplete += !property_table[i].signature || !property_table[i].apply;
        }
        ASSERT_EQ(duplicates, 0);
        ASSERT_EQ(incomplete, 0);
}

static void test_parse(void) {
        PropertyValue v = {};
        const char *reason = NULL;

        ASSERT_OK(property_value_parse("PrivateNetwork=yes", &v, &reason));
        ASSERT_TRUE(v.b);
        ASSERT_STREQ(v.info->name, "PrivateNetwork");
        property_value_done(&v);

        ASSERT_OK(property_value_parse("PrivateTmp=0", &v, &reason));
        ASSERT_TRUE(!v.b);
        property_value_done(&v);

        ASSERT_OK(property_value_parse("CapabilityBoundingSet=", &v, &reason));
        ASSERT_EQ(v.t, 0);
        property_value_done(&v);

        ASSERT_OK(property_value_parse("CapabilityBoundingSet=~CAP_SYS_ADMIN", &v, &reason));
        ASSERT_TRUE(v.t == ~(UINT64_C(1) << 21)); /* as systemd-run sends it */
        property_value_done(&v);

        ASSERT_OK(property_value_parse("Environment=A=1 \"B=2 3\"", &v, &reason));
        ASSERT_EQ(strv_length(v.strv), 2);
        ASSERT_STREQ(v.strv[1], "B=2 3");
        property_value_done(&v);

        ASSERT_OK(property_value_parse("WorkingDirectory=/srv", &v, &reason));
        ASSERT_STREQ(v.s, "/srv");
        property_value_done(&v);

        ASSERT_OK(property_value_parse("User=nobody", &v, &reason));
        ASSERT_STREQ(v.s, "nobody");
        property_value_done(&v);

        ASSERT_ERR(property_value_parse("PrivateNetwork=maybe", &v, &reason), -EINVAL);
        ASSERT_STREQ(reason, "invalid boolean");
        ASSERT_ERR(property_value_parse("Bogus=1", &v, &reason), -ENOENT);
        ASSERT_STREQ(reason, "unknown property");
        ASSERT_ERR(property_value_parse("PrivateNetwork", &v, &reason), -EINVAL);
        ASSERT_ERR(property_value_parse("CapabilityBoundingSet=CAP_FOO", &v, &reason), -EINVAL);
        ASSERT_ERR(property_value_parse("Environment=1A=2", &v, &reason), -EINVAL);
        ASSERT_ERR(property_value_parse("Environment=\"A=2", &v, &reason), -EINVAL);
        ASSERT_ERR(property_value_parse("StandardInputFileDescriptor=0", &v, &reason), -EINVAL);
}

/* Found by fuzz-property-text: a refused limit must leave the earlier one intact, or the spec
 * holds soft > hard and confine-exec refuses it. */
static void test_refused_limit_changes_nothing(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();
        const char *reason = NULL;
        char *msg = NULL;
        PropertyValue v = { .fd = -EBADF };

        ASSERT_OK(property_value_parse("LimitNOFILE=1024:4096", &v, &reason));
        ASSERT_OK(property_apply(s, &v, &msg));
        property_value_done(&v);
        ASSERT_EQ(s->rlimits[7].soft, 1024);
        ASSERT_EQ(s->rlimits[7].hard, 4096);
        /* systemd-run sends "LimitNOFILE=10" as both limits (rlimit_parse()), so it replaces both. */
        ASSERT_OK(property_value_parse("LimitNOFILE=10", &v, &reason));
        ASSERT_OK(property_apply(s, &v, &msg));
        property_value_done(&v);
        ASSERT_EQ(s->rlimits[7].soft, 10);
        ASSERT_EQ(s->rlimits[7].hard, 10);
        ASSERT_OK(property_value_parse("LimitNOFILESoft=20", &v, &reason));
        ASSERT_ERR(property_apply(s, &v, &msg), -EINVAL); /* soft above hard */
        property_value_done(&v);
        ASSERT_TRUE(msg && strstr(msg, "LimitNOFILE"));
        free(msg);
}

/* Environment= as systemd-run reads it: unquoted, and C escapes resolved (EXTRACT_CUNESCAPE). */
static void test_environment_escapes(void) {
        _cleanup_(property_value_done) PropertyValue v = { .fd = -EBADF };
        const char *reason = NULL;

        ASSERT_OK(property_value_parse("Environment=A=a\\tb \"B=x y\" C=\\x41\\101\\u20ac D=\\\\", &v, &reason));
        ASSERT_EQ(strv_length(v.strv), 4);
        ASSERT_STREQ(v.strv[0], "A=a\tb");
        ASSERT_STREQ(v.strv[1], "B=x y");
        ASSERT_STREQ(v.strv[2], "C=AA\u20ac");
        ASSERT_STREQ(v.strv[3], "D=\\");
        property_value_done(&v);
        ASSERT_ERR(property_value_parse("Environment=A=\\q", &v, &reason), -EINVAL);
        ASSERT_ERR(property_value_parse("Environment=A=\\x4", &v, &reason), -EINVAL);
}

/* Values as systemd-run -p reads them (bus-unit-util.c and the parsers it calls). */
static void test_systemd_run_values(void) {
        static const struct {
                const char *text;
                uint64_t t;
        } good[] = {
                { "RuntimeMaxSec=1min 30s", 90000000 },
                { "RuntimeMaxSec=1.5h", UINT64_C(5400000000) },
                { "RuntimeMaxSec=2h30m", UINT64_C(9000000000) },
                { "RuntimeMaxSec=500ms", 500000 },
                { "RuntimeMaxSec=5", 5000000 },
                { "RuntimeMaxSec=1y", UINT64_C(31557600000000) },
                { "RuntimeMaxSec=1M", UINT64_C(2629800000000) },
                { "RuntimeMaxUSec=2d 3us", UINT64_C(172800000003) },
                { "RuntimeMaxSec=infinity", UINT64_MAX },
                { "RuntimeMaxSec= 2min", 120000000 },
                { "CPUQuota=20%", 200000 },
                { "CPUQuota=12.5%", 125000 },
                { "CPUQuota=150%", 1500000 },
                { "CPUQuota=125\u2030", 125000 },
                { "CPUQuota=", UINT64_MAX },
                { "CPUQuotaPerSecUSec=200ms", 200000 },
                { "CPUQuotaPerSecUSec=50%", 500000 },
                { "CPUQuotaPerSecUSec=infinity", UINT64_MAX },
                { "MemoryMax=1.5G", UINT64_C(1610612736) },
                { "MemoryMax=512M", UINT64_C(536870912) },
                { "TasksMax=infinity", UINT64_MAX },
                { "TasksMax=", UINT64_MAX },
                { "MemoryMax=", UINT64_MAX },
                { "TasksMax=4096", 4096 },
                { "LimitCPU=1h", 3600 },
                { "LimitCPU=1500ms", 2 },  /* rounded up to whole seconds */
                { "LimitRTTIME=5ms", 5000 },
                { "LimitRTTIME=100", 100 }, /* µs */
                { "LimitNICE=+5", 15 },
                { "LimitNICE=-20", 40 },
                { "LimitNICE=10", 10 },
                { "LimitFSIZE=1G", UINT64_C(1073741824) },
                { "LimitNPROC=5000000000", UINT64_C(5000000000) },
                { "MemoryHigh=64M", UINT64_C(67108864) },
                { "MemoryHigh=infinity", UINT64_MAX },
                { "MemorySwapMax=0", 0 },
                { "MemorySwapMax=1T", UINT64_C(1099511627776) },
                { "MemoryLow=16K", 16384 },
                { "MemoryLow=infinity", UINT64_MAX },
                { "CPUWeight=1", 1 },
                { "CPUWeight=10000", 10000 },
                { "CPUWeight=idle", 0 },
                { "CPUWeight=", UINT64_MAX },
                { "IOWeight=500", 500 },
                { "IOWeight=", UINT64_MAX },
        };
        static const char *const bad[] = {
                "RuntimeMaxSec=", "RuntimeMaxSec=5 parsecs", "RuntimeMaxSec=-1", "CPUQuota=0%", "CPUQuota=1.234%",
                "CPUQuota=abc%", "LimitNICE=+20", "LimitNICE=41", "LimitCPU=soon", "MemoryMax=1X",
                "MemoryHigh=foo", "MemoryHigh=200%", "MemoryLow=-1", "MemorySwapMax=1X", "CPUWeight=0",
                "CPUWeight=10001", "CPUWeight=idle2", "IOWeight=0", "IOWeight=10001", "IOWeight=idle",
                "IOAccounting=maybe",
        };

        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                _cleanup_(property_value_done) PropertyValue v = { .fd = -EBADF };
                const char *reason = NULL;

                ASSERT_OK(property_value_parse(good[i].text, &v, &reason));
                TAP_POINT(v.t == good[i].t, "%s → %llu (got %llu)", good[i].text, (unsigned long long) good[i].t,
                          (unsigned long long) v.t);
        }
        /* A percentage is NameScale=u, a fraction of UINT32_MAX (UINT32_SCALE_FROM_PERMYRIAD), resolved by
         * the daemon against the host, as systemd-run sends it. */
        {
                _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();
                _cleanup_(property_value_done) PropertyValue v = { .fd = -EBADF };
                _cleanup_free_ char *msg = NULL;
                const char *reason = NULL;
                long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
                uint64_t half = (uint64_t) pages * (uint64_t) page / 2;

                ASSERT_OK(property_value_parse("MemoryMax=50%", &v, &reason));
                ASSERT_STREQ(v.info->name, "MemoryMaxScale");
                ASSERT_TRUE(v.u == UINT32_MAX / 2 + 1);
                ASSERT_OK(property_apply(s, &v, &msg));
                TAP_POINT(s->memory_max + 4096 > half && s->memory_max < half + 4096, "MemoryMax=50%% → %llu, half of %llu",
                          (unsigned long long) s->memory_max, (unsigned long long) (half * 2));
                property_value_done(&v);
                ASSERT_OK(property_value_parse("TasksMax=10%", &v, &reason));
                ASSERT_STREQ(v.info->name, "TasksMaxScale");
                ASSERT_OK(property_apply(s, &v, &msg));
                ASSERT_TRUE(s->tasks_max > 0 && s->tasks_max != UINT64_MAX);
                property_value_done(&v);
                ASSERT_ERR(property_value_parse("MemoryMax=150%", &v, &reason), -ERANGE);
                /* The other memory settings take percentages the same way. */
                ASSERT_OK(property_value_parse("MemoryHigh=50%", &v, &reason));
                ASSERT_STREQ(v.info->name, "MemoryHighScale");
                ASSERT_OK(property_apply(s, &v, &msg));
                TAP_POINT(s->memory_high == s->memory_max, "MemoryHigh=50%% → %llu, as MemoryMax=50%%",
                          (unsigned long long) s->memory_high);
                property_value_done(&v);
                ASSERT_OK(property_value_parse("MemoryLow=10%", &v, &reason));
                ASSERT_STREQ(v.info->name, "MemoryLowScale");
                ASSERT_OK(property_apply(s, &v, &msg));
                ASSERT_TRUE(s->memory_low > 0 && s->memory_low < s->memory_high);
                property_value_done(&v);
                ASSERT_OK(property_value_parse("MemorySwapMax=5%", &v, &reason));
                ASSERT_STREQ(v.info->name, "MemorySwapMaxScale");
                ASSERT_OK(property_apply(s, &v, &msg));
                ASSERT_TRUE(s->memory_swap_max > 0 && s->memory_swap_max < s->memory_low);
                property_value_done(&v);
        }
        /* Weights on the wire: UINT64_MAX unsets (back to the kernel's 100), CPUWeight's 0 is idle, the
         * rest of 1…10000 is refused with the property named, the spec unchanged. */
        {
                _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();
                PropertyValue v = { .fd = -EBADF, .info = property_info_lookup("CPUWeight") };
                _cleanup_free_ char *msg = NULL;

                ASSERT_EQ(s->cpu_weight, 100);
                v.t = 0;
                ASSERT_OK(property_apply(s, &v, &msg));
                ASSERT_EQ(s->cpu_weight, 0);
                v.t = 10001;
                ASSERT_ERR(property_apply(s, &v, &msg), -EINVAL);
                TAP_POINT(msg && strstr(msg, "CPUWeight") && s->cpu_weight == 0, "CPUWeight=10001 refused: %s", msg);
                v.t = UINT64_MAX;
                ASSERT_OK(property_apply(s, &v, &msg));
                ASSERT_EQ(s->cpu_weight, 100);
                v.info = property_info_lookup("IOWeight");
                v.t = 0;
                free(msg);
                msg = NULL;
                ASSERT_ERR(property_apply(s, &v, &msg), -EINVAL);
                TAP_POINT(msg && strstr(msg, "IOWeight") && s->io_weight == 100, "IOWeight=0 refused: %s", msg);
        }
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_(property_value_done) PropertyValue v = { .fd = -EBADF };
                const char *reason = NULL;

                TAP_POINT(property_value_parse(bad[i], &v, &reason) < 0, "%s refused (%s)", bad[i], strempty(reason));
        }
}

int main(void) {
        test_systemd_run_values();
        test_environment_escapes();
        test_lookup();
        test_parse();
        test_refused_limit_changes_nothing();
        return tap_finish();
}
