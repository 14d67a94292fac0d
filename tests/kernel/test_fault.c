/*
 * Deliberate kernel faults. Each ends in the exception report and the
 * panic line; tests/qemu/test_kernel.py boots each one and checks the
 * report (vector name, symbolized RIP, CR2, backtrace, stack overflow
 * diagnosis).
 */
#include "kern/ktest.h"
#include "base/panic.h"
#include "mm/kstack.h"

/* These tests recurse and fault on purpose. */
#pragma GCC diagnostic ignored "-Winfinite-recursion"

KTEST_FATAL(fault_guard_page)
{
    static struct kstack ks;
    if (kstack_alloc(&ks, 16384, "test victim"))
        return false;
    /* The page just below the stack's bottom is its guard. */
    volatile uint8_t *guard = (volatile uint8_t *)(ks.bottom - 8);
    *guard = 1;
    return false;
}

/* Volatile so the compiler can neither see the recursion is endless nor
 * that the pointer below is null. */
static volatile uint64_t never = ~0ull;
static volatile uintptr_t null_ish = 16;

__attribute__((noinline)) static uint64_t recurse_forever(uint64_t n)
{
    volatile uint8_t pad[256];
    pad[0] = (uint8_t)n;
    if (n == never)
        return 0;
    return recurse_forever(n + 1) + pad[0];
}

KTEST_FATAL(stack_overflow)
{
    return recurse_forever(0) == 0;
}

KTEST_FATAL(fault_null)
{
    volatile uint64_t *p = (volatile uint64_t *)null_ish;
    return *p == 0;
}

KTEST_FATAL(fault_invalid_opcode)
{
    __asm__ volatile("ud2");
    return false;
}

KTEST_FATAL(fault_divide)
{
    volatile uint64_t zero = 0;
    volatile uint64_t x = 10 / zero;
    return x == 0;
}

__attribute__((noinline)) static void deep_panic(int depth)
{
    if (depth <= 0)
        panic("deliberate panic from a test");
    deep_panic(depth - 1);
    __asm__ volatile("");
}

KTEST_FATAL(panic_backtrace)
{
    deep_panic(3);
    return false;
}
