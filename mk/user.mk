# mk/user.mk: the Wasm userland (user/), built with clang --target=wasm32.
#
#   make user        $(USER_WASM): the SDK shim and userboot, the two boot
#                    modules of the first program
#   make test-user   both under a mock of the kernel in node (tests/user)
#   (on the real kernel in QEMU: tests/qemu/test_shell.py, in test-kernel)
#
# A C program is freestanding (no libc): the SDK (user/sdk) plus the
# kernel's own lib/string.c and lib/fmt.c built for wasm32. It imports its
# memory and the SDK calls from "env", the shim user/sdk/env.wat, which the
# kernel instantiates first as the boot module named "env".

USER_OUT     := $(BUILD)/user
USER_CC      ?= clang
USER_WAT2WASM ?= wat2wasm
USER_CFLAGS  := --target=wasm32 -mbulk-memory -std=c11 -O2 -ffreestanding -nostdlib \
                -Wall -Wextra -Werror -I. -I$(USER_OUT)/gen -MMD -MP
# The shim's memory has 16 pages: a program asks for exactly that. The stack
# comes first, so an overflow runs below address 0 and traps.
USER_LDFLAGS := --target=wasm32 -nostdlib -Wl,--no-entry -Wl,--import-memory \
                -Wl,--initial-memory=1048576 -Wl,--stack-first -z stack-size=65536

USER_SDK_SRCS := user/sdk/atoll.c lib/string.c lib/fmt.c
USERBOOT_SRCS := $(wildcard user/userboot/*.c) user/lib/ustar_header.c $(USER_SDK_SRCS)
USERBOOT_OBJS := $(patsubst %.c,$(USER_OUT)/obj/%.o,$(USERBOOT_SRCS)) \
                 $(USER_OUT)/obj/gen/demo_wasm.o

USER_WASM := $(USER_OUT)/env.wasm $(USER_OUT)/userboot.wasm
ALL_TARGETS += $(USER_WASM)

.PHONY: user test-user
user: $(USER_WASM)

$(USER_OUT)/env.wasm: user/sdk/env.wat
	@mkdir -p $(dir $@)
	$(USER_WAT2WASM) $< -o $@

$(USER_OUT)/demo.wasm: user/userboot/demo.wat
	@mkdir -p $(dir $@)
	$(USER_WAT2WASM) $< -o $@

# The demo module, embedded in userboot as a byte array.
$(USER_OUT)/gen/demo_wasm.c $(USER_OUT)/gen/demo_wasm.h &: $(USER_OUT)/demo.wasm user/tools/bin2c.py
	@mkdir -p $(USER_OUT)/gen
	python3 user/tools/bin2c.py $< $(USER_OUT)/gen demo_wasm

$(USER_OUT)/obj/gen/demo_wasm.o: $(USER_OUT)/gen/demo_wasm.c
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -c $< -o $@

# Every userboot object may include the generated header (demo.c does).
$(USER_OUT)/obj/%.o: %.c | $(USER_OUT)/gen/demo_wasm.h
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -c $< -o $@

$(USER_OUT)/userboot.wasm: $(USERBOOT_OBJS)
	$(USER_CC) $(USER_LDFLAGS) -o $@ $^

# Calls every SDK function: the test checks atoll.h against env.wasm with it.
$(USER_OUT)/sdk_all.wasm: $(USER_OUT)/obj/tests/user/sdk_all.o
	$(USER_CC) $(USER_LDFLAGS) -o $@ $^

-include $(USERBOOT_OBJS:.o=.d) $(USER_OUT)/obj/tests/user/sdk_all.d

test-user: $(USER_WASM) $(USER_OUT)/demo.wasm $(USER_OUT)/sdk_all.wasm
	node tests/user/run.mjs $(USER_OUT)

TEST_SUITES += test-user
