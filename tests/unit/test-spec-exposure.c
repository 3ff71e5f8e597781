/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The exposure report: systemd-analyze security's checks judged on a spec, and the broker's findings.
 * Specs are built from -p text, as a caller gives them. */
#include <stdlib.h>

#include "property-apply.h"
#include "spec-exposure.h"
#include "strv.h"
#include "tap.h"

static char *bus_paths[] = { (char *) "/run/dbus/system_bus_socket", NULL };

static SandboxSpec *spec_of(const char *const *assignments) {
        SandboxSpec *s = sandbox_spec_new();

        s->uid = 1000;
        s->gid = 1000;
        for (const char *const *a = assignments; a && *a; a++) {
                _cleanup_free_ char *msg = NULL;
                if (property_apply_text(s, *a, &msg) < 0) {
                        TAP_POINT(false, "apply %s: %s", *a, msg ?: "?");
                        return s;
                }
        }
        return s;
}

static const ExposureCheck *find_check(const ExposureReport *r, const char *name) {
        for (size_t i = 0; i < r->n_checks; i++)
                if (streq(r->checks[i].name, name))
                        return &r->checks[i];
        return NULL;
}

static const ExposureFinding *find_finding(const ExposureReport *r, const char *id) {
        for (size_t i = 0; i < r->n_findings; i++)
                if (streq(r->findings[i].id, id))
                        return &r->findings[i];
        return NULL;
}

static uint32_t badness_of(const char *const *assignments, const char *check) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = spec_of(assignments);
        ExposureReport r;
        uint32_t b;

        if (exposure_report_build(s, bus_paths, &r) < 0)
                return UINT32_MAX - 1;
        b = find_check(&r, check) ? find_check(&r, check)->badness : UINT32_MAX - 1;
        exposure_report_done(&r);
        return b;
}

/* The score's numerator (over a fixed Σweight, as long as no check turns not applicable): it moves
 * with every check, where the score's tenths may not. */
static uint64_t badness_sum_of(const char *const *assignments, uint32_t *ret_exposure) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = spec_of(assignments);
        ExposureReport r;
        uint64_t b;

        if (exposure_report_build(s, bus_paths, &r) < 0)
                return UINT64_MAX;
        b = r.badness_sum;
        *ret_exposure = r.exposure;
        exposure_report_done(&r);
        return b;
}

/* The table is systemd 252's: 81 checks, whose weights sum to 56460 (tests/bus/test-analyze.py compares
 * each one with the installed systemd-analyze). */
static void test_table(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = spec_of(NULL);
        uint64_t weights = 0;
        ExposureReport r;

        ASSERT_OK(exposure_report_build(s, bus_paths, &r));
        ASSERT_EQ(r.n_checks, exposure_checks_count());
        for (size_t i = 0; i < r.n_checks; i++) {
                weights += r.checks[i].weight;
                for (size_t j = 0; j < i; j++)
                        if (streq(r.checks[i].name, r.checks[j].name))
                                TAP_POINT(false, "check %s twice", r.checks[i].name);
                if (r.checks[i].badness != EXPOSURE_NOT_APPLICABLE && r.checks[i].badness > r.checks[i].range)
                        TAP_POINT(false, "%s: badness %u over range %u", r.checks[i].name, r.checks[i].badness,
                                  r.checks[i].range);
        }
        ASSERT_EQ(r.n_checks, (size_t) 81);
        ASSERT_EQ(weights, (uint64_t) 56460);
        exposure_report_done(&r);
}

/* Each property, added on top of the ones before, lowers the exposure: every one of these is read by
 * a check. The score in tenths never rises, and falls over the whole way. */
