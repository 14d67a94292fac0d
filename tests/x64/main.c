/* main.c: the encoder self check. Generates the cases (cases_*.c), writes
 * their text to one assembler file, runs `as --64`, `nm` and `objcopy -O
 * binary`, and compares each case's bytes with the encoder's. Ends with
 * "N passed, N failed"; exits 1 on any failure.
 *
 *   test-x64 [WORKDIR [--also PASSED FAILED]]
 *
 * WORKDIR holds the assembler files (default: a fresh directory under
 * /tmp); --also adds results of checks made outside (mk/x64.mk compiles
 * wasm/x64 with the kernel's flags) to the final line.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static uint8_t code[8 << 20];
static x64_asm asm_state;
x64_asm *A = &asm_state;

typedef struct tcase {
    uint32_t start, end;
    char *text;
} tcase;
static tcase *cases;
static unsigned n_cases, cap_cases;

void add_case(uint32_t start, const char *fmt, ...)
{
    if (n_cases == cap_cases) {
        cap_cases = cap_cases ? 2 * cap_cases : 4096;
        cases = realloc(cases, cap_cases * sizeof *cases);
    }
    va_list ap;
    va_start(ap, fmt);
    char *text;
    if (vasprintf(&text, fmt, ap) < 0)
        abort();
    va_end(ap);
    cases[n_cases++] = (tcase){ start, x64_pos(A), text };
}

static const char *const names[4][16] = {
    { "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
      "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b" },
    { "ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
      "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w" },
    { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
      "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d" },
    { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
      "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" },
};

const char *rn(x64_sz sz, int r)
{
    return names[sz == 1 ? 0 : sz == 2 ? 1 : sz == 4 ? 2 : 3][r];
}

const char *xn(int r)
{
    static const char *const x[16] = {
        "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
        "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15",
    };
    return x[r];
}

const char *ptr(unsigned size)
{
    switch (size) {
    case 1: return "byte ptr";
    case 2: return "word ptr";
    case 4: return "dword ptr";
    case 8: return "qword ptr";
    case 16: return "xmmword ptr";
    default: return "ymmword ptr";
    }
}

x64_label labels[64];

const char *ln(const x64_label *l)
{
    static char buf[8][16];
    static unsigned k;
    char *b = buf[k++ % 8];
    snprintf(b, 16, "L%d", (int)(l - labels));
    return b;
}

const char *nops_text(unsigned n)
{
    static char buf[4][2048];
    static unsigned k;
    char *b = buf[k++ % 4];
    size_t len = 0;
    b[0] = 0;
    for (; n; n -= n > 9 ? 9 : n)
        len += (size_t)snprintf(b + len, sizeof buf[0] - len, "%s.nops %u, 9",
                                len ? "\n\t" : "", n > 9 ? 9 : n);
    return b;
}

const char *mt(x64_mem m)
{
    static char buf[8][96];
    static unsigned k;
    char *b = buf[k++ % 8];
    char disp[24] = "";
    if (m.disp < 0)
        snprintf(disp, sizeof disp, "-0x%x", (unsigned)-(int64_t)m.disp);
    else if (m.disp > 0 || m.base == X64_NOREG)
        snprintf(disp, sizeof disp, "+0x%x", (unsigned)m.disp);
    if (m.base == X64_RIP) {
        if (m.label)
            snprintf(b, 96, "[rip+%s]", ln(m.label));
        else
            snprintf(b, 96, "[rip%s]", disp[0] ? disp : "+0");
    } else if (m.base == X64_NOREG && m.index == X64_NOREG) {
        /* GNU as needs a segment to take a bare number as an address. */
        snprintf(b, 96, "ds:[%s]", disp + 1);
    } else {
        char bi[48] = "";
        if (m.base != X64_NOREG)
            snprintf(bi, sizeof bi, "%s", rn(X64_S64, m.base));
        if (m.index != X64_NOREG)
            snprintf(bi + strlen(bi), sizeof bi - strlen(bi), "%s%s*%d",
                     m.base != X64_NOREG ? "+" : "", rn(X64_S64, m.index),
                     1 << m.scale);
        snprintf(b, 96, "[%s%s]", bi, disp);
    }
    return b;
}

const int some_regs[] = {
    X64_RAX, X64_RCX, X64_RDX, X64_RBX, X64_RSP, X64_RBP, X64_RSI, X64_RDI,
    X64_R8, X64_R11, X64_R12, X64_R13, X64_R15,
};
const unsigned n_some_regs = sizeof some_regs / sizeof some_regs[0];

