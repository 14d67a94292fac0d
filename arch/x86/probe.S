/*
 * Memory probes that survive a fault: each access instruction is listed in
 * the probe table with a landing address, and the page-fault / #GP path
 * (probe.c) resumes there with RAX = -1 instead of reporting a kernel fault.
 *
 *   int arch_probe_read8(uintptr_t addr)   byte read, or -1
 *   int arch_probe_write8(uintptr_t addr, uint8_t v)   0, or -1
 *   int arch_probe_exec(uintptr_t addr)    calls addr, 0 if it returned, -1 on fault
 */
    .text
    .globl arch_probe_read8, arch_probe_write8, arch_probe_exec

arch_probe_read8:
    xorl %eax, %eax
1:  movb (%rdi), %al
2:  ret

arch_probe_write8:
    xorl %eax, %eax
3:  movb %sil, (%rdi)
4:  ret

arch_probe_exec:
    pushq %rbp
    movq %rsp, %rbp
    xorl %eax, %eax
    call *%rdi
7:  xorl %eax, %eax
6:  movq %rbp, %rsp
    popq %rbp
    ret

    .section .rodata
    .balign 8
    .globl probe_table, probe_table_end
/* Pairs: faulting instruction range start, end, landing address. */
probe_table:
    .quad 1b, 2b, 2b
    .quad 3b, 4b, 4b
    /* Executing the probed address: start 0 marks it; end is the call's
     * return address; landing at 6 (rbp restores rsp). */
    .quad 0, 7b, 6b
probe_table_end:
