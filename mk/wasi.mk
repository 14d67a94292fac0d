# mk/wasi.mk: the official WASI preview-1 test suite (wasi-testsuite, 72
# programs, outside the repository at WASI_TESTSUITE) run by tests/wasi/run.py.
#
#   make wasi-suite-node       under node's node:wasi, the reference: node's
#                              known failures (tests/wasi/node-known-failures.txt)
#                              are skipped, so the target fails only on a new
#                              failure; WASI_SKIP_NODE= runs all 72
#   make wasi-suite-atoll-run  under $(BUILD)/atoll-run, wasmtime-like CLI
#                              (tests/wasi/README.md); not expected to pass
#                              until atoll-run implements WASI
#
# Neither is in TEST_SUITES: the suite lives outside the repository and
# node's figure says nothing about Atoll. The node target needs no build.
# WASI_ARGS passes more options (e.g. WASI_ARGS="-k path_ -j 2").

WASI_TESTSUITE ?= /work/shared/wasi-testsuite
WASI_SKIP_NODE ?= tests/wasi/node-known-failures.txt
WASI_SKIP_ATOLL ?=
WASI_ARGS ?=

.PHONY: wasi-suite-node wasi-suite-atoll-run
wasi-suite-node:
	python3 tests/wasi/run.py --runtime node --suite $(WASI_TESTSUITE) \
	    $(if $(WASI_SKIP_NODE),--skip-file $(WASI_SKIP_NODE)) $(WASI_ARGS)

wasi-suite-atoll-run: $(BUILD)/atoll-run
	python3 tests/wasi/run.py --runtime atoll-run --suite $(WASI_TESTSUITE) \
	    $(if $(WASI_SKIP_ATOLL),--skip-file $(WASI_SKIP_ATOLL)) $(WASI_ARGS)
