#!/bin/sh
# Installs the build into a fresh prefix and checks what a C++ consumer gets:
# exactly the public headers (every header of include/sympozium/, each
# compiling on its own, so none needs a header of the library's insides),
# and the README's example built there twice, the ways an outside project
# would: with find_package(sympozium) and with pkg-config's flags for
# sympozium, run against the installed libsympozium.
# Usage: cxx_install_test.sh CMAKE BUILD_DIR LIBDIR CXX EXAMPLE
set -eu
cmake=$1 build=$2 libdir=$3 cxx=$4 example=$5
here=$(cd "$(dirname "$0")" && pwd)
prefix=$(mktemp -d "${TMPDIR:-/tmp}/sympozium-cxx-install.XXXXXX")
trap 'rm -rf "$prefix"' EXIT
"$cmake" --install "$build" --prefix "$prefix" >/dev/null

installed=$(cd "$prefix/include/sympozium" && ls)
public=$(cd "$here/../../include/sympozium" && ls)
if [ "$installed" != "$public" ]; then
  echo "installed headers differ from include/sympozium/:" >&2
  echo "$installed" > "$prefix/installed.txt"
  echo "$public" | diff - "$prefix/installed.txt" >&2
  exit 1
fi
for header in $installed; do
  printf '#include "sympozium/%s"\n' "$header" > "$prefix/only_$header.cc"
done
"$cxx" -std=c++17 -Wall -Wextra -Werror -fsyntax-only -I"$prefix/include" "$prefix"/only_*.cc
echo "installed headers: $(echo $installed)"
expect="denied: sandbox is required by policy"

"$cmake" -S "$here" -B "$prefix/outside-cmake" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_PREFIX_PATH="$prefix" -DEXAMPLE="$example" >/dev/null
"$cmake" --build "$prefix/outside-cmake" >/dev/null
LD_LIBRARY_PATH="$prefix/$libdir" "$prefix/outside-cmake/outside" | grep -F "$expect"

flags=$(PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig" pkg-config --define-prefix --cflags --libs sympozium)
echo "pkg-config sympozium: $flags"
# shellcheck disable=SC2086
"$cxx" -Wall -Wextra -Werror "$example" $flags -o "$prefix/outside-pc"
LD_LIBRARY_PATH="$prefix/$libdir" ldd "$prefix/outside-pc" | grep -F "$prefix/$libdir/libsympozium.so"
LD_LIBRARY_PATH="$prefix/$libdir" "$prefix/outside-pc" | grep -F "$expect"
# What is installed exports the API only.
"$cmake" -DNM=nm -DLIB="$prefix/$libdir/libsympozium.so" -P "$here/check_cxx_exports.cmake"