static void test_score_moves_down(void) {
        static const char *const steps[] = {
                "PrivateNetwork=yes", "PrivateTmp=yes", "PrivateDevices=yes", "ProtectSystem=full",
                "ProtectSystem=strict", "ProtectHome=read-only", "ProtectHome=yes", "ProtectKernelTunables=yes",
                "ProtectKernelModules=yes", "ProtectControlGroups=yes", "ProtectHostname=yes",
                "NoNewPrivileges=yes", "CapabilityBoundingSet=~CAP_SYS_ADMIN", "CapabilityBoundingSet=",
                "RestrictSUIDSGID=yes", "RestrictRealtime=yes", "LockPersonality=yes", "MemoryDenyWriteExecute=yes",
                "RestrictNamespaces=~user", "RestrictNamespaces=yes", "RestrictAddressFamilies=AF_UNIX",
                "RestrictAddressFamilies=~AF_UNIX", "SystemCallArchitectures=native",
                "SystemCallFilter=@system-service", "SystemCallFilter=~@privileged @resources",
                "ProtectProc=noaccess", "ProtectProc=invisible", "ProcSubset=pid", "UMask=0027", "UMask=0077",
                "PrivateIPC=yes",
                NULL,
        };
        const char *applied[ELEMENTSOF(steps)] = {};
        uint32_t first, before, after;
        uint64_t sum_before = badness_sum_of(NULL, &before), sum_after;

        first = before;
        TAP_POINT(before > 80, "a bare request is exposed: %u.%u", before / 10, before % 10);
        for (size_t i = 0; steps[i]; i++) {
                applied[i] = steps[i];
                sum_after = badness_sum_of(applied, &after);
                TAP_POINT(sum_after < sum_before && after <= before, "%s lowers the exposure: %u.%u → %u.%u",
                          steps[i], before / 10, before % 10, after / 10, after % 10);
                before = after;
                sum_before = sum_after;
        }
        TAP_POINT(after < 15 && after < first, "all of them: %u.%u → %u.%u", first / 10, first % 10, after / 10,
                  after % 10);
        /* Loosening raises it again. */
        TAP_POINT(badness_sum_of((const char *const[]) { "PrivateNetwork=yes", NULL }, &after) <
                  badness_sum_of((const char *const[]) { "PrivateNetwork=yes", "PrivateNetwork=no", NULL }, &after),
                  "PrivateNetwork=no after yes raises the exposure");
}

