/* test_json.c: host unit tests of host/json.c, the JSON reader atoll-spec
 * reads wast2json output with.
 *
 * Strings keep NULs and decode escapes to UTF-8 (the bug this reader was
 * written for: names.json:637, an export name starting with "\u0000");
 * hostile input (truncated, deeply nested, bad escapes, lone surrogates,
 * trailing data) is refused with a message naming the line and column.
 * Built with AddressSanitizer and UBSan, so a leak or overrun on an error
 * path fails too. Ends with the counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../host/json.h"

static unsigned passed, failed;

#define CHECK(cond) check((cond), #cond, __FILE__, __LINE__)

static void check(int ok, const char *what, const char *file, int line)
{
    if (ok) {
        passed++;
        return;
    }
    failed++;
    printf("  FAIL %s:%d: %s\n", file, line, what);
}

static struct json *parse(const char *text, char *err, size_t size)
{
    return json_parse(text, strlen(text), err, size);
}

/* text must be refused, with a message containing want. */
static void refused(const char *text, size_t len, const char *want, int line)
{
    char err[128];
    struct json *v = json_parse(text, len, err, sizeof err);
    check(v == NULL, "refused", __FILE__, line);
    check(v == NULL && strstr(err, want) != NULL && !strncmp(err, "line ", 5),
          want, __FILE__, line);
    if (v == NULL && !strstr(err, want))
        printf("    message was: %s\n", err);
    json_free(v);
}

#define REFUSED(text, want) refused(text, strlen(text), want, __LINE__)

static void test_values(void)
{
    char err[128];
    struct json *v = parse(" {\"a\": [1, -2.5e3, true, false, null, \"x\"],"
                           " \"b\": {}, \"c\": [], \"line\": 637 } ", err, sizeof err);
    CHECK(v && v->type == JSON_OBJECT && v->n == 4);
    const struct json *a = json_get(v, "a");
    CHECK(a && a->type == JSON_ARRAY && a->n == 6);
    CHECK(a && a->items[0].type == JSON_NUMBER && !strcmp(a->items[0].str, "1"));
    CHECK(a && a->items[1].type == JSON_NUMBER && !strcmp(a->items[1].str, "-2.5e3"));
    CHECK(a && a->items[2].type == JSON_TRUE && a->items[3].type == JSON_FALSE);
    CHECK(a && a->items[4].type == JSON_NULL);
    CHECK(a && a->items[5].type == JSON_STRING && a->items[5].len == 1);
    CHECK(json_get(v, "b") && json_get(v, "b")->type == JSON_OBJECT);
    CHECK(json_get(v, "c") && json_get(v, "c")->n == 0);
    CHECK(json_int(v, "line", 0) == 637);
    CHECK(json_int(v, "a", -1) == -1);           /* not a number */
    CHECK(json_int(v, "nope", 7) == 7);
    CHECK(json_str(v, "a", NULL) == NULL);       /* not a string */
    CHECK(json_get(v, "nope") == NULL);
    CHECK(json_get(a, "a") == NULL);              /* not an object */
    json_free(v);

    v = parse("[1e2, 2.9, -0]", err, sizeof err);
    CHECK(v && v->n == 3);
    json_free(v);
    v = parse("{\"x\": 1e2, \"y\": -2.9}", err, sizeof err);
    CHECK(json_int(v, "x", 0) == 100 && json_int(v, "y", 0) == -2);
    json_free(v);
    v = parse("{\"x\": 1e300}", err, sizeof err);
    CHECK(v && json_int(v, "x", 5) == 5);          /* out of range */
    json_free(v);
    v = parse("\"top\"", err, sizeof err);
    CHECK(v && v->type == JSON_STRING && !strcmp(v->str, "top"));
    json_free(v);
}

/* names.json:637: an export name made of control characters, NUL first. */
static void test_nul_in_strings(void)
{
    char err[128];
    size_t len = 99;
    struct json *v = parse("{\"field\": \"\\u0000\\u0001\\u0002a\", "
                           "\"\\u0000k\": 1, \"k\": 2}", err, sizeof err);
    const char *f = json_str(v, "field", &len);
    CHECK(f && len == 4 && !memcmp(f, "\0\1\2a", 4));
    CHECK(json_int(v, "k", 0) == 2);     /* "\0k" is another name than "k" */
    CHECK(v && v->key_lens[1] == 2 && !memcmp(v->keys[1], "\0k", 2));
    json_free(v);
    v = parse("\"\\u0000\"", err, sizeof err);
    CHECK(v && v->len == 1 && v->str[0] == 0);
    json_free(v);
}

