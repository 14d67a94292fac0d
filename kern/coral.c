/*
 * The coral native module (see coral.h and docs/abi.md). Each function
 * decodes its arguments (handles resolved in the calling component's
 * space, with a reference held while used; offsets and lengths checked
 * without overflow), then acts. Results: CORAL_OK, CORAL_EINVAL (invalid
 * parameters), CORAL_EINTERNAL (out of memory, a limit of the kernel),
 * CORAL_ETRAPPED (extension calls: the called code trapped). The functions,
 * their types and every number guests see are listed in abi/coral.def.
 */
#include "kern/coral_impl.h"

#include "base/clock.h"
#include "kern/channel.h"
#include "kern/component.h"
#include "kern/kmodule.h"
#include "base/log.h"
#include "base/random.h"
#include "kern/reserve.h"
#include "kern/thread.h"
#include "kern/vma.h"
#include "dev/serial.h"
#include "dev/timer.h"
#include "lib/fmt.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/kstack.h"
#include "mm/pmm.h"
#include "mm/vregion.h"
#include "arch/x86/mmu.h"

/* Value types as abi/coral.def writes them: the engine's type bytes. */
#define I32  "\x7f"
#define I64  "\x7e"
#define EXT  "\x6f"
#define NONE ""

/* sys_info's keys (SYS_INFO_RAM_TOTAL...), numbered by abi/coral.def. */
enum {
#define CORAL_SYS_INFO(name, value, doc) SYS_INFO_##name = (value),
#include "abi/coral.def"
};

#define LOG_WRITE_MAX  65536
#define VMA_CREATE_MAX (64ull << 20)

/* ---- Coral's functions ---- */

int sys_handle_kind(void *env, uint64_t *vals)
{
    vals[0] = (uint32_t)component_handle_kind(env, arg_handle(vals, 0));
    return 0;
}

int sys_vma_write(void *env, uint64_t *vals)
{
    struct component *c = env;
    struct vma *src, *dst;
    int r = arg(c, arg_handle(vals, 0), KOBJ_VMA, RIGHT_READ, &src);
    int r2 = arg(c, arg_handle(vals, 1), KOBJ_VMA, RIGHT_WRITE, &dst);
    r = r ? r : r2;
    if (!r)
        r = vma_copy(src, dst, (int64_t)vals[2], (int64_t)vals[3], (int64_t)vals[4]);
    release(src);
    release(dst);
    vals[0] = (uint32_t)r;
    return 0;
}

/* Compiles bytes [off, off+len) of a memory area into a module. */
static int make_module(struct component *c, handle_t vh, int64_t off, int64_t len,
                       struct kmodule **out)
{
    struct vma *v;
    int st = arg(c, vh, KOBJ_VMA, RIGHT_READ, &v);
    if (st || !(v->access & VMA_READ) || len <= 0 || !vma_range_ok(vma_size(v), off, len)) {
        release(v);
        pr_debug("coral: module_create (component %llu): bad memory area or range\n",
                 (unsigned long long)c->id);
        return st ? st : CORAL_EINVAL;
    }
    int status = CORAL_EINTERNAL;
    char why[160] = "out of memory (the kernel's reserve)";
    /* Decoding takes the kernel's copy of the bytes and the decoded module
     * (the engine's copy and its tables: 1.7 times the binary for a 25 MB
     * module, 2.3 times for SQLite alone; bench/large/README.md), so four
     * times the size must be free above the reserve before the kernel
     * starts. Compiling is checked against its own estimate once the
     * module is decoded (kmodule_create), and every allocation on the way
     * claims against the reserve. Eight times, as before, refused a 30 MB
     * module under 256 MiB of RAM that needs about 150 MB. */
    *out = reserve_guest_may_take(4 * (uint64_t)len)
               ? kmodule_create(vma_base(v) + off, (uint64_t)len, c->areas, &status, why,
                                sizeof why)
               : NULL;
    kobj_put(&v->k);
    if (!*out)
        pr_info("coral: module_create (component %llu): %s\n",
                (unsigned long long)c->id, why);
    return status;
}

