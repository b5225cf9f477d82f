#!/bin/sh
# Installs the build into a fresh prefix and builds CPROGRAM there the way an
# outside project would: only <sympozium/sympozium.h> and pkg-config's flags
# for sympozium_c. Then runs it against the installed libsympozium_c.
# Usage: install_test.sh CMAKE BUILD_DIR LIBDIR CC CPROGRAM
# ($EXTRA_CFLAGS: sanitizer flags when the library was built with them)
set -eu
cmake=$1 build=$2 libdir=$3 cc=$4 program=$5
prefix=$(mktemp -d "${TMPDIR:-/tmp}/sympozium-install.XXXXXX")
trap 'rm -rf "$prefix"' EXIT
"$cmake" --install "$build" --prefix "$prefix" >/dev/null
test -f "$prefix/include/sympozium/sympozium.h"
# The .pc file names the configured prefix; --define-prefix relocates it to
# where it was installed.
flags=$(PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig" pkg-config --define-prefix --cflags --libs sympozium_c)
echo "pkg-config sympozium_c: $flags"
# shellcheck disable=SC2086
"$cc" -std=c99 -Wall -Wextra -Werror -pedantic -pthread ${EXTRA_CFLAGS:-} "$program" $flags \
  -o "$prefix/outside"
LD_LIBRARY_PATH="$prefix/$libdir" ldd "$prefix/outside" | grep -F "$prefix/$libdir/libsympozium_c.so.0"
LD_LIBRARY_PATH="$prefix/$libdir" "$prefix/outside"
