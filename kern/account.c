/* Accounts (see account.h). */
#include "kern/account.h"

#include "base/panic.h"
#include "mm/heap.h"

struct account *account_new(uint64_t limit)
{
    struct account *a = kzalloc(sizeof *a);
    if (a) {
        a->refs = 1;
        a->limit = limit;
    }
    return a;
}

struct account *account_get(struct account *a)
{
    __atomic_add_fetch(&a->refs, 1, __ATOMIC_RELAXED);
    return a;
}

void account_put(struct account *a)
{
    if (!a || __atomic_sub_fetch(&a->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    if (a->used != 0)
        panic("account freed with %llu bytes charged", (unsigned long long)a->used);
    kfree(a);
}

bool account_charge(struct account *a, uint64_t bytes)
{
    uint64_t f = spin_lock_irqsave(&a->lock);
    uint64_t used = account_used(a);
    bool ok = bytes <= a->limit && used <= a->limit - bytes;
    if (ok)
        __atomic_add_fetch(&a->used, bytes, __ATOMIC_RELAXED);
    spin_unlock_irqrestore(&a->lock, f);
    return ok;
}

void account_credit(struct account *a, uint64_t bytes)
{
    uint64_t before = __atomic_fetch_sub(&a->used, bytes, __ATOMIC_RELAXED);
    if (before < bytes)
        panic("account credited %llu bytes with %llu charged",
              (unsigned long long)bytes, (unsigned long long)before);
}

bool account_lower(struct account *a, uint64_t value)
{
    uint64_t f = spin_lock_irqsave(&a->lock);
    bool ok = value <= a->limit && value >= account_used(a);
    if (ok)
        a->limit = value;
    spin_unlock_irqrestore(&a->lock, f);
    return ok;
}
