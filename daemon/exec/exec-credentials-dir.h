/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sandbox-spec.h"

#define CREDENTIALS_DIRECTORY "/run/credentials/confine.job"

typedef struct CredentialData {
        char *id;
        uint8_t *data;
        size_t size;
} CredentialData;

typedef struct Credentials {
        CredentialData *items;
        size_t n;
        size_t total;
} Credentials;

void credentials_done(Credentials *c);

/* LoadCredential=: reads every source (a file, or each regular file below a directory, named by its
 * path below it with "/" as "_", as systemd 252 does) with the job's file system ids, in the host's or
 * the parent job's mount namespace, within CREDENTIAL_SIZE_MAX each and CREDENTIALS_TOTAL_SIZE_MAX in
 * all. A source that is missing fails the job, unless SetCredential= gives the same ID; then
 * SetCredential='s for every ID not loaded. */
void exec_read_credentials(const SandboxSpec *spec, Credentials *ret);

/* After the job's tree is built, as root: a fresh tmpfs on /run/credentials (hiding the host's), with
 * CREDENTIALS_DIRECTORY in it, mode 0500, and each credential a file of mode 0400, both owned by the
 * job's user; then the tmpfs is made read-only. Nothing when there are no credentials. */
void exec_setup_credentials_directory(const SandboxSpec *spec, const Credentials *creds);
