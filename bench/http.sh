#!/usr/bin/env bash
# HTTP benchmark of the spine: wrk against GET /healthz (the baseline: no auth, no storage)
# and against an authenticated GET /api/v1/integrations (JWT verify + tenant-scoped SQLite read
# of a 20-row page), on the release build, same run, same machine. Prints requests/s,
# latency percentiles and the ratio of the authenticated route to the baseline.
#
#   DURATION=10s CONNECTIONS=64 THREADS=2 LOG_LEVEL=info ./bench/http.sh
#
# wrk and the server share the machine's cores: figures are for comparison within a run.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/wrk-figures.sh

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
LOG_LEVEL=${LOG_LEVEL:-info}

command -v wrk >/dev/null || { echo "wrk is missing: run make bench (it installs it) or apt-get install wrk" >&2; exit 1; }
[[ -x .build/release/renum && -f .build/release/libsa-http-generic.so ]] || swift build -c release

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export RENUM_JWT_SECRET=$(openssl rand -hex 32)
.build/release/renum serve --port "$port" --data-dir "$work/data" --log-level "$LOG_LEVEL" 2>"$work/server.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { echo "renum did not start:" >&2; cat "$work/server.log" >&2; exit 1; }

token=$(.build/release/renum token --sub "$(cat /proc/sys/kernel/random/uuid)")
for i in $(seq 20); do
    curl -fs -o /dev/null -X POST "http://127.0.0.1:$port/api/v1/integrations" -H "Authorization: Bearer $token" \
        -H 'Content-Type: application/json' -d "{\"name\":\"bench $i\",\"type\":\"generic\"}"
done

run() { # label, file, wrk args...
    local label=$1 file=$2; shift 2
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" > "$work/$file.txt"
    local rps p50 p90 p99 errors
    read -r rps p50 p90 p99 errors < <(wrk_figures "$work/$file.txt")
    printf '%-34s %12s %10s %10s %10s %8s\n' "$label" "$rps" "$p50" "$p90" "$p99" "$errors"
    echo "$rps" > "$work/$file.rps"
}

echo "renum HTTP bench: wrk -t$THREADS -c$CONNECTIONS -d$DURATION, log level $LOG_LEVEL, $(nproc) cores"
printf '%-34s %12s %10s %10s %10s %8s\n' "route" "requests/s" "p50" "p90" "p99" "non-2xx"
run "GET /healthz (baseline)" healthz "http://127.0.0.1:$port/healthz"
run "GET /api/v1/integrations (auth)" list -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/integrations"
awk -v b="$(cat "$work/healthz.rps")" -v a="$(cat "$work/list.rps")" 'BEGIN { printf "ratio authenticated list / healthz: %.2f\n", a / b }'
