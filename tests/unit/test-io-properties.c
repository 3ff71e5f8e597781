/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* StandardInput=/Output=/Error=, StandardInputData=, EnvironmentFile= (with the env-file parser) and
 * LoadCredential=/SetCredential=: the -p forms as systemd-run sends them, the appliers' errors, and the
 * spec's serialization. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env-file.h"
#include "property-apply.h"
#include "property-text-io.h"
#include "spec-serialize.h"
#include "strv.h"
#include "tap.h"

static int apply_text(SandboxSpec *s, const char *assignment) {
        _cleanup_free_ char *message = NULL;
        return property_apply_text(s, assignment, &message);
}

/* The error's message starts with the property's name. */
static bool fails_naming(SandboxSpec *s, const char *assignment, int error, const char *name) {
        _cleanup_free_ char *message = NULL;
        int r = property_apply_text(s, assignment, &message);
        return r == error && message && strneq(message, name, strlen(name));
}

static char *parse_env(const char *text) {
        _cleanup_strv_free_ char **env = NULL;
        char *joined = NULL;
        size_t n = 0;

        if (env_file_parse(text, strlen(text), 100, &env) < 0)
                return strdup("ERROR");
        STRV_FOREACH(e, env)
                n += strlen(*e) + 1;
        joined = calloc(1, n + 1);
        STRV_FOREACH(e, env) {
                strcat(joined, *e);
                strcat(joined, "|");
        }
        return joined;
}

#define ENV_CASE(text, expected)                       \
        do {                                           \
                _cleanup_free_ char *got_ = parse_env(text); \
                ASSERT_STREQ(got_, expected);          \
        } while (0)

static void test_env_file_parser(void) {
        ENV_CASE("A=1\nB=2\n", "A=1|B=2|");
        ENV_CASE("A=1", "A=1|");                                   /* no final newline */
        ENV_CASE("  A = 1  \n", "A=1|");                           /* blanks around name and value */
        ENV_CASE("# comment\n; also\nA=1\n", "A=1|");
        ENV_CASE("# a comment \\\nA=1\nB=2\n", "B=2|");            /* \<newline> continues a comment */
        ENV_CASE("A='x  $y \\n'\n", "A=x  $y \\n|");              /* single quotes: literal */
        ENV_CASE("A=\"a \\\" \\\\ \\$ \\` \\n\"\n", "A=a \" \\ $ ` \\n|"); /* double quotes: 4 escapes */
        ENV_CASE("A=one\\\ntwo\n", "A=onetwo|");                   /* line continuation */
        ENV_CASE("A=\"one\\\ntwo\"\n", "A=onetwo|");
        ENV_CASE("A=a\\ b\\#c\n", "A=a b#c|");                     /* a backslash takes the next literally */
        ENV_CASE("A='x'\"y\"z\n", "A=xyz|");                       /* quoted parts join */
        ENV_CASE("A=1 # not a comment\n", "A=1 # not a comment|");
        ENV_CASE("NOEQUALS\nA=1\n", "A=1|");                       /* a line without = is skipped */
        ENV_CASE("1BAD=x\nA-B=y\nOK=z\n", "OK=z|");                 /* invalid names are dropped */
        ENV_CASE("A=1\nA=2\n", "A=2|");                            /* a later one replaces */
        ENV_CASE("A=\n", "A=|");
        ENV_CASE("A='unterminated\n", "A=unterminated\n|");        /* to the end, as systemd */
        ENV_CASE("\r\nA=1\r\n", "A=1|");

        _cleanup_strv_free_ char **env = NULL;
        ASSERT_ERR(env_file_parse("A=1\0B=2", 7, 10, &env), -EINVAL);
        ASSERT_ERR(env_file_parse("A=1\nB=2\nC=3\n", 12, 2, &env), -E2BIG);
}

