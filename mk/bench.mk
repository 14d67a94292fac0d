# mk/bench.mk: the benchmarks of issue 7. Execution: C programs in
# bench/programs built natively, to wasm32 and with SIMD, run natively,
# under node (V8, default tiering and Liftoff only) and under atoll-run.
# Then compile speed against V8 (bench/compile), the Coral primitives in
# the hosted build, in the kernel under TCG and their Linux counterparts
# (bench/coral), memory (bench/memory) and, for issue 16, IPC between two
# components against Linux pipes and sockets (bench/ipc). The harness
# (bench/harness, Python) builds into $(BUILD)/bench/.
#
#   make bench         all of it, BENCH_RUNS runs each: bench/results.md
#                      and bench/results.png (about 13 minutes on 2 cores)
#   make bench-quick   one run each at 1/8 size, into $(BUILD)/bench/
#   make test-bench    tiny sizes, checksums only (part of make test)
#
# BENCH_ARGS passes more options (e.g. BENCH_ARGS="hash sort" for two
# programs; see bench/harness/bench.py --help).

BENCH_RUNS ?= 5
BENCH_ARGS ?=

.PHONY: bench bench-quick test-bench bench-atoll-run

# atoll-run is rebuilt when it can be, so Atoll's column is current; if it
# does not build (work in progress), the harness uses what is there, or
# reports the column as not available.
bench-atoll-run:
	-@$(MAKE) --no-print-directory $(BUILD)/atoll-run >/dev/null 2>&1 || \
	    echo "bench: $(BUILD)/atoll-run did not build; Atoll's column uses what exists"

# What the other parts need, each from its own makefile; like atoll-run,
# one that does not build leaves its section saying so, not make failing.
BENCH_SYSTEM_DEPS := $(BUILD)/atoll-coral $(BUILD)/atoll-run $(BUILD)/atoll.elf $(BUILD)/user/env.wasm \
                     $(BUILD)/user/userboot.wasm $(BUILD)/user/programs.tar \
                     $(BUILD)/bench/bench-compile $(BUILD)/bench/decode/sqlite3.wasm
.PHONY: bench-system-deps
bench-system-deps: bench-linux
	-@$(MAKE) --no-print-directory $(BENCH_SYSTEM_DEPS) >/dev/null 2>&1 || \
	    echo "bench: some of $(BENCH_SYSTEM_DEPS) did not build; their sections say so"

# The Linux counterparts of the Coral primitives and of IPC, natively.
BENCH_LINUX := $(BUILD)/bench/coral/linux_prims $(BUILD)/bench/coral/linux_hello \
               $(BUILD)/bench/ipc/linux_ipc
.PHONY: bench-linux
bench-linux: $(BENCH_LINUX)
$(BUILD)/bench/coral/linux_prims: bench/coral/linux_prims.c
	@mkdir -p $(@D)
	gcc -O2 -Wall -Wextra -Werror $< -o $@
$(BUILD)/bench/coral/linux_hello: bench/coral/linux_hello.c
	@mkdir -p $(@D)
	gcc -O2 -Wall -Wextra -Werror -static $< -o $@
$(BUILD)/bench/ipc/linux_ipc: bench/ipc/linux_ipc.c
	@mkdir -p $(@D)
	gcc -std=c11 -O2 -Wall -Wextra -Werror $< -o $@

bench: deps bench-atoll-run bench-system-deps
	python3 bench/harness/bench.py --build $(BUILD) --runs $(BENCH_RUNS) \
	    --out bench/results.md --chart bench/results.png $(BENCH_ARGS)
	-@$(MAKE) --no-print-directory $(BENCH_LARGE_DEPS) >/dev/null 2>&1 || \
	    echo "bench: the large module did not build (make bench-large says why)"
	@if [ -f $(BIG_WASM) ]; then \
	    python3 bench/large/measure.py -n $(BENCH_RUNS) --build $(BUILD) \
	        --append bench/results.md >/dev/null || \
	    echo "bench: the large module's section failed (make bench-large says why)"; fi
	$(MAKE) --no-print-directory bench-files BENCH_FILES_OUT=bench/results.md
	$(MAKE) --no-print-directory bench-drivers BENCH_DRIVERS_OUT=bench/results.md

bench-quick: bench-atoll-run
	python3 bench/harness/bench.py --build $(BUILD) --quick \
	    --out $(BUILD)/bench/results-quick.md \
	    --chart $(BUILD)/bench/results-quick.png $(BENCH_ARGS)

TEST_SUITES += test-bench
# linux_ipc is built for the IPC smoke check (a gcc call, under a second).
test-bench: $(BUILD)/atoll-run $(BUILD)/bench/ipc/linux_ipc
	@python3 bench/harness/check.py --build $(BUILD)

# What the Coral interface costs (coral calls, vma_write, module_create,
# instantiate, spawn, ping-pong, event delivery, idle component memory) in
# the hosted build and in the kernel under TCG, against Linux, and kernel
# entry to the shell prompt: bench/coral/measure.py.
.PHONY: bench-coral
bench-coral: deps $(BUILD)/atoll-coral $(BUILD)/atoll.elf $(BUILD)/user/env.wasm \
             $(BUILD)/user/userboot.wasm bench-linux
	python3 bench/coral/measure.py -n 3 --build $(BUILD)

