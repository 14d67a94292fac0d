/*
 * The shell of userboot: a one-row line editor behind the prompt, with a
 * history recalled by the Up and Down arrows, and the command table
 * (commands.c). While a foreground job runs (jobs.c) there is no prompt:
 * keys wait until it ends (up to 128 of them), except Ctrl+C, which kills
 * the job and drops them.
 */
#ifndef USERBOOT_SHELL_H
#define USERBOOT_SHELL_H

#define SHELL_PROMPT "atoll> "
/* A line fits on the row after the prompt, with the cursor cell: then
 * Backspace never has to climb back to the row above. */
#define SHELL_LINE_MAX (80 - (int)(sizeof SHELL_PROMPT - 1) - 1)
/* Lines the history keeps (the oldest goes first). */
#define SHELL_HISTORY 16

/* Prints the first prompt. */
void shell_start(void);

/* Takes one key from the keyboard (kbd_feed's result): printable ASCII is
 * added to the line (ignored once it is full), '\b' removes the last one,
 * '\n' runs it, KBD_UP and KBD_DOWN walk the history, KBD_INTR kills the
 * foreground job. During a foreground job keys are queued instead. */
void shell_key(int c);

/* For output that is not the shell's (a background job's): shell_hide
 * erases the prompt and the line being typed, if shown; shell_show draws
 * them again (on a fresh row) unless a foreground job runs, then replays
 * the keys typed ahead. */
void shell_hide(void);
void shell_show(void);

/* Runs one command line (no newline); unknown commands say so. */
void commands_run(char *line);

#endif
