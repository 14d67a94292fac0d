/*
 * keybench N: keystroke to echo, measured from inside (make
 * bench-drivers). userboot has the i8042 deliver a key as if typed
 * (command 0xd2 through its own port ranges, derived from the root),
 * and times it from just before those port writes to just after the
 * screen write that shows its echo: the interrupt, the kernel, the
 * ps2kbd driver, its message, userboot's ready event, decoding, the
 * shell's echo and the flush. Keys alternate 'a' and Backspace, so the
 * line typed is left as it was. Under -icount shift=0 the figures are
 * instructions.
 */
#ifndef USERBOOT_KEYBENCH_H
#define USERBOOT_KEYBENCH_H

#define KEYBENCH_MAX 1000

void cmd_keybench(const char *args);

/* The keyboard driver's bytes were fed to the shell (devices.c). */
void keybench_key_seen(void);

/* After an event's console flush (main.c): a key awaited has been
 * echoed: its time is taken and the next key injected. */
void keybench_after_flush(void);

/* At every tick: a key that never came (no keyboard driver) ends it. */
void keybench_tick(void);

#endif
