# Sourced by the bench/run_*.sh scripts: starts a throwaway parleyd on loopback.
#   start_parleyd BUILD_DIR   sets PARLEYD_PID, PARLEYD_PORT, BENCH_WORK (a temp dir); the
#                             EXIT trap stops parleyd (SIGTERM, then SIGKILL after 10 s) and
#                             removes BENCH_WORK.
# The configuration: c2s on a kernel-chosen port, no TLS listener, STARTTLS not required
# (the driver authenticates with SCRAM-SHA-1 over plain TCP), in-band registration enabled so
# `parley_bench --register` creates the accounts, no read-rate limit, outbox_high_watermark
# 100000 so slow-client protection does not cut the measurement short, log level warn. User
# archives as BENCH_ARCHIVE says (true, the default; false as in bench/suite.sh's "parley").
# BENCH_SIP=true also opens SIP over TCP on a kernel-chosen port (PARLEYD_SIP_PORT; no
# per-source rate limit, for `--scenario sip2xmpp`), with `sip.auth.credential_cache_s` from
# BENCH_SIP_CREDENTIAL_CACHE_S (default 30).

stop_parleyd() {
  if [[ -n ${PARLEYD_PID:-} ]] && kill -0 "$PARLEYD_PID" 2>/dev/null; then
    kill -TERM "$PARLEYD_PID" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$PARLEYD_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$PARLEYD_PID" 2>/dev/null || true
  fi
  [[ -n ${BENCH_WORK:-} ]] && rm -rf "$BENCH_WORK"
  return 0
}

start_parleyd() {
  local build_dir=$1
  local parleyd=$build_dir/gateway/app/parleyd
  [[ -x $parleyd ]] || { echo "missing $parleyd (build it first)" >&2; return 2; }
  BENCH_WORK=$(mktemp -d "${TMPDIR:-/tmp}/parley-bench.XXXXXX")
  trap stop_parleyd EXIT
  local sip='"enabled": false'
  [[ ${BENCH_SIP:-false} == true ]] && sip='"enabled": true, "udp": {"enabled": false},
    "tcp": {"enabled": true, "address": "127.0.0.1", "port": 0}, "tls": {"enabled": false},
    "rate_limit": {"requests_per_second": 0},
    "auth": {"credential_cache_s": '"${BENCH_SIP_CREDENTIAL_CACHE_S:-30}"'}'
  cat >"$BENCH_WORK/parley.jsonc" <<JSON
{
  "data_dir": "$BENCH_WORK/data",
  "log": {"level": "warn"},
  "archive": {"enabled": ${BENCH_ARCHIVE:-true}},
  "shutdown_timeout_ms": 2000,
  "limits": {"max_sessions_per_account": 10, "max_offline_messages": 1000},
  "xmpp": {
    "c2s": {"enabled": true, "address": "127.0.0.1", "port": 0},
    "direct_tls": {"enabled": false},
    "require_starttls": false,
    "allow_plain": false,
    "registration": {"enabled": true},
    "read_rate": {"bytes_per_second": 0},
    "outbox_high_watermark": 100000,
    "timeouts": {"handshake_s": 120, "idle_s": 600, "keepalive_s": 300, "close_s": 2}
  },
  "sip": {$sip}
}
JSON
  "$parleyd" --config "$BENCH_WORK/parley.jsonc" 2>"$BENCH_WORK/parleyd.log" &
  PARLEYD_PID=$!
  local ready=$BENCH_WORK/data/parleyd.ready.json
  for _ in $(seq 300); do
    [[ -s $ready ]] && break
    kill -0 "$PARLEYD_PID" 2>/dev/null || { cat "$BENCH_WORK/parleyd.log" >&2; return 2; }
    sleep 0.1
  done
  PARLEYD_PORT=$(jq -r '.xmpp_c2s_port // empty' "$ready" 2>/dev/null)
  [[ -n $PARLEYD_PORT ]] || { echo "parleyd not ready within 30 s" >&2; return 2; }
  PARLEYD_SIP_PORT=$(jq -r '.sip_tcp_port // empty' "$ready" 2>/dev/null)
  echo "parleyd pid $PARLEYD_PID on 127.0.0.1:$PARLEYD_PORT" >&2
}
