/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>

#include "cap-names.h"
#include "spec-serialize.h"
#include "strv.h"
#include "tap.h"

static SandboxSpec *make_spec(void) {
        SandboxSpec *s = sandbox_spec_new();
        static gid_t groups[] = { 10, 20 };

        strv_extend(&s->argv, "/bin/echo");
        strv_extend(&s->argv, "hello\nworld");
        strv_extend(&s->environment, "PATH=/bin");
        s->working_directory = strdup("/srv");
        s->uid = 1000;
        s->gid = 1001;
        s->groups = malloc(sizeof groups);
        memcpy(s->groups, groups, sizeof groups);
        s->n_groups = 2;
        s->no_new_privileges = 1;
        s->capability_bounding_set = 1u << 12;
        s->private_network = true;
        s->syscall_filter_mode = 0;
        strv_extend(&s->syscall_names, "chroot:117"); /* a per-call errno travels in the name */
        s->syscall_log_mode = 1;
        strv_extend(&s->syscall_log_names, "uname");
        sandbox_spec_add_extra_fd(s, -EBADF, "socket");
        return s;
}

static void test_roundtrip(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = make_spec(), *back = NULL;
        _cleanup_free_ uint8_t *data = NULL;
        size_t size;

        ASSERT_OK(spec_serialize(s, &data, &size));
        ASSERT_OK(spec_deserialize(data, size, &back));
        ASSERT_EQ(strv_length(back->argv), 2);
        ASSERT_STREQ(back->argv[1], "hello\nworld");
        ASSERT_STREQ(back->environment[0], "PATH=/bin");
        ASSERT_STREQ(back->working_directory, "/srv");
        ASSERT_EQ(back->uid, 1000);
        ASSERT_EQ(back->gid, 1001);
        ASSERT_EQ(back->n_groups, 2);
        ASSERT_EQ(back->groups[1], 20);
        ASSERT_EQ(back->no_new_privileges, 1);
        ASSERT_EQ(back->capability_bounding_set, 1u << 12);
        ASSERT_TRUE(back->private_network);
        ASSERT_TRUE(!back->private_tmp);
        ASSERT_EQ(back->n_extra_fds, 1);
        ASSERT_STREQ(back->extra_fds[0].name, "socket");
        ASSERT_EQ(back->syscall_filter_mode, 0);
        ASSERT_STREQ(back->syscall_names[0], "chroot:117");
        ASSERT_EQ(back->syscall_log_mode, 1);
        ASSERT_STREQ(back->syscall_log_names[0], "uname");
}

static void test_corrupt(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = make_spec();
        _cleanup_free_ uint8_t *data = NULL;
        SandboxSpec *back = NULL;
        size_t size;
        unsigned rejected = 0, accepted = 0;

        ASSERT_OK(spec_serialize(s, &data, &size));

        /* Every truncation is refused or yields a valid spec; none crashes (ASan watches). */
        for (size_t l = 0; l < size; l++) {
                if (spec_deserialize(data, l, &back) < 0)
                        rejected++;
                else {
                        accepted++;
                        back = sandbox_spec_free(back);
                }
        }
        ASSERT_TRUE(rejected > 0);
        ASSERT_ERR(spec_deserialize(data, 11, &back), -EBADMSG);

        /* A length field pointing past the end. */
        uint8_t *copy = malloc(size);
        memcpy(copy, data, size);
        uint32_t huge = 0x7fffffff;
        memcpy(copy + 12 + 4, &huge, 4);
        ASSERT_ERR(spec_deserialize(copy, size, &back), -EBADMSG);

        /* An unknown tag. */
        memcpy(copy, data, size);
        uint32_t tag = 999;
        memcpy(copy + 12, &tag, 4);
        ASSERT_ERR(spec_deserialize(copy, size, &back), -EBADMSG);

        /* A bad magic. */
        memcpy(copy, data, size);
        copy[8] ^= 0xff;
        ASSERT_ERR(spec_deserialize(copy, size, &back), -EBADMSG);
        free(copy);
        (void) accepted;
}

