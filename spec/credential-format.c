/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "credential-format.h"
#include "macro.h"
#include "property-appliers.h"

#define ALIGN8(n) (((n) + 7u) & ~(size_t) 7u)
#define HEADER_FIXED 32u           /* id, key_size, block_size, iv_size, tag_size */
#define METADATA_FIXED 20u         /* timestamp, not_after, name_size */
#define FIELD_SIZE_MAX (16u * 1024u)

static const uint8_t key_host[16] = { 0x5a, 0x1c, 0x6a, 0x86, 0xdf, 0x9d, 0x40, 0x96,
                                      0xb1, 0xd5, 0xa6, 0x5e, 0x08, 0x62, 0xf1, 0x9a };
static const uint8_t key_null[16] = { 0x05, 0x84, 0x69, 0xda, 0xf6, 0xf5, 0x43, 0x24,
                                      0x80, 0x05, 0x49, 0xda, 0x0f, 0x8e, 0xa2, 0xfb };
/* TPM2 HMAC alone and with the host key, each also with a signed PCR policy (systemd 252). */
static const uint8_t key_tpm2[4][16] = {
        { 0x0c, 0x7c, 0xc0, 0x7b, 0x11, 0x76, 0x45, 0x91, 0x9c, 0x4b, 0x0b, 0xea, 0x08, 0xbc, 0x20, 0xfe },
        { 0xfa, 0xf7, 0xeb, 0x93, 0x41, 0xe3, 0x41, 0x2c, 0xa1, 0xa4, 0x36, 0xf9, 0x5a, 0x29, 0x36, 0x2f },
        { 0x93, 0xa8, 0x94, 0x09, 0x48, 0x74, 0x44, 0x90, 0x90, 0xca, 0xf2, 0xfc, 0x93, 0xca, 0xb5, 0x53 },
        { 0xaf, 0x49, 0x50, 0xa8, 0x49, 0x13, 0x4e, 0xb1, 0xa7, 0x38, 0x46, 0x30, 0x4f, 0xf3, 0x0c, 0x05 },
};

static uint32_t le32_at(const uint8_t *p) {
        return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static uint64_t le64_at(const uint8_t *p) {
        return (uint64_t) le32_at(p) | (uint64_t) le32_at(p + 4) << 32;
}

#define BAD(why) do { if (ret_reason) *ret_reason = (why); return -EBADMSG; } while (0)

int credential_header_parse(const uint8_t *blob, size_t size, CredentialHeader *ret, const char **ret_reason) {
        uint32_t key_size, block_size, iv_size, tag_size;
        size_t aad;

        if (size < 16)
                BAD("too short for an encrypted credential");
        for (size_t i = 0; i < ELEMENTSOF(key_tpm2); i++)
                if (memcmp(blob, key_tpm2[i], 16) == 0) {
                        ret->kind = CREDENTIAL_KEY_TPM2;
                        if (ret_reason)
                                *ret_reason = "it is sealed with a TPM2, and this host has none";
                        return -EOPNOTSUPP;
                }
        /* Encrypted with an empty key where there is no TPM2: anyone can make or read one, so it
         * authenticates nothing. systemd 252 accepts it on such hosts; confined does not. */
        if (memcmp(blob, key_null, 16) == 0) {
                ret->kind = CREDENTIAL_KEY_NULL;
                if (ret_reason)
                        *ret_reason = "it is encrypted with the null key (--with-key=tpm2-absent), which proves "
                                      "nothing; confined decrypts only with the host key";
                return -EOPNOTSUPP;
        }
        if (memcmp(blob, key_host, 16) != 0)
                BAD("not an encrypted credential (unknown key type, or corrupted)");
        if (size < HEADER_FIXED)
                BAD("truncated header");
        key_size = le32_at(blob + 16);
        block_size = le32_at(blob + 20);
        iv_size = le32_at(blob + 24);
        tag_size = le32_at(blob + 28);
        /* AES-256-GCM: a 32-byte key, a stream (block size 1), a 16-byte tag. */
        if (key_size != CREDENTIAL_KEY_SIZE || block_size != 1 || tag_size != CREDENTIAL_TAG_SIZE)
                BAD("key, block or tag size is not AES-256-GCM's");
        if (iv_size == 0 || iv_size > FIELD_SIZE_MAX)
                BAD("invalid IV size");
        aad = ALIGN8(HEADER_FIXED + iv_size);
        if (size < aad + ALIGN8(METADATA_FIXED) + tag_size)
                BAD("truncated");
        *ret = (CredentialHeader) {
                .kind = CREDENTIAL_KEY_HOST,
                .iv = blob + HEADER_FIXED,
                .iv_size = iv_size,
                .aad_size = aad,
                .ciphertext_size = size - aad - tag_size,
        };
        return 0;
}

int credential_metadata_check(const uint8_t *plain, size_t size, const char *id, uint64_t now_usec,
                              size_t *ret_offset, const char **ret_reason) {
        uint64_t timestamp, not_after;
        uint32_t name_size;
        size_t offset;

        if (size < ALIGN8(METADATA_FIXED))
                BAD("metadata header incomplete");
        timestamp = le64_at(plain);
        not_after = le64_at(plain + 8);
        name_size = le32_at(plain + 16);
        if (timestamp != UINT64_MAX && not_after != UINT64_MAX && timestamp >= not_after)
                BAD("its timestamps are not in order");
        if (name_size > 255)
                BAD("embedded name too long");
        offset = ALIGN8(METADATA_FIXED + name_size);
        if (size < offset)
                BAD("metadata header incomplete");
        if (name_size > 0) {
                char name[256];

                memcpy(name, plain + METADATA_FIXED, name_size);
                name[name_size] = 0;
                if (strlen(name) != name_size || !credential_name_is_valid(name))
                        BAD("its embedded name is not a valid credential name");
                if (!streq(name, id)) {
                        if (ret_reason)
                                *ret_reason = "it was encrypted for another credential name";
                        return -EDESTADDRREQ;
                }
        }
        if (not_after != UINT64_MAX && not_after < now_usec) {
                if (ret_reason)
                        *ret_reason = "its validity (not-after time) has passed";
                return -ESTALE;
        }
        *ret_offset = offset;
        return 0;
}
