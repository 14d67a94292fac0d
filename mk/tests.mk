# Test suites run by `make test` (see TEST_SUITES in the Makefile).
#
#   test-unit    host unit tests of kernel logic, with ASan and UBSan
#   test-kernel  the kernel in QEMU: in-kernel tests, fault reports, boots

UNIT_CC     ?= gcc
UNIT_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -fsanitize=address,undefined \
               -fno-sanitize-recover=undefined -fno-omit-frame-pointer \
               -Itests/unit/shim -I. -Itests/unit -MMD -MP
# Kernel sources that run unchanged on the host.
UNIT_KERNEL_SRCS := lib/fmt.c mm/pmm.c arch/x86/pagetable.c mm/vregion.c mm/heap.c \
                    base/cmdline.c boot/bootinfo.c kern/object.c kern/handle.c kern/vma.c \
                    kern/account.c base/spinlock.c
# And userland code that needs no kernel: the serial terminal's decoder.
UNIT_USER_SRCS := user/userboot/term.c
UNIT_SRCS := $(wildcard tests/unit/*.c) $(UNIT_KERNEL_SRCS) $(UNIT_USER_SRCS)
UNIT_OBJS := $(patsubst %.c,$(BUILD)/unit/%.o,$(UNIT_SRCS))

$(BUILD)/unit/%.o: %.c
	@mkdir -p $(dir $@)
	$(UNIT_CC) $(UNIT_CFLAGS) -c $< -o $@

$(BUILD)/unit-tests: $(UNIT_OBJS)
	$(UNIT_CC) $(UNIT_CFLAGS) -o $@ $^

-include $(UNIT_OBJS:.o=.d)

.PHONY: test-unit test-kernel
test-unit: $(BUILD)/unit-tests
	ASAN_OPTIONS=detect_leaks=1 $(BUILD)/unit-tests

test-kernel: $(BUILD)/atoll.elf $(BUILD)/atoll.iso spec-json $(BUILD)/tests/ipc/ipctest.wasm \
             $(BUILD)/tests/devcap/devtest.wasm $(BUILD)/user/programs/wasi_hostile.wasm \
             $(BUILD)/user/programs/ps2kbd_trap.wasm $(BUILD)/user/programs/hostile_uart.wasm \
             $(BUILD)/bench/drivers/drvbench.wasm
	python3 tests/qemu/run.py

# The IPC test program (tests/ipc): a program of the SDK with the module
# of its child components embedded.
IPC_GEN := $(BUILD)/tests/ipc/gen
$(IPC_GEN)/echo_child_wasm.c: tests/ipc/echo_child.wat user/tools/bin2c.py
	@mkdir -p $(IPC_GEN)
	wat2wasm $< -o $(IPC_GEN)/echo_child.wasm
	python3 user/tools/bin2c.py $(IPC_GEN)/echo_child.wasm $(IPC_GEN) echo_child_wasm

$(BUILD)/tests/ipc/ipctest.wasm: $(IPC_GEN)/echo_child_wasm.c tests/ipc/ipctest.c \
                                 $(wildcard user/sdk/*.c user/sdk/*.h lib/*.c lib/*.h)
	$(MAKE) -C tests/ipc GEN=$(abspath $(IPC_GEN)) PROGRAM_OUT=$(abspath $(BUILD)/tests/ipc)

# The device capabilities' test program (tests/devcap), booted as userboot.
$(BUILD)/tests/devcap/devtest.wasm: tests/devcap/devtest.c $(wildcard user/sdk/*.c user/sdk/*.h lib/*.c lib/*.h)
	$(MAKE) -C tests/devcap PROGRAM_OUT=$(abspath $(BUILD)/tests/devcap)

TEST_SUITES += test-unit test-kernel

# The layer order of the kernel's folders, by include and by call
# (scripts/check-layers.py; docs/architecture.md draws it).
.PHONY: check-layers
check-layers: $(BUILD)/atoll.elf
	python3 scripts/check-layers.py $(BUILD)

TEST_SUITES += check-layers
