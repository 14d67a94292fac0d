/* The kernel's implementation of the engine's host interface (wasm/host.h). */
#ifndef KERN_WASM_HOST_H
#define KERN_WASM_HOST_H

/* Routes faults raised by compiled Wasm code to the engine's trap path.
 * Called once at boot, after the IDT is up. */
void wasm_host_init(void);

#endif
