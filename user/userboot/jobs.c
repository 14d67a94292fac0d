/*
 * The job table and the shell's commands about programs. A job is the
 * component `run` built (programs.c) and started, with its console: a
 * memory area that carries the arguments in and the program's output out,
 * through a ring the program fills and the shell drains (program_abi.h).
 * A job also has two channels: one to the service registry
 * (registry.c, served here at every tick) and one its input comes on:
 * while it runs in the foreground, the lines typed at the shell (shell.c).
 * Nothing here waits for a program: a job is first loading, its
 * instances added one at a time on its own thread (programs.c), then
 * running, its entry started; run returns once the first add is queued,
 * and jobs_tick, at every timer tick, moves loading on, copies the output
 * and polls component_status. A job that ended is reported once and
 * forgotten: its handles are dropped, which lets the kernel free the
 * component.
 */
#include "user/userboot/jobs.h"

#include "user/sdk/program_abi.h"
#include "user/userboot/console.h"
#include "user/userboot/devices.h"
#include "user/userboot/programs.h"
#include "user/userboot/registry.h"
#include "user/userboot/shell.h"

/* Output copied per job per tick while it runs (all of it once it ended):
 * a program printing without pause cannot starve the shell. */
#define DRAIN_PER_TICK 8192
#define ARGV_MAX 32
#define SHELL_ID 1        /* userboot is the kernel's component 1 */
#define SHELL_INSTANCES 2 /* env and userboot */
#define ENV_MAX 1024      /* bytes of a WASI command's environment */
#define DIRS_MAX 1024     /* bytes of its preopened folders' names */

struct job {
    bool used;
    bool fg;                      /* the prompt waits for it */
    bool loading;                 /* its instances are being added */
    int64_t id;                   /* the kernel's component number */
    char name[JOB_NAME_MAX + 1];
    atoll_handle comp, con;       /* the component, its console */
    atoll_handle reg;             /* our end of its registry channel */
    atoll_handle in;              /* our end of its input channel; -1 once
                                     closed (end of input) */
    atoll_handle start;           /* a WASI command's: our end of its
                                     layer's start channel, or -1 */
    uint32_t tail;                /* output bytes consumed, mod 2^32 */
    uint32_t left;                /* bytes drain left in the ring */
    struct program_build build;   /* while loading */
    /* A WASI command's start message (program_abi.h): the magic, the
     * environment's length, its NAME=value strings, then the preopened
     * folders' pairs, each NUL-terminated; msg_len bytes. */
    uint8_t msg[12 + ENV_MAX + DIRS_MAX];
    uint32_t msg_len;
};

static struct job jobs[JOBS_MAX];
static uint8_t chunk[ATOLL_CON_RING_SIZE];

_Static_assert((ATOLL_CON_RING_SIZE & (ATOLL_CON_RING_SIZE - 1)) == 0,
               "the ring size is a power of two");

bool jobs_foreground(void)
{
    for (int i = 0; i < JOBS_MAX; i++)
        if (jobs[i].used && jobs[i].fg)
            return true;
    return false;
}

/* A program's byte on the console: '\r' is dropped, '\t' moves to the
 * next multiple of 8 columns, other control bytes show as '?'. */
static void put_output(uint8_t c)
{
    if (c == '\r')
        return;
    if (c == '\t') {
        do
            con_putc(' ');
        while (con_col() % 8);
        return;
    }
    con_putc(c == '\n' || (c >= 0x20 && c <= 0x7E) ? (char)c : '?');
}

/* Copies at most max bytes of j's output to the console; returns how
 * many, and sets j->left to what stays in the ring. No more than the
 * serial terminal can take (a byte becomes at most 8, a tab's spaces):
 * the rest waits in the ring, and the program waits for room, so nothing
 * is lost. A head more than a ring ahead of tail is a program's lie: the
 * bytes it claims and cannot have kept are skipped. */
