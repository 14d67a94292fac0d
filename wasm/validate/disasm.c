/* disasm.c: one instruction as text, for the validator's messages and
 * debugging.
 *
 * Reads the immediates the opcode table says the instruction has, never
 * past `end`, and prints "i32.load offset=8 align=4", "br_table 0 1 2",
 * "local.get 3"... Malformed bytes print as far as they go.
 */
#include "validate.h"

struct buf {
    char *s;
    size_t size, len;
};

static void put(struct buf *b, const char *s)
{
    while (*s) {
        if (b->len + 1 < b->size)
            b->s[b->len] = *s;
        b->len++;
        s++;
    }
    if (b->size)
        b->s[b->len < b->size ? b->len : b->size - 1] = 0;
}

/* A number, after `sep` (" " or "" when a label such as "offset=" precedes). */
static void put_num(struct buf *b, const char *sep, uint64_t v, bool neg)
{
    char tmp[24];
    int n = 0;
    if (neg)
        v = -v;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (neg)
        tmp[n++] = '-';
    char out[25];
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = 0;
    put(b, sep);
    put(b, out);
}

static bool leb(const uint8_t **p, const uint8_t *end, bool sign, uint64_t *out)
{
    uint64_t r = 0;
    unsigned shift = 0;
    while (*p < end && shift < 70) {
        uint8_t byte = *(*p)++;
        if (shift < 64)
            r |= (uint64_t)(byte & 0x7f) << shift;
        shift += 7;
        if (!(byte & 0x80)) {
            if (sign && shift < 64 && (byte & 0x40))
                r |= ~(uint64_t)0 << shift;
            *out = r;
            return true;
        }
    }
    return false;
}

static bool imm(struct buf *b, const uint8_t **p, const uint8_t *end, bool sign)
{
    uint64_t v;
    if (!leb(p, end, sign, &v))
        return false;
    put_num(b, " ", v, sign && (int64_t)v < 0);
    return true;
}

size_t wasm_disasm(const uint8_t *p, const uint8_t *end, char *out, size_t size)
{
    struct buf b = { out, size, 0 };
    const uint8_t *start = p;
    if (size)
        out[0] = 0;
    if (p >= end)
        return 0;
    uint8_t op = *p++;
    const struct wasm_opinfo *oi = &wasm_ops_base[op];
    if (op == 0xfc || op == 0xfd) {
        uint64_t code;
        if (!leb(&p, end, false, &code))
            return 0;
        oi = op == 0xfc ? (code < WASM_FC_CODES ? &wasm_ops_fc[code] : NULL)
                        : (code < 256 ? &wasm_ops_fd[code] : NULL);
    }
    if (!oi || !oi->kind) {
        put(&b, "<illegal opcode>");
        return (size_t)(p - start);
    }
    put(&b, oi->name);
    uint64_t v;
    switch (oi->kind) {
    case WASM_K_BR: case WASM_K_BR_IF: case WASM_K_CALL:
    case WASM_K_LOCAL_GET: case WASM_K_LOCAL_SET: case WASM_K_LOCAL_TEE:
    case WASM_K_GLOBAL_GET: case WASM_K_GLOBAL_SET: case WASM_K_REF_FUNC:
    case WASM_K_TABLE_GET: case WASM_K_TABLE_SET: case WASM_K_TABLE_SIZE:
    case WASM_K_TABLE_GROW: case WASM_K_TABLE_FILL: case WASM_K_ELEM_DROP:
    case WASM_K_DATA_DROP: case WASM_K_MEMORY_INIT:
        imm(&b, &p, end, false);
        break;
    case WASM_K_CALL_INDIRECT: case WASM_K_TABLE_COPY: case WASM_K_TABLE_INIT:
        if (imm(&b, &p, end, false))
            imm(&b, &p, end, false);
        break;
    case WASM_K_I32_CONST: case WASM_K_I64_CONST:
        imm(&b, &p, end, true);
        break;
    case WASM_K_BR_TABLE:
        if (leb(&p, end, false, &v))
            for (uint64_t i = 0; i <= v && i < 64; i++)
                if (!imm(&b, &p, end, false))
                    break;
        break;
    case WASM_K_MEM:
    case WASM_K_MEM_LANE: {
        uint64_t align, offset;
        if (leb(&p, end, false, &align) && leb(&p, end, false, &offset)) {
            put(&b, " offset=");
            put_num(&b, "", offset, false);
            put(&b, " align=");
            put_num(&b, "", align < 32 ? (uint64_t)1 << align : 0, false);
        }
        if (oi->kind == WASM_K_MEM_LANE && p < end)
            put_num(&b, " ", *p++, false);
        break;
    }
    case WASM_K_LANE:
        if (p < end)
            put_num(&b, " ", *p++, false);
        break;
    case WASM_K_BLOCK: case WASM_K_LOOP: case WASM_K_IF:
        if (p < end && *p != 0x40 && (*p & 0xc0) == 0x40) {
            put(&b, " (result ");
            put(&b, wasm_valtype_name(*p++));
            put(&b, ")");
        } else if (p < end && *p == 0x40) {
            p++;
        } else if (leb(&p, end, true, &v)) {
            put(&b, " (type");
            put_num(&b, " ", v, false);
            put(&b, ")");
        }
        break;
    case WASM_K_REF_NULL:
        if (p < end)
            put(&b, *p++ == WASM_FUNCREF ? " func" : " extern");
        break;
    case WASM_K_F32_CONST: p = end - p < 4 ? end : p + 4; break;
    case WASM_K_F64_CONST: p = end - p < 8 ? end : p + 8; break;
    case WASM_K_V128_CONST: case WASM_K_SHUFFLE: p = end - p < 16 ? end : p + 16; break;
    default:
        break;
    }
    return (size_t)(p - start);
}
