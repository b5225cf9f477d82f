#!/bin/sh
# cmake --install into a fresh prefix; the package must import from the
# prefix's site-packages alone and decide.
# Usage: install_test.sh CMAKE BUILD_DIR PYTHON SITE_PACKAGES_UNDER_PREFIX
set -eu
cmake=$1 build=$2 python=$3 site=$4
prefix=$(mktemp -d "${TMPDIR:-/tmp}/sympozium-python.XXXXXX")
trap 'rm -rf "$prefix"' EXIT
"$cmake" --install "$build" --prefix "$prefix" >/dev/null
cd "$prefix"
PYTHONPATH="$prefix/$site" "$python" -c '
import sys, sympozium
assert sympozium.__file__.startswith(sys.argv[1]), sympozium.__file__
d = sympozium.Policy.preset("restrictive").evaluate({"apiVersion": "sympozium.ai/v1alpha1",
    "kind": "AgentRun", "metadata": {"name": "r", "namespace": "default"},
    "spec": {"agentRef": "a"}})
assert d.code == "sandbox.required", d
print("installed:", sympozium.__file__)
' "$prefix"
