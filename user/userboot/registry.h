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

/* For a service the shell starts itself (the file service): registers
 * name now, before the service runs, and gives in *listen the end its
 * connection requests arrive on (to grant it). ATOLL_REG_OK, or
 * ATOLL_REG_TAKEN / ATOLL_REG_BAD. */
uint32_t registry_claim(const char *name, atoll_handle *listen);
/* Forgets name (a claim whose service could not start). */
void registry_release(const char *name);
/* A new connection to the service name, for the shell itself (a
 * launcher handing it on): ATOLL_REG_OK with *out, ATOLL_REG_NO_NAME. */
uint32_t registry_connect(const char *name, atoll_handle *out);

/* Names registered by live services, for `services`. Calls fn for each. */
void registry_list(void (*fn)(const char *name));

#endif