static uint32_t drain(struct job *j, uint32_t max)
{
    static uint32_t head;
    if (atoll_vma_write(j->con, ATOLL_SELF, ATOLL_CON_OFF_HEAD, atoll_off(&head), 4) != ATOLL_OK)
        return j->left = 0;
    uint32_t n = head - j->tail;
    if (n > ATOLL_CON_RING_SIZE) {
        j->tail = head - ATOLL_CON_RING_SIZE;
        n = ATOLL_CON_RING_SIZE;
    }
    j->left = n;
    if (max > con_term_room() / 8)
        max = con_term_room() / 8;
    if (n > max)
        n = max;
    j->left -= n;
    if (n == 0)
        return 0;
    uint32_t start = j->tail % ATOLL_CON_RING_SIZE;
    uint32_t first = n < ATOLL_CON_RING_SIZE - start ? n : ATOLL_CON_RING_SIZE - start;
    atoll_vma_write(j->con, ATOLL_SELF, ATOLL_CON_OFF_RING + start, atoll_off(chunk), first);
    if (n > first)
        atoll_vma_write(j->con, ATOLL_SELF, ATOLL_CON_OFF_RING, atoll_off(chunk + first),
                        n - first);
    shell_hide();
    for (uint32_t i = 0; i < n; i++)
        put_output(chunk[i]);
    j->tail += n;
    atoll_vma_write(ATOLL_SELF, j->con, atoll_off(&j->tail), ATOLL_CON_OFF_TAIL, 4);
    return n;
}

/* Drops j's handles (the kernel frees what nobody else holds) and its
 * slot. */
static void forget(struct job *j)
{
    atoll_handle_drop(j->comp);
    atoll_handle_drop(j->con);
    atoll_handle_drop(j->reg);
    if (j->in >= 0)
        atoll_handle_drop(j->in);
    if (j->start >= 0)
        atoll_handle_drop(j->start);
    memset(j, 0, sizeof *j);
}

/* Reports how j ended and forgets it. */
static void finish(struct job *j, int32_t state, int64_t value)
{
    char pre[24] = "";
    if (!j->fg)
        fmt_snprintf(pre, sizeof pre, "[%lld] ", (long long)j->id);
    shell_hide();
    if (con_col() != 0)
        con_putc('\n'); /* the program's last line had no newline */
    if (state == ATOLL_STATE_IDLE || state == ATOLL_STATE_EXITED) {
        /* Returned from its entry, or exited (a WASI proc_exit). */
        int status = (int)(int32_t)value;
        if (!j->fg)
            con_printf("%s%s exited with status %d\n", pre, j->name, status);
        else if (status != 0)
            con_printf("%s: exit status %d\n", j->name, status);
    } else if (state == ATOLL_STATE_TRAPPED) {
        static char text[160];
        int64_t n = 0;
        if (atoll_component_describe(j->comp, ATOLL_SELF, atoll_off(text),
                                     (int64_t)sizeof text - 1, &n) != ATOLL_OK || n < 0)
            n = fmt_snprintf(text, sizeof text, "trapped: %s", atoll_trap_name(value));
        if (n > (int64_t)sizeof text - 1)
            n = sizeof text - 1;
        text[n] = 0;
        con_printf("%s%s: %s\n", pre, j->name, text);
    } else if (state == ATOLL_STATE_KILLED) {
        con_printf("%s%s%s\n", pre, j->name, j->fg ? ": killed" : " killed");
    } else {
        con_printf("%s%s: lost (component_status %d)\n", pre, j->name, (int)state);
    }
    forget(j);
}

/* Reports why j could not be started and forgets it. */
static void abandon(struct job *j, const char *why)
{
    shell_hide();
    if (con_col() != 0)
        con_putc('\n');
    if (j->fg)
        con_printf("run: %s: %s\n", j->name, why);
    else
        con_printf("[%lld] run: %s: %s\n", (long long)j->id, j->name, why);
    forget(j);
}

/* Moves j's loading on: the next add, or, all added, the start of its
 * entry. False when j failed to load (reported and forgotten). */
