/* json.h: a small JSON reader for the host tools (atoll-spec reads
 * wast2json output with it).
 *
 * Strings keep their exact byte length: "\u0000" is a NUL byte inside the
 * string, not its end (the spec suite has export names made of control
 * characters). Escapes, \uXXXX included (surrogate pairs joined), are
 * decoded to UTF-8; a lone surrogate is refused. Numbers are kept as their
 * text, read on demand. Input is untrusted: truncation, bad escapes, raw
 * control characters in strings, trailing garbage and nesting deeper than
 * JSON_MAX_DEPTH are refused with a message that says where and why.
 */
#ifndef ATOLL_HOST_JSON_H
#define ATOLL_HOST_JSON_H

#include <stdbool.h>
#include <stddef.h>

enum json_type {
    JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING, JSON_ARRAY,
    JSON_OBJECT,
};

#define JSON_MAX_DEPTH 256

struct json {
    enum json_type type;
    char *str;              /* STRING: decoded bytes; NUMBER: its text
                             * (either NUL-terminated past len) */
    size_t len;
    struct json *items;     /* ARRAY: elements; OBJECT: member values */
    size_t n;
    char **keys;            /* OBJECT: member names (NUL-terminated past
                             * key_lens[i], which counts inner NULs) */
    size_t *key_lens;
};

/* Parses len bytes. On success, the value (free it with json_free). On
 * failure, NULL and "line L, column C: why" in err (size bytes). */
struct json *json_parse(const char *text, size_t len, char *err, size_t size);
void json_free(struct json *v);

/* The member named key (a C string) of an object; NULL if v is not an
 * object or has none. With several of that name, the first. */
const struct json *json_get(const struct json *v, const char *key);
/* The string member key: its bytes and, if len is not NULL, its length;
 * NULL if absent or not a string. */
const char *json_str(const struct json *v, const char *key, size_t *len);
/* The number member key as an integer (truncated toward zero); def if
 * absent, not a number or out of range. */
long long json_int(const struct json *v, const char *key, long long def);

#endif
