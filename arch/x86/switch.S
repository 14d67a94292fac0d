/*
 * Thread switch. arch_switch(save_sp, new_sp) pushes the callee-saved
 * registers on the current stack, stores the stack pointer in *save_sp,
 * loads new_sp and pops the other thread's registers: the C caller sees an
 * ordinary function call that returns when this thread next runs.
 *
 * A new thread's stack is prepared (kern/thread.c) to "return" into
 * arch_thread_start with the entry in r12 and its argument in r13.
 */
    .text
    .globl arch_switch, arch_thread_start

arch_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret

arch_thread_start:
    xorl %ebp, %ebp             /* backtraces end here */
    movq %r13, %rdi
    callq *%r12
    /* The trampoline never returns (it ends the thread itself). */
    ud2
