/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "json-out.h"
#include "macro.h"

void json_print_string(const char *s) {
        putchar('"');
        for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
                if (*p == '"' || *p == '\\')
                        printf("\\%c", *p);
                else if (*p < 0x20 || *p == 0x7f)
                        printf("\\u%04x", *p);
                else
                        putchar(*p);
        }
        putchar('"');
}

/* Prints the value the message is at: basic types, arrays, structs and variants. */
static int print_value(sd_bus_message *m, bool json) {
        const char *contents;
        char type;
        int r;

        r = sd_bus_message_peek_type(m, &type, &contents);
        if (r <= 0)
                return r < 0 ? r : -ENODATA;

        switch (type) {
        case 'a':
        case 'r':
        case 'v':
        case 'e': {
                bool first = true;
                r = sd_bus_message_enter_container(m, type, contents);
                if (r < 0)
                        return r;
                if (type != 'v')
                        fputs(type == 'r' || type == 'e' ? "[" : json ? "[" : "", stdout);
                while ((r = sd_bus_message_at_end(m, false)) == 0) {
                        if (!first)
                                fputs(json ? "," : " ", stdout);
                        first = false;
                        r = print_value(m, json);
                        if (r < 0)
                                return r;
                }
                if (type != 'v')
                        fputs(type == 'r' || type == 'e' ? "]" : json ? "]" : "", stdout);
                return sd_bus_message_exit_container(m);
        }
        case 's':
        case 'o':
        case 'g': {
                const char *s;
                r = sd_bus_message_read_basic(m, type, &s);
                if (r < 0)
                        return r;
                if (json)
                        json_print_string(s);
                else
                        fputs(s, stdout);
                return 0;
        }
        case 'b': {
                int b;
                r = sd_bus_message_read_basic(m, type, &b);
                if (r >= 0)
                        fputs(json ? (b ? "true" : "false") : yes_no(b), stdout);
                return r;
        }
        case 'y': case 'n': case 'q': case 'i': case 'u': case 'x': case 't': case 'h': {
                union { uint8_t y; int16_t n; uint16_t q; int32_t i; uint32_t u; int64_t x; uint64_t t; int h; } v;
                r = sd_bus_message_read_basic(m, type, &v);
                if (r < 0)
                        return r;
                switch (type) {
                case 'y': printf("%u", v.y); break;
                case 'n': printf("%d", v.n); break;
                case 'q': printf("%u", v.q); break;
                case 'i': printf("%" PRIi32, v.i); break;
                case 'u': printf("%" PRIu32, v.u); break;
                case 'x': printf("%" PRIi64, v.x); break;
                case 't': printf("%" PRIu64, v.t); break;
                default: printf("%d", v.h); break;
                }
                return 0;
        }
        case 'd': {
                double d;
                r = sd_bus_message_read_basic(m, type, &d);
                if (r >= 0)
                        printf("%g", d);
                return r;
        }
        default:
                return sd_bus_message_skip(m, NULL);
        }
}

static int print_properties(sd_bus_message *reply, bool json) {
        const char *name;
        bool first = true;
        int r;

        r = sd_bus_message_enter_container(reply, 'a', "{sv}");
        if (r < 0)
                return r;
        if (json)
                fputs("{", stdout);
        while ((r = sd_bus_message_enter_container(reply, 'e', "sv")) > 0) {
                r = sd_bus_message_read(reply, "s", &name);
                if (r < 0)
                        return r;
                if (json) {
                        printf("%s", first ? "" : ",");
                        json_print_string(name);
                        fputs(":", stdout);
                } else
                        printf("%s=", name);
                first = false;
                r = print_value(reply, json);
                if (r < 0)
                        return r;
                if (!json)
                        putchar('\n');
                r = sd_bus_message_exit_container(reply);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        if (json)
                puts("}");
        fflush(stdout);
        return sd_bus_message_exit_container(reply);
}

int json_print_properties(sd_bus_message *reply) {
        return print_properties(reply, true);
}

int text_print_properties(sd_bus_message *reply) {
        return print_properties(reply, false);
}
