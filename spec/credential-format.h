/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* systemd 252's encrypted credential (creds-util.c), as `systemd-creds encrypt` writes it and
 * SetCredentialEncrypted= carries it, without the cipher: confined decrypts (credential-decrypt.c).
 *
 *   header, all of it AAD: a 16-byte key id, then key_size, block_size, iv_size, tag_size
 *   (le32 each), the IV, NUL bytes to the next 8-byte boundary (and, with a TPM2, its own header);
 *   AES-256-GCM ciphertext of: timestamp, not_after (le64 µs, UINT64_MAX for none), name_size (le32),
 *   the name, NUL bytes to the next 8-byte boundary, then the credential itself;
 *   the 16-byte GCM tag. */

/* systemd's CREDENTIAL_ENCRYPTED_SIZE_MAX: CREDENTIAL_SIZE_MAX and 128 KiB of headers. */
#define CREDENTIAL_ENCRYPTED_SIZE_MAX (1024u * 1024u + 128u * 1024u)
#define CREDENTIAL_KEY_SIZE 32u
#define CREDENTIAL_TAG_SIZE 16u

typedef enum CredentialKeyKind {
        CREDENTIAL_KEY_HOST,            /* the host's /var/lib/systemd/credential.secret alone */
        CREDENTIAL_KEY_TPM2,            /* a TPM2 alone, or with the host key: no TPM2 here */
        CREDENTIAL_KEY_NULL,            /* systemd-creds --with-key=tpm2-absent: an empty key, no secret */
} CredentialKeyKind;

typedef struct CredentialHeader {
        CredentialKeyKind kind;
        const uint8_t *iv;
        size_t iv_size;
        size_t aad_size;               /* the header: bytes [0, aad_size) */
        size_t ciphertext_size;        /* then this much ciphertext, then the tag */
} CredentialHeader;

/* The header of an encrypted credential: 0; -EOPNOTSUPP for a TPM2's or the null key's (ret->kind is
 * set); -EBADMSG
 * for anything else (truncated, an unknown key id, sizes AES-256-GCM does not have), with the reason. */
int credential_header_parse(const uint8_t *blob, size_t size, CredentialHeader *ret, const char **ret_reason);

/* The decrypted plaintext's metadata, checked as systemd checks it: timestamps in order, an embedded
 * name (if any) valid and equal to `id` (-EDESTADDRREQ), not_after not before `now_usec` (-ESTALE).
 * On success *ret_offset is where the credential's bytes begin. -EBADMSG for a malformed header. */
int credential_metadata_check(const uint8_t *plain, size_t size, const char *id, uint64_t now_usec,
                              size_t *ret_offset, const char **ret_reason);
