/*
 * QEMU's isa-debug-exit device (iobase 0xf4): a write of v ends QEMU with
 * exit status (v << 1) | 1. Used in test mode so no test waits on a guest.
 */
#ifndef DEV_DEBUG_EXIT_H
#define DEV_DEBUG_EXIT_H

/* The values the kernel writes, and the QEMU exit statuses they give. */
#define EXIT_TESTS_PASSED  0x10     /* QEMU exits 33 */
#define EXIT_TESTS_FAILED  0x11     /* QEMU exits 35 */
#define EXIT_PANIC         0x12     /* QEMU exits 37 */

/* Asks QEMU to exit; returns only when the device is absent. */
void debug_exit(int value);

#endif
