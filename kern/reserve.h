/*
 * The memory the kernel keeps for itself: guest-driven allocations (Wasm
 * memory pages, tables, instances, memory areas, modules and their
 * compilation) are refused once they would leave less than the reserve
 * free, so a program that takes all it can starves neither the kernel nor
 * the other components (they may be refused too, but nothing panics and
 * what is freed comes back).
 *
 * Checking and taking are one step: an allocation claims its bytes before
 * it is made and lets go of the claim once it is (the frames then show as
 * taken), so two components growing at once cannot both pass a check
 * that only one of them fits.
 *
 * Guest stacks are the exception: growth of a component's stack by its
 * compiled code may use the upper half of the reserve (at most 1 MiB a
 * component), so that a well-behaved program's recursion still works when
 * greedy ones have taken all they may. The lower half is the kernel's
 * alone: its page tables, kernel stacks and heap.
 */
#ifndef KERN_RESERVE_H
#define KERN_RESERVE_H

#include <stdbool.h>
#include <stdint.h>

/* Claims bytes for a guest-driven allocation about to be made: true when
 * free RAM, less what is claimed and not yet taken, stays at or above the
 * reserve with bytes more gone. A true claim must be ended with
 * reserve_guest_done(bytes) once the allocation is made or has failed.
 * Never blocks. */
bool reserve_guest_claim(uint64_t bytes);
void reserve_guest_done(uint64_t bytes);

/* Whether a guest could take bytes more now (claims counted); a check
 * only, for refusing early. */
bool reserve_guest_may_take(uint64_t bytes);

/* Whether a guest's stack may grow by bytes: down to half the reserve. */
bool reserve_stack_may_take(uint64_t bytes);

/* The reserve, in bytes (for reports and sys_info). */
uint64_t reserve_bytes(void);

/* The least free RAM seen by a claim or stack growth since boot (bytes):
 * tests check the reserve held. */
uint64_t reserve_low_water(void);

#endif
