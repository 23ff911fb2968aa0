#!/usr/bin/env bash
# Room fan-out against a fresh parleyd on loopback (parley_bench --scenario fanout).
#   bench/run_room_fanout.sh [BUILD_DIR]   (default build/release; it must already contain
#   parleyd and parley_bench - this script builds nothing)
# Prints one JSON line per run (50 and BENCH_MAX_OCCUPANTS occupants); exit 1 if a run lost
# messages or failed. Everything is bounded by timeouts; the temp data dir is removed at exit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build_dir=${1:-build/release}
driver=$build_dir/bench/parley_bench
[[ -x $driver ]] || { echo "missing $driver (build it first)" >&2; exit 2; }
max_occupants=${BENCH_MAX_OCCUPANTS:-500}
posters=${BENCH_POSTERS:-5}
messages=${BENCH_MESSAGES:-200}

source "$here/parleyd_fixture.sh"
start_parleyd "$build_dir"

status=0
small=$(( max_occupants < 50 ? max_occupants : 50 ))
for occupants in "$small" "$max_occupants"; do
  line=$(timeout 900 "$driver" --scenario fanout --host 127.0.0.1 --port "$PARLEYD_PORT" \
    --domain localhost --muc conference.localhost --users-prefix benchuser --password secret \
    --register --clients "$occupants" --occupants "$occupants" --posters "$posters" \
    --messages "$messages" --room "fanout-$occupants" --label "parleyd") || status=1
  echo "$line"
  [[ $(jq -r '.lost' <<<"$line" 2>/dev/null) == 0 ]] || status=1
done
if [[ $status -ne 0 ]]; then
  echo "--- parleyd log ---" >&2
  tail -n 50 "$BENCH_WORK/parleyd.log" >&2
fi
exit $status
