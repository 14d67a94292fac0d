/*
 * The `demo` command: the kernel's module and component calls on a small
 * embedded module (demo.wat), printing each result.
 */
#ifndef USERBOOT_DEMO_H
#define USERBOOT_DEMO_H

void cmd_demo(const char *args);

#endif