/* A spec with one seccomp program record of the given what and code size, serialized. */
static int serialize_with_program(const char *what, size_t code_size, uint8_t **ret, size_t *ret_size) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = make_spec();

        s->seccomp_programs = calloc(1, sizeof(SeccompProgram));
        s->seccomp_programs[0] = (SeccompProgram) {
                .what = strdup(what), .code = calloc(1, code_size ?: 1), .size = code_size,
        };
        s->n_seccomp_programs = 1;
        return spec_serialize(s, ret, ret_size);
}

static void test_seccomp_programs(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = make_spec(), *back = NULL;
        _cleanup_free_ uint8_t *data = NULL;
        SandboxSpec *bad = NULL;
        size_t size;

        s->seccomp_programs = calloc(2, sizeof(SeccompProgram));
        s->seccomp_programs[0] = (SeccompProgram) { .what = strdup("A= (x86)"), .code = strdup("12345678"), .size = 8 };
        s->seccomp_programs[1] = (SeccompProgram) { .what = strdup("B= (x86-64)"), .code = calloc(1, 16), .size = 16 };
        s->n_seccomp_programs = 2;
        ASSERT_OK(spec_serialize(s, &data, &size));
        ASSERT_OK(spec_deserialize(data, size, &back));
        ASSERT_EQ(back->n_seccomp_programs, 2);
        ASSERT_STREQ(back->seccomp_programs[0].what, "A= (x86)");
        ASSERT_EQ(back->seccomp_programs[0].size, 8);
        ASSERT_TRUE(memcmp(back->seccomp_programs[0].code, "12345678", 8) == 0);
        ASSERT_STREQ(back->seccomp_programs[1].what, "B= (x86-64)");
        ASSERT_EQ(back->seccomp_programs[1].size, 16);

        /* Not whole instructions, no instruction, more than BPF_MAXINSNS, no name: refused. */
        free(data);
        ASSERT_OK(serialize_with_program("A=", 12, &data, &size));
        ASSERT_ERR(spec_deserialize(data, size, &bad), -EBADMSG);
        free(data);
        ASSERT_OK(serialize_with_program("A=", 0, &data, &size));
        ASSERT_ERR(spec_deserialize(data, size, &bad), -EBADMSG);
        free(data);
        ASSERT_OK(serialize_with_program("A=", 4097 * 8, &data, &size));
        ASSERT_ERR(spec_deserialize(data, size, &bad), -EBADMSG);
        free(data);
        ASSERT_OK(serialize_with_program("", 8, &data, &size));
        ASSERT_ERR(spec_deserialize(data, size, &bad), -EBADMSG);
        free(data);
        data = NULL;
}

static void test_netns_fd(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = make_spec(), *back = NULL, *none = NULL;
        _cleanup_free_ uint8_t *data = NULL;
        SandboxSpec *bad = NULL;
        size_t size;

        /* Unset: not sent, -1 on the other side. */
        ASSERT_OK(spec_serialize(s, &data, &size));
        ASSERT_OK(spec_deserialize(data, size, &none));
        ASSERT_EQ(none->netns_fd, -1);
        free(data);

        s->netns_fd = 7;
        ASSERT_OK(spec_serialize(s, &data, &size));
        ASSERT_OK(spec_deserialize(data, size, &back));
        ASSERT_EQ(back->netns_fd, 7);
        free(data);

        /* An fd where stdio lives is refused. */
        s->netns_fd = 2;
        ASSERT_OK(spec_serialize(s, &data, &size));
        ASSERT_ERR(spec_deserialize(data, size, &bad), -EBADMSG);
}

static void test_memfd_sealed(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = make_spec(), *back = NULL;
        _cleanup_close_ int fd = -EBADF;

        ASSERT_OK(spec_serialize_to_memfd(s, &fd));
        ASSERT_EQ(fcntl(fd, F_GET_SEALS) & (F_SEAL_WRITE | F_SEAL_SEAL), F_SEAL_WRITE | F_SEAL_SEAL);
        ASSERT_TRUE(write(fd, "x", 1) < 0);
        ASSERT_OK(spec_deserialize_from_fd(fd, &back));
        ASSERT_STREQ(back->argv[0], "/bin/echo");
}

int main(void) {
        test_roundtrip();
        test_corrupt();
        test_seccomp_programs();
        test_netns_fd();
        test_memfd_sealed();
        return tap_finish();
}
