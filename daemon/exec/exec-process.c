/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <linux/keyctl.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec-process.h"
#include "exec-report.h"

void exec_apply_process_attributes(const SandboxSpec *spec) {
        if (spec->personality >= 0 && personality((unsigned long) spec->personality) < 0)
                exec_fail(EXEC_STEP_PROCESS, errno, "Personality=%s",
                          personality_to_string((unsigned long) spec->personality) ?: "?");
}

void exec_setup_keyring(const SandboxSpec *spec) {
        const char *mode = keyring_mode_to_string(spec->keyring_mode);

        if (spec->keyring_mode == KEYRING_MODE_INHERIT)
                return;
        /* A new anonymous session keyring: the job no longer possesses the daemon's (or its caller's). */
        if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL, 0, 0, 0) < 0) {
                /* A kernel without keyrings has nothing the job could inherit either. */
                if (errno == ENOSYS)
                        return;
                exec_fail(EXEC_STEP_KEYRING, errno, "KeyringMode=%s: join a new session keyring", mode);
        }
        if (spec->keyring_mode == KEYRING_MODE_SHARED &&
            syscall(SYS_keyctl, KEYCTL_LINK, KEY_SPEC_USER_KEYRING, KEY_SPEC_SESSION_KEYRING, 0, 0) < 0)
                exec_fail(EXEC_STEP_KEYRING, errno, "KeyringMode=shared: link the user keyring");
}
