# mk/files.mk: the files of the boot image (docs/files.md).
#
#   make iso FILES=folder    puts the folder's files (and folders, and
#   make run FILES=folder    symlinks) into the image as the boot module
#                            "files", a ustar archive; the file service
#                            (fsd) serves them read-only at / to WASI
#                            programs, beside a writable /tmp
#
# The archive follows FILES: it is rewritten when the folder named
# changes, or any file in it does.

FILES ?=
FILES_TAR := $(BUILD)/user/files.tar
FILES_LIST := $(BUILD)/user/files.list
files_list_now := $(if $(FILES),$(abspath $(FILES)))
ifneq ($(file <$(FILES_LIST)),$(files_list_now))
$(shell mkdir -p $(dir $(FILES_LIST)))
$(file >$(FILES_LIST),$(files_list_now))
endif

ifneq ($(FILES),)
ifeq ($(wildcard $(FILES)/.),)
$(error FILES=$(FILES): not a folder)
endif
$(FILES_TAR): $(FILES_LIST) $(shell find $(FILES)) mk/files.mk
	tar --format=ustar --owner=0 --group=0 --numeric-owner --sort=name -C $(FILES) -cf $@ .
BOOT_MODULES += $(FILES_TAR):files
endif

# A test program (not in the archive): file chores on wasi-libc for the
# tests of the file service (tests/wasi/tools/ftool.c).
$(BUILD)/user/programs/ftool.wasm: tests/wasi/tools/ftool.c
	@mkdir -p $(@D)
	clang --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -o $@ $<

# The file service's core and stores on the host, under ASan and UBSan,
# given malformed and random requests (tests/fs/test_fs.c).
TEST_SUITES += test-fs
.PHONY: test-fs
$(BUILD)/tests/test-fs: tests/fs/test_fs.c user/fs/fs_core.c user/fs/memfs.c host/hostfs.c \
                        $(wildcard user/fs/*.h) host/hostfs.h
	@mkdir -p $(@D)
	gcc -std=c11 -g -O1 -Wall -Wextra -Werror -fsanitize=address,undefined \
	    -fno-sanitize-recover=undefined -I. $(filter %.c,$^) -o $@
test-fs: $(BUILD)/tests/test-fs
	ASAN_OPTIONS=detect_leaks=1 $(BUILD)/tests/test-fs

# The kernel's tests of the file service run ftool.
test-kernel: $(BUILD)/user/programs/ftool.wasm
