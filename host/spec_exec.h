/* spec_exec.h: the commands of the spec suite that run code, for
 * atoll-spec (host/spec_exec.c). One state per .json file: its store,
 * its modules (the current one, named ones, registered ones). */
#ifndef ATOLL_HOST_SPEC_EXEC_H
#define ATOLL_HOST_SPEC_EXEC_H

#include <stddef.h>

#include "json.h"

enum { SPEC_PASS, SPEC_FAIL, SPEC_SKIP };

struct spec_exec;
/* NULL when out of memory. */
struct spec_exec *spec_exec_new(void);
void spec_exec_free(struct spec_exec *x);

/* Runs `module`, `register`, `action`, `assert_return`, `assert_trap`,
 * `assert_exhaustion`, `assert_unlinkable` or `assert_uninstantiable`
 * (module files relative to dir). Returns SPEC_PASS, SPEC_FAIL or
 * SPEC_SKIP (something the engine cannot run yet, such as SIMD, or a
 * command depending on it), with why in msg on failure or skip. */
int spec_exec_command(struct spec_exec *x, const char *dir, const struct json *cmd,
                      char *msg, size_t size);

#endif
