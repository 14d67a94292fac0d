#!/bin/sh
# make test-programs: the programs archive follows the PROGRAMS asked for
# (issue 17): a file given is in it though it is older than the archive,
# and gone again from a plain `make programs`. Restores the default
# archive on the way out.
set -eu
MAKE=${MAKE:-make}
tar_=${1:?usage: archive_follows.sh BUILD/user/programs.tar}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$(dirname "$tar_")/programs/hello.wasm" "$tmp/mine.wasm"
touch -d 2020-01-01 "$tmp/mine.wasm"
fail=0
$MAKE --no-print-directory -s programs PROGRAMS="$tmp/mine.wasm" >/dev/null
if tar tf "$tar_" | grep -qx mine.wasm; then echo "ok   archive: a file of PROGRAMS older than the archive is added"
else echo "FAIL archive: PROGRAMS=$tmp/mine.wasm left out"; fail=1; fi
$MAKE --no-print-directory -s programs >/dev/null
if tar tf "$tar_" | grep -qx mine.wasm; then echo "FAIL archive: mine.wasm still there after a plain make programs"; fail=1
else echo "ok   archive: a plain make programs drops it again"; fi
before=$(stat -c %Y "$tar_")
sleep 1
$MAKE --no-print-directory -s programs >/dev/null
if [ "$(stat -c %Y "$tar_")" = "$before" ]; then echo "ok   archive: an unchanged list leaves it alone"
else echo "FAIL archive: rewritten with nothing changed"; fail=1; fi
exit $fail
