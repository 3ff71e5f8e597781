/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "exec-mount-point.h"
#include "exec-report.h"
#include "exec-stdio.h"

static const char *const stream_names[3] = { "StandardInput", "StandardOutput", "StandardError" };

static const char *file_property(int stream, StdioMode mode) {
        static const char *const suffix[] = { [STDIO_FILE] = "File", [STDIO_APPEND] = "FileToAppend",
                                              [STDIO_TRUNCATE] = "FileToTruncate" };
        static char name[64];

        snprintf(name, sizeof name, "%s%s", stream_names[stream], suffix[mode]);
        return name;
}

/* StandardInputData=: a sealed memfd, reopened read-only, so that the job can neither write nor grow
 * its standard input (systemd's acquire_data_fd() does the same for large data). */
static int data_fd(const SandboxSpec *spec) {
        char path[64];
        int fd, ro;

        fd = memfd_create("confine-stdin-data", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0)
                exec_fail(EXEC_STEP_STDIO, errno, "StandardInputData: memfd_create");
        for (size_t done = 0; done < spec->stdin_data_size;) {
                ssize_t n = write(fd, spec->stdin_data + done, spec->stdin_data_size - done);
                if (n < 0)
                        exec_fail(EXEC_STEP_STDIO, errno, "StandardInputData: write %zu bytes", spec->stdin_data_size);
                done += (size_t) n;
        }
        if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
                exec_fail(EXEC_STEP_STDIO, errno, "StandardInputData: seal");
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        ro = open(path, O_RDONLY | O_CLOEXEC);
        if (ro < 0)
                exec_fail(EXEC_STEP_STDIO, errno, "StandardInputData: reopen read-only");
        (void) close(fd);
        return ro;
}

static int open_file(const SandboxSpec *spec, int stream, StdioMode mode) {
        int flags = O_CLOEXEC | O_NOCTTY, fd;
        mode_t create_mode = 0666 & ~(mode_t) (spec->umask >= 0 ? spec->umask : 0022);

        if (stream == 0)
                flags |= O_RDONLY;
        else
                flags |= O_WRONLY | O_CREAT | (mode == STDIO_APPEND ? O_APPEND : mode == STDIO_TRUNCATE ? O_TRUNC : 0);
        exec_fs_ids_enter(spec, true);
        fd = open(spec->stdio_path[stream], flags, create_mode);
        if (fd < 0) {
                int error = errno;
                exec_fs_ids_leave(spec, true);
                exec_fail(EXEC_STEP_STDIO, error, "%s=%s", file_property(stream, mode), spec->stdio_path[stream]);
        }
        exec_fs_ids_leave(spec, true);
        return fd;
}

static void place(int fd, int stream) {
        if (fd == stream)
                return;
        if (dup2(fd, stream) < 0)
                exec_fail(EXEC_STEP_STDIO, errno, "%s: dup2", stream_names[stream]);
        (void) close(fd);
}

void exec_setup_stdio(const SandboxSpec *spec) {
        for (int stream = 0; stream < 3; stream++) {
                StdioMode mode = stream == 0 ? sandbox_spec_stdin_mode(spec) : spec->stdio_mode[stream];
                int fd;

                switch (mode) {
                case STDIO_UNSET:
                        continue;
                case STDIO_INHERIT: /* a copy of the stream before, as systemd's "inherit" */
                        if (dup2(stream - 1, stream) < 0)
                                exec_fail(EXEC_STEP_STDIO, errno, "%s=inherit", stream_names[stream]);
                        continue;
                case STDIO_NULL:
                        fd = open("/dev/null", (stream == 0 ? O_RDONLY : O_WRONLY) | O_CLOEXEC | O_NOCTTY);
                        if (fd < 0)
                                exec_fail(EXEC_STEP_STDIO, errno, "%s=null: /dev/null", stream_names[stream]);
                        break;
                case STDIO_DATA:
                        fd = data_fd(spec);
                        break;
                default:
                        /* StandardError= to the same file as StandardOutput= shares its open file, as in
                         * systemd, so that appends and offsets interleave rather than overwrite. */
                        if (stream == 2 && spec->stdio_mode[1] == mode && spec->stdio_path[1] &&
                            streq(spec->stdio_path[1], spec->stdio_path[2])) {
                                if (dup2(1, 2) < 0)
                                        exec_fail(EXEC_STEP_STDIO, errno, "%s: dup2", stream_names[stream]);
                                continue;
                        }
                        fd = open_file(spec, stream, mode);
                }
                place(fd, stream);
        }
}
