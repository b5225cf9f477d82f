# Shared by scripts/demo, scripts/test and scripts/bench: install what is
# missing (Debian 12, as root) and configure + build into build/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Debian packages the build, tests and tools need (see ../shared/TOOLCHAIN.md).
SYM_PACKAGES=(build-essential cmake ninja-build pkg-config
  libyaml-cpp-dev libre2-dev libsimdjson-dev libabsl-dev doctest-dev libbenchmark-dev
  pybind11-dev python3-pybind11 python3-dev python3-pytest python3-yaml
  clang-14 libclang-rt-14-dev libcpp-httplib-dev libssl-dev openssl curl)

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

sym_build() {  # sym_build DIR [cmake args...]
  local dir="$1"; shift
  cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="${SYM_BUILD_TYPE:-RelWithDebInfo}" \
    -DPython_EXECUTABLE="$SYM_PYTHON" "$@" >/dev/null
  cmake --build "$dir" -j "$(nproc)"
}
