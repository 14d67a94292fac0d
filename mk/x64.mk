# mk/x64.mk: the x86-64 encoder (wasm/x64/) and its self check. Included by
# the top Makefile; every variable here is X64_*.
#
#   make test-x64   every encoder helper against GNU as (byte for byte), the
#                   buffer/label/relocation checks, and wasm/x64/*.c compiled
#                   with the kernel's exact flags

X64_CC        ?= gcc
X64_SRCS      := $(sort $(wildcard wasm/x64/*.c))
X64_HDRS      := $(wildcard wasm/x64/*.h wasm/x64/*.def) wasm/core/libc.h
X64_TEST_SRCS := $(sort $(wildcard tests/x64/*.c))
X64_TEST_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror \
                   -fsanitize=address,undefined -fno-sanitize-recover=undefined
X64_KCFLAGS := -std=c11 -O2 -ffreestanding -mno-red-zone -mcmodel=kernel \
    -mgeneral-regs-only -fno-pic -fno-stack-protector -Wall -Wextra -Werror \
    -nostdinc -isystem $(shell $(X64_CC) -print-file-name=include)

$(BUILD)/x64/test-x64: $(X64_TEST_SRCS) $(X64_SRCS) $(X64_HDRS) tests/x64/harness.h
	@mkdir -p $(@D)
	$(X64_CC) $(X64_TEST_CFLAGS) $(X64_TEST_SRCS) $(X64_SRCS) -o $@

TEST_SUITES += test-x64
.PHONY: test-x64
test-x64: $(BUILD)/x64/test-x64
	@mkdir -p $(BUILD)/x64/work
	@p=0; f=0; for s in $(X64_SRCS); do \
	    if $(X64_CC) $(X64_KCFLAGS) -c $$s -o $(BUILD)/x64/work/kcheck.o; \
	    then p=$$((p+1)); else f=$$((f+1)); echo "kernel flags reject $$s"; fi; \
	done; \
	$(BUILD)/x64/test-x64 $(BUILD)/x64/work --also $$p $$f

# Encoder throughput, not a test (prints instructions/s of a compiler-like mix).
$(BUILD)/x64/bench-x64: tests/x64/bench/bench_x64.c $(X64_SRCS) $(X64_HDRS)
	@mkdir -p $(@D)
	$(X64_CC) -std=c11 -O2 -Wall -Wextra -Werror tests/x64/bench/bench_x64.c $(X64_SRCS) -o $@

.PHONY: bench-x64
bench-x64: $(BUILD)/x64/bench-x64
	@$(BUILD)/x64/bench-x64