static void test_checks(void) {
        ASSERT_EQ(badness_of(NULL, "PrivateNetwork="), 1u);
        ASSERT_EQ(badness_of((const char *const[]) { "PrivateNetwork=yes", NULL }, "PrivateNetwork="), 0u);
        ASSERT_EQ(badness_of(NULL, "ProtectSystem="), 10u);
        ASSERT_EQ(badness_of((const char *const[]) { "ProtectSystem=yes", NULL }, "ProtectSystem="), 5u);
        ASSERT_EQ(badness_of((const char *const[]) { "ProtectSystem=full", NULL }, "ProtectSystem="), 3u);
        ASSERT_EQ(badness_of((const char *const[]) { "ProtectHome=tmpfs", NULL }, "ProtectHome="), 1u);
        ASSERT_EQ(badness_of((const char *const[]) { "ProtectProc=noaccess", NULL }, "ProtectProc="), 1u);
        ASSERT_EQ(badness_of((const char *const[]) { "ProtectProc=ptraceable", NULL }, "ProtectProc="), 0u);
        ASSERT_EQ(badness_of(NULL, "UMask="), 5u);
        ASSERT_EQ(badness_of((const char *const[]) { "UMask=0000", NULL }, "UMask="), 10u);
        ASSERT_EQ(badness_of((const char *const[]) { "UMask=0007", NULL }, "UMask="), 2u);
        /* An allow-list that lets one call of a group through is 9, as in systemd; a deny-list missing one 10. */
        ASSERT_EQ(badness_of((const char *const[]) { "SystemCallFilter=@system-service", NULL },
                             "SystemCallFilter=~@privileged"), 9u);
        ASSERT_EQ(badness_of((const char *const[]) { "SystemCallFilter=@system-service", NULL },
                             "SystemCallFilter=~@mount"), 0u);
        ASSERT_EQ(badness_of((const char *const[]) { "SystemCallFilter=~@mount", NULL }, "SystemCallFilter=~@mount"), 0u);
        ASSERT_EQ(badness_of((const char *const[]) { "SystemCallFilter=~mount", NULL }, "SystemCallFilter=~@mount"), 10u);
        ASSERT_EQ(badness_of(NULL, "SystemCallFilter=~@swap"), 10u);
        /* RestrictAddressFamilies= as systemd reads it: a deny-list naming one exotic family restricts "other". */
        ASSERT_EQ(badness_of((const char *const[]) { "RestrictAddressFamilies=AF_UNIX", NULL },
                             "RestrictAddressFamilies=~AF_UNIX"), 1u);
        ASSERT_EQ(badness_of((const char *const[]) { "RestrictAddressFamilies=AF_UNIX", NULL },
                             "RestrictAddressFamilies=~AF_(INET|INET6)"), 0u);
        ASSERT_EQ(badness_of((const char *const[]) { "RestrictAddressFamilies=~AF_INET6", NULL },
                             "RestrictAddressFamilies=~AF_(INET|INET6)"), 0u);
        ASSERT_EQ(badness_of((const char *const[]) { "RestrictAddressFamilies=~AF_INET6", NULL },
                             "RestrictAddressFamilies=~AF_PACKET"), 1u);
        ASSERT_EQ(badness_of((const char *const[]) { "RestrictNamespaces=~user", NULL }, "RestrictNamespaces=~user"), 0u);
        ASSERT_EQ(badness_of((const char *const[]) { "RestrictNamespaces=~user", NULL }, "RestrictNamespaces=~net"), 1u);
        ASSERT_EQ(badness_of((const char *const[]) { "CapabilityBoundingSet=CAP_NET_RAW", NULL },
                             "CapabilityBoundingSet=~CAP_NET_(BIND_SERVICE|BROADCAST|RAW)"), 1u);
        ASSERT_EQ(badness_of((const char *const[]) { "CapabilityBoundingSet=CAP_NET_RAW", NULL },
                             "CapabilityBoundingSet=~CAP_SYS_ADMIN"), 0u);
        ASSERT_EQ(badness_of((const char *const[]) { "DeviceAllow=/dev/null r", NULL }, "DeviceAllow="), 10u);
        ASSERT_EQ(badness_of((const char *const[]) { "DevicePolicy=strict", "DeviceAllow=/dev/null r", NULL },
                             "DeviceAllow="), 5u);
        ASSERT_EQ(badness_of((const char *const[]) { "PrivateDevices=yes", NULL }, "DeviceAllow="), 0u);
        ASSERT_EQ(badness_of(NULL, "PrivateMounts="), 1u);
        ASSERT_EQ(badness_of((const char *const[]) { "PrivateTmp=yes", NULL }, "PrivateMounts="), 0u);
        ASSERT_EQ(badness_of((const char *const[]) { "RootDirectory=/srv", NULL }, "RootDirectory=/RootImage="), 0u);
        ASSERT_EQ(badness_of(NULL, "User=/DynamicUser="), 0u);
        ASSERT_EQ(badness_of(NULL, "Delegate="), 0u);
        ASSERT_EQ(badness_of(NULL, "IPAddressDeny="), 10u);
        ASSERT_EQ(badness_of((const char *const[]) { "IPAddressDeny=0.0.0.0/0", NULL }, "IPAddressDeny="), 10u);
        ASSERT_EQ(badness_of((const char *const[]) { "IPAddressDeny=any", "IPAddressAllow=10.0.0.0/8", NULL },
                             "IPAddressDeny="), 5u);
        ASSERT_EQ(badness_of((const char *const[]) { "IPAddressDeny=any", "IPAddressAllow=localhost", NULL },
                             "IPAddressDeny="), 2u);
        ASSERT_EQ(badness_of((const char *const[]) { "IPAddressDeny=any", NULL }, "IPAddressDeny="), 0u);
}

