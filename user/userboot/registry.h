/*
 * The service registry (program_abi.h describes the protocol): programs
 * register names and look them up over the channel the shell grants each
 * of them. userboot serves it at every tick, without blocking: a request
 * waits at most one tick.
 */
#ifndef USERBOOT_REGISTRY_H
#define USERBOOT_REGISTRY_H

#include <stdbool.h>

#include "user/sdk/atoll.h"

#define REGISTRY_MAX 32

/* Serves the requests queued on one program's registry channel (a few
 * per call, so one program cannot starve the shell). */
void registry_serve(atoll_handle reg);

/* Names registered by live services, for `services`. Calls fn for each. */
void registry_list(void (*fn)(const char *name));

#endif
