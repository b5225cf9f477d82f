#!/usr/bin/env bash
# style.layers: scripts/check_layers passes on the tree, and fails naming the
# file, line and back-edge once a low folder includes from a higher one (run
# on a copy of lib/ and include/ with one such include added).
set -euo pipefail
root="$1"
"$root/scripts/check_layers" "$root"

copy="$(mktemp -d)"
trap 'rm -rf "$copy"' EXIT
mkdir -p "$copy/scripts"
cp -r "$root/lib" "$root/include" "$copy/"
cp "$root/scripts/check_layers" "$copy/scripts/"
echo '#include "lib/admission/admission_internal.h"' >> "$copy/lib/base/strings.cc"
if "$copy/scripts/check_layers" "$copy" 2> "$copy/err"; then
  echo "check_layers passed a tree with a back-edge base -> admission" >&2
  exit 1
fi
grep -q '^lib/base/strings.cc:[0-9]*: back-edge base -> admission' "$copy/err" || {
  echo "check_layers did not name the back-edge:" >&2
  cat "$copy/err" >&2
  exit 1
}
