#!/bin/sh
# build-big.sh OUT.wasm: a WASI command of 20+ MB made of real code, for
# the large-module benchmark and test (issue 17: "large third-party WASI
# binaries (20+ MB) ... compile time and memory must hold").
#
# The code is SQLite's (the amalgamation, 270k lines of C, from the npm
# package better-sqlite3, fetched as bench/decode/build-sqlite.sh does and
# into the same folder, so the two share one download). The module links
# many copies of it, each a variant: built with other compile-time options
# (FTS3/4/5, R*Tree, Geopoly, sessions, STAT4, ...) and other optimisation
# levels (-O0 mostly, as a debug build of a big program is; also -O1, -O2,
# -Os), under its own names: copy K's external sqlite3* symbols get the
# prefix bigK_ through a generated header of #defines (copy 0 keeps
# SQLite's own names, and the list of names to rename is read from its
# object with llvm-nm, so it is exactly what SQLite exports). Each copy
# carries workload.c, which runs SQL through that copy's extensions;
# main.c runs them all and checks their answers (see main.c).
#
# clang --target=wasm32-wasi --sysroot=/usr (Debian's wasi-libc), the
# normal command model: the module exports _start and imports only
# wasi_snapshot_preview1. BIG_JOBS (default 2) copies compile at once.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
CC="clang --target=wasm32-wasi --sysroot=/usr"
COMMON="-DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_WAL -DSQLITE_TEMP_STORE=3
        -DSQLITE_OMIT_RANDOMNESS -D_WASI_EMULATED_MMAN -D_WASI_EMULATED_SIGNAL
        -D_WASI_EMULATED_PROCESS_CLOCKS -Wno-macro-redefined"
ALL="-DSQLITE_ENABLE_FTS3 -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_FTS4
     -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_RTREE -DSQLITE_ENABLE_GEOPOLY
     -DSQLITE_ENABLE_SESSION -DSQLITE_ENABLE_PREUPDATE_HOOK -DSQLITE_ENABLE_STAT4
     -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_ENABLE_BYTECODE_VTAB -DSQLITE_ENABLE_MATH_FUNCTIONS
     -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_SOUNDEX -DSQLITE_ENABLE_EXPLAIN_COMMENTS"
ALL=$(echo $ALL)   # one line: variants() are lines

# The variants: K|optimisation|description|options. Copy 0 has every
# option, so its exports are a superset of every other copy's.
variants() {
    cat <<EOF
0|-O0|every extension, -O0|$ALL
1|-O0|plain, -O0|
2|-O0|FTS5, -O0|-DSQLITE_ENABLE_FTS5
3|-O0|FTS3 and FTS4, -O0|-DSQLITE_ENABLE_FTS3 -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_FTS4
4|-O0|R*Tree and Geopoly, -O0|-DSQLITE_ENABLE_RTREE -DSQLITE_ENABLE_GEOPOLY
5|-O0|sessions, -O0|-DSQLITE_ENABLE_SESSION -DSQLITE_ENABLE_PREUPDATE_HOOK
6|-O0|STAT4, dbstat and bytecode tables, -O0|-DSQLITE_ENABLE_STAT4 -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_ENABLE_BYTECODE_VTAB
7|-O0|math functions, soundex, column metadata, -O0|-DSQLITE_ENABLE_MATH_FUNCTIONS -DSQLITE_SOUNDEX -DSQLITE_ENABLE_COLUMN_METADATA
8|-O2|every extension, -O2|$ALL
9|-Os|every extension, -Os|$ALL
10|-O1|every extension, -O1|$ALL
EOF
    # BIG_EXTRA=N more copies like copy 0 (3.9 MB each), to find how
    # large a module still fits (bench/large/README.md).
    k=11
    while [ "$k" -lt $((11 + ${BIG_EXTRA:-0})) ]; do
        echo "$k|-O0|every extension, -O0, again|$ALL"
        k=$((k + 1))
    done
}

# build-big.sh --copy K: compiles copy K (called through xargs below).
if [ "$1" = "--copy" ]; then
    k=$2
    dir=$3
    src=$4
    line=$(variants | grep "^$k|")
    opt=$(echo "$line" | cut -d'|' -f2)
    opts=$(echo "$line" | cut -d'|' -f4)
    rename=
    if [ "$k" != 0 ]; then
        sed "s/.*/#define & big${k}_&/" "$dir/names" > "$dir/rename$k.h"
        rename="-include $dir/rename$k.h"
    fi
    # shellcheck disable=SC2086
    $CC $opt $COMMON $opts $rename -DBIG_WORK=big_work_$k -I "$(dirname "$src")" -I "$here" \
        -c "$here/copy.c" -o "$dir/copy$k.o"
    # Every external name the copy defines must be its own: a name left
    # out of the list would clash with copy 0's at link time, or worse,
    # one copy would call into another.
    if [ "$k" != 0 ]; then
        stray=$(llvm-nm --defined-only --extern-only "$dir/copy$k.o" | awk '{print $3}' |
                grep -v "^big${k}_" | grep -v "^big_work_$k\$" || true)
        [ -z "$stray" ] || { echo "build-big: copy $k defines $stray" >&2; exit 1; }
    fi
    exit 0
fi

out=$1
mkdir -p "$(dirname "$out")"
dir=$(cd "$(dirname "$out")" && pwd)/big-src
mkdir -p "$dir"

# SQLite's source: the same place and package as build-sqlite.sh.
srcdir=$(cd "$(dirname "$out")/.." && pwd)/decode
src="$srcdir/package/deps/sqlite3/sqlite3.c"
if [ ! -f "$src" ]; then
    mkdir -p "$srcdir"
    command -v npm >/dev/null || { echo "build-big: npm is needed to fetch SQLite's source" >&2; exit 1; }
    tgz=$(cd "$srcdir" && npm pack --silent better-sqlite3@12.11.1)
    tar -xzf "$srcdir/$tgz" -C "$srcdir" package/deps/sqlite3
fi

# Copy 0 first: its object gives the list of names the others rename.
"$0" --copy 0 "$dir" "$src"
llvm-nm --defined-only --extern-only "$dir/copy0.o" | awk '{print $3}' | grep '^sqlite3' \
    > "$dir/names"
variants | cut -d'|' -f1 | grep -v '^0$' |
    xargs -P "${BIG_JOBS:-2}" -I K "$0" --copy K "$dir" "$src"

variants | awk -F'|' '{printf "BIG_COPY(%s, \"%s\")\n", $1, $3}' > "$dir/big_copies.h"
objs=$(variants | awk -F'|' -v d="$dir" '{printf "%s/copy%s.o ", d, $1}')
# The stack: SQLite's parser and VDBE at -O0 keep big frames, more than
# wasm-ld's default 64 KiB.
# shellcheck disable=SC2086
$CC -O2 -I "$here" -I "$dir" -Wall -Wextra -Werror -c "$here/main.c" -o "$dir/main.o"
# shellcheck disable=SC2086
$CC -Wl,-z,stack-size=1048576 -o "$out" "$dir/main.o" $objs \
    -lwasi-emulated-mman -lwasi-emulated-signal -lwasi-emulated-process-clocks
ls -l "$out"
