/* opcodes.h: the instruction tables built from opcodes.def.
 *
 * WASM_OP_<ID> numbers every instruction once (prefix included), and
 * wasm_opinfo describes it for the decoder, validator, disassembler and
 * compiler. Lookup is by (prefix, code); unknown pairs give NULL.
 */
#ifndef ATOLL_WASM_OPCODES_H
#define ATOLL_WASM_OPCODES_H

#include <stdint.h>

/* How an instruction's immediates are read and how it is checked. */
enum wasm_kind {
    WASM_K_ILLEGAL = 0,
    WASM_K_SIMPLE, WASM_K_MEM, WASM_K_LANE, WASM_K_MEM_LANE, WASM_K_SHUFFLE,
    WASM_K_I32_CONST, WASM_K_I64_CONST, WASM_K_F32_CONST, WASM_K_F64_CONST,
    WASM_K_V128_CONST,
    WASM_K_UNREACHABLE, WASM_K_NOP, WASM_K_BLOCK, WASM_K_LOOP, WASM_K_IF,
    WASM_K_ELSE, WASM_K_END, WASM_K_BR, WASM_K_BR_IF, WASM_K_BR_TABLE,
    WASM_K_RETURN, WASM_K_CALL, WASM_K_CALL_INDIRECT,
    WASM_K_DROP, WASM_K_SELECT, WASM_K_SELECT_T,
    WASM_K_LOCAL_GET, WASM_K_LOCAL_SET, WASM_K_LOCAL_TEE,
    WASM_K_GLOBAL_GET, WASM_K_GLOBAL_SET, WASM_K_TABLE_GET, WASM_K_TABLE_SET,
    WASM_K_MEMORY_SIZE, WASM_K_MEMORY_GROW,
    WASM_K_REF_NULL, WASM_K_REF_IS_NULL, WASM_K_REF_FUNC,
    WASM_K_MEMORY_INIT, WASM_K_DATA_DROP, WASM_K_MEMORY_COPY,
    WASM_K_MEMORY_FILL, WASM_K_TABLE_INIT, WASM_K_ELEM_DROP,
    WASM_K_TABLE_COPY, WASM_K_TABLE_GROW, WASM_K_TABLE_SIZE,
    WASM_K_TABLE_FILL,
};

/* Which family of compiler handlers compiles an instruction (the CLASS
 * column of opcodes.def, which lists them). Zero marks a hole. */
enum wasm_class {
    WASM_C_ILLEGAL = 0,
    WASM_C_CTL, WASM_C_VAR, WASM_C_SET, WASM_C_MEM, WASM_C_MEMORY, WASM_C_TAB,
    WASM_C_INT, WASM_C_FLT, WASM_C_VMEM, WASM_C_VINT, WASM_C_VFLT,
    WASM_C_COUNT
};

enum wasm_op {
#define OP(pfx, code, id, name, kind, cls, pops, push, arg) WASM_OP_##id,
#include "opcodes.def"
#undef OP
    WASM_OP_COUNT
};

struct wasm_opinfo {
    uint8_t kind;       /* enum wasm_kind */
    uint8_t arg;        /* see opcodes.def */
    uint8_t npop;       /* operand types popped before the kind's own work */
    uint8_t push;       /* valtype pushed after it, 0 for none */
    uint8_t pop[3];     /* valtypes, bottom of stack first */
    uint8_t prefix;     /* 0x00, 0xfc or 0xfd */
    uint16_t op;        /* enum wasm_op */
    uint16_t code;      /* code after the prefix */
    uint8_t cls;        /* enum wasm_class (in what was padding) */
    const char *name;   /* text format name */
    /* pop[] packed as the top bytes of a little-endian 32-bit word, and
     * the mask of those bytes: the validator compares the top of its
     * stack with one load. */
    uint32_t pop_sig, pop_mask;
};

/* Tables indexed by code: single-byte opcodes, 0xfc and 0xfd codes. A
 * zero `kind` marks a hole. */
extern const struct wasm_opinfo wasm_ops_base[256];
#define WASM_FC_CODES 18   /* 0xfc codes 0..17; one more slot is a hole */
extern const struct wasm_opinfo wasm_ops_fc[WASM_FC_CODES + 1];
extern const struct wasm_opinfo wasm_ops_fd[256];
/* The same rows by enum wasm_op. */
extern const struct wasm_opinfo *const wasm_ops_by_id[WASM_OP_COUNT];

#endif
