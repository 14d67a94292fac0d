/*
 * The shell of userboot: a one-row line editor behind the prompt, and the
 * command table (commands.c).
 */
#ifndef USERBOOT_SHELL_H
#define USERBOOT_SHELL_H

#define SHELL_PROMPT "atoll> "
/* A line fits on the row after the prompt, with the cursor cell: then
 * Backspace never has to climb back to the row above. */
#define SHELL_LINE_MAX (80 - (int)(sizeof SHELL_PROMPT - 1) - 1)

/* Prints the first prompt. */
void shell_start(void);

/* Takes one character from the keyboard: printable ASCII is added to the
 * line (ignored once it is full), '\b' removes the last one, '\n' runs it. */
void shell_key(int c);

/* Runs one command line (no newline); unknown commands say so. */
void commands_run(char *line);

#endif
