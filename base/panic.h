/*
 * Fatal kernel errors. panic() is for broken kernel invariants only, never
 * for anything a guest controls. It prints "atoll: panic: <message>" after a
 * backtrace and stops the machine (in test mode: exits QEMU with failure).
 */
#ifndef BASE_PANIC_H
#define BASE_PANIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the panic path borrows from the layers above it, registered at
 * boot (kmain): taking the screen back for the report, whether memory can
 * be read without faulting (for the backtrace), and, in test mode, leaving
 * the emulator with the panic's exit status. Any may be NULL (then the
 * report stays on the log, the backtrace shows one frame, the CPU halts). */
struct panic_hooks {
    void (*take_screen)(void);
    bool (*readable)(uintptr_t va, size_t len);
    void (*exit_tests)(void);
};
void panic_set_hooks(const struct panic_hooks *h);

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

/* Stops after a report the caller has printed already (exception path). */
__attribute__((noreturn, format(printf, 1, 2))) void panic_after_report(const char *fmt, ...);

/* Makes every output path usable for a report, whatever the interrupted
 * code held: breaks the log and screen locks open, and puts the kernel
 * console back on the screen if a program had it. */
void panic_prepare_output(void);

/* Prints a symbolized backtrace starting from a frame pointer. rsp, when
 * not 0, is the interrupted stack pointer: a leaf function that faulted
 * before (or without) setting up its frame has its return address there,
 * and it is shown, marked as a guess. */
void backtrace_from(uintptr_t rip, uintptr_t rbp, uintptr_t rsp);

#define ASSERT(cond)                                                        \
    do {                                                                    \
        if (!(cond))                                                        \
            panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__); \
    } while (0)

#endif
