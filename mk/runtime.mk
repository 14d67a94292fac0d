# mk/runtime.mk: the compiler and runtime (issue 4) on Linux: atoll-run,
# the encoder and host objects every engine binary now links, and the
# runtime's suite. Variables are RT_*.
#
#   make test-runtime    small programs run by atoll-run, output compared;
#                        the embedding API from C (ASan, UBSan)

RT_X64_SRCS  := $(sort $(wildcard wasm/x64/*.c))
RT_X64_OBJS  := $(patsubst wasm/x64/%.c,$(BUILD)/rt/x64/%.o,$(RT_X64_SRCS))
RT_HOST_SRCS := host/linux_memory.c host/linux_trap.c host/spectest.c
RT_HOST_OBJS := $(patsubst host/%.c,$(ENGINE_OBJ)/%.o,$(RT_HOST_SRCS))
RT_LINK_OBJS := $(RT_X64_OBJS) $(RT_HOST_OBJS)

$(BUILD)/rt/x64/%.o: wasm/x64/%.c $(wildcard wasm/x64/*.h) $(ENGINE_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

# The engine's sources call the encoder and the host's code, memory and trap hooks:
# every binary that links the engine links them too. (A target-specific
# value reaches the recipes mk/engine.mk wrote with $(ENGINE_SRCS).)
$(BUILD)/atoll-spec: $(RT_LINK_OBJS) $(ENGINE_OBJ)/spec_exec.o
$(ENGINE_OBJ)/atoll_spec.o $(ENGINE_OBJ)/spec_exec.o: host/spec_exec.h host/spectest.h
$(BUILD)/test-engine: ENGINE_SRCS += $(RT_X64_SRCS) $(RT_HOST_SRCS)
$(BUILD)/test-engine: $(RT_X64_SRCS) $(RT_HOST_SRCS)
$(BUILD)/fuzz/fuzz_decode: ENGINE_SRCS += $(RT_X64_SRCS) $(RT_HOST_SRCS)
$(BUILD)/fuzz/fuzz_decode: $(RT_X64_SRCS) $(RT_HOST_SRCS)
$(BUILD)/bench/bench-decode: HOST_OBJS += $(RT_LINK_OBJS)
$(BUILD)/bench/bench-decode: $(RT_LINK_OBJS)

# atoll-run's rule is in mk/wasi.mk: it embeds the WASI layer.
ALL_TARGETS += $(BUILD)/atoll-run

# The compiler's output, hashed module by module (host/atoll_codehash.c):
# run at two commits and compare, to show a refactoring changed no code.
# Covers SQLite, the spec modules, and the bench programs when a
# `make test-bench` or `make bench` has built them.
$(BUILD)/atoll-codehash: $(ENGINE_OBJ)/atoll_codehash.o $(HOST_OBJS) $(RT_LINK_OBJS)
	$(HOST_CC) $^ -o $@

.PHONY: code-hashes
code-hashes: $(BUILD)/atoll-codehash $(BUILD)/bench/decode/sqlite3.wasm spec-json
	@$(BUILD)/atoll-codehash $(BUILD)/bench/decode/sqlite3.wasm \
	    $$(find $(BUILD)/bench/wasm $(BUILD)/bench/simd $(BUILD)/spec -name '*.wasm' \
	       2>/dev/null | sort)
TEST_SUITES += test-runtime
.PHONY: test-runtime
test-runtime: $(BUILD)/atoll-run $(BUILD)/runtime/test-api
	@python3 tests/runtime/run.py $(BUILD)/atoll-run tests/runtime \
	    --also $(BUILD)/runtime/test-api $(BUILD)/runtime/api.wasm $(BUILD)/runtime/api_tables.wasm \
	    $(BUILD)/runtime/api_simd.wasm

# The embedding API from C, with ASan and UBSan (the engine built in).
RT_TEST_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -D_DEFAULT_SOURCE \
                  -fsanitize=address,undefined -fno-sanitize-recover=undefined
$(BUILD)/runtime/test-api: tests/runtime/test_api.c $(ENGINE_SRCS) $(RT_X64_SRCS) $(RT_HOST_SRCS) host/host_linux.c $(ENGINE_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(RT_TEST_CFLAGS) tests/runtime/test_api.c $(ENGINE_SRCS) $(RT_X64_SRCS) $(RT_HOST_SRCS) host/host_linux.c -o $@

# Benchmark (not a test): compile MB/s on the SQLite module of bench-decode.
.PHONY: bench-compile
$(BUILD)/bench/bench-compile: bench/compile/bench_compile.c $(HOST_OBJS) $(RT_LINK_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $^ -o $@

bench-compile: $(BUILD)/bench/bench-compile $(BUILD)/bench/decode/sqlite3.wasm
	@$(BUILD)/bench/bench-compile $(BUILD)/bench/decode/sqlite3.wasm $(BENCH_WASM)

# SIMD against V8: modules generated from fixed seeds cover every v128
# instruction, node computes the expected results, atoll-spec checks them
# (tests/runtime/simd_diff.py; files in build/simd-diff/). Other seeds:
# make test-simd-diff SIMD_SEEDS=7-20 (or 3,9,27).
SIMD_SEEDS ?=
TEST_SUITES += test-simd-diff
.PHONY: test-simd-diff
test-simd-diff: $(BUILD)/atoll-spec
	@python3 tests/runtime/simd_diff.py $(BUILD)/atoll-spec --dir $(BUILD)/simd-diff \
	    --self-test $(if $(SIMD_SEEDS),--seeds $(SIMD_SEEDS))

# Differential fuzzing against node (not in make test): random modules of
# seed FUZZ_SEED for FUZZ_SECONDS on two workers, or exactly FUZZ_COUNT
# modules when that is set. Log of the runs: tests/runtime/FUZZING.md.
FUZZ_SEED  ?= 1
FUZZ_COUNT ?=
$(BUILD)/fuzz-run: tests/runtime/fuzz_run.c $(HOST_OBJS) $(RT_LINK_OBJS)
	$(HOST_CC) $(HOST_CFLAGS) $^ -o $@
.PHONY: fuzz-diff
fuzz-diff: $(BUILD)/fuzz-run
	@python3 tests/runtime/fuzz_diff.py $(BUILD)/fuzz-run --seed $(FUZZ_SEED) \
	    $(if $(FUZZ_COUNT),--count $(FUZZ_COUNT),--seconds $(FUZZ_SECONDS))

# The fuzzer's own test (in make test, about 10 s): a divergence planted in
# a v128 log is caught, in hand-written modules and in 50 binaryen SIMD
# modules on both V8 tiers; modules both sides refuse are not compared,
# never agreement; one side refusing is a divergence.
TEST_SUITES += test-fuzz-diff-self
.PHONY: test-fuzz-diff-self
test-fuzz-diff-self: $(BUILD)/fuzz-run
	@python3 tests/runtime/fuzz_diff_self.py $(BUILD)/fuzz-run --dir $(BUILD)/fuzz-diff-self

# The kernel's Coral layer on Linux (host/atoll_coral.c): userboot,
# components, the coral module, modules, handles and memory areas, built
# from kern/ unchanged over the hosted services of host/kernel_host.c.
CORAL_KERN_SRCS := kern/component.c kern/component_link.c kern/component_run.c kern/component_request.c \
                   kern/component_info.c kern/component_gc.c kern/coral.c kern/coral_component.c kern/coral_ipc.c \
                   kern/channel.c kern/channel_close.c kern/coral_devcap.c kern/devcap.c kern/revoke.c kern/wait.c kern/waitset.c kern/kmodule.c kern/userboot.c \
                   kern/handle.c kern/vma.c kern/object.c kern/reserve.c kern/account.c base/spinlock.c lib/fmt.c \
                   boot/bootinfo.c
CORAL_HOST_SRCS := host/atoll_coral.c host/kernel_host.c host/host_thread.c
CORAL_CFLAGS    := -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_DEFAULT_SOURCE \
                   -Itests/unit/shim -I. -Ihost
$(BUILD)/atoll-coral: $(CORAL_HOST_SRCS) $(CORAL_KERN_SRCS) $(HOST_OBJS) $(RT_LINK_OBJS) \
                      $(wildcard kern/*.h) $(wildcard host/*.h) $(ENGINE_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(CORAL_CFLAGS) $(CORAL_HOST_SRCS) $(CORAL_KERN_SRCS) $(HOST_OBJS) \
	    $(RT_LINK_OBJS) -o $@
ALL_TARGETS += $(BUILD)/atoll-coral

# The same under ASan and UBSan, for its test: the userboots of
# tests/qemu/wasm (hostile arguments included) and the C shell, natively.
$(BUILD)/atoll-coral-asan: $(CORAL_HOST_SRCS) $(CORAL_KERN_SRCS) $(ENGINE_SRCS) $(RT_X64_SRCS) \
                           $(RT_HOST_SRCS) host/host_linux.c host/file.c \
                           $(wildcard kern/*.h) $(wildcard host/*.h) $(ENGINE_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(CORAL_CFLAGS) -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	    $(CORAL_HOST_SRCS) $(CORAL_KERN_SRCS) $(ENGINE_SRCS) $(RT_X64_SRCS) $(RT_HOST_SRCS) \
	    host/host_linux.c host/file.c -o $@

# Its threads (host/host_thread.c: cooperative, on one OS thread) alone,
# under ASan and UBSan: kern/thread.h's contract, the deadlock report and
# the guard page (tests/runtime/test_host_thread.c), first in test-coral.
HOST_THREAD_SRCS := host/host_thread.c host/kernel_host.c
$(BUILD)/runtime/test-host-thread: tests/runtime/test_host_thread.c $(HOST_THREAD_SRCS) host/linux_trap.c \
                                   $(wildcard host/*.h) kern/thread.h
	@mkdir -p $(@D)
	$(HOST_CC) $(CORAL_CFLAGS) -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	    tests/runtime/test_host_thread.c $(HOST_THREAD_SRCS) host/linux_trap.c -o $@

TEST_SUITES += test-coral
.PHONY: test-coral
test-coral: $(BUILD)/atoll-coral-asan $(BUILD)/runtime/test-host-thread \
            $(BUILD)/user/env.wasm $(BUILD)/user/userboot.wasm $(BUILD)/tests/ipc/ipctest.wasm \
            $(BUILD)/tests/devcap/devtest.wasm
	@ASAN_OPTIONS=detect_leaks=0:detect_stack_use_after_return=1 $(BUILD)/runtime/test-host-thread
	@python3 tests/runtime/test_coral.py $(BUILD)/atoll-coral-asan $(BUILD)/user \
	    $(BUILD)/tests/ipc/ipctest.wasm $(BUILD)/tests/devcap/devtest.wasm

# Benchmark (not a test): the hosted thread switch, a block/wake
# round trip between two threads, pinned to CPU 1 when taskset exists.
$(BUILD)/bench/bench-switch: host/bench_switch.c $(HOST_THREAD_SRCS) $(wildcard host/*.h) kern/thread.h
	@mkdir -p $(@D)
	$(HOST_CC) $(CORAL_CFLAGS) host/bench_switch.c $(HOST_THREAD_SRCS) -o $@
ALL_TARGETS += $(BUILD)/bench/bench-switch

.PHONY: bench-switch
bench-switch: $(BUILD)/bench/bench-switch
	@$(if $(shell command -v taskset),taskset -c 1 )$(BUILD)/bench/bench-switch
