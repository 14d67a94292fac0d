/*
 * Module objects (see kmodule.h).
 */
#include "kern/kmodule.h"

#include "base/clock.h"
#include "base/log.h"
#include "kern/account.h"
#include "kern/reserve.h"
#include "lib/fmt.h"
#include "lib/string.h"
#include "mm/heap.h"

static void kmodule_destroy(struct kobj *o)
{
    struct kmodule *km = (struct kmodule *)o;
    wasm_compiled_free(km->c);
    wasm_module_free(km->m);
    if (km->acct) {
        account_credit(km->acct, km->charged);
        account_put(km->acct);
    }
    kfree(km);
}

static const struct kobj_ops kmodule_ops = { .name = "module", .destroy = kmodule_destroy };

/* The engine reports an allocation that failed while decoding as an
 * invalid module whose message starts "out of memory" (wasm_error has no
 * field for it). That is the kernel running out (of memory, or of regions
 * for large allocations), result 2, not bytes that are no module. */
static bool engine_ran_out(const wasm_error *err)
{
    return strncmp(err->msg, "out of memory", 13) == 0;
}

struct kmodule *kmodule_create(const void *bytes, uint64_t len, struct account *acct,
                               int *status, char *why, size_t why_size)
{
    *status = 1;
    if (len == 0 || len > KMODULE_MAX_BYTES) {
        fmt_snprintf(why, why_size, "size %llu is not in 1..%u bytes",
                 (unsigned long long)len, KMODULE_MAX_BYTES);
        return NULL;
    }
    struct kmodule *km = kzalloc(sizeof *km);
    void *copy = kmalloc((size_t)len);
    if (!km || !copy) {
        kfree(km);
        kfree(copy);
        *status = 2;
        fmt_snprintf(why, why_size, "out of memory");
        return NULL;
    }
    uint64_t t0 = clock_ns();
    memcpy(copy, bytes, (size_t)len);
    wasm_error err;
    km->m = wasm_module_decode(copy, (size_t)len, NULL, &err);
    uint64_t t1 = clock_ns();
    kfree(copy);
    if (!km->m) {
        *status = engine_ran_out(&err) ? 2 : 1;
        wasm_error_format(&err, NULL, why, why_size);
        kfree(km);
        return NULL;
    }
    /* Compiling is the guest's doing too: refused up front when what it
     * would take passes the reserve or the component's limit. */
    uint64_t est = wasm_compile_estimate(km->m);
    if (acct && (!reserve_guest_may_take(est) ||
                 account_used(acct) + len + est > acct->limit)) {
        *status = 2;
        fmt_snprintf(why, why_size, "compiling it would take about %llu bytes: more than %s "
                     "allows", (unsigned long long)est,
                     reserve_guest_may_take(est) ? "the component's limit on memory areas "
                                                   "and modules" : "the kernel's reserve");
        wasm_module_free(km->m);
        kfree(km);
        return NULL;
    }
    uint64_t t2 = clock_ns();
    km->c = wasm_compile(km->m, &err);
    /* What a big module costs, in the kernel's own clock (bench/large
     * reads it at loglevel=3; under QEMU -icount it counts instructions). */
    pr_debug("kmodule: %llu bytes: copied, decoded and validated in %llu us, compiled in "
             "%llu us\n", (unsigned long long)len, (unsigned long long)(t1 - t0) / 1000,
             (unsigned long long)(clock_ns() - t2) / 1000);
    if (!km->c) {
        *status = 2;
        wasm_error_format(&err, km->m, why, why_size);
        wasm_module_free(km->m);
        kfree(km);
        return NULL;
    }
    /* The decoded module costs about what the binary does; the code is
     * counted exactly. */
    uint64_t cost = len + wasm_compiled_code_size(km->c);
    if (acct && !account_charge(acct, cost)) {
        *status = 2;
        fmt_snprintf(why, why_size, "%llu bytes would pass the component's limit on memory "
                     "areas and modules (%llu of %llu bytes in use)", (unsigned long long)cost,
                     (unsigned long long)account_used(acct), (unsigned long long)acct->limit);
        wasm_compiled_free(km->c);
        wasm_module_free(km->m);
        kfree(km);
        return NULL;
    }
    km->acct = acct ? account_get(acct) : NULL;
    km->charged = acct ? cost : 0;
    km->size = len;
    kobj_init(&km->k, KOBJ_MODULE, &kmodule_ops);
    *status = 0;
    return km;
}