static void test_stdio(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();

        ASSERT_STREQ(property_info_lookup("StandardOutput")->signature, "s");
        ASSERT_STREQ(property_info_lookup("StandardInputData")->signature, "ay");
        ASSERT_STREQ(property_info_lookup("StandardOutputFileToAppend")->signature, "s");

        ASSERT_OK(apply_text(s, "StandardOutput=append:/var/log/x.log"));
        ASSERT_EQ(s->stdio_mode[1], STDIO_APPEND);
        ASSERT_STREQ(s->stdio_path[1], "/var/log/x.log");
        ASSERT_OK(apply_text(s, "StandardOutput=truncate:/tmp/o"));
        ASSERT_EQ(s->stdio_mode[1], STDIO_TRUNCATE);
        ASSERT_OK(apply_text(s, "StandardOutput=file:/tmp/o"));
        ASSERT_EQ(s->stdio_mode[1], STDIO_FILE);
        ASSERT_OK(apply_text(s, "StandardOutput=null"));
        ASSERT_EQ(s->stdio_mode[1], STDIO_NULL);
        ASSERT_TRUE(s->stdio_path[1] == NULL);
        ASSERT_OK(apply_text(s, "StandardError=inherit"));
        ASSERT_EQ(s->stdio_mode[2], STDIO_INHERIT);
        ASSERT_OK(apply_text(s, "StandardInput=file:/etc/hostname"));
        ASSERT_EQ(s->stdio_mode[0], STDIO_FILE);

        ASSERT_TRUE(fails_naming(s, "StandardInput=append:/x", -EINVAL, "StandardInput"));
        ASSERT_TRUE(fails_naming(s, "StandardInput=inherit", -EINVAL, "StandardInput"));
        ASSERT_TRUE(fails_naming(s, "StandardOutput=data", -EINVAL, "StandardOutput"));
        ASSERT_TRUE(fails_naming(s, "StandardOutput=file:relative", -EINVAL, "StandardOutputFile"));
        ASSERT_TRUE(fails_naming(s, "StandardOutput=append:/a/../b", -EINVAL, "StandardOutputFileToAppend"));
        ASSERT_TRUE(fails_naming(s, "StandardOutput=journal", -EOPNOTSUPP, "StandardOutput"));
        ASSERT_TRUE(fails_naming(s, "StandardInput=tty", -EOPNOTSUPP, "StandardInput"));
        ASSERT_TRUE(fails_naming(s, "StandardError=fd:foo", -EOPNOTSUPP, "StandardError"));
        ASSERT_TRUE(fails_naming(s, "StandardOutput=bogus", -EINVAL, "StandardOutput"));
        ASSERT_EQ(s->stdio_mode[1], STDIO_NULL); /* unchanged by the failures */

        /* StandardInputText: C escapes and a newline; StandardInputData: base64; both append, "" resets. */
        ASSERT_OK(apply_text(s, "StandardInputText=a\\tb"));
        ASSERT_OK(apply_text(s, "StandardInputData=eHl6"));
        ASSERT_EQ(s->stdin_data_size, (size_t) 7);
        ASSERT_TRUE(memcmp(s->stdin_data, "a\tb\nxyz", 7) == 0);
        ASSERT_TRUE(fails_naming(s, "StandardInputData=not*base64", -EINVAL, "StandardInputData"));
        ASSERT_TRUE(fails_naming(s, "StandardInputData=QQ=X", -EINVAL, "StandardInputData"));
        ASSERT_OK(apply_text(s, "StandardInputData="));
        ASSERT_EQ(s->stdin_data_size, (size_t) 0);
        ASSERT_OK(apply_text(s, "StandardInputData=QUI="));
        ASSERT_TRUE(s->stdin_data_size == 2 && memcmp(s->stdin_data, "AB", 2) == 0);

        /* At most STDIN_DATA_MAX in all, as the bus takes at most 1 MiB per value: the 17th MiB fails. */
        ASSERT_OK(apply_text(s, "StandardInputData="));
        PropertyValue v = { .info = property_info_lookup("StandardInputData"), .fd = -EBADF,
                            .bytes = calloc(1, 1 << 20), .n_bytes = 1 << 20 };
        for (int i = 0; i < 16; i++) {
                _cleanup_free_ char *m = NULL;
                ASSERT_OK(property_apply(s, &v, &m));
        }
        _cleanup_free_ char *m = NULL;
        ASSERT_ERR(property_apply(s, &v, &m), -EINVAL);
        ASSERT_TRUE(m && strneq(m, "StandardInputData: ", 19));
        ASSERT_EQ(s->stdin_data_size, (size_t) 16 << 20);
        free(v.bytes);

        ASSERT_EQ(property_text_stdio_stream("StandardOutput=null"), 1);
        ASSERT_EQ(property_text_stdio_stream("StandardInputText=x"), 0);
        ASSERT_EQ(property_text_stdio_stream("StandardErrorFileToAppend=/x"), 2);
        ASSERT_EQ(property_text_stdio_stream("StandardOutputFileDescriptor=1"), -1);
        ASSERT_EQ(property_text_stdio_stream("Environment=A=1"), -1);
}

