# mk/bench.mk: the execution benchmark suite (issue 7): C programs in
# bench/programs built natively, to wasm32 and with SIMD, run natively,
# under node (V8, default tiering and Liftoff only) and under atoll-run.
# The harness (bench/harness, Python) builds into $(BUILD)/bench/.
#
#   make bench         every program, BENCH_RUNS runs each: bench/results.md
#                      and bench/results.png (about 9 minutes on 2 cores)
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

bench: deps bench-atoll-run
	python3 bench/harness/bench.py --build $(BUILD) --runs $(BENCH_RUNS) \
	    --out bench/results.md --chart bench/results.png $(BENCH_ARGS)

bench-quick: bench-atoll-run
	python3 bench/harness/bench.py --build $(BUILD) --quick \
	    --out $(BUILD)/bench/results-quick.md \
	    --chart $(BUILD)/bench/results-quick.png $(BENCH_ARGS)

TEST_SUITES += test-bench
test-bench:
	@python3 bench/harness/check.py --build $(BUILD)

# What the Coral interface costs (a coral call, module_create, a component
# spawn) in the hosted build and in the kernel under TCG, and kernel entry
# to the shell prompt: bench/coral/measure.py.
.PHONY: bench-coral
bench-coral: deps $(BUILD)/atoll-coral $(BUILD)/atoll.elf $(BUILD)/user/env.wasm $(BUILD)/user/userboot.wasm
	python3 bench/coral/measure.py -n 3
