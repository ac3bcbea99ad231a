#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine (run as root):
#   ./setup.sh run    install what is missing, build in Release, run the flagship scenario
#   ./setup.sh test   install what is missing, build in Release, run the whole test suite
#   ./setup.sh build  install and build only
# BUILD_DIR (default: build) and BUILD_TYPE (default: Release) may be set in the environment.
set -euo pipefail
cd "$(dirname "$0")"

packages=(build-essential cmake ninja-build pkg-config
          libeigen3-dev libtbb-dev libcli11-dev libyaml-cpp-dev catch2 libbenchmark-dev
          nlohmann-json3-dev libboost-dev libboost-math-dev librandom123-dev libfmt-dev)

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

case "${1:-run}" in
  build) shift; build "$@" ;;
  run)   build; "$build_dir/cli/guidance" run scenarios/juniper_q4_2012.yaml ;;
  test)  build; ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" ;;
  *) echo "usage: ./setup.sh [run|test|build]" >&2; exit 2 ;;
esac
