/*
 * The `demo` command: module_create on the embedded demo.wat bytes (in this
 * program's own memory, handle ATOLL_SELF), component_create,
 * component_add_instance, then component_call of each export, printing every
 * result code and handle kind. It stops at the first failure, and drops the
 * handles it made either way, so running it again does not leak.
 */
#include "user/userboot/demo.h"

#include "demo_wasm.h"
#include "user/userboot/console.h"

static const char *kind_name(int32_t kind)
{
    switch (kind) {
    case ATOLL_KIND_VMA: return "VMA";
    case ATOLL_KIND_MODULE: return "module";
    case ATOLL_KIND_COMPONENT: return "component";
    default: return "invalid";
    }
}

static void print_handle(const char *call, int32_t r, atoll_handle h)
{
    if (r != ATOLL_OK) {
        con_printf("demo: %s = %d %s\n", call, (int)r, atoll_result_name(r));
        return;
    }
    int32_t kind = atoll_handle_kind(h);
    con_printf("demo: %s = 0 ok, kind %d (%s)\n", call, (int)kind, kind_name(kind));
}

/* Calls export name of instance; false if the call did not return normally. */
static void call(atoll_handle comp, int32_t inst, const char *name, int has_arg,
                 int64_t arg)
{
    int64_t result = 0;
    int32_t r = atoll_component_call(comp, inst, ATOLL_SELF, atoll_off(name),
                                     (int64_t)strlen(name), arg, &result);
    char shown[32];
    if (has_arg)
        fmt_snprintf(shown, sizeof shown, "%s(%lld)", name, (long long)arg);
    else
        fmt_snprintf(shown, sizeof shown, "%s()", name);
    if (r == ATOLL_OK)
        con_printf("demo: call %s = 0 ok, result %lld\n", shown, (long long)result);
    else if (r == ATOLL_ETRAPPED)
        con_printf("demo: call %s = 4 trapped, trap %lld (%s)\n", shown,
                   (long long)result, atoll_trap_name(result));
    else
        con_printf("demo: call %s = %d %s\n", shown, (int)r, atoll_result_name(r));
}

void cmd_demo(const char *args)
{
    (void)args;
    atoll_handle mod = -1, comp = -1;
    int32_t inst = -1;
    char what[64];

    /* %llu, not %zu: lib/fmt.c reads a z argument as 64 bits, and size_t
     * is 32 bits on wasm32. */
    fmt_snprintf(what, sizeof what, "module_create(demo.wasm, %llu bytes)",
                 (unsigned long long)demo_wasm_len);
    int32_t r = atoll_module_create(ATOLL_SELF, atoll_off(demo_wasm),
                                    (int64_t)demo_wasm_len, &mod);
    print_handle(what, r, mod);
    if (r != ATOLL_OK)
        return;

    r = atoll_component_create(&comp);
    print_handle("component_create()", r, comp);
    if (r != ATOLL_OK)
        goto out;

    r = atoll_component_add_instance(comp, mod, &inst);
    if (r == ATOLL_OK)
        con_printf("demo: component_add_instance() = 0 ok, instance %d\n", (int)inst);
    else
        con_printf("demo: component_add_instance() = %d %s\n", (int)r,
                   atoll_result_name(r));
    if (r != ATOLL_OK)
        goto out;

    call(comp, inst, "answer", 0, 0);
    call(comp, inst, "square", 1, 12);
    call(comp, inst, "boom", 0, 0);

out:
    /* Our references only: the kernel frees each object once nothing
     * (a handle, an instance made from the module) uses it any more. */
    if (comp >= 0)
        con_printf("demo: handle_drop(component) = %d\n", (int)atoll_handle_drop(comp));
    con_printf("demo: handle_drop(module) = %d\n", (int)atoll_handle_drop(mod));
}
