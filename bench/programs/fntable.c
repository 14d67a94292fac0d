/* fntable.c: indirect calls through function tables.
 * bench: n=65 test=1 kind=indirect
 *
 * A "virtual machine" of 16 operations held in a table of function
 * pointers, filled at run time, applies a pseudo-random program of one
 * million operations (each one call_indirect in Wasm, with its signature
 * check); a second table of a different signature, standing in for
 * objects with methods, is called alongside. Exercises indirect calls,
 * their type checks and unpredictable targets.
 */
#include "lib/bench.h"

#define OPS 16
#define PROGRAM (1 << 20)

typedef uint32_t (*binop)(uint32_t acc, uint32_t x);
typedef uint64_t (*method)(uint64_t self, uint32_t arg, uint32_t k);

static uint32_t op_add(uint32_t a, uint32_t x) { return a + x; }
static uint32_t op_sub(uint32_t a, uint32_t x) { return a - x; }
static uint32_t op_xor(uint32_t a, uint32_t x) { return a ^ x; }
static uint32_t op_mul(uint32_t a, uint32_t x) { return a * (x | 1); }
static uint32_t op_rotl(uint32_t a, uint32_t x) { return a << (x & 31) | a >> (-x & 31); }
static uint32_t op_rotr(uint32_t a, uint32_t x) { return a >> (x & 31) | a << (-x & 31); }
static uint32_t op_or(uint32_t a, uint32_t x) { return (a | x) - (x >> 3); }
static uint32_t op_and(uint32_t a, uint32_t x) { return (a & x) + (a >> 1); }
static uint32_t op_min(uint32_t a, uint32_t x) { return a < x ? a + 7 : x + 3; }
static uint32_t op_max(uint32_t a, uint32_t x) { return a > x ? a - 5 : x ^ a; }
static uint32_t op_neg(uint32_t a, uint32_t x) { return (uint32_t)-(int32_t)a + x; }
static uint32_t op_shl(uint32_t a, uint32_t x) { return a + (x << 3); }
static uint32_t op_shr(uint32_t a, uint32_t x) { return a - (x >> 2); }
static uint32_t op_div(uint32_t a, uint32_t x) { return a / ((x & 0xff) | 1) + a; }
static uint32_t op_rem(uint32_t a, uint32_t x) { return a % ((x & 0xfff) | 1) + x; }
static uint32_t op_avg(uint32_t a, uint32_t x) { return (a >> 1) + (x >> 1) + 1; }

static uint64_t m_scale(uint64_t s, uint32_t a, uint32_t k) { return s * 3 + a + k; }
static uint64_t m_shift(uint64_t s, uint32_t a, uint32_t k) { return (s >> 7) ^ ((uint64_t)a << 11) ^ k; }
static uint64_t m_fold(uint64_t s, uint32_t a, uint32_t k) { return s + (s >> 32) + (a ^ k); }
static uint64_t m_swap(uint64_t s, uint32_t a, uint32_t k) { return (s << 32 | s >> 32) + a - k; }

static binop ops[OPS];
static method methods[4];
static uint8_t program[PROGRAM];
static uint32_t operand[PROGRAM];

static void fill_tables(void)
{
    static const binop all[OPS] = {op_add, op_sub, op_xor, op_mul, op_rotl, op_rotr,
                                   op_or, op_and, op_min, op_max, op_neg, op_shl,
                                   op_shr, op_div, op_rem, op_avg};
    static const method ms[4] = {m_scale, m_shift, m_fold, m_swap};
    for (int i = 0; i < OPS; i++)
        ops[i] = all[i];
    for (int i = 0; i < 4; i++)
        methods[i] = ms[i];
}

BENCH_RUN
{
    uint32_t seed = 99991u, sum = 0;
    if (n == 0)
        return 0;
    fill_tables();
    for (int i = 0; i < PROGRAM; i++) {
        program[i] = (uint8_t)(bench_rand(&seed) & (OPS - 1));
        operand[i] = bench_rand(&seed);
    }
    uint64_t obj = 1;
    for (uint32_t r = 0; r < n; r++) {
        uint32_t acc = r;
        for (int i = 0; i < PROGRAM; i++) {
            acc = ops[program[i]](acc, operand[i]);
            if ((operand[i] & 7) == 0)
                obj = methods[operand[i] >> 30](obj, acc, (uint32_t)i);
        }
        sum = bench_mix(bench_mix(sum, acc), (uint32_t)obj ^ (uint32_t)(obj >> 32));
    }
    return sum;
}
