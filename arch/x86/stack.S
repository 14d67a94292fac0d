/*
 * void arch_call_on_stack(uintptr_t top, void (*fn)(void)) — runs fn on a
 * fresh stack, with a zero frame pointer so backtraces end there. fn must
 * not return.
 */
    .text
    .globl arch_call_on_stack
arch_call_on_stack:
    movq %rdi, %rsp
    xorl %ebp, %ebp
    pushq $0                /* fake return address: ends the backtrace */
    jmp *%rsi
