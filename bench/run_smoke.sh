#!/usr/bin/env bash
# Every parley_bench scenario, small, against a fresh parleyd and an echo server on loopback.
#   bench/run_smoke.sh [BUILD_DIR]   (default build/release; needs parleyd, parley_bench and
#   parley_bench_echo_server built - this script builds nothing)
# Env: BENCH_CLIENTS (100), BENCH_DURATION_S (10), BENCH_RATE (10000), BENCH_THREADS (1).
# Prints one JSON line per run; exit 1 if a run failed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build_dir=${1:-build/release}
driver=$build_dir/bench/parley_bench
echo_server=$build_dir/bench/parley_bench_echo_server
for binary in "$driver" "$echo_server"; do
  [[ -x $binary ]] || { echo "missing $binary (build it first)" >&2; exit 2; }
done
clients=${BENCH_CLIENTS:-100}
duration=${BENCH_DURATION_S:-10}
rate=${BENCH_RATE:-10000}
threads=${BENCH_THREADS:-1}

source "$here/parleyd_fixture.sh"
start_parleyd "$build_dir"
"$echo_server" --port 0 >"$BENCH_WORK/echo.json" 2>"$BENCH_WORK/echo.log" &
echo_pid=$!
trap 'kill -TERM $echo_pid 2>/dev/null || true; stop_parleyd' EXIT
for _ in $(seq 100); do [[ -s $BENCH_WORK/echo.json ]] && break; sleep 0.1; done
echo_port=$(jq -r .port "$BENCH_WORK/echo.json")

common=(--host 127.0.0.1 --port "$PARLEYD_PORT" --domain localhost --users-prefix bench
        --password secret --clients "$clients" --threads "$threads" --label parleyd)
status=0
run() { timeout 600 "$driver" "$@" || status=1; }
run --scenario echo --port "$echo_port" --clients "$clients" --threads "$threads" \
  --window 16 --duration-s "$duration" --label echo
run --scenario login "${common[@]}" --register --concurrency 16
run --scenario one2one "${common[@]}" --window 16 --duration-s "$duration"
run --scenario one2one "${common[@]}" --rate "$rate" --duration-s "$duration"
run --scenario fanout "${common[@]}" --occupants "$clients" --muc conference.localhost \
  --room smoke --posters 5 --messages 200
run --scenario idle "${common[@]}" --server-pid "$PARLEYD_PID" --hold-s "$duration"
if [[ $status -ne 0 ]]; then
  echo "--- parleyd log ---" >&2
  tail -n 30 "$BENCH_WORK/parleyd.log" >&2
fi
exit $status
