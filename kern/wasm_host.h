/* The kernel's implementation of the engine's host interface (wasm/host.h). */
#ifndef KERN_WASM_HOST_H
#define KERN_WASM_HOST_H

/* Routes faults raised by compiled Wasm code to the engine's trap path.
 * Called once at boot, after the IDT is up. */
void wasm_host_init(void);

#include <stdbool.h>

struct trap_frame;

/* At a timer tick, for a thread that must stop: if the interrupted code
 * is compiled Wasm, makes the context resume at the engine's unwind point
 * with an "interrupted" trap and returns true; false elsewhere (try again
 * at a later tick). Interrupt context. */
bool wasm_host_interrupt(struct trap_frame *f);

#endif
