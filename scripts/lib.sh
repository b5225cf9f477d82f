# Shared by scripts/demo, scripts/test and scripts/bench: install what is
# missing (Debian 12, as root) and configure + build into build/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Debian packages the build, tests and tools need.
SYM_PACKAGES=(build-essential cmake ninja-build pkg-config
  libyaml-cpp-dev libre2-dev libsimdjson-dev libabsl-dev doctest-dev libbenchmark-dev
  pybind11-dev python3-pybind11 python3-dev python3-pytest python3-yaml
  clang-14 libclang-rt-14-dev libcpp-httplib-dev libboost-dev libssl-dev openssl curl time
  libcurl4-openssl-dev golang-go python3-setuptools python3-wheel python3-build python3-venv
  libcli11-dev)

sym_install_packages() {
  local missing=()
  for p in "${SYM_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]} (run as root to install them)" >&2
    return 1
  fi
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# The Python Debian's packages serve (pyenv's python3 on PATH cannot see them).
SYM_PYTHON=/usr/bin/python3

# Debug information as line tables only (-g1): backtraces and sanitizer
# reports keep file:line, and a file compiles about a third faster than
# with full debug information (-g), which counts in scripts/test's three
# clean builds. Set SYM_FULL_DEBUG_INFO=1 for a build to step through.
sym_debug_flags() {  # sym_debug_flags OPT: the cmake args for RelWithDebInfo and Debug
  local g=-g1
  [ "${SYM_FULL_DEBUG_INFO:-0}" = 1 ] && g=-g
  local lang
  for lang in C CXX; do
    echo "-DCMAKE_${lang}_FLAGS_RELWITHDEBINFO=$1 $g -DNDEBUG"
    echo "-DCMAKE_${lang}_FLAGS_DEBUG=$g"
  done
}

# Tests and the Python module are pinned on: a build directory configured
# by hand with them off would otherwise keep them off through its cache.
sym_build() {  # sym_build DIR [cmake args...]
  local dir="$1"; shift
  local debug
  mapfile -t debug < <(sym_debug_flags -O2)
  cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="${SYM_BUILD_TYPE:-RelWithDebInfo}" \
    "${debug[@]}" -DSYMPOZIUM_TESTS=ON -DSYMPOZIUM_PYTHON=ON -DPython_EXECUTABLE="$SYM_PYTHON" \
    "$@" >/dev/null
  cmake --build "$dir" -j "$(nproc)"
}

# Runs a phase of scripts/test and says how long it took, so a slow phase
# shows in the CI log.
sym_quiet() {  # sym_quiet COMMAND...: its output only if it fails
  local log
  log="$(mktemp)"
  "$@" >"$log" 2>&1 || { cat "$log"; rm -f "$log"; return 1; }
  rm -f "$log"
}

sym_phase() {  # sym_phase NAME COMMAND...
  local name="$1" start=$SECONDS; shift
  echo "== $name"
  "$@"
  echo "== $name: $((SECONDS - start)) s"
}

# --- Sanitizers (scripts/test) -------------------------------------------
# The whole suite (pytest included) under AddressSanitizer + UBSan in
# build-asan/. UBSan stops at the first report (-fno-sanitize-recover), as
# ASan does, so any report fails its test. Loops that only repeat what one
# pass already covers run shorter here: property iterations, store swaps,
# the webhook's steady load (5,000 requests), a CLI process for every eighth
# review of the front-ends test and every fourth conformance case (each
# case also runs in-process here, and all of them through the CLI in the
# normal build).
sym_asan_tests() {
  SYM_BUILD_TYPE=Debug sym_build build-asan -DSYMPOZIUM_SANITIZE=ON -DSYMPOZIUM_BENCH=OFF
  ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    SYMPOZIUM_PROPERTY_ITERATIONS=30 SYMPOZIUM_STRESS_SWAPS=500 SYMPOZIUM_FRONT_ENDS_CLI_STRIDE=8 \
    SYMPOZIUM_CONFORMANCE_CLI_STRIDE=4 SYMPOZIUM_WEBHOOK_LOAD_REQUESTS=5000 \
    ctest --test-dir build-asan --output-on-failure -j "$(nproc)"
}

# The concurrency tests under ThreadSanitizer in build-tsan/ (only those
# binaries and what they link are built): the PolicyStore stress test, the
# webhook's reload under load (config watcher, HTTP workers and store swaps
# in one process), and the webhook itself against the API-server double
# (the server's io threads and handler pool, the watch threads, store
# writes under requests). TSan stops at its first report. -O1: TSan's
# advice, and half the compile time of -O2.
sym_tsan_tests() {
  local debug
  mapfile -t debug < <(sym_debug_flags -O1)
  cmake -S "$ROOT" -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${debug[@]}" \
    -DSYMPOZIUM_TSAN=ON \
    -DSYMPOZIUM_PYTHON=OFF -DSYMPOZIUM_BENCH=OFF -DSYMPOZIUM_WEBHOOK=ON \
    -DPython_EXECUTABLE="$SYM_PYTHON" >/dev/null
  cmake --build build-tsan -j "$(nproc)" --target sympozium_stress_tests \
    sympozium_webhook_reload_tests sympozium-webhook
  local -x TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
  SYMPOZIUM_STRESS_SWAPS=1000 build-tsan/tests/stress/sympozium_stress_tests
  # Debian's cpp-httplib is not instrumented: TSan cannot see the guard of
  # its function-local statics and reports their lazy init as a race.
  # ignore_noninstrumented_modules drops only the memory accesses of calls
  # made from such libraries; their locks still count, and every access in
  # our code is still checked.
  TSAN_OPTIONS="$TSAN_OPTIONS:ignore_noninstrumented_modules=1" \
    build-tsan/tools/webhook/sympozium_webhook_reload_tests
  TSAN_OPTIONS="$TSAN_OPTIONS:ignore_noninstrumented_modules=1" \
    ctest --test-dir build-tsan --output-on-failure -R '^webhook[.]kube_watch$'
}
