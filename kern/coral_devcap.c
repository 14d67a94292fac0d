/*
 * The device capability calls (docs/abi.md "Devices", docs/drivers.md):
 * ioport_range, port_in, port_out, irq_line, irq_ack. Each decodes every
 * argument (the handle, its kind and right; the numbers, by
 * kern/devcap.c's checks), then acts: nothing a guest passes reaches a
 * port or the interrupt controller unchecked.
 */
#include "kern/coral_impl.h"

#include "dev/devio.h"
#include "kern/devcap.h"

/* Puts a new object made from a handle with rights `rights` into c's
 * space with those rights (a read-only range's parts are read-only),
 * giving it the object's reference: status and handle into vals. */
static void give_as(struct component *c, int st, struct kobj *o, uint32_t rights,
                    uint64_t *vals)
{
    handle_t h = HANDLE_NULL;
    if (!st) {
        h = component_handle_make(c, o, rights);
        kobj_put(o);
        if (h == HANDLE_NULL)
            st = CORAL_EINTERNAL;
    }
    vals[0] = (uint32_t)st;
    vals[1] = h;
}

int sys_ioport_range(void *env, uint64_t *vals)
{
    struct component *c = env;
    struct kobj *p, *n = NULL;
    uint32_t rights = 0;
    int st = component_handle_get(c, arg_handle(vals, 0), KOBJ_IOPORTS, RIGHT_CONTROL, &p,
                                  &rights);
    if (!st)
        st = devcap_ioport_range(p, (uint32_t)vals[1], (uint32_t)vals[2], c->areas, &n);
    release(p);
    give_as(c, st, n, rights, vals);
    return 0;
}

/* The port and ack calls are a driver's every-interrupt path: the range
 * or line is borrowed from the handle's slot (no reference taken), as
 * the IPC calls do; nothing here drops a handle. */
int sys_port_in(void *env, uint64_t *vals)
{
    struct kobj *p;
    bool held;
    uint32_t port = (uint32_t)vals[1], width = (uint32_t)vals[2];
    int st = arg_borrow(env, arg_handle(vals, 0), KOBJ_IOPORTS, RIGHT_READ, true, &p, &held);
    if (!st)
        st = devcap_port_check(p, port, width);
    uint32_t v = st ? 0 : devio_in((uint16_t)port, width);
    if (p)
        arg_return(p, held);
    vals[0] = (uint32_t)st;
    vals[1] = v;
    return 0;
}

int sys_port_out(void *env, uint64_t *vals)
{
    struct kobj *p;
    bool held;
    uint32_t port = (uint32_t)vals[1], width = (uint32_t)vals[2];
    int st = arg_borrow(env, arg_handle(vals, 0), KOBJ_IOPORTS, RIGHT_WRITE, true, &p, &held);
    if (!st)
        st = devcap_port_check(p, port, width);
    if (!st)
        devio_out((uint16_t)port, width, (uint32_t)vals[3]);
    if (p)
        arg_return(p, held);
    vals[0] = (uint32_t)st;
    return 0;
}

int sys_irq_line(void *env, uint64_t *vals)
{
    struct component *c = env;
    struct kobj *set, *q = NULL;
    uint32_t rights = 0;
    int st = component_handle_get(c, arg_handle(vals, 0), KOBJ_IRQ, RIGHT_CONTROL, &set, &rights);
    if (!st)
        st = devcap_irq_line(set, (uint32_t)vals[1], c->areas, &q);
    release(set);
    give_as(c, st, q, rights, vals);
    return 0;
}

int sys_irq_ack(void *env, uint64_t *vals)
{
    struct kobj *q;
    bool held;
    uint64_t fired = 0;
    int st = arg_borrow(env, arg_handle(vals, 0), KOBJ_IRQ, RIGHT_WAIT, true, &q, &held);
    if (!st)
        st = devcap_irq_ack(q, &fired);
    if (q)
        arg_return(q, held);
    vals[0] = (uint32_t)st;
    vals[1] = fired;
    return 0;
}
