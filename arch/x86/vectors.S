/*
 * One stub per vector. Each pushes a dummy error code where the CPU pushes
 * none, then the vector number, and joins trap_common, which saves the
 * general registers (struct trap_frame) and calls trap_dispatch.
 */
#include "boot/boot.h"

    .text
    .altmacro

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

    .macro stub v
    .balign 16
vector_\v:
    .if !HAS_ERR(\v)
    pushq $0
    .endif
    pushq $\v
    jmp trap_common
    .endm

    .macro table_entry v
    .quad vector_\v
    .endm

    .globl vector_table
    .set i, 0
    .rept 256
    stub %i
    .set i, i + 1
    .endr

trap_common:
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    cld
    movq %rsp, %rdi
    /* A frame link so backtraces walk from the handler into the
     * interrupted code: rbp -> {interrupted rbp, interrupted rip}. */
    pushq 17*8(%rsp)                /* frame->rip */
    pushq 8*8+8(%rsp)               /* frame->rbp */
    movq %rsp, %rbp
    call trap_dispatch
    addq $16, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    addq $16, %rsp                  /* vector, error code */
    iretq

    .section .rodata
    .balign 8
vector_table:
    .set i, 0
    .rept 256
    table_entry %i
    .set i, i + 1
    .endr
