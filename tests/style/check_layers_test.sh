#!/usr/bin/env bash
# style.layers: scripts/check_layers passes on the tree, and fails naming the
# file, line and back-edge once a low folder includes from a higher one (run
# on a copy of lib/ and include/ with one such include added), and once a
# front end includes a header of lib/.
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

# A front end that includes a lib/ header fails too.
sed -i '$d' "$copy/lib/base/strings.cc"
mkdir -p "$copy/tools/cli"
printf '#include "sympozium/policy.h"\n#include "lib/base/value.h"\n' > "$copy/tools/cli/verb.cc"
if "$copy/scripts/check_layers" "$copy" 2> "$copy/err"; then
  echo "check_layers passed a front end that includes lib/base/value.h" >&2
  exit 1
fi
grep -q '^tools/cli/verb.cc:2: a front end includes "lib/base/value.h"' "$copy/err" || {
  echo "check_layers did not name the front end's include:" >&2
  cat "$copy/err" >&2
  exit 1
}