static void test_escapes(void)
{
    char err[128];
    struct json *v = parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", err, sizeof err);
    CHECK(v && v->len == 8 && !memcmp(v->str, "\"\\/\b\f\n\r\t", 8));
    json_free(v);
    /* One, two, three and four UTF-8 bytes; a pair joined; raw UTF-8 kept. */
    v = parse("\"\\u0041\\u00e9\\u20AC\\ud83d\\ude00\xc3\xa9\"", err, sizeof err);
    CHECK(v && v->len == 1 + 2 + 3 + 4 + 2);
    CHECK(v && !memcmp(v->str, "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xc3\xa9", v->len));
    json_free(v);
    v = parse("\"\\udbff\\udfff\"", err, sizeof err);     /* U+10FFFF */
    CHECK(v && v->len == 4 && !memcmp(v->str, "\xf4\x8f\xbf\xbf", 4));
    json_free(v);
}

static void test_hostile(void)
{
    /* Truncated, everywhere. */
    const char *whole = "{\"commands\": [{\"type\": \"module\", \"line\": 3, "
                        "\"name\": \"\\u0041\", \"ok\": true}]}";
    size_t n = strlen(whole);
    unsigned refused_all = 1;
    for (size_t i = 0; i < n; i++) {
        char err[128];
        struct json *v = json_parse(whole, i, err, sizeof err);
        if (v || strncmp(err, "line 1, column ", 15))
            refused_all = 0;
        json_free(v);
    }
    CHECK(refused_all);
    REFUSED("", "unexpected end of input");
    REFUSED("[1, 2", "unterminated array");
    REFUSED("{\"a\": 1", "unterminated object");
    REFUSED("\"abc", "unterminated string");
    REFUSED("\"abc\\", "unterminated string");
    REFUSED("{\"a\" 1}", "expected ':'");
    REFUSED("{1: 2}", "expected a member name");
    REFUSED("[1 2]", "expected ',' or ']'");
    REFUSED("[1,]", "unexpected ']'");
    REFUSED("{\"a\": 1,}", "expected a member name");
    REFUSED("[1] x", "unexpected data after the value");
    REFUSED("[tru]", "unexpected 't'");
    REFUSED("nul", "unexpected 'n'");
    REFUSED("[+1]", "unexpected '+'");
    REFUSED("[01]", "expected ',' or ']'");
    REFUSED("[1.]", "no digit after '.'");
    REFUSED("[1e]", "no digit in the exponent");
    REFUSED("[-]", "bad number");
    /* Bad escapes. */
    REFUSED("\"\\x41\"", "bad escape \\x");
    REFUSED("\"\\u12\"", "four hex digits");
    REFUSED("\"\\u12g4\"", "four hex digits");
    REFUSED("\"\\ud800\"", "without its low half");
    REFUSED("\"\\ud800\\u0041\"", "without its low half");
    REFUSED("\"\\udc00\"", "lone low surrogate");
    REFUSED("\"a\nb\"", "control character 0x0a");
    refused("\"a\0b\"", 5, "control character 0x00", __LINE__);
    /* Where: line and column of the offending byte. */
    REFUSED("{\n  \"a\": [1,\n    @]}", "line 3, column 5: unexpected '@'");

    /* Deep nesting: refused past the limit, accepted up to it. */
    size_t deep = 100000;
    char *s = malloc(2 * deep + 1);
    memset(s, '[', deep);
    memset(s + deep, ']', deep);
    s[2 * deep] = 0;
    REFUSED(s, "nested deeper than");
    char err[128];
    struct json *v = json_parse(s + deep - JSON_MAX_DEPTH, 2 * JSON_MAX_DEPTH, err, sizeof err);
    CHECK(v != NULL);
    json_free(v);
    v = json_parse(s + deep - JSON_MAX_DEPTH - 1, 2 * JSON_MAX_DEPTH + 2, err, sizeof err);
    CHECK(v == NULL);
    json_free(v);
    /* Deep objects too, and an error deep inside frees everything. */
    size_t m = 0;
    for (int i = 0; i < JSON_MAX_DEPTH + 5; i++)
        m += (size_t)sprintf(s + m, "{\"k\":");
    s[m] = 0;
    REFUSED(s, "nested deeper than");
    free(s);
    REFUSED("{\"a\": [1, {\"b\": [\"x\", \"\\q\"]}]}", "bad escape \\q");

    /* A tiny error buffer is never overrun. */
    char tiny[8];
    v = parse("[", tiny, sizeof tiny);
    CHECK(v == NULL && strlen(tiny) < sizeof tiny);
}

int main(void)
{
    test_values();
    test_nul_in_strings();
    test_escapes();
    test_hostile();
    printf("%u passed, %u failed\n", passed, failed);
    return failed != 0;
}
