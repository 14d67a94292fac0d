# mk/wasi.mk: the official WASI preview-1 test suite (wasi-testsuite, 72
# programs, outside the repository at WASI_TESTSUITE) run by tests/wasi/run.py.
#
#   make wasi-suite-node       under node's node:wasi, the reference: node's
#                              known failures (tests/wasi/node-known-failures.txt)
#                              are skipped, so the target fails only on a new
#                              failure; WASI_SKIP_NODE= runs all 72
#   make wasi-suite-atoll-run  under $(BUILD)/atoll-run, wasmtime-like CLI
#                              (tests/wasi/README.md), all 72
#   make test-wasi             the same with atoll-run's known exceptions
#                              skipped (tests/wasi/atoll-run-known-failures.txt,
#                              each with its reason): part of make test
#
# The node target is not in make test (node's figure says nothing about
# Atoll) and needs no build.
# WASI_ARGS passes more options (e.g. WASI_ARGS="-k path_ -j 2").

# Beside the repository, as the Wasm suite (mk/engine.mk).
ifeq ($(origin WASI_TESTSUITE),undefined)
WASI_TESTSUITE := $(firstword $(wildcard ../shared/wasi-testsuite \
                      $(WASM_TESTSUITE_ORIGIN)/../shared/wasi-testsuite) \
                      ../shared/wasi-testsuite)
endif
WASI_SKIP_NODE ?= tests/wasi/node-known-failures.txt
WASI_SKIP_ATOLL ?= tests/wasi/atoll-run-known-failures.txt
WASI_ARGS ?=

.PHONY: wasi-suite-node wasi-suite-atoll-run
wasi-suite-node:
	python3 tests/wasi/run.py --runtime node --suite $(abspath $(WASI_TESTSUITE)) \
	    $(if $(WASI_SKIP_NODE),--skip-file $(WASI_SKIP_NODE)) $(WASI_ARGS)

wasi-suite-atoll-run: $(BUILD)/atoll-run
	python3 tests/wasi/run.py --runtime atoll-run --suite $(abspath $(WASI_TESTSUITE)) \
	    $(WASI_ARGS)

TEST_SUITES += test-wasi
.PHONY: test-wasi
test-wasi: $(BUILD)/atoll-run $(PROGRAMS_TAR) $(PROGRAMS_OUT)/wasi_hostile.wasm \
           $(PROGRAMS_OUT)/ftool.wasm
	python3 tests/wasi/test_atoll_run.py $(BUILD)
	python3 tests/wasi/run.py --runtime atoll-run --suite $(abspath $(WASI_TESTSUITE)) \
	    --skip-file $(WASI_SKIP_ATOLL) -j 2

# atoll-run (host/atoll_run.c): the engine alone for a plain module, and
# for a WASI command the hosted kernel (kern/ over host/kernel_host.c)
# with the WASI layer and env.wasm embedded (host/wasi_run.c), so the
# binary runs anywhere without the build tree.
WASI_GEN := $(BUILD)/host-gen
$(WASI_GEN)/wasi_env_wasm.c: $(USER_OUT)/env.wasm user/tools/bin2c.py
	@mkdir -p $(@D)
	python3 user/tools/bin2c.py $< $(@D) wasi_env_wasm
$(WASI_GEN)/wasi_layer_wasm.c: $(PROGRAMS_WASI_LAYER) user/tools/bin2c.py
	@mkdir -p $(@D)
	python3 user/tools/bin2c.py $< $(@D) wasi_layer_wasm
ATOLL_RUN_SRCS := host/atoll_run.c host/wasi_run.c host/kernel_host.c host/host_thread.c \
                  host/hostfs.c user/fs/fs_core.c $(CORAL_KERN_SRCS) $(WASI_GEN)/wasi_env_wasm.c $(WASI_GEN)/wasi_layer_wasm.c
$(BUILD)/atoll-run: $(ATOLL_RUN_SRCS) $(HOST_OBJS) $(RT_LINK_OBJS) $(wildcard kern/*.h) \
                    $(wildcard host/*.h) $(wildcard user/fs/*.h) $(ENGINE_HDRS)
	$(HOST_CC) $(CORAL_CFLAGS) -I$(WASI_GEN) $(ATOLL_RUN_SRCS) $(HOST_OBJS) $(RT_LINK_OBJS) -o $@

# The kernel's run of the suite (tests/qemu/test_wasi_suite.py, in
# test-kernel) finds it where make does.
test-kernel: export WASI_TESTSUITE := $(abspath $(WASI_TESTSUITE))
