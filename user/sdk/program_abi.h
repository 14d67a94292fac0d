/*
 * The program model's shared layout (docs/programs.md): what a launcher
 * (the shell) and a program agree on, beyond the coral interface. Plain
 * constants, so C, Rust (user/sdk/rust) and the tests can all follow them.
 *
 * A program is a component its launcher builds: the SDK instance "env",
 * then the modules the program imports from by name, then the program's
 * own module, last. Its handles table (SDK handles ATOLL_GRANTED + i) holds
 * what the launcher grants: index 0 is its console. The launcher then
 * starts the program's export `atoll_start() -> i32` (component_start);
 * its result is the program's exit status; a trap ends it with the trap's
 * kind (component_status, component_describe).
 *
 * The console is a memory area of ATOLL_CON_SIZE bytes (vma_create) that
 * the launcher fills with the arguments before the start and reads the
 * program's output from while it runs:
 *
 *   offset  size  field
 *   0       4     magic, ATOLL_CON_MAGIC
 *   4       4     argc: number of arguments; argv[0] is the program's name
 *   8       4     bytes of the argument block
 *   12      4     bytes of the output ring, ATOLL_CON_RING_SIZE
 *   16      4     head: bytes the program has written, in all (mod 2^32)
 *   20      4     tail: bytes the launcher has consumed, in all (mod 2^32)
 *   64      ...   the argument block: argc NUL-terminated strings
 *   4096    ...   the output ring: byte n of the stream is at 4096 + n % size
 *
 * All integers little-endian. Only the program writes head, only the
 * launcher writes tail; each is written with one 4-byte vma_write at its
 * aligned offset, which the kernel performs as one store (docs/abi.md), so
 * the other side never sees half of it. The program writes bytes into the
 * ring first, then advances head; when the ring is full (head - tail ==
 * size) it waits, re-reading tail, for the launcher to drain it (the
 * launcher reads at least at every tick).
 */
#ifndef ATOLL_PROGRAM_ABI_H
#define ATOLL_PROGRAM_ABI_H

#define ATOLL_CON_MAGIC        0x314e4f43u   /* "CON1" */
#define ATOLL_CON_OFF_MAGIC    0
#define ATOLL_CON_OFF_ARGC     4
#define ATOLL_CON_OFF_ARGS_LEN 8
#define ATOLL_CON_OFF_RING_LEN 12
#define ATOLL_CON_OFF_HEAD     16
#define ATOLL_CON_OFF_TAIL     20
#define ATOLL_CON_OFF_ARGS     64
#define ATOLL_CON_ARGS_MAX     (4096 - 64)
#define ATOLL_CON_OFF_RING     4096
#define ATOLL_CON_RING_SIZE    32768         /* a power of two */
#define ATOLL_CON_SIZE         (ATOLL_CON_OFF_RING + ATOLL_CON_RING_SIZE)

/* The program's entry export, and its grants: the console, a channel to
 * the service registry, a channel its input comes on. */
#define ATOLL_ENTRY            "atoll_start"
#define ATOLL_CONSOLE_GRANT    0
#define ATOLL_REGISTRY_GRANT   1
#define ATOLL_INPUT_GRANT      2

/*
 * Input: while the program runs in the foreground, the shell sends each
 * line typed (edited there, ending in '\n') as one message on the input
 * channel; Ctrl+D closes the shell's end (end of input: the channel reads
 * peer closed once drained); Ctrl+C ends the program.
 *
 * The registry (served by the launcher, userboot): a request is a message
 * on the registry channel, a u32 op then the name (1 to
 * ATOLL_REG_NAME_MAX bytes); the answer comes back on the same channel, a
 * u32 status, with a handle for a lookup.
 *   REGISTER, with one handle: an endpoint of a channel the service reads
 *     connection requests from the other end of. The name is the
 *     service's until that channel's reader end closes.
 *   LOOKUP: the registry makes a new channel, sends one end to the service
 *     (a CONNECT message, op only, carrying it) and answers with the other.
 */
