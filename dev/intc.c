/*
 * Choosing the interrupt controller: ACPI's MADT describes the local APIC
 * and I/O APICs; without a valid one (or with `noapic`) the 8259 PIC,
 * already remapped and masked, stays in charge.
 */
#include <stddef.h>

#include "dev/intc.h"

#include "arch/x86/cpu.h"
#include "boot/bootinfo.h"
#include "dev/acpi.h"
#include "dev/ioapic.h"
#include "dev/lapic.h"
#include "dev/madt.h"
#include "dev/pic.h"
#include "base/cmdline.h"
#include "base/log.h"

static enum intc_mode mode = INTC_PIC;
static struct madt_info madt;
static uint64_t lapic_errors;

/* In PIC mode the local APIC (as virtual wire) may still raise its own
 * error interrupt, which it must see an EOI for. */
static void eoi_pic(int vector)
{
    if (vector >= VEC_IRQ_BASE && vector < VEC_IRQ_BASE + ISA_IRQS)
        pic_eoi(vector);
    else if (lapic_active())
        lapic_eoi();
}

static void eoi_lapic(int vector)
{
    (void)vector;
    lapic_eoi();
}

static void lapic_error(struct trap_frame *f, void *ctx)
{
    (void)f;
    (void)ctx;
    uint32_t esr = lapic_read_esr();
    /* A few lines are enough to diagnose; a storm must not flood the log. */
    if (lapic_errors++ < 8)
        pr_warn("lapic: error interrupt, ESR %#x\n", esr);
}

/* Reads the MADT into `madt`. 0, or -1 with the reason logged. */
static int load_madt(void)
{
    if (acpi_init())
        return -1;
    struct acpi_mapping m;
    const struct acpi_sdt_header *h = acpi_map_table("APIC", &m);
    if (!h) {
        pr_warn("intc: no valid MADT\n");
        return -1;
    }
    size_t bad = 0;
    const char *err = madt_parse(h, h->length, &madt, &bad);
    acpi_unmap(&m);
    if (err) {
        pr_warn("intc: MADT rejected at offset %zu: %s\n", bad, err);
        return -1;
    }
    if (madt.dropped)
        pr_warn("intc: MADT has more entries than the kernel keeps (%d dropped)\n", madt.dropped);
    if (!madt.ioapic_count) {
        pr_warn("intc: MADT lists no I/O APIC\n");
        return -1;
    }
    return 0;
}

static void apply_nmis(void)
{
    uint32_t id = lapic_id();
    uint32_t uid = MADT_UID_ALL;
    for (int i = 0; i < madt.cpu_count; i++)
        if (madt.cpus[i].apic_id == id)
            uid = madt.cpus[i].uid;
    for (int i = 0; i < madt.nmi_count; i++)
        if (madt.nmis[i].uid == MADT_UID_ALL || madt.nmis[i].uid == uid)
            lapic_set_lint_nmi(madt.nmis[i].lint, madt.nmis[i].flags);
}

/* A register window inside usable RAM is a corrupt MADT: writing the
 * "registers" there would scribble over memory the kernel hands out. */
static bool in_usable_ram(paddr_t pa, size_t len)
{
    for (int i = 0; i < bootinfo.memmap_count; i++) {
        const struct mem_region *r = &bootinfo.memmap[i];
        if (r->type == MEM_USABLE && pa < r->base + r->len && r->base < pa + len)
            return true;
    }
    return false;
}

static int start_apic(void)
{
    if (load_madt())
        return -1;
    for (int i = 0; i < madt.ioapic_count; i++) {
        const struct madt_ioapic *io = &madt.ioapics[i];
        if (in_usable_ram(io->addr, IOAPIC_WINDOW))
            pr_warn("intc: MADT puts an I/O APIC in RAM at %#x; ignored\n", io->addr);
        else if (ioapic_add(io->id, io->addr, io->gsi_base))
            pr_warn("intc: cannot use the I/O APIC at %#x\n", io->addr);
    }
    if (!ioapic_count())
        return -1;
    /* The I/O APIC entries are all masked: leaving now keeps them so. */
    if (lapic_init(madt.lapic_addr, VEC_SPURIOUS, VEC_LAPIC_ERROR))
        return -1;
    apply_nmis();
    trap_set_irq_handler(VEC_LAPIC_ERROR, lapic_error, NULL);
    for (int i = 0; i < madt.override_count; i++) {
        const struct madt_override *o = &madt.overrides[i];
        pr_debug("intc: ISA IRQ %u -> GSI %u, flags %#x\n", o->source, o->gsi, o->flags);
    }
    return 0;
}

