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

# expect_refusal WHAT PATTERN: check_layers must fail on the copy and say
# PATTERN (a regex over its error lines).
expect_refusal() {
  if "$copy/scripts/check_layers" "$copy" 2> "$copy/err"; then
    echo "check_layers passed $1" >&2
    exit 1
  fi
  grep -q "$2" "$copy/err" || {
    echo "check_layers did not name $1:" >&2
    cat "$copy/err" >&2
    exit 1
  }
}

echo '#include "lib/admission/admission_internal.h"' >> "$copy/lib/base/strings.cc"
expect_refusal "a back-edge base -> admission" \
  '^lib/base/strings.cc:[0-9]*: back-edge base -> admission'

# A front end that includes a lib/ header fails too.
sed -i '$d' "$copy/lib/base/strings.cc"
mkdir -p "$copy/tools/cli"
printf '#include "sympozium/policy.h"\n#include "lib/base/value.h"\n' > "$copy/tools/cli/verb.cc"
expect_refusal "a front end that includes lib/base/value.h" \
  '^tools/cli/verb.cc:2: a front end includes "lib/base/value.h"'
