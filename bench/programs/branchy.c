/* branchy.c: a lexer over generated source text.
 * bench: n=700 test=1 kind=branchy
 *
 * Generates 256 KiB of program-like text (identifiers, keywords, numbers,
 * strings, comments, operators, white space) and tokenizes it with a
 * hand-written scanner: per byte, a chain of data-dependent branches that
 * no predictor learns well. Counts each kind of token and hashes the
 * identifiers, as a compiler front end would.
 */
#include "lib/bench.h"

#define TEXT (256 * 1024)

static char text[TEXT + 1];

enum { T_IDENT, T_KEYWORD, T_NUMBER, T_STRING, T_COMMENT, T_OP, T_OTHER, T_KINDS };

static void generate(uint32_t seed)
{
    static const char *const words[] = {"if", "else", "while", "return", "x", "count",
                                        "buffer_len", "i", "node", "next", "for", "value"};
    static const char ops[] = "+-*/=<>!&|;,(){}[]";
    uint32_t pos = 0;
    while (pos < TEXT - 64) {
        uint32_t r = bench_rand(&seed), k = r % 16;
        if (k < 6) {
            const char *w = words[(r >> 8) % 12];
            while (*w)
                text[pos++] = *w++;
            if (r & 0x10000)
                text[pos++] = (char)('0' + (r >> 20) % 10);
        } else if (k < 8) {
            uint32_t v = r >> 8, digits = 1 + (r >> 4) % 6;
            for (uint32_t d = 0; d < digits; d++, v /= 10)
                text[pos++] = (char)('0' + v % 10);
        } else if (k == 8) {
            text[pos++] = '"';
            for (uint32_t d = 0; d < (r >> 8) % 20; d++)
                text[pos++] = (char)('a' + (r >> d) % 26);
            text[pos++] = '"';
        } else if (k == 9 && (r & 0x100)) {
            text[pos++] = '/';
            text[pos++] = '*';
            for (uint32_t d = 0; d < (r >> 9) % 30; d++)
                text[pos++] = (char)(' ' + (r >> d) % 90 + ((r >> d) % 90 == 10));
            text[pos++] = '*';
            text[pos++] = '/';
        } else if (k < 13) {
            text[pos++] = ops[(r >> 8) % (sizeof ops - 1)];
            if ((r >> 16) % 4 == 0)
                text[pos++] = '=';
        } else {
            text[pos++] = (r >> 8) % 5 == 0 ? '\n' : ' ';
        }
    }
    while (pos < TEXT)
        text[pos++] = ' ';
    text[TEXT] = 0;
}

static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int keyword(const char *s, uint32_t len)
{
    switch (len) {
    case 2: return (s[0] == 'i' && s[1] == 'f') || (s[0] == 'd' && s[1] == 'o');
    case 3: return s[0] == 'f' && s[1] == 'o' && s[2] == 'r';
    case 4: return s[0] == 'e' && s[1] == 'l' && s[2] == 's' && s[3] == 'e';
    case 5: return s[0] == 'w' && s[1] == 'h' && s[2] == 'i' && s[3] == 'l' && s[4] == 'e';
    case 6: return s[0] == 'r' && s[1] == 'e' && s[2] == 't' && s[3] == 'u' && s[4] == 'r' && s[5] == 'n';
    default: return 0;
    }
}

static uint32_t lex(uint32_t counts[T_KINDS])
{
    uint32_t h = 0, i = 0;
    while (text[i]) {
        char c = text[i];
        if (c == ' ' || c == '\n' || c == '\t') {
            i++;
        } else if (is_alpha(c)) {
            uint32_t start = i, ih = 5381;
            while (is_alpha(text[i]) || is_digit(text[i]))
                ih = ih * 33 + (uint8_t)text[i++];
            if (keyword(text + start, i - start)) {
                counts[T_KEYWORD]++;
            } else {
                counts[T_IDENT]++;
                h = bench_mix(h, ih);
            }
        } else if (is_digit(c)) {
            uint32_t v = 0;
            while (is_digit(text[i]))
                v = v * 10 + (uint32_t)(text[i++] - '0');
            counts[T_NUMBER]++;
            h += v;
        } else if (c == '"') {
            i++;
            while (text[i] && text[i] != '"')
                i++;
            i += text[i] == '"';
            counts[T_STRING]++;
        } else if (c == '/' && text[i + 1] == '*') {
            i += 2;
            while (text[i] && !(text[i] == '*' && text[i + 1] == '/'))
                i++;
            i += text[i] ? 2 : 0;
            counts[T_COMMENT]++;
        } else if (c == '+' || c == '-' || c == '*' || c == '/' || c == '=' || c == '<' ||
                   c == '>' || c == '!' || c == '&' || c == '|') {
            i++;
            if (text[i] == '=' || (text[i] == c && (c == '&' || c == '|' || c == '+')))
                i++;
            counts[T_OP]++;
        } else {
            i++;
            counts[T_OTHER]++;
        }
    }
    return h;
}

BENCH_RUN
{
    uint32_t sum = 0;
    for (uint32_t r = 0; r < n; r++) {
        uint32_t counts[T_KINDS] = {0};
        if (r % 8 == 0)
            generate(777u + r);
        sum = bench_mix(sum, lex(counts));
        for (int k = 0; k < T_KINDS; k++)
            sum = bench_mix(sum, counts[k]);
    }
    return sum;
}