static bool load(struct job *j)
{
    static char why[192];
    switch (programs_build_step(&j->build, why, sizeof why)) {
    case BUILD_WAIT:
    case BUILD_ENDED: /* killed: jobs_tick reports it */
        return true;
    case BUILD_FAILED:
        abandon(j, why);
        return false;
    case BUILD_DONE:
        break;
    }
    const char *entry = ATOLL_ENTRY;
    if (j->build.plan.wasi) {
        /* The WASI layer's start message: the program's memory and a
         * connection to the file service; without one (no fsd in the
         * image) the program gets no folders. */
        atoll_handle mem, fs = -1;
        int32_t r = atoll_component_memory(j->comp, j->build.index, &mem);
        if (r == ATOLL_OK && registry_connect(ATOLL_FS_SERVICE, &fs) != ATOLL_REG_OK) {
            uint32_t env_len;
            memcpy(&env_len, j->msg + 4, 4);
            j->msg_len = 12 + env_len;  /* the folders are left out */
            fs = -1;
        }
        if (r == ATOLL_OK) {
            r = atoll_channel_write(j->start, ATOLL_SELF, atoll_off(j->msg), j->msg_len, mem,
                                    fs, -1, -1);
            if (r != ATOLL_OK) {
                atoll_handle_drop(mem);
                if (fs >= 0)
                    atoll_handle_drop(fs);
            }
        }
        if (r != ATOLL_OK) {
            fmt_snprintf(why, sizeof why, "the WASI layer's start: %s", atoll_result_name(r));
            abandon(j, why);
            return false;
        }
        entry = ATOLL_WASI_ENTRY;
    }
    int32_t r = atoll_component_start(j->comp, j->build.index, ATOLL_SELF, atoll_off(entry),
                                      (int64_t)strlen(entry), 0);
    if (r != ATOLL_OK) {
        fmt_snprintf(why, sizeof why, "component_start: %s", atoll_result_name(r));
        abandon(j, why);
        return false;
    }
    j->loading = false;
    return true;
}

void jobs_tick(void)
{
    for (int i = 0; i < JOBS_MAX; i++) {
        struct job *j = &jobs[i];
        if (!j->used)
            continue;
        int64_t value = 0;
        registry_serve(j->reg);
        int32_t state = atoll_component_status(j->comp, &value);
        /* Loading, idle: an add is done, the next is for us to start. */
        if (state == ATOLL_STATE_RUNNING || (j->loading && state == ATOLL_STATE_IDLE)) {
            drain(j, DRAIN_PER_TICK);
            if (j->loading)
                load(j);
            continue;
        }
        /* It ended: everything it wrote is in the ring now; what the
         * terminal cannot take yet is shown at the next ticks. */
        for (int k = 0; k < 2 && drain(j, ATOLL_CON_RING_SIZE) > 0; k++)
            ;
        if (j->left)
            continue;
        finish(j, state, value);
    }
    shell_show();
}

static struct job *foreground(void)
{
    for (int i = 0; i < JOBS_MAX; i++)
        if (jobs[i].used && jobs[i].fg)
            return &jobs[i];
    return NULL;
}

bool jobs_input(const char *line, size_t n)
{
    struct job *j = foreground();
    if (!j || j->in < 0)
        return false;
    return atoll_channel_send(j->in, line, n, NULL, 0) == ATOLL_OK;
}

void jobs_input_end(void)
{
    struct job *j = foreground();
    if (j && j->in >= 0) {
        atoll_handle_drop(j->in);
        j->in = -1;
    }
}

void jobs_interrupt(void)
{
    for (int i = 0; i < JOBS_MAX; i++) {
        if (jobs[i].used && jobs[i].fg) {
            con_write("^C\n");
            atoll_component_kill(jobs[i].comp);
        }
    }
}

/* ---- commands ---- */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

