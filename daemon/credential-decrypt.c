/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Decrypting SetCredentialEncrypted= with the host's key (docs/design.md, "What the job reads and
 * writes by path"). confined holds the key, so this is a decryption oracle for whoever may call it:
 * Spawn asks spawn-privileged for any encrypted credential (spawn-tier.c) and decrypts only once that
 * is granted, right before the job starts. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <systemd/sd-id128.h>

#include "bus-util.h"
#include "credential-decrypt.h"
#include "macro.h"
#include "parse-util.h"
#include "property-appliers.h"

#define HOST_SECRET_DEFAULT "/var/lib/systemd/credential.secret"
#define HOST_SECRET_SIZE_MAX (16u * 1024u * 1024u)

/* systemd's credential_app_id: the secret file begins with the machine ID hashed with it. */
#define CREDENTIAL_APP_ID SD_ID128_MAKE(d3, ac, ec, ba, 0d, ad, 4c, df, b8, c9, 38, 15, 28, 93, 6c, 58)

const char *credential_secret_path(void) {
        const char *e = secure_getenv("SYSTEMD_CREDENTIAL_SECRET");
        return e ?: HOST_SECRET_DEFAULT;
}

#define FAIL(e, why) do { if (ret_reason) *ret_reason = (why); return -(e); } while (0)

int credential_host_key_load(uint8_t ret_key[CREDENTIAL_KEY_SIZE], const char **ret_reason) {
        const char *path = credential_secret_path();
        _cleanup_close_ int fd = -EBADF;
        sd_id128_t machine, stored;
        uint8_t *buf = NULL;
        unsigned digest_size = 0;
        struct stat st;
        ssize_t n;
        int r;

        if (!path_is_normalized_absolute(path))
                FAIL(EINVAL, "$SYSTEMD_CREDENTIAL_SECRET is not an absolute, normalized path");
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);
        if (fd < 0)
                FAIL(errno, strerror(errno));
        if (fstat(fd, &st) < 0)
                FAIL(errno, strerror(errno));
        if (!S_ISREG(st.st_mode))
                FAIL(EINVAL, "not a regular file");
        if (st.st_nlink != 1)
                FAIL(EPERM, "not linked exactly once");
        if ((st.st_mode & 07777) != 0400)
                FAIL(EPERM, "its mode is not 0400");
        if (st.st_size < 17 || (uint64_t) st.st_size > HOST_SECRET_SIZE_MAX)
                FAIL(EINVAL, "its size is not that of a credential secret");
        buf = malloc((size_t) st.st_size + 1);
        if (!buf)
                FAIL(ENOMEM, "out of memory");
        n = read(fd, buf, (size_t) st.st_size + 1);
        r = n < 0 ? -errno : n != st.st_size ? -EIO : 0;
        if (r == 0) {
                memcpy(&stored, buf, sizeof stored);
                r = sd_id128_get_machine_app_specific(CREDENTIAL_APP_ID, &machine);
                if (r >= 0 && !sd_id128_equal(machine, stored))
                        r = -EXDEV;
        }
        if (r == 0 && EVP_Digest(buf + 16, (size_t) st.st_size - 16, ret_key, &digest_size, EVP_sha256(), NULL) != 1)
                r = -EIO;
        OPENSSL_cleanse(buf, (size_t) st.st_size + 1);
        free(buf);
        if (r == -EXDEV)
                FAIL(EXDEV, "it was made for another machine ID");
        if (r < 0)
                FAIL(-r, "cannot be read");
        return 0;
}

void credential_data_free(uint8_t *data, size_t size) {
        if (!data)
                return;
        OPENSSL_cleanse(data, size);
        free(data);
}

