/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>
#include <systemd/sd-bus.h>

#include "credential-format.h"
#include "sandbox-spec.h"

/* systemd's host key for encrypted credentials: $SYSTEMD_CREDENTIAL_SECRET (an absolute, normalized
 * path), as systemd-creds and PID 1 honour it, else /var/lib/systemd/credential.secret. */
const char *credential_secret_path(void);

/* The AES-256 key: SHA-256 over the secret's data, after its 16-byte app-specific machine ID, which
 * must be this machine's; the file must be a regular file of mode 0400 with one link, as systemd
 * requires. 0, or -errno with the reason. */
int credential_host_key_load(uint8_t ret_key[CREDENTIAL_KEY_SIZE], const char **ret_reason);

/* One credential, as systemd 252's decrypt_credential_and_warn() with the host key: AES-256-GCM with
 * the header as AAD, then the metadata checked against `id` and `now_usec`. 0 with the credential's
 * bytes in *ret (freed with credential_data_free()); -EBADMSG (corrupted, wrong key or tag),
 * -EDESTADDRREQ (another name), -ESTALE (expired), -EOPNOTSUPP (TPM2), with the reason. */
int credential_decrypt(const uint8_t key[CREDENTIAL_KEY_SIZE], const char *id, uint64_t now_usec,
                       const uint8_t *blob, size_t size, uint8_t **ret, size_t *ret_size, const char **ret_reason);

/* Wipes and frees decrypted bytes. */
void credential_data_free(uint8_t *data, size_t size);

/* Spawn, before authorization: whether the host key of any SetCredentialEncrypted= is there
 * (NotSupported naming the property and the file if not). 0 if the spec has none. */
int spec_check_credential_key(const SandboxSpec *spec, sd_bus_error *error);

/* Spawn, after authorization: every SetCredentialEncrypted= replaced by its plaintext
 * (InvalidProperty for a bad blob, leaving the spec for the caller to free). */
int spec_decrypt_credentials(SandboxSpec *spec, sd_bus_error *error);
