/*
 * Compiled Wasm on a lazily backed stack (as every component's is) when
 * the stack cannot grow: with every free frame taken, unbounded recursion
 * must end as the trap "call stack exhausted", not as a kernel fault, and
 * the same code must recurse deep again once memory is back.
 */
#include "kern/ktest.h"
#include "kern/thread.h"
#include "mm/phys.h"
#include "mm/pmm.h"
#include "wasm/wasm.h"

/* (module
 *   (global $depth (export "depth") (mut i32) (i32.const 0))
 *   (func $r (export "r")
 *     (global.set $depth (i32.add (global.get $depth) (i32.const 1)))
 *     (call $r))
 *   (func (export "reset") (global.set $depth (i32.const 0)))) */
static const uint8_t recurse_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x03, 0x03, 0x02, 0x00, 0x00, 0x06, 0x06, 0x01, 0x7f, 0x01,
    0x41, 0x00, 0x0b, 0x07, 0x15, 0x03, 0x05, 0x64, 0x65, 0x70, 0x74, 0x68,
    0x03, 0x00, 0x01, 0x72, 0x00, 0x00, 0x05, 0x72, 0x65, 0x73, 0x65, 0x74,
    0x00, 0x01, 0x0a, 0x14, 0x02, 0x0b, 0x00, 0x23, 0x00, 0x41, 0x01, 0x6a,
    0x24, 0x00, 0x10, 0x00, 0x0b, 0x06, 0x00, 0x41, 0x00, 0x24, 0x00, 0x0b,
};

#define STACK_SIZE (1024 * 1024)
#define STACK_BACKED (64 * 1024)        /* what the thread starts with */
#define WASM_BUDGET (768 * 1024)        /* the store's limit: well past it */

struct outcome {
    int trap_starved, trap_fed;
    uint32_t depth_starved, depth_fed;
    bool ready;
};

/* Takes every free frame, chained through their own first words, so
 * nothing else is needed to remember them. */
static paddr_t take_all_frames(void)
{
    paddr_t head = 0;
    for (paddr_t f; (f = pmm_alloc(0)) != 0;) {
        *(paddr_t *)phys_to_virt(f) = head;
        head = f;
    }
    return head;
}

static void give_back(paddr_t head)
{
    while (head) {
        paddr_t next = *(paddr_t *)phys_to_virt(head);
        pmm_free(head);
        head = next;
    }
}

static uint32_t depth(wasm_instance *in)
{
    wasm_extern g;
    uint8_t type;
    if (!wasm_instance_export(in, "depth", 5, &g))
        return 0;
    return (uint32_t)wasm_global_value(&g, &type);
}

static int recurse_twice(void *arg)
{
    struct outcome *o = arg;
    wasm_error err;
    wasm_module *m = wasm_module_decode(recurse_wasm, sizeof recurse_wasm, NULL, &err);
    wasm_compiled *c = m ? wasm_compile(m, &err) : NULL;
    wasm_store *s = wasm_store_new(WASM_BUDGET);
    int trap = 0;
    wasm_instance *in = c && s ? wasm_instantiate(s, c, NULL, 0, &err, &trap) : NULL;
    wasm_extern r, reset;
    if (in && wasm_instance_export(in, "r", 1, &r) && wasm_instance_export(in, "reset", 5, &reset)) {
        uint64_t vals[1] = { 0 };
        paddr_t frames = take_all_frames();
        o->trap_starved = wasm_call(s, &r, vals);
        give_back(frames);
        o->depth_starved = depth(in);
        wasm_call(s, &reset, vals);
        o->trap_fed = wasm_call(s, &r, vals);
        o->depth_fed = depth(in);
        o->ready = true;
    }
    wasm_store_free(s);
    wasm_compiled_free(c);
    wasm_module_free(m);
    return 0;
}

KTEST(wasm_stack_growth_out_of_memory)
{
    struct outcome o = { 0 };
    struct thread *t = thread_create_lazy("wasm starved", recurse_twice, &o, STACK_SIZE,
                                          STACK_BACKED, true);
    KCHECK(t, "thread not created");
    thread_start(t);
    thread_join(t);
    KCHECK(o.ready, "module not run");
    KCHECK(o.trap_starved == WASM_TRAP_STACK, "starved: trap %d (%s), not call stack exhausted",
           o.trap_starved, wasm_trap_message(o.trap_starved));
    KCHECK(o.trap_fed == WASM_TRAP_STACK, "fed: trap %d", o.trap_fed);
    /* Starved, it stopped within the backed part; fed, at the budget. */
    KCHECK(o.depth_starved > 0 && o.depth_starved * 4 < o.depth_fed,
           "depth %u starved, %u fed", o.depth_starved, o.depth_fed);
    return true;
}