static void test_environment_file(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();

        ASSERT_STREQ(property_info_lookup("EnvironmentFiles")->signature, "a(sb)");
        ASSERT_OK(apply_text(s, "EnvironmentFile=/etc/a.env"));
        ASSERT_OK(apply_text(s, "EnvironmentFile=-/etc/b*.env"));
        ASSERT_EQ(strv_length(s->environment_files), (size_t) 2);
        ASSERT_STREQ(s->environment_files[1], "-/etc/b*.env");
        ASSERT_TRUE(fails_naming(s, "EnvironmentFile=relative.env", -EINVAL, "EnvironmentFiles"));
        ASSERT_TRUE(fails_naming(s, "EnvironmentFile=-/a/./b", -EINVAL, "EnvironmentFiles"));
        ASSERT_EQ(strv_length(s->environment_files), (size_t) 2);
        ASSERT_OK(apply_text(s, "EnvironmentFile="));
        ASSERT_TRUE(s->environment_files == NULL);
        for (unsigned i = 0; i < 64; i++)
                ASSERT_TRUE(apply_text(s, "EnvironmentFile=/e") == 0 || i >= 64);
        ASSERT_TRUE(fails_naming(s, "EnvironmentFile=/one-too-many", -EINVAL, "EnvironmentFiles"));
}