/*
 * A WASI command (a module exporting _start and importing
 * wasi_snapshot_preview1; docs/wasi.md) runs on the WASI layer: the
 * launcher builds its component from the layer's module
 * (ATOLL_WASI_LAYER.wasm, an instance named ATOLL_WASI_LAYER) and the
 * program's, last, with the three grants above and a fourth, the
 * layer's end of a start channel. Once the program is added, the
 * launcher sends on that channel one message, the start message, then
 * starts ATOLL_WASI_ENTRY; an exit (proc_exit) ends the component with
 * its status (state exited), a return from _start is status 0.
 *
 * The start message carries the program's memory (component_memory) as
 * its first handle and, optionally, a channel to the file service
 * (user/fs/fs_proto.h) as its second. Its bytes: ATOLL_WASI_START_MAGIC
 * (a u32), the length of the environment (a u32), the stdio flags (a
 * u32: ATOLL_WASI_TTY_IN, _OUT, _ERR when that descriptor is a terminal,
 * which the layer then reports as one), the environment
 * (NUL-terminated "NAME=value" strings), then the preopened folders,
 * each two NUL-terminated strings: the name the program sees and the
 * root the file service attaches (FS_ATTACH). Without the channel there
 * are none.
 */
/*
 * The file service (user/fs/fsd.c, docs/files.md) is started by userboot
 * at boot with the three grants of a program and two more: the listening
 * end of the registry name "fs" (userboot registers it before fsd runs)
 * and the image's files (the boot module "files", a ustar archive;
 * userboot's boot grant ATOLL_BOOT_GRANT_FILES), read-only.
 */
#define ATOLL_FS_PROGRAM       "fsd"
#define ATOLL_FS_SERVICE       "fs"
#define ATOLL_FS_LISTEN_GRANT  3
#define ATOLL_FS_IMAGE_GRANT   4

#define ATOLL_WASI_LAYER       "wasi_snapshot_preview1"
#define ATOLL_WASI_ENTRY       "_start"
#define ATOLL_WASI_START_GRANT 3
#define ATOLL_WASI_START_MAGIC 0x32534157u   /* "WAS2" */
#define ATOLL_WASI_TTY_IN      1u
#define ATOLL_WASI_TTY_OUT     2u
#define ATOLL_WASI_TTY_ERR     4u
#define ATOLL_WASI_TTY_ALL     7u

#define ATOLL_REG_REGISTER     1
#define ATOLL_REG_LOOKUP       2
#define ATOLL_REG_CONNECT      3
#define ATOLL_REG_NAME_MAX     32
#define ATOLL_REG_OK           0
#define ATOLL_REG_NO_NAME      1    /* lookup: nobody registered it */
#define ATOLL_REG_TAKEN        2    /* register: a live service has it */
#define ATOLL_REG_BAD          3    /* malformed request, or no room */

/*
 * Drivers (user/drivers, docs/drivers.md): programs that hold one
 * device's capabilities and nothing else. The device manager (userboot;
 * for a userboot that cannot manage devices, the kernel) starts each
 * with these grants:
 *   CLIENT  where the device's input goes: a channel end (the driver
 *           writes messages of bytes; for the serial port, bytes to
 *           transmit come back on it), or a component whose press_key
 *           export the keyboard driver calls (Coral's userboot)
 *   IRQ     its interrupt line, claimed for it
 *   PORTS   its first I/O port range; a device with two has the next
 * The PS/2 keyboard driver's ranges are the data port 0x60, then the
 * status and command port 0x64 (two grants: the PIT's gate lies
 * between); the 16550 driver's is its eight ports. A driver whose client
 * goes away ends with status 0; one that finds no device, or grants it
 * cannot use, ends with ATOLL_DRIVER_NO_DEVICE or ATOLL_DRIVER_BAD_GRANTS
 * (the manager does not restart those; it restarts a trapped or killed
 * one).
 */
#define ATOLL_DRIVER_CLIENT_GRANT 0
#define ATOLL_DRIVER_IRQ_GRANT    1
#define ATOLL_DRIVER_PORTS_GRANT  2
#define ATOLL_DRIVER_BAD_GRANTS   2
#define ATOLL_DRIVER_NO_DEVICE    3
#define ATOLL_DRIVER_PS2KBD       "ps2kbd"
#define ATOLL_DRIVER_UART         "uart"

/* userboot's grants: the screen, then the programs of the boot image (a
 * read-only memory area holding a ustar archive of .wasm files, or null
 * when the image has none), its files, and the roots of the device
 * capabilities: the I/O ports and the interrupt lines drivers may have
 * (docs/drivers.md). */
#define ATOLL_BOOT_GRANT_SCREEN   0
#define ATOLL_BOOT_GRANT_PROGRAMS 1
#define ATOLL_BOOT_GRANT_FILES    2
#define ATOLL_BOOT_GRANT_IOPORTS  3
#define ATOLL_BOOT_GRANT_IRQS     4

#endif
