/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* confined's decryption of systemd's encrypted credentials (daemon/credential-decrypt.c) against blobs
 * this test seals the way systemd 252's encrypt_credential_and_warn() does with the host key. The same
 * blobs from the real systemd-creds: tests/escape/test-credential-escapes.sh. */
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-id128.h>
#include <unistd.h>

#include "credential-decrypt.h"
#include "tap.h"

#define NOW UINT64_C(1700000000000000)

static void put_le32(uint8_t *p, uint32_t v) {
        for (int i = 0; i < 4; i++)
                p[i] = (uint8_t) (v >> (8 * i));
}

static void put_le64(uint8_t *p, uint64_t v) {
        put_le32(p, (uint32_t) v);
        put_le32(p + 4, (uint32_t) (v >> 32));
}

/* The host-key format: header (AAD), encrypted metadata and data, the tag. */
static size_t seal(const uint8_t key[32], const char *name, uint64_t timestamp, uint64_t not_after,
                   const char *data, uint8_t *out) {
        static const uint8_t id[16] = { 0x5a, 0x1c, 0x6a, 0x86, 0xdf, 0x9d, 0x40, 0x96,
                                        0xb1, 0xd5, 0xa6, 0x5e, 0x08, 0x62, 0xf1, 0x9a };
        uint8_t plain[512] = {};
        size_t name_size = strlen(name), meta = (20 + name_size + 7) & ~(size_t) 7, p = 48, n_plain;
        EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
        int n = 0;

        memset(out, 0, 48);
        memcpy(out, id, 16);
        put_le32(out + 16, 32);
        put_le32(out + 20, 1);
        put_le32(out + 24, 12);
        put_le32(out + 28, 16);
        for (int i = 0; i < 12; i++)
                out[32 + i] = (uint8_t) (i * 7 + 1);
        put_le64(plain, timestamp);
        put_le64(plain + 8, not_after);
        put_le32(plain + 16, (uint32_t) name_size);
        memcpy(plain + 20, name, name_size);
        memcpy(plain + meta, data, strlen(data));
        n_plain = meta + strlen(data);

        EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL);
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, 12, NULL);
        EVP_EncryptInit_ex(ctx, NULL, NULL, key, out + 32);
        EVP_EncryptUpdate(ctx, NULL, &n, out, (int) p);
        EVP_EncryptUpdate(ctx, out + p, &n, plain, (int) n_plain);
        p += (size_t) n;
        EVP_EncryptFinal_ex(ctx, out + p, &n);
        p += (size_t) n;
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, out + p);
        EVP_CIPHER_CTX_free(ctx);
        return p + 16;
}

static int open_with(const uint8_t key[32], const char *id, const uint8_t *blob, size_t size, const char *want) {
        uint8_t *plain = NULL;
        size_t n = 0;
        const char *why = NULL;
        int r = credential_decrypt(key, id, NOW, blob, size, &plain, &n, &why);

        if (r < 0) {
                printf("# %s: %s\n", id, why ? why : "(no reason)");
                return r;
        }
        r = want && (n != strlen(want) || memcmp(plain, want, n) != 0) ? -EIO : 0;
        credential_data_free(plain, n);
        return r;
}

