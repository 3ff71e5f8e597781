/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "sandbox-spec.h"

/* A flat tag-length-value encoding of the parts of a SandboxSpec that confine-exec needs. It is
 * written into a sealed memfd by the daemon and read back by confine-exec. The reader trusts
 * nothing: every length is checked, unknown tags are refused. */

int spec_serialize(const SandboxSpec *s, uint8_t **ret_data, size_t *ret_size);
int spec_deserialize(const uint8_t *data, size_t size, SandboxSpec **ret);

/* Writes the serialized spec into a new memfd and seals it against any change. */
int spec_serialize_to_memfd(const SandboxSpec *s, int *ret_fd);
/* Reads a spec back from a (sealed) memfd or any readable fd. */
int spec_deserialize_from_fd(int fd, SandboxSpec **ret);
