/* trap.c: calls into compiled code, and the trap path.
 *
 * wasm_run enters through the store's entry stub. When compiled code
 * faults, the host's handler calls wasm_trap_fault, which finds the trap
 * site in the region's table, records the trap in the store (found from
 * r15, which always holds a vmctx or host record in compiled code) and
 * redirects the context to the store's landing pad. docs/compiler.md.
 */
#include "../host.h"
#include "runtime.h"

static const char *const messages[WASM_TRAP_COUNT] = {
    [WASM_TRAP_NONE] = "no trap",
    [WASM_TRAP_UNREACHABLE] = "unreachable",
    [WASM_TRAP_MEMORY_OOB] = "out of bounds memory access",
    [WASM_TRAP_DIV_ZERO] = "integer divide by zero",
    [WASM_TRAP_INT_OVERFLOW] = "integer overflow",
    [WASM_TRAP_BAD_CONVERSION] = "invalid conversion to integer",
    [WASM_TRAP_UNDEF_ELEM] = "undefined element",
    [WASM_TRAP_UNINIT_ELEM] = "uninitialized element",
    [WASM_TRAP_SIG_MISMATCH] = "indirect call type mismatch",
    [WASM_TRAP_STACK] = "call stack exhausted",
    [WASM_TRAP_TABLE_OOB] = "out of bounds table access",
    [WASM_TRAP_HOST] = "host trap",
    [WASM_TRAP_INTERRUPTED] = "interrupted",
};

const char *wasm_trap_message(int trap)
{
    return trap >= 0 && trap < WASM_TRAP_COUNT ? messages[trap] : "unknown trap";
}

int wasm_run(struct wasm_store *s, struct wasm_funcinst *f, uint64_t *vals)
{
    uint32_t np = f->type->nparams, nr = f->type->nresults;
    for (uint32_t k = 0; k < f->type->nparams; k++)     /* a v128: two slots */
        np += f->type->params[k] == WASM_V128;
    for (uint32_t k = 0; k < f->type->nresults; k++)
        nr += f->type->results[k] == WASM_V128;
    if (s->depth == 0) {
        /* The stack below this frame, less the budget, is the limit; the
         * frame's address stands for the stack pointer (not a local's:
         * ASan may keep locals on a heap "fake stack"). */
        s->stack_limit = (uintptr_t)__builtin_frame_address(0) - s->stack_budget;
    }
    s->depth++;
    s->trap_kind = 0;
    int t = s->entry(f->code, f->vmctx, vals, np > nr ? np : nr);
    s->depth--;
    return t;
}

int wasm_call(wasm_store *s, const wasm_extern *fn, uint64_t *vals)
{
    return wasm_run(s, fn->obj, vals);
}

const wasm_module *wasm_store_trap_module(const wasm_store *s)
{
    return s->trap_module;
}

const char *wasm_store_trap_func(const wasm_store *s, uint32_t *func)
{
    if (func)
        *func = s->trap_func;
    if (!s->trap_module || s->trap_func == WASM_NONE)
        return NULL;
    const char *name = wasm_module_func_name(s->trap_module, s->trap_func);
    if (name)
        return name;
    /* No name section entry: the name it is exported as, if any. */
    const struct wasm_module *m = s->trap_module;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const struct wasm_export *e = &m->exports[i];
        if (e->kind != WASM_EXT_FUNC || e->index != s->trap_func)
            continue;
        char *out = ((struct wasm_store *)s)->trap_name;
        uint32_t n = e->name.len < sizeof s->trap_name - 1 ? e->name.len
                                                           : sizeof s->trap_name - 1;
        for (uint32_t k = 0; k < n; k++)
            out[k] = e->name.s[k];
        out[n] = 0;
        return out;
    }
    return NULL;
}

/* Records the trap in the store (found through r15, which holds a vmctx
 * or host record at every instruction of compiled code) and sends the
 * context to the landing pad. */
static bool unwind(const struct wasm_code *c, uint32_t off, int kind,
                   struct wasm_trap_regs *regs)
{
    /* The function: the last one starting at or before the pc. */
    uint32_t func = WASM_NONE;
    uint32_t lo = 0, hi = c->nfuncs;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (c->func_off[mid] <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo > 0)
        func = c->first_func + lo - 1;

    struct wasm_store *s = *(struct wasm_store **)(uintptr_t)(regs->r15 + VMCTX_STORE);
    s->trap_kind = kind;
    s->trap_func = func;
    s->trap_module = c->m;
    regs->pc = (uintptr_t)s->landing;
    regs->sp = s->unwind_sp;
    regs->rax = (uint64_t)kind;
    return true;
}

bool wasm_trap_fault(void *owner, int cause, struct wasm_trap_regs *regs)
{
    const struct wasm_code *c = owner;
    uint64_t off = regs->pc - (uintptr_t)c->base;
    if (regs->pc < (uintptr_t)c->base || off >= c->size)
        return false;
    /* The trap site: binary search of the sorted table. */
    uint32_t lo = 0, hi = c->ntraps;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (c->traps[mid].off < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == c->ntraps || c->traps[lo].off != off)
        return false;
    int kind = c->traps[lo].kind;
    if (kind == WASM_TRAP_DYNAMIC)
        kind = (int)(uint32_t)regs->rax;
    else if (cause == WASM_FAULT_DIVIDE)
        kind = WASM_TRAP_DIV_ZERO;
    if (kind <= 0 || kind >= WASM_TRAP_COUNT)
        kind = WASM_TRAP_HOST;

    return unwind(c, (uint32_t)off, kind, regs);
}

/* A trap of `kind` at any instruction of a module's code (not a stub). */
static bool trap_anywhere(void *owner, int kind, struct wasm_trap_regs *regs)
{
    const struct wasm_code *c = owner;
    uint64_t off = regs->pc - (uintptr_t)c->base;
    if (!c->m || regs->pc < (uintptr_t)c->base || off >= c->size)
        return false;
    return unwind(c, (uint32_t)off, kind, regs);
}

bool wasm_trap_interrupt(void *owner, struct wasm_trap_regs *regs)
{
    return trap_anywhere(owner, WASM_TRAP_INTERRUPTED, regs);
}

bool wasm_trap_stack(void *owner, struct wasm_trap_regs *regs)
{
    return trap_anywhere(owner, WASM_TRAP_STACK, regs);
}
