/*
 * The line editor: the typed line is kept here and echoed to the console
 * as it is typed, so screen and line always agree. The history keeps the
 * last SHELL_HISTORY lines run; Up and Down replace the line being typed
 * with one of them (the line that was being typed comes back below the
 * newest). While a foreground job runs, the line typed is its input: it
 * is edited here the same way and sent on Enter (jobs_input); Ctrl+D ends
 * the job's input, Ctrl+C kills it.
 */
#include "user/userboot/shell.h"

#include <stdbool.h>

#include "user/userboot/console.h"
#include "user/userboot/jobs.h"
#include "user/userboot/kbd.h"

static char line[SHELL_LINE_MAX + 1];
static int len;
static bool shown; /* the prompt and line are on the screen */
static bool job_line; /* the line holds input typed for a foreground job */

static char history[SHELL_HISTORY][SHELL_LINE_MAX + 1];
static int hist_n;     /* lines kept, oldest at 0 */
static int hist_pos;   /* the line shown: hist_n is the draft */
static char draft[SHELL_LINE_MAX + 1];


static void prompt(void)
{
    con_write(SHELL_PROMPT);
    con_write(line);
    shown = true;
}

/* An empty line, at the bottom of the history. */
static void reset(void)
{
    len = 0;
    line[0] = 0;
    hist_pos = hist_n;
}

void shell_start(void)
{
    reset();
    prompt();
}

void shell_hide(void)
{
    if (!shown)
        return;
    for (int i = 0; i < len + (int)sizeof SHELL_PROMPT - 1; i++)
        con_putc('\b');
    shown = false;
}

void shell_show(void)
{
    if (shown || jobs_foreground())
        return;
    if (con_col() != 0)
        con_putc('\n');
    if (job_line) {             /* input typed for the job that ended is gone */
        reset();
        job_line = false;
    }
    prompt();
}

static void remember(void)
{
    if (len == 0 || (hist_n > 0 && strcmp(history[hist_n - 1], line) == 0))
        return;
    if (hist_n == SHELL_HISTORY) {
        memmove(history[0], history[1], sizeof history[0] * (SHELL_HISTORY - 1));
        hist_n--;
    }
    memcpy(history[hist_n++], line, (size_t)len + 1);
}

/* Replaces the line being typed with text, on screen too. */
static void replace(const char *text)
{
    while (len > 0) {
        len--;
        con_putc('\b');
    }
    for (; *text && len < SHELL_LINE_MAX; text++) {
        line[len++] = *text;
        con_putc(*text);
    }
    line[len] = 0;
}

static void recall(int step)
{
    int to = hist_pos + step;
    if (to < 0 || to > hist_n)
        return;
    if (hist_pos == hist_n)
        memcpy(draft, line, (size_t)len + 1);
    hist_pos = to;
    replace(to == hist_n ? draft : history[to]);
}

/* A key while a foreground job runs: its input line, edited here. */
static void job_key(int c)
{
    job_line = true;
    if (c == KBD_INTR) {
        reset();
        jobs_interrupt();
    } else if (c == KBD_EOF) {
        jobs_input_end();
    } else if (c == '\n') {
        con_putc('\n');
        line[len++] = '\n';
        if (!jobs_input(line, (size_t)len))
            con_write("(input not taken)\n");
        reset();
    } else if (c == '\b') {
        if (len > 0) {
            line[--len] = 0;
            con_putc('\b');
        }
    } else if (c >= 0x20 && c <= 0x7E && len < SHELL_LINE_MAX) {
        line[len++] = (char)c;
        line[len] = 0;
        con_putc((char)c);
    }
}

void shell_key(int c)
{
    if (jobs_foreground()) {
        job_key(c);
        return;
    }
    if (c == '\n') {
        con_putc('\n');
        line[len] = 0;
        shown = false;
        remember();
        commands_run(line);
        reset();
        if (!jobs_foreground())
            prompt();
    } else if (c == '\b') {
        if (len > 0) {
            line[--len] = 0;
            con_putc('\b');
        }
    } else if (c == KBD_UP || c == KBD_DOWN) {
        recall(c == KBD_UP ? -1 : 1);
    } else if (c >= 0x20 && c <= 0x7E && len < SHELL_LINE_MAX) {
        line[len++] = (char)c;
        line[len] = 0;
        con_putc((char)c);
    }
}
