# program.mk — build rules for one Atoll program (docs/programs.md).
#
# A program's folder holds its sources and a Makefile of two lines:
#
#     PROGRAM = hello
#     include ../../sdk/program.mk      (the path to this file)
#
# `make` there builds $(PROGRAM_OUT)/$(PROGRAM).wasm, by default into
# build/user/programs/ of this repository:
#   - C:    every .c file of the folder (or SRCS), linked with the SDK
#           (user/sdk/atoll.c, program.c, lib/string.c, lib/fmt.c);
#           the program defines main (user/sdk/program.h).
#   - Rust: $(PROGRAM).rs, when it exists, built by Debian's rustc for
#           wasm32-unknown-unknown; it includes user/sdk/rust/atoll.rs.
# MODULES = a b ... also builds a.wasm, b.wasm from a.c, b.c: library
# modules the program imports from ("a", "b"), each its own instance with
# its own memory and no SDK (user/examples/pair).
#
# Variables a Makefile (or the command line) may set:
#   PROGRAM       the program's name (required)
#   SRCS          C sources (default: the folder's .c files but MODULES')
#   MODULES       library modules built next to the program
#   PROGRAM_OUT   where the .wasm files go
#   CFLAGS_EXTRA  more clang flags;  RUSTC  the Rust compiler

ifndef PROGRAM
$(error PROGRAM is not set: write PROGRAM = name before including program.mk)
endif

ATOLL_ROOT  := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))../..)
PROGRAM_OUT ?= $(ATOLL_ROOT)/build/user/programs

PROGRAM_CC  ?= clang
RUSTC       ?= /usr/bin/rustc

# The same flags as the userland (mk/user.mk). The program imports its
# memory from env, whose memory has 16 pages; the stack (64 KiB) comes
# first, so an overflow runs below address 0 and traps.
PROGRAM_CFLAGS  := --target=wasm32 -std=c11 -O2 -ffreestanding -nostdlib \
                   -Wall -Wextra -I$(ATOLL_ROOT) $(CFLAGS_EXTRA)
PROGRAM_LDFLAGS := -Wl,--no-entry -Wl,--import-memory -Wl,--initial-memory=1048576 \
                   -Wl,--stack-first -z stack-size=65536 -Wl,--export=atoll_start
# A library module: its own memory, no imports of its own.
MODULE_LDFLAGS  := -Wl,--no-entry -Wl,--stack-first -z stack-size=65536
RUST_FLAGS      := --target wasm32-unknown-unknown -O --crate-type cdylib --edition 2021 -C strip=debuginfo \
                   -C link-arg=--import-memory -C link-arg=--initial-memory=1048576 \
                   -C link-arg=--stack-first -C link-arg=-zstack-size=65536 \
                   -C link-arg=--export=atoll_start

SDK_SRCS := $(addprefix $(ATOLL_ROOT)/,user/sdk/atoll.c user/sdk/program.c lib/string.c lib/fmt.c)
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

.PHONY: all clean
all: $(PROGRAM_WASM) $(MODULE_WASM)

ifneq ($(wildcard $(PROGRAM).rs),)
$(PROGRAM_WASM): $(PROGRAM).rs $(wildcard *.rs) $(RUST_SDK)
	@mkdir -p $(dir $@)
	$(RUSTC) $(RUST_FLAGS) -o $@ $<
else
$(PROGRAM_WASM): $(PROGRAM_OBJS) $(SDK_OBJS)
	$(PROGRAM_CC) --target=wasm32 -nostdlib $(PROGRAM_LDFLAGS) -o $@ $^
endif

$(PROGRAM_OUT)/%.wasm: $(OBJ_DIR)/%.o $(OBJ_DIR)/sdk/string.o
	$(PROGRAM_CC) --target=wasm32 -nostdlib $(MODULE_LDFLAGS) -o $@ $^

$(OBJ_DIR)/%.o: %.c $(SDK_HDRS) $(wildcard *.h)
	@mkdir -p $(dir $@)
	$(PROGRAM_CC) $(PROGRAM_CFLAGS) -c -o $@ $<

$(OBJ_DIR)/sdk/%.o: $(ATOLL_ROOT)/user/sdk/%.c $(SDK_HDRS)
	@mkdir -p $(dir $@)
	$(PROGRAM_CC) $(PROGRAM_CFLAGS) -c -o $@ $<

$(OBJ_DIR)/sdk/%.o: $(ATOLL_ROOT)/lib/%.c $(SDK_HDRS)
	@mkdir -p $(dir $@)
	$(PROGRAM_CC) $(PROGRAM_CFLAGS) -c -o $@ $<

clean:
	rm -rf $(PROGRAM_WASM) $(MODULE_WASM) $(OBJ_DIR)
