/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Every property confine implements: its systemd name, its D-Bus signature, and how
 * `confinectl run -p Name=Value` reads its value. The daemon's SupportedProperties is this list. */

typedef enum PropertyTextKind {
        PROPERTY_TEXT_BOOLEAN,      /* yes/no… */
        PROPERTY_TEXT_STRING,       /* taken as is */
        PROPERTY_TEXT_ENVIRONMENT,  /* quoted words, each NAME=VALUE; accumulates */
        PROPERTY_TEXT_CAPABILITIES, /* "CAP_A CAP_B" or "~CAP_A" */
        PROPERTY_TEXT_FILTER_LIST,  /* (bas): "A B" allows, "~A B" denies, "" resets */
        PROPERTY_TEXT_ERRNO,        /* i: "EPERM", 1…4095, or "kill"/"" (0) */
        PROPERTY_TEXT_NAMESPACES,   /* t: yes/no, "net ipc", "~user" → mask of allowed CLONE_NEW* flags */
        PROPERTY_TEXT_WORDS,        /* whitespace-separated words; accumulates */
        PROPERTY_TEXT_RLIMIT,       /* "N", "infinity", "SOFT:HARD"; sizes for byte limits */
        PROPERTY_TEXT_SIZE,         /* "512M", "infinity" */
        PROPERTY_TEXT_COUNT,        /* "100", "infinity" */
        PROPERTY_TEXT_TIMESPAN,     /* "30s", "1min 5s", "infinity" */
        PROPERTY_TEXT_CPU_QUOTA,    /* "20%" for CPUQuotaPerSecUSec */
        PROPERTY_TEXT_WEIGHT,       /* 1…10000, "" unsets → t */
        PROPERTY_TEXT_CPU_WEIGHT,   /* the same, or "idle" (0) */
        PROPERTY_TEXT_UMASK,        /* "0027" */
        PROPERTY_TEXT_NICE,         /* -20 … 19 */
        PROPERTY_TEXT_NONE,         /* not settable as text (file descriptors) */
        PROPERTY_TEXT_BIND_PATHS,   /* "[-]SRC[:DEST[:rbind|norbind]] …" → a(ssbt) */
        PROPERTY_TEXT_TMPFS,        /* "PATH[:OPTIONS] …" → a(ss) */
        PROPERTY_TEXT_DEVICE_ALLOW, /* "NODE [ACCESS]" → a(ss) with one entry; "" → none */
        PROPERTY_TEXT_SECURE_BITS,  /* "noroot keep-caps-locked …" → i */
        PROPERTY_TEXT_INT,          /* a decimal integer → i */
        PROPERTY_TEXT_NSEC,         /* "50us", "1ms", bare nanoseconds → t */
        PROPERTY_TEXT_COREDUMP_FILTER, /* "default shared-dax", "0x33" → t */
        PROPERTY_TEXT_CPU_SET,      /* "0-3 5,7" → ay */
        PROPERTY_TEXT_IOPRIO_CLASS, /* "realtime", "best-effort", "idle", "none", 0…3 → i */
        PROPERTY_TEXT_SCHED_POLICY, /* "other", "batch", "idle", "fifo", "rr", or the number → i */
        PROPERTY_TEXT_SIGNAL,       /* "TERM", "SIGTERM", "15" → i */
        PROPERTY_TEXT_UNSIGNED,     /* a decimal number → u; "" → UINT32_MAX (unset) */
        PROPERTY_TEXT_IP_PREFIXES,  /* "any localhost 10.0.0.0/8 ::1" → a(iayu); "" → none */
        PROPERTY_TEXT_SOCKET_BIND,  /* "[ipv4|ipv6:][tcp|udp:]PORT[-PORT]" or "any" → a(iiqq) with one entry; "" → none */
        PROPERTY_TEXT_STDIO,        /* "null", "inherit"…; "file:PATH", "append:PATH", "truncate:PATH" → …File*= */
        PROPERTY_TEXT_BASE64,       /* StandardInputData=: base64 → ay; StandardInputText=: C escapes + "\n" */
        PROPERTY_TEXT_ENVIRONMENT_FILE, /* "[-]PATH" → a(sb) with one entry; "" → none */
        PROPERTY_TEXT_CREDENTIAL,   /* LoadCredential=ID[:PATH] → a(ss); SetCredential=ID:DATA (C escapes), SetCredentialEncrypted=ID:BASE64 → a(say) */
        PROPERTY_TEXT_MODE,         /* an octal file mode, "0750", at most 07777 → u */
} PropertyTextKind;

typedef struct PropertyValue PropertyValue;
typedef struct SandboxSpec SandboxSpec;

typedef struct PropertyInfo {
        const char *name;
        const char *signature;
        PropertyTextKind text;
        int (*apply)(SandboxSpec *spec, const PropertyValue *value, char **ret_message);
} PropertyInfo;

/* Defined in property-apply.c, next to the appliers. */

extern const PropertyInfo property_table[];
extern const size_t property_table_size;

const PropertyInfo *property_info_lookup(const char *name);

/* One element of an array of structs: a(hs), a(ss), a(sb), a(say), a(ssbt), a(iayu), a(iiqq). */
typedef struct PropertyTuple {
        int fd;        /* h, borrowed */
        char *a, *b;   /* the strings, in order */
        bool flag;     /* b */
        uint64_t t;    /* t */
        int32_t i, i2; /* i, the first and the second */
        uint32_t u;    /* u */
        uint16_t q1, q2; /* q, the first and the second */
        uint8_t *bytes; /* ay, owned */
        size_t n_bytes;
} PropertyTuple;

/* A property value, from the bus or from text. Which members are used follows
 * info->signature: b, i, u, t, s, h, as, (bas), a(hs), a(ss), a(ssbt), a(iayu), a(iiqq). */
struct PropertyValue {
        const PropertyInfo *info;
        bool b;
        int32_t i;
        uint32_t u;
        uint64_t t;
        int fd;        /* borrowed: the message or the caller owns it */
        char *s;
        char **strv;
        PropertyTuple *tuples;
        size_t n_tuples;
        uint8_t *bytes;      /* ay */
        size_t n_bytes;
        /* Text only: "LimitX=SOFT:HARD" also sets LimitXSoft. */
        bool has_soft;
        uint64_t soft;
};

void property_value_done(PropertyValue *v);
int property_value_add_tuple(PropertyValue *v, const PropertyTuple *t);

/* Text aliases that systemd-run -p accepts for a property of another name and unit. */
typedef struct PropertyAlias {
        const char *text_name;  /* CPUQuota */
        const char *name;       /* CPUQuotaPerSecUSec */
} PropertyAlias;

extern const PropertyAlias property_aliases[];
extern const size_t property_aliases_size;

/* Names of systemd's vocabulary that confine knows but does not implement: Spawn answers NotSupported
 * with the reason, and they are not in SupportedProperties. */
typedef struct PropertyUnsupported {
        const char *name;
        const char *reason;
} PropertyUnsupported;

const PropertyUnsupported *property_unsupported_lookup(const char *name);

/* Parses "Name=Value" as systemd-run -p does. On failure ret_reason says why, in words that
 * follow the property name ("unknown property", "invalid boolean" …). */
int property_value_parse(const char *assignment, PropertyValue *ret, const char **ret_reason);
