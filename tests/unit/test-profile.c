/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Profile files merge repeated lines as a unit file does (load-fragment.c): the lines of the
 * OpenSMTPD unit, one capability a line, make one bounding set; an empty line resets a list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cap-names.h"
#include "profile.h"
#include "strv.h"
#include "tap.h"

static void write_profile(const char *dir, const char *name, const char *text) {
        char path[256];
        FILE *f;

        snprintf(path, sizeof path, "%s/%s.conf", dir, name);
        f = fopen(path, "we");
        if (f) {
                fputs(text, f);
                fclose(f);
        }
}

int main(void) {
        char dir[] = "/tmp/confine-test-profile.XXXXXX";
        char *dirs[] = { dir, NULL };
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new(), *bad = sandbox_spec_new();
        _cleanup_free_ char *msg = NULL, *msg2 = NULL;

        if (!mkdtemp(dir))
                return 1;
        write_profile(dir, "smtpd",
                      "# one capability a line, as the article writes them\n"
                      "CapabilityBoundingSet=CAP_SYS_CHROOT\n"
                      "CapabilityBoundingSet=CAP_SETUID\n"
                      "CapabilityBoundingSet=CAP_SETGID\n"
                      "Environment=A=1\n"
                      "Environment=\n"
                      "Environment=B=2\n"
                      "TemporaryFileSystem=/etc\n"
                      "BindReadOnlyPaths=/etc/passwd\n"
                      "BindReadOnlyPaths=/etc/hosts\n"
                      "ProtectSystem=full\n"
                      "ProtectSystem=strict\n");
        write_profile(dir, "broken", "User=nobody\nUser=-x\n");

        ASSERT_OK(profile_apply("smtpd", dirs, s, &msg));
        ASSERT_TRUE(s->capability_bounding_set == ((UINT64_C(1) << 18) | (UINT64_C(1) << 7) | (UINT64_C(1) << 6)));
        ASSERT_EQ(strv_length(s->environment), 1);
        ASSERT_STREQ(s->environment[0], "B=2");
        ASSERT_EQ(s->n_bind_mounts, 2);
        ASSERT_EQ(s->protect_system, PROTECT_SYSTEM_STRICT);

        /* A bad value still names the file and line. */
        ASSERT_ERR(profile_apply("broken", dirs, bad, &msg2), -EINVAL);
        ASSERT_TRUE(msg2 && strstr(msg2, "broken.conf:2"));

        {
                char path[256];
                snprintf(path, sizeof path, "%s/smtpd.conf", dir);
                unlink(path);
                snprintf(path, sizeof path, "%s/broken.conf", dir);
                unlink(path);
                rmdir(dir);
        }
        return tap_finish();
}
