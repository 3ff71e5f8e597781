/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target: "Name=Value" lines, as confinectl -p, profiles and exec-run take them,
 * through the one parser and validator into a SandboxSpec, then through serialization and
 * back. Whatever the input: no crash, no leak, and a spec that serializes deserializes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "property-apply.h"
#include "spec-serialize.h"
#include "strv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *spec = sandbox_spec_new();
        _cleanup_free_ char *text = NULL;
        char *line, *next;

        if (!spec || size > 64 * 1024)
                return 0;
        text = strndup((const char *) data, size);
        if (!text)
                return 0;

        for (line = text; line; line = next) {
                _cleanup_free_ char *message = NULL;

                next = strchr(line, '\n');
                if (next)
                        *next++ = 0;
                (void) property_apply_text(spec, line, &message);
        }

        if (strv_extend(&spec->argv, "/bin/true") < 0)
                return 0;
        spec->uid = 0;
        spec->gid = 0;

        uint8_t *blob = NULL;
        size_t blob_size;
        if (spec_serialize(spec, &blob, &blob_size) >= 0) {
                SandboxSpec *back = NULL;
                if (spec_deserialize(blob, blob_size, &back) < 0)
                        abort(); /* what we write we must be able to read */
                sandbox_spec_free(back);
                free(blob);
        }
        return 0;
}
