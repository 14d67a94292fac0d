#!/bin/sh
# npm-fetch.sh PKG@VERSION DIR MEMBER: makes DIR/MEMBER (a file or folder
# of the package's tarball, e.g. package/deps/sqlite3) from the npm
# package PKG@VERSION. npm is the one registry besides Debian's reachable
# here, and some packages ship the C sources of real programs
# (better-sqlite3: SQLite's amalgamation; lz4: the lz4 library and its
# command-line tool). The tarball is kept in DIR, so once fetched no later
# build needs the network; a missing npm or an unreachable registry is an
# error that says what was wanted, never a silent skip.
set -eu
pkg=${1:?usage: npm-fetch.sh PKG@VERSION DIR MEMBER}
dir=${2:?usage: npm-fetch.sh PKG@VERSION DIR MEMBER}
member=${3:?usage: npm-fetch.sh PKG@VERSION DIR MEMBER}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
[ -e "$dir/$member" ] && exit 0
# npm pack names the tarball NAME-VERSION.tgz (a scope's @ dropped, / as -).
tgz=$(printf '%s' "$pkg" | sed 's,^@,,; s,/,-,; s,@,-,').tgz
if [ ! -f "$dir/$tgz" ]; then
    command -v npm >/dev/null || {
        echo "npm-fetch: npm is needed to fetch $pkg (for $member); install Debian's npm" >&2; exit 1; }
    if ! got=$(cd "$dir" && npm pack --loglevel=error "$pkg" 2>"$dir/npm-pack.log"); then
        echo "npm-fetch: could not fetch $pkg from the npm registry (is it reachable?);" \
             "$dir/$tgz is missing; npm said:" >&2
        tail -5 "$dir/npm-pack.log" >&2
        exit 1
    fi
    [ "$got" = "$tgz" ] || { echo "npm-fetch: npm pack $pkg wrote $got, not $tgz" >&2; exit 1; }
fi
tar -xzf "$dir/$tgz" -C "$dir" "$member" || {
    echo "npm-fetch: $dir/$tgz has no $member" >&2; exit 1; }