int sys_module_create(void *env, uint64_t *vals)
{
    struct component *c = env;
    struct kmodule *m;
    int status = make_module(c, arg_handle(vals, 0), (int64_t)vals[1], (int64_t)vals[2], &m);
    if (status) {
        vals[0] = (uint32_t)status;
        vals[1] = HANDLE_NULL;
        return 0;
    }
    give(c, &m->k, vals);
    return 0;
}

/* ---- extensions ---- */

int sys_handle_drop(void *env, uint64_t *vals)
{
    vals[0] = component_handle_drop(env, arg_handle(vals, 0)) ? CORAL_OK : CORAL_EINVAL;
    return 0;
}

int sys_vma_create(void *env, uint64_t *vals)
{
    int64_t size = (int64_t)vals[0];
    if (size <= 0 || (uint64_t)size > VMA_CREATE_MAX) {
        vals[0] = CORAL_EINVAL;
        vals[1] = HANDLE_NULL;
        return 0;
    }
    struct component *c = env;
    struct vma *v = NULL;
    if (reserve_guest_claim((uint64_t)size)) {
        v = vma_new_buffer("buffer", (uint64_t)size, c->areas);
        reserve_guest_done((uint64_t)size);
    }
    if (!v) {
        vals[0] = CORAL_EINTERNAL;
        vals[1] = HANDLE_NULL;
        return 0;
    }
    give(env, &v->k, vals);
    return 0;
}

int sys_vma_size(void *env, uint64_t *vals)
{
    struct vma *v;
    vals[0] = (uint32_t)arg(env, arg_handle(vals, 0), KOBJ_VMA, 0, &v);
    vals[1] = v ? vma_size(v) : 0;
    release(v);
    return 0;
}

int sys_clock_ns(void *env, uint64_t *vals)
{
    (void)env;
    vals[0] = clock_ns();
    return 0;
}

int sys_log_write(void *env, uint64_t *vals)
{
    struct component *c = env;
    struct vma *v;
    int64_t off = (int64_t)vals[1], len = (int64_t)vals[2];
    int st = arg(c, arg_handle(vals, 0), KOBJ_VMA, RIGHT_READ, &v);
    if (st || !(v->access & VMA_READ) || len > LOG_WRITE_MAX ||
        !vma_range_ok(vma_size(v), off, len)) {
        release(v);
        vals[0] = st ? (uint32_t)st : CORAL_EINVAL;
        return 0;
    }
    /* Straight to the serial log, in one piece: a program's output is its
     * own, not the kernel's, so it carries no log level or prefix. */
    serial_write((const char *)vma_base(v) + off, (size_t)len);
    kobj_put(&v->k);
    vals[0] = CORAL_OK;
    return 0;
}

/* At most this much a call, as log_write: bounded work in the kernel. */
#define RANDOM_MAX 65536

int sys_random(void *env, uint64_t *vals)
{
    struct vma *v;
    int64_t off = (int64_t)vals[1], len = (int64_t)vals[2];
    int st = arg(env, arg_handle(vals, 0), KOBJ_VMA, RIGHT_WRITE, &v);
    if (!st && (!(v->access & VMA_WRITE) || len > RANDOM_MAX ||
                !vma_range_ok(vma_size(v), off, len)))
        st = CORAL_EINVAL;
    if (!st)
        random_fill(vma_base(v) + off, (size_t)len);
    release(v);
    vals[0] = (uint32_t)st;
    return 0;
}

int sys_sys_info(void *env, uint64_t *vals)
{
    struct component *self = env;
    struct pmm_stats ps;
    struct heap_stats hs;
    int64_t r = -1;
    switch ((int32_t)vals[0]) {
    case SYS_INFO_RAM_TOTAL: pmm_get_stats(&ps); r = (int64_t)ps.total_frames * 4096; break;
    case SYS_INFO_RAM_FREE: pmm_get_stats(&ps); r = (int64_t)ps.free_frames * 4096; break;
    case SYS_INFO_HEAP_USED: heap_get_stats(&hs); r = (int64_t)hs.live_bytes; break;
    case SYS_INFO_COMPONENTS: r = (int64_t)component_count(); break;
    case SYS_INFO_TICK_HZ: r = timer_hz(); break;
    case SYS_INFO_LAST_TICK_NS: r = (int64_t)component_last_tick_ns(); break;
    case SYS_INFO_SELF_CPU_NS: component_info(self, COMPONENT_INFO_CPU_NS, &r); break;
    case SYS_INFO_SELF_ID: r = (int64_t)self->id; break;
    case SYS_INFO_RESERVE: r = (int64_t)reserve_bytes(); break;
    case SYS_INFO_RESERVE_LOW: r = (int64_t)reserve_low_water(); break;
    case SYS_INFO_OBJECTS:
        r = 0;
        for (int k = KOBJ_INVALID + 1; k < KOBJ_KIND_COUNT; k++)
            r += (int64_t)kobj_live((enum kobj_kind)k);
        break;
    case SYS_INFO_MESSAGES: r = (int64_t)channel_messages(); break;
    case SYS_INFO_RANDOM_HARDWARE: r = random_hardware(); break;
    case SYS_INFO_KERNEL_KEPT:
        r = (int64_t)((mmu_table_frames() + vregion_table_frames()) * 4096);
        break;
    }
    vals[0] = (uint64_t)r;
    return 0;
}