/* The PIC's interrupts reach the CPU through the local APIC's LINT0 when
 * there is one: make sure that wire is connected. */
static void start_pic(void)
{
    if (!cpu.apic)
        return;
    if (lapic_init_virtual_wire(VEC_SPURIOUS, VEC_LAPIC_ERROR)) {
        pr_warn("intc: local APIC not set up as virtual wire; PIC interrupts may not arrive\n");
        return;
    }
    trap_set_irq_handler(VEC_LAPIC_ERROR, lapic_error, NULL);
}

void intc_init(void)
{
    pic_init();
    trap_eoi = eoi_pic;
    char opt[4];
    if (cmdline_get("noapic", opt, sizeof opt)) {
        start_pic();
        pr_info("intc: 8259 PIC (boot option noapic)\n");
        return;
    }
    if (start_apic()) {
        start_pic();
        pr_warn("intc: falling back to the 8259 PIC\n");
        return;
    }
    trap_eoi = eoi_lapic;
    mode = INTC_APIC;
    pr_info("intc: local APIC id %u (%s), %d I/O APIC(s) with %u GSIs, %d CPU(s) in the MADT, "
            "%d source override(s); 8259 PIC masked\n",
            lapic_id(), lapic_x2apic() ? "x2APIC" : "xAPIC", ioapic_count(), ioapic_gsi_count(),
            madt.cpu_count, madt.override_count);
}

enum intc_mode intc_mode(void)
{
    return mode;
}

const char *intc_name(void)
{
    return mode == INTC_APIC ? "local APIC + I/O APIC" : "8259 PIC";
}

unsigned intc_isa_gsi(unsigned irq)
{
    if (mode == INTC_PIC)
        return irq;
    uint32_t gsi;
    uint16_t flags;
    madt_isa_irq(&madt, irq, &gsi, &flags);
    return gsi;
}

int intc_enable_isa_irq(unsigned irq, irq_handler_fn fn, void *ctx)
{
    if (irq >= ISA_IRQS || irq == 2)
        return -1;
    int vector = VEC_IRQ_BASE + (int)irq;
    trap_set_irq_handler(vector, fn, ctx);
    if (mode == INTC_PIC) {
        pic_unmask(irq);
        return 0;
    }
    uint32_t gsi;
    uint16_t flags;
    madt_isa_irq(&madt, irq, &gsi, &flags);
    bool low = (flags & MADT_POLARITY_MASK) == MADT_POLARITY_LOW;
    bool level = (flags & MADT_TRIGGER_MASK) == MADT_TRIGGER_LEVEL;
    if (ioapic_route(gsi, (uint8_t)vector, low, level, lapic_id())) {
        pr_warn("intc: ISA IRQ %u (GSI %u) has no I/O APIC\n", irq, gsi);
        trap_set_irq_handler(vector, NULL, NULL);
        return -1;
    }
    return 0;
}

void intc_disable_isa_irq(unsigned irq)
{
    if (irq >= ISA_IRQS)
        return;
    if (mode == INTC_PIC)
        pic_mask(irq);
    else
        ioapic_set_masked(intc_isa_gsi(irq), true);
    trap_set_irq_handler(VEC_IRQ_BASE + (int)irq, NULL, NULL);
}

void intc_mask_isa_irq(unsigned irq, bool masked)
{
    if (irq >= ISA_IRQS)
        return;
    if (mode == INTC_PIC) {
        if (masked)
            pic_mask(irq);
        else
            pic_unmask(irq);
    } else {
        ioapic_set_masked(intc_isa_gsi(irq), masked);
    }
}
