/*
 * atoll-codehash FILE.wasm...: for each module, a hash of the machine code
 * Atoll's compiler makes for it (code bytes, trap sites, function
 * offsets), its code region's size and its name, or "refused". Two builds
 * of the compiler made the same code when they print the same lines: the
 * check behind "generated code unchanged" in a refactoring
 * (`make code-hashes` runs it over SQLite, the bench programs and the
 * spec modules).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../wasm/wasm.h"
#include "../wasm/runtime/runtime.h"

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f)
            continue;
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        uint8_t *buf = malloc(n ? (size_t)n : 1);
        if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
            fclose(f);
            free(buf);
            continue;
        }
        fclose(f);
        wasm_error err;
        wasm_module *m = wasm_module_decode(buf, (size_t)n, NULL, &err);
        wasm_compiled *c = m ? wasm_compile(m, &err) : NULL;
        if (!c) {
            printf("refused %s\n", argv[i]);
        } else {
            uint64_t h = fnv(0xcbf29ce484222325ull, c->code.base, c->code.size);
            for (uint32_t k = 0; k < c->code.ntraps; k++) {     /* fields, not padding */
                h = fnv(h, &c->code.traps[k].off, sizeof c->code.traps[k].off);
                h = fnv(h, &c->code.traps[k].kind, sizeof c->code.traps[k].kind);
            }
            h = fnv(h, c->code.func_off, c->code.nfuncs * sizeof *c->code.func_off);
            printf("%016llx %zu %s\n", (unsigned long long)h, c->code.size, argv[i]);
            wasm_compiled_free(c);
        }
        if (m)
            wasm_module_free(m);
        free(buf);
    }
    return 0;
}
