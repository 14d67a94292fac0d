# mk/engine.mk: the Wasm engine (wasm/), its Linux tools (host/) and their
# suites. Included by the top Makefile; every variable here is ENGINE_* or
# HOST_* so as not to collide with mk/kernel.mk.
#
#   make test-spec       spec suite (core/ + core/simd) through atoll-spec
#   make test-kcheck     the engine's sources compiled with the kernel's exact flags
#   make fuzz            libFuzzer over decode+validate, then over compile
#                        and run, FUZZ_SECONDS each
#   make bench-decode    decode+validate throughput (MB/s), not a test

# The official suite lives beside the repository (../shared). A clone made
# elsewhere (a temporary directory) finds it beside the repository it was
# cloned from, when that is a local path.
ifeq ($(origin WASM_TESTSUITE),undefined)
WASM_TESTSUITE_ORIGIN := $(shell git config --get remote.origin.url 2>/dev/null)
WASM_TESTSUITE := $(firstword $(wildcard ../shared/wasm-testsuite \
                      $(WASM_TESTSUITE_ORIGIN)/../shared/wasm-testsuite) \
                      ../shared/wasm-testsuite)
endif
FUZZ_SECONDS   ?= 60
WAST2JSON      ?= wast2json

# The engine's folders by pipeline stage (docs/engine.md); the encoder,
# wasm/x64/, is built by mk/runtime.mk and mk/x64.mk.
ENGINE_DIRS := core decode validate compile runtime
ENGINE_SRCS := $(sort $(foreach d,$(ENGINE_DIRS),$(wildcard wasm/$(d)/*.c)))
ENGINE_HDRS := $(wildcard wasm/*.h wasm/*/*.h wasm/*/*.def)
ENGINE_OBJ  := $(BUILD)/engine
HOST_CC     ?= gcc
HOST_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -D_DEFAULT_SOURCE
HOST_OBJS   := $(patsubst wasm/%.c,$(ENGINE_OBJ)/%.o,$(ENGINE_SRCS)) \
               $(ENGINE_OBJ)/host_linux.o $(ENGINE_OBJ)/file.o

# Kernel flags, exactly: if the kernel build would break on wasm/, this does.
ENGINE_KCFLAGS := -std=c11 -O2 -ffreestanding -mno-red-zone -mcmodel=kernel \
    -mgeneral-regs-only -fno-pic -fno-stack-protector -Wall -Wextra -Werror \
    -nostdinc -isystem $(shell $(HOST_CC) -print-file-name=include)
ENGINE_KOBJS := $(patsubst wasm/%.c,$(BUILD)/kcheck/%.o,$(ENGINE_SRCS))

ALL_TARGETS += $(BUILD)/atoll-spec $(BUILD)/kcheck/stamp
TEST_SUITES += test-kcheck test-spec

$(ENGINE_OBJ)/%.o: wasm/%.c $(ENGINE_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

$(ENGINE_OBJ)/%.o: host/%.c $(ENGINE_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/atoll-spec: $(ENGINE_OBJ)/atoll_spec.o $(ENGINE_OBJ)/json.o $(HOST_OBJS)
	$(HOST_CC) $^ -o $@
$(ENGINE_OBJ)/atoll_spec.o $(ENGINE_OBJ)/spec_exec.o $(ENGINE_OBJ)/json.o: host/json.h

$(BUILD)/kcheck/%.o: wasm/%.c $(ENGINE_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(ENGINE_KCFLAGS) -c $< -o $@

$(BUILD)/kcheck/stamp: $(ENGINE_KOBJS)
	@touch $@

.PHONY: test-kcheck test-spec spec-json fuzz bench-decode

test-kcheck:
	@n=0; f=0; for s in $(ENGINE_SRCS); do \
	    o=$(BUILD)/kcheck/$${s#wasm/}; o=$${o%.c}.o; \
	    if $(MAKE) --no-print-directory -s $$o >/dev/null; then n=$$((n+1)); \
	    else f=$$((f+1)); echo "kernel flags reject $$s"; fi; done; \
	if $(HOST_CC) $(ENGINE_KCFLAGS) -DWASM_NO_COMPUTED_GOTO -c wasm/validate/validate_func.c \
	    -o $(BUILD)/kcheck/validate_func_switch.o; then n=$$((n+1)); \
	else f=$$((f+1)); echo "the switch fallback of validate_func.c does not build"; fi; \
	echo "$$n passed, $$f failed"; [ $$f -eq 0 ]

# The suite in JSON: core/ (with core/compat/ for the files Debian's
# wast2json cannot read, see the testsuite's README) and core/simd/.
ENGINE_CORE_WAST := $(wildcard $(WASM_TESTSUITE)/core/*.wast)
ENGINE_SIMD_WAST := $(wildcard $(WASM_TESTSUITE)/core/simd/*.wast)
ENGINE_SPEC_JSON := \
    $(patsubst $(WASM_TESTSUITE)/core/%.wast,$(BUILD)/spec/core/%.json,$(ENGINE_CORE_WAST)) \
    $(patsubst $(WASM_TESTSUITE)/core/simd/%.wast,$(BUILD)/spec/simd/%.json,$(ENGINE_SIMD_WAST))

$(BUILD)/spec/core/%.json: $(WASM_TESTSUITE)/core/%.wast
	@mkdir -p $(@D)
	@src=$<; c=$(WASM_TESTSUITE)/core/compat/$*.wast; [ -f $$c ] && src=$$c; \
	$(WAST2JSON) $$src -o $@

$(BUILD)/spec/simd/%.json: $(WASM_TESTSUITE)/core/simd/%.wast
	@mkdir -p $(@D)
	@$(WAST2JSON) $< -o $@

# A missing suite is an error that says where it was looked for, never an
# empty (and so passing) run.
spec-json: $(ENGINE_SPEC_JSON)
	@[ -d "$(WASM_TESTSUITE)/core" ] || { \
	    echo "spec-json: the WebAssembly spec test suite is not at $(WASM_TESTSUITE)" \
	         "(make WASM_TESTSUITE=path/to/wasm-testsuite)"; exit 1; }

# The SIMD files twice: with AVX's forms where the CPU has them, and with
# the SSE4.1 ones alone (--sse), so both paths of the compiler are run.
test-spec: $(BUILD)/atoll-spec spec-json
	@$(BUILD)/atoll-spec --known tests/spec/known-failures.txt $(ENGINE_SPEC_JSON) \
	    --sse $(filter $(BUILD)/spec/simd/%,$(ENGINE_SPEC_JSON))

# libFuzzer over decode+validate, seeded with every module of the spec
# suite; new inputs it finds stay in $(BUILD)/fuzz/corpus between runs.
HOST_FUZZ_CC     ?= clang
HOST_FUZZ_CFLAGS := -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
                    -fno-sanitize-recover=undefined
$(BUILD)/fuzz/fuzz_decode: tests/fuzz/fuzz_decode.c $(ENGINE_SRCS) host/host_linux.c $(ENGINE_HDRS)
	@mkdir -p $(@D)
	$(HOST_FUZZ_CC) $(HOST_FUZZ_CFLAGS) tests/fuzz/fuzz_decode.c $(ENGINE_SRCS) host/host_linux.c -o $@

# The same over compile and run (tests/fuzz/fuzz_compile.c): valid inputs
# are compiled, instantiated and their exports called, each call bounded
# by the engine's interrupt, which takes SIGALRM from libFuzzer's own
# timeout (so -timeout=0). Its corpus is $(BUILD)/fuzz/corpus-compile.
FUZZ_RT_SRCS = $(RT_X64_SRCS) $(RT_HOST_SRCS)
$(BUILD)/fuzz/fuzz_compile: tests/fuzz/fuzz_compile.c $(ENGINE_SRCS) host/host_linux.c \
                            $(wildcard wasm/x64/*.c) host/linux_memory.c host/linux_trap.c \
                            host/spectest.c $(ENGINE_HDRS)
	@mkdir -p $(@D)
	$(HOST_FUZZ_CC) $(HOST_FUZZ_CFLAGS) -D_DEFAULT_SOURCE tests/fuzz/fuzz_compile.c \
	    $(ENGINE_SRCS) $(FUZZ_RT_SRCS) host/host_linux.c -o $@

# Both targets, FUZZ_SECONDS each, one after the other.
fuzz: $(BUILD)/fuzz/fuzz_decode $(BUILD)/fuzz/fuzz_compile spec-json
	@mkdir -p $(BUILD)/fuzz/corpus $(BUILD)/fuzz/corpus-compile $(BUILD)/fuzz/seeds \
	    $(BUILD)/fuzz/crashes
	@cp -n $(BUILD)/spec/*/*.wasm $(BUILD)/fuzz/seeds/ 2>/dev/null || true
	$(BUILD)/fuzz/fuzz_decode -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -rss_limit_mb=2048 -artifact_prefix=$(BUILD)/fuzz/crashes/ \
	    -print_final_stats=1 $(BUILD)/fuzz/corpus $(BUILD)/fuzz/seeds
	$(BUILD)/fuzz/fuzz_compile -max_total_time=$(FUZZ_SECONDS) -timeout=0 \
	    -rss_limit_mb=4096 -malloc_limit_mb=2048 -artifact_prefix=$(BUILD)/fuzz/crashes/compile- \
	    -print_final_stats=1 $(BUILD)/fuzz/corpus-compile $(BUILD)/fuzz/seeds

# Host unit tests of the engine, with AddressSanitizer and UBSan; the
# fuzzer's past crashes are replayed by the same binary.
ENGINE_TEST_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror \
                      -fsanitize=address,undefined -fno-sanitize-recover=undefined
$(BUILD)/test-engine: tests/engine/test_engine.c $(ENGINE_SRCS) host/host_linux.c $(ENGINE_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(ENGINE_TEST_CFLAGS) tests/engine/test_engine.c $(ENGINE_SRCS) host/host_linux.c -o $@

TEST_SUITES += test-engine test-json
.PHONY: test-engine
test-engine: $(BUILD)/test-engine
	@$(BUILD)/test-engine $(wildcard tests/fuzz/regressions/*.wasm)

# The host JSON reader atoll-spec reads wast2json output with, hostile
# input included, under the same sanitizers.
$(BUILD)/test-json: tests/engine/test_json.c host/json.c host/json.h
	@mkdir -p $(@D)
	$(HOST_CC) $(ENGINE_TEST_CFLAGS) tests/engine/test_json.c host/json.c -o $@
.PHONY: test-json
test-json: $(BUILD)/test-json
	@$(BUILD)/test-json

# Benchmark (not a test): decode+validate MB/s on SQLite compiled to
# wasm32-wasi (bench/decode/build-sqlite.sh), plus any BENCH_WASM files.
BENCH_WASM ?=
$(BUILD)/bench/bench-decode: bench/decode/bench_decode.c $(HOST_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) bench/decode/bench_decode.c $(HOST_OBJS) -o $@

$(BUILD)/bench/decode/sqlite3.wasm: bench/decode/build-sqlite.sh
	bench/decode/build-sqlite.sh $@

bench-decode: $(BUILD)/bench/bench-decode $(BUILD)/bench/decode/sqlite3.wasm
	@$(BUILD)/bench/bench-decode $(BUILD)/bench/decode/sqlite3.wasm $(BENCH_WASM)
