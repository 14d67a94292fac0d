/*
 * Accounts: what a component has taken of a resource that can outlive it.
 * A memory area a component creates may be granted on and live after its
 * creator ends, yet it was the creator's to pay for; so the tally is an
 * object of its own, held by the component and by every area it paid for,
 * and freed with the last of them. Any thread may drop the last handle to
 * an area, so credits come from anywhere.
 */
#ifndef KERN_ACCOUNT_H
#define KERN_ACCOUNT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/spinlock.h"

struct account {
    uint32_t refs;          /* atomic */
    spinlock_t lock;        /* charges and the limit: a charge never lands
                               past a limit being lowered */
    uint64_t used;          /* bytes charged and not credited (credits are
                               atomic, outside the lock: they only help) */
    uint64_t limit;         /* charges past it are refused */
};

/* A new account with one reference, or NULL when out of memory. */
struct account *account_new(uint64_t limit);
struct account *account_get(struct account *a);
void account_put(struct account *a);

/* Charges bytes: false (nothing charged) when used + bytes would pass the
 * limit. Never blocks. */
bool account_charge(struct account *a, uint64_t bytes);
void account_credit(struct account *a, uint64_t bytes);

/* Lowers the limit to value: false (unchanged) when value is above the
 * limit or below what is charged now. */
bool account_lower(struct account *a, uint64_t value);

static inline uint64_t account_used(const struct account *a)
{
    return __atomic_load_n(&a->used, __ATOMIC_RELAXED);
}

#endif