# IPC between two components (issue 16): an 8-byte round trip and a
# stream of 64 KiB messages, hosted, in the kernel under TCG and under
# icount, against pipes and a socketpair between two Linux processes:
# bench/ipc/measure.py. make bench runs it too.
.PHONY: bench-ipc
bench-ipc: deps $(BUILD)/atoll-coral $(BUILD)/atoll.elf $(BUILD)/bench/ipc/linux_ipc
	python3 bench/ipc/measure.py -n 3 --build $(BUILD)

# WASI programs (issue 17): a hello world start to exit and one WASI call,
# atoll-run against node's node:wasi (and Linux for the hello world), the
# call in the kernel under icount: bench/wasi/measure.py. make bench runs
# it too.
.PHONY: bench-wasi
bench-wasi: deps $(BUILD)/atoll-run $(BUILD)/atoll.elf $(BUILD)/user/programs.tar
	python3 bench/wasi/measure.py -n 5 --build $(BUILD)

# Drivers in Wasm (issue 18): a port access, an interrupt to the driver
# and the acknowledgement, in the kernel under TCG and icount, and each
# driver's memory: bench/drivers/measure.py. make bench appends its
# section to bench/results.md (BENCH_DRIVERS_OUT=FILE alone).
BENCH_DRIVERS_OUT ?=
$(BUILD)/bench/drivers/drvbench.wasm: bench/drivers/drvbench.c programs-force
	$(MAKE) -C bench/drivers PROGRAM_OUT=$(abspath $(BUILD)/bench/drivers)
.PHONY: bench-drivers
bench-drivers: deps $(BUILD)/atoll.elf $(BUILD)/atoll.iso $(BUILD)/user/env.wasm \
               $(BUILD)/bench/drivers/drvbench.wasm
	python3 bench/drivers/measure.py -n 3 --build $(BUILD) \
	    $(if $(BENCH_DRIVERS_OUT),--append $(BENCH_DRIVERS_OUT))

# Kill latency in the kernel: a victim in compiled code, in a long host
# call and in waits (bench/kill/measure.py).
.PHONY: bench-kill
bench-kill: deps $(BUILD)/atoll.elf
	python3 bench/kill/measure.py -n 5

# Compile speed against V8 and memory, alone (make bench runs them too).
.PHONY: bench-compile-v8 bench-memory
bench-compile-v8: deps $(BUILD)/bench/bench-compile $(BUILD)/bench/decode/sqlite3.wasm
	python3 bench/compile/measure.py -n 3 --build $(BUILD)
bench-memory: deps $(BUILD)/atoll.elf $(BUILD)/user/env.wasm $(BUILD)/user/userboot.wasm \
              $(BUILD)/user/programs.tar
	python3 bench/memory/measure.py --build $(BUILD)

# A WASI command of 20+ MB of real code (issue 17): eleven variants of
# SQLite linked side by side under their own names (bench/large/build-big.sh;
# SQLite's source from the same npm package as bench-decode's).
BIG_WASM := $(BUILD)/bench/large/big.wasm
$(BIG_WASM): bench/large/build-big.sh bench/large/copy.c bench/large/workload.c \
             bench/large/main.c bench/large/big.h
	bench/large/build-big.sh $@

# The engine's memory for one decode+validate+compile (bench/large).
$(BUILD)/bench/compile-peak: bench/large/compile_peak.c $(HOST_OBJS) $(RT_LINK_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Wl,--wrap=wasm_host_alloc,--wrap=wasm_host_free \
	    -Wl,--wrap=wasm_host_code_alloc,--wrap=wasm_host_code_free $^ -o $@

# Compile time and memory of the 20+ MB module, Atoll (hosted and in the
# kernel under QEMU) against V8: bench/large/measure.py, into
# bench/large/results.md. make bench appends the same section to
# bench/results.md.
BENCH_LARGE_DEPS := $(BIG_WASM) $(BUILD)/bench/bench-compile $(BUILD)/bench/compile-peak \
                    $(BUILD)/atoll-run $(BUILD)/atoll.elf $(BUILD)/user/env.wasm \
                    $(BUILD)/user/userboot.wasm $(BUILD)/user/programs.tar
.PHONY: bench-large
bench-large: deps $(BENCH_LARGE_DEPS)
	python3 bench/large/measure.py -n $(BENCH_RUNS) --build $(BUILD) --out bench/large/results.md

# tests/qemu/test_large_module.py (in test-kernel) runs big.wasm in
# atoll-run and in the kernel.
test-kernel: $(BIG_WASM)

# Files through the WASI layer (issue 17): a file read/write loop and
# SQLite (user/apps/sqlite), atoll-run against node's node:wasi and Linux,
# the loop's calls in the kernel under icount: bench/files/measure.py.
# make bench runs it after the rest and adds its section to
# bench/results.md; alone it prints it (BENCH_FILES_OUT=FILE to update one).
BENCH_FILES_OUT ?=
.PHONY: bench-files
bench-files: deps $(BUILD)/atoll-run $(BUILD)/atoll.elf $(BUILD)/user/programs.tar apps
	python3 bench/files/measure.py -n $(BENCH_RUNS) --build $(BUILD) \
	    $(if $(BENCH_FILES_OUT),--update $(BENCH_FILES_OUT))
