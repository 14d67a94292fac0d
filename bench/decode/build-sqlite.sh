#!/bin/sh
# build-sqlite.sh OUT.wasm: SQLite (a real, 250k-line C program) compiled
# to wasm32-wasi with clang -O2, the largest real module we build.
# SQLite's amalgamated source comes from the npm package better-sqlite3
# (npm is the one registry besides Debian's reachable here); the tarball
# is kept next to OUT so later runs need no network.
set -eu
out=$1
dir=$(dirname "$out")
mkdir -p "$dir"
src="$dir/package/deps/sqlite3/sqlite3.c"
# The same fetch (and cache) as user/apps/sqlite's (mk/apps.mk).
"$(dirname "$0")/../../user/apps/npm-fetch.sh" better-sqlite3@12.11.1 "$dir" package/deps/sqlite3
# A library build (no main): every function exported so none is dropped.
clang --target=wasm32-wasi --sysroot=/usr -O2 \
    -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_WAL \
    -DSQLITE_OMIT_RANDOMNESS -D_WASI_EMULATED_MMAN -D_WASI_EMULATED_SIGNAL \
    -D_WASI_EMULATED_PROCESS_CLOCKS -mexec-model=reactor \
    -Wl,--export-all -Wl,--no-entry -o "$out" "$src" \
    -lwasi-emulated-mman -lwasi-emulated-signal -lwasi-emulated-process-clocks