void cmd_ls(const char *args)
{
    (void)args;
    int shown = 0;
    for (int i = 0; i < programs_count(); i++) {
        const struct tar_entry *e = programs_entry(i);
        /* The layers programs run on are not programs of their own. */
        if (!ends_with(e->name, ".wasm") || strcmp(e->name, "env.wasm") == 0 ||
            strcmp(e->name, ATOLL_WASI_LAYER ".wasm") == 0)
            continue;
        char name[TAR_NAME_MAX + 1];
        size_t n = strlen(e->name) - 5;
        memcpy(name, e->name, n);
        name[n] = 0;
        enum program_kind kind = programs_kind(e);
        con_printf("  %-16s %8lld bytes%s\n", name, (long long)e->size,
                   kind == PROGRAM_MAIN      ? ""
                   : kind == PROGRAM_WASI    ? "  (WASI command)"
                   : kind == PROGRAM_LIBRARY ? "  (library)"
                                             : "  (not a module)");
        shown++;
    }
    if (!shown)
        con_printf("no programs%s\n", programs_count() ? "" : " in this image");
    if (programs_problem()[0] && strcmp(programs_problem(), "no archive") != 0)
        con_printf("programs archive: %s\n", programs_problem());
}

/* The console's first block: header and arguments. */
static uint8_t con_head[ATOLL_CON_OFF_ARGS + ATOLL_CON_ARGS_MAX];

static void put32(uint32_t off, uint32_t v)
{
    memcpy(con_head + off, &v, 4); /* wasm32 is little-endian */
}

/* A new console holding argv; false if there is no memory for it. */
static bool make_console(int argc, char **argv, atoll_handle *out)
{
    uint32_t len = 0;
    memset(con_head, 0, sizeof con_head);
    for (int i = 0; i < argc; i++) {
        size_t n = strlen(argv[i]) + 1;
        if (len + n > ATOLL_CON_ARGS_MAX)
            return false;
        memcpy(con_head + ATOLL_CON_OFF_ARGS + len, argv[i], n);
        len += (uint32_t)n;
    }
    put32(ATOLL_CON_OFF_MAGIC, ATOLL_CON_MAGIC);
    put32(ATOLL_CON_OFF_ARGC, (uint32_t)argc);
    put32(ATOLL_CON_OFF_ARGS_LEN, len);
    put32(ATOLL_CON_OFF_RING_LEN, ATOLL_CON_RING_SIZE);
    if (atoll_vma_create(ATOLL_CON_SIZE, out) != ATOLL_OK)
        return false;
    if (atoll_vma_write(ATOLL_SELF, *out, atoll_off(con_head), 0,
                        ATOLL_CON_OFF_ARGS + len) != ATOLL_OK) {
        atoll_handle_drop(*out);
        return false;
    }
    return true;
}

/* Splits line, in place, into at most max words: blanks separate them;
 * inside double quotes blanks are kept, and \" \\ \n stand for a quote,
 * a backslash and a newline. The count, or -1 with *why. */
static int split(char *line, char **argv, int max, const char **why)
{
    int argc = 0;
    char *in = line, *out = line;
    for (;;) {
        while (*in == ' ')
            in++;
        if (!*in)
            return argc;
        if (argc == max) {
            *why = "too many arguments";
            return -1;
        }
        argv[argc++] = out;
        bool quoted = false;
        while (*in && (quoted || *in != ' ')) {
            if (*in == '"') {
                quoted = !quoted;
                in++;
            } else if (quoted && *in == '\\' && in[1]) {
                *out++ = in[1] == 'n' ? '\n' : in[1];
                in += 2;
            } else {
                *out++ = *in++;
            }
        }
        if (quoted) {
            *why = "a quote is not closed";
            return -1;
        }
        if (*in)
            in++;
        *out++ = 0;             /* at or behind in: the word is whole */
    }
}

