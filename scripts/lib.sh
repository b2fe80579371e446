# Shared by scripts/demo, scripts/test and scripts/bench. Sourced, not run.
set -euo pipefail

KAP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export KAP_ROOT

# Packages for building kap (Debian 12 / Ubuntu names). Never the unversioned libboost-dev (1.74).
KAP_BUILD_PACKAGES=(g++ cmake ninja-build pkgconf ccache libboost1.81-dev libboost-json1.81-dev libspdlog-dev libsqlite3-dev libssl-dev)
# Extra packages for the tests and benchmarks.
# chromium and fonts-dejavu-core: the report test opens the HTML reports in headless Chromium.
# graphviz: the protocol diagram test checks that `dot` parses docs/graphs/*.dot (scripts/graphs).
# python3: the docs test that every public declaration is documented (scripts/undocumented.py).
KAP_TEST_PACKAGES=(libgtest-dev libgmock-dev libbenchmark-dev chromium fonts-dejavu-core graphviz python3)
# The clang build, the libFuzzer targets and their sanitizers (scripts/test, scripts/fuzz): clang
# 14 from Debian 12; libclang_rt.fuzzer and the ASan/UBSan runtimes come in libclang-rt-14-dev.
KAP_CLANG_PACKAGES=(clang libclang-rt-14-dev)
# Node.js and npm run the JSON Schema validator. A machine may already have them from another
# source (e.g. a nodejs package that bundles npm and conflicts with Debian's npm): only install
# Debian's when the commands are missing.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  KAP_TEST_PACKAGES+=(nodejs npm)
fi

# kap_require_packages PKG... - installs the missing ones (as root, or through sudo); otherwise
# prints the exact command and exits 2.
kap_require_packages() {
  local missing=()
  local p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  local cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
  echo "kap: installing ${missing[*]}" >&2
  if [ "$(id -u)" -eq 0 ]; then
    bash -c "$cmd" >&2
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo bash -c "$cmd" >&2
  else
    echo "kap: these packages are missing; install them with:" >&2
    echo "  sudo bash -c '$cmd'" >&2
    exit 2
  fi
}

# kap_have_clang - true when clang++ can build kap's libFuzzer targets (clang++ on the PATH and
# its libFuzzer runtime installed).
kap_have_clang() {
  command -v clang++ >/dev/null 2>&1 || return 1
  local rt
  rt="$(clang++ -print-file-name="libclang_rt.fuzzer-$(uname -m).a" 2>/dev/null)" || return 1
  [ "${rt#/}" != "$rt" ] && [ -f "$rt" ]
}

# kap_configure PRESET [extra cmake args] - configures with a preset, using ccache when present.
kap_configure() {
  local preset="$1"
  shift
  local launcher=()
  if command -v ccache >/dev/null 2>&1; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  cmake --preset "$preset" "${launcher[@]}" "$@" >/dev/null
}
