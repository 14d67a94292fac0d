/*
 * The shell's commands, one function each, found by name in one table
 * (which `help` prints too). The commands about programs are in jobs.c.
 */
#include "user/userboot/console.h"
#include "user/userboot/demo.h"
#include "user/userboot/jobs.h"
#include "user/userboot/keybench.h"
#include "user/userboot/shell.h"
#include "user/userboot/userboot.h"

struct command {
    const char *name;
    void (*run)(const char *args);
    const char *help;
};

static void cmd_help(const char *args);

static void cmd_echo(const char *args)
{
    con_printf("%s\n", args);
}

static void cmd_clear(const char *args)
{
    (void)args;
    con_clear();
}

/* Prints a sys_info value in KiB, or "?" if the kernel does not know it. */
static void print_kib(const char *label, int key)
{
    int64_t v = atoll_sys_info(key);
    if (v < 0)
        con_printf("  %-18s ?\n", label);
    else
        con_printf("  %-18s %lld KiB\n", label, (long long)(v / 1024));
}

static void cmd_mem(const char *args)
{
    (void)args;
    print_kib("total RAM", ATOLL_INFO_RAM_TOTAL);
    print_kib("free RAM", ATOLL_INFO_RAM_FREE);
    print_kib("kernel heap used", ATOLL_INFO_HEAP_USED);
    /* The low-water mark: what a big program's compile or run took at
     * its peak (tests/qemu/test_large_module.py reads it). */
    print_kib("least free RAM", ATOLL_INFO_RESERVE_LOW);
    con_printf("  %-18s %lld\n", "live components",
               (long long)atoll_sys_info(ATOLL_INFO_COMPONENTS));
}

static void cmd_uptime(const char *args)
{
    (void)args;
    int64_t ns = atoll_clock_ns();
    int64_t ms = ns / 1000000;
    con_printf("up %lld.%03lld s, %llu ticks\n", (long long)(ms / 1000),
               (long long)(ms % 1000), (unsigned long long)userboot_ticks());
}

static const struct command commands[] = {
    { "help", cmd_help, "this list" },
    { "echo", cmd_echo, "echo ARGS: print ARGS" },
    { "clear", cmd_clear, "clear the screen" },
    { "mem", cmd_mem, "memory use (sys_info)" },
    { "uptime", cmd_uptime, "time since boot (clock_ns)" },
    { "demo", cmd_demo, "load a module into a new component and call it" },
    { "ls", cmd_ls, "the programs in the boot image" },
    { "run", cmd_run, "run [--dir D[::N]|--no-dirs] [K=V] NAME [ARGS] [&]: start a program" },
    { "ps", cmd_ps, "the shell and its jobs: state, CPU time, memory" },
    { "kill", cmd_kill, "kill ID: end a job or a driver" },
    { "keybench", cmd_keybench, "keybench [N]: keystroke to echo, N keys typed by the i8042" },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void cmd_help(const char *args)
{
    (void)args;
    for (size_t i = 0; i < NCOMMANDS; i++)
        con_printf("  %-8s %s\n", commands[i].name, commands[i].help);
}

void commands_run(char *line)
{
    while (*line == ' ')
        line++;
    if (!*line)
        return;
    char *args = line;
    while (*args && *args != ' ')
        args++;
    if (*args)
        *args++ = 0; /* end the name; args starts after one space */
    while (*args == ' ')
        args++;
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(line, commands[i].name) == 0) {
            commands[i].run(args);
            return;
        }
    }
    con_printf("unknown command: %s (try help)\n", line);
}