int credential_decrypt(const uint8_t key[CREDENTIAL_KEY_SIZE], const char *id, uint64_t now_usec,
                       const uint8_t *blob, size_t size, uint8_t **ret, size_t *ret_size, const char **ret_reason) {
        EVP_CIPHER_CTX *ctx = NULL;
        CredentialHeader h;
        uint8_t *plain = NULL, *out = NULL;
        size_t offset = 0;
        int r, n = 0, done = 0;

        r = credential_header_parse(blob, size, &h, ret_reason);
        if (r < 0)
                return r;
        plain = malloc(h.ciphertext_size ?: 1);
        ctx = EVP_CIPHER_CTX_new();
        if (!plain || !ctx) {
                r = -ENOMEM;
                if (ret_reason)
                        *ret_reason = "out of memory";
                goto finish;
        }
        /* The whole header authenticated, the rest decrypted, the tag last, as systemd writes them. */
        if (EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, (int) h.iv_size, NULL) != 1 ||
            EVP_DecryptInit_ex(ctx, NULL, NULL, key, h.iv) != 1 ||
            EVP_DecryptUpdate(ctx, NULL, &n, blob, (int) h.aad_size) != 1 ||
            EVP_DecryptUpdate(ctx, plain, &done, blob + h.aad_size, (int) h.ciphertext_size) != 1 ||
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, CREDENTIAL_TAG_SIZE,
                                (void *) (blob + size - CREDENTIAL_TAG_SIZE)) != 1 ||
            EVP_DecryptFinal_ex(ctx, plain + done, &n) != 1) {
                r = -EBADMSG;
                if (ret_reason)
                        *ret_reason = "it does not decrypt with this host's key (corrupted, or for another host)";
                goto finish;
        }
        done += n;
        r = credential_metadata_check(plain, (size_t) done, id, now_usec, &offset, ret_reason);
        if (r < 0)
                goto finish;
        out = malloc((size_t) done - offset + 1);
        if (!out) {
                r = -ENOMEM;
                if (ret_reason)
                        *ret_reason = "out of memory";
                goto finish;
        }
        memcpy(out, plain + offset, (size_t) done - offset);
        *ret = out;
        *ret_size = (size_t) done - offset;
        r = 0;
finish:
        EVP_CIPHER_CTX_free(ctx);
        credential_data_free(plain, h.ciphertext_size ?: 1);
        return r;
}

static bool spec_has_encrypted(const SandboxSpec *spec) {
        for (size_t i = 0; i < spec->n_set_credentials; i++)
                if (spec->set_credentials[i].encrypted)
                        return true;
        return false;
}

static int key_error(sd_bus_error *error, const char *why) {
        return sd_bus_error_setf(error, CONFINE_ERROR_NOT_SUPPORTED,
                                 "SetCredentialEncrypted: confined has no host key to decrypt with: %s: %s",
                                 credential_secret_path(), why);
}

int spec_check_credential_key(const SandboxSpec *spec, sd_bus_error *error) {
        uint8_t key[CREDENTIAL_KEY_SIZE];
        const char *why = NULL;
        int r;

        if (!spec_has_encrypted(spec))
                return 0;
        r = credential_host_key_load(key, &why);
        OPENSSL_cleanse(key, sizeof key);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return key_error(error, why);
        return 0;
}

int spec_decrypt_credentials(SandboxSpec *spec, sd_bus_error *error) {
        uint8_t key[CREDENTIAL_KEY_SIZE];
        struct timespec ts;
        const char *why = NULL;
        uint64_t now;
        int r;

        if (!spec_has_encrypted(spec))
                return 0;
        r = credential_host_key_load(key, &why);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                OPENSSL_cleanse(key, sizeof key);
                return key_error(error, why);
        }
        (void) clock_gettime(CLOCK_REALTIME, &ts);
        now = (uint64_t) ts.tv_sec * UINT64_C(1000000) + (uint64_t) ts.tv_nsec / 1000;

        for (size_t i = 0; i < spec->n_set_credentials; i++) {
                SetCredential *c = spec->set_credentials + i;
                uint8_t *plain = NULL;
                size_t size = 0;

                if (!c->encrypted)
                        continue;
                r = credential_decrypt(key, c->id, now, c->data, c->size, &plain, &size, &why);
                if (r == -ENOMEM)
                        break;
                if (r < 0) {
                        r = sd_bus_error_setf(error, r == -EOPNOTSUPP ? CONFINE_ERROR_NOT_SUPPORTED :
                                                     CONFINE_ERROR_INVALID_PROPERTY,
                                              "SetCredentialEncrypted: credential \"%s\": %s", c->id, why);
                        break;
                }
                if (size > CREDENTIAL_SIZE_MAX) {
                        credential_data_free(plain, size);
                        r = sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY,
                                              "SetCredentialEncrypted: credential \"%s\" is larger than %u bytes "
                                              "decrypted", c->id, CREDENTIAL_SIZE_MAX);
                        break;
                }
                free(c->data);
                c->data = plain;
                c->size = size;
                c->encrypted = false;
        }
        OPENSSL_cleanse(key, sizeof key);
        return r < 0 ? r : 0;
}