const x64_mem some_mems[] = {
    { 0, X64_RAX, X64_NOREG, 0, NULL },
    { 8, X64_RCX, X64_NOREG, 0, NULL },
    { 0, X64_RSP, X64_NOREG, 0, NULL },
    { 16, X64_RSP, X64_NOREG, 0, NULL },
    { 0, X64_RBP, X64_NOREG, 0, NULL },
    { -8, X64_RBP, X64_NOREG, 0, NULL },
    { 0, X64_R12, X64_NOREG, 0, NULL },
    { 0x100, X64_R12, X64_NOREG, 0, NULL },
    { 0, X64_R13, X64_NOREG, 0, NULL },
    { 127, X64_R13, X64_NOREG, 0, NULL },
    { -128, X64_R9, X64_NOREG, 0, NULL },
    { 128, X64_RDI, X64_NOREG, 0, NULL },
    { -129, X64_R15, X64_NOREG, 0, NULL },
    { 0x12345678, X64_RBX, X64_NOREG, 0, NULL },
    { INT32_MIN, X64_RSI, X64_NOREG, 0, NULL },
    { 0, X64_RAX, X64_RBX, 1, NULL },
    { -0x80, X64_R8, X64_R9, 3, NULL },
    { 0x7f, X64_RSP, X64_RBP, 0, NULL },
    { 0x12345678, X64_R15, X64_R12, 2, NULL },
    { 0, X64_RBP, X64_RAX, 2, NULL },
    { 0, X64_R13, X64_R14, 3, NULL },
    { 4, X64_R12, X64_R13, 1, NULL },
    { 0x20, X64_NOREG, X64_RAX, 2, NULL },
    { -4, X64_NOREG, X64_R12, 3, NULL },
    { 0x1000, X64_NOREG, X64_NOREG, 0, NULL },
    { 0x10, X64_RIP, X64_NOREG, 0, NULL },
    { -4, X64_RIP, X64_NOREG, 0, NULL },
};
const unsigned n_some_mems = sizeof some_mems / sizeof some_mems[0];

const char *const cc_names[16] = {
    "o", "no", "b", "ae", "e", "ne", "be", "a",
    "s", "ns", "p", "np", "l", "ge", "le", "g",
};

static int run(const char *cmd)
{
    int rc = system(cmd);
    if (rc != 0)
        fprintf(stderr, "test-x64: `%s` failed (%d)\n", cmd, rc);
    return rc;
}

static void hex(char *out, const uint8_t *p, unsigned n)
{
    out[0] = 0;
    for (unsigned i = 0; i < n && i < 40; i++)
        sprintf(out + 3 * i, "%02x ", p[i]);
}

int main(int argc, char **argv)
{
    char dir[256];
    int also_passed = 0, also_failed = 0;
    if (argc > 4 && strcmp(argv[2], "--also") == 0) {
        also_passed = atoi(argv[3]);
        also_failed = atoi(argv[4]);
    }
    if (argc > 1) {
        snprintf(dir, sizeof dir, "%s", argv[1]);
    } else {
        snprintf(dir, sizeof dir, "/tmp/test-x64.XXXXXX");
        if (!mkdtemp(dir))
            return perror("mkdtemp"), 2;
    }
    x64_init(A, code, sizeof code, NULL, NULL);
    cases_int();
    cases_ctl();
    cases_sse();
    cases_simd();
    if (x64_failed(A)) {
        fprintf(stderr, "test-x64: encoder error %u\n", x64_failed(A));
        return 1;
    }

    char path[512], cmd[2048];
    snprintf(path, sizeof path, "%s/cases.s", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return perror(path), 2;
    fprintf(f, ".intel_syntax noprefix\n.text\n");
    for (unsigned i = 0; i < n_cases; i++)
        fprintf(f, "c%u:\n\t%s\n", i, cases[i].text);
    fprintf(f, "c%u:\n", n_cases);
    fclose(f);
    snprintf(cmd, sizeof cmd,
             "cd %s && as --64 -o cases.o cases.s && objcopy -O binary -j .text cases.o cases.bin"
             " && nm cases.o > cases.nm", dir);
    if (run(cmd))
        return 1;

    /* Case offsets in the assembled text, by label. */
    uint32_t *off = calloc(n_cases + 1, sizeof *off);
    snprintf(path, sizeof path, "%s/cases.nm", dir);
    f = fopen(path, "r");
    char line[256];
    while (f && fgets(line, sizeof line, f)) {
        unsigned long long v;
        char t, name[128];
        unsigned k;
        if (sscanf(line, "%llx %c %127s", &v, &t, name) == 3 &&
            sscanf(name, "c%u", &k) == 1 && k <= n_cases)
            off[k] = (uint32_t)v;
    }
    if (f)
        fclose(f);
    snprintf(path, sizeof path, "%s/cases.bin", dir);
    f = fopen(path, "rb");
    static uint8_t ref[sizeof code];
    size_t nref = f ? fread(ref, 1, sizeof ref, f) : 0;
    if (f)
        fclose(f);

    int passed = 0, failed = 0;
    for (unsigned i = 0; i < n_cases; i++) {
        tcase *c = &cases[i];
        uint32_t rs = off[i], rl = off[i + 1] - off[i], ml = c->end - c->start;
        if (rs + rl <= nref && rl == ml && memcmp(ref + rs, code + c->start, ml) == 0) {
            passed++;
            continue;
        }
        char h1[128], h2[128];
        hex(h1, code + c->start, ml);
        hex(h2, rs + rl <= nref ? ref + rs : ref, rs + rl <= nref ? rl : 0);
        printf("MISMATCH %s\n   encoder: %s\n   as:      %s\n", c->text, h1, h2);
        failed++;
    }
    free(off);
    for (unsigned i = 0; i < n_cases; i++)
        free(cases[i].text);
    free(cases);
    failed += checks_runtime(&passed);
    failed += checks_exec(&passed);
    passed += also_passed;
    failed += also_failed;
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