static void test_identity(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *root = spec_of(NULL), *nobody = spec_of(NULL);
        ExposureReport r;

        root->uid = 0;
        ASSERT_OK(exposure_report_build(root, NULL, &r));
        ASSERT_EQ(find_check(&r, "User=/DynamicUser=")->badness, 10u);
        ASSERT_EQ(find_check(&r, "SupplementaryGroups=")->badness, EXPOSURE_NOT_APPLICABLE);
        ASSERT_EQ(find_check(&r, "RemoveIPC=")->badness, EXPOSURE_NOT_APPLICABLE);
        exposure_report_done(&r);

        nobody->uid = 65534;
        ASSERT_OK(exposure_report_build(nobody, NULL, &r));
        ASSERT_EQ(find_check(&r, "User=/DynamicUser=")->badness, 9u);
        ASSERT_EQ(find_check(&r, "RemoveIPC=")->badness, 1u);
        exposure_report_done(&r);
}

static void test_findings(void) {
        ExposureReport r;

        {
                _cleanup_(sandbox_spec_freep) SandboxSpec *s = spec_of(NULL);
                ASSERT_OK(exposure_report_build(s, bus_paths, &r));
                ASSERT_TRUE(find_finding(&r, "signal-other-processes") != NULL);
                ASSERT_TRUE(find_finding(&r, "host-network") != NULL);
                ASSERT_TRUE(find_finding(&r, "system-bus-reachable") != NULL);
                ASSERT_STREQ(find_finding(&r, "signal-other-processes")->property, "PrivatePIDs");
                exposure_report_done(&r);
        }
        {
                /* ProtectSystem=strict leaves the socket writable: connect() still works. */
                _cleanup_(sandbox_spec_freep) SandboxSpec *s = spec_of((const char *const[]) {
                        "PrivatePIDs=yes", "PrivateNetwork=yes", "ProtectSystem=strict", NULL });
                ASSERT_OK(exposure_report_build(s, bus_paths, &r));
                ASSERT_TRUE(find_finding(&r, "signal-other-processes") == NULL);
                ASSERT_TRUE(find_finding(&r, "host-network") == NULL);
                ASSERT_TRUE(find_finding(&r, "system-bus-reachable") != NULL);
                exposure_report_done(&r);
        }
        static const char *const hiding[] = {
                "InaccessiblePaths=/run/dbus", "InaccessiblePaths=/run", "TemporaryFileSystem=/run",
                "RestrictAddressFamilies=AF_INET", "RestrictAddressFamilies=~AF_UNIX", "RootDirectory=/srv", NULL,
        };
        for (size_t i = 0; hiding[i]; i++) {
                _cleanup_(sandbox_spec_freep) SandboxSpec *s = spec_of((const char *const[]) { hiding[i], NULL });
                ASSERT_OK(exposure_report_build(s, bus_paths, &r));
                TAP_POINT(!find_finding(&r, "system-bus-reachable"), "%s hides the system bus", hiding[i]);
                exposure_report_done(&r);
        }
        static const char *const not_hiding[] = {
                "InaccessiblePaths=/run/dbusx", "InaccessiblePaths=/run/user", "ReadOnlyPaths=/run", "PrivateTmp=yes", NULL,
        };
        for (size_t i = 0; not_hiding[i]; i++) {
                _cleanup_(sandbox_spec_freep) SandboxSpec *s = spec_of((const char *const[]) { not_hiding[i], NULL });
                ASSERT_OK(exposure_report_build(s, bus_paths, &r));
                TAP_POINT(find_finding(&r, "system-bus-reachable") != NULL, "%s leaves the system bus reachable",
                          not_hiding[i]);
                exposure_report_done(&r);
        }
}

static void test_levels(void) {
        ASSERT_STREQ(exposure_level_name(0), "PERFECT");
        ASSERT_STREQ(exposure_level_name(5), "SAFE");
        ASSERT_STREQ(exposure_level_name(59), "MEDIUM");
        ASSERT_STREQ(exposure_level_name(91), "UNSAFE");
        ASSERT_STREQ(exposure_level_name(100), "DANGEROUS");
}

int main(void) {
        test_table();
        test_score_moves_down();
        test_checks();
        test_identity();
        test_findings();
        test_levels();
        return tap_finish();
}