/* NAME=value, NAME a C identifier: an environment assignment. */
static bool is_assignment(const char *w)
{
    if (!((*w >= 'A' && *w <= 'Z') || (*w >= 'a' && *w <= 'z') || *w == '_'))
        return false;
    for (; *w && *w != '='; w++)
        if (!((*w >= 'A' && *w <= 'Z') || (*w >= 'a' && *w <= 'z') ||
              (*w >= '0' && *w <= '9') || *w == '_'))
            return false;
    return *w == '=';
}

/* The start message of a WASI command: env (nenv NAME=value words),
 * then each folder of dirs ("PATH" or "PATH::GUEST"; ndirs 0: "/" as
 * "/", the whole tree; -1: none). False, said, when it does not fit. */
static bool start_message(struct job *j, const char *name, char **env, int nenv, char **dirs,
                          int ndirs)
{
    uint32_t head[3] = { ATOLL_WASI_START_MAGIC, 0, ATOLL_WASI_TTY_ALL }; /* the console */
    uint32_t len = sizeof head;
    for (int i = 0; i < nenv; i++) {
        size_t k = strlen(env[i]) + 1;
        if (len + k > 12 + ENV_MAX) {
            con_printf("run: %s: an environment over %d bytes\n", name, ENV_MAX);
            return false;
        }
        memcpy(j->msg + len, env[i], k);
        len += (uint32_t)k;
    }
    head[1] = len - (uint32_t)sizeof head;
    memcpy(j->msg, head, sizeof head);
    static char root[] = "/";
    char *all[] = { root };
    if (ndirs == 0) {
        dirs = all;
        ndirs = 1;
    }
    for (int i = 0; i < ndirs; i++) {   /* -1: none */
        char *sep = dirs[i];
        while (*sep && !(sep[0] == ':' && sep[1] == ':'))
            sep++;
        if (!*sep)
            sep = NULL;
        size_t plen = sep ? (size_t)(sep - dirs[i]) : strlen(dirs[i]);
        const char *guest = sep ? sep + 2 : dirs[i];
        size_t glen = strlen(guest);
        if (len + glen + plen + 2 > sizeof j->msg) {
            con_printf("run: %s: folders' names over %d bytes\n", name, DIRS_MAX);
            return false;
        }
        memcpy(j->msg + len, guest, glen + 1);
        len += (uint32_t)glen + 1;
        memcpy(j->msg + len, dirs[i], plen);
        j->msg[len + plen] = 0;
        len += (uint32_t)plen + 1;
    }
    j->msg_len = len;
    return true;
}

/* Plans, builds and starts program name (argv[0] is its name as typed)
 * as a job: in the foreground (fg) or not; a WASI command with the
 * environment and folders given; with extra grants after the three every
 * program gets (program_abi.h; they are the job's once it is built).
 * quiet: no "[id] name" line. False, said, when it cannot. */
