/*
 * Starting the first program: the boot module named `userboot` becomes
 * the first component, with the screen as its first granted handle and
 * the keyboard's scancodes as its events (DESIGN.md).
 */
#ifndef KERN_USERBOOT_H
#define KERN_USERBOOT_H

/* Builds and starts the userboot component, then returns (the component
 * runs on its own thread). Returns 0, or -1 after reporting why there is
 * no userboot (none among the boot modules, or it could not start). */
int userboot_start(void);

#endif
