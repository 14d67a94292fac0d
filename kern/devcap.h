/*
 * Device capabilities: the kernel objects a driver in Wasm holds to reach
 * its device (docs/drivers.md). Two kinds so far:
 *
 * - an I/O port range (KOBJ_IOPORTS): ports [first, first+count); port_in
 *   and port_out reach them, ioport_range derives a smaller range. The
 *   root range, granted to userboot at boot, covers every port, but every
 *   object, the root too, reaches only the ports of the kernel's list of
 *   grantable windows (devcap.c): the kernel's own devices are never
 *   reachable.
 * - an interrupt object (KOBJ_IRQ): a set of ISA lines (the root, granted
 *   at boot), from which irq_line claims one line as a line object. A
 *   line object asserts SIGNAL_READABLE when its interrupt fires, and the
 *   kernel masks the line until irq_ack: a device whose driver never
 *   acknowledges raises one interrupt, not a storm. The line is released
 *   (masked, its handler removed) when the line object goes.
 */
#ifndef KERN_DEVCAP_H
#define KERN_DEVCAP_H

#include <stdbool.h>
#include <stdint.h>

#include "kern/object.h"

struct account;

/* The roots userboot is granted (kern/userboot.c), with one reference;
 * NULL when out of memory. */
struct kobj *devcap_root_ports(void);
struct kobj *devcap_root_irqs(void);

/* Whether ports [port, port+count) all lie in one window of the kernel's
 * grantable list (count >= 1). */
bool devcap_ports_grantable(uint32_t port, uint32_t count);

/* Whether ISA line `line` may be claimed by a driver. */
bool devcap_line_grantable(uint32_t line);

/* ioport_range's work on a decoded range: a new range object for
 * [first, first+count) charged to acct, with one reference, in *out.
 * CORAL_EINVAL for a count of 0 or a range past 0xffff, CORAL_ERIGHTS
 * beyond parent's range or reaching a port the kernel keeps,
 * CORAL_EINTERNAL out of memory or over acct's limit. */
int devcap_ioport_range(struct kobj *parent, uint32_t first, uint32_t count,
                        struct account *acct, struct kobj **out);

/* Whether range may be accessed at port with width: CORAL_OK, or
 * CORAL_EINVAL (a width other than 1, 2, 4; a port past 0xffff),
 * CORAL_ERIGHTS (a byte of the access outside range or not grantable). */
int devcap_port_check(struct kobj *range, uint32_t port, uint32_t width);

/* irq_line's work on a decoded set: claims ISA line `line` as a new line
 * object charged to acct, with one reference, in *out. CORAL_EINVAL past
 * line 15, CORAL_ERIGHTS outside the set or kept by the kernel,
 * CORAL_EBUSY held by another line object, CORAL_EINTERNAL out of memory
 * or the line cannot be routed. */
int devcap_irq_line(struct kobj *lines, uint32_t line, struct account *acct, struct kobj **out);

/* irq_ack's work: clears the line object's readable signal and unmasks
 * its line; *fired gets the interrupts it has taken since it was claimed.
 * CORAL_EINVAL on a set of lines. */
int devcap_irq_ack(struct kobj *irq, uint64_t *fired);

#endif
