/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target: confine-exec's reader of the serialized spec. It trusts nothing: any byte
 * string is refused or read, never crashes, and what it reads serializes and reads again. */
#include <stdint.h>
#include <stdlib.h>

#include "spec-serialize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        SandboxSpec *spec = NULL, *again = NULL;
        uint8_t *blob = NULL;
        size_t blob_size;

        if (spec_deserialize(data, size, &spec) < 0)
                return 0;
        if (spec_serialize(spec, &blob, &blob_size) >= 0) {
                if (spec_deserialize(blob, blob_size, &again) < 0)
                        abort();
                sandbox_spec_free(again);
                free(blob);
        }
        sandbox_spec_free(spec);
        return 0;
}
