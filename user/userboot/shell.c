/*
 * The line editor: the typed line is kept here and echoed to the console
 * as it is typed, so screen and line always agree. The history keeps the
 * last SHELL_HISTORY lines run; Up and Down replace the line being typed
 * with one of them (the line that was being typed comes back below the
 * newest). Keys typed while a foreground job runs wait in a small queue
 * and are replayed when the prompt comes back (type-ahead); Ctrl+C kills
 * the job and drops them.
 */
#include "user/userboot/shell.h"

#include <stdbool.h>

#include "user/userboot/console.h"
#include "user/userboot/jobs.h"
#include "user/userboot/kbd.h"

static char line[SHELL_LINE_MAX + 1];
static int len;
static bool shown; /* the prompt and line are on the screen */

static char history[SHELL_HISTORY][SHELL_LINE_MAX + 1];
static int hist_n;     /* lines kept, oldest at 0 */
static int hist_pos;   /* the line shown: hist_n is the draft */
static char draft[SHELL_LINE_MAX + 1];

#define TYPEAHEAD_MAX 128
static int typeahead[TYPEAHEAD_MAX]; /* keys typed during a foreground job */
static int ntypeahead;

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
    prompt();
    /* Keys typed ahead, until one of them starts another foreground job. */
    int i = 0;
    while (i < ntypeahead && !jobs_foreground())
        shell_key(typeahead[i++]);
    memmove(typeahead, typeahead + i, sizeof typeahead[0] * (size_t)(ntypeahead - i));
    ntypeahead -= i;
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

void shell_key(int c)
{
    if (jobs_foreground()) {
        if (c == KBD_INTR) {
            ntypeahead = 0;
            jobs_interrupt();
        } else if (ntypeahead < TYPEAHEAD_MAX) {
            typeahead[ntypeahead++] = c;
        }
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