static bool start_job(const char *name, int argc, char **argv, bool fg, char **env, int nenv,
                      char **dirs, int ndirs, const atoll_handle *extra, int nextra, bool quiet)
{
    struct job *j = NULL;
    for (int i = 0; i < JOBS_MAX && !j; i++)
        if (!jobs[i].used)
            j = &jobs[i];
    if (!j) {
        con_printf("run: %d jobs already run; wait for one or kill one\n", JOBS_MAX);
        return false;
    }

    static char why[192];
    if (!programs_plan(name, &j->build.plan, why, sizeof why)) {
        con_printf("run: %s: %s\n", name, why);
        return false;
    }
    bool wasi = j->build.plan.wasi;
    if ((nenv || ndirs > 0) && !wasi) {
        con_printf("run: %s: only a WASI command takes an environment or folders\n", name);
        return false;
    }
    if (wasi && !start_message(j, name, env, nenv, dirs, ndirs))
        return false;
    /* Its grants (program_abi.h): the console, the other ends of its
     * registry and input channels and, for a WASI command, of its
     * layer's start channel; then the extra ones. Once granted, those
     * ends are its. */
    atoll_handle con, ours[3] = { -1, -1, -1 }, theirs[3] = { -1, -1, -1 };
    int nch = wasi ? 3 : 2;
    if (nextra > 2 || (wasi && nextra)) {
        con_printf("run: %s: too many grants\n", name);
        return false;
    }
    if (!make_console(argc, argv, &con)) {
        con_printf("run: %s: no memory for its console\n", name);
        return false;
    }
    bool made = true;
    for (int i = 0; i < nch && made; i++)
        made = atoll_channel_create(&ours[i], &theirs[i]) == ATOLL_OK;
    atoll_handle grants[6] = { con, theirs[0], theirs[1], theirs[2] };
    int ngrants = 1 + nch;
    for (int i = 0; i < nextra; i++)
        grants[ngrants++] = extra[i];
    bool built = made && programs_build_begin(&j->build, grants, ngrants, why, sizeof why);
    for (int i = 0; i < nch; i++)
        if (theirs[i] >= 0)
            atoll_handle_drop(theirs[i]);
    if (!built) {
        con_printf("run: %s: %s\n", name, made ? why : "no memory for its channels");
        atoll_handle_drop(con);
        for (int i = 0; i < nch; i++)
            if (ours[i] >= 0)
                atoll_handle_drop(ours[i]);
        return false;
    }
    int64_t id = 0;
    atoll_component_info(j->build.comp, ATOLL_COMP_ID, &id);
    j->used = true;
    j->fg = fg;
    j->loading = true;
    j->id = id;
    j->comp = j->build.comp;
    j->con = con;
    j->reg = ours[0];
    j->in = ours[1];
    j->start = ours[2];
    j->tail = 0;
    memcpy(j->name, name, strlen(name) + 1);
    if (!fg && !quiet)
        con_printf("[%lld] %s\n", (long long)id, name);
    load(j);
    return true;
}

void cmd_run(const char *args)
{
    static char buf[SHELL_LINE_MAX + 1];
    char *argv[ARGV_MAX], *dirs[ARGV_MAX];
    int argc = 0, ndirs = 0;
    size_t n = strlen(args);
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, args, n);
    buf[n] = 0;
    while (n > 0 && buf[n - 1] == ' ')
        buf[--n] = 0;
    bool fg = true;
    if (n > 0 && buf[n - 1] == '&') {
        fg = false;
        buf[--n] = 0;
    }
    const char *bad = NULL;
    char *words[ARGV_MAX];
    int nwords = split(buf, words, ARGV_MAX, &bad);
    if (nwords < 0) {
        con_printf("run: %s\n", bad);
        return;
    }
    /* Leading --dir PATH[::GUEST] words are a WASI command's folders,
     * then NAME=value words its environment. */
    int first = 0;
    bool none = false;                  /* --no-dirs: not even "/" */
    for (;;) {
        if (first + 1 < nwords && strcmp(words[first], "--dir") == 0) {
            dirs[ndirs++] = words[first + 1];
            first += 2;
        } else if (first < nwords && strcmp(words[first], "--no-dirs") == 0) {
            none = true;
            first++;
        } else {
            break;
        }
    }
    int nenv = 0;
    while (first + nenv < nwords && is_assignment(words[first + nenv]))
        nenv++;
    for (int i = first + nenv; i < nwords; i++)
        argv[argc++] = words[i];
    if (argc == 0 || (first < nwords && strcmp(words[first], "--dir") == 0)) {
        con_printf("%s\n", "usage: run [--dir DIR[::NAME]]... [NAME=value...] PROGRAM [ARGS...] [&]");
        return;
    }
    char *name = argv[0];
    if (ends_with(name, ".wasm"))
        name[strlen(name) - 5] = 0;
    if (!*name || strlen(name) > JOB_NAME_MAX) {
        con_printf("run: %s: no such program\n", argv[0]);
        return;
    }
    start_job(name, argc, argv, fg, words + first, nenv, dirs, none ? -1 : ndirs, NULL, 0,
              false);
}