static void test_credentials(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new(), *back = NULL;
        _cleanup_free_ uint8_t *data = NULL;
        _cleanup_free_ char *m = NULL;
        size_t size;

        ASSERT_STREQ(property_info_lookup("LoadCredential")->signature, "a(ss)");
        ASSERT_STREQ(property_info_lookup("SetCredential")->signature, "a(say)");
        ASSERT_STREQ(property_info_lookup("SetCredentialEncrypted")->signature, "a(say)");
        ASSERT_TRUE(property_info_lookup("LoadCredentialEncrypted") == NULL);
        ASSERT_ERR(property_apply_text(s, "LoadCredentialEncrypted=a:/etc/a.cred", &m), -EOPNOTSUPP);
        ASSERT_TRUE(m && strstr(m, "LoadCredentialEncrypted") && strstr(m, "SetCredentialEncrypted=ID:BASE64"));

        ASSERT_OK(apply_text(s, "LoadCredential=key:/etc/ssl/key.pem"));
        ASSERT_OK(apply_text(s, "LoadCredential=key:/etc/other"));  /* the same ID: replaced */
        ASSERT_EQ(s->n_load_credentials, (size_t) 1);
        ASSERT_STREQ(s->load_credentials[0].path, "/etc/other");
        ASSERT_TRUE(fails_naming(s, "LoadCredential=inherited", -EOPNOTSUPP, "LoadCredential"));
        ASSERT_TRUE(fails_naming(s, "LoadCredential=a/b:/etc/x", -EINVAL, "LoadCredential"));
        ASSERT_TRUE(fails_naming(s, "LoadCredential=..:/etc/x", -EINVAL, "LoadCredential"));
        ASSERT_TRUE(fails_naming(s, "LoadCredential=a:/etc/../x", -EINVAL, "LoadCredential"));
        ASSERT_EQ(s->n_load_credentials, (size_t) 1);

        ASSERT_OK(apply_text(s, "SetCredential=pw:se\\x63ret"));
        ASSERT_EQ(s->n_set_credentials, (size_t) 1);
        ASSERT_TRUE(s->set_credentials[0].size == 6 && memcmp(s->set_credentials[0].data, "secret", 6) == 0);
        ASSERT_OK(apply_text(s, "SetCredential=pw:x:y"));             /* only the first ":" splits */
        ASSERT_TRUE(s->set_credentials[0].size == 3 && memcmp(s->set_credentials[0].data, "x:y", 3) == 0);
        ASSERT_TRUE(fails_naming(s, "SetCredential=nocolon", -EINVAL, "SetCredential"));
        ASSERT_TRUE(fails_naming(s, "SetCredential=a b:x", -EINVAL, "SetCredential"));

        /* SetCredentialEncrypted=ID:BASE64: the header is checked here, the rest when decrypted. */
        ASSERT_TRUE(fails_naming(s, "SetCredentialEncrypted=pw:Zm9v", -EINVAL, "SetCredentialEncrypted"));
        ASSERT_TRUE(fails_naming(s, "SetCredentialEncrypted=pw:not*base64", -EINVAL, "SetCredentialEncrypted"));
        ASSERT_TRUE(fails_naming(s, "SetCredentialEncrypted=nocolon", -EINVAL, "SetCredentialEncrypted"));
        /* A host-key header (id, key 32, block 1, iv 12, tag 16), the IV, then 24 + 16 bytes. */
        {
                static const char host[] = "Whxqht+dQJax1aZeCGLxmiAAAAABAAAADAAAABAAAAAAAAAAAAAAAAAAAAAA"
                                           "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";
                _cleanup_free_ char *text = NULL;
                _cleanup_free_ char *msg = NULL;

                ASSERT_TRUE(asprintf(&text, "SetCredentialEncrypted=pw:%s", host) > 0);
                ASSERT_OK(apply_text(s, text));
                ASSERT_EQ(s->n_set_credentials, (size_t) 1);      /* it replaced SetCredential=pw */
                ASSERT_TRUE(s->set_credentials[0].encrypted && s->set_credentials[0].size == 88);
                /* the same header one byte short of its tag */
                text[strlen(text) - 4] = 0;
                ASSERT_ERR(property_apply_text(s, text, &msg), -EINVAL);
                ASSERT_TRUE(msg && strstr(msg, "SetCredentialEncrypted") && strstr(msg, "truncated"));
                ASSERT_TRUE(s->set_credentials[0].encrypted && s->set_credentials[0].size == 88);
                /* a TPM2's key id: NotSupported, naming the TPM2 */
                free(msg);
                msg = NULL;
                ASSERT_ERR(property_apply_text(s, "SetCredentialEncrypted=pw:DHzAexF2RZGcSwvqCLwg/gAAAAAAAAAAAAAAAAAA"
                                                  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", &msg),
                           -EOPNOTSUPP);
                ASSERT_TRUE(msg && strstr(msg, "SetCredentialEncrypted") && strstr(msg, "TPM2"));
                /* still encrypted: never serialized for confine-exec */
                {
                        _cleanup_free_ uint8_t *blob = NULL;
                        size_t blob_size;
                        ASSERT_OK(strv_extend(&s->argv, "true"));
                        ASSERT_ERR(spec_serialize(s, &blob, &blob_size), -EBADMSG);
                        strv_free(s->argv);
                        s->argv = NULL;
                }
        }
        ASSERT_OK(apply_text(s, "SetCredential=pw:x:y"));             /* and back: the later wins */
        ASSERT_TRUE(!s->set_credentials[0].encrypted && s->set_credentials[0].size == 3);

        ASSERT_OK(strv_extend(&s->argv, "true"));
        ASSERT_OK(spec_serialize(s, &data, &size));
        ASSERT_OK(spec_deserialize(data, size, &back));
        if (!back)
                return;
        ASSERT_EQ(back->n_load_credentials, (size_t) 1);
        ASSERT_STREQ(back->load_credentials[0].id, "key");
        ASSERT_EQ(back->n_set_credentials, (size_t) 1);
        ASSERT_TRUE(back->set_credentials[0].size == 3 && memcmp(back->set_credentials[0].data, "x:y", 3) == 0);
        ASSERT_TRUE(sandbox_spec_needs_mount_namespace(back));

        ASSERT_OK(apply_text(s, "LoadCredential="));
        ASSERT_OK(apply_text(s, "SetCredential="));
        ASSERT_TRUE(!sandbox_spec_has_credentials(s));
}

static void test_serialize_io(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new(), *back = NULL;
        _cleanup_free_ uint8_t *data = NULL;
        size_t size;

        ASSERT_OK(apply_text(s, "StandardInputText=hi"));
        ASSERT_OK(apply_text(s, "StandardOutput=append:/tmp/out"));
        ASSERT_OK(apply_text(s, "StandardError=inherit"));
        ASSERT_OK(apply_text(s, "EnvironmentFile=-/etc/x.env"));
        ASSERT_OK(apply_text(s, "UnsetEnvironment=A"));
        ASSERT_OK(strv_extend(&s->argv, "true"));
        ASSERT_OK(spec_serialize(s, &data, &size));
        ASSERT_OK(spec_deserialize(data, size, &back));
        if (!back)
                return;
        ASSERT_EQ(sandbox_spec_stdin_mode(back), STDIO_DATA);
        ASSERT_TRUE(back->stdin_data_size == 3 && memcmp(back->stdin_data, "hi\n", 3) == 0);
        ASSERT_EQ(back->stdio_mode[1], STDIO_APPEND);
        ASSERT_STREQ(back->stdio_path[1], "/tmp/out");
        ASSERT_EQ(back->stdio_mode[2], STDIO_INHERIT);
        ASSERT_STREQ(back->environment_files[0], "-/etc/x.env");
        ASSERT_STREQ(back->unset_environment[0], "A");
}

int main(void) {
        test_env_file_parser();
        test_stdio();
        test_environment_file();
        test_credentials();
        test_serialize_io();
        return tap_finish();
}
