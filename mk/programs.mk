# mk/programs.mk: the programs of the boot image (docs/programs.md).
#
#   make programs        the examples (user/examples, built by their own
#                        Makefiles with user/sdk/program.mk) and
#                        $(PROGRAMS_TAR), the archive the kernel hands to
#                        userboot: a flat ustar of env.wasm, the examples
#                        and every file of PROGRAMS="a.wasm b.wasm"
#   make test-programs   each example launched as the shell does, under
#                        the mock of the kernel in node (tests/user)
#
# A file of PROGRAMS named $(PROGRAMS_OUT)/NAME.wasm whose folder
# user/examples/NAME has a Makefile is (re)built first, so a program made
# from the README's steps needs no separate make.

PROGRAMS       ?=
PROGRAMS_OUT   := $(BUILD)/user/programs
PROGRAMS_TAR   := $(BUILD)/user/programs.tar
# What user/examples/Makefile builds (pair's folder makes pairlib too).
PROGRAMS_EXAMPLES := hello rust-hello pair pairlib spin vectors pingd ping upper rust-upper rust-ping rust-pingd \
                     wasi-hello stats
PROGRAMS_EXAMPLE_WASM := $(PROGRAMS_EXAMPLES:%=$(PROGRAMS_OUT)/%.wasm)

programs_own := $(foreach p,$(filter $(PROGRAMS_OUT)/%.wasm,$(PROGRAMS)),\
    $(if $(wildcard user/examples/$(basename $(notdir $p))/Makefile),$p))
# The WASI layer (user/wasi, docs/wasi.md): WASI commands run on it.
PROGRAMS_WASI_LAYER := $(PROGRAMS_OUT)/wasi_snapshot_preview1.wasm
# The file service (user/fs, docs/files.md): userboot starts it at boot.
PROGRAMS_FSD := $(PROGRAMS_OUT)/fsd.wasm
# The drivers (user/drivers, docs/drivers.md): userboot, the device
# manager, starts them at boot.
PROGRAMS_DRIVERS := ps2kbd uart
PROGRAMS_DRIVER_WASM := $(PROGRAMS_DRIVERS:%=$(PROGRAMS_OUT)/%.wasm)
# Real programs from npm packages' sources, built by mk/apps.mk.
PROGRAMS_APPS := sqlite lz4
programs_files := $(USER_OUT)/env.wasm $(PROGRAMS_WASI_LAYER) $(PROGRAMS_FSD) $(PROGRAMS_DRIVER_WASM) \
    $(PROGRAMS_EXAMPLE_WASM) \
    $(PROGRAMS_APPS:%=$(PROGRAMS_OUT)/%.wasm) \
    $(filter-out $(PROGRAMS_EXAMPLE_WASM),$(PROGRAMS))
programs_names := $(notdir $(programs_files))

# The sub-makes decide what is out of date; the archive is rewritten only
# when one of its files changed.
$(PROGRAMS_EXAMPLE_WASM) $(programs_own) &: programs-force
	$(MAKE) -C user/examples PROGRAM_OUT=$(abspath $(PROGRAMS_OUT))
	$(foreach p,$(programs_own),$(MAKE) -C user/examples/$(basename $(notdir $p)) \
	    PROGRAM_OUT=$(abspath $(PROGRAMS_OUT)) || exit 1;)

# The list is part of what it depends on: the archive is rewritten when
# the files asked for change (PROGRAMS given, changed or dropped, an
# example added here), though every file may be older than it. The list
# file is rewritten only when its text differs, so an unchanged list
# leaves the archive alone.
PROGRAMS_LIST := $(BUILD)/user/programs.list
programs_list_now := $(abspath $(programs_files))
ifneq ($(file <$(PROGRAMS_LIST)),$(programs_list_now))
$(shell mkdir -p $(dir $(PROGRAMS_LIST)))
$(file >$(PROGRAMS_LIST),$(programs_list_now))
endif

$(PROGRAMS_TAR): $(programs_files) $(PROGRAMS_LIST) mk/programs.mk
	$(if $(filter-out $(words $(programs_names)),$(words $(sort $(programs_names)))),\
	    $(error PROGRAMS: two files named alike: $(programs_names)))
	$(if $(filter-out %.wasm,$(programs_names)),\
	    $(error PROGRAMS: not .wasm files: $(filter-out %.wasm,$(programs_names))))
	tar --format=ustar --owner=0 --group=0 --numeric-owner --mode=0644 -P \
	    --transform='s,.*/,,' -cf $@ $(programs_files)

$(PROGRAMS_WASI_LAYER): programs-force
	$(MAKE) -C user/wasi PROGRAM_OUT=$(abspath $(PROGRAMS_OUT))

$(PROGRAMS_FSD): programs-force
	$(MAKE) -C user/fs PROGRAM_OUT=$(abspath $(PROGRAMS_OUT))

$(PROGRAMS_DRIVER_WASM): $(PROGRAMS_OUT)/%.wasm: programs-force
	$(MAKE) -C user/drivers/$* PROGRAM_OUT=$(abspath $(PROGRAMS_OUT))

# A test program (not in the archive): output floods, exit statuses, traps,
# through the freestanding runtime the WASI layer is built on
# (user/sdk/program.c), so FREESTANDING.
$(PROGRAMS_OUT)/programs_test.wasm: programs-force
	$(MAKE) -C tests/user -f ../../user/sdk/program.mk PROGRAM=programs_test \
	    SRCS=programs_test.c FREESTANDING=1 PROGRAM_OUT=$(abspath $(PROGRAMS_OUT))

# A test build of the keyboard driver (not in the archive) that traps on
# the make code of F12 (0x58): test_drivers.py restarts it.
$(PROGRAMS_OUT)/ps2kbd_trap.wasm: programs-force
	$(MAKE) -C user/drivers/ps2kbd PROGRAM=ps2kbd_trap SRCS=ps2kbd.c \
	    CFLAGS_EXTRA="-Werror -DPS2KBD_TRAP_ON=0x58" PROGRAM_OUT=$(abspath $(PROGRAMS_OUT))

# And a misbehaving serial driver (tests/drivers/hostile_uart.c).
$(PROGRAMS_OUT)/hostile_uart.wasm: programs-force
	$(MAKE) -C tests/drivers PROGRAM_OUT=$(abspath $(PROGRAMS_OUT))

# Another (not in the archive): the WASI layer given wild pointers, built
# with wasi-libc as any WASI command is.
$(PROGRAMS_OUT)/wasi_hostile.wasm: tests/wasi/hostile/wasi_hostile.c
	@mkdir -p $(@D)
	clang --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -o $@ $<

# Another (not in the archive): atoll.rs's channel, wait and rights calls,
# and its freestanding runtime (the input channel, the console).
$(PROGRAMS_OUT)/rust_ipc_test.wasm: programs-force
	$(MAKE) -C tests/user -f ../../user/sdk/program.mk PROGRAM=rust_ipc_test \
	    FREESTANDING=1 PROGRAM_OUT=$(abspath $(PROGRAMS_OUT))

.PHONY: programs programs-force test-programs
programs-force:
programs: $(PROGRAMS_TAR)
ALL_TARGETS += $(PROGRAMS_TAR)

test-programs: $(PROGRAMS_TAR) $(PROGRAMS_OUT)/programs_test.wasm \
               $(PROGRAMS_OUT)/rust_ipc_test.wasm
	node tests/user/test_programs.mjs $(USER_OUT)
	@MAKE="$(MAKE)" sh tests/user/archive_follows.sh $(PROGRAMS_TAR)

TEST_SUITES += test-programs
