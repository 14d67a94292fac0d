# Atoll — top-level build. Each layer's rules live in mk/<part>.mk; this file
# holds the user-facing targets. See README.md for the two commands.
#
#   make run            boot in QEMU (serial on the terminal)
#   make test           every suite; each ends with "N passed, N failed"
#   make iso            build/atoll.iso (GRUB, Multiboot2, BIOS + UEFI)
#   make debug          QEMU waiting for GDB (see scripts/gdbinit)

BUILD ?= build
export BUILD

# Suites that `make test` runs, in order; mk fragments append to this.
TEST_SUITES :=

.DEFAULT_GOAL := all
.PHONY: all deps run test iso debug clean

include mk/kernel.mk
-include mk/engine.mk
-include mk/x64.mk
-include mk/runtime.mk
-include mk/bench.mk
-include mk/host.mk
include mk/tests.mk
include mk/abi.mk
include mk/user.mk
include mk/programs.mk
include mk/files.mk
include mk/apps.mk
include mk/wasi.mk

all: deps $(ALL_TARGETS)

# Installs missing Debian packages (as root) or prints the command to do so.
deps:
	@scripts/ensure-deps

# `make test` runs every suite even when one fails, then fails if any did.
test: deps
	@failed=""; \
	for s in $(TEST_SUITES); do \
	    echo "=== $$s"; \
	    $(MAKE) --no-print-directory $$s || failed="$$failed $$s"; \
	done; \
	if [ -n "$$failed" ]; then echo "make test: FAILED suites:$$failed"; exit 1; fi; \
	echo "make test: all suites passed"

clean:
	rm -rf $(BUILD)