static void test_decrypt(void) {
        uint8_t key[32], other[32], blob[1024];
        size_t n;

        for (int i = 0; i < 32; i++) {
                key[i] = (uint8_t) i;
                other[i] = (uint8_t) (i + 1);
        }
        n = seal(key, "pw", NOW - 1, UINT64_MAX, "s3cret", blob);
        ASSERT_OK(open_with(key, "pw", blob, n, "s3cret"));
        ASSERT_ERR(open_with(key, "other", blob, n, NULL), -EDESTADDRREQ);     /* the embedded name */
        ASSERT_ERR(open_with(other, "pw", blob, n, NULL), -EBADMSG);          /* another host's key */
        for (size_t i = 0; i < n; i += 5) {                                    /* any byte: header (AAD), */
                blob[i] ^= 0x20;                                               /* ciphertext or tag */
                ASSERT_TRUE(open_with(key, "pw", blob, n, NULL) < 0);
                blob[i] ^= 0x20;
        }
        ASSERT_ERR(open_with(key, "pw", blob, n - 1, NULL), -EBADMSG);        /* truncated */
        ASSERT_ERR(open_with(key, "pw", blob, 40, NULL), -EBADMSG);
        ASSERT_ERR(open_with(key, "pw", blob, 10, NULL), -EBADMSG);

        n = seal(key, "pw", NOW - 10, NOW - 1, "old", blob);
        ASSERT_ERR(open_with(key, "pw", blob, n, NULL), -ESTALE);             /* not_after passed */
        n = seal(key, "pw", NOW - 10, NOW + 1, "young", blob);
        ASSERT_OK(open_with(key, "pw", blob, n, "young"));
        n = seal(key, "pw", NOW + 10, NOW + 1, "x", blob);
        ASSERT_ERR(open_with(key, "pw", blob, n, NULL), -EBADMSG);            /* timestamps out of order */
        n = seal(key, "", UINT64_MAX, UINT64_MAX, "any", blob);
        ASSERT_OK(open_with(key, "whatever", blob, n, "any"));                /* no name: any ID, as systemd */
        n = seal(key, "a/b", UINT64_MAX, UINT64_MAX, "x", blob);
        ASSERT_ERR(open_with(key, "a/b", blob, n, NULL), -EBADMSG);           /* not a credential name */
        n = seal(key, "pw", UINT64_MAX, UINT64_MAX, "", blob);
        ASSERT_OK(open_with(key, "pw", blob, n, ""));                         /* empty data */

        /* A TPM2's key id is NotSupported before any key is used. */
        static const uint8_t tpm2[16] = { 0x93, 0xa8, 0x94, 0x09, 0x48, 0x74, 0x44, 0x90,
                                          0x90, 0xca, 0xf2, 0xfc, 0x93, 0xca, 0xb5, 0x53 };
        memcpy(blob, tpm2, 16);
        ASSERT_ERR(open_with(key, "pw", blob, n, NULL), -EOPNOTSUPP);
        /* The null key (--with-key=tpm2-absent) proves nothing: refused too. */
        static const uint8_t null_key[16] = { 0x05, 0x84, 0x69, 0xda, 0xf6, 0xf5, 0x43, 0x24,
                                              0x80, 0x05, 0x49, 0xda, 0x0f, 0x8e, 0xa2, 0xfb };
        memcpy(blob, null_key, 16);
        ASSERT_ERR(open_with(key, "pw", blob, n, NULL), -EOPNOTSUPP);
}

/* The key file as systemd keeps it: this machine's app-specific ID, then the secret; the key is
 * SHA-256 over the secret. */
static void test_host_key(void) {
        char dir[] = "/tmp/test-credential-key.XXXXXX", path[64];
        const sd_id128_t app = SD_ID128_MAKE(d3, ac, ec, ba, 0d, ad, 4c, df, b8, c9, 38, 15, 28, 93, 6c, 58);
        uint8_t file[16 + 64], key[32], want[32];
        const char *why = NULL;
        sd_id128_t machine;
        unsigned len = 0;
        int fd;

        if (sd_id128_get_machine_app_specific(app, &machine) < 0) {
                printf("ok - # SKIP no machine ID\n");
                return;
        }
        ASSERT_TRUE(mkdtemp(dir) != NULL);
        snprintf(path, sizeof path, "%s/secret", dir);
        setenv("SYSTEMD_CREDENTIAL_SECRET", path, 1);
        ASSERT_STREQ(credential_secret_path(), path);
        ASSERT_ERR(credential_host_key_load(key, &why), -ENOENT);

        memcpy(file, &machine, 16);
        for (int i = 0; i < 64; i++)
                file[16 + i] = (uint8_t) (i * 3);
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0400);
        ASSERT_TRUE(fd >= 0 && write(fd, file, sizeof file) == (ssize_t) sizeof file);
        close(fd);
        ASSERT_OK(credential_host_key_load(key, &why));
        EVP_Digest(file + 16, 64, want, &len, EVP_sha256(), NULL);
        ASSERT_TRUE(memcmp(key, want, 32) == 0);

        ASSERT_OK(chmod(path, 0440));
        ASSERT_ERR(credential_host_key_load(key, &why), -EPERM);               /* mode 0400 only */
        ASSERT_TRUE(why && strstr(why, "0400"));
        ASSERT_OK(chmod(path, 0400));
        file[0] ^= 1;                                                           /* another machine's */
        ASSERT_OK(unlink(path));
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0400);
        ASSERT_TRUE(fd >= 0 && write(fd, file, sizeof file) == (ssize_t) sizeof file);
        close(fd);
        ASSERT_ERR(credential_host_key_load(key, &why), -EXDEV);
        setenv("SYSTEMD_CREDENTIAL_SECRET", "relative/secret", 1);
        ASSERT_ERR(credential_host_key_load(key, &why), -EINVAL);
        unsetenv("SYSTEMD_CREDENTIAL_SECRET");
        ASSERT_STREQ(credential_secret_path(), "/var/lib/systemd/credential.secret");
        (void) unlink(path);
        (void) rmdir(dir);
}

int main(void) {
        test_decrypt();
        test_host_key();
        return tap_finish();
}
