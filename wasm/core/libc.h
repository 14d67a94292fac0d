/* libc.h: the four memory functions the engine may call.
 *
 * wasm/ includes no libc header; these come from Linux's libc in host
 * tools and from the kernel's lib/ in the kernel. Declared once, here.
 */
#ifndef ATOLL_WASM_LIBC_H
#define ATOLL_WASM_LIBC_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