void jobs_start_files(atoll_handle image)
{
    static char name[] = ATOLL_FS_PROGRAM;
    char *argv[] = { name };
    atoll_handle listen;
    if (!programs_find(ATOLL_FS_PROGRAM ".wasm")) {
        atoll_log("userboot: no " ATOLL_FS_PROGRAM ".wasm in the image: no file service\n");
        return;
    }
    if (registry_claim(ATOLL_FS_SERVICE, &listen) != ATOLL_REG_OK) {
        atoll_log("userboot: the name " ATOLL_FS_SERVICE " is taken: no file service\n");
        return;
    }
    const atoll_handle extra[] = { listen, image };
    bool ok = start_job(name, 1, argv, false, NULL, 0, NULL, 0, extra, 2, true);
    atoll_handle_drop(listen);          /* the job's, or nobody's */
    if (!ok)
        registry_release(ATOLL_FS_SERVICE);
}

static void ps_line(long long id, const char *name, const char *state, int64_t cpu_ns,
                    int64_t mem, int64_t inst)
{
    char cpu[24] = "-";
    if (cpu_ns >= 0)
        fmt_snprintf(cpu, sizeof cpu, "%lld", (long long)(cpu_ns / 1000000));
    con_printf("%4lld  %-16s %-8s %8s %8lld %5lld\n", id, name, state, cpu,
               (long long)(mem / 1024), (long long)inst);
}

void cmd_ps(const char *args)
{
    (void)args;
    int64_t self = 0;
    atoll_vma_size(ATOLL_SELF, &self);
    con_printf("%4s  %-16s %-8s %8s %8s %5s\n", "ID", "NAME", "STATE", "CPU ms", "MEM KiB",
               "INST");
    /* The shell holds no handle to its own component: sys_info tells its
     * CPU time; its memory is env's (shared), its instances are two. */
    ps_line(SHELL_ID, "userboot", "running", atoll_sys_info(ATOLL_INFO_SELF_CPU_NS), self,
            SHELL_INSTANCES);
    for (int i = 0; i < JOBS_MAX; i++) {
        struct job *j = &jobs[i];
        if (j->used)
            jobs_ps_component(j->id, j->name, j->comp, j->loading, "running");
    }
    devices_ps();
}

void jobs_ps_component(int64_t id, const char *name, atoll_handle comp, bool loading,
                       const char *running)
{
    int64_t v, cpu = -1, mem = 0, inst = 0;
    int32_t state = atoll_component_status(comp, &v);
    atoll_component_info(comp, ATOLL_COMP_CPU_NS, &cpu);
    atoll_component_info(comp, ATOLL_COMP_MEMORY, &mem);
    atoll_component_info(comp, ATOLL_COMP_INSTANCES, &inst);
    bool alive = state == ATOLL_STATE_RUNNING || state == ATOLL_STATE_IDLE;
    ps_line(id, name,
            loading && alive ? "loading"
            : state == ATOLL_STATE_RUNNING ? running : atoll_state_name(state),
            cpu, mem, inst);
}

void cmd_kill(const char *args)
{
    long long id = 0;
    const char *p = args;
    for (; *p >= '0' && *p <= '9' && id < 1000000000; p++)
        id = id * 10 + (*p - '0');
    if (p == args || (*p && *p != ' ')) {
        con_printf("usage: kill ID (the ID that ps shows)\n");
        return;
    }
    if (id == SHELL_ID) {
        con_printf("kill: %lld is the shell\n", id);
        return;
    }
    for (int i = 0; i < JOBS_MAX; i++) {
        struct job *j = &jobs[i];
        if (j->used && j->id == id) {
            int32_t r = atoll_component_kill(j->comp);
            if (r != ATOLL_OK)
                con_printf("kill: %lld: %s\n", id, atoll_result_name(r));
            return;
        }
    }
    int32_t r;
    if (devices_kill(id, &r)) {
        if (r != ATOLL_OK)
            con_printf("kill: %lld: %s\n", id, atoll_result_name(r));
        return;
    }
    con_printf("kill: no job or driver %lld\n", id);
}
