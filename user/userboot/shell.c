/*
 * The line editor: the typed line is kept here and echoed to the console
 * as it is typed, so screen and line always agree.
 */
#include "user/userboot/shell.h"

#include "user/userboot/console.h"

static char line[SHELL_LINE_MAX + 1];
static int len;

void shell_start(void)
{
    len = 0;
    con_write(SHELL_PROMPT);
}

void shell_key(int c)
{
    if (c == '\n') {
        con_putc('\n');
        line[len] = 0;
        commands_run(line);
        shell_start();
    } else if (c == '\b') {
        if (len > 0) {
            len--;
            con_putc('\b');
        }
    } else if (c >= 0x20 && c <= 0x7E && len < SHELL_LINE_MAX) {
        line[len++] = (char)c;
        con_putc((char)c);
    }
}
