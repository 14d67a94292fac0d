/*
 * service.h — finding other programs by name: the client side of the
 * launcher's service registry (program_abi.h, docs/programs.md
 * "Services"). For every program, on wasi-libc or freestanding; the
 * calls go through the SDK shim (atoll.h), so a program that uses them
 * is linked with its memory imported from its own env instance.
 */
#ifndef ATOLL_SERVICE_H
#define ATOLL_SERVICE_H

#include "user/sdk/atoll.h"
#include "user/sdk/program_abi.h"

/* The service registry (program_abi.h). register and lookup return
 * ATOLL_REG_OK, ATOLL_REG_NO_NAME, ATOLL_REG_TAKEN or ATOLL_REG_BAD, or
 * -result of the channel call that failed (no registry channel, ...);
 * accept returns a channel result: ATOLL_OK, ATOLL_EWOULDBLOCK when no
 * request waits, ATOLL_EINVAL for a message that is not one.
 *
 * register: the name is this program's until it ends or drops *listen;
 * connection requests arrive on *listen (readable), each taken with
 * atoll_service_accept, which gives the new connection's endpoint.
 * lookup: a new channel to the service named, in *ch. Both wait for the
 * registry's answer (at most a tick of the shell). */
int32_t atoll_service_register(const char *name, atoll_handle *listen);
int32_t atoll_service_accept(atoll_handle listen, atoll_handle *conn);
int32_t atoll_service_lookup(const char *name, atoll_handle *ch);

#endif
