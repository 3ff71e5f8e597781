/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A minimal TAP producer for unit tests: each ASSERT_* is one test point. */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned tap_count, tap_failed;

#define TAP_POINT(ok, ...)                                                      \
        do {                                                                    \
                bool ok_ = (ok);                                                \
                tap_count++;                                                    \
                if (!ok_)                                                       \
                        tap_failed++;                                           \
                printf("%sok %u - ", ok_ ? "" : "not ", tap_count);            \
                printf(__VA_ARGS__);                                            \
                printf("\n");                                                   \
                if (!ok_)                                                       \
                        printf("#   at %s:%d\n", __FILE__, __LINE__);           \
        } while (0)

#define ASSERT_TRUE(expr) TAP_POINT((expr), "%s", #expr)
#define ASSERT_OK(expr)                                                         \
        do {                                                                    \
                long r_ = (long) (expr);                                        \
                TAP_POINT(r_ >= 0, "%s (= %ld)", #expr, r_);                    \
        } while (0)
#define ASSERT_ERR(expr, err)                                                   \
        do {                                                                    \
                long r_ = (long) (expr);                                        \
                TAP_POINT(r_ == (long) (err), "%s == %s (got %ld)", #expr, #err, r_); \
        } while (0)
#define ASSERT_EQ(a, b)                                                         \
        do {                                                                    \
                intmax_t a_ = (intmax_t) (a), b_ = (intmax_t) (b);              \
                TAP_POINT(a_ == b_, "%s == %s (%jd vs %jd)", #a, #b, a_, b_);   \
        } while (0)
/* Strings in a test point's description are shown with control characters escaped, so that
 * one test point stays one TAP line. */
static inline const char *tap_escape(const char *s, char *buf, size_t size) {
        size_t n = 0;
        if (!s)
                return "(null)";
        for (; *s && n + 5 < size; s++) {
                if ((unsigned char) *s < 0x20)
                        n += (size_t) snprintf(buf + n, size - n, "\\x%02x", (unsigned char) *s);
                else
                        buf[n++] = *s;
        }
        buf[n] = 0;
        return buf;
}

#define ASSERT_STREQ(a, b)                                                      \
        do {                                                                    \
                const char *a_ = (a), *b_ = (b);                                \
                char ea_[256], eb_[256];                                        \
                TAP_POINT(a_ && b_ && strcmp(a_, b_) == 0, "%s == \"%s\" (got \"%s\")", #a, \
                          tap_escape(b_, eb_, sizeof eb_), tap_escape(a_, ea_, sizeof ea_)); \
        } while (0)

static inline int tap_finish(void) {
        printf("1..%u\n", tap_count);
        return tap_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
