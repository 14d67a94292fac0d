/* harness.h: the encoder self check's shared pieces.
 *
 * Each case emits one or more instructions through the encoder into the
 * shared buffer `A` and records the same instructions as GNU assembler
 * text (.intel_syntax noprefix). main.c assembles all texts in one file
 * with `as --64`, finds each case's bytes by the label placed before it,
 * and compares them with the encoder's bytes.
 */
#ifndef X64_TEST_HARNESS_H
#define X64_TEST_HARNESS_H

#include "../../wasm/x64/asm.h"

extern x64_asm *A;

/* Records the bytes emitted since `start` as a case whose assembler text
 * is the printf-formatted rest (instructions separated by "\n\t"). */
void add_case(uint32_t start, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#define CASE(call, ...)                                                     \
    do {                                                                    \
        uint32_t start_ = x64_pos(A);                                       \
        call;                                                               \
        add_case(start_, __VA_ARGS__);                                      \
    } while (0)

/* Register names by size (1, 2, 4, 8) and of XMM registers. */
const char *rn(x64_sz sz, int r);
const char *xn(int r);
/* "byte ptr" ... "qword ptr", "xmmword ptr" for 16. */
const char *ptr(unsigned size);
/* The text of a memory operand, in a rotating static buffer. */
const char *mt(x64_mem m);
/* Label names: L<n> where n is the label's index in `labels`. */
extern x64_label labels[64];
const char *ln(const x64_label *l);

/* Assembler text for `n` bytes of nops in chunks of 9 (as turns a long
 * .nops into a jump over them); in a rotating static buffer. */
const char *nops_text(unsigned n);

/* Representative operands: every register class that changes the
 * encoding (REX.R/X/B, rsp/r12 SIB, rbp/r13 displacement). */
extern const int some_regs[];
extern const unsigned n_some_regs;
extern const x64_mem some_mems[];
extern const unsigned n_some_mems;
extern const char *const cc_names[16];

void cases_int(void);
void cases_ctl(void);
void cases_sse(void);
void cases_simd(void);
/* Checks with no assembler counterpart (buffers, relocation); returns the
 * number of failures and adds to *passed. */
int checks_runtime(int *passed);
/* Functions emitted into executable memory and run (exec.c). */
int checks_exec(int *passed);

#endif
