# mk/apps.mk: real programs built here from sources an npm package ships
# (issue 17), WASI commands in the image's programs archive (their names
# are PROGRAMS_APPS, in mk/programs.mk) and runnable with build/atoll-run:
#
#   sqlite   our shell (user/apps/sqlite/sqlite.c) over SQLite's
#            amalgamation from better-sqlite3@12.11.1 (the same tarball
#            and folder as bench/decode/build-sqlite.sh)
#   lz4      LZ4's own command-line tool and library from lz4@0.6.5
#            (deps/lz4: lz4 1.9.2)
#
#   make apps        both, into $(PROGRAMS_OUT)
#   make test-apps   both under atoll-run on host folders
#                    (tests/wasi/test_apps.py; part of make test);
#                    tests/qemu/test_apps.py runs them in the kernel
#
# The sources are fetched by user/apps/npm-fetch.sh into $(BUILD), once:
# the tarball stays there, so later builds need no network. Without npm
# or the registry the build fails and says which package it wanted.

APPS_SQLITE_DIR := $(BUILD)/bench/decode/package/deps/sqlite3
APPS_LZ4_DIR    := $(BUILD)/apps/lz4/package/deps/lz4
APPS_WASM       := $(PROGRAMS_APPS:%=$(PROGRAMS_OUT)/%.wasm)

$(APPS_SQLITE_DIR)/sqlite3.c: user/apps/npm-fetch.sh
	user/apps/npm-fetch.sh better-sqlite3@12.11.1 $(BUILD)/bench/decode package/deps/sqlite3
	@test -f $@ || { echo "apps: $@ missing from better-sqlite3@12.11.1" >&2; exit 1; }
	touch $@

$(APPS_LZ4_DIR)/programs/lz4cli.c: user/apps/npm-fetch.sh
	user/apps/npm-fetch.sh lz4@0.6.5 $(BUILD)/apps/lz4 package/deps/lz4
	@test -f $@ || { echo "apps: $@ missing from lz4@0.6.5" >&2; exit 1; }
	touch $@

# The sub-makes (user/sdk/program.mk) decide what is out of date.
$(PROGRAMS_OUT)/sqlite.wasm: $(APPS_SQLITE_DIR)/sqlite3.c programs-force
	$(MAKE) -C user/apps/sqlite PROGRAM_OUT=$(abspath $(PROGRAMS_OUT)) \
	    SQLITE_DIR=$(abspath $(APPS_SQLITE_DIR))
$(PROGRAMS_OUT)/lz4.wasm: $(APPS_LZ4_DIR)/programs/lz4cli.c programs-force
	$(MAKE) -C user/apps/lz4 PROGRAM_OUT=$(abspath $(PROGRAMS_OUT)) \
	    LZ4_DIR=$(abspath $(APPS_LZ4_DIR))

.PHONY: apps test-apps
apps: $(APPS_WASM)

TEST_SUITES += test-apps
test-apps: $(BUILD)/atoll-run $(APPS_WASM)
	python3 tests/wasi/test_apps.py $(BUILD)

# The kernel's test of the apps (tests/qemu/test_apps.py) takes them from
# the build.
test-kernel: $(APPS_WASM)
