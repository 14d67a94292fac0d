/*
 * Symbol lookup over the table that scripts/gen-ksyms.py emits: entries
 * sorted by address, each with its size, names in one string blob.
 */
#include "base/ksyms.h"

#include "lib/fmt.h"
#include "lib/string.h"

struct ksym {
    uint64_t addr;
    uint32_t size;
    uint32_t name;      /* offset into ksyms_names */
};

extern const uint64_t ksyms_count;
extern const struct ksym ksyms_table[];
extern const char ksyms_names[];

const char *ksym_lookup(uintptr_t addr, uintptr_t *offset)
{
    size_t lo = 0, hi = ksyms_count;
    while (lo < hi) {   /* first entry with entry.addr > addr */
        size_t mid = lo + (hi - lo) / 2;
        if (ksyms_table[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    const struct ksym *s = &ksyms_table[lo - 1];
    uintptr_t off = addr - s->addr;
    /* Size 0 (assembly labels) is trusted up to the next symbol. */
    if (s->size && off >= s->size)
        return NULL;
    if (offset)
        *offset = off;
    return &ksyms_names[s->name];
}

uintptr_t ksym_address(const char *name)
{
    for (uint64_t i = 0; i < ksyms_count; i++)
        if (strcmp(&ksyms_names[ksyms_table[i].name], name) == 0)
            return ksyms_table[i].addr;
    return 0;
}

void ksym_format(uintptr_t addr, char *buf, size_t size)
{
    uintptr_t off;
    const char *name = ksym_lookup(addr, &off);
    if (name)
        fmt_snprintf(buf, size, "%s+%#lx", name, (unsigned long)off);
    else
        fmt_snprintf(buf, size, "%#lx", (unsigned long)addr);
}
