#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine (run as root):
#   ./setup.sh run    install what is missing, build in Release, run the flagship scenario
#   ./setup.sh test   install what is missing, build in Release, run the whole test suite
#   ./setup.sh build  install and build only
#   ./setup.sh notebook  also install Jupyter, build, and open docs/notebook.ipynb with the Python module
# The reliability steps CI runs after `test` (docs/reliability.md), each with its CMake preset:
#   ./setup.sh test-sanitize   the whole test suite under ASan + UBSan (preset asan-ubsan, build-sanitize)
#   ./setup.sh test-tsan       the ThreadSanitizer harness (preset tsan-harness, build-tsan)
#   ./setup.sh fuzz [SECONDS]  each libFuzzer target for SECONDS, default 60 (preset fuzz, build-fuzz)
# BUILD_DIR (default: build, or the preset's) and BUILD_TYPE (default: Release, or the preset's) may be
# set in the environment.
set -euo pipefail
cd "$(dirname "$0")"

packages=(build-essential cmake ninja-build pkg-config
          libeigen3-dev libtbb-dev libcli11-dev libyaml-cpp-dev catch2 libbenchmark-dev
          nlohmann-json3-dev libboost-dev libboost-math-dev librandom123-dev libfmt-dev
          python3-dev pybind11-dev python3-pybind11 python3-numpy python3-pandas libxlsxwriter-dev libminizip-dev
          libopenmpi-dev openmpi-bin)
# Only `./setup.sh test` needs these: the HTML report's test renders it in headless Chromium; the
# Python module's tests run under pytest and execute docs/notebook.ipynb with nbconvert; the Excel
# workbook's test reads it back with python3-openpyxl. (Its LibreOffice test runs where
# libreoffice-calc-nogui is installed: about 160 MB more to download, so not here.)
test_packages=(chromium python3-pytest jupyter-nbconvert python3-ipykernel python3-openpyxl)
# Only `./setup.sh notebook` needs these: Jupyter's notebook server and Debian's Python kernel, the
# Python the module is built for.
notebook_packages=(jupyter-notebook python3-ipykernel)
# Only the fuzzers need these: libFuzzer comes with clang.
fuzz_packages=(clang-14 libclang-rt-14-dev)

install_missing() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

build_dir=${BUILD_DIR:-build}
build() {
  install_missing "${packages[@]}"
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" "$@" >/dev/null
  cmake --build "$build_dir"
}

# build_preset PRESET DEFAULT_DIR [TARGET...]: configure a CMakePresets.json preset and build it (all,
# or the targets named).
build_preset() {
  install_missing "${packages[@]}"
  build_dir=${BUILD_DIR:-$2}
  cmake --preset "$1" -B "$build_dir" ${BUILD_TYPE:+-DCMAKE_BUILD_TYPE="$BUILD_TYPE"} >/dev/null
  if [ $# -gt 2 ]; then cmake --build "$build_dir" --target "${@:3}"; else cmake --build "$build_dir"; fi
}

case "${1:-run}" in
  build) shift; build "$@" ;;
  run)   build; "$build_dir/cli/guidance" run scenarios/juniper_q4_2012.yaml ;;
  # The kernel starts in docs/ and inherits PYTHONPATH, so the path is absolute. Jupyter refuses to run
  # as root (as on a fresh Debian machine) without --allow-root.
  notebook) install_missing "${notebook_packages[@]}"; build
            PYTHONPATH="$(cd "$build_dir" && pwd)/python" exec jupyter notebook $([ "$(id -u)" = 0 ] && echo --allow-root) \
              docs/notebook.ipynb ;;
  # GUIDANCE_REQUIRE_TEST_TOOLS: a test whose tool is missing fails instead of skipping.
  test)  install_missing "${test_packages[@]}"; build; GUIDANCE_REQUIRE_TEST_TOOLS=1 ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" ;;
  test-sanitize) build_preset asan-ubsan build-sanitize
                 # Sanitizer reports are fatal (-fno-sanitize-recover); these add checks and stack traces.
                 export ASAN_OPTIONS=check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1
                 export UBSAN_OPTIONS=print_stacktrace=1
                 # The interval-coverage tests repeat one code path hundreds of times to measure a rate;
                 # the Release suite runs them, and other tests take the same paths under the sanitizers.
                 ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" -E "at the nominal rate" ;;
  test-tsan) build_preset tsan-harness build-tsan tsan_harness; ctest --test-dir "$build_dir" --output-on-failure ;;
  fuzz) install_missing "${packages[@]}" "${fuzz_packages[@]}"; fuzz/run.sh "${2:-60}" ;;
  *) echo "usage: ./setup.sh [run|test|build|notebook|test-sanitize|test-tsan|fuzz [SECONDS]]" >&2; exit 2 ;;
esac
