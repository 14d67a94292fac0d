/* interp.c: a bytecode interpreter's dispatch loop.
 * bench: n=110 test=1 kind=integer
 *
 * A stack machine with a switch over 16 opcodes (a jump table: br_table
 * in Wasm) runs a bytecode program that sums the Collatz path lengths of
 * 1..2000+(round mod 256). Exercises an indirect jump per instruction, a small
 * stack in memory, and the loads and stores of an interpreter's state.
 * The program is assembled at run time, so no compiler can fold it.
 */
#include "lib/bench.h"

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, AND, SHR, EQ, LT, JZ, JNZ, JMP, DUP, DROP, HALT };

static int32_t code[128];
static int len;

static int emit(int32_t op, int32_t arg)
{
    code[len] = op;
    code[len + 1] = arg;
    len += 2;
    return len - 1; /* where the argument is, for jumps patched later */
}

static uint32_t execute(uint32_t *reg)
{
    uint32_t stack[64];
    int sp = 0, pc = 0;
    for (;;) {
        int32_t op = code[pc], arg = code[pc + 1];
        pc += 2;
        switch (op) {
        case PUSH: stack[sp++] = (uint32_t)arg; break;
        case LOAD: stack[sp++] = reg[arg]; break;
        case STORE: reg[arg] = stack[--sp]; break;
        case ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case AND: sp--; stack[sp - 1] &= stack[sp]; break;
        case SHR: sp--; stack[sp - 1] >>= stack[sp] & 31; break;
        case EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
        case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case JZ: if (stack[--sp] == 0) pc = arg; break;
        case JNZ: if (stack[--sp] != 0) pc = arg; break;
        case JMP: pc = arg; break;
        case DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case DROP: sp--; break;
        case HALT: return reg[2];
        default: return 0;
        }
    }
}

/* Registers: 0 x, 1 y, 2 total steps, 3 limit. */
static void assemble(void)
{
    len = 0;
    emit(PUSH, 1); emit(STORE, 0);
    int outer = len;
    emit(LOAD, 0); emit(LOAD, 3); emit(LT, 0);
    int to_end = emit(JZ, 0);
    emit(LOAD, 0); emit(STORE, 1);
    int inner = len;
    emit(LOAD, 1); emit(DUP, 0); emit(DROP, 0); emit(PUSH, 1); emit(EQ, 0);
    int to_next = emit(JNZ, 0);
    emit(LOAD, 1); emit(PUSH, 1); emit(AND, 0);
    int to_even = emit(JZ, 0);
    emit(LOAD, 1); emit(PUSH, 3); emit(MUL, 0); emit(PUSH, 1); emit(ADD, 0);
    emit(STORE, 1);
    int to_count = emit(JMP, 0);
    code[to_even] = len;
    emit(LOAD, 1); emit(PUSH, 1); emit(SHR, 0); emit(STORE, 1);
    code[to_count] = len;
    emit(LOAD, 2); emit(PUSH, 1); emit(ADD, 0); emit(STORE, 2);
    emit(JMP, inner);
    code[to_next] = len;
    emit(LOAD, 0); emit(PUSH, 1); emit(ADD, 0); emit(STORE, 0);
    emit(JMP, outer);
    code[to_end] = len;
    emit(HALT, 0);
}

BENCH_RUN
{
    uint32_t sum = 0;
    assemble();
    for (uint32_t r = 0; r < n; r++) {
        /* Below 100000 no path leaves 32 bits, so no wrap-around. */
        uint32_t reg[4] = {0, 0, 0, 2000 + (r & 255)};
        sum = bench_mix(sum, execute(reg));
    }
    return sum;
}
