# program.mk — build rules for one Atoll program (docs/programs.md).
#
# A program's folder holds its sources and a Makefile of two lines:
#
#     PROGRAM = hello
#     include ../../sdk/program.mk      (the path to this file)
#
# `make` there builds $(PROGRAM_OUT)/$(PROGRAM).wasm, by default into
# build/user/programs/ of this repository, as a WASI command (it exports
# _start and imports wasi_snapshot_preview1; docs/wasi.md):
#   - C:    every .c file of the folder (or SRCS), built by clang for
#           wasm32-wasi on Debian's wasi-libc (--sysroot=/usr): main,
#           stdio, malloc, printf with floats, qsort, time... The SDK's
#           kernel calls (user/sdk/atoll.h, service.h: atoll.c and
#           service.c) are linked in; the linker keeps only what the
#           program calls.
#   - Rust: $(PROGRAM).rs, when it exists, built by Debian's rustc for
#           wasm32-wasi with std (println!, std::io::stdin, std::env);
#           the kernel calls come from user/sdk/rust/atoll.rs.
#
# A program that calls the kernel imports from the module "env" (the
# SDK shim, user/sdk/env.wat): its memory must then be that shim's, so
# that SDK handle 0 (ATOLL_SELF) is its own memory. program.mk links
# every program once as a plain WASI command; when the result imports
# anything from env, it links again with its memory imported from env
# (--import-memory, 16 pages to start, the stack first). A program that
# does not call the kernel keeps its own memory and runs on any WASI
# host (build/atoll-run, node:wasi, wasmtime). The launcher gives a
# program that imports from env its own env instance (docs/programs.md).
#
# MODULES = a b ... also builds a.wasm, b.wasm from a.c, b.c: library
# modules the program imports from ("a", "b"), each its own instance with
# its own memory, freestanding, no SDK (user/examples/pair).
#
# FREESTANDING = 1 builds the old way instead: --target=wasm32 -nostdlib,
# no C library, with the SDK's own runtime (user/sdk/program.c: the entry
# atoll_start, the console, atoll_printf without floats). Only for what
# cannot be a WASI command: the WASI layer itself (a module named
# wasi_snapshot_preview1 cannot import from wasi_snapshot_preview1, so
# that name is always built this way), a program booted as userboot
# (tests/ipc), and the tests of program.c.
#
# Variables a Makefile (or the command line) may set:
#   PROGRAM       the program's name (required)
#   SRCS          C sources (default: the folder's .c files but MODULES')
#   MODULES       library modules built next to the program
#   PROGRAM_OUT   where the .wasm files go
#   CFLAGS_EXTRA  more clang flags;  RUSTC  the Rust compiler
#   FREESTANDING  1: no C library, the atoll_start runtime (see above)

ifndef PROGRAM
$(error PROGRAM is not set: write PROGRAM = name before including program.mk)
endif

PROGRAM_MK  := $(abspath $(lastword $(MAKEFILE_LIST)))
ATOLL_ROOT  := $(abspath $(dir $(PROGRAM_MK))../..)
PROGRAM_OUT ?= $(ATOLL_ROOT)/build/user/programs

PROGRAM_CC  ?= clang
RUSTC       ?= /usr/bin/rustc
WASM_OBJDUMP ?= wasm-objdump

ifeq ($(PROGRAM),wasi_snapshot_preview1)
FREESTANDING := 1
endif

# Linked with its memory from env: the shim's memory has 16 pages, which
# the program asks for exactly; the stack (64 KiB) comes first, so an
# overflow runs below address 0 and traps.
ENV_MEMORY_LDFLAGS := -Wl,--import-memory -Wl,--initial-memory=1048576 \
                      -Wl,--stack-first -z stack-size=65536
# A library module: its own memory, no imports of its own.
MODULE_CFLAGS   := --target=wasm32 -mbulk-memory -std=c11 -O2 -ffreestanding -nostdlib \
                   -Wall -Wextra -I$(ATOLL_ROOT) $(CFLAGS_EXTRA)
MODULE_LDFLAGS  := --target=wasm32 -nostdlib -Wl,--no-entry -Wl,--stack-first \
                   -z stack-size=65536

ifeq ($(FREESTANDING),1)
PROGRAM_CFLAGS  := $(MODULE_CFLAGS)
PROGRAM_LDFLAGS := --target=wasm32 -nostdlib -Wl,--no-entry $(ENV_MEMORY_LDFLAGS) \
                   -Wl,--export=atoll_start
RUST_FLAGS      := --target wasm32-unknown-unknown -O --crate-type cdylib --edition 2021 \
                   -C strip=debuginfo -C link-arg=--import-memory \
                   -C link-arg=--initial-memory=1048576 -C link-arg=--stack-first \
                   -C link-arg=-zstack-size=65536 -C link-arg=--export=atoll_start
SDK_SRCS := $(addprefix $(ATOLL_ROOT)/,user/sdk/atoll.c user/sdk/program.c \
              user/sdk/service.c lib/string.c lib/fmt.c)
else
WASI_TARGET     := --target=wasm32-wasi --sysroot=/usr
# gnu11: C11 with POSIX's declarations (clock_gettime, strdup...), as
# ordinary C expects them.
PROGRAM_CFLAGS  := $(WASI_TARGET) -std=gnu11 -O2 -Wall -Wextra -I$(ATOLL_ROOT) $(CFLAGS_EXTRA)
# A plain WASI command keeps its own memory; the stack still comes first.
# Debian's wasi-libc carries DWARF, which would double a program's size;
# the name section (function names in trap reports) stays.
PROGRAM_LDFLAGS := $(WASI_TARGET) -Wl,--stack-first -z stack-size=65536 -Wl,--strip-debug
RUST_FLAGS      := --target wasm32-wasi -O --edition 2021 -C strip=debuginfo
RUST_ENV_FLAGS  := -C link-arg=--import-memory -C link-arg=--initial-memory=1048576 \
                   -C link-arg=--stack-first -C link-arg=-zstack-size=65536