/* ---- the table ---- */

struct coral_func {
    const char *name;
    const char *params, *results;
    wasm_host_fn fn;
};

/* Coral's interface first, exactly (docs/design.md), then Atoll's
 * extensions (docs/abi.md): abi/coral.def lists them. */
static const struct coral_func funcs[] = {
#define CORAL_FUNC(origin, name, handler, params, param_names, results, doc) \
    { #name, params, results, handler },
#include "abi/coral.def"
};
#define NFUNCS (sizeof funcs / sizeof funcs[0])

/* What a coral function's environment is: its component and its body. */
struct coral_slot {
    struct component *c;
    wasm_host_fn fn;
};

/* Every coral function enters here. A component's stack is backed as it
 * grows (mm/kstack.h): before kernel code that takes locks runs, make sure
 * it cannot fault on its own stack, however deep the Wasm code called.
 * A kill asked for before or during the call ends the caller on the way
 * out, as a trap the tick would have made in compiled code: host calls
 * are where a program that calls the kernel in a loop spends its time. */
static int coral_entry(void *env, uint64_t *vals)
{
    struct coral_slot *slot = env;
    /* self->kill_requested is thread_should_stop(), without the calls. */
    struct thread *self = thread_current();
    if (self->kill_requested)
        return WASM_TRAP_INTERRUPTED;
    if (!kstack_headroom_backed(&self->stack, KSTACK_HEADROOM) &&
        !kstack_reserve(&self->stack, KSTACK_HEADROOM))
        return WASM_TRAP_STACK;
    int t = slot->fn(slot->c, vals);
    /* What the call's handle drops left unreachable is freed now, by the
     * caller, outside every lock. */
    channel_reap();
    return t ? t : self->kill_requested ? WASM_TRAP_INTERRUPTED : 0;
}

static bool coral_make(struct component *c)
{
    /* One block: the externs, then their environments (freed with it). */
    c->coral = kzalloc(NFUNCS * (sizeof *c->coral + sizeof(struct coral_slot)));
    if (!c->coral)
        return false;
    struct coral_slot *slots = (struct coral_slot *)(c->coral + NFUNCS);
    for (unsigned i = 0; i < NFUNCS; i++) {
        const struct coral_func *f = &funcs[i];
        slots[i] = (struct coral_slot){ c, f->fn };
        if (!wasm_host_func_new(c->store, (const uint8_t *)f->params,
                                (uint32_t)strlen(f->params), (const uint8_t *)f->results,
                                (uint32_t)strlen(f->results), coral_entry, &slots[i],
                                &c->coral[i]))
            return false;
    }
    return true;
}

static bool coral_lookup(struct component *c, const char *name, size_t len, wasm_extern *out)
{
    for (unsigned i = 0; i < NFUNCS; i++) {
        if (strlen(funcs[i].name) == len && memcmp(funcs[i].name, name, len) == 0) {
            *out = c->coral[i];
            return true;
        }
    }
    return false;
}

static const struct component_natives coral_natives = { "coral", coral_make, coral_lookup };

void coral_init(void)
{
    component_set_natives(&coral_natives);
}

unsigned coral_num_funcs(void)
{
    return NFUNCS;
}

const char *coral_func_name(unsigned i)
{
    return i < NFUNCS ? funcs[i].name : NULL;
}
