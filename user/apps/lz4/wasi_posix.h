/* Declares wasi_posix.c's chown and chmod for lz4's util.h, which
 * expects them from <unistd.h> (-include'd by the Makefile). */
#include <sys/types.h>
int chown(const char *path, uid_t owner, gid_t group);
int chmod(const char *path, mode_t mode);
