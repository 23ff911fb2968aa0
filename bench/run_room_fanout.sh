#!/usr/bin/env bash
# Runs the room fan-out benchmark against a fresh parleyd on loopback.
#   bench/run_room_fanout.sh [BUILD_DIR]   (default build/release; it must already contain
#   parleyd, parleyctl and parley_bench_room_fanout - this script builds nothing)
# Prints one JSON line per run (50 and 500 occupants, 5 posters each); exit 1 if a run lost
# messages or failed. Everything is bounded by timeouts; the temp data dir is removed at exit.
set -euo pipefail

build_dir=${1:-build/release}
parleyd=$build_dir/gateway/app/parleyd
parleyctl=$build_dir/gateway/app/parleyctl
driver=$build_dir/bench/parley_bench_room_fanout
for binary in "$parleyd" "$parleyctl" "$driver"; do
  [[ -x $binary ]] || { echo "missing $binary (build it first)" >&2; exit 2; }
done

max_occupants=${BENCH_MAX_OCCUPANTS:-500}
posters=${BENCH_POSTERS:-5}
messages=${BENCH_MESSAGES:-200}
password=secret

work=$(mktemp -d "${TMPDIR:-/tmp}/parley-bench.XXXXXX")
daemon_pid=""
cleanup() {
  if [[ -n $daemon_pid ]] && kill -0 "$daemon_pid" 2>/dev/null; then
    kill -TERM "$daemon_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$daemon_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

config=$work/parley.jsonc
cat >"$config" <<JSON
// Benchmark configuration: loopback only, no TLS listener, no read-rate limit, and an outbox
// large enough that the fan-out itself (not slow-client protection) is what is measured.
{
  "data_dir": "$work/data",
  "log": {"level": "warn"},
  "shutdown_timeout_ms": 2000,
  "limits": {"max_sessions_per_account": 10, "max_offline_messages": 1000},
  "xmpp": {
    "c2s": {"enabled": true, "address": "127.0.0.1", "port": 0},
    "direct_tls": {"enabled": false},
    "require_starttls": false,   // plain TCP on loopback; the driver authenticates with SCRAM
    "allow_plain": false,        // PLAIN is never offered without TLS anyway
    "read_rate": {"bytes_per_second": 0},
    "outbox_high_watermark": 100000,
    "timeouts": {"handshake_s": 120, "idle_s": 600, "keepalive_s": 300, "close_s": 2}
  }
}
JSON

echo "creating $max_occupants accounts..." >&2
for i in $(seq 1 "$max_occupants"); do
  timeout 30 "$parleyctl" --config "$config" account add "benchuser$i@localhost" \
    --password "$password" >/dev/null
done

"$parleyd" --config "$config" 2>"$work/parleyd.log" &
daemon_pid=$!
ready=$work/data/parleyd.ready.json
for _ in $(seq 300); do
  [[ -s $ready ]] && break
  kill -0 "$daemon_pid" 2>/dev/null || { cat "$work/parleyd.log" >&2; exit 2; }
  sleep 0.1
done
port=$(sed -n 's/.*"xmpp_c2s_port":\([0-9]*\).*/\1/p' "$ready")
[[ -n $port ]] || { echo "parleyd not ready within 30 s" >&2; exit 2; }
echo "parleyd pid $daemon_pid on 127.0.0.1:$port" >&2

status=0
small=$(( max_occupants < 50 ? max_occupants : 50 ))
for occupants in "$small" "$max_occupants"; do
  timeout 900 "$driver" --host 127.0.0.1 --port "$port" --domain localhost \
    --muc conference.localhost --users-prefix benchuser --password "$password" \
    --occupants "$occupants" --posters "$posters" --messages "$messages" \
    --room "fanout-$occupants" || status=1
done
if [[ $status -ne 0 ]]; then
  echo "--- parleyd log ---" >&2
  tail -n 50 "$work/parleyd.log" >&2
fi
exit $status
