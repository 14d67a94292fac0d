/*
 * Starting the first program: the boot module named `userboot` becomes
 * the first component, with the screen as its first granted handle and
 * the timer's ticks as its events (docs/design.md). A keyboard driver
 * given as the boot module `ps2kbd` is started for it too
 * (userboot_start_drivers).
 */
#ifndef KERN_USERBOOT_H
#define KERN_USERBOOT_H

struct component;

/* Where userboot finds what the kernel grants it, in its handles table
 * (USERBOOT_GRANT_SCREEN, USERBOOT_GRANT_PROGRAMS; numbered by
 * abi/coral.def, as the SDK's ATOLL_BOOT_GRANT_*). */
enum {
#define CORAL_BOOT_GRANT(name, value, doc) USERBOOT_GRANT_##name = (value),
#include "abi/coral.def"
};

/* Builds and starts the userboot component, then returns it (it runs on
 * its own thread; the kernel keeps this reference for good). NULL after
 * reporting why there is no userboot (none among the boot modules, or it
 * could not start). */
struct component *userboot_start(void);

#endif
