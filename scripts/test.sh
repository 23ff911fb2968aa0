#!/usr/bin/env bash
# Everything CI checks, in order, on a fresh Debian 12 machine:
#   1. formatting of the git-tracked C++ sources (clang-format --dry-run --Werror)
#   2. build with -Werror + AddressSanitizer/UBSan into build/asan
#   3. run the unit tests, then the integration tests against that (instrumented) parleyd
# Prints a summary; exits non-zero if any step failed. PARLEY_JOBS overrides the parallelism.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh --with-tests

jobs="${PARLEY_JOBS:-$(nproc)}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export CTEST_OUTPUT_ON_FAILURE=1

results=()
failed=0

# step NAME COMMAND...: runs the command, records PASS/FAIL with its duration.
step() {
  local name="$1"
  shift
  echo
  echo "==== ${name}"
  local start=$SECONDS
  if "$@"; then
    results+=("PASS  ${name} ($((SECONDS - start))s)")
    return 0
  fi
  results+=("FAIL  ${name} ($((SECONDS - start))s)")
  failed=1
  return 1
}

skip() {
  results+=("SKIP  $1 (an earlier step failed)")
}

cxx_sources() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -- '*.cpp' '*.hpp' '*.cc' '*.h'
  else
    find . -path ./build -prune -o -type f \( -name '*.cpp' -o -name '*.hpp' \) -print
  fi
}

check_format() {
  local files
  mapfile -t files < <(cxx_sources)
  echo "checking ${#files[@]} files"
  [ "${#files[@]}" -eq 0 ] || clang-format --dry-run --Werror "${files[@]}"
}

# ccache (installed by install-deps.sh) makes a rebuild of unchanged sources nearly free, also
# from another clone of the repository: paths are hashed relative to the checkout.
launcher=()
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

build() {
  local dir="$1"
  shift
  cmake -S . -B "$dir" "${launcher[@]}" "$@" && cmake --build "$dir" -j"$jobs"
}

run_tests() {
  local dir="$1" label="$2"
  ctest --test-dir "$dir" -L "$label" -j"$jobs" --timeout 300
}

step "format (clang-format)" check_format || true

# One build serves every test: -Werror plus AddressSanitizer/UBSan, so the unit tests AND the
# real parleyd driven by the integration tests run instrumented (a memory error in a session
# fails the suite). One build instead of two keeps the suite well inside 15 minutes on 2 cores.
if step "build (-Werror, ASan+UBSan)" build build/asan -DCMAKE_BUILD_TYPE=Debug \
    -DPARLEY_WERROR=ON -DPARLEY_SANITIZE=ON; then
  step "unit tests" run_tests build/asan unit || true
  step "integration tests (real parleyd)" run_tests build/asan integration || true
else
  skip "unit tests"
  skip "integration tests (real parleyd)"
fi

echo
echo "==== summary"
printf '%s\n' "${results[@]}"
if [ "$failed" -ne 0 ]; then
  echo "test.sh: FAILED"
  exit 1
fi
echo "test.sh: all passed"