SDK_SRCS := $(addprefix $(ATOLL_ROOT)/,user/sdk/atoll.c user/sdk/service.c)
endif

SDK_HDRS := $(wildcard $(ATOLL_ROOT)/user/sdk/*.h $(ATOLL_ROOT)/lib/*.h)
RUST_SDK := $(wildcard $(ATOLL_ROOT)/user/sdk/rust/*.rs)

SRCS ?= $(filter-out $(MODULES:=.c),$(wildcard *.c))
PROGRAM_WASM := $(PROGRAM_OUT)/$(PROGRAM).wasm
MODULE_WASM  := $(MODULES:%=$(PROGRAM_OUT)/%.wasm)

# Objects are compiled apart from the link: clang runs wasm-opt (when
# binaryen is installed) on an optimized one-step build, which drops the
# name section the kernel names functions by in trap reports.
OBJ_DIR      := $(PROGRAM_OUT)/obj/$(PROGRAM)
obj           = $(addprefix $(OBJ_DIR)/,$(notdir $(1:.c=.o)))
PROGRAM_OBJS := $(call obj,$(SRCS))
SDK_OBJS     := $(addprefix $(OBJ_DIR)/sdk/,$(notdir $(SDK_SRCS:.c=.o)))

# True (status 0) when the module $(1) imports anything from env.
imports_env = $(WASM_OBJDUMP) -x -j Import $(1) | grep -q ' <- env\.'

.PHONY: all clean
all: $(PROGRAM_WASM) $(MODULE_WASM)

ifeq ($(FREESTANDING),1)
ifneq ($(wildcard $(PROGRAM).rs),)
$(PROGRAM_WASM): $(PROGRAM).rs $(wildcard *.rs) $(RUST_SDK) $(PROGRAM_MK)
	@mkdir -p $(dir $@)
	$(RUSTC) $(RUST_FLAGS) -o $@ $<
else
$(PROGRAM_WASM): $(PROGRAM_OBJS) $(SDK_OBJS) $(PROGRAM_MK)
	$(PROGRAM_CC) $(PROGRAM_LDFLAGS) -o $@ $(filter %.o,$^)
endif
else
# Linked plain first; again with env's memory when it imports from env.
ifneq ($(wildcard $(PROGRAM).rs),)
$(PROGRAM_WASM): $(PROGRAM).rs $(wildcard *.rs) $(RUST_SDK) $(PROGRAM_MK)
	@mkdir -p $(dir $@)
	$(RUSTC) $(RUST_FLAGS) -o $@.tmp $<
	if $(call imports_env,$@.tmp); then \
	    $(RUSTC) $(RUST_FLAGS) $(RUST_ENV_FLAGS) -o $@.tmp $<; fi
	mv $@.tmp $@
else
# wasm-ld drops the SDK functions nobody calls, and their imports with
# them: a program that never calls the kernel imports nothing from env.
$(PROGRAM_WASM): $(PROGRAM_OBJS) $(SDK_OBJS) $(PROGRAM_MK)
	$(PROGRAM_CC) $(PROGRAM_LDFLAGS) -o $@.tmp $(filter %.o,$^)
	if $(call imports_env,$@.tmp); then \
	    $(PROGRAM_CC) $(PROGRAM_LDFLAGS) $(ENV_MEMORY_LDFLAGS) -o $@.tmp $(filter %.o,$^); fi
	mv $@.tmp $@
endif
endif

$(PROGRAM_OUT)/%.wasm: $(OBJ_DIR)/module/%.o $(OBJ_DIR)/module/string.o
	$(PROGRAM_CC) $(MODULE_LDFLAGS) -o $@ $^

$(OBJ_DIR)/module/%.o: %.c $(wildcard *.h)
	@mkdir -p $(dir $@)
	$(PROGRAM_CC) $(MODULE_CFLAGS) -c -o $@ $<

$(OBJ_DIR)/module/string.o: $(ATOLL_ROOT)/lib/string.c $(SDK_HDRS)
	@mkdir -p $(dir $@)
	$(PROGRAM_CC) $(MODULE_CFLAGS) -c -o $@ $<

$(OBJ_DIR)/%.o: %.c $(SDK_HDRS) $(wildcard *.h) $(PROGRAM_MK)
	@mkdir -p $(dir $@)
	$(PROGRAM_CC) $(PROGRAM_CFLAGS) -c -o $@ $<

$(OBJ_DIR)/sdk/%.o: $(ATOLL_ROOT)/user/sdk/%.c $(SDK_HDRS) $(PROGRAM_MK)
	@mkdir -p $(dir $@)
	$(PROGRAM_CC) $(PROGRAM_CFLAGS) -c -o $@ $<

$(OBJ_DIR)/sdk/%.o: $(ATOLL_ROOT)/lib/%.c $(SDK_HDRS) $(PROGRAM_MK)
	@mkdir -p $(dir $@)
	$(PROGRAM_CC) $(PROGRAM_CFLAGS) -c -o $@ $<

clean:
	rm -rf $(PROGRAM_WASM) $(PROGRAM_WASM).tmp $(MODULE_WASM) $(OBJ_DIR)
